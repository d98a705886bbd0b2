"""The demo's synthetic indicators and the cities' action plans, written through the services."""

import pytest

from safecities.demo.loader import Loader
from safecities.grants.models import Award
from safecities.indicators import suppression
from safecities.indicators.models import (
    Baseline,
    Import,
    Indicator,
    Observation,
    ObservationRevision,
    Target,
)
from safecities.plans import selectors
from safecities.plans.models import (
    ActionPlan,
    Measure,
    MeasureIndicator,
    PlanSection,
    ProgressUpdate,
    TemplateSection,
)

pytestmark = pytest.mark.django_db

CODES = [
    "dialogue-meetings",
    "hate-crime-rate",
    "people-reached",
    "safe-at-night",
    "trust-in-municipality",
]
CITIES = ["kristiansand", "oslo", "skien", "stavanger", "stockholm"]
DEMO_MODELS = [
    Indicator, Import, Observation, ObservationRevision, Baseline, Target, TemplateSection,
    ActionPlan, PlanSection, Measure, ProgressUpdate, MeasureIndicator,
]  # fmt: skip


def test_the_indicators_are_labelled_synthetic_in_every_language(demo):
    indicators = {i.code: i for i in Indicator.objects.select_related("goal")}
    assert set(CODES) <= set(indicators)
    for code in CODES:
        indicator = indicators[code]
        assert set(indicator.name) == set(indicator.description) == {"en", "nb", "sv"}
        assert "Synthetic demo figures" in indicator.description["en"]
        assert "Syntetiske demotall" in indicator.description["nb"]
        assert "Syntetiska demosiffror" in indicator.description["sv"]
        assert indicator.goal is not None
    assert (indicators["safe-at-night"].kind, indicators["safe-at-night"].better) == (
        "outcome",
        "higher",
    )
    assert indicators["hate-crime-rate"].unit_type == "rate_100k"
    assert indicators["hate-crime-rate"].better == "lower"
    assert indicators["dialogue-meetings"].kind == "output"
    assert Import.objects.filter(indicator__code__in=CODES, format="csv").count() == len(CODES)


def test_every_city_has_a_series_final_then_provisional(demo):
    for code in CODES:
        observed = Observation.objects.filter(indicator__code=code)
        assert set(observed.values_list("municipality__slug", flat=True)) == set(CITIES)
    oslo = Observation.objects.filter(indicator__code="safe-at-night", municipality__slug="oslo")
    assert list(oslo.filter(district="").values_list("period", flat=True)) == [
        str(year) for year in range(2019, 2026)
    ]
    assert oslo.filter(district="Grünerløkka").count() == 7
    assert set(oslo.exclude(period="2025").values_list("status", flat=True)) == {"final"}
    assert set(oslo.filter(period="2025").values_list("status", flat=True)) == {"provisional"}
    assert all(o.note == "Synthetic demo figure." for o in oslo)


def test_small_numbers_are_suppressed(demo):
    meetings = Observation.objects.get(
        indicator__code="dialogue-meetings", municipality__slug="skien", period="2019"
    )
    assert meetings.value == 3
    assert suppression.is_suppressed(meetings)
    assert suppression.display_value(meetings) == "<5"
    hate = Observation.objects.get(
        indicator__code="hate-crime-rate", district="Grünerløkka", period="2021"
    )
    assert hate.numerator == 4 and suppression.is_suppressed(hate)
    assert suppression.display_value(hate) is None
    whole_city = Observation.objects.get(
        indicator__code="hate-crime-rate", municipality__slug="oslo", district="", period="2021"
    )
    assert not suppression.is_suppressed(whole_city)


def test_cities_with_a_plan_have_baselines_and_targets(demo):
    for slug in ("oslo", "stockholm", "kristiansand"):
        assert Baseline.objects.filter(municipality__slug=slug, indicator__code="safe-at-night")
        assert Target.objects.filter(
            municipality__slug=slug, indicator__code="safe-at-night", period="2026"
        )
    baseline = Baseline.objects.get(municipality__slug="oslo", indicator__code="safe-at-night")
    first = Observation.objects.get(
        indicator__code="safe-at-night", municipality__slug="oslo", district="", period="2019"
    )
    assert (baseline.period, baseline.value) == ("2019", first.value)


def test_the_template_has_a_section_per_goal_in_three_languages(demo):
    sections = list(TemplateSection.objects.all())
    assert len(sections) == 6
    for section in sections:
        assert set(section.heading) == set(section.guidance) == {"en", "nb", "sv"}


def test_oslo_and_stockholm_adopted_kristiansand_drafting(demo):
    plans = {p.municipality.slug: p for p in ActionPlan.objects.select_related("municipality")}
    assert {slug: p.status for slug, p in plans.items()} == {
        "oslo": "adopted",
        "stockholm": "adopted",
        "kristiansand": "draft",
    }
    oslo = plans["oslo"]
    assert oslo.case_number and oslo.adopted_by_body and oslo.adopted_on
    assert oslo.document.name.endswith(".pdf")
    assert oslo.sections.count() == 6
    for plan in plans.values():
        assert 2 <= plan.measures.count() <= 4
        assert all(m.goals.exists() and m.budget for m in plan.measures.all())
    assert {m.currency for m in plans["stockholm"].measures.all()} == {"SEK"}
    assert ProgressUpdate.objects.filter(measure__plan=oslo).exists()
    assert plans["oslo"].measures.filter(status="done").exists()


def test_oslo_snakker_is_funded_by_its_grant(demo):
    award = Award.objects.get(application__title="Oslo snakker")
    measure = Measure.objects.get(title="Oslo snakker")
    assert measure.plan.municipality == demo.oslo
    assert measure.grant == award
    links = {(link.indicator.code, link.role, link.direction) for link in measure.indicators.all()}
    assert ("trust-in-municipality", "outcome", "increase") in links
    assert ("dialogue-meetings", "output", "increase") in links


def test_the_effect_page_names_the_measure_without_an_outcome(demo):
    plan = ActionPlan.objects.get(municipality=demo.oslo, status="adopted")
    effect = selectors.effect(plan)
    assert [m.title for m in effect.measures_without_outcome] == ["Dialoggrupper i ungdomsskolen"]
    assert effect.indicators_without_baseline == []
    stockholm = selectors.effect(ActionPlan.objects.get(municipality=demo.stockholm))
    assert [i.code for i in stockholm.indicators_without_target] == ["trust-in-municipality"]


def test_loading_the_demo_again_adds_nothing(demo):
    before = {model: model.objects.count() for model in DEMO_MODELS}
    assert Loader().run() == 0
    assert {model: model.objects.count() for model in DEMO_MODELS} == before
