"""The knowledge bank's pages through the test client: the search page (full page and htmx
fragment), a practice in the reader's language with its switch, the workflow pages, attachments,
publications, and "adopt this practice"."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safecities.charter.models import Goal
from safecities.plans import services as plan_services
from safecities.plans.models import ActionPlan, Measure
from safecities.practices import services
from safecities.practices.models import Practice, PracticeTranslation, Publication
from tests.practices.conftest import pdf, write_draft
from tests.utils import unchanged

LIST = reverse("practices:list")


def html(response) -> str:
    return response.content.decode()


# --- the search page ---------------------------------------------------------------------------


def test_the_bank_lists_every_public_practice_with_facets(client, demo):
    response = client.get(LIST)
    assert response.status_code == 200
    page = html(response)
    assert "Oslo snakker" in page or "Oslo talks" in page
    assert 'id="facet-goal"' in page and 'id="facet-language"' in page
    assert "Dialogkafé" not in page  # for members only


def test_the_facet_titles_are_in_the_readers_language_on_every_request(client, demo):
    english = html(client.get(LIST, HTTP_ACCEPT_LANGUAGE="en"))
    assert '<legend class="ds-label">Charter goal</legend>' in english
    norwegian = html(client.get(LIST, HTTP_ACCEPT_LANGUAGE="nb"))
    assert '<legend class="ds-label">Mål i charteret</legend>' in norwegian
    assert '<legend class="ds-label">Evidensnivå</legend>' in norwegian
    assert '<legend class="ds-label">Charter goal</legend>' not in norwegian


def test_a_swedish_search_finds_a_norwegian_practice_and_marks_the_match(client, demo):
    response = client.get(LIST, {"q": "förebyggande"})
    page = html(response)
    assert "<mark>" in page
    practice = Practice.objects.get(title="Forebygging av radikalisering i skolen")
    assert reverse("practices:detail", args=[practice.pk]) in page


def test_a_goal_filter_narrows_the_results(client, demo):
    everything = client.get(LIST, {"q": "förebyggande"}).context["result"].total
    families = client.get(LIST, {"q": "förebyggande", "goal": "strong-families"})
    result = families.context["result"]
    assert 0 < result.total < everything
    assert 'value="strong-families" id="f-goal-strong-families" checked' in html(families)


def test_the_htmx_request_gets_only_the_results(client, demo):
    response = client.get(LIST, {"q": "förebyggande"}, headers={"HX-Request": "true"})
    page = html(response)
    assert page.startswith('<div id="bank-live"')
    assert "<html" not in page


def test_sorting_by_date_and_paging_work_without_javascript(client, demo):
    response = client.get(LIST, {"sort": "date", "page": "2"})
    assert response.status_code == 200
    assert response.context["result"].page == 2
    assert "Previous" in html(response)


@pytest.mark.parametrize(
    ("params", "note"),
    [
        ({"q": "och i på"}, True),
        ({"q": "!!! ??? ..."}, True),
        ({"q": "x" * 5000}, True),
        ({"q": "<script>alert(1)</script>"}, False),
        ({"page": "not-a-number"}, False),
        ({"page": "-3"}, False),
        ({"sort": "'; drop table"}, False),
        ({"goal": "no-such-goal"}, False),
    ],
)
def test_bad_queries_give_a_message_or_an_empty_result_never_an_error(client, demo, params, note):
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html(response)
    result = response.context["result"]
    if note:
        assert result.message and not result.hits
        assert 'id="search-message"' in html(response)


def test_a_query_of_5000_characters_is_shortened_with_a_note(client, demo):
    result = client.get(LIST, {"q": "forebygging " * 500}).context["result"]
    assert result.query_too_long and result.message


# --- a practice --------------------------------------------------------------------------------


def test_the_detail_shows_the_readers_language_and_switches(client, demo):
    practice = Practice.objects.get(title="Oslo snakker")
    url = reverse("practices:detail", args=[practice.pk])
    english = html(client.get(url))
    assert "Oslo talks" in english and "Nordic Safe Cities (illustrative)" in english
    norwegian = html(client.get(url, {"lang": "nb"}))
    assert "<h1" in norwegian and "Oslo snakker</h1>" in norwegian
    assert "Original, written in Norsk bokmål." in norwegian
    swedish = html(client.get(url, {"lang": "sv"}))
    assert "Oslo pratar" in swedish and 'lang="sv"' in swedish
    assert "Illustrative example" in swedish
    unknown = client.get(url, {"lang": "xx"})
    assert unknown.status_code == 200


def test_the_detail_links_the_grant_and_the_adopting_measures(client_for, demo, coordinator):
    practice = Practice.objects.get(title="Oslo snakker")
    assert practice.grant is not None  # the demo's award of the same name
    plan = ActionPlan.objects.get(municipality=demo.oslo, status="adopted")
    measure = plan_services.adopt_practice(actor=coordinator, plan=plan, practice=practice)
    page = html(client_for(None).get(reverse("practices:detail", args=[practice.pk])))
    assert reverse("plans:measure", args=[measure.pk]) in page
    assert 'id="grant"' in page


def test_the_detail_links_the_events_where_it_was_presented_to_who_may_see_them(
    client_for, demo, member
):
    practice = Practice.objects.get(title="Oslo snakker")
    debate = practice.presented_at_events.get()  # the demo's closed "Oslo snakker" debate
    assert debate.public
    page = html(client_for(None).get(reverse("practices:detail", args=[practice.pk])))
    assert reverse("events:detail", args=[debate.pk]) in page
    api = client_for(None).get(reverse("api-1.0.0:practice", args=[practice.pk])).json()
    assert [e["id"] for e in api["events"]] == [debate.pk]
    # A members' event where it was presented too: members see it, visitors do not.
    debate.audience = "members"
    debate.save(update_fields=["audience"])
    path = reverse("practices:detail", args=[practice.pk])
    assert reverse("events:detail", args=[debate.pk]) not in html(client_for(None).get(path))
    assert reverse("events:detail", args=[debate.pk]) in html(client_for(member).get(path))
    api = client_for(None).get(reverse("api-1.0.0:practice", args=[practice.pk])).json()
    assert api["events"] == []


def test_members_only_and_drafts_are_not_found_by_others(client_for, demo, member, coordinator):
    members_only = Practice.objects.get(title="Dialogkafé for nye og gamle naboer")
    url = reverse("practices:detail", args=[members_only.pk])
    assert client_for(None).get(url).status_code == 404
    assert client_for(coordinator).get(url).status_code == 200
    draft = write_draft(member)
    url = reverse("practices:detail", args=[draft.pk])
    assert client_for(coordinator).get(url).status_code == 404
    assert client_for(member).get(url).status_code == 200


def test_an_attachment_is_served_only_to_who_may_read_the_practice(client_for, member):
    draft = write_draft(member)
    attachment = services.add_attachment(actor=member, practice=draft, title="R", file=pdf())
    url = reverse("practices:attachment", args=[attachment.pk])
    response = client_for(member).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client_for(None).get(url).status_code == 404
    assert "/media/" not in url


# --- the workflow pages ------------------------------------------------------------------------


def _form(**extra) -> dict:
    data = {
        "language": "sv",
        "title": "Grannsamtal i Borlänge",
        "summary": "Samtal mellan grannar.",
        "goals": [Goal.objects.get(code="safe-communities").pk],
        "activity": "ongoing",
        "evaluation_type": "none",
        "evidence_level": "described",
        "visibility": "public",
    }
    data.update(extra)
    return data


def test_a_member_proposes_edits_and_submits_a_practice(client_for, member):
    client = client_for(member)
    response = client.post(reverse("practices:create"), _form())
    practice = Practice.objects.get(title="Grannsamtal i Borlänge")
    assert response.status_code == 302 and practice.created_by == member
    response = client.post(
        reverse("practices:edit", args=[practice.pk]), _form(title="Grannsamtal")
    )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.title == "Grannsamtal"
    client.post(reverse("practices:submit", args=[practice.pk]))
    practice.refresh_from_db()
    assert practice.status == "submitted"
    assert client.get(reverse("practices:edit", args=[practice.pk])).status_code == 403


def test_a_bad_form_shows_the_error_and_saves_nothing(client_for, member):
    with unchanged():
        response = client_for(member).post(
            reverse("practices:create"), _form(goals=[], evaluation_link="ftp://x")
        )
    assert response.status_code == 200
    assert 'id="form-errors"' in html(response)


def test_a_translation_is_added_through_its_page(client_for, member, draft):
    response = client_for(member).post(
        reverse("practices:translate", args=[draft.pk]),
        {"language": "sv", "translator": "Anna", "title": "Grannmedling", "summary": "S."},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?lang=sv")
    assert PracticeTranslation.objects.get(practice=draft, language="sv").translator == "Anna"


def test_a_translation_is_edited_and_removed_after_a_confirmation(client_for, member, draft):
    client = client_for(member)
    client.post(
        reverse("practices:translate", args=[draft.pk]),
        {"language": "sv", "translator": "Anna", "title": "Grannmedling", "summary": "S."},
    )
    page = html(client.get(reverse("practices:detail", args=[draft.pk]) + "?lang=sv"))
    remove = reverse("practices:translation-remove", args=[draft.pk, "sv"])
    assert remove in page and "?lang=sv" in page
    form = client.get(reverse("practices:translate", args=[draft.pk]) + "?lang=sv")
    assert 'value="Grannmedling"' in html(form)
    # The first request only asks; the translation is still there.
    with unchanged():
        confirm = client.get(remove)
    assert confirm.status_code == 200 and "Grannmedling" in html(confirm)
    response = client.post(remove)
    assert response.status_code == 302
    assert not PracticeTranslation.objects.filter(practice=draft).exists()
    # No such translation any more: a 404, nothing changed.
    with unchanged():
        assert client.post(remove).status_code == 404


def test_the_attachment_page_takes_a_pdf(client_for, member, draft):
    response = client_for(member).post(
        reverse("practices:attach", args=[draft.pk]), {"title": "Report", "file": pdf()}
    )
    assert response.status_code == 302 and draft.attachments.count() == 1


def test_the_attachment_page_tells_its_limit_in_the_readers_language(client_for, member, draft):
    client = client_for(member)
    url = reverse("practices:attach", args=[draft.pk])
    assert "A PDF of at most " in html(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    norwegian = html(client.get(url, HTTP_ACCEPT_LANGUAGE="nb"))
    assert "En PDF-fil på høyst " in norwegian
    assert "A PDF of at most " not in norwegian


def test_the_attachment_page_refuses_what_is_not_a_pdf(client_for, member, draft):
    fake = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with unchanged():
        response = client_for(member).post(
            reverse("practices:attach", args=[draft.pk]), {"title": "Report", "file": fake}
        )
    assert response.status_code == 200 and "is not a PDF file" in html(response)


def test_an_oversized_attachment_gets_a_clear_message(client_for, member, draft, settings):
    settings.PRACTICE_ATTACHMENT_MAX_BYTES = 200
    with unchanged():
        response = client_for(member).post(
            reverse("practices:attach", args=[draft.pk]), {"title": "Big", "file": pdf()}
        )
    assert response.status_code == 200 and "the limit is" in html(response)


def test_the_secretariat_returns_and_publishes_through_the_review_page(
    client_for, member, secretariat, draft
):
    services.submit_practice(actor=member, practice=draft)
    client = client_for(secretariat)
    url = reverse("practices:review", args=[draft.pk])
    assert "Practices to review" in html(client.get(reverse("practices:queue")))
    with unchanged():
        page = html(client.get(url))
    assert "Publishing puts the practice in the knowledge bank" in page  # what each decision does
    response = client.post(url, {"decision": "return", "visibility": "public", "feedback": ""})
    assert response.status_code == 200 and 'id="form-errors"' in html(response)
    client.post(url, {"decision": "return", "visibility": "public", "feedback": "Add the cost."})
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.feedback == "Add the cost."
    assert "Add the cost." in html(
        client_for(member).get(reverse("practices:detail", args=[draft.pk]))
    )
    services.submit_practice(actor=member, practice=draft)
    client.post(url, {"decision": "publish", "visibility": "members", "feedback": ""})
    draft.refresh_from_db()
    assert (draft.status, draft.visibility) == ("published", "members")
    client.post(reverse("practices:unpublish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_publication_pages(client_for, secretariat, demo):
    client = client_for(secretariat)
    response = client.post(
        reverse("practices:publication-create"),
        {"title": "Rapport", "summary": "Om trygghet.", "year": 2024, "language": "sv",
         "file": pdf(), "public": "on"},
    )  # fmt: skip
    publication = Publication.objects.get(title="Rapport")
    assert response.status_code == 302
    anonymous = client_for(None)
    assert anonymous.get(reverse("practices:publication", args=[publication.pk])).status_code == 200
    file = anonymous.get(reverse("practices:publication-file", args=[publication.pk]))
    assert file.status_code == 200 and file["Content-Type"] == "application/pdf"
    client.post(reverse("practices:publication-delete", args=[publication.pk]))
    assert not Publication.objects.filter(pk=publication.pk).exists()


# --- adopt this practice -----------------------------------------------------------------------


def test_a_coordinator_adopts_a_practice_from_its_page(client_for, demo, coordinator):
    practice = Practice.objects.get(title="Forebygging av radikalisering i skolen")
    client = client_for(coordinator)
    page = html(client.get(reverse("practices:detail", args=[practice.pk])))
    assert 'id="adopt-link"' in page
    plan = ActionPlan.objects.get(municipality=demo.oslo, status="adopted")
    response = client.post(
        reverse("plans:adopt-practice", args=[practice.pk]), {"plan": plan.pk, "title": ""}
    )
    measure = Measure.objects.get(practice=practice)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:measure", args=[measure.pk])
    assert measure.plan == plan and measure.title == practice.title


def test_a_member_sees_no_adopt_form_and_may_not_post_it(client_for, demo, member):
    practice = Practice.objects.get(title="Oslo snakker")
    client = client_for(member)
    assert 'id="adopt-link"' not in html(
        client.get(reverse("practices:detail", args=[practice.pk]))
    )
    plan = ActionPlan.objects.get(municipality=demo.oslo, status="adopted")
    with unchanged():
        response = client.post(
            reverse("plans:adopt-practice", args=[practice.pk]), {"plan": plan.pk}
        )
    assert response.status_code == 403


def test_a_coordinator_cannot_adopt_into_a_plan_not_theirs(client_for, demo, coordinator):
    practice = Practice.objects.get(title="Oslo snakker")
    stockholm = ActionPlan.objects.get(municipality=demo.stockholm, status="adopted")
    with unchanged():
        response = client_for(coordinator).post(
            reverse("plans:adopt-practice", args=[practice.pk]), {"plan": stockholm.pk}
        )
    assert response.status_code == 200 and "Select a valid choice" in html(response)
    assert not Measure.objects.filter(practice=practice).exists()


def test_a_members_only_practice_adopted_into_a_plan_shows_its_text_to_no_visitor(
    client_for, demo, coordinator
):
    """A plan's measures are public; a members-only practice's text is not: adopting it copies
    none of its text, and asks the coordinator for a title of their own."""
    practice = Practice.objects.get(title="Dialogkafé for nye og gamle naboer")
    assert practice.visibility == "members" and practice.summary
    plan = ActionPlan.objects.get(municipality=demo.oslo, status="adopted")
    client = client_for(coordinator)
    url = reverse("plans:adopt-practice", args=[practice.pk])
    with unchanged():
        refused = client.post(url, {"plan": plan.pk, "title": ""})
    assert refused.status_code == 200 and "members only" in html(refused)
    response = client.post(url, {"plan": plan.pk, "title": "Neighbourhood dialogue evenings"})
    assert response.status_code == 302
    measure = Measure.objects.get(practice=practice)
    assert measure.title == "Neighbourhood dialogue evenings" and measure.description == ""
    for path in (
        reverse("plans:measure", args=[measure.pk]),
        reverse("plans:detail", args=[plan.pk]),
    ):
        page = client_for(None).get(path)
        assert page.status_code == 200, path
        assert practice.summary[:40] not in html(page), path
        assert practice.title not in html(page), path


def test_a_search_matching_more_than_the_bound_shows_at_least(client, many_matches, settings):
    page = html(client.get(reverse("practices:list"), {"q": "zebrafisk"}))
    assert "30 results" in page and "At least" not in page
    settings.SEARCH_BOUND = 21
    page = html(client.get(reverse("practices:list"), {"q": "zebrafisk"}))
    assert 'id="results-bounded"' in page and "At least 21 results" in page
    assert "at least 21)" in page  # the goal's count beside its checkbox
    assert "Page 1 of at least 2" in page
