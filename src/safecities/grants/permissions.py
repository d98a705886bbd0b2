"""Who may do what with grants. Pages and the API ask these same rules.

The programme's funder officers and the secretariat run programmes and decide; the lead
municipality's coordinators and the lead organisation's contacts apply. Every partner (a
municipality or an organisation) takes part as an equal: whoever acts for it sees the application,
its decision, award and payments, confirms its participation, writes the questions the lead
gives it and (once confirmed) writes the reports with the lead, who submits them.
"""

from safecities.core.permissions import rule
from safecities.network.models import Organisation, Role
from safecities.network.permissions import (
    contact_organisation_ids,
    coordinated_municipality_ids,
    coordinates,
    funder_organisation_ids,
    has_role,
    is_secretariat,
    speaks_for,
)

from .models import Application, Award, Call, GrantReport, Partner, Payment, Programme, Review


def _funder_id(obj) -> int | None:
    """The funder organisation behind a programme, call, application or award (or itself)."""
    if isinstance(obj, Organisation):
        return obj.pk
    if isinstance(obj, Programme):
        return obj.funder_id
    if isinstance(obj, Call):
        return obj.programme.funder_id
    if isinstance(obj, Application):
        return obj.call.programme.funder_id
    if isinstance(obj, GrantReport | Payment):
        return _funder_id(obj.award)
    application = getattr(obj, "application", None)
    return _funder_id(application) if application is not None else None


def runs(user, obj) -> bool:
    """Secretariat, or a funder officer of the funder behind `obj`."""
    if is_secretariat(user):
        return True
    return _funder_id(obj) in funder_organisation_ids(user)


@rule("grants.manage_programme")
def manage_programme(user, obj=None) -> bool:
    """`obj`: a programme (or what hangs from it), or the funder a programme is created for.

    With no object: may the user run programmes at all?
    """
    if obj is None:
        return is_secretariat(user) or bool(funder_organisation_ids(user))
    return runs(user, obj)


@rule("grants.decide")
def decide(user, obj=None) -> bool:
    if obj is None:
        return is_secretariat(user) or bool(funder_organisation_ids(user))
    return runs(user, obj)


@rule("grants.apply")
def apply(user, application: Application | None = None) -> bool:
    """The lead municipality's coordinator or the lead organisation's contact."""
    if application is None:  # may the user apply at all?
        return bool(coordinated_municipality_ids(user) or contact_organisation_ids(user))
    return coordinates(user, application.lead_municipality_id) or speaks_for(
        user, application.lead_organisation_id
    )


def _partners(application: Application) -> list[Partner]:
    """The application's partner rows, read once per application object (prefetched or not)."""
    cache = getattr(application, "_partner_rows", None)
    if cache is None:
        cache = application._partner_rows = list(application.partners.all())
    return cache


def partner_rows_of(user, application: Application) -> list[Partner]:
    """The application's partner rows the user acts for: as coordinator of the partner
    municipality or as contact of the partner organisation."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        p
        for p in _partners(application)
        if coordinates(user, p.municipality_id) or speaks_for(user, p.organisation_id)
    ]


@rule("grants.take_part")
def take_part(user, application: Application) -> bool:
    """The lead or any partner: who sees the application, its decision, award and payments."""
    return apply(user, application) or bool(partner_rows_of(user, application))


def granted_question_ids(user, application: Application) -> set[int]:
    """The ids of the questions the lead gave the partners the user acts for to write."""
    return {int(q) for p in partner_rows_of(user, application) for q in p.writes_questions}


def may_write_question(user, application: Application, question_id: int) -> bool:
    """May the user write the answer to this question now? The lead writes every question, a
    partner those the lead gave it; and only while the application is editable."""
    if not application.editable or not getattr(user, "is_authenticated", False):
        return False
    return apply(user, application) or question_id in granted_question_ids(user, application)


@rule("grants.write_application")
def write_application(user, application: Application) -> bool:
    """Who reaches the application's edit page: the lead, and a partner the lead gave at least
    one question to write (co-writing). Which parts each may change: `may_write_question`."""
    return apply(user, application) or bool(granted_question_ids(user, application))


@rule("grants.confirm_participation")
def confirm_participation(user, partner: Partner) -> bool:
    """Whoever acts for the partner party confirms (or withdraws) its participation."""
    return coordinates(user, partner.municipality_id) or speaks_for(user, partner.organisation_id)


def _reviews(user, application: Application) -> list[Review]:
    """The user's own review rows on the application (at most one), read once per request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cache = getattr(application, "_reviews_by_user", None)
    if cache is None:
        cache = application._reviews_by_user = {}
    if user.pk not in cache:
        cache[user.pk] = list(Review.objects.filter(application=application, reviewer=user))
    return cache[user.pk]


