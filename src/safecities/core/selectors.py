"""Reads of the platform's own records: the audit trail and API tokens."""

from datetime import date

from django.db.models import Q, QuerySet

from .models import ApiToken, AuditEvent


def audit_events(
    *,
    q: str = "",
    action: str = "",
    target_type: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.all()
    if q:
        # A closed group's events are never found by who did them.
        qs = qs.filter(
            Q(actor_label__icontains=q, confidential=False) | Q(target_label__icontains=q)
        )
    if action:
        qs = qs.filter(action__startswith=action)
    if target_type:
        qs = qs.filter(target_type=target_type)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.order_by("-at", "-id")


def audit_target_types() -> list[str]:
    return list(AuditEvent.objects.order_by().values_list("target_type", flat=True).distinct())


def tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def active_tokens_of(user) -> QuerySet[ApiToken]:
    return tokens_of(user).filter(revoked_at__isnull=True)


def user_by_email(email: str):
    from .models import User

    return User.objects.filter(email__iexact=(email or "").strip()).first()


def erasable_account(pk: int):
    """An account not yet erased, or a 404."""
    from django.shortcuts import get_object_or_404

    from .models import User

    return get_object_or_404(User, pk=pk, erased_at__isnull=True)
