"""A page that asks before a button's action: GET shows it and does nothing, POST acts, says so
and sends the person on; a refusal is left to the view's `refused_to`."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from safecities.core.confirm import confirm
from safecities.core.errors import DomainError
from safecities.core.refusals import refused_to


def _request(method: str):
    request = getattr(RequestFactory(), method)("/somewhere/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _page(request, acted: list, *, refuse: bool = False):
    def act():
        if refuse:
            raise DomainError("Not now.")
        acted.append(True)

    return confirm(
        request,
        act,
        done="Done.",
        template="core/floor.html",
        context={},
        then="events:detail",
        pk=7,
    )


def test_get_shows_the_page_and_does_nothing(db):
    acted: list = []
    request = _request("get")
    response = _page(request, acted)
    assert response.status_code == 200
    assert acted == []
    assert list(get_messages(request)) == []


def test_post_acts_says_so_and_goes_on(db):
    acted: list = []
    request = _request("post")
    response = _page(request, acted)
    assert acted == [True]
    assert response.status_code == 302
    assert response.url.endswith("/7/")
    assert [str(m) for m in get_messages(request)] == ["Done."]


def test_a_refusal_is_not_caught_nor_called_done(db):
    request = _request("post")
    with pytest.raises(DomainError):
        _page(request, [], refuse=True)
    assert list(get_messages(request)) == []

    @refused_to("events:detail")
    def view(request, pk):
        return _page(request, [], refuse=True)

    request = _request("post")
    response = view(request, pk=7)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(request)] == ["Not now."]
