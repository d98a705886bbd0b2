"""Reads of the charter and the vocabularies."""

from django.db.models import Count, QuerySet

from .models import CharterVersion, Goal, Term


def goals() -> QuerySet[Goal]:
    return Goal.objects.order_by("position")


def versions() -> QuerySet[CharterVersion]:
    return CharterVersion.objects.annotate(endorsement_count=Count("endorsements")).order_by(
        "-adopted_on"
    )


def terms(vocabulary: str | None = None, *, active_only: bool = False) -> QuerySet[Term]:
    qs = Term.objects.all()
    if vocabulary:
        qs = qs.filter(vocabulary=vocabulary)
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("vocabulary", "code")
