"""Workflows: the states a model's status takes and the moves allowed between them, in one table.

Each app keeps its tables in its own `states.py` and builds one `Workflow` per status field:

    APPLICATION = Workflow(Application, {A.DRAFT: {A.SUBMITTED}, A.SUBMITTED: set()})

A service moves an object with `APPLICATION.move(application, A.SUBMITTED)` (refused with
`InvalidTransition` unless the table allows it) and a page asks `APPLICATION.may_move(...)`
before it offers the button. No status is set anywhere else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError, InvalidInput

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User

DecidedT = TypeVar("DecidedT", bound=models.Model)


class InvalidTransition(DomainError):
    """The workflow's table does not allow this move from the object's present state."""

    status = 409


class Workflow:
    """One status field of one model and the moves its table allows."""

    registry: ClassVar[dict[tuple[type[models.Model], str], Workflow]] = {}

    def __init__(
        self,
        model: type[models.Model],
        moves: Mapping[str, Iterable[str]],
        *,
        field: str = "status",
        tones: Mapping[str, str] | None = None,
    ) -> None:
        self.model = model
        self.field = field
        # How a page colours each state's tag (Designsystemet's data-color); the word carries
        # the meaning, the colour only repeats it. A state not named is "neutral".
        self.tones: dict[str, str] = {str(k): v for k, v in (tones or {}).items()}
        choices = getattr(model._meta.get_field(field), "choices", None) or []
        # The labels stay lazy: each is put in the reader's language when it is shown.
        self.labels: dict[str, Any] = {str(value): label for value, label in choices}
        self.moves: dict[str, frozenset[str]] = {
            str(state): frozenset(str(new) for new in targets) for state, targets in moves.items()
        }
        states = set(self.labels)
        missing = states - set(self.moves)
        unknown = (set(self.moves) | {n for t in self.moves.values() for n in t}) - states
        if missing or unknown:
            raise ValueError(
                f"{model.__name__}.{field}: the table must name every state once "
                f"(missing {sorted(missing)}, unknown {sorted(unknown)})"
            )
        Workflow.registry[(model, field)] = self

    @classmethod
    def of(cls, obj: Any, field: str = "status") -> Workflow:
        """The workflow of `obj`'s status field."""
        return cls.registry[(type(obj)._meta.concrete_model, field)]

    def __repr__(self) -> str:
        return f"Workflow({self.model.__name__}.{self.field})"

    def state_of(self, obj: Any) -> str:
        return str(getattr(obj, self.field))

    def may_move(self, obj: Any, new: str) -> bool:
        """Whether the table allows `obj` to move to `new` from where it stands."""
        return str(new) in self.moves[self.state_of(obj)]

    def check(self, obj: Any, new: str) -> None:
        """Refuse (`InvalidTransition`) unless the table allows the move; changes nothing."""
        current = self.state_of(obj)
        if str(new) not in self.moves[current]:
            raise InvalidTransition(
                _("This is already %(current)s; it cannot become %(new)s.")
                % {
                    "current": self.label(current).lower(),
                    "new": self.label(new).lower(),
                },
                field=self.field,
            )

    def move(self, obj: Any, new: str) -> None:
        """Check the move and set the new state on `obj` (the caller saves it)."""
        self.check(obj, new)
        setattr(obj, self.field, new)

    def label(self, state: str) -> str:
        """The state's name in the active language."""
        return str(self.labels.get(str(state), state))

    def tone(self, state: str) -> str:
        return self.tones.get(str(state), "neutral")

    def is_final(self, state: str) -> bool:
        """A state no move leaves."""
        return not self.moves[str(state)]

    def sources(self, new: str) -> list[str]:
        """The states the table allows to move to `new`: `may_move` as a query's filter."""
        return [state for state, targets in self.moves.items() if str(new) in targets]

    def move_all(self, queryset: models.QuerySet[Any], new: str, **changes: Any) -> int:
        """Move every row of `queryset` that the table allows to `new`, in one UPDATE; returns
        how many moved. Rows whose state may not move to `new` are left as they are."""
        allowed = self.sources(new)
        return queryset.filter(**{f"{self.field}__in": allowed}).update(
            **{self.field: new}, **changes
        )


def move_recorded(
    obj: DecidedT,
    *,
    workflow: Workflow,
    to: str,
    actor: User | AnonymousUser | None,
    action: str,
    also_save: Sequence[str] = (),
    changes: Mapping[str, Any] | None = None,
) -> DecidedT:
    """Move `obj` (locked, and the actor's permission checked, by the calling service) to `to`
    as the workflow's table allows, save its state with the fields named in `also_save` (set by
    the caller before), and record the move, with any further `changes`, in the audit trail."""
    from . import audit

    old = workflow.state_of(obj)
    workflow.move(obj, to)
    obj.save(update_fields=[workflow.field, *also_save])
    audit.record(
        actor=actor,
        action=action,
        target=obj,
        changes={workflow.field: [old, workflow.state_of(obj)], **(changes or {})},
    )
    return obj


@transaction.atomic
def decline_with_reason(
    obj: DecidedT,
    *,
    workflow: Workflow,
    to: str,
    actor: User,
    reason: str,
    action: str,
    also_save: Sequence[str] = (),
) -> DecidedT:
    """Decline `obj` (locked, and the actor's permission checked, by the calling service): the
    reason must be given (refused naming the field `reason`), the workflow moves it to `to`,
    who, when and why are stamped on its `decided_by`, `decided_at` and `decision_reason`
    (saved with `also_save`), and the audit trail records the move and the reason. The caller
    sends any notice afterwards."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the applicant a reason for declining."), field="reason")
    workflow.check(obj, to)  # refused before anything is stamped on it
    # Every model decided this way names its stamps alike.
    setattr(obj, "decided_by", actor)  # noqa: B010
    setattr(obj, "decided_at", timezone.now())  # noqa: B010
    setattr(obj, "decision_reason", reason)  # noqa: B010
    return move_recorded(
        obj,
        workflow=workflow,
        to=to,
        actor=actor,
        action=action,
        also_save=["decided_by", "decided_at", "decision_reason", *also_save],
        changes={"decision_reason": [None, reason]},
    )


def load_all() -> None:
    """Import every app's `states` module, so that `Workflow.registry` knows every workflow
    (called when the apps are ready, for the template tag and the checks)."""
    import importlib

    from django.apps import apps

    importlib.import_module("safecities.core.mail_states")
    for config in apps.get_app_configs():
        if config.name.startswith("safecities."):
            try:
                importlib.import_module(f"{config.name}.states")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.states":
                    raise