@rule("grants.view_application")
def view_application(user, application: Application) -> bool:
    """Applicants (lead and partners), whoever runs the programme, and reviewers assigned
    without a conflict."""
    if take_part(user, application) or runs(user, application):
        return True
    return any(r.status != Review.Status.CONFLICT for r in _reviews(user, application))


@rule("grants.see_applicant")
def see_applicant(user, application: Application) -> bool:
    """In a blind call, a reviewer sees the project but not who applies."""
    if not application.call.blind_review:
        return True
    return take_part(user, application) or runs(user, application)


@rule("grants.assign_reviewers")
def assign_reviewers(user, obj=None) -> bool:
    if obj is None:
        return is_secretariat(user) or bool(funder_organisation_ids(user))
    return runs(user, obj)


@rule("grants.review")
def review(user, review: Review | None = None) -> bool:
    """Only the assigned reviewer scores their review.

    With no review: is the user a reviewer at all (the menu's "My reviews")?
    """
    if review is None:
        return has_role(user, Role.REVIEWER)
    return getattr(user, "is_authenticated", False) and review.reviewer_id == user.pk


@rule("grants.view_reviews")
def view_reviews(user, application: Application) -> bool:
    """Others' reviews: whoever runs the programme, or a reviewer once their own is submitted."""
    if runs(user, application):
        return True
    return any(r.status == Review.Status.SUBMITTED for r in _reviews(user, application))


@rule("grants.report")
def report(user, grant_report: GrantReport) -> bool:
    """Who sees a grant report as a grantee: the lead and every partner."""
    return take_part(user, grant_report.award.application)


@rule("grants.draft_agreement")
def draft_agreement(user, agreement) -> bool:
    """Whoever runs the programme drafts the grant agreement, sends it, takes it back."""
    return runs(user, agreement.award)


@rule("grants.accept_agreement")
def accept_agreement(user, agreement) -> bool:
    """The grantee's lead (whoever may act for the lead party) accepts the agreement."""
    return apply(user, agreement.award.application)


@rule("grants.view_agreement")
def view_agreement(user, agreement) -> bool:
    """Whoever runs the programme, the lead and every partner read the agreement."""
    application = agreement.award.application
    return runs(user, application) or take_part(user, application)


@rule("grants.request_change")
def request_change(user, award: Award) -> bool:
    """The grantee's lead asks for changes to an accepted agreement, and may withdraw them;
    partners follow them on the award page."""
    return apply(user, award.application)


def _confirmed_partner(user, application: Application) -> bool:
    return any(p.confirmed for p in partner_rows_of(user, application))


@rule("grants.write_report")
def write_report(user, grant_report: GrantReport) -> bool:
    """Who writes (saves) a due report: the lead, and whoever acts for a partner that confirmed
    its participation (co-reporting)."""
    application = grant_report.award.application
    return apply(user, application) or _confirmed_partner(user, application)


@rule("grants.submit_report")
def submit_report(user, grant_report: GrantReport) -> bool:
    """Only the lead submits the report the grantees wrote together."""
    return apply(user, grant_report.award.application)
