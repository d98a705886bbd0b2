"""Change requests in the API: an award's requests, a new one from the grantee's lead, its
withdrawal, and the programme's decision. The same services and rules as the pages.

Amounts travel as decimal strings in the programme's currency, as elsewhere in grants."""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema, Status
from pydantic import ConfigDict

from safecities.core.money import Money
from safecities.core.permissions import has_perm
from safecities.core.text import LongText
from safecities.grants import selectors, services
from safecities.grants.models import Award, ChangeRequest

from .auth import TokenAuth
from .grants import money
from .grants_schemas import Amount

router = Router(tags=["grants"])


class ChangeLineIn(Schema):
    model_config = ConfigDict(extra="forbid")

    line: int
    amount: Amount


class ChangeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["realloc", "extension"]
    reason: LongText
    lines: list[ChangeLineIn] = []
    new_ends_on: date | None = None
    new_final_due_on: date | None = None


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "decline"]
    note: LongText = ""


class ChangeLineOut(Schema):
    line: int
    amount: str


class ChangeOut(Schema):
    id: int
    award: int
    kind: str
    status: str
    reason: str
    currency: str
    lines: list[ChangeLineOut]
    new_ends_on: date | None
    new_final_due_on: date | None
    requested_at: datetime
    decided_at: datetime | None
    decision_note: str

    @staticmethod
    def resolve_award(obj: ChangeRequest) -> int:
        return obj.award_id

    @staticmethod
    def resolve_currency(obj: ChangeRequest) -> str:
        return obj.award.application.currency

    @staticmethod
    def resolve_lines(obj: ChangeRequest) -> list[dict]:
        currency = obj.award.application.currency
        return [
            {"line": int(pk), "amount": str(Money.from_minor(minor, currency).amount)}
            for pk, minor in (obj.lines or {}).items()
        ]


def _award(request, pk: int) -> Award:
    """The award if the token's owner runs its programme or takes part in it."""
    award = selectors.award_detail(pk)
    if not (
        has_perm(request.auth, "grants.decide", award)
        or has_perm(request.auth, "grants.take_part", award.application)
    ):
        raise PermissionDenied
    return award


def _change(request, pk: int, permission: str) -> ChangeRequest:
    change = selectors.change_detail(pk)
    if not has_perm(request.auth, permission, change.award):
        raise PermissionDenied
    return change


@router.get(
    "/awards/{int:pk}/changes",
    response=list[ChangeOut],
    auth=TokenAuth(),
    url_name="grants-award-changes",
)
def changes(request, pk: int):
    """The award's change requests, newest first: for its grantees and whoever runs the
    programme."""
    award = _award(request, pk)
    found = selectors.change_requests(award)
    for change in found:
        change.award = award
    return found


@router.post(
    "/awards/{int:pk}/changes",
    response={201: ChangeOut},
    auth=TokenAuth(),
    url_name="grants-award-changes",
)
def create_change(request, pk: int, payload: ChangeIn):
    """The grantee's lead asks for a reallocation (`lines`: each approved budget line's new
    amount; lines not named keep theirs; the total stays the award) or an extension
    (`new_ends_on`, perhaps `new_final_due_on`). Refusals name the field (`line_<id>` for a
    line)."""
    award = _award(request, pk)
    currency = award.application.currency
    change = services.request_change(
        actor=request.auth,
        award=award,
        kind=payload.kind,
        reason=payload.reason,
        lines={row.line: money(row.amount, currency, f"line_{row.line}") for row in payload.lines},
        new_ends_on=payload.new_ends_on,
        new_final_due_on=payload.new_final_due_on,
    )
    return Status(201, selectors.change_detail(change.pk))


@router.post(
    "/changes/{int:pk}/withdraw",
    response=ChangeOut,
    auth=TokenAuth(),
    url_name="grants-change-withdraw",
)
def withdraw_change(request, pk: int):
    change = _change(request, pk, "grants.request_change")
    services.withdraw_change(actor=request.auth, change=change)
    return selectors.change_detail(pk)


@router.post(
    "/changes/{int:pk}/decide",
    response=ChangeOut,
    auth=TokenAuth(),
    url_name="grants-change-decide",
)
def decide_change(request, pk: int, payload: DecisionIn):
    """Approve (the change applies to the agreement at once) or decline (a `note` is
    required) a request that waits for a decision."""
    change = _change(request, pk, "grants.decide")
    if payload.decision == "approve":
        services.approve_change(actor=request.auth, change=change, note=payload.note)
    else:
        services.decline_change(actor=request.auth, change=change, note=payload.note)
    return selectors.change_detail(pk)
