"""The loader's indicator and plan steps: `plans_data` played through `indicators.services`
and `plans.services`."""

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.core import csvfiles
from safecities.core.models import User
from safecities.core.money import Money
from safecities.grants.models import Award
from safecities.indicators import services as indicator_services
from safecities.indicators.models import Indicator
from safecities.network.models import Municipality
from safecities.plans import services as plan_services
from safecities.plans.models import ActionPlan, Measure, PlanTemplate, TemplateSection

from . import plans_data
from .pdf import simple_pdf
from .steps import Steps, _aware


class PlanSteps(Steps):
    """The indicators with their series, and the cities' action plans."""

    # --- indicators and action plans ------------------------------------------------------------
    #
    # Synthetic figures and the cities' plans (`plans_data`), written through the real services:
    # the secretariat defines the indicators and imports each one's series as a CSV file (so the
    # demo has imports to look at and undo), the cities' coordinators set their baselines and
    # targets, write their plans, report on their measures and name the indicators each measure
    # produces or aims to move.

    def indicators(self) -> None:
        """Each indicator is made whole (definition, import, baselines, targets), or left alone
        if its code exists."""
        secretariat = self.users["secretariat"]
        goals = {g.code: g for g in Goal.objects.all()}
        values = self._series_values()
        for spec in plans_data.INDICATORS:
            if Indicator.objects.filter(code=spec["code"]).exists():
                continue
            indicator = indicator_services.create_indicator(
                actor=secretariat, **{**spec, "goal": goals[spec["goal"]]}
            )
            rows = indicator_services.rows_from_csv(self._series_csv(spec["code"], values))
            import_ = indicator_services.commit_import(
                secretariat,
                indicator=indicator,
                rows=rows,
                format="csv",
                filename=f"{spec['code']}-synthetic-demo.csv",
            )
            self.created += 2 + import_.created_count
            self._references(indicator, values)

    def _series_values(self) -> dict[tuple, dict]:
        """(indicator, city, district, year) -> the observation's numbers, from `SERIES`."""
        found = {}
        for code, places in plans_data.SERIES.items():
            for (city, district), figures in places.items():
                for year, figure in zip(plans_data.YEARS, figures, strict=True):
                    if figure is None:
                        continue
                    v = {"value": Decimal(str(figure))}
                    if code == "hate-crime-rate":  # the figure is the reported count
                        population = plans_data.DISTRICT_POPULATION.get(
                            (city, district), self.cities[city].population
                        )
                        v = {
                            "value": (v["value"] * 100_000 / population).quantize(Decimal("0.1")),
                            "numerator": v["value"],
                            "denominator": Decimal(population),
                        }
                    elif code == "safe-at-night":
                        v["sample_size"] = plans_data.SAMPLE_SIZE[(city, district)]
                    found[(code, city, district, year)] = v
        return found

    def _series_csv(self, code: str, values: dict) -> str:
        out = io.StringIO()
        writer = csvfiles.writer(out, lineterminator="\n")
        columns = ["value", "numerator", "denominator", "sample_size"]
        writer.writerow(["country", "municipality_code", "district", "period", *columns,
                         "status", "note"])  # fmt: skip
        countries = {c.pk: c.code for c in self.countries.values()}
        for (indicator, city, district, year), v in values.items():
            if indicator != code:
                continue
            municipality = self.cities[city]
            status = "provisional" if year >= plans_data.PROVISIONAL_FROM else "final"
            writer.writerow(
                [countries[municipality.country_id], municipality.code, district, year]
                + [v.get(c, "") for c in columns]
                + [status, plans_data.SYNTHETIC_NOTE]
            )
        return out.getvalue()

    def _references(self, indicator: Indicator, values: dict) -> None:
        """The baselines and targets the cities with a plan set on `indicator`."""
        coordinators = {p["city"]: p["coordinator"] for p in plans_data.PLANS}
        for code, city, period in plans_data.BASELINES:
            if code == indicator.code:
                indicator_services.set_baseline(
                    actor=User.objects.get(email=coordinators[city]),
                    municipality=self.cities[city],
                    indicator=indicator,
                    period=period,
                    value=values[(code, city, "", int(period))]["value"],
                    note=plans_data.SYNTHETIC_NOTE,
                )
                self.created += 1
        for code, city, period, value in plans_data.TARGETS:
            if code == indicator.code:
                indicator_services.set_target(
                    actor=User.objects.get(email=coordinators[city]),
                    municipality=self.cities[city],
                    indicator=indicator,
                    period=period,
                    value=Decimal(str(value)),
                    note=plans_data.SYNTHETIC_NOTE,
                )
                self.created += 1

    def plans(self) -> None:
        """The network template's sections, then each city's plan, made whole or left alone if
        the city has a plan of that title."""
        secretariat = self.users["secretariat"]
        goals = {g.code: g for g in Goal.objects.all()}
        written = set(
            TemplateSection.objects.filter(template__key=PlanTemplate.NETWORK).values_list(
                "goal__code", flat=True
            )
        )
        for code, (heading, guidance) in plans_data.TEMPLATE_SECTIONS.items():
            if code not in written:
                plan_services.save_template_section(
                    actor=secretariat, goal=goals[code], heading=heading, guidance=guidance
                )
                self.created += 1
        for spec in plans_data.PLANS:
            city = self.cities[spec["city"]]
            if not ActionPlan.objects.filter(municipality=city, title=spec["title"]).exists():
                self._plan(spec, city, goals)

    def _plan(self, spec: dict, city: Municipality, goals: dict) -> None:
        actor = User.objects.get(email=spec["coordinator"])
        starts_on, ends_on = spec["period"]
        plan = plan_services.create_plan(
            actor=actor, municipality=city, title=spec["title"], starts_on=starts_on,
            ends_on=ends_on,
        )  # fmt: skip
        plan = plan_services.update_plan(
            actor=actor,
            plan=plan,
            sections={goals[code]: text for code, text in spec["sections"].items()},
        )
        self.created += 1 + len(goals)
        terms = {(t.vocabulary, t.code): t for t in Term.objects.all()}
        indicators = {i.code: i for i in Indicator.objects.all()}
        measures = [
            self._measure(plan, m, actor, goals, terms, indicators) for m in spec["measures"]
        ]
        adoption = spec.get("adoption")
        if adoption:
            plan_services.adopt_plan(
                actor=actor,
                plan=plan,
                body=adoption["body"],
                adopted_on=adoption["on"],
                case_number=adoption["case_number"],
                document=SimpleUploadedFile(
                    adoption["filename"], simple_pdf(adoption["pdf_lines"]), "application/pdf"
                ),
            )
        # The plan and its measures were written before it was adopted, not the day the demo
        # was loaded.
        written_at = min(self.now, _aware(starts_on - timedelta(days=120)))
        ActionPlan.objects.filter(pk=plan.pk).update(created_at=written_at)
        Measure.objects.filter(pk__in=[m.pk for m in measures]).update(created_at=written_at)

    def _measure(
        self, plan: ActionPlan, spec: dict, actor: User, goals: dict, terms: dict, indicators: dict
    ) -> Measure:
        starts_on, ends_on = spec["period"]
        grant = None
        if spec.get("grant"):
            grant = Award.objects.select_related("application").get(
                application__title=spec["grant"], application__lead_municipality=plan.municipality
            )
        measure = plan_services.add_measure(
            actor=actor,
            plan=plan,
            title=spec["title"],
            goals=[goals[code] for code in spec["goals"]],
            description=spec["description"],
            target_groups=[terms[(Vocabulary.TARGET_GROUP, c)] for c in spec["target_groups"]],
            phenomena=[terms[(Vocabulary.PHENOMENON, c)] for c in spec.get("phenomena", [])],
            owner_department=spec["owner_department"],
            partners=[self.orgs[slug] for slug in spec.get("partners", [])],
            budget=Money(Decimal(spec["budget"]), plans_data.CURRENCY[plan.municipality.name]),
            starts_on=starts_on,
            ends_on=ends_on,
            grant=grant,
        )
        for reported_on, status, text in spec.get("progress", []):
            plan_services.post_progress(
                actor=actor, measure=measure, reported_on=reported_on, text=text, status=status
            )
        for code, role, direction in spec["links"]:
            plan_services.link_indicator(
                actor=actor, measure=measure, indicator=indicators[code], role=role,
                direction=direction,
            )  # fmt: skip
        self.created += 1 + len(spec.get("progress", [])) + len(spec["links"])
        return measure
