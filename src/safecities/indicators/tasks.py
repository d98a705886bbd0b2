"""Background work of indicators: tasks taking ids and calling a service (django-tasks).

`safecities db_worker` runs them (`make run` starts one beside the server).
"""

from django_tasks import task

from . import services


@task()
def run_import(import_id: int) -> str:
    """Commit a queued import all or nothing (`services.run_import`); returns its status."""
    return services.run_import(import_id)
