"""Following a measure: progress updates that move its status, and the logic model that names
the indicators it produces or aims to move."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from safecities.core import audit
from safecities.core.errors import InvalidInput
from safecities.indicators.models import Indicator

from .. import states
from ..errors import AlreadyLinked, NotLinked, WrongIndicatorKind
from ..models import Measure, MeasureIndicator, ProgressUpdate
from ._common import _locked_measure, _not_future, _open_plan, _text

if TYPE_CHECKING:
    from safecities.core.models import User


@transaction.atomic
def post_progress(
    *,
    actor: User,
    measure: Measure,
    reported_on: date,
    text: str,
    status: str,
) -> ProgressUpdate:
    """Report on a measure; `status` is its status now, moved along the measure workflow
    (the same status is fine: an update without a move). The update records that status and
    keeps it (`states.PROGRESS` has no moves)."""
    measure = _locked_measure(actor, measure)
    _open_plan(actor, measure.plan)
    _not_future(reported_on, "reported_on")
    text = _text(text, "text", _("Say what happened."))
    if status not in Measure.Status.values:
        raise InvalidInput(_("Choose one of the measure's statuses."), field="status")
    old = measure.status
    if status != old:
        states.MEASURE.move(measure, status)
    update = ProgressUpdate.objects.create(
        measure=measure, reported_on=reported_on, text=text, status=status, author=actor
    )
    changes: dict[str, list[object]] = {"reported_on": [None, reported_on], "text": [None, text]}
    if status != old:
        measure.save(update_fields=["status", "updated_at"])
        changes["status"] = [old, status]
    audit.record(actor=actor, action="plans.measure.progress", target=measure, changes=changes)
    return update


@transaction.atomic
def link_indicator(
    *,
    actor: User,
    measure: Measure,
    indicator: Indicator,
    role: str,
    direction: str,
) -> MeasureIndicator:
    """Name an output indicator the measure produces or an outcome it aims to move, and the
    direction the measure is expected to move it."""
    measure = _locked_measure(actor, measure)
    _open_plan(actor, measure.plan)
    if not isinstance(indicator, Indicator):
        raise InvalidInput(_("Choose an indicator."), field="indicator")
    if role not in MeasureIndicator.Role.values:
        raise InvalidInput(_("Choose output or outcome."), field="role")
    if direction not in MeasureIndicator.Direction.values:
        raise InvalidInput(_("Choose increase or decrease."), field="direction")
    if indicator.kind != role:
        raise WrongIndicatorKind(
            _("%(indicator)s is an %(kind)s indicator, not an %(role)s one.")
            % {
                "indicator": indicator,
                "kind": indicator.get_kind_display().lower(),
                "role": Indicator.Kind(role).label.lower(),
            }
        )
    if MeasureIndicator.objects.filter(measure=measure, indicator=indicator).exists():
        raise AlreadyLinked(
            _("The measure already names %(indicator)s.") % {"indicator": indicator}
        )
    link = MeasureIndicator.objects.create(
        measure=measure, indicator=indicator, role=role, direction=direction
    )
    audit.record(
        actor=actor,
        action="plans.measure.link_indicator",
        target=measure,
        changes={
            "indicator": [None, indicator.code],
            "role": [None, role],
            "direction": [None, direction],
        },
    )
    return link


@transaction.atomic
def unlink_indicator(*, actor: User, measure: Measure, indicator: Indicator) -> None:
    """The measure no longer names the indicator."""
    measure = _locked_measure(actor, measure)
    _open_plan(actor, measure.plan)
    link = MeasureIndicator.objects.filter(measure=measure, indicator=indicator).first()
    if link is None:
        raise NotLinked(_("The measure does not name %(indicator)s.") % {"indicator": indicator})
    link.delete()
    audit.record(
        actor=actor,
        action="plans.measure.unlink_indicator",
        target=measure,
        changes={"indicator": [indicator.code, None], "role": [link.role, None]},
    )
