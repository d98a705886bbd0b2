"""The plans tests build their own plans, template and indicators."""

import pytest

from tests.utils import remove_demo_plans_and_indicators


@pytest.fixture(autouse=True)
def _without_the_demos_plans_and_indicators(request):
    """These tests build their own plans and indicators: the demo's are taken out first."""
    if {"db", "demo", "transactional_db"} & set(request.fixturenames):
        request.getfixturevalue("db")
        remove_demo_plans_and_indicators()
