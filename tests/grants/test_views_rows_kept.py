"""Nothing typed is lost on the pages with repeating rows: each test reads the form off the
page, edits it as a person would and posts exactly what the browser sends — autosaves (which
leave the page's management forms as they were) and then "Save draft" with the same page."""

import pytest
from django.urls import reverse

from safecities.grants import services
from safecities.grants.models import Application, Question
from tests.grants.factories import make_application, make_programme, nok
from tests.grants.test_views_applications import QUESTIONS, open_call, text
from tests.page_forms import PageForm
from tests.utils import unchanged

AUTOSAVE = {"HX-Request": "true"}


@pytest.fixture
def call(demo, funder_officer):
    programme = make_programme(actor=funder_officer, funder=demo.funder)
    return open_call(actor=funder_officer, programme=programme, questions=QUESTIONS)


@pytest.fixture
def draft(demo, coordinator, call):
    """A draft with one saved budget line ("Facilitators") and no partners."""
    return make_application(
        actor=coordinator,
        call=call,
        requested=nok(150_000),
        lead_municipality=demo.oslo,
        title="Night patrols in the parks",
    )


def edit_url(application) -> str:
    return reverse("grants:application-edit", args=[application.pk])


def open_editor(client, application) -> PageForm:
    response = client.get(edit_url(application))
    assert response.status_code == 200
    return PageForm(response.content.decode(), "application-form")


def autosave(client, application, form: PageForm):
    """What htmx posts on a change: the whole form but its file fields (`hx-params`)."""
    response = client.post(
        edit_url(application), form.data(without=tuple(form.file_fields)), headers=AUTOSAVE
    )
    assert response.status_code == 200
    return response


def save_draft(client, application, form: PageForm):
    response = client.post(edit_url(application), form.data())
    assert response.status_code == 302, response.context and response.context["errors"]
    return response


def rows(application: Application) -> tuple[list, list]:
    application = Application.objects.get(pk=application.pk)
    partners = [(str(p.party), p.role) for p in application.partners.all()]
    lines = [(b.label, b.amount_minor) for b in application.budget_lines.all()]
    return partners, lines


def add_rows(form: PageForm, demo) -> None:
    """Two partners and two more budget lines, typed into the page's empty rows."""
    form["partners-0-party"] = f"organisation:{demo.nuorten_aani.pk}"
    form["partners-0-role"] = "Recruits young hosts"
    form["partners-1-party"] = f"municipality:{demo.drammen.pk}"
    form["partners-1-role"] = "Second city"
    form["budget-1-label"] = "Venues"
    form["budget-1-amount"] = "30000"
    form["budget-2-label"] = "Meals"
    form["budget-2-amount"] = "20000"


LINES = [("Facilitators", 15_000_000), ("Venues", 3_000_000), ("Meals", 2_000_000)]


def expected(demo) -> tuple[list, list]:
    partners = [
        (str(demo.nuorten_aani), "Recruits young hosts"),
        (str(demo.drammen), "Second city"),
    ]
    return partners, LINES


def test_rows_added_then_autosaved_survive_a_later_autosave(coordinator_client, demo, draft):
    form = open_editor(coordinator_client, draft)
    assert form["partners-INITIAL_FORMS"] == "0" and form["budget-INITIAL_FORMS"] == "1"
    add_rows(form, demo)
    assert "Saved at" in text(autosave(coordinator_client, draft, form))
    assert rows(draft) == expected(demo)

    # A later field changes; the page's management forms still say what the page was given.
    form["summary"] = "Youth workers in the parks on summer nights."
    assert "Saved at" in text(autosave(coordinator_client, draft, form))
    assert rows(draft) == expected(demo)
    assert Application.objects.get(pk=draft.pk).summary.startswith("Youth workers")


def test_save_draft_after_an_autosave_keeps_every_row(coordinator_client, demo, draft):
    form = open_editor(coordinator_client, draft)
    add_rows(form, demo)
    autosave(coordinator_client, draft, form)
    save_draft(coordinator_client, draft, form)
    assert rows(draft) == expected(demo)

    # Reloaded, the page shows every row, and saving it again as it is changes nothing.
    again = open_editor(coordinator_client, draft)
    assert again["partners-INITIAL_FORMS"] == "2" and again["budget-INITIAL_FORMS"] == "3"
    assert again["partners-1-role"] == "Second city"
    assert again["budget-2-label"] == "Meals"
    autosave(coordinator_client, draft, again)
    save_draft(coordinator_client, draft, again)
    assert rows(draft) == expected(demo)


def test_rows_saved_before_survive_autosaves_on_an_old_page(coordinator_client, demo, draft):
    """Two tabs, or a page left open: rows it shows count, whatever was saved in between."""
    form = open_editor(coordinator_client, draft)
    add_rows(form, demo)
    for summary in ("One", "Two", "Three"):
        form["summary"] = summary
        autosave(coordinator_client, draft, form)
        assert rows(draft) == expected(demo)


