"""Change requests through the services: who may ask and decide, the sums of a reallocation, the
dates of an extension, one open request per grant, and the change applied on approval."""

from datetime import date

import pytest

from safecities.core.errors import InvalidInput, NotAllowed
from safecities.core.models import AuditEvent, OwedMail
from safecities.grants import services
from safecities.grants.errors import (
    AgreementNotAccepted,
    BelowReportedSpending,
    ChangeAlreadyOpen,
    ReallocationUnbalanced,
)
from safecities.grants.models import ChangeRequest, GrantReport, ReportSpend
from safecities.grants.states import InvalidTransition
from tests.grants.agreement_helpers import accepted_award, awarded
from tests.grants.factories import accept_agreement, make_programme, nok
from tests.utils import unchanged

REALLOC = ChangeRequest.Kind.REALLOCATION
EXTENSION = ChangeRequest.Kind.EXTENSION


@pytest.fixture
def programme(demo, funder_officer):
    return make_programme(actor=funder_officer, funder=demo.funder)


@pytest.fixture
def people(demo, funder_officer, coordinator, reviewer, programme):
    return {
        "demo": demo,
        "officer": funder_officer,
        "coordinator": coordinator,
        "reviewer": reviewer,
        "programme": programme,
    }


@pytest.fixture
def award(people):
    return accepted_award(**people)


def lines_of(award) -> dict[str, int]:
    return {line.label: line.approved_minor for line in award.application.budget_lines.all()}


def ids(award) -> dict[str, int]:
    return {line.label: line.pk for line in award.application.budget_lines.all()}


def reallocate(award, actor, **amounts):
    by_label = ids(award)
    return services.request_change(
        actor=actor,
        award=award,
        kind=REALLOC,
        reason="Venues were lent for free; more facilitators instead.",
        lines={by_label[label]: nok(amount) for label, amount in amounts.items()},
    )


# --- a reallocation ---------------------------------------------------------------------------


def test_the_lead_requests_a_reallocation_and_the_runner_approves_it(award, people):
    coordinator, officer = people["coordinator"], people["officer"]
    change = reallocate(award, coordinator, Facilitators=80_000, Venues=20_000)
    assert change.status == ChangeRequest.Status.SUBMITTED
    assert change.lines == {
        str(ids(award)["Facilitators"]): 8_000_000,
        str(ids(award)["Venues"]): 2_000_000,
    }
    # nothing is applied before the decision
    assert lines_of(award) == {"Facilitators": 6_000_000, "Venues": 4_000_000}
    assert OwedMail.objects.filter(kind="grants.change_requested", args=[change.pk]).exists()

    services.approve_change(actor=officer, change=change, note="Fine.")
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPROVED
    assert change.decided_by == officer and change.decided_at is not None
    assert lines_of(award) == {"Facilitators": 8_000_000, "Venues": 2_000_000}
    event = AuditEvent.objects.filter(action="grants.change.approve").latest("pk")
    assert event.changes["approved_lines"] == [
        {"Facilitators": 6_000_000, "Venues": 4_000_000},
        {"Facilitators": 8_000_000, "Venues": 2_000_000},
    ]
    assert OwedMail.objects.filter(kind="grants.change_decided", args=[change.pk]).exists()


def test_lines_not_named_keep_their_amount(award, people):
    by_label = ids(award)
    with pytest.raises(ReallocationUnbalanced) as refused:
        services.request_change(
            actor=people["coordinator"],
            award=award,
            kind=REALLOC,
            reason="More facilitators.",
            lines={by_label["Facilitators"]: nok(70_000)},
        )
    # 70 000 + the venues' present 40 000
    assert "NOK\xa0110,000" in refused.value.message
    assert refused.value.field == "lines"


@pytest.mark.parametrize(
    ("amounts", "error", "field"),
    [
        ({"Facilitators": 70_000, "Venues": 40_000}, ReallocationUnbalanced, "lines"),
        ({"Facilitators": 50_000, "Venues": 40_000}, ReallocationUnbalanced, "lines"),
        ({"Facilitators": 110_000, "Venues": -10_000}, InvalidInput, "Venues"),
        ({"Facilitators": 60_000, "Venues": 40_000}, InvalidInput, "lines"),
    ],
    ids=["over the award", "under the award", "a negative line", "no change"],
)
def test_a_reallocation_keeps_the_award_whole_and_no_line_negative(
    award, people, amounts, error, field
):
    with unchanged(), pytest.raises(error) as refused:
        reallocate(award, people["coordinator"], **amounts)
    expected = f"line_{ids(award)[field]}" if field in ids(award) else field
    assert refused.value.field == expected


