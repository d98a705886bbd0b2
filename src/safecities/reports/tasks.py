"""Background work of reports: building a PDF (django-tasks; `safecities db_worker` runs it,
and `make run` starts one beside the server)."""

from django_tasks import task

from . import services


@task()
def build_pdf(report_file_id: int) -> str:
    """Build a queued report PDF (`services.build_pdf`); returns its status."""
    return services.build_pdf(report_file_id)
