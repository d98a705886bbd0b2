"""`reverse` for the links a list draws once per row, at the cost of a string join.

A list of 25 rows links each row to its page (`{% url 'events:detail' event.pk %}`); Django's
`reverse` walks the namespaces and tries the patterns on every call, a good part of a row's
time. Here the URL is reversed once per view name, shape of arguments, language and URL
configuration with stand-in arguments, and the real arguments are put in their places after.

It holds for the project's URLs: `path()` with Django's converters (int, slug, str, path),
none of which treats a value differently by its length or digits. So the fast way is taken
only for arguments of two shapes, each of which those converters take or refuse as a whole:
a whole number (an int, or a string of digits) and a slug with a letter in it; the stand-ins
have the same shapes, so they pick the same pattern the real arguments would. Anything else
(keyword arguments, other text, a URL the stand-ins cannot reverse) goes through `reverse`.
`tests/core/test_quick_reverse.py` compares the two on every named URL of the project.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_MARK = 8160315179  # a stand-in number no real URL carries
_WHOLE, _SLUGGED = "d", "s"
_FAILED = object()

# (view name, shapes, current app, language, urlconf, script prefix) -> URL cut at the
# arguments (the pieces between them, and which argument goes in each gap), or _FAILED.
_cuts: dict[tuple, Any] = {}


def _shape(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return _WHOLE if value >= 0 else None
    if isinstance(value, str) and _SLUG.fullmatch(value):
        return _WHOLE if value.isdigit() else _SLUGGED
    return None


def _stand_in(position: int, shape: str) -> str:
    return f"{_MARK + position}" if shape == _WHOLE else f"zq{_MARK + position}x"


def _cut(view_name: str, shapes: tuple[str, ...], current_app: str | None):
    marks = [_stand_in(i, shape) for i, shape in enumerate(shapes)]
    try:
        url = reverse(view_name, args=marks, current_app=current_app)
    except Exception:  # noqa: BLE001 - the real arguments get `reverse`'s own answer
        return _FAILED
    found = sorted((url.find(mark), i, mark) for i, mark in enumerate(marks))
    if any(at < 0 or url.count(mark) != 1 for at, _i, mark in found):
        return _FAILED
    pieces, order, start = [], [], 0
    for at, i, mark in found:
        pieces.append(url[start:at])
        order.append(i)
        start = at + len(mark)
    pieces.append(url[start:])
    return pieces, order


def quick_reverse(view_name: str, args: list | tuple, current_app: str | None = None) -> str:
    """What `reverse(view_name, args=args, current_app=current_app)` answers."""
    shapes = tuple(_shape(arg) for arg in args)
    if not args or None in shapes:
        return reverse(view_name, args=args, current_app=current_app)
    key = (
        view_name,
        shapes,
        current_app,
        get_language(),
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
    )
    cut = _cuts.get(key)
    if cut is None:
        cut = _cuts[key] = _cut(view_name, shapes, current_app)
    if cut is _FAILED:
        return reverse(view_name, args=args, current_app=current_app)
    pieces, order = cut
    parts = [pieces[0]]
    for n, i in enumerate(order):
        parts.append(str(args[i]))
        parts.append(pieces[n + 1])
    return "".join(parts)


def _forget(**kwargs) -> None:
    _cuts.clear()


setting_changed.connect(_forget)
