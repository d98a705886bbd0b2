"""Login hardening helpers."""


def axes_username(request, credentials=None) -> str | None:
    """The login name django-axes counts failures against: the e-mail address, lower-cased."""
    credentials = credentials or {}
    name = credentials.get("username") or credentials.get("email")
    if not name and request is not None:
        data = getattr(request, "data", None) or request.POST
        name = data.get("username") or data.get("email")
    return name.strip().lower() if name else None
