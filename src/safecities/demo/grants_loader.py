"""The loader's grants step: `grants_data` played through `grants.services`."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.core.models import User
from safecities.core.money import Money
from safecities.grants import selectors as grant_selectors
from safecities.grants import services as grant_services
from safecities.grants.models import (
    Agreement,
    Application,
    ApplicationVersion,
    Award,
    Call,
    GrantReport,
    Programme,
    Review,
    Stage,
)
from safecities.indicators.models import Indicator
from safecities.network.models import (
    Municipality,
    NationalProgramme,
    Person,
    Role,
    RoleAssignment,
)

from . import grants_data
from .pdf import simple_pdf
from .steps import Steps


class GrantSteps(Steps):
    """Gjensidigestiftelsen's programmes, calls, applications, reviews and awards."""

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
        self.partner_contacts = {
            slug: self._partner_contact(email, name, self.orgs[slug], title)
            for email, name, slug, title in grants_data.PARTNER_CONTACTS
        }
        self.goals = {g.code: g for g in Goal.objects.all()}
        self.target_groups = {
            t.code: t for t in Term.objects.filter(vocabulary=Vocabulary.TARGET_GROUP)
        }
        for spec in grants_data.PROGRAMMES:
            if not Programme.objects.filter(slug=spec["slug"]).exists():
                self._grant_programme(spec)
        # The services kept every sum; the back-dating updates above bypass them, so the kept
        # sums are recomputed from the rows once, as after any write around the services.
        grant_services.refresh_all()

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

    def _partner_contact(self, email: str, name: str, organisation, title: str) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, None, full_name=name)  # no password
            self.created += 1
        self.get_or_create(
            RoleAssignment,
            user=user,
            role=Role.ORGANISATION_CONTACT,
            municipality=None,
            organisation=organisation,
        )
        self.get_or_create(
            Person,
            user=user,
            defaults={
                "full_name": name,
                "email": email,
                "title": title,
                "organisation": organisation,
                "illustrative": True,
                "languages": ["nb", "en"],
            },
        )
        return user

    def _confirm_partners(self, application: Application) -> None:
        """Each partner organisation's contact confirms its participation, as before any
        submission."""
        for partner in application.partners.all():
            if partner.organisation is not None and not partner.confirmed:
                grant_services.confirm_participation(
                    actor=self.partner_contacts[partner.organisation.slug], partner=partner
                )

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
        pots = {}
        for name, kind, amount in spec.get("lines", []):
            line = grant_services.add_programme_line(
                actor=self.funder_officer,
                programme=programme,
                name=name,
                kind=kind,
                amount=self._nok(amount),
            )
            self.created += 1
            if line.grantable:
                pots[name] = line
        for call_spec in spec["calls"]:
            self._grant_call(programme, call_spec, pots)

    def _grant_call(self, programme: Programme, spec: dict, pots: dict) -> Call:
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
            national_programme=(
                NationalProgramme.objects.get(slug=spec["national_programme"])
                if spec.get("national_programme")
                else None
            ),
        )
        self.created += 1
        if pots:
            line = pots[spec["line"]] if "line" in spec else list(pots.values())[-1]
            call = grant_services.draw_call_on(actor=funder, call=call, line=line)
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
        return call

    def application_indicators(self) -> None:
        """The indicators each demo application names (`indicators` in its spec). Run after
        the indicators step, which needs the grants step's coordinators: the definitions do not
        exist while the applications are written, so they are named afterwards, as written."""
        named = {}
        for programme in grants_data.PROGRAMMES:
            for call in programme.get("calls", []):
                for spec in call.get("applications", []):
                    if spec.get("indicators"):
                        named[spec["title"]] = spec["indicators"]
        indicators = {i.code: i for i in Indicator.objects.filter(code__in=_codes(named))}
        for application in Application.objects.filter(title__in=named):
            if not application.indicators.exists():
                application.indicators.set(
                    [indicators[c] for c in named[application.title] if c in indicators]
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
        if spec.get("submitted") or spec.get("concept"):  # a draft's partners may not yet have
            self._confirm_partners(application)
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
        for review_spec in spec.get("reviews") or self._reviews_before(application, spec, criteria):
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

    def _reviews_before(self, application: Application, spec: dict, criteria: list) -> list:
        """A decided full proposal was decided on a review: one finished three weeks before the
        decision, scoring it as the decision went, when the story names none."""
        decision = spec.get("decision")
        application.refresh_from_db(fields=["stage"])  # an invited concept note is now full
        if not decision or application.stage != Stage.FULL:
            return []
        declined = bool(decision.get("decline"))
        on = self._day(decision["on"])
        return [
            {
                "assigned": on - timedelta(days=35),
                "submitted": on - timedelta(days=21),
                "scores": [2 if declined else 4] * len(criteria),
                "recommendation": Review.Recommendation.DO_NOT_FUND
                if declined
                else Review.Recommendation.FUND,
            }
        ]

    def _grant_review(self, application: Application, spec: dict, criteria: list) -> None:
        reviewer = self.users["reviewer"]
        review = grant_services.assign_reviewer(
            actor=self.users["secretariat"], application=application, reviewer=reviewer
        )
        if "scores" in spec:  # a call without criteria is reviewed on its recommendation
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
        self._grant_agreement(award, spec, applicant)
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
                spends=self._spends(award, report, self._nok(report_spec["spent"])),
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

    @staticmethod
    def _spends(award: Award, report: GrantReport, spent: Money) -> dict[int, Money] | None:
        """The seeds give a report's spending whole: split it over the approved budget lines in
        proportion to what each was approved, never past what is left on a line."""
        rows = grant_selectors.line_spending(award, report=report)
        if not rows:
            return None
        approved = sum(row.approved.minor_units for row in rows)
        shares = {
            row.line.pk: min(
                row.left.minor_units, row.approved.minor_units * spent.minor_units // approved
            )
            for row in rows
        }
        rest = spent.minor_units - sum(shares.values())
        for row in rows:  # what rounding left over, on the lines with room
            more = min(rest, row.left.minor_units - shares[row.line.pk])
            shares[row.line.pk] += more
            rest -= more
        return {pk: Money.from_minor(minor, spent.currency) for pk, minor in shares.items()}

    def _grant_agreement(self, award: Award, spec: dict, applicant: User) -> None:
        """The agreement of a demo grant, written and sent a few days after the decision and
        accepted by the lead two weeks later (`"agreement": "sent"`: still awaiting the lead).
        Where the budget lines do not add up to the award, each line is approved in proportion,
        the last line taking the rounding."""
        funder = self.funder_officer
        agreement = Agreement.objects.get(award=award)
        lines = list(award.application.budget_lines.all())
        asked = sum(line.amount_minor for line in lines)
        approved, left = {}, award.amount_minor
        for n, line in enumerate(lines, start=1):
            share = left if n == len(lines) else line.amount_minor * award.amount_minor // asked
            approved[line.pk] = Money.from_minor(share, grants_data.CURRENCY)
            left -= share
        grant_services.update_agreement(
            actor=funder, agreement=agreement, terms=grants_data.AGREEMENT_TERMS, approved=approved
        )
        grant_services.send_agreement(actor=funder, agreement=agreement)
        sent = self._at(self._day(spec["on"]) + timedelta(days=3), 10)
        changes = {"sent_at": sent}
        if spec.get("agreement") != "sent":
            grant_services.accept_agreement(actor=applicant, agreement=agreement)
            changes["accepted_at"] = sent + timedelta(days=14)
        Agreement.objects.filter(pk=agreement.pk).update(**changes)

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


def _codes(named: dict[str, list[str]]) -> set[str]:
    return {code for codes in named.values() for code in codes}