def test_a_row_emptied_after_an_autosave_is_removed(coordinator_client, demo, draft):
    form = open_editor(coordinator_client, draft)
    add_rows(form, demo)
    autosave(coordinator_client, draft, form)
    form["partners-0-party"] = ""
    form["partners-0-role"] = ""
    form["budget-0-label"] = ""
    form["budget-0-amount"] = ""
    autosave(coordinator_client, draft, form)
    partners, lines = rows(draft)
    assert partners == [(str(demo.drammen), "Second city")]
    assert lines == [("Venues", 3_000_000), ("Meals", 2_000_000)]


def test_a_refused_save_keeps_every_typed_row_on_the_page(coordinator_client, demo, draft, call):
    number = call.questions.get(kind=Question.Kind.NUMBER)
    form = open_editor(coordinator_client, draft)
    add_rows(form, demo)
    form[f"answer_{number.pk}"] = "abc"
    with unchanged():
        body = text(autosave(coordinator_client, draft, form))
    assert "Not saved." in body and "Saved at" not in body
    with unchanged():
        response = coordinator_client.post(edit_url(draft), form.data())
    assert response.status_code == 200
    shown = PageForm(response.content.decode(), "application-form")
    for name in {name for name, _value in form.fields} - {"csrfmiddlewaretoken"}:
        assert shown.getlist(name) == form.getlist(name), name
    assert "Not saved. Please correct the following" in text(response)


def test_an_autosave_answer_is_marked_for_the_page(coordinator_client, demo, draft, call):
    """The page tells a saved draft from a refusal, and both from any other answer (a login
    page after the session ended, an error page), by the header only its autosave sets."""
    form = open_editor(coordinator_client, draft)
    assert autosave(coordinator_client, draft, form)["X-Autosave"] == "saved"
    form[f"answer_{call.questions.get(kind=Question.Kind.NUMBER).pk}"] = "abc"
    assert autosave(coordinator_client, draft, form)["X-Autosave"] == "refused"


def test_the_page_says_what_a_failed_autosave_means(coordinator_client, draft):
    page = coordinator_client.get(edit_url(draft)).content.decode()
    assert 'data-autosave-failed="' in page
    assert "safecities/autosave.js" in page


def test_an_autosave_after_a_withdrawal_is_not_saved(coordinator, coordinator_client, draft):
    form = open_editor(coordinator_client, draft)
    services.withdraw_application(actor=coordinator, application=draft)
    form["summary"] = "Changed after withdrawal"
    response = coordinator_client.post(edit_url(draft), form.data(), headers=AUTOSAVE)
    assert response["X-Autosave"] == "refused"
    assert "Not saved. The application is withdrawn and can no longer be changed." in text(response)
    assert Application.objects.get(pk=draft.pk).summary != "Changed after withdrawal"


SAVE_BUTTON = {"HX-Request": "true", "HX-Trigger-Name": "save"}


def test_save_draft_through_htmx_answers_as_the_plain_post_does(coordinator_client, demo, draft):
    """ "Save draft" sent by its button through htmx: a success sends the page to the saved
    draft (HX-Redirect, with its message); it is not taken for an autosave."""
    form = open_editor(coordinator_client, draft)
    add_rows(form, demo)
    response = coordinator_client.post(edit_url(draft), form.data(), headers=SAVE_BUTTON)
    assert response.status_code == 200
    assert response["HX-Redirect"] == edit_url(draft)
    assert "X-Autosave" not in response
    assert rows(draft)[1] == LINES
    assert "Your draft is saved." in text(coordinator_client.get(edit_url(draft)))


def test_a_refused_save_draft_through_htmx_answers_the_whole_page(
    coordinator_client, demo, draft, call
):
    form = open_editor(coordinator_client, draft)
    add_rows(form, demo)
    form[f"answer_{call.questions.get(kind=Question.Kind.NUMBER).pk}"] = "abc"
    with unchanged():
        response = coordinator_client.post(edit_url(draft), form.data(), headers=SAVE_BUTTON)
    assert response.status_code == 200
    assert response["X-Autosave"] == "refused"
    assert "HX-Redirect" not in response
    assert "Not saved. Please correct the following" in text(response)
    shown = PageForm(response.content.decode(), "application-form")
    assert shown.getlist("budget-2-label") == ["Meals"]


def test_save_draft_through_htmx_after_a_withdrawal_goes_to_the_application(
    coordinator, coordinator_client, draft
):
    form = open_editor(coordinator_client, draft)
    services.withdraw_application(actor=coordinator, application=draft)
    form["summary"] = "Changed after withdrawal"
    response = coordinator_client.post(edit_url(draft), form.data(), headers=SAVE_BUTTON)
    assert response["HX-Redirect"] == reverse("grants:application", args=[draft.pk])
    assert Application.objects.get(pk=draft.pk).summary != "Changed after withdrawal"
