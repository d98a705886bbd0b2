"""The error pages a person meets (403, 404, 500 and an expired form) are pages of the site: in
its layout, in the person's language, saying what happened and where to go next.

Tests run with DEBUG=False (pytest-django's default), so Django answers with these pages as it
does in production. Norwegian texts are translated after the strings are in the catalogues, so
the Norwegian cases assert the page's language and layout, not its words.
"""

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from tests.core.factories import UserFactory
from tests.utils import sign_in

LANGUAGES = [("en", "en"), ("nb", "nb")]


def _in_layout(html: str, language: str) -> None:
    assert f'<html lang="{language}"' in html
    assert 'class="sc-header"' in html  # the site's header, with its name linking home
    assert 'class="sc-brand" href="/"' in html
    assert '<main id="main"' in html
    assert 'class="sc-footer"' in html
    assert 'rel="icon"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(("accept", "language"), LANGUAGES)
def test_a_missing_page_is_a_404_in_the_layout_that_points_home(accept, language):
    response = Client().get("/no-such-page/", headers={"accept-language": accept})
    assert response.status_code == 404
    html = response.content.decode()
    _in_layout(html, language)
    if language == "en":
        assert "This page does not exist" in html
        assert "Go to the start page" in html
        assert f'href="{reverse("core:login")}"' in html  # a visitor may need to sign in


@pytest.mark.django_db
def test_the_language_cookie_chooses_the_error_page_language(settings):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    _in_layout(response.content.decode(), "nb")


@pytest.mark.django_db
@pytest.mark.parametrize(("accept", "language"), LANGUAGES)
def test_a_page_for_another_role_is_a_403_in_the_layout(accept, language):
    client = sign_in(Client(), UserFactory())
    response = client.get(reverse("core:audit"), headers={"accept-language": accept})
    assert response.status_code == 403
    html = response.content.decode()
    _in_layout(html, language)
    if language == "en":
        assert "You may not see this page" in html
        assert "Go to the start page" in html


@pytest.mark.urls("tests.core.error_urls")
def test_a_refusal_with_a_reason_shows_the_reason_as_text():
    response = Client().get("/refuses/")
    assert response.status_code == 403
    html = response.content.decode()
    _in_layout(html, "en")
    assert "Only the group&#x27;s members see this." in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.django_db
@pytest.mark.parametrize(("accept", "language"), LANGUAGES)
def test_an_expired_form_is_a_403_page_that_says_go_back_reload_and_send_again(accept, language):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("core:login"),
        {"username": "someone@example.org", "password": "x"},
        headers={"accept-language": accept},
    )
    assert response.status_code == 403
    html = response.content.decode()
    _in_layout(html, language)
    if language == "en":
        assert "This form has expired" in html
        assert "go back, reload the page and send the form again" in html


@pytest.mark.django_db
def test_a_signed_in_person_is_told_what_they_typed_is_kept():
    client = sign_in(Client(enforce_csrf_checks=True), UserFactory())
    response = client.post(reverse("core:password-change"), {"old_password": "x"})
    assert response.status_code == 403
    assert "offered back to you" in response.content.decode()


@pytest.mark.urls("tests.core.error_urls")
@pytest.mark.parametrize(("accept", "language"), LANGUAGES)
def test_a_server_error_is_a_500_page_even_with_the_database_out_of_reach(accept, language):
    # No database mark: any query, by the view or while making the page, is refused.
    response = Client(raise_request_exception=False).get(
        "/fails/", headers={"accept-language": accept}
    )
    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert 'class="sc-brand" href="/"' in html
    assert '<main id="main"' in html
    assert 'rel="icon"' in html
    if language == "en":
        assert "Something went wrong on our side" in html
        assert "Go to the start page" in html


def test_the_favicon_is_a_static_svg_and_favicon_ico_leads_to_it():
    assert finders.find("safecities/favicon.svg")
    response = Client().get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/safecities/favicon.svg"
