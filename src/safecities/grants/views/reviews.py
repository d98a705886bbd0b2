"""Grant pages: reviews and decisions — the secretariat's, reviewers' and funders' side.

Who may open what: the programme's funder officers and the secretariat ("runners") list a call's
applications, assign reviewers and decide; an assigned reviewer scores their own review. What
follows an award (payments, reports, closing) is in `views.awards`. Every write goes through
`grants.services`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from safecities.core.paging import paginate
from safecities.core.permissions import has_perm, login_required, permission_required
from safecities.core.refusals import refusals

from .. import selectors, services, states
from ..forms.reviews import (
    ApplicationFilter,
    AssignReviewerForm,
    AwardForm,
    ConflictForm,
    DeclineForm,
    ReviewForm,
)
from ..models import Application, GrantReport, Review, Stage
from .tables import ranking_rows

# --- object getters for the permission decorators ------------------------------------------

PAGE_SIZE = 50


def _call(request, pk):
    return selectors.call_with_programme(pk)


def _application(request, pk):
    return selectors.application_with_parties(pk)


def _review(request, pk):
    return selectors.review_detail(pk)


# --- a call's applications and their reviewers ---------------------------------------------


@permission_required("grants.assign_reviewers", obj=_call)
def call_applications(request, pk: int):
    call = request.permission_object
    form = ApplicationFilter(request.GET or None, two_stage=call.two_stage)
    page, query = paginate(
        request, selectors.call_applications(call, **form.filters()), per_page=PAGE_SIZE
    )
    can_decide = has_perm(request.user, "grants.decide", call)
    rows = [
        (
            a,
            selectors.weighted_score(a.score_sum, weight_sum=a.weight_sum),
            can_decide and states.may_be_decided(a, finished_reviews=a.review_count),
        )
        for a in page
    ]
    return render(
        request,
        "grants/reviews/call_applications.html",
        {
            "call": call,
            "form": form,
            "page": page,
            "query": query,
            "rows": rows,
            "can_decide": can_decide,
        },
    )


@permission_required("grants.assign_reviewers", obj=_application)
def application_reviewers(request, pk: int):
    application = request.permission_object
    form = AssignReviewerForm(
        request.POST or None, reviewers=selectors.reviewer_candidates(application)
    )
    if request.method == "POST" and form.is_valid():
        reviewer = form.cleaned_data["reviewer"]
        with refusals(request, form) as outcome:
            services.assign_reviewer(actor=request.user, application=application, reviewer=reviewer)
        if outcome.ok:
            messages.success(
                request,
                _("%(person)s is assigned to review the application.") % {"person": reviewer},
            )
            return redirect("grants:application-reviewers", pk=application.pk)
    return render(
        request,
        "grants/reviews/application_reviewers.html",
        {
            "application": application,
            "reviews": selectors.reviews_for(application),
            "form": form,
            "can_assign": application.is_submitted,
        },
    )


@require_POST
@permission_required("grants.assign_reviewers", obj=_review)
def review_unassign(request, pk: int):
    review = request.permission_object
    with refusals(request) as outcome:
        services.unassign_reviewer(actor=request.user, review=review)
    if outcome.ok:
        messages.success(
            request,
            _("%(person)s no longer reviews the application.") % {"person": review.reviewer},
        )
    return redirect("grants:application-reviewers", pk=review.application_id)


# --- reviewing ---------------------------------------------------------------------------


@login_required
def my_reviews(request):
    page, query = paginate(request, selectors.reviews_of(request.user))
    rows = [
        (review, has_perm(request.user, "grants.see_applicant", review.application))
        for review in page
    ]
    return render(
        request,
        "grants/reviews/my_reviews.html",
        {"page": page, "query": query, "rows": rows},
    )


def _content(application: Application) -> dict:
    """What a reviewer or a decider reads of an application (from `application_detail`)."""
    return {
        "budget_lines": selectors.budget_lines(application),
        "answers": selectors.answered_questions(application),
    }


def _scored(reviews, criteria) -> list[dict]:
    """Each review with its scores in the order of the criteria and its weighted mean."""
    return selectors.scored_reviews(reviews, criteria=criteria)


@login_required
def review(request, pk: int):
    """The reviewer scores the application; runners may read a submitted review."""
    review = selectors.review_detail(pk)
    user = request.user
    own = has_perm(user, "grants.review", review)
    if not own and not (
        review.is_submitted and has_perm(user, "grants.assign_reviewers", review.application)
    ):
        raise PermissionDenied
    application = selectors.application_detail(review.application_id)
    criteria = list(review.application.call.criteria.all())
    editable = own and review.is_assigned
    form = None
    if editable:
        form = ReviewForm(
            request.POST or None, criteria=criteria, initial=ReviewForm.initial_for(review)
        )
    elif request.method == "POST":
        messages.error(request, _("This review can no longer be changed."))
        return redirect("grants:review", pk=review.pk)
    if form is not None and request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        with refusals(request, form) as outcome:
            services.save_review(
                actor=user,
                review=review,
                scores=form.scores(),
                recommendation=form.cleaned_data["recommendation"],
                comment=form.cleaned_data["comment"],
                submit=submit,
            )
        if outcome.ok:
            if submit:
                messages.success(request, _("Your review is submitted. Thank you."))
            else:
                messages.success(request, _("Your review is saved. Submit it when it is done."))
            return redirect("grants:review", pk=review.pk)
    others = []
    if not review.is_conflict and has_perm(user, "grants.view_reviews", application):
        submitted = selectors.reviews_for(application, status=Review.Status.SUBMITTED)
        others = _scored([r for r in submitted if r.pk != review.pk], criteria)
    return render(
        request,
        "grants/reviews/review.html",
        {
            "review": review,
            "application": application,
            "own": own,
            "form": form,
            "mine_list": _scored([review], criteria),
            "criteria": criteria,
            "others": others,
            "can_read": not review.is_conflict
            and has_perm(user, "grants.view_application", application),
            "see_applicant": has_perm(user, "grants.see_applicant", application),
            **_content(application),
        },
    )


@permission_required("grants.review", obj=_review)
def review_conflict(request, pk: int):
    review = request.permission_object
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            services.declare_conflict(
                actor=request.user, review=review, reason=form.cleaned_data["conflict_reason"]
            )
        if outcome.ok:
            messages.success(
                request,
                _(
                    "Your conflict of interest is recorded; the secretariat will assign someone "
                    "else."
                ),
            )
            return redirect("grants:my-reviews")
    return render(
        request,
        "grants/reviews/review_conflict.html",
        {
            "review": review,
            "form": form,
            "can_declare": review.is_assigned,
            "see_applicant": has_perm(request.user, "grants.see_applicant", review.application),
        },
    )


# --- deciding ----------------------------------------------------------------------------


@permission_required("grants.decide")
def decision_packs(request):
    """The calls the person runs, each with a link to its decision pack (the menu's entry)."""
    page, query = paginate(request, selectors.calls_run_by(request.user))
    return render(request, "grants/reviews/decision_packs.html", {"page": page, "query": query})


@permission_required("grants.decide", obj=_call)
def decision_pack(request, pk: int):
    """The undecided full proposals ranked by weighted score, with the line where money ends."""
    call = request.permission_object
    try:
        number = max(int(request.GET.get("page", 1)), 1)
    except (TypeError, ValueError):
        number = 1
    pack = selectors.decision_pack(call, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    page = Paginator(range(pack["count"]), PAGE_SIZE).get_page(number)
    if page.number != number:  # past the last page: show the last
        pack = selectors.decision_pack(call, offset=(page.number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    concept_notes = []
    if call.two_stage:
        concept_notes = list(
            selectors.call_applications(
                call, status=Application.Status.SUBMITTED, stage=Stage.CONCEPT, sort="oldest"
            )[:PAGE_SIZE]
        )
    return render(
        request,
        "grants/reviews/decision_pack.html",
        {
            "call": call,
            "pack": pack,
            "ranking_rows": ranking_rows(pack),
            "page": page,
            "query": "",
            "ledger": selectors.programme_ledger(call.programme),
            "awarded_count": pack["decided"].get(Application.Status.AWARDED, 0),
            "declined_count": pack["decided"].get(Application.Status.DECLINED, 0),
            "concept_notes": concept_notes,
        },
    )


WAITING_FOR_REVIEW = _lazy(
    "No review of this proposal is finished yet: it can be decided once a reviewer has "
    "submitted one."
)


def _decide_page(request, application, *, award_form, decline_form, status=200):
    reviews = selectors.reviews_for(application, status=Review.Status.SUBMITTED)
    criteria = list(application.call.criteria.all())
    return render(
        request,
        "grants/reviews/application_decide.html",
        {
            "application": application,
            "award": getattr(application, "award", None),
            "award_form": award_form,
            "decline_form": decline_form,
            "may_invite": states.may_invite(application),
            "waiting_for_review": application.is_submitted and decline_form is None,
            "waiting_message": WAITING_FOR_REVIEW,
            "ledger": selectors.programme_ledger(application.call.programme),
            "score": selectors.application_score(application),
            "reviews": _scored(reviews, criteria),
            "criteria": criteria,
        },
        status=status,
    )


def _confirm(request, *, title: str, lines: list[tuple[str, str]], button: str, danger=False):
    """The second step of an irreversible decision: the same POST again, with `confirmed`."""
    hidden = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "confirmed")
        for value in values
    ]
    return render(
        request,
        "grants/reviews/confirm.html",
        {
            "title": title,
            "lines": lines,
            "hidden": hidden,
            "button": button,
            "danger": danger,
            "back": request.path,
        },
    )


@permission_required("grants.decide", obj=_application)
def application_decide(request, pk: int):
    """Award or decline a full proposal; invite or decline a concept note. Each in two steps."""
    application = request.permission_object
    submitted = states.may_be_decided(
        application, finished_reviews=selectors.finished_review_count(application)
    )
    if application.is_submitted and not submitted and request.method == "POST":
        messages.error(request, WAITING_FOR_REVIEW)
        return redirect("grants:application-decide", pk=application.pk)
    full = submitted and application.stage == Stage.FULL
    concept = submitted and application.stage == Stage.CONCEPT
    award_form = AwardForm(application=application) if full else None
    decline_form = DeclineForm() if submitted else None
    if request.method != "POST":
        return _decide_page(request, application, award_form=award_form, decline_form=decline_form)

    action = request.POST.get("action")
    confirmed = request.POST.get("confirmed") == "yes"
    if action == "award" and full:
        award_form = AwardForm(request.POST, application=application)
        if award_form.is_valid():
            amount = award_form.money()
            if not confirmed:
                ledger = selectors.programme_ledger(application.call.programme)
                lines = [
                    (_("Application"), application.title),
                    (_("Lead applicant"), str(application.lead)),
                    (_("Award"), str(amount)),
                    (_("Left in the programme now"), str(ledger["remaining"])),
                    (_("Left after this award"), str(ledger["remaining"] - amount)),
                ]
                lines += [
                    (_("%(kind)s due") % {"kind": GrantReport.Kind(kind).label}, due.isoformat())
                    for kind, due in award_form.reports()
                ]
                return _confirm(
                    request,
                    title=_("Award the grant?"),
                    lines=lines,
                    button=_("Award %(amount)s") % {"amount": amount},
                )
            with refusals(request, award_form) as outcome:
                award = services.award_grant(
                    application=application,
                    amount=amount,
                    conditions=award_form.cleaned_data["conditions"],
                    actor=request.user,
                    reports=award_form.reports(),
                )
            if outcome.ok:
                messages.success(
                    request,
                    _("%(amount)s is awarded to “%(title)s”. The applicant is told.")
                    % {"amount": award.amount, "title": application.title},
                )
                return redirect("grants:award", pk=award.pk)
    elif action == "decline" and submitted:
        decline_form = DeclineForm(request.POST)
        if decline_form.is_valid():
            if not confirmed:
                return _confirm(
                    request,
                    title=_("Decline the application?"),
                    lines=[
                        (_("Application"), application.title),
                        (_("Lead applicant"), str(application.lead)),
                        (_("Reason"), decline_form.cleaned_data["reason"]),
                    ],
                    button=_("Decline the application"),
                    danger=True,
                )
            with refusals(request, decline_form) as outcome:
                services.decline_application(
                    application=application,
                    reason=decline_form.cleaned_data["reason"],
                    actor=request.user,
                )
            if outcome.ok:
                messages.success(
                    request,
                    _("“%(title)s” is declined. The applicant is told.")
                    % {"title": application.title},
                )
                return redirect("grants:decision-pack", pk=application.call_id)
    elif action == "invite" and concept:
        if not confirmed:
            return _confirm(
                request,
                title=_("Invite a full proposal?"),
                lines=[
                    (_("Concept note"), application.title),
                    (_("Lead applicant"), str(application.lead)),
                ],
                button=_("Invite a full proposal"),
            )
        with refusals(request) as outcome:
            services.invite_full_proposal(actor=request.user, application=application)
        if outcome.ok:
            messages.success(
                request,
                _("The applicants of “%(title)s” are invited to write a full proposal.")
                % {"title": application.title},
            )
            return redirect("grants:decision-pack", pk=application.call_id)
    else:
        messages.error(request, _("There is nothing to decide on this application now."))
        return redirect("grants:application-decide", pk=application.pk)
    return _decide_page(request, application, award_form=award_form, decline_form=decline_form)


urlpatterns = [
    path("calls/<int:pk>/applications/", call_applications, name="call-applications"),
    path("applications/<int:pk>/reviewers/", application_reviewers, name="application-reviewers"),
    path("reviews/<int:pk>/unassign/", review_unassign, name="review-unassign"),
    path("reviews/", my_reviews, name="my-reviews"),
    path("reviews/<int:pk>/", review, name="review"),
    path("reviews/<int:pk>/conflict/", review_conflict, name="review-conflict"),
    path("decision-packs/", decision_packs, name="decision-packs"),
    path("calls/<int:pk>/decision-pack/", decision_pack, name="decision-pack"),
    path("applications/<int:pk>/decide/", application_decide, name="application-decide"),
]
