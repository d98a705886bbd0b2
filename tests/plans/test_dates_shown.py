"""A date is written one way per language on every page: a plan's adoption date reads the same
on the list of plans (a table, once in the short style) and on the plan's own page, in English
and in Norwegian Bokmål."""

from datetime import date

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from tests.plans.factories import adopt, make_plan


@pytest.mark.parametrize(("language", "shown"), [("en", "4 March 2025"), ("nb", "4. mars 2025")])
def test_a_date_reads_the_same_on_two_pages(client, demo, coordinator, language, shown):
    plan = make_plan(actor=coordinator, municipality=demo.oslo, title="Oslo plan 2025–2028")
    adopt(actor=coordinator, plan=plan, adopted_on=date(2025, 3, 4))
    headers = {"Accept-Language": language}
    with translation.override(language):  # and the test's own language is restored after
        listed = client.get(reverse("plans:list"), headers=headers).content.decode()
        detail = client.get(reverse("plans:detail", args=[plan.pk]), headers=headers)
        detail = detail.content.decode()
    assert f'<html lang="{language}"' in listed
    assert shown in listed
    assert shown in detail
    assert "2025-03-04" not in listed + detail and "04.03.2025" not in listed + detail


def test_a_moment_is_shown_in_the_languages_date_and_time_format():
    moment = timezone.make_aware(timezone.datetime(2026, 12, 7, 9, 5))
    template = Template("{% load core %}{{ moment|moment }} / {{ moment|day }} / {{ none|day }}.")
    with translation.override("nb"), timezone.override("Europe/Oslo"):
        assert (
            template.render(Context({"moment": moment}))
            == "7. desember 2026 09:05 / 7. desember 2026 / ."
        )
    with translation.override("en"), timezone.override("Europe/Oslo"):
        assert (
            template.render(Context({"moment": moment}))
            == "7 December 2026, 09:05 / 7 December 2026 / ."
        )
