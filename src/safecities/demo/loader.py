"""`safecities loaddemo`: the demo network. Running it twice changes nothing."""

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from stdnum.exceptions import ValidationError as StdnumError

from safecities.charter.models import CharterVersion, Endorsement, Goal, Term, Vocabulary
from safecities.core import csvfiles
from safecities.core.models import User
from safecities.core.money import Money
from safecities.core.text import nordic_slug
from safecities.grants import services as grant_services
from safecities.grants.models import (
    Application,
    ApplicationVersion,
    Award,
    Call,
    GrantReport,
    Programme,
    Review,
)
from safecities.indicators import services as indicator_services
from safecities.indicators.models import Indicator
from safecities.network import services as network_services
from safecities.network.models import (
    Country,
    MemberKind,
    Membership,
    MembershipApplication,
    Municipality,
    NationalProgramme,
    Organisation,
    Person,
    Role,
    RoleAssignment,
)
from safecities.network.validators import ORG_ID_SCHEMES
from safecities.plans import services as plan_services
from safecities.plans.models import ActionPlan, Measure, PlanTemplate, TemplateSection
from safecities.practices import services as practice_services
from safecities.practices.models import Practice, Publication

from . import charter_data, data, events_data, grants_data, plans_data, practices_data
from .events_loader import EventsLoader
from .pdf import simple_pdf

ILLUSTRATIVE_PEOPLE = [
    ("Ingrid Berg", "Oslo", None, "SaLTo coordinator", "Youth work, dialogue", ["nb", "en"]),
    ("Lars Haugen", "Kristiansand", None, "Police liaison", "Gang prevention", ["nb"]),
    ("Maria Lindqvist", "Borlänge", None, "Social worker", "Family support", ["sv", "en"]),
    ("Elin Ekström", "Gothenburg", None, "Safety strategist", "Online hate", ["sv"]),
    ("Mette Sørensen", "Copenhagen", None, "Mentor coordinator", "Exit work", ["da", "en"]),
    (
        "Aino Virtanen",
        "Helsinki",
        None,
        "Youth services planner",
        "Youth engagement",
        ["fi", "sv", "en"],
    ),
    ("Guðrún Sigurðardóttir", "Reykjavík", None, "Project manager", "Inclusion", ["is", "en"]),
    ("Nora Bakke", None, "ungdom-i-dialog", "Dialogue facilitator", "Schools", ["nb"]),
    ("Emil Lund", None, "foreningen-trygga-grannar", "Chair", "Neighbourhood safety", ["sv"]),
    ("Sofie Holm", None, "dialog-og-faellesskab", "Community organiser", "Polarisation", ["da"]),
]


def _org_number(scheme: str, base: str) -> str:
    module = ORG_ID_SCHEMES[scheme][1]
    for last in range(10):  # mod-11 registers leave some bases without a check digit
        for digit in "0123456789":
            try:
                return module.validate(f"{base[:-1]}{(int(base[-1]) + last) % 10}{digit}")
            except StdnumError:
                continue
    raise ValueError(f"No check digit makes {base} valid for {scheme}.")


