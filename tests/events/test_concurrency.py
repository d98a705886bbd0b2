"""Many people sign up and cancel at once: the capacity still holds and the waiting list is
served in order.

Each thread is its own database connection committing for real (transaction=True), so the
services' lock on the event row is what keeps the count right (IMMEDIATE transactions on
SQLite, SELECT … FOR UPDATE on PostgreSQL).
"""

import threading

import pytest
from django.db import connection

from safecities.events import selectors, services
from safecities.events.models import Registration
from tests.events.conftest import people, published_event

pytestmark = pytest.mark.django_db(transaction=True)


def run_at_once(work, arguments) -> list:
    """`work(argument)` in one thread per argument, all released together; what each returned
    or raised, in the order of `arguments`."""
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


def test_concurrent_sign_ups_never_exceed_the_capacity(demo, secretariat):
    event = published_event(secretariat, capacity=3)
    users = people(8)

    outcomes = run_at_once(lambda user: services.register(actor=user, event=event), users)

    assert all(isinstance(o, Registration) for o in outcomes), outcomes
    assert sorted(o.status for o in outcomes) == ["registered"] * 3 + ["waitlisted"] * 5
    assert selectors.registered_count(event) == 3
    positions = sorted(Registration.objects.filter(event=event).values_list("position", flat=True))
    assert positions == list(range(1, 9))

    # Three cancel at once: three promoted, in the order they signed up.
    registered = [o for o in outcomes if o.status == "registered"]
    waiting = sorted((o for o in outcomes if o.status == "waitlisted"), key=lambda r: r.position)
    run_at_once(lambda r: services.cancel_registration(actor=r.user, registration=r), registered)
    assert selectors.registered_count(event) == 3
    promoted = set(
        Registration.objects.filter(event=event, status="registered").values_list("pk", flat=True)
    )
    assert promoted == {r.pk for r in waiting[:3]}