def _report_spending(award, people, **spent):
    """The interim report submitted by the lead, spending `spent` (label → NOK) per line."""
    services.submit_report(
        actor=people["coordinator"],
        report=award.reports.get(kind=GrantReport.Kind.INTERIM),
        narrative="Half the debates held.",
        results="",
        spends={pk: nok(spent.get(label, 0)) for label, pk in ids(award).items()},
    )


def test_a_saved_report_counts_only_once_submitted(award, people):
    report = award.reports.get(kind=GrantReport.Kind.INTERIM)
    services.save_report(
        actor=people["coordinator"],
        report=report,
        narrative="",
        results="",
        spent=None,
        spends={ids(award)["Venues"]: nok(30_000)},
    )
    assert ReportSpend.objects.filter(report=report).exists()
    # Not submitted: the reallocation may take the line below what the draft says.
    reallocate(award, people["coordinator"], Facilitators=75_000, Venues=25_000)


def test_a_line_never_goes_below_what_the_reports_say_was_spent(award, people):
    _report_spending(award, people, Venues=30_000)
    with pytest.raises(BelowReportedSpending) as refused:
        reallocate(award, people["coordinator"], Facilitators=75_000, Venues=25_000)
    assert refused.value.field == f"line_{ids(award)['Venues']}"
    assert "NOK\xa030,000" in refused.value.message
    # at the reported spending exactly is allowed
    reallocate(award, people["coordinator"], Facilitators=70_000, Venues=30_000)


def test_spending_reported_after_the_request_stops_its_approval(award, people):
    change = reallocate(award, people["coordinator"], Facilitators=90_000, Venues=10_000)
    _report_spending(award, people, Venues=15_000)
    with pytest.raises(BelowReportedSpending):
        services.approve_change(actor=people["officer"], change=change)
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.SUBMITTED
    assert lines_of(award) == {"Facilitators": 6_000_000, "Venues": 4_000_000}


def test_a_line_of_another_grant_is_refused(award, people):
    other = awarded(**people)
    foreign = other.application.budget_lines.first()
    with pytest.raises(InvalidInput) as refused:
        services.request_change(
            actor=people["coordinator"],
            award=award,
            kind=REALLOC,
            reason="Mixing grants.",
            lines={foreign.pk: nok(10)},
        )
    assert refused.value.field == "lines"


# --- an extension -----------------------------------------------------------------------------


def test_an_extension_moves_the_end_and_the_final_report_when_approved(award, people):
    change = services.request_change(
        actor=people["coordinator"],
        award=award,
        kind=EXTENSION,
        reason="The summer debates were postponed.",
        new_ends_on=date(2026, 8, 31),
        new_final_due_on=date(2026, 10, 31),
    )
    award.application.refresh_from_db()
    assert award.application.ends_on == date(2026, 2, 28)
    services.approve_change(actor=people["officer"], change=change)
    award.application.refresh_from_db()
    assert award.application.ends_on == date(2026, 8, 31)
    assert award.reports.get(kind=GrantReport.Kind.FINAL).due_on == date(2026, 10, 31)
    assert award.reports.get(kind=GrantReport.Kind.INTERIM).due_on == date(2025, 9, 1)
    event = AuditEvent.objects.filter(action="grants.change.approve").latest("pk")
    assert event.changes["ends_on"] == ["2026-02-28", "2026-08-31"]
    assert event.changes["final_report_due_on"] == ["2026-03-31", "2026-10-31"]


def test_an_extension_without_a_new_report_date_keeps_it(award, people):
    change = services.request_change(
        actor=people["coordinator"],
        award=award,
        kind=EXTENSION,
        reason="Later.",
        new_ends_on=date(2026, 3, 15),
    )
    services.approve_change(actor=people["officer"], change=change)
    assert award.reports.get(kind=GrantReport.Kind.FINAL).due_on == date(2026, 3, 31)


