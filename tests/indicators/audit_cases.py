"""Audit cases for the indicators services, merged into the table of tests/core/test_audit.py.

Each case acts as the secretariat on an indicator of its own, through the real services:
(prepare(demo) -> object or None, act(demo, prepared), expected audit action, names of the
fields the action changes).
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from safecities.indicators import computed, services
from safecities.network.models import Municipality

INDICATORS_SERVICES_MODULE = services
# Public functions of the indicators services that only read.
INDICATORS_READS: set[str] = {
    "safecities.indicators.services.preview_import",
    # the import wizard's reads of a stored file
    "safecities.indicators.services.preview_stored_import",
}

CSV = "municipality_code,period,value\n0301,2024,12\n1103,2024,7\n"


def _secretariat(demo):
    return demo.users["secretariat"]


def _indicator(demo):
    return services.create_indicator(
        actor=_secretariat(demo),
        code="audited-indicator",
        name={"en": "Audited indicator"},
        description={"en": "Counted for the audit test."},
        kind="output",
        unit_type="count",
        better="higher",
        source="city_survey",
        period_type="year",
    )


def _oslo():
    return Municipality.objects.get(slug="oslo")


def _observed(demo):
    indicator = _indicator(demo)
    services.record_observation(
        actor=_secretariat(demo),
        indicator=indicator,
        municipality=_oslo(),
        period="2024",
        value=Decimal(10),
    )
    return indicator


def _imported(demo):
    indicator = _indicator(demo)
    return services.commit_import(
        _secretariat(demo),
        indicator=indicator,
        rows=services.rows_from_csv(CSV, country="NO"),
        format="csv",
        filename="audited.csv",
    )


SSB = (Path(__file__).parent / "fixtures" / "ssb_kriminalitet.json").read_bytes()


def _draft(demo, name="audited.csv", content: bytes | None = None):
    return services.upload_import(
        _secretariat(demo),
        indicator=_indicator(demo),
        upload=SimpleUploadedFile(name, CSV.encode() if content is None else content),
        country="NO",
    )


def _queued(demo):
    draft = _draft(demo)
    type(draft).objects.filter(pk=draft.pk).update(status="queued")
    return draft


def _running_long_ago(demo):
    draft = _draft(demo)
    long_ago = timezone.now() - timedelta(days=1)
    type(draft).objects.filter(pk=draft.pk).update(status="running", progressed_at=long_ago)
    draft.refresh_from_db()
    return draft


def _map(demo, draft):
    return services.map_import(
        draft,
        actor=_secretariat(demo),
        dataset=0,
        geo_dimension="Region",
        time_dimension="Tid",
        fixed={"ContentsCode": "Hatkrim"},
        country="NO",
    )


def _refresh_computed(demo, _prepared):
    """A provider counting 3 for Oslo in 2024, registered for the time of the refresh."""
    code = "audited-computed"
    computed.register(
        code,
        lambda years: [(_oslo(), 2024, 3)],
        definition={
            "name": {"en": "Audited computed indicator"},
            "description": {"en": "Counted for the audit test."},
            "kind": "output",
            "unit_type": "count",
            "better": "higher",
        },
    )
    try:
        return services.refresh_computed(code, actor=_secretariat(demo))
    finally:
        computed.unregister(code)


INDICATORS_CASES = {
    "safecities.indicators.services.fail_if_stalled": (
        _running_long_ago,
        lambda d, import_: services.fail_if_stalled(import_),
        "indicators.import.stalled",
        {"status"},
    ),
    "safecities.indicators.services.refresh_computed": (
        None,
        _refresh_computed,
        "indicators.computed.refresh",
        {"2024"},
    ),
    "safecities.indicators.services.upload_import": (
        None,
        lambda d, _: _draft(d),
        "indicators.import.upload",
        {"indicator", "format", "filename"},
    ),
    "safecities.indicators.services.map_import": (
        lambda d: _draft(d, "08487.json", SSB),
        _map,
        "indicators.import.map",
        {"mapping"},
    ),
    "safecities.indicators.services.commit_stored_import": (
        _draft,
        lambda d, draft: services.commit_stored_import(draft, actor=_secretariat(d)),
        "indicators.import.commit",
        {"indicator", "format", "filename"},
    ),
    "safecities.indicators.services.discard_import": (
        _draft,
        lambda d, draft: services.discard_import(draft, actor=_secretariat(d)),
        "indicators.import.discard",
        {"filename"},
    ),
    "safecities.indicators.services.run_import": (
        _queued,
        lambda d, queued: services.run_import(queued.pk),
        "indicators.import.commit",
        {"indicator", "format", "filename"},
    ),
    "safecities.indicators.services.create_indicator": (
        None,
        lambda d, _: _indicator(d),
        "indicators.indicator.create",
        {"code", "name", "kind"},
    ),
    "safecities.indicators.services.update_indicator": (
        _indicator,
        lambda d, i: services.update_indicator(
            i, actor=_secretariat(d), changes={"name": {"en": "Renamed indicator"}}
        ),
        "indicators.indicator.update",
        {"name"},
    ),
    "safecities.indicators.services.record_observation": (
        _observed,
        lambda d, i: services.record_observation(
            actor=_secretariat(d),
            indicator=i,
            municipality=_oslo(),
            period="2024",
            value=Decimal(11),
        ),
        "indicators.observation.update",
        {"value"},
    ),
    "safecities.indicators.services.set_baseline": (
        _indicator,
        lambda d, i: services.set_baseline(
            actor=_secretariat(d),
            municipality=_oslo(),
            indicator=i,
            period="2020",
            value=Decimal(8),
        ),
        "indicators.baseline.set",
        {"period", "value"},
    ),
    "safecities.indicators.services.set_target": (
        _indicator,
        lambda d, i: services.set_target(
            actor=_secretariat(d),
            municipality=_oslo(),
            indicator=i,
            period="2028",
            value=Decimal(20),
        ),
        "indicators.target.set",
        {"period", "value"},
    ),
    "safecities.indicators.services.commit_import": (
        None,
        lambda d, _: _imported(d),
        "indicators.import.commit",
        {"indicator", "format", "filename"},
    ),
    "safecities.indicators.services.undo_import": (
        _imported,
        lambda d, imp: services.undo_import(imp, actor=_secretariat(d)),
        "indicators.import.undo",
        {"deleted"},
    ),
}
