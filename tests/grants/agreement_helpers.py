"""Grants whose agreement the grantee accepted, for the change request tests."""

from datetime import date

from safecities.grants import services
from safecities.grants.models import Award
from tests.grants.factories import (
    accept_agreement,
    finish_review,
    make_application,
    make_open_call,
    nok,
)

LINES = [("Facilitators", 60_000), ("Venues", 40_000)]


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
    accept_agreement(award, runner=officer, lead=coordinator)
    return Award.objects.get(pk=award.pk)
