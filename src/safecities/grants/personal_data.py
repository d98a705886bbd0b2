"""The grants' part of a member's personal data (see `safecities.core.personal_data`).

Applications, reviews, awards and reports are the network's records and stay: they keep
pointing at the erased account (shown as "Erased member"). The person's name and e-mail
address are replaced wherever they were written into the records' text, answers and the
submitted versions.
"""

from safecities.core.personal_data import Section, register

from .models import Answer, Application, ApplicationVersion, Award, GrantReport, Review


def _moment(value):
    return value.isoformat() if value else None


def export(user) -> dict:
    return {
        "applications_created": [
            {
                "title": a.title,
                "call": str(a.call),
                "status": a.status,
                "created_at": _moment(a.created_at),
                "submitted_at": _moment(a.submitted_at),
            }
            for a in Application.objects.filter(created_by=user).select_related("call")
        ],
        "reviews": [
            {
                "application": str(r.application),
                "status": r.status,
                "recommendation": r.recommendation,
                "comment": r.comment,
                "conflict_reason": r.conflict_reason,
                "scores": {str(s.criterion): s.value for s in r.scores.all()},
                "submitted_at": _moment(r.submitted_at),
            }
            for r in Review.objects.filter(reviewer=user)
            .select_related("application")
            .prefetch_related("scores__criterion")
        ],
        "decisions": [
            {"application": a.title, "status": a.status, "decided_at": _moment(a.decided_at)}
            for a in Application.objects.filter(decided_by=user)
        ],
        "awards_decided": [
            {"application": str(a.application), "decided_at": _moment(a.decided_at)}
            for a in Award.objects.filter(decided_by=user).select_related("application")
        ],
        "reports_submitted": [
            {"award": str(r.award), "kind": r.kind, "submitted_at": _moment(r.submitted_at)}
            for r in GrantReport.objects.filter(submitted_by=user).select_related(
                "award__application"
            )
        ],
    }


def erase(user, context) -> None:
    count = context.scrub_text(Application, "title", "summary", "decision_reason")
    count += context.scrub_text(Answer, "value")
    count += context.scrub_json(ApplicationVersion, "data")
    count += context.scrub_text(Review, "comment", "conflict_reason")
    count += context.scrub_text(Award, "conditions")
    count += context.scrub_text(GrantReport, "narrative", "results")
    context.count("grants", count)


def register_section() -> None:
    register(Section(name="grants", export=export, erase=erase))
