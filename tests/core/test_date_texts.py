"""Dates and moments are written once per language and kept (`core.dates`): the kept text
must be what Django's `date_format` writes, in every language and zone, and a moment must
never be taken for the same instant in another zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import engines
from django.test import override_settings
from django.utils import formats, timezone, translation

from safecities.core import dates

OSLO, REYKJAVIK = ZoneInfo("Europe/Oslo"), ZoneInfo("Atlantic/Reykjavik")
INSTANT = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 01:30 in Oslo, 00:30 in Reykjavik


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_kept_texts_are_djangos_in_every_language(language):
    with translation.override(language):
        for month in range(1, 13):
            day = date(2026, month, 7)
            assert dates.day(day) == formats.date_format(day, "DATE_FORMAT")
            moment = datetime(2026, month, 7, 18, 5, tzinfo=OSLO)
            assert dates.moment(moment) == formats.date_format(moment, "DATETIME_FORMAT")
            assert dates.day(moment) == formats.date_format(moment.date(), "DATE_FORMAT")


def test_the_same_instant_in_two_zones_keeps_two_texts():
    template = engines["django"].from_string(
        "{% load core tz %}{{ t|moment }}|{% timezone 'Atlantic/Reykjavik' %}{{ t|moment }}"
        "{% endtimezone %}|{{ t|timezone:'Europe/Oslo'|moment }}"
    )
    with translation.override("en"), timezone.override(REYKJAVIK):
        shown = template.render({"t": INSTANT})
    assert shown == "29 March 2026, 00:30|29 March 2026, 00:30|29 March 2026, 01:30"
    with translation.override("en"), timezone.override(OSLO):
        assert template.render({"t": INSTANT}).startswith("29 March 2026, 01:30|")


def test_a_changed_format_is_followed():
    day = date(2026, 12, 7)
    with translation.override("en"):
        assert dates.day(day) == "7 December 2026"
        with override_settings(FORMAT_MODULE_PATH=None, DATE_FORMAT="Y-m-d"):
            assert dates.day(day) == formats.date_format(day, "DATE_FORMAT")
        assert dates.day(day) == "7 December 2026"
