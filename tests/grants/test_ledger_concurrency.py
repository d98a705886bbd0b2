"""Many decision-makers at once: the ledger still never lets awards exceed the budget.

Each thread is its own database connection, committing for real (transaction=True), so the
services' locks are what keeps the sums right: the programme row on PostgreSQL, IMMEDIATE
transactions on SQLite.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from safecities.grants import services
from safecities.grants.models import Application, Award, Payment
from safecities.grants.selectors import programme_ledger
from tests.grants.factories import (
    finish_review,
    make_open_call,
    make_programme,
    nok,
    submitted_application,
)

pytestmark = pytest.mark.django_db(transaction=True)


def run_at_once(work, arguments) -> list:
    """Run `work(argument)` in one thread per argument, all released together.

    Returns what each returned or raised, in the order of `arguments`.
    """
    barrier = threading.Barrier(len(arguments))
    outcomes = [None] * len(arguments)

    def run(index, argument):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = work(argument)
        except Exception as exc:  # noqa: BLE001 — the outcome under test
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(arguments)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_concurrent_awards_never_exceed_the_budget(demo, funder_officer, coordinator, reviewer):
    programme = make_programme(actor=funder_officer, funder=demo.funder, budget=nok(100_000))
    call = make_open_call(actor=funder_officer, programme=programme)
    applications = [
        submitted_application(
            actor=coordinator, call=call, requested=nok(15_000), lead_municipality=demo.oslo
        )
        for _ in range(12)
    ]
    for application in applications:
        finish_review(application, actor=funder_officer, reviewer=reviewer)

    outcomes = run_at_once(
        lambda application: services.award_grant(
            application=application, amount=nok(15_000), actor=funder_officer
        ),
        applications,
    )

    awards = [o for o in outcomes if isinstance(o, Award)]
    refusals = [o for o in outcomes if isinstance(o, services.BudgetExceeded)]
    assert (len(awards), len(refusals)) == (6, 6), outcomes
    ledger = programme_ledger(programme)
    assert ledger["awarded"] == nok(90_000)
    assert ledger["remaining"] == nok(10_000)
    rows = Award.objects.filter(application__call__programme=programme)
    assert rows.count() == 6
    assert sum(a.amount_minor for a in rows) == ledger["awarded"].minor_units
    statuses = sorted(Application.objects.filter(call=call).values_list("status", flat=True))
    assert statuses == ["awarded"] * 6 + ["submitted"] * 6


def test_concurrent_payments_never_exceed_the_award(demo, funder_officer, coordinator, reviewer):
    programme = make_programme(actor=funder_officer, funder=demo.funder, budget=nok(100_000))
    call = make_open_call(actor=funder_officer, programme=programme)
    application = submitted_application(
        actor=coordinator, call=call, requested=nok(100_000), lead_municipality=demo.oslo
    )
    finish_review(application, actor=funder_officer, reviewer=reviewer)
    award = services.award_grant(application=application, amount=nok(100_000), actor=funder_officer)

    outcomes = run_at_once(
        lambda day: services.schedule_payment(
            award=award, amount=nok(30_000), due_on=day, actor=funder_officer
        ),
        [award.decided_at.date()] * 8,
    )

    payments = [o for o in outcomes if isinstance(o, Payment)]
    refusals = [o for o in outcomes if isinstance(o, services.PaymentOverAward)]
    assert (len(payments), len(refusals)) == (3, 5), outcomes
    total = sum(p.amount_minor for p in Payment.objects.filter(award=award))
    assert Decimal(total) / 100 == Decimal(90_000)
