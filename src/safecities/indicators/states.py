"""The indicators' workflows: each state and the moves allowed from it, in one table.

An import (`IMPORT`) is uploaded as a `draft`, queued when committed, run by the worker (or at
once, in the request, when small) and ends `committed` or `failed`; a committed import can be
undone as a whole. A draft is thrown away by deleting it, not by a move. See docs/imports.md.

An observation's status (`OBSERVATION`) says whether its figure is provisional or final; a new
figure for the same cell may say either, so both moves are allowed. A revision (`REVISION`)
records what an observation held: its status never moves.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from safecities.core.states import InvalidTransition, Workflow

from .models import Import, Observation, ObservationRevision, ObservationStatus

I = Import.Status  # noqa: E741 - the table reads as the model's own states
O = ObservationStatus  # noqa: E741

IMPORT = Workflow(
    Import,
    {
        I.DRAFT: {I.QUEUED},
        I.QUEUED: {I.RUNNING, I.FAILED},
        I.RUNNING: {I.COMMITTED, I.FAILED},
        I.FAILED: set(),
        I.COMMITTED: {I.UNDONE},
        I.UNDONE: set(),
    },
    tones={I.COMMITTED: "success", I.FAILED: "danger", I.RUNNING: "info", I.QUEUED: "info"},
)

OBSERVATION = Workflow(
    Observation,
    {O.PROVISIONAL: {O.FINAL}, O.FINAL: {O.PROVISIONAL}},
    tones={O.FINAL: "success"},
)

REVISION = Workflow(ObservationRevision, {O.PROVISIONAL: set(), O.FINAL: set()})


def set_observation_status(observation: Observation, status: str) -> bool:
    """Give `observation` the status a new figure states (a figure restated in the same status
    stays as it is); True when it changed. The caller saves it."""
    if OBSERVATION.state_of(observation) == str(status):
        return False
    OBSERVATION.move(observation, status)
    return True


def move_import(queryset: models.QuerySet[Any], new: str, **changes: Any) -> int:
    """Move the imports of `queryset` whose state allows it to `new`, in one UPDATE (the
    worker's claim, a failure, the end of a run); how many moved. A row another process moved
    meanwhile (an import given up as stalled) is left as it is."""
    return IMPORT.move_all(queryset, new, **changes)


__all__ = ["IMPORT", "OBSERVATION", "REVISION", "InvalidTransition", "move_import"]
