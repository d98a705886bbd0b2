"""What a submission needs: the one checklist the submit page shows and the service refuses with."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safecities.core.errors import DomainError
from safecities.core.money import Money
from safecities.network.models import (
    Membership,
    Municipality,
    Organisation,
    OrganisationType,
)

from ..errors import (
    BudgetLinesMismatch,
    Ineligible,
    PartnerNotConfirmed,
    PartnershipRequired,
    RequestOutOfRange,
)
from ..models import (
    Application,
    Call,
    Stage,
)
from .applications import questions_asked
from .ledger import budget_lines_minor

# --- what a submission needs ----------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One thing a submission needs: `text` as the checklist says it, `done` whether the
    application has it, and the refusal (`error` with `message`, on `field`) when it has not."""

    field: str
    text: str
    done: bool
    message: str
    error: type[DomainError] = Ineligible

    def refusal(self) -> DomainError:
        return self.error(self.message, field=self.field)


def has_partnership(application: Application) -> bool:
    """An active member municipality and a civil-society organisation, as lead or partner."""
    partners = list(application.partners.all())
    municipality_ids = {p.municipality_id for p in partners if p.municipality_id}
    organisation_ids = {p.organisation_id for p in partners if p.organisation_id}
    if application.lead_municipality_id:
        municipality_ids.add(application.lead_municipality_id)
    if application.lead_organisation_id:
        organisation_ids.add(application.lead_organisation_id)
    has_member_city = (
        Membership.objects.active().filter(municipality_id__in=municipality_ids).exists()
    )
    has_cso = Organisation.objects.filter(
        pk__in=organisation_ids, type=OrganisationType.CSO
    ).exists()
    return has_member_city and has_cso


def call_limits_who_may_apply(call: Call) -> bool:
    """Whether the call limits who may apply by national programme, country or type."""
    return bool(call.national_programme_id or call.countries.all() or call.organisation_types)


def who_may_apply(call: Call) -> list[str]:
    """The call's limits on who may apply, a sentence each, as its page and checklist say them:
    they hold for every party, the lead and each partner."""
    rules = []
    if call.national_programme_id:
        rules.append(
            _("Every party is in a member city of %(programme)s.")
            % {"programme": call.national_programme}
        )
    countries = [c.display_name for c in call.countries.all()]
    if countries:
        rules.append(_("Every party is in %(countries)s.") % {"countries": _or_list(countries)})
    if call.organisation_types:
        rules.append(
            _("Every organisation taking part is of the type %(types)s.")
            % {"types": _or_list(call.organisation_type_labels)}
        )
    return rules


