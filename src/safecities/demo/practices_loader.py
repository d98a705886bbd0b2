"""The loader's practices step: `practices_data` played through `practices.services`."""

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.core.models import User
from safecities.grants.models import Award
from safecities.practices import services as practice_services
from safecities.practices.models import Practice, Publication

from . import practices_data
from .steps import Steps


class PracticeSteps(Steps):
    """The knowledge bank's practices and reports."""

    # The knowledge bank (`practices_data`): illustrative practices written by members through
    # the real workflow (drafted, submitted, published by the secretariat), and two reports.

    def practices(self) -> None:
        secretariat = self.users["secretariat"]
        goals = {g.code: g for g in Goal.objects.all()}
        terms = {(t.vocabulary, t.code): t for t in Term.objects.all()}
        for spec in practices_data.PRACTICES:
            if not Practice.objects.filter(title=spec["title"]).exists():
                self._practice(spec, secretariat, goals, terms)
        for spec in practices_data.PUBLICATIONS:
            if not Publication.objects.filter(title=spec["title"]).exists():
                practice_services.create_publication(
                    actor=secretariat,
                    **{k: v for k, v in spec.items() if k != "goals"},
                    goals=[goals[code] for code in spec["goals"]],
                )
                self.created += 1

    def _practice(self, spec: dict, secretariat: User, goals: dict, terms: dict) -> None:
        author = User.objects.get(email=spec["author"])
        grant = None
        if spec.get("grant"):
            grant = Award.objects.filter(application__title=spec["grant"]).first()
        starts_on, ends_on = spec["period"]
        practice = practice_services.create_practice(
            actor=author,
            illustrative=True,
            data={
                "language": spec["language"],
                "title": spec["title"],
                "summary": spec["summary"],
                "problem": spec.get("problem", ""),
                "approach": spec.get("approach", ""),
                "results": spec.get("results", ""),
                "goals": [goals[code] for code in spec["goals"]],
                "target_groups": [
                    terms[(Vocabulary.TARGET_GROUP, c)] for c in spec["target_groups"]
                ],
                "phenomena": [terms[(Vocabulary.PHENOMENON, c)] for c in spec["phenomena"]],
                "arenas": [terms[(Vocabulary.ARENA, c)] for c in spec["arenas"]],
                "municipalities": [self.cities[name] for name in spec["cities"]],
                "organisations": [self.orgs[slug] for slug in spec["organisations"]],
                "evidence_level": spec["evidence"],
                "evaluation_type": spec["evaluation"],
                "activity": spec["activity"],
                "starts_on": starts_on,
                "ends_on": ends_on,
                "grant": grant,
                "visibility": spec.get("visibility", "public"),
            },
        )
        for translation in spec.get("translations", []):
            texts = dict(translation)
            practice_services.save_translation(
                actor=author,
                practice=practice,
                language=texts.pop("language"),
                translator=texts.pop("translator"),
                title=texts.pop("title"),
                texts=texts,
            )
        practice_services.submit_practice(actor=author, practice=practice)
        if not spec.get("awaiting_review"):
            practice_services.publish_practice(actor=secretariat, practice=practice)
        self.created += 1 + len(spec.get("translations", []))
