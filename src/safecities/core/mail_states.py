"""The owed mail's workflow (core's one status field; `core.states` is the machinery)."""

from .models import OwedMail
from .states import Workflow

M = OwedMail.Status

# A mail is owed until it went out (sent) or what it was about is gone (dropped); neither of
# those is ever owed again.
MAIL = Workflow(
    OwedMail,
    {
        M.OWED: {M.SENT, M.DROPPED},
        M.SENT: set(),
        M.DROPPED: set(),
    },
    tones={M.OWED: "warning", M.SENT: "success"},
)

__all__ = ["MAIL"]
