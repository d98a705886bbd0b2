"""What apps above `network` may attach to its actions, without `network` importing them."""

from collections.abc import Callable

_membership_approved: list[Callable] = []


def on_membership_approved(fn: Callable) -> Callable:
    """Register fn(*, membership, actor) to run inside the approval's transaction."""
    if fn not in _membership_approved:
        _membership_approved.append(fn)
    return fn


def membership_approved(*, membership, actor) -> None:
    for fn in _membership_approved:
        fn(membership=membership, actor=actor)
