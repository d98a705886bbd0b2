"""The indicators' part of a member's personal data (see `safecities.core.personal_data`).

Observations, imports, baselines and targets are the network's figures and stay, pointing at
the erased account; names and e-mail addresses written into their notes are replaced.
"""

from safecities.core.personal_data import Section, register

from .models import Baseline, Import, Observation, ObservationRevision, Target


def export(user) -> dict:
    return {
        "observations_entered": [
            {
                "indicator": str(o.indicator),
                "municipality": str(o.municipality),
                "period": o.period,
                "value": str(o.value) if o.value is not None else None,
                "note": o.note,
            }
            for o in Observation.objects.filter(entered_by=user).select_related(
                "indicator", "municipality"
            )
        ],
        "imports": [
            {"filename": i.filename, "status": i.status, "created_at": i.created_at.isoformat()}
            for i in Import.objects.filter(created_by=user)
        ],
        "baselines_and_targets_set": [
            {"indicator": str(r.indicator), "municipality": str(r.municipality), "note": r.note}
            for model in (Baseline, Target)
            for r in model.objects.filter(set_by=user).select_related("indicator", "municipality")
        ],
    }


def erase(user, context) -> None:
    count = context.scrub_text(Observation, "note")
    count += context.scrub_text(ObservationRevision, "note")
    count += context.scrub_text(Import, "error")
    count += context.scrub_text(Baseline, "note") + context.scrub_text(Target, "note")
    context.count("indicators", count)


def register_section() -> None:
    register(Section(name="indicators", export=export, erase=erase))
