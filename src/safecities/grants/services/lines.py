"""A programme's budget lines: adding, changing and deleting them, and the pot a call draws on.

The lines never add up to more than the programme's budget and a line never drops below what
its calls have awarded: both are checked under the programme's row lock, the lock awards take.
A call keeps its pot once it has awarded a grant, and a line goes only while no call draws on
it and nothing was awarded from it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from safecities.core import audit
from safecities.core.errors import InvalidInput
from safecities.core.money import Money
from safecities.core.permissions import ensure

from .. import selectors
from ..errors import BudgetExceeded, NotEditable
from ..models import Award, Call, Programme, ProgrammeLine
from ._shared import _money

if TYPE_CHECKING:
    from safecities.core.models import User

LINE_FIELDS = ["name", "kind", "amount_minor"]


def _checked(
    programme: Programme, *, name: str, kind: str, amount: Money, line: ProgrammeLine | None
) -> tuple[str, Money]:
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Name the budget line."), field="name")
    same_name = ProgrammeLine.objects.filter(programme=programme, name__iexact=name)
    if line is not None:
        same_name = same_name.exclude(pk=line.pk)
    if same_name.exists():
        raise InvalidInput(
            _("The programme already has a budget line named “%(name)s”.") % {"name": name},
            field="name",
        )
    if kind not in ProgrammeLine.Kind.values:
        raise InvalidInput(_("Choose whether the line is a pot or reserved."), field="kind")
    amount = _money(amount, programme.currency, "amount")
    if amount.minor_units <= 0:
        raise InvalidInput(_("The amount must be more than zero."), field="amount")
    free = Money.from_minor(selectors.unallocated_minor(programme, without=line), amount.currency)
    if amount > free:
        raise BudgetExceeded(
            _(
                "The amount %(amount)s is more than the %(free)s of the programme's budget that "
                "no other line holds."
            )
            % {"amount": amount, "free": free},
            field="amount",
        )
    return name, amount


@transaction.atomic
def add_programme_line(
    *, actor: User, programme: Programme, name: str, kind: str, amount: Money
) -> ProgrammeLine:
    """Set a share of the programme's budget apart as a pot that calls grant from, or as a
    reserved line (the network's own activities, the secretariat)."""
    ensure(actor, "grants.manage_programme", programme, field="name")
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    name, amount = _checked(programme, name=name, kind=kind, amount=amount, line=None)
    line = ProgrammeLine.objects.create(
        programme=programme,
        name=name,
        kind=kind,
        amount_minor=amount.minor_units,
        position=programme.lines.count(),
    )
    audit.record(
        actor=actor,
        action="grants.programme_line.create",
        target=line,
        changes=audit.changes_between({}, audit.snapshot(line, LINE_FIELDS)),
    )
    return line


@transaction.atomic
def update_programme_line(
    *, actor: User, line: ProgrammeLine, name: str, kind: str, amount: Money
) -> ProgrammeLine:
    """Rename a line, change its kind or amount: never below what its calls have awarded, and
    never reserved while a call draws on it."""
    ensure(actor, "grants.manage_programme", line.programme, field="name")
    programme = Programme.objects.select_for_update().get(pk=line.programme_id)
    line = ProgrammeLine.objects.select_related("programme").get(pk=line.pk)
    before = audit.snapshot(line, LINE_FIELDS)
    name, amount = _checked(programme, name=name, kind=kind, amount=amount, line=line)
    if kind == ProgrammeLine.Kind.RESERVED and line.calls.exists():
        raise InvalidInput(
            _("Calls draw on this line: it stays a grantable pot while they do."), field="kind"
        )
    awarded = Money.from_minor(selectors.line_awarded_minor(line), programme.currency)
    if amount < awarded:
        raise BudgetExceeded(
            _("The amount cannot be less than the %(awarded)s already awarded from this line.")
            % {"awarded": awarded},
            field="amount",
        )
    line.name, line.kind, line.amount_minor = name, kind, amount.minor_units
    line.save(update_fields=LINE_FIELDS)
    audit.record(
        actor=actor,
        action="grants.programme_line.update",
        target=line,
        changes=audit.changes_between(before, audit.snapshot(line, LINE_FIELDS)),
    )
    return line


def call_line_locked(call: Call) -> str | None:
    """Why the call's budget line can no longer change (it has awarded a grant: the award was
    made from that pot), or None."""
    if Award.objects.filter(application__call=call).exists():
        return _(
            "The call has awarded grants from its budget line: the line can only change while "
            "nothing is awarded from the call."
        )
    return None


@transaction.atomic
def draw_call_on(*, actor: User, call: Call, line: ProgrammeLine | None) -> Call:
    """Let the call grant from one pot of its programme (None: the whole budget), while nothing
    has been awarded from the call."""
    ensure(actor, "grants.manage_programme", call.programme, field="line")
    programme = Programme.objects.select_for_update().get(pk=call.programme_id)
    call = Call.objects.get(pk=call.pk)
    before = audit.snapshot(call, ["line"])
    if line is not None:
        line = ProgrammeLine.objects.get(pk=line.pk)
        if line.programme_id != programme.pk:
            raise InvalidInput(_("Choose a budget line of the call's programme."), field="line")
        if not line.grantable:
            raise InvalidInput(
                _("“%(line)s” is reserved: a call grants from a pot.") % {"line": line.name},
                field="line",
            )
    if (line.pk if line else None) != call.line_id:
        locked = call_line_locked(call)
        if locked:
            raise NotEditable(locked, field="line")
    call.line = line
    call.save(update_fields=["line"])
    audit.record(
        actor=actor,
        action="grants.call.line",
        target=call,
        changes=audit.changes_between(before, audit.snapshot(call, ["line"])),
    )
    return call


def line_in_use(line: ProgrammeLine) -> str | None:
    """Why the line cannot be deleted (a call draws on it, or grants were awarded from it), or
    None: the predicate of the delete page and of `delete_programme_line`."""
    call = line.calls.order_by("pk").first()
    if call is not None:
        return _(
            "A call draws on this line (“%(call)s”): choose another line for the call first."
        ) % {"call": call.display_title}
    if Award.objects.filter(application__call__line=line).exists():
        return _("Grants were awarded from this line: it stays in the programme's ledger.")
    return None


@transaction.atomic
def delete_programme_line(*, actor: User, line: ProgrammeLine) -> None:
    """Delete a budget line no call draws on and nothing was awarded from; its money is then in
    no line, for another line or the calls without one."""
    ensure(actor, "grants.manage_programme", line.programme, field="line")
    Programme.objects.select_for_update().get(pk=line.programme_id)
    line = ProgrammeLine.objects.get(pk=line.pk)
    reason = line_in_use(line)
    if reason:
        raise NotEditable(reason, field="line")
    before = audit.snapshot(line, LINE_FIELDS)
    audit.record(
        actor=actor,
        action="grants.programme_line.delete",
        target=line,
        changes=audit.changes_between(before, {}),
    )
    line.delete()


def ensure_within_line(*, call: Call, amount: Money) -> None:
    """Refuse an award that the call's pot has no room for (a call without a line draws on the
    whole budget, which the award checks itself). Called under the programme's row lock."""
    if call.line_id is None:
        return
    line = ProgrammeLine.objects.get(pk=call.line_id)
    left = Money.from_minor(line.amount_minor - selectors.line_awarded_minor(line), amount.currency)
    if amount > left:
        raise BudgetExceeded(
            _("The award %(amount)s is more than the %(left)s left in the budget line %(line)s.")
            % {"amount": amount, "left": left, "line": line.name},
            field="amount",
        )
