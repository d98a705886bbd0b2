"""The report file's workflow: a PDF build's states and the moves allowed between them."""

from safecities.core.states import InvalidTransition, Workflow

from .models import ReportFile

R = ReportFile.Status

# A build waits for its worker, runs, and ends done or failed. A failed build is not retried in
# place: asking again deletes it and queues a new row.
REPORT_FILE = Workflow(
    ReportFile,
    {
        R.QUEUED: {R.RUNNING, R.DONE, R.FAILED},
        R.RUNNING: {R.RUNNING, R.DONE, R.FAILED},
        R.DONE: set(),
        R.FAILED: set(),
    },
    tones={R.QUEUED: "info", R.RUNNING: "info", R.DONE: "success", R.FAILED: "danger"},
)

__all__ = ["REPORT_FILE", "InvalidTransition"]
