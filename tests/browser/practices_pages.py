"""The knowledge bank's pages for the axe-core sweep (tests/browser/test_every_page.py): per
role, lambdas returning paths of GET pages that role can open (they look the demo records up,
so call them with the demo loaded). The pages that change a practice are swept with a draft of
member@example.org made once through the services."""

from django.urls import reverse

from safecities.charter.models import Goal
from safecities.core.models import User
from safecities.practices import services
from safecities.practices.models import Practice, Publication

DRAFT_TITLE = "Axe sweep: a member's draft practice"


def _practice(title: str = "Oslo snakker") -> int:
    return Practice.objects.get(title=title).pk


def _draft() -> int:
    practice = Practice.objects.filter(title=DRAFT_TITLE).first()
    if practice is None:
        practice = services.create_practice(
            actor=User.objects.get(email="member@example.org"),
            data={
                "language": "nb",
                "title": DRAFT_TITLE,
                "summary": "Et utkast med **Markdown**.",
                "goals": [Goal.objects.order_by("position").first()],
            },
        )
    return practice.pk


def _translated_draft() -> int:
    """The draft with a Swedish translation, for the pages that edit or remove it."""
    practice = Practice.objects.get(pk=_draft())
    if not practice.translations.filter(language="sv").exists():
        services.save_translation(
            actor=User.objects.get(email="member@example.org"),
            practice=practice,
            language="sv",
            translator="Axe",
            title="Ett utkast",
            texts={"summary": "Ett utkast."},
        )
    return practice.pk


def _publication() -> int:
    return Publication.objects.order_by("id").first().pk


_LIST = reverse("practices:list")

_PUBLIC = [
    lambda: _LIST,
    lambda: _LIST + "?q=f%C3%B6rebyggande&goal=strong-youth-engagement",
    lambda: _LIST + "?q=och",  # only common words: the message
    lambda: _LIST + "?q=zzzzqqq",  # the empty state
    lambda: _LIST + "?sort=date&page=2",
    lambda: reverse("practices:detail", args=[_practice()]),
    lambda: reverse("practices:detail", args=[_practice()]) + "?lang=sv",
    lambda: reverse("practices:publication", args=[_publication()]),
]

PAGES = {
    "anonymous": _PUBLIC,
    "member": [
        lambda: _LIST,
        lambda: reverse("practices:create"),
        lambda: reverse("practices:mine"),
        lambda: reverse("practices:detail", args=[_draft()]),
        lambda: reverse("practices:edit", args=[_draft()]),
        lambda: reverse("practices:translate", args=[_draft()]),
        lambda: reverse("practices:attach", args=[_draft()]),
        lambda: reverse("practices:detail", args=[_translated_draft()]) + "?lang=sv",
        lambda: reverse("practices:translate", args=[_translated_draft()]) + "?lang=sv",
        lambda: reverse("practices:translation-remove", args=[_translated_draft(), "sv"]),
        lambda: reverse("practices:submit", args=[_draft()]),
    ],
    "coordinator": [
        lambda: reverse("practices:detail", args=[_practice()]),  # with the adopt form
        lambda: reverse("plans:adopt-practice", args=[_practice()]),
    ],
    "secretariat": [
        lambda: reverse("practices:queue"),
        lambda: reverse("practices:review", args=[_draft()]),
        lambda: reverse("practices:unpublish", args=[_practice()]),
        lambda: reverse("practices:publication-create"),
        lambda: reverse("practices:publication-delete", args=[_publication()]),
    ],
}
