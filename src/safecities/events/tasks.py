"""Background work of events: tasks calling a service (django-tasks). `safecities db_worker`
runs them; `safecities erase_needs` does the same from cron."""

from django_tasks import task

from . import services


@task()
def erase_expired_personal_data() -> dict:
    """Participants' needs and small groups' notes past their retention, erased."""
    return {
        "needs": services.erase_expired_needs(),
        "notes": services.erase_expired_notes(),
    }
