# ruff: noqa: F811 - the fixtures imported from test_views_applications are named as arguments
"""An application names the indicators its project expects to move: chosen in the draft form,
kept when a save fails, shown on the application page, in the version submitted, in the API;
the demo's applications name some."""

import json
import re

import pytest
from django.urls import reverse

from safecities.grants import services
from safecities.grants.models import Application
from safecities.indicators.models import Indicator
from tests.grants.factories import make_application, nok
from tests.grants.test_api import API, patch, token
from tests.grants.test_views_applications import (  # noqa: F401 - fixtures
    call,
    draft,
    edit_payload,
    edit_url,
    plain_call,
    programme,
)


@pytest.fixture
def two(demo):
    return list(Indicator.objects.filter(code__in=["safe-at-night", "people-reached"]))


def test_the_draft_form_names_indicators_and_the_page_shows_them(
    draft, call, two, coordinator_client
):
    response = coordinator_client.post(
        edit_url(draft), edit_payload(call, indicators=[i.pk for i in two])
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    assert set(draft.indicators.all()) == set(two)
    form = coordinator_client.get(edit_url(draft)).context["form"]
    assert sorted(int(pk) for pk in form["indicators"].value()) == sorted(i.pk for i in two)
    page = coordinator_client.get(reverse("grants:application", args=[draft.pk])).content.decode()
    section = page.split('id="indicators"')[1].split("</ul>")[0]
    for indicator in two:
        assert str(indicator) in section


def test_a_failed_save_keeps_the_indicators_chosen(draft, call, two, coordinator_client):
    data = edit_payload(call, indicators=[i.pk for i in two], ends_on="2020-01-01")
    response = coordinator_client.post(edit_url(draft), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert sorted(int(pk) for pk in form["indicators"].value()) == sorted(i.pk for i in two)
    assert not draft.indicators.exists()


def test_the_submitted_version_holds_the_indicators(demo, plain_call, two, coordinator):
    application = make_application(
        actor=coordinator, call=plain_call, requested=nok(150_000), lead_municipality=demo.oslo
    )
    services.update_application(actor=coordinator, application=application, indicators=two)
    services.submit_application(actor=coordinator, application=application)
    version = application.versions.order_by("-number").first()
    assert sorted(version.data["indicators"]) == sorted(str(i) for i in two)


def test_the_api_gives_and_takes_the_indicators_by_code(client, draft, two, coordinator):
    headers = token(coordinator)
    url = f"{API}/applications/{draft.pk}"
    response = patch(client, url, {"indicators": [i.code for i in two]}, headers=headers)
    assert response.status_code == 200, response.getvalue()
    assert sorted(response.json()["indicators"]) == sorted(i.code for i in two)
    body = json.loads(client.get(url, headers=headers).content)
    assert sorted(body["indicators"]) == sorted(i.code for i in two)
    refused = patch(client, url, {"indicators": ["no-such"]}, headers=headers)
    assert refused.status_code == 400


def test_the_demo_applications_name_indicators(demo):
    named = Application.objects.get(title="Dialogue cafés").indicators.all()
    assert {i.code for i in named} == {"trust-in-municipality", "dialogue-meetings"}


def test_many_indicators_are_one_list_narrowed_by_typing(draft, secretariat, coordinator_client):
    from tests.indicators.conftest import make_indicator

    for n in range(13):
        make_indicator(secretariat, code=f"extra-{n}", name={"en": f"Extra indicator {n}"})
    page = coordinator_client.get(edit_url(draft)).content.decode()
    select = re.search(r'<select[^>]*name="indicators"[^>]*>', page).group(0)
    assert "multiple" in select and 'data-search-label="Find an indicator' in select
    assert "Extra indicator 12" in page
