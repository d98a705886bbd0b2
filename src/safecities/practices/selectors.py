"""Reads of the knowledge bank: a practice with what hangs from it, the version a reader sees,
the review queue and one's own drafts, and the search through `safecities.search`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from safecities.core.models import User
from safecities.core.permissions import has_perm
from safecities.network.permissions import is_secretariat
from safecities.search import api as search

from .models import Attachment, Practice, PracticeTranslation, Publication
from .search import PRACTICE, PUBLICATION

Reader: TypeAlias = User | AnonymousUser

FACETS = ["goal", "country", "target_group", "phenomenon", "evidence", "language"]

# What a practice's page and its open-data record show beside its own fields.
_TERMS_AND_TRANSLATIONS = (
    "goals",
    "target_groups",
    "phenomena",
    "arenas",
    "municipalities__country",
    "organisations__country",
    Prefetch("translations", queryset=PracticeTranslation.objects.order_by("language")),
)


def practice_detail(pk: int) -> Practice:
    try:
        return (
            Practice.objects.select_related("grant__application", "created_by")
            .prefetch_related(
                *_TERMS_AND_TRANSLATIONS,
                "outcome_indicators",
                Prefetch("attachments", queryset=Attachment.objects.order_by("id")),
            )
            .get(pk=pk)
        )
    except Practice.DoesNotExist as exc:
        raise Http404(_("No such practice.")) from exc


@dataclass
class Version:
    """The words a reader sees: the original or a translation."""

    language: str
    texts: object  # the Practice or a PracticeTranslation
    original: bool
    translator: str = ""


def versions(practice: Practice) -> list[Version]:
    out = [Version(practice.language, practice, True)]
    out += [Version(t.language, t, False, t.translator) for t in practice.translations.all()]
    return out


def version_for(practice: Practice, *, requested: str | None = None) -> Version:
    """`?lang=` if the practice has it, else the reader's language where there is one, else the
    original."""
    available = {v.language: v for v in versions(practice)}
    for code in (requested, (get_language() or "").split("-")[0]):
        if code and code in available:
            return available[code]
    return available[practice.language]


def adopting_measures(practice: Practice, *, user: Reader) -> list[Any]:
    """The measures of plans the reader may see that adopt the practice."""
    measures = practice.adopting_measures.select_related("plan__municipality").order_by(
        "plan__municipality__name", "title"
    )
    # The plans rule by its name: plans sits above practices and is not imported here.
    return [m for m in measures if m.plan.public or has_perm(user, "plans.view", m.plan)]


def presenting_events(practice: Practice, *, user: Reader) -> list[Any]:
    """The events the reader may see where the practice was presented, latest first."""
    events = practice.presented_at_events.order_by("-starts_at", "pk")
    # The events rule by its name: events sits above practices and is not imported here.
    return [e for e in events if e.public or has_perm(user, "events.view", e)]


def drafts_of(user: Reader) -> QuerySet[Practice]:
    """The user's practices that are not published (drafts and submitted)."""
    if not isinstance(user, User) or not user.is_authenticated:
        return Practice.objects.none()
    return Practice.objects.filter(created_by=user).exclude(status=Practice.Status.PUBLISHED)


def review_queue() -> QuerySet[Practice]:
    return Practice.objects.filter(status=Practice.Status.SUBMITTED).order_by("updated_at", "id")


def publication_detail(pk: int) -> Publication:
    try:
        return Publication.objects.prefetch_related("goals").get(pk=pk)
    except Publication.DoesNotExist as exc:
        raise Http404(_("No such publication.")) from exc


def search_bank(
    q: str,
    *,
    user: Reader,
    filters: dict[str, list[str]] | None = None,
    kinds: list[str] | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 20,
) -> search.SearchResult:
    """The knowledge bank's search: practices and publications, what the reader may see."""
    filters = {k: v for k, v in (filters or {}).items() if k in FACETS and v}
    kinds = [k for k in (kinds or []) if k in (PRACTICE, PUBLICATION)] or None
    return search.search(
        q or "",
        user_is_member=bool(getattr(user, "is_authenticated", False)),
        kinds=kinds,
        filters=filters,
        sort="date" if sort == "date" else "relevance",
        page=max(1, page),
        per_page=per_page,
        language=(get_language() or "en").split("-")[0],
    )


def attachment(pk: int) -> Attachment:
    """An attachment with its practice, or a 404 (the caller asks who may read the practice)."""
    try:
        return Attachment.objects.select_related("practice").get(pk=pk)
    except Attachment.DoesNotExist as exc:
        raise Http404(_("No such attachment.")) from exc


def translation_of(practice: Practice, *, language: str) -> PracticeTranslation | None:
    return PracticeTranslation.objects.filter(practice=practice, language=language).first()


def readable_by_everyone() -> QuerySet[Practice]:
    """The practices a visitor may read: published, for everyone (`Practice.public`)."""
    return Practice.objects.filter(
        status=Practice.Status.PUBLISHED, visibility=Practice.Visibility.PUBLIC
    )


def public_practices() -> QuerySet[Practice]:
    """`readable_by_everyone`, with what open data writes of them."""
    return readable_by_everyone().prefetch_related(*_TERMS_AND_TRANSLATIONS).order_by("id")


def practices_to_review(user: Reader, *, limit: int = 20) -> list[Practice]:
    """Practices submitted for review, the longest waiting first, for the secretariat (no query
    for anyone else)."""
    if not is_secretariat(user):
        return []
    return list(review_queue()[:limit])
