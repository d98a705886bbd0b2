from .permissions import is_secretariat


def roles(request):
    user = getattr(request, "user", None)
    return {"is_secretariat": bool(user and user.is_authenticated and is_secretariat(user))}
