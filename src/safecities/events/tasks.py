"""Background work of events: tasks calling a service (django-tasks). `safecities db_worker`
runs them; `safecities erase_needs` does the same from cron."""

from django_tasks import task

from safecities.core import retention

from .retention import RULES


@task()
def erase_expired_personal_data() -> dict:
    """The events' retention rules (participants' needs, small groups' notes) run; how many
    records each erased, by rule."""
    return {rule.name: count for rule, count in retention.run_all(names=RULES)}
