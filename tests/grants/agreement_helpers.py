"""Grants whose agreement the grantee accepted, for the change request tests.

`accept_agreement` stands in for the agreement's own services (drafting, sending, accepting),
built beside these tests: it is the one place to swap for them."""

from datetime import date

from django.utils import timezone

from safecities.grants import services, states
from safecities.grants.models import Agreement, Award
from tests.grants.factories import finish_review, make_application, make_open_call, nok

LINES = [("Facilitators", 60_000), ("Venues", 40_000)]


def accept_agreement(award: Award, *, by, approved: dict[str, int] | None = None) -> Agreement:
    """Approve the award's budget lines (`approved`: label → amount in major units; by default
    what was asked for) and move its agreement from draft through sent to accepted by `by`."""
    approved = approved or {}
    for line in award.application.budget_lines.all():
        amount = approved.get(line.label)
        line.approved_minor = line.amount_minor if amount is None else amount * 100
        line.save(update_fields=["approved_minor"])
    agreement, _created = Agreement.objects.get_or_create(award=award)
    now = timezone.now()
    states.AGREEMENT.move(agreement, Agreement.Status.SENT)
    agreement.sent_at = now
    states.AGREEMENT.move(agreement, Agreement.Status.ACCEPTED)
    agreement.accepted_at, agreement.accepted_by = now, by
    agreement.save()
    return agreement


def awarded(
    *, demo, officer, coordinator, reviewer, programme, lines=LINES, ends_on=date(2026, 2, 28)
) -> Award:
    """A grant of NOK 100 000 to Oslo (two budget lines by default) with an interim report due
    2025-09-01 and the final report 2026-03-31; its agreement not yet drafted."""
    call = make_open_call(actor=officer, programme=programme)
    total = sum(amount for _label, amount in lines)
    application = make_application(
        actor=coordinator,
        call=call,
        requested=nok(total),
        lead_municipality=demo.oslo,
        budget_lines=[(label, nok(amount)) for label, amount in lines],
        ends_on=ends_on,
    )
    application = services.submit_application(actor=coordinator, application=application)
    finish_review(application, actor=officer, reviewer=reviewer)
    return services.award_grant(
        application=application,
        amount=nok(total),
        conditions="",
        actor=officer,
        reports=[("interim", date(2025, 9, 1)), ("final", date(2026, 3, 31))],
    )


def accepted_award(*, demo, officer, coordinator, reviewer, programme, **kw) -> Award:
    award = awarded(
        demo=demo,
        officer=officer,
        coordinator=coordinator,
        reviewer=reviewer,
        programme=programme,
        **kw,
    )
    accept_agreement(award, by=coordinator)
    return Award.objects.get(pk=award.pk)