def _aware(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


class Loader:
    def __init__(self, out=None):
        self.out = out
        self.created = 0

    def say(self, text: str) -> None:
        if self.out:
            self.out.write(text)

    def get_or_create(self, model, defaults=None, **lookup):
        obj, created = model.objects.get_or_create(defaults=defaults or {}, **lookup)
        self.created += int(created)
        return obj

    def run(self) -> int:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            with transaction.atomic():
                self.network()
                self.charter()
                self.memberships()
                self.people()
                self.two_factor_devices()
            self.stockholm()
            with transaction.atomic():
                self.grants()
            with transaction.atomic():
                self.indicators()
            with transaction.atomic():
                self.plans()
            with transaction.atomic():
                self.practices()
            with transaction.atomic():
                self.events()
        self.say(f"Demo network: {self.created} records created.")
        return self.created

    def network(self) -> None:
        self.countries = {
            code: self.get_or_create(Country, code=code, defaults={"name": names})
            for code, names in data.COUNTRIES.items()
        }
        self.cities = {}
        for country, code, name, region, population, _since in data.MUNICIPALITIES:
            self.cities[name] = self.get_or_create(
                Municipality,
                country=self.countries[country],
                code=code,
                defaults={
                    "name": name,
                    "slug": nordic_slug(name),
                    "region": region,
                    "population": population,
                },
            )
        self.orgs = {}
        for slug, name, kind, country, seat, illustrative, _since, text in data.ORGANISATIONS:
            scheme, number = "", ""
            if slug in data.ILLUSTRATIVE_ORG_NUMBERS:
                scheme, base = data.ILLUSTRATIVE_ORG_NUMBERS[slug]
                number = _org_number(scheme, base)
            self.orgs[slug] = self.get_or_create(
                Organisation,
                slug=slug,
                defaults={
                    "name": name,
                    "type": kind,
                    "country": self.countries[country],
                    "municipality": self.cities.get(seat),
                    "illustrative": illustrative,
                    "org_id_scheme": scheme,
                    "org_id_number": number,
                    "description": text,
                },
            )
        p = data.PROGRAMME
        programme = self.get_or_create(
            NationalProgramme,
            slug=p["slug"],
            defaults={
                "name": p["name"],
                "local_name": p["local_name"],
                "country": self.countries[p["country"]],
                "funder": self.orgs[p["funder"]],
                "starts_on": p["starts_on"],
                "ends_on": p["ends_on"],
                "description": p["description"],
            },
        )
        if not programme.municipalities.exists():
            programme.municipalities.set([self.cities[name] for name in p["cities"]])

    def charter(self) -> None:
        goals = [
            self.get_or_create(
                Goal, code=code, defaults={"position": n, "name": names, "description": text}
            )
            for n, (code, names, text) in enumerate(charter_data.GOALS, start=1)
        ]
        v = charter_data.CHARTER_VERSION
        self.version = self.get_or_create(
            CharterVersion,
            version=v["version"],
            defaults={"adopted_on": v["adopted_on"], "preamble": v["preamble"]},
        )
        if not self.version.goals.exists():
            self.version.goals.set(goals)
        for vocabulary, terms in charter_data.TERMS.items():
            for code, label in terms:
                self.get_or_create(
                    Term, vocabulary=vocabulary, code=code, defaults={"label": label}
                )

    def _membership(self, kind: str, since, **member) -> None:
        if since is None or Membership.objects.filter(**member).exists():
            return
        membership = Membership.objects.create(kind=kind, started_on=since, **member)
        Endorsement.objects.create(
            membership=membership, charter_version=self.version, endorsed_on=since
        )
        self.created += 2

    def memberships(self) -> None:
        for _c, _code, name, _r, _p, since in data.MUNICIPALITIES:
            self._membership(MemberKind.CITY, since, municipality=self.cities[name])
        for slug, *_rest in data.ORGANISATIONS:
            since = _rest[5]
            self._membership(MemberKind.ORGANISATION, since, organisation=self.orgs[slug])

    def two_factor_devices(self) -> None:
        """The demo logins whose role needs two-factor sign-in get an authenticator key known
        from the demo data (`safecities demologins` prints it), so the demo stays usable."""
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from safecities.core import two_factor

        for email, *_rest in data.LOGINS:
            user = User.objects.get(email=email)
            if two_factor.required(user) and not two_factor.has_device(user):
                TOTPDevice.objects.create(
                    user=user,
                    name="demo",
                    key=data.demo_totp_key(email),
                    confirmed=True,
                    tolerance=two_factor.TOLERANCE,
                )
                self.created += 1

    def people(self) -> None:
        self.users = {}
        for email, name, role, scope, names, title, listed in data.LOGINS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email, data.DEMO_PASSWORD, full_name=name)
                self.created += 1
            self.users[role if role != "coordinator" else email] = user
            targets = [None]
            if scope == "municipality":
                targets = [self.cities[n] for n in names]
            elif scope == "organisation":
                targets = [self.orgs[n] for n in names]
            for target in targets:
                self.get_or_create(
                    RoleAssignment,
                    user=user,
                    role=role,
                    municipality=target if scope == "municipality" else None,
                    organisation=target if scope == "organisation" else None,
                )
            first = targets[0]
            self.get_or_create(
                Person,
                user=user,
                defaults={
                    "full_name": name,
                    "email": email,
                    "title": title,
                    "illustrative": True,
                    "municipality": first if scope == "municipality" else None,
                    "organisation": first if scope == "organisation" else None,
                    "listed_publicly": listed,
                    "consent_given_at": timezone.now() if listed else None,
                    "languages": ["en"],
                },
            )
        member = Person.objects.get(user=self.users["member"])
        self._membership(MemberKind.INDIVIDUAL, data.date(2023, 6, 1), person=member)
        for name, city, org, title, expertise, languages in ILLUSTRATIVE_PEOPLE:
            person = self.get_or_create(
                Person,
                full_name=name,
                illustrative=True,
                defaults={
                    "title": title,
                    "expertise": expertise,
                    "languages": languages,
                    "municipality": self.cities.get(city),
                    "organisation": self.orgs.get(org),
                    "listed_publicly": True,
                    "consent_given_at": timezone.now(),
                },
            )
            self._membership(MemberKind.INDIVIDUAL, data.date(2022, 1, 1), person=person)

    def stockholm(self) -> None:
        """Stockholm's 2018 application, submitted and approved through the real services."""
        stockholm = self.cities["Stockholm"]
        if MembershipApplication.objects.filter(municipality=stockholm).exists():
            return
        s = data.STOCKHOLM_APPLICATION
        coordinator = self.users["stockholm@example.org"]
        application = network_services.submit_city_application(
            actor=coordinator,
            municipality=stockholm,
            case_number=s["case_number"],
            decision_date=s["decision_date"],
            decision_document=SimpleUploadedFile(
                "dnr-ks-2018-550.pdf", simple_pdf(s["pdf_lines"]), "application/pdf"
            ),
            contact_name=coordinator.full_name,
            contact_email=coordinator.email,
            motivation=s["motivation"],
        )
        membership = network_services.approve_application(
            actor=self.users["secretariat"], application=application
        )
        MembershipApplication.objects.filter(pk=application.pk).update(
            submitted_at=_aware(s["submitted_on"]), decided_at=_aware(s["approved_on"])
        )
        Membership.objects.filter(pk=membership.pk).update(started_on=s["approved_on"])
        Endorsement.objects.filter(membership=membership).update(endorsed_on=s["approved_on"])
        self.created += 3

    # --- grants -----------------------------------------------------------------------------
    #
    # Gjensidigestiftelsen's programmes, played through the real services (`grants_data`), so
    # every rule of the ledger and the workflow applies. The services check the server's clock:
    # applications are created and submitted only while their call is open. So a past call is
    # made open until tomorrow, its applications are submitted and decided, and then the demo
    # back-dates the records after the fact (the call's dates, submissions, versions, reviews,
    # decisions and reports) with queryset updates, which the services never do. Payment and
    # report due dates are given to the services as they are. The audit trail keeps the day the
    # demo was loaded, as for Stockholm's application.

    def grants(self) -> None:
        """Each programme is made whole, or left alone if its slug exists."""
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.funder_officer = self.users["funder_officer"]
        self.applicants = {"Oslo": self.users["coordinator@example.org"]}
        for email, name, city, title in grants_data.COORDINATORS:
            self.applicants[city] = self._grant_coordinator(email, name, self.cities[city], title)
        self.goals = {g.code: g for g in Goal.objects.all()}
        self.target_groups = {
            t.code: t for t in Term.objects.filter(vocabulary=Vocabulary.TARGET_GROUP)
        }
        for spec in grants_data.PROGRAMMES:
            if not Programme.objects.filter(slug=spec["slug"]).exists():
                self._grant_programme(spec)

    def _grant_coordinator(self, email: str, name: str, city: Municipality, title: str) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, None, full_name=name)  # no password
            self.created += 1
        self.get_or_create(
            RoleAssignment, user=user, role=Role.COORDINATOR, municipality=city, organisation=None
        )
        self.get_or_create(
            Person,
            user=user,
            defaults={
                "full_name": name,
                "email": email,
                "title": title,
                "municipality": city,
                "illustrative": True,
                "languages": ["nb", "en"],
            },
        )
        return user

    def _day(self, value) -> date:
        if isinstance(value, grants_data.FromToday):
            return self.today + timedelta(days=value.days)
        return value

    def _at(self, value, hour: int = 12, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime.combine(self._day(value), time(hour, minute)))

    @staticmethod
    def _nok(amount: int) -> Money:
        return Money(Decimal(amount), grants_data.CURRENCY)

    def _grant_programme(self, spec: dict) -> None:
        programme = grant_services.create_programme(
            actor=self.funder_officer,
            funder=self.orgs[grants_data.FUNDER],
            name=spec["name"],
            budget=self._nok(spec["budget"]),
            starts_on=spec["starts_on"],
            ends_on=spec["ends_on"],
            description=spec["description"],
        )
        self.created += 1
        if programme.slug != spec["slug"]:
            # The service derives the slug from the name, where the en dash falls out; the demo
            # keeps the slugs that pages, tests and the permission walk link to.
            Programme.objects.filter(pk=programme.pk).update(slug=spec["slug"])
        for call_spec in spec["calls"]:
            self._grant_call(programme, call_spec)

    def _grant_call(self, programme: Programme, spec: dict) -> None:
        funder = self.funder_officer
        opens_at = self._at(spec["opens"], 9)
        closes_at = self._at(spec["closes"], 23, 59)
        two_stage = spec.get("stages", 1) == 2
        concept_closes_at = self._at(spec["concept_closes"], 23, 59) if two_stage else None
        past = not spec.get("open")
        call = grant_services.create_call(
            actor=funder,
            programme=programme,
            title=spec["title"],
            text=spec.get("text"),
            eligibility=spec.get("eligibility"),
            opens_at=opens_at,
            # A past call takes applications until tomorrow while the demo writes them.
            closes_at=self.now + timedelta(days=1) if past else closes_at,
            concept_closes_at=(
                self.now + timedelta(hours=12) if past and two_stage else concept_closes_at
            ),
            stages=spec.get("stages", 1),
            blind_review=spec.get("blind_review", False),
            min_amount=self._nok(spec["min"]),
            max_amount=self._nok(spec["max"]),
            requires_partnership=spec.get("requires_partnership", False),
            goals=[self.goals[code] for code in spec.get("goals", [])],
        )
        self.created += 1
        if spec.get("criteria"):
            grant_services.set_criteria(actor=funder, call=call, criteria=spec["criteria"])
        if spec.get("questions"):
            grant_services.set_questions(actor=funder, call=call, questions=spec["questions"])
        call = grant_services.open_call(actor=funder, call=call)
        questions = {q.position: q for q in call.questions.all()}
        criteria = list(call.criteria.all())
        for application_spec in spec["applications"]:
            self._grant_application(call, application_spec, questions, criteria)
        if past:
            grant_services.close_call(actor=funder, call=call)
            Call.objects.filter(pk=call.pk).update(
                closes_at=closes_at, concept_closes_at=concept_closes_at
            )

    def _grant_application(self, call: Call, spec: dict, questions: dict, criteria: list) -> None:
        applicant = self.applicants[spec["lead"]]
        funder = self.funder_officer
        start, end = spec.get("period", (None, None))
        application = grant_services.create_application(
            actor=applicant,
            call=call,
            title=spec["title"],
            summary=spec["summary"],
            requested=self._nok(spec["requested"]),
            budget_lines=[(label, self._nok(amount)) for label, amount in spec.get("budget", [])],
            lead_municipality=self.cities[spec["lead"]],
            partners=[
                (self.orgs.get(key) or self.cities[key], role)
                for key, role in spec.get("partners", [])
            ],
            starts_on=start,
            ends_on=end,
        )
        self.created += 1
        answers, files = {}, {}
        for position, value in spec.get("answers", {}).items():
            question = questions[position]
            if isinstance(value, grants_data.Pdf):
                files[question.pk] = SimpleUploadedFile(
                    value.filename, simple_pdf(list(value.lines)), "application/pdf"
                )
            else:
                answers[question.pk] = value
        grant_services.update_application(
            actor=applicant,
            application=application,
            goals=[self.goals[code] for code in spec.get("goals", [])],
            target_groups=[self.target_groups[code] for code in spec.get("target_groups", [])],
            answers=answers,
            files=files,
        )
        submissions = []  # the day of each submitted version, in order
        concept = spec.get("concept")
        if concept:
            grant_services.submit_application(actor=applicant, application=application)
            submissions.append(concept["submitted"])
            if concept.get("decline"):
                grant_services.decline_application(
                    application=application, reason=concept["decline"], actor=funder
                )
            else:
                grant_services.invite_full_proposal(actor=funder, application=application)
        if spec.get("submitted"):
            grant_services.submit_application(actor=applicant, application=application)
            submissions.append(spec["submitted"])
        for review_spec in spec.get("reviews", []):
            self._grant_review(application, review_spec, criteria)
        if spec.get("withdrawn"):
            grant_services.withdraw_application(actor=applicant, application=application)
        decision = spec.get("decision")
        if decision and decision.get("decline"):
            grant_services.decline_application(
                application=application, reason=decision["decline"], actor=funder
            )
        elif decision:
            self._grant_award(application, decision, applicant)
        self._backdate_application(call, application, spec, submissions)

    def _grant_review(self, application: Application, spec: dict, criteria: list) -> None:
        reviewer = self.users["reviewer"]
        review = grant_services.assign_reviewer(
            actor=self.users["secretariat"], application=application, reviewer=reviewer
        )
        if spec.get("scores"):
            grant_services.save_review(
                actor=reviewer,
                review=review,
                scores={c.pk: score for c, score in zip(criteria, spec["scores"], strict=True)},
                recommendation=spec["recommendation"],
                comment=spec.get("comment", ""),
                submit=True,
            )
        Review.objects.filter(pk=review.pk).update(
            assigned_at=self._at(spec["assigned"], 10),
            submitted_at=self._at(spec["submitted"], 15) if spec.get("submitted") else None,
        )

    def _grant_award(self, application: Application, spec: dict, applicant: User) -> None:
        funder = self.funder_officer
        award = grant_services.award_grant(
            application=application,
            amount=self._nok(spec["award"]),
            conditions=spec.get("conditions", ""),
            actor=funder,
            reports=[(r["kind"], self._day(r["due"])) for r in spec["reports"]],
        )
        for label, amount, due_on, paid_on in spec.get("payments", []):
            payment = grant_services.schedule_payment(
                award=award, amount=self._nok(amount), due_on=self._day(due_on), actor=funder,
                label=label,
            )  # fmt: skip
            if paid_on:
                grant_services.mark_paid(payment=payment, actor=funder, paid_on=paid_on)
        reports = {r.kind: r for r in award.reports.all()}
        for report_spec in spec["reports"]:
            report = reports[report_spec["kind"]]
            if not report_spec.get("submitted"):
                continue
            grant_services.submit_report(
                actor=applicant,
                report=report,
                narrative=report_spec["narrative"],
                results=report_spec["results"],
                spent=self._nok(report_spec["spent"]),
                links=report_spec.get("links", []),
            )
            if report_spec.get("accepted"):
                grant_services.accept_report(actor=funder, report=report)
            GrantReport.objects.filter(pk=report.pk).update(
                submitted_at=self._at(report_spec["submitted"], 14),
                accepted_at=(
                    self._at(report_spec["accepted"], 11) if report_spec.get("accepted") else None
                ),
            )
        if spec.get("closed"):
            grant_services.close_award(actor=funder, award=award)
        Award.objects.filter(pk=award.pk).update(
            decided_at=self._at(spec["on"], 10),
            closed_at=self._at(spec["closed"], 11) if spec.get("closed") else None,
        )

    def _backdate_application(
        self, call: Call, application: Application, spec: dict, submissions: list
    ) -> None:
        """Move the application's dates to its story's, and mark it illustrative."""
        decided = spec.get("decision", {}).get("on") or spec.get("concept", {}).get("decided")
        events = [self._at(day, 14) for day in submissions]
        if spec.get("created"):
            created = self._at(spec["created"], 10)
        else:
            created = max(call.opens_at, events[0] - timedelta(days=10))
        changes = {"illustrative": True, "created_at": created, "updated_at": created}
        if events:
            changes["submitted_at"] = changes["updated_at"] = events[-1]
        if decided:
            changes["decided_at"] = changes["updated_at"] = self._at(decided, 10)
        if spec.get("withdrawn"):
            changes["updated_at"] = self._at(spec["withdrawn"], 16)
        Application.objects.filter(pk=application.pk).update(**changes)
        for number, at in enumerate(events, start=1):
            ApplicationVersion.objects.filter(application=application, number=number).update(
                submitted_at=at
            )
        status = Application.objects.values_list("status", flat=True).get(pk=application.pk)
        if status != spec["status"]:
            raise ValueError(
                f"{spec['title']}: the demo story ends {status}, not {spec['status']}."
            )

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
        practice_services.publish_practice(actor=secretariat, practice=practice)
        self.created += 1 + len(spec.get("translations", []))

    def events(self) -> None:
        """The network's meetings and the closed small group (`events_data`)."""
        self.created += EventsLoader(self.cities, self.orgs).run(events_data)