def _or_list(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return _("%(some)s or %(last)s") % {"some": ", ".join(names[:-1]), "last": names[-1]}


def ineligible_parties(application: Application) -> list[str]:
    """What does not fit the call's limits on who may apply, a sentence per party and limit,
    naming the party: e.g. “Nuorten ääni ry (Finland): this call is open to Norway only.”"""
    call = application.call
    parties = [application.lead, *(p.party for p in application.partners.all())]
    programme = call.national_programme
    member_city_ids = (
        {m.pk for m in programme.municipalities.all()} if programme is not None else None
    )
    countries = {c.pk: c.display_name for c in call.countries.all()}
    misfits = []
    for party in parties:
        is_city = isinstance(party, Municipality)
        city_id = party.pk if is_city else party.municipality_id
        if member_city_ids is not None and city_id not in member_city_ids:
            misfits.append(
                _("%(party)s: this call is open to the member cities of %(programme)s only.")
                % {"party": party, "programme": call.national_programme}
            )
        if countries and party.country_id not in countries:
            misfits.append(
                _("%(party)s (%(country)s): this call is open to %(countries)s only.")
                % {
                    "party": party,
                    "country": party.country.display_name,
                    "countries": _or_list(list(countries.values())),
                }
            )
        if call.organisation_types and not is_city and party.type not in call.organisation_types:
            misfits.append(
                _("%(party)s (%(type)s): this call is open to %(types)s only.")
                % {
                    "party": party,
                    "type": party.get_type_display(),
                    "types": _or_list(call.organisation_type_labels),
                }
            )
    return misfits


def submission_checklist(application: Application) -> list[Check]:
    """Everything a submission at the application's stage needs, in the order it is checked:
    the submit page lists it, and `services.submit_application` refuses with the first item
    not done, so the page and the service never disagree."""
    call = application.call
    currency = call.programme.currency
    requested = application.requested_minor
    checks = [
        Check(
            "title",
            _("The project has a title."),
            bool(application.title),
            _("Give the project a title."),
        ),
        Check(
            "summary",
            _("The project is summarised."),
            bool(application.summary),
            _("Summarise the project."),
        ),
        Check(
            "requested",
            _("The amount requested is from %(min)s to %(max)s.")
            % {"min": call.min_amount, "max": call.max_amount},
            call.min_amount_minor <= requested <= call.max_amount_minor,
            _("This call grants from %(min)s to %(max)s.")
            % {"min": call.min_amount, "max": call.max_amount},
            RequestOutOfRange,
        ),
    ]
    if application.stage == Stage.FULL:
        total = budget_lines_minor(application)
        checks += [
            Check(
                "budget_lines",
                _("The budget lines add up to the amount requested."),
                total == requested,
                _(
                    "The budget lines add up to %(total)s, but the application asks for %(requested)s."
                )
                % {
                    "total": Money.from_minor(total, currency),
                    "requested": Money.from_minor(requested, currency),
                },
                BudgetLinesMismatch,
            ),
            Check(
                "starts_on",
                _("The project has a start and an end date."),
                bool(application.starts_on and application.ends_on),
                _("Give the project's start and end dates."),
            ),
        ]
        if call.goals.all():
            checks.append(
                Check(
                    "goals",
                    _("The project names the charter goals it works towards."),
                    bool(application.goals.all()),
                    _("Name the charter goals the project works towards."),
                )
            )
    if call_limits_who_may_apply(call):
        misfits = ineligible_parties(application)
        checks.append(
            Check(
                "eligibility",
                _("Every party fits who may apply: %(rules)s")
                % {"rules": " ".join(who_may_apply(call))},
                not misfits,
                " ".join(misfits),
            )
        )
    if call.requires_partnership:
        checks.append(
            Check(
                "partners",
                _(
                    "A member municipality and a civil-society organisation take part, as lead "
                    "or partner."
                ),
                has_partnership(application),
                _(
                    "This call funds partnerships: the application needs a member municipality "
                    "and a civil-society organisation, as lead or partner."
                ),
                PartnershipRequired,
            )
        )
    unconfirmed = [str(p.party) for p in application.partners.all() if not p.confirmed]
    if application.partners.all():
        checks.append(
            Check(
                "partners_confirmed",
                _("Every partner has confirmed its participation."),
                not unconfirmed,
                ngettext(
                    "%(partners)s has not confirmed its participation yet: a partner confirms "
                    "on the application's page before it can be submitted.",
                    "%(partners)s have not confirmed their participation yet: a partner "
                    "confirms on the application's page before it can be submitted.",
                    len(unconfirmed),
                )
                % {"partners": ", ".join(unconfirmed)},
                PartnerNotConfirmed,
            )
        )
    answered = {a.question_id for a in application.answers.all() if a.value or a.file}
    for question in questions_asked(application):
        if question.required:
            checks.append(
                Check(
                    f"answer_{question.pk}",
                    _("Answered: “%(question)s”") % {"question": question.display_label},
                    question.pk in answered,
                    _("Answer the question “%(question)s”.") % {"question": question.display_label},
                )
            )
    return checks


def submission_problems(application: Application) -> list[Check]:
    """The checklist's items not done: what stands between the draft and its submission."""
    return [check for check in submission_checklist(application) if not check.done]
