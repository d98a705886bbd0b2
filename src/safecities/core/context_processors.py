from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .navigation import menu_for


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "LANGUAGE_CHOICES": settings.LANGUAGES,
    }


def navigation(request):
    """The header's menu groups for the person (core/navigation.py), worked out when shown."""
    user = getattr(request, "user", None)
    return {"menu_groups": SimpleLazyObject(lambda: menu_for(user, request.path))}