@pytest.mark.parametrize(
    ("ends_on", "final_due_on", "field"),
    [
        (None, None, "new_ends_on"),
        (date(2026, 2, 28), None, "new_ends_on"),  # the present end date
        (date(2025, 12, 31), None, "new_ends_on"),  # earlier
        (date(2026, 8, 31), date(2026, 8, 30), "new_final_due_on"),  # report before the end
    ],
)
def test_an_extension_ends_later_and_its_report_is_not_due_before_the_end(
    award, people, ends_on, final_due_on, field
):
    with unchanged(), pytest.raises(InvalidInput) as refused:
        services.request_change(
            actor=people["coordinator"],
            award=award,
            kind=EXTENSION,
            reason="Later.",
            new_ends_on=ends_on,
            new_final_due_on=final_due_on,
        )
    assert refused.value.field == field


def test_a_reason_is_required(award, people):
    with unchanged(), pytest.raises(InvalidInput) as refused:
        services.request_change(
            actor=people["coordinator"],
            award=award,
            kind=EXTENSION,
            reason="  ",
            new_ends_on=date(2026, 8, 31),
        )
    assert refused.value.field == "reason"


# --- when, and who ------------------------------------------------------------------------------


def test_one_open_request_per_grant(award, people):
    first = reallocate(award, people["coordinator"], Facilitators=80_000, Venues=20_000)
    with pytest.raises(ChangeAlreadyOpen):
        services.request_change(
            actor=people["coordinator"],
            award=award,
            kind=EXTENSION,
            reason="Later too.",
            new_ends_on=date(2026, 8, 31),
        )
    services.withdraw_change(actor=people["coordinator"], change=first)
    second = reallocate(award, people["coordinator"], Facilitators=70_000, Venues=30_000)
    services.decline_change(actor=people["officer"], change=second, note="Keep the venues.")
    reallocate(award, people["coordinator"], Facilitators=65_000, Venues=35_000)


def test_no_change_before_the_agreement_is_accepted_nor_after_closing(people):
    award = awarded(**people)
    with unchanged(), pytest.raises(AgreementNotAccepted):
        services.request_change(
            actor=people["coordinator"],
            award=award,
            kind=EXTENSION,
            reason="Later.",
            new_ends_on=date(2026, 8, 31),
        )
    accept_agreement(award, runner=people["officer"], lead=people["coordinator"])
    award.refresh_from_db()
    award.closed_at = award.decided_at
    award.save(update_fields=["closed_at"])
    with unchanged(), pytest.raises(AgreementNotAccepted):
        services.request_change(
            actor=people["coordinator"],
            award=award,
            kind=EXTENSION,
            reason="Later.",
            new_ends_on=date(2026, 8, 31),
        )


def test_only_the_lead_requests_and_withdraws_only_the_runner_decides(
    award, people, contact, secretariat
):
    for outsider in (people["officer"], contact, people["reviewer"]):
        with pytest.raises(NotAllowed):
            reallocate(award, outsider, Facilitators=80_000, Venues=20_000)
    change = reallocate(award, people["coordinator"], Facilitators=80_000, Venues=20_000)
    with pytest.raises(NotAllowed):
        services.approve_change(actor=people["coordinator"], change=change)
    with pytest.raises(NotAllowed):
        services.decline_change(actor=contact, change=change, note="No.")
    with pytest.raises(NotAllowed):
        services.withdraw_change(actor=people["officer"], change=change)
    # the secretariat runs every programme
    services.approve_change(actor=secretariat, change=change)


def test_declining_needs_a_note_and_changes_nothing(award, people):
    change = reallocate(award, people["coordinator"], Facilitators=80_000, Venues=20_000)
    with pytest.raises(InvalidInput) as refused:
        services.decline_change(actor=people["officer"], change=change, note=" ")
    assert refused.value.field == "note"
    services.decline_change(actor=people["officer"], change=change, note="Keep the venues.")
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.DECLINED
    assert change.decision_note == "Keep the venues."
    assert lines_of(award) == {"Facilitators": 6_000_000, "Venues": 4_000_000}
    assert OwedMail.objects.filter(kind="grants.change_decided", args=[change.pk]).exists()


def test_a_decided_or_withdrawn_request_is_final(award, people):
    change = reallocate(award, people["coordinator"], Facilitators=80_000, Venues=20_000)
    services.withdraw_change(actor=people["coordinator"], change=change)
    assert OwedMail.objects.filter(kind="grants.change_withdrawn", args=[change.pk]).exists()
    with pytest.raises(InvalidTransition):
        services.approve_change(actor=people["officer"], change=change)
    with pytest.raises(InvalidTransition):
        services.withdraw_change(actor=people["coordinator"], change=change)
    assert lines_of(award) == {"Facilitators": 6_000_000, "Venues": 4_000_000}
