"""Grant records, made through the real services so the ledger rules apply to test data too."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from safecities.core.money import Money
from safecities.grants import services
from safecities.network.models import Municipality, Role
from tests.network.factories import RoleAssignmentFactory, UserFactory, coordinator_of


def nok(amount) -> Money:
    return Money(Decimal(amount), "NOK")


def make_programme(*, actor, funder, budget=None, name="Trygg by Norge 2024–2026"):
    return services.create_programme(
        actor=actor,
        funder=funder,
        name=name,
        budget=budget or nok(1_000_000),
        starts_on=date(2024, 1, 1),
        ends_on=date(2026, 12, 31),
        description={"en": "Collaboration projects between cities and civil society."},
    )


def make_open_call(*, actor, programme, requires_partnership=False, **overrides):
    now = timezone.now()
    fields = {
        "title": {"en": "Collaboration projects 2025", "nb": "Samarbeidsprosjekter 2025"},
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=30),
        "min_amount": Money.zero(programme.currency),
        "max_amount": Money(Decimal(200_000), programme.currency),
        "requires_partnership": requires_partnership,
    }
    fields.update(overrides)
    call = services.create_call(actor=actor, programme=programme, **fields)
    return services.open_call(actor=actor, call=call)


def act_for(party):
    """A new user acting for `party`: the coordinator of a municipality, or the contact of an
    organisation."""
    if isinstance(party, Municipality):
        return coordinator_of(party)
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=Role.ORGANISATION_CONTACT, organisation=party)
    return user


def confirm_partners(application):
    """Each partner confirms its participation through the service, as a user acting for it."""
    for partner in application.partners.all():
        if not partner.confirmed:
            services.confirm_participation(actor=act_for(partner.party), partner=partner)
    return application


def make_application(
    *, actor, call, requested, lead_municipality=None, confirmed=True, **overrides
):
    """A draft whose one budget line matches the request, led by `lead_municipality`; its
    partners (if any) have confirmed their participation unless `confirmed` is false."""
    fields = {
        "title": "Oslo snakker — youth edition",
        "summary": "City-wide debates for young people.",
        "requested": requested,
        "budget_lines": [("Facilitators", requested)],
        "lead_municipality": lead_municipality,
        "starts_on": date(2025, 3, 1),
        "ends_on": date(2026, 2, 28),
    }
    fields.update(overrides)
    application = services.create_application(actor=actor, call=call, **fields)
    return confirm_partners(application) if confirmed else application


def submitted_application(*, actor, call, requested, lead_municipality, **overrides):
    application = make_application(
        actor=actor,
        call=call,
        requested=requested,
        lead_municipality=lead_municipality,
        **overrides,
    )
    return services.submit_application(actor=actor, application=application)


def make_call_past_its_concept_deadline(*, actor, programme, **overrides):
    """An open two-stage call whose concept notes closed yesterday; full proposals are still due."""
    now = timezone.now()
    fields = {
        "title": {"en": "Concept notes closed"},
        "opens_at": now - timedelta(days=20),
        "stages": 2,
        "concept_closes_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=30),
    }
    fields.update(overrides)
    return make_open_call(actor=actor, programme=programme, **fields)


def finish_review(application, *, actor, reviewer=None, value=4, recommendation="fund"):
    """A submitted review of `application` by `reviewer` (by default the demo network's
    reviewer), assigned by `actor` (secretariat or funder officer) and scoring every criterion of
    the call `value`: a full proposal is decided only on a finished review, so tests that award or
    decline one write it first (before any `unchanged()` block)."""
    if reviewer is None:
        from safecities.core.models import User
        from tests.conftest import ROLE_EMAILS

        reviewer = User.objects.get(email=ROLE_EMAILS["reviewer"])
    review = services.assign_reviewer(actor=actor, application=application, reviewer=reviewer)
    return services.save_review(
        actor=reviewer,
        review=review,
        scores={c.pk: value for c in application.call.criteria.all()},
        recommendation=recommendation,
        comment="Solid plan.",
        submit=True,
    )


AGREEMENT_TERMS = "The grant is used for the project as applied for, within the approved budget."


def accept_agreement(award, *, runner, lead=None):
    """The award's agreement through the services: its terms written, each budget line approved
    as asked (scaled to the award when they differ, the last line taking the rest), sent by
    `runner` and accepted by `lead` (by default a coordinator of the lead municipality or a
    contact of the lead organisation): its payments may then be marked paid."""
    from safecities.grants.models import Agreement

    agreement = Agreement.objects.get(award=award)
    lines = list(award.application.budget_lines.all())
    asked = sum(line.amount_minor for line in lines)
    approved, left = {}, award.amount_minor
    currency = award.application.currency
    for n, line in enumerate(lines, start=1):
        share = left if n == len(lines) else line.amount_minor * award.amount_minor // asked
        approved[line.pk] = Money.from_minor(share, currency)
        left -= share
    services.update_agreement(
        actor=runner, agreement=agreement, terms=AGREEMENT_TERMS, approved=approved
    )
    services.send_agreement(actor=runner, agreement=agreement)
    if lead is None:
        lead = act_for(award.application.lead)
    services.accept_agreement(actor=lead, agreement=agreement)
    award.refresh_from_db()
    return award
