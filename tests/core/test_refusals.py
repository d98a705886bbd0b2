"""A service's refusal shown on the page once: on the form's field it names, as a message when
there is no form or the form has no such field, or as a message and a way back for a button."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory

from safecities.core.errors import DomainError, InvalidInput
from safecities.core.refusals import refusals, refused_to


class NameForm(forms.Form):
    name = forms.CharField()
    email = forms.EmailField(required=False)


def _request():
    request = RequestFactory().post("/somewhere/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_a_refusal_lands_on_the_field_it_names():
    form = NameForm({"name": "Oslo"})
    assert form.is_valid()
    with refusals(_request(), form) as outcome:
        raise InvalidInput("This name is taken.", field="name")
    assert not outcome.ok
    assert form.errors == {"name": ["This name is taken."]}


def test_a_refusal_naming_no_field_of_the_form_is_the_form_s_own_error():
    form = NameForm({"name": "Oslo"})
    form.is_valid()
    with refusals(_request(), form) as outcome:
        raise DomainError("The call is closed.", field="call")
    assert not outcome.ok
    assert form.non_field_errors() == ["The call is closed."]


def test_a_refusal_may_be_shown_on_another_field_of_the_form():
    form = NameForm({"name": "Oslo"})
    form.is_valid()
    with refusals(_request(), form, on_field={"user": "email"}):
        raise DomainError("No such person.", field="user")
    assert form.errors == {"email": ["No such person."]}


def test_without_a_form_the_refusal_is_a_message_and_nothing_else_is_caught():
    request = _request()
    with refusals(request) as outcome:
        raise DomainError("Not now.")
    assert [str(m) for m in get_messages(request)] == ["Not now."]
    assert not outcome.ok
    with pytest.raises(KeyError), refusals(request):
        raise KeyError("a bug is not a refusal")
    with refusals(request) as fine:
        pass
    assert fine.ok


def test_a_refused_button_says_why_and_goes_back(db):
    @refused_to("events:detail")
    def cancel(request, pk):
        raise DomainError("The event has already started.")

    @refused_to(lambda request, pk: f"/back/{pk}/")
    def other(request, pk):
        raise DomainError("No.")

    @refused_to("events:detail")
    def fine(request, pk):
        return HttpResponse("done")

    request = _request()
    response = cancel(request, pk=7)
    assert response.status_code == 302
    assert response.url.endswith("/7/")
    assert [str(m) for m in get_messages(request)] == ["The event has already started."]
    assert other(_request(), pk=3).url == "/back/3/"
    assert fine(_request(), pk=1).content == b"done"
