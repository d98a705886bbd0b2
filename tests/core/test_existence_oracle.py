"""An anonymous visitor cannot tell a record that exists from one that does not: every page
guarded by a permission answers both with the login page (see docs/architecture.md,
"Permissions")."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

MISSING = {"pk": 987654321, "slug": "no-such-record", "user_pk": 987654322, "int": 987654323}


def guarded_pages(resolver=None, namespace=""):
    """(name, kwargs) of each page behind `permission_required` that names a record."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if (pattern.namespace or "").startswith("api"):
                continue
            inner = ":".join(n for n in (namespace, pattern.namespace) if n)
            yield from guarded_pages(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            permission = getattr(pattern.callback, "permission", None)
            converters = pattern.pattern.converters
            if permission in (None, "public", "authenticated") or not converters:
                continue
            kwargs = {}
            for key, converter in converters.items():
                kind = type(converter).__name__
                kwargs[key] = (
                    MISSING["slug"]
                    if kind in ("SlugConverter", "StringConverter")
                    else (MISSING.get(key, MISSING["int"]))
                )
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, kwargs


PAGES = sorted(guarded_pages(), key=lambda p: p[0])


def test_there_are_guarded_pages_naming_records():
    assert len(PAGES) > 20


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs"), PAGES, ids=[p[0] for p in PAGES])
def test_a_missing_record_sends_a_visitor_to_the_login_like_an_existing_one(client, name, kwargs):
    try:
        url = reverse(name, kwargs=kwargs)
    except NoReverseMatch:  # a converter of our own: not a record's key
        pytest.fail(f"cannot build {name} with {kwargs}")
    response = client.get(url)
    if response.status_code == 405:  # an action: asked as the form sends it
        response = client.post(url)
    assert response.status_code == 302, f"{name}: {response.status_code}"
    assert response["Location"].startswith(reverse("core:login")), name
