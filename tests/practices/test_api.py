"""The knowledge bank in the API: search with the page's filters (each hit naming its language),
a practice with its translations and links, and proposing a draft with a member's token."""

import json

import pytest

from safecities.core.services import create_api_token
from safecities.practices.models import Practice
from tests.utils import unchanged

API = "/api/v1/practices"


def token(user) -> dict:
    return {"Authorization": f"Bearer {create_api_token(actor=user, name='Script')[1]}"}


def post(client, data: dict, headers: dict | None = None):
    return client.post(
        API, json.dumps(data), content_type="application/json", headers=headers or {}
    )


def test_search_across_languages_names_each_hits_language(client, demo):
    body = client.get(API, {"q": "förebyggande"}).json()
    assert body["total"] >= 2
    languages = {hit["language"] for hit in body["hits"]}
    assert languages & {"nb", "da"}
    assert all("<mark>" in hit["snippet"] or hit["title"] for hit in body["hits"])
    assert {f["value"] for f in body["facets"]["goal"]}


def test_search_filters_like_the_page(client, demo):
    everything = client.get(API, {"q": "förebyggande"}).json()["total"]
    body = client.get(API, {"q": "förebyggande", "goal": "strong-families", "country": "DK"}).json()
    assert 0 < body["total"] < everything
    for hit in body["hits"]:
        practice = Practice.objects.get(pk=hit["id"])
        assert practice.goals.filter(code="strong-families").exists()


def test_a_stop_word_query_gives_a_message_and_a_long_one_is_cut(client, demo):
    body = client.get(API, {"q": "och"}).json()
    assert body["hits"] == [] and body["message"]
    body = client.get(API, {"q": "a" * 5000}).json()
    assert body["query_too_long"] is True


def test_a_practice_with_its_translations_and_links(client, demo):
    practice = Practice.objects.get(title="Oslo snakker")
    body = client.get(f"{API}/{practice.pk}").json()
    assert body["language"] == "nb" and body["illustrative"] is True
    assert {t["language"]: t["translator"] for t in body["translations"]}["sv"]
    assert body["grant"] == practice.grant_id and body["grant"] is not None
    assert "oslo" in body["cities"] and "safe-communities" in body["goals"]


def test_a_members_only_practice_needs_a_token(client, demo, member):
    practice = Practice.objects.get(title="Dialogkafé for nye og gamle naboer")
    assert client.get(f"{API}/{practice.pk}").status_code == 404
    assert client.get(f"{API}/{practice.pk}", headers=token(member)).status_code == 200
    titles = {h["title"] for h in client.get(API, {"q": "dialogkafé"}).json()["hits"]}
    assert practice.title not in titles


def test_a_member_proposes_a_draft(client, demo, member):
    response = post(
        client,
        {
            "language": "da",
            "title": "Naboskab i Aarhus",
            "summary": "Naboer mødes.",
            "goals": ["safe-communities"],
            "target_groups": ["general-public"],
            "cities": ["copenhagen"],
        },
        token(member),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    practice = Practice.objects.get(pk=body["id"])
    assert practice.created_by == member
    assert client.get(f"{API}/{practice.pk}").status_code == 404  # drafts are not public


@pytest.mark.parametrize(
    ("data", "status", "field"),
    [
        ({"goals": ["no-such-goal"]}, 400, "goals"),
        ({"target_groups": ["school"]}, 400, "target_groups"),  # an arena, not a group
        ({"title": ""}, 400, "title"),
        ({"evidence_level": "proven"}, 400, "evidence_level"),
        ({"surprise": 1}, 422, "surprise"),
        ({"goals": "safe-communities"}, 422, "goals"),
    ],
)
def test_bad_submissions_name_the_field_and_change_nothing(
    client, demo, member, data, status, field
):
    payload = {"language": "da", "title": "T", "summary": "S", "goals": ["safe-communities"]}
    payload.update(data)
    headers = token(member)
    with unchanged():
        response = post(client, payload, headers)
    assert response.status_code == status, response.json()
    assert response.json()["field"] == field


def test_proposing_needs_a_token(client, demo):
    with unchanged():
        response = post(client, {"language": "da", "title": "T", "summary": "S", "goals": []})
    assert response.status_code == 401


def test_a_search_matching_more_than_the_bound_says_its_counts_are_lower_bounds(
    client, many_matches, settings, django_assert_num_queries
):
    exact = client.get(API, {"q": "zebrafisk"}).json()
    assert exact["counts_exact"] is True and exact["total"] == 30
    settings.SEARCH_BOUND = 21
    # The search statement, the hits' documents, their facets; no count over every match.
    with django_assert_num_queries(3):
        body = client.get(API, {"q": "zebrafisk"}).json()
    assert body["counts_exact"] is False
    assert 20 <= body["total"] < 30
    assert body["hits"] == exact["hits"]
    (goal,) = body["facets"]["goal"]
    assert goal["value"] == "safe-communities" and 20 <= goal["count"] < 30


def test_the_api_search_asks_three_queries_however_many_match(
    client, db, settings, django_assert_num_queries
):
    """Each practice matches in Norwegian; its English document (the reader's language) is
    looked for among the matches and does not match: the page is the best Norwegian ones."""
    from safecities.search import api as search

    settings.SEARCH_BOUND = 21
    for count in (30, 90):
        for n in range(count):
            pk = 800_000 + count * 1000 + n
            for language, body in (("nb", "zebrafisk " * (n % 30 + 1)), ("en", "zebra")):
                search.index(
                    "practice",
                    pk,
                    language=language,
                    title=f"Fisk {n}",
                    body=body,
                    url=f"/practices/{pk}/",
                    facets={"goal": ["safe-communities"]},
                    public=True,
                )
        # The search statement, the hits' documents, their facets.
        with django_assert_num_queries(3):
            body = client.get(API, {"q": "zebrafisk"}).json()
        assert body["counts_exact"] is False and len(body["hits"]) == 20
        assert {hit["language"] for hit in body["hits"]} == {"nb"}
