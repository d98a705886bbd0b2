"""Who may do what: the registry every app's permissions.py declares its rules in.

A rule is a function (user, obj) -> bool registered under a name such as
"network.manage_municipality". Views ask through `permission_required`, the API
through `has_perm`; both reach the same function.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

Rule = Callable[[Any, Any], bool]
_RULES: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    """Register `fn` as the rule for permission `name`."""

    def register(fn: Rule) -> Rule:
        if name in _RULES and _RULES[name] is not fn:
            raise ValueError(f"Permission {name!r} is declared twice.")
        _RULES[name] = fn
        return fn

    return register


def has_perm(user, name: str, obj: Any = None) -> bool:
    try:
        fn = _RULES[name]
    except KeyError as exc:
        raise LookupError(f"No rule declares the permission {name!r}.") from exc
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(fn(user, obj))


def declared() -> list[str]:
    return sorted(_RULES)


def permission_required(name: str, obj: Callable | None = None):
    """View decorator: anonymous users go to the login page, others without the rule get 403.

    `obj(request, **kwargs)` fetches the object the rule is asked about (404 if it is missing);
    the view receives it as `request.permission_object`. A visitor is sent to the login page
    before the object is looked up, so a missing record and an existing one answer the same.
    """

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            target = obj(request, **kwargs) if obj else None
            if not has_perm(request.user, name, target):
                raise PermissionDenied
            request.permission_object = target
            return view(request, *args, **kwargs)

        wrapped.permission = name
        return wrapped

    return decorate


def login_required(view):
    """Any signed-in member."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapped.permission = "authenticated"
    return wrapped


def public(view):
    """Anyone, signed in or not. Marks the decision explicitly."""
    view.permission = "public"
    return view


def ensure(user, name: str, obj: Any = None, *, field: str | None = None) -> None:
    """For services: refuse with NotAllowed (naming `field`) unless the rule allows it."""
    from django.utils.translation import gettext as _

    from .errors import NotAllowed

    if not has_perm(user, name, obj):
        raise NotAllowed(
            _("You may not do this for %(target)s.") % {"target": obj or _("this record")},
            field=field,
        )
