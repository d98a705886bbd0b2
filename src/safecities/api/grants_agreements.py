"""Grants in the API: an award as its grantees and its programme read it, with its grant
agreement (status, terms, approved budget lines, reporting dates), and the lead's acceptance of
the agreement. Amounts are decimal strings in the programme's currency."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from safecities.core.permissions import has_perm
from safecities.grants import selectors, services
from safecities.grants.models import Agreement, Award

from .auth import TokenAuth
from .grants_schemas import AwardOut, decimal_text

router = Router(tags=["grants"])


class ApprovedLineOut(Schema):
    id: int
    label: str
    requested: str
    approved: str | None


class ReportDateOut(Schema):
    id: int
    kind: str
    due_on: date
    status: str


class AgreementOut(Schema):
    status: str
    terms: str
    sent_at: datetime | None
    accepted_at: datetime | None
    lines: list[ApprovedLineOut]
    reports: list[ReportDateOut]

    @staticmethod
    def resolve_lines(obj: Agreement) -> list[dict]:
        return [
            {
                "id": line.pk,
                "label": line.label,
                "requested": decimal_text(line.requested),
                "approved": None if line.approved is None else decimal_text(line.approved),
            }
            for line in selectors.approved_lines(obj)
        ]

    @staticmethod
    def resolve_reports(obj: Agreement) -> list[dict]:
        return [
            {"id": r.pk, "kind": r.kind, "due_on": r.due_on, "status": r.status}
            for r in obj.award.reports.all()
        ]


class AwardDetailOut(AwardOut):
    conditions: str
    agreement: AgreementOut

    @staticmethod
    def resolve_agreement(obj: Award) -> Agreement:
        return obj.agreement


def _award(request, pk: int) -> Award:
    """The award `pk` with its agreement, for whoever runs its programme, its lead and its
    partners."""
    agreement = selectors.agreement_detail(pk)
    if not has_perm(request.auth, "grants.view_agreement", agreement):
        raise PermissionDenied
    award = agreement.award
    award.agreement = agreement
    return award


@router.get("/awards/{int:pk}", response=AwardDetailOut, auth=TokenAuth(), url_name="grants-award")
def award(request, pk: int):
    """An award and its grant agreement: for the lead, the partners and whoever runs the
    programme."""
    return _award(request, pk)


@router.post(
    "/awards/{int:pk}/agreement/accept",
    response=AwardDetailOut,
    auth=TokenAuth(),
    url_name="grants-agreement-accept",
)
def accept_agreement(request, pk: int):
    """The grantee's lead (its coordinator or contact) accepts the sent agreement; who and when
    are recorded. Partners read it but do not accept it."""
    agreement = _award(request, pk).agreement
    if not has_perm(request.auth, "grants.accept_agreement", agreement):
        raise PermissionDenied
    services.accept_agreement(actor=request.auth, agreement=agreement)
    return _award(request, pk)
