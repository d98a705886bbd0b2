from safecities.core.management.commands import retention

from ...retention import RULES


class Command(retention.Command):
    """The events' retention rules alone: `safecities retention --rule event-needs --rule
    group-notes`, under its older name."""

    help = (
        "Erase participants' needs (diet, access) once their events ended more than the "
        "event's retention days ago, and small groups' notes older than the group keeps them. "
        "`safecities retention` runs these and the platform's other retention rules."
    )

    def handle(self, *args, rule=None, **options):
        return super().handle(*args, rule=rule or list(RULES), **options)
