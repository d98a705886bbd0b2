"""Indicators made through the real service, as the secretariat defines them."""

import pytest

from safecities.indicators import services
from tests.utils import remove_demo_plans_and_indicators


def make_indicator(actor, **overrides):
    values = {
        "code": "hate-crime-reports",
        "name": {"en": "Hate crime reported to the police", "nb": "Anmeldt hatkriminalitet"},
        "description": {"en": "Reports of hate crime, per year."},
        "kind": "outcome",
        "unit_type": "count",
        "better": "lower",
        "source": "police",
        "period_type": "year",
    }
    values.update(overrides)
    return services.create_indicator(actor=actor, **values)


@pytest.fixture
def indicator(secretariat):
    """A yearly count (lower is better)."""
    return make_indicator(secretariat)


@pytest.fixture
def share_indicator(secretariat):
    """A yearly percentage built on a numerator (young people who feel safe)."""
    return make_indicator(
        secretariat,
        code="youth-feel-safe",
        name={"en": "Young people who feel safe in their neighbourhood"},
        description={"en": "Share of pupils in Ungdata answering they feel safe."},
        unit_type="percentage",
        better="higher",
        source="ungdata",
    )


@pytest.fixture(autouse=True)
def _without_the_demos_plans_and_indicators(request):
    """These tests build their own plans and indicators: the demo's are taken out first."""
    if {"db", "demo", "transactional_db"} & set(request.fixturenames):
        request.getfixturevalue("db")
        remove_demo_plans_and_indicators()
