"""The indicator pages on the demo's own figures: the plan link of a city with an adopted plan,
the small numbers the demo holds on purpose, and the bench's indicator pages on a database
without the bench's data."""

import pytest
from django.urls import reverse

from safecities.demo import bench, bench_indicators
from safecities.plans.selectors import adopted_plan


@pytest.mark.django_db
def test_a_city_with_an_adopted_plan_links_its_effect_page(client, demo):
    plan = adopted_plan(demo.oslo)
    assert plan is not None
    page = client.get(reverse("indicators:city", args=["oslo"])).getvalue().decode()
    assert f'href="{reverse("plans:effect", args=[plan.pk])}"' in page
    assert adopted_plan(demo.drammen) is None
    drammen = client.get(reverse("indicators:city", args=["drammen"])).getvalue().decode()
    assert 'id="plan-effect"' not in drammen


@pytest.mark.django_db
def test_skiens_first_dialogue_meetings_show_as_under_five(client, demo):
    # plans_data: Skien held 3 dialogue meetings in 2019.
    page = client.get(reverse("indicators:city", args=["skien"])).getvalue().decode()
    assert '<th scope="row">2019</th><td class="sc-chart__number">&lt;5</td>' in page
    rows = client.get(reverse("indicators:city-csv", args=["skien"])).getvalue().decode()
    line = "dialogue-meetings,Dialogue meetings held,output,strong-youth-engagement,observation"
    assert f"{line},2019,<5,final" in rows
    detail = (
        client.get(reverse("indicators:detail", args=["dialogue-meetings"]), {"cities": ["skien"]})
        .getvalue()
        .decode()
    )
    assert '<td class="sc-chart__number">&lt;5</td>' in detail


@pytest.mark.django_db
def test_the_bench_pages_fall_back_to_the_demos_busiest_city(client, demo):
    paths = bench_indicators.page_paths()
    # Oslo has the most observations (its district's too); its first indicator by code.
    assert paths == {"indicator_city": "oslo", "indicator": "dialogue-meetings"}
    for page in bench.PAGES:
        if page.label in ("city indicator dashboard", "indicator page"):
            assert client.get(page.path.format(**paths)).status_code == 200
