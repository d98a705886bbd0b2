"""The plans' part of a member's personal data (see `safecities.core.personal_data`).

Plans, measures and progress updates are the cities' records and stay, pointing at the erased
account; names and e-mail addresses written into their text are replaced.
"""

from safecities.core.personal_data import Section, register

from .models import ActionPlan, Measure, PlanSection, ProgressUpdate


def export(user) -> dict:
    return {
        "progress_updates": [
            {
                "measure": str(u.measure),
                "reported_on": u.reported_on.isoformat(),
                "status": u.status,
                "text": u.text,
            }
            for u in ProgressUpdate.objects.filter(author=user).select_related("measure")
        ],
        "plans_created": [str(p) for p in ActionPlan.objects.filter(created_by=user)],
    }


def erase(user, context) -> None:
    count = context.scrub_text(ProgressUpdate, "text")
    count += context.scrub_text(Measure, "title", "description", "owner_department")
    count += context.scrub_text(PlanSection, "text")
    count += context.scrub_text(ActionPlan, "title", "adopted_by_body")
    context.count("plans", count)


def register_section() -> None:
    register(Section(name="plans", export=export, erase=erase))
