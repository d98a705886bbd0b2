"""The programme and call pages for the axe-core sweep (tests/browser/test_every_page.py): per
role, the GET pages of that role, as lambdas returning paths (they look the demo records up, so
call them with the demo loaded).

The demo has no draft call, and the edit pages of a call show their forms only while it is a
draft: `_draft_call` makes one through the services (once; the sweep's database is thrown away
after it), with criteria and questions of each kind, so the formsets are checked filled in.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from safecities.core.models import User
from safecities.core.money import Money
from safecities.grants import services
from safecities.grants.models import Call, Programme, ProgrammeLine

PROGRAMME = "safe-cities-norway-2024-2026"
DRAFT_TITLE = "Axe sweep: a draft two-stage call"


def _open_call() -> int:
    return Call.objects.get(title__en="Local partnerships against hate 2027").pk


def _line() -> int:
    return ProgrammeLine.objects.filter(programme__slug=PROGRAMME).first().pk


def _reserved_line() -> int:
    """The line no call draws on: its delete page asks for the confirmation."""
    lines = ProgrammeLine.objects.filter(programme__slug=PROGRAMME)
    return lines.get(kind=ProgrammeLine.Kind.RESERVED).pk


def _programme_without_lines() -> str:
    """A programme whose budget is one pot: the empty state of the lines pages."""
    programme = Programme.objects.filter(name="Axe sweep: no lines").first()
    if programme is None:
        programme = services.create_programme(
            actor=User.objects.get(email="funder@example.org"),
            funder=Programme.objects.get(slug=PROGRAMME).funder,
            name="Axe sweep: no lines",
            budget=Money(1_000_000, "NOK"),
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() + timedelta(days=365),
        )
    return programme.slug


def _closed_call() -> int:
    return Call.objects.filter(status=Call.Status.CLOSED).order_by("-closes_at").first().pk


def _draft_call() -> int:
    call = Call.objects.filter(title__en=DRAFT_TITLE).first()
    if call is not None:
        return call.pk
    officer = User.objects.get(email="funder@example.org")
    programme = Programme.objects.get(slug=PROGRAMME)
    now = timezone.now()
    call = services.create_call(
        actor=officer,
        programme=programme,
        title={"en": DRAFT_TITLE, "sv": "Axe: ett utkast i två steg"},
        text={"en": "A call written for the accessibility sweep."},
        opens_at=now + timedelta(days=10),
        closes_at=now + timedelta(days=70),
        concept_closes_at=now + timedelta(days=30),
        stages=2,
        max_amount=Money("250000", programme.currency),
        time_zone="Europe/Stockholm",
    )
    services.set_criteria(
        actor=officer,
        call=call,
        criteria=[
            {
                "name": {"en": "Relevance", "nb": "Relevans"},
                "description": {"en": "Why"},
                "weight": 3,
            },
            {"name": {"en": "Cost"}, "weight": 1},
        ],
    )
    services.set_questions(
        actor=officer,
        call=call,
        questions=[
            {"kind": "text", "label": {"en": "What will change?"}, "stage": "concept"},
            {
                "kind": "choice",
                "label": {"en": "Where?"},
                "choices": [
                    {"value": "school", "label": {"en": "At school", "sv": "I skolan"}},
                    {"value": "online", "label": {"en": "Online"}},
                ],
            },
            {"kind": "file", "label": {"en": "Letter of support"}, "required": False},
        ],
    )
    return call.pk


_PUBLIC = [
    lambda: reverse("grants:programmes"),
    lambda: reverse("grants:programme", args=[PROGRAMME]),
    lambda: reverse("grants:programme", args=["safe-cities-norway-2020-2023"]),
    lambda: reverse("grants:programme-cities", args=[PROGRAMME]),
    lambda: reverse("grants:call", args=[_open_call()]),
    lambda: reverse("grants:call", args=[_closed_call()]),
    lambda: reverse("grants:awards"),
    lambda: reverse("grants:awards") + f"?programme={PROGRAMME}&year=2025&city=oslo&sort=amount",
    lambda: reverse("grants:awards") + "?city=nowhere",  # the empty state
]

_RUNNER = [
    lambda: reverse("grants:programmes"),
    lambda: reverse("grants:programme", args=[PROGRAMME]),
    lambda: reverse("grants:programme-create"),
    lambda: reverse("grants:programme-edit", args=[PROGRAMME]),
    lambda: reverse("grants:call-create", args=[PROGRAMME]),
    lambda: reverse("grants:call", args=[_open_call()]),
    lambda: reverse("grants:call-edit", args=[_open_call()]),  # the notice: not a draft
    lambda: reverse("grants:call", args=[_draft_call()]),
    lambda: reverse("grants:call-edit", args=[_draft_call()]),
    lambda: reverse("grants:call-criteria", args=[_draft_call()]),
    lambda: reverse("grants:call-questions", args=[_draft_call()]),
    lambda: reverse("grants:call-open", args=[_draft_call()]),  # the confirmation
    lambda: reverse("grants:call-open", args=[_open_call()]),  # the notice: not a draft
    lambda: reverse("grants:programme-lines", args=[PROGRAMME]),
    lambda: reverse("grants:programme-line-edit", args=[PROGRAMME, _line()]),
    lambda: reverse("grants:programme-lines", args=[_programme_without_lines()]),  # empty
    lambda: reverse("grants:programme", args=[_programme_without_lines()]),  # no lines
    lambda: reverse("grants:call-line", args=[_open_call()]),
    lambda: reverse("grants:call-line", args=[_closed_call()]),  # locked: it has awarded
    lambda: reverse("grants:programme-line-delete", args=[PROGRAMME, _reserved_line()]),
    lambda: reverse("grants:programme-line-delete", args=[PROGRAMME, _line()]),  # in use
]

PAGES = {
    "anonymous": _PUBLIC,
    "coordinator": [
        lambda: reverse("grants:programmes"),  # with "Your grant work"
        lambda: reverse("grants:call", args=[_open_call()]),  # with the Apply button
    ],
    "reviewer": [
        lambda: reverse("grants:programmes"),
        lambda: reverse("grants:call", args=[_open_call()]),
    ],
    "funder_officer": _RUNNER,
    "secretariat": _RUNNER,
}
