"""The import wizard's service steps a person goes through: a row that restates what is stored
is counted unchanged and written nowhere; a draft is discarded with its file."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safecities.core.models import AuditEvent
from safecities.indicators import services
from safecities.indicators.models import Import, Observation, ObservationRevision
from tests.utils import stored_files, unchanged

FIRST = (
    "municipality_code;period;value;numerator;denominator;sample_size;status;note\n"
    "0301;2022;62.5;250;400;400;final;Ungdata 2022\n"
    "0301;2023;64;256;400;400;provisional;\n"
    "3301;2023;71;71;100;100;final;\n"
)
# The same figures written differently (decimal commas, trailing zeros, spaces around the
# note, another column order), and one figure that did change.
AGAIN = (
    "note;municipality_code;period;value;numerator;denominator;sample_size;status\n"
    "  Ungdata 2022 ;0301;2022;62,50;250,0;400;400;final\n"
    ";0301;2023;64,000;256;400;400;provisional\n"
    ";3301;2023;72;72;100;100;final\n"
)


def _upload(actor, indicator, text: str, name: str = "figures.csv") -> Import:
    return services.upload_import(
        actor, indicator=indicator, upload=SimpleUploadedFile(name, text.encode())
    )


def _committed(actor, indicator, text: str) -> Import:
    return services.commit_stored_import(_upload(actor, indicator, text), actor=actor)


def test_rows_that_restate_the_stored_figures_are_unchanged_and_written_nowhere(
    secretariat, share_indicator
):
    _committed(secretariat, share_indicator, FIRST)
    stored = {o.pk: (o.updated_at, o.source_import_id) for o in Observation.objects.all()}
    draft = _upload(secretariat, share_indicator, AGAIN)

    plan = services.preview_stored_import(draft, actor=secretariat)
    assert plan.errors == []
    assert {(c.place, c.period): c.action for c in plan.changes} == {
        ("0301", "2022"): "unchanged",
        ("0301", "2023"): "unchanged",
        ("3301", "2023"): "updated",
    }

    audited = AuditEvent.objects.count()
    second = services.commit_stored_import(draft, actor=secretariat)
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 1, 2)
    [revision] = ObservationRevision.objects.all()
    assert revision.value == Decimal(71) and revision.made_by_import == second
    for o in Observation.objects.select_related("municipality"):
        if o.municipality.code == "0301":  # the unchanged ones: not touched at all
            assert (o.updated_at, o.source_import_id) == stored[o.pk]
        else:
            assert o.source_import_id == second.pk and o.value == 72
    # one audit record: the commit, with its counts; nothing for the unchanged rows
    [event] = AuditEvent.objects.order_by("pk")[audited:]
    assert event.action == "indicators.import.commit"
    assert event.changes["unchanged"] == [None, 2] and event.changes["updated"] == [None, 1]


def test_an_import_that_changes_nothing_writes_no_figure(secretariat, share_indicator):
    _committed(secretariat, share_indicator, FIRST)
    before = {o.pk: (o.updated_at, o.source_import_id, o.value) for o in Observation.objects.all()}
    again = _committed(secretariat, share_indicator, FIRST.replace("62.5", "62,500"))
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert ObservationRevision.objects.count() == 0
    after = {o.pk: (o.updated_at, o.source_import_id, o.value) for o in Observation.objects.all()}
    assert after == before


def test_a_change_of_status_or_note_alone_is_an_update(secretariat, share_indicator):
    _committed(secretariat, share_indicator, FIRST)
    changed = FIRST.replace(
        "0301;2023;64;256;400;400;provisional;", "0301;2023;64;256;400;400;final;"
    )
    changed = changed.replace("Ungdata 2022", "Ungdata 2022, revised")
    plan = services.preview_stored_import(
        _upload(secretariat, share_indicator, changed), actor=secretariat
    )
    assert sorted(c.action for c in plan.changes) == ["unchanged", "updated", "updated"]


def test_discarding_a_draft_deletes_it_and_its_file_and_is_audited(
    secretariat, indicator, django_capture_on_commit_callbacks
):
    draft = _upload(secretariat, indicator, "municipality_code;period;value\n0301;2023;437\n")
    name = draft.file.name
    assert name in stored_files()
    with django_capture_on_commit_callbacks(execute=True):
        services.discard_import(draft, actor=secretariat)
    assert not Import.objects.filter(pk=draft.pk).exists()
    assert name not in stored_files()
    event = AuditEvent.objects.get(action="indicators.import.discard")
    assert event.changes == {"filename": ["figures.csv", None]}
    assert Observation.objects.count() == 0


def test_only_a_draft_is_discarded(secretariat, coordinator, indicator):
    committed = _committed(secretariat, indicator, "municipality_code;period;value\n0301;2023;9\n")
    with unchanged(), pytest.raises(services.ImportNotDraft):
        services.discard_import(committed, actor=secretariat)
    draft = _upload(secretariat, indicator, "municipality_code;period;value\n0301;2024;9\n")
    from safecities.core.errors import NotAllowed

    with unchanged(), pytest.raises(NotAllowed):
        services.discard_import(draft, actor=coordinator)
