"""Reading the knowledge bank: the search page (live results with htmx, the same GET form
without JavaScript), a practice in the reader's language with a switch, its attachments, and
reports and publications.

A practice that is not published, or is for members only, does not exist (404) for those who
may not read it (`practices.permissions.can_view`).
"""

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safecities.charter import selectors as charter_selectors
from safecities.core.i18n import translated
from safecities.core.markdown import render as markdown
from safecities.core.permissions import has_perm, public
from safecities.network import selectors as network_selectors

from .. import permissions, selectors, states
from ..models import TEXT_FIELDS, EvidenceLevel, Practice
from ..search import PRACTICE, PUBLICATION

PER_PAGE = 20
LANGUAGE_NAMES = dict(settings.LANGUAGES)


def visible_practice(request, pk: int) -> Practice:
    practice = selectors.practice_detail(pk)
    if not permissions.can_view(request.user, practice):
        raise Http404(_("No such practice."))
    return practice


# --- the search page ---------------------------------------------------------------------------


def _facet_labels() -> dict[str, dict[str, str]]:
    terms = {t.code: t.display_label for t in charter_selectors.terms()}
    return {
        "kind": {PRACTICE: _("Practice"), PUBLICATION: _("Report or publication")},
        "goal": {g.code: str(g) for g in charter_selectors.goals()},
        "country": {c.code: translated(c.name) or c.code for c in network_selectors.countries()},
        "target_group": terms,
        "phenomenon": terms,
        "evidence": dict(EvidenceLevel.choices),
        "language": LANGUAGE_NAMES,
    }


# Lazy: a module constant is built once at import, so plain gettext would fix the language
# of whichever request came first (or none); these are translated when the page renders.
FACET_TITLES = {
    "goal": gettext_lazy("Charter goal"),
    "country": gettext_lazy("Country"),
    "target_group": gettext_lazy("Target group"),
    "phenomenon": gettext_lazy("Phenomenon"),
    "evidence": gettext_lazy("Evidence level"),
    "language": gettext_lazy("Language"),
}


def _page_number(value) -> int:
    try:
        return min(max(1, int(value)), 10_000)
    except (TypeError, ValueError):
        return 1


@public
def practice_list(request):
    """The knowledge bank: search, facets, sort and pages; with `HX-Request` only the results."""
    q = request.GET.get("q", "")
    filters = {name: request.GET.getlist(name)[:50] for name in selectors.FACETS}
    kinds = [k for k in request.GET.getlist("kind") if k in (PRACTICE, PUBLICATION)]
    sort = request.GET.get("sort", "relevance")
    if sort not in ("relevance", "date"):
        sort = "relevance"
    result = selectors.search_bank(
        q,
        user=request.user,
        filters=filters,
        kinds=kinds,
        sort=sort,
        page=_page_number(request.GET.get("page")),
        per_page=PER_PAGE,
    )
    labels = _facet_labels()
    facets = []
    for name, title in FACET_TITLES.items():
        values = result.facets.get(name) or []
        chosen = set(filters.get(name) or [])
        options = [
            {
                "value": value,
                "label": labels[name].get(value, value),
                "count": count,
                "checked": value in chosen,
            }
            for value, count in values
        ]
        if options:
            facets.append({"name": name, "title": title, "options": options})
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "q": result.query,
        "result": result,
        "facets": facets,
        "counts_exact": result.counts_exact,
        "sort": sort,
        "kinds": kinds,
        "query": params.urlencode(),
        "filtered": any(filters.values()) or bool(kinds),
        "may_propose": request.user.is_authenticated,
        "may_review": has_perm(request.user, "practices.review"),
        "may_add_publication": has_perm(request.user, "practices.manage_publications"),
        "kind_labels": labels["kind"],
        "language_names": LANGUAGE_NAMES,
    }
    if request.headers.get("HX-Request"):
        return render(request, "practices/_live.html", context)
    return render(request, "practices/list.html", context)


# --- a practice --------------------------------------------------------------------------------


@public
def practice_detail(request, pk: int):
    practice = visible_practice(request, pk)
    user = request.user
    version = selectors.version_for(practice, requested=request.GET.get("lang"))
    sections = [
        {
            "name": name,
            "label": practice._meta.get_field(name).verbose_name,
            "html": markdown(getattr(version.texts, name)),
        }
        for name in TEXT_FIELDS
        if getattr(version.texts, name)
    ]
    may_edit = has_perm(user, "practices.edit", practice)
    may_review = has_perm(user, "practices.review", practice)
    return render(
        request,
        "practices/detail.html",
        {
            "practice": practice,
            "version": version,
            "versions": selectors.versions(practice),
            "sections": sections,
            "language_names": LANGUAGE_NAMES,
            "measures": selectors.adopting_measures(practice, user=user),
            "presented_at": selectors.presenting_events(practice, user=user),
            # "Adopt this practice" is a page of plans, the app above this one.
            "may_adopt": practice.published and has_perm(user, "plans.manage"),
            "may_edit": may_edit,
            "under_review": states.reviewable(practice),
            "may_submit": may_edit and states.submittable(practice),
            "may_review": may_review and states.reviewable(practice),
            "may_unpublish": may_review and states.unpublishable(practice),
            "grant_link": practice.grant_id
            and (
                has_perm(user, "grants.decide", practice.grant)
                or has_perm(user, "grants.apply", practice.grant.application)
            ),
        },
    )


@public
def attachment_file(request, pk: int):
    """An attachment's PDF, for whoever may read its practice; never served from /media/."""
    attachment = selectors.attachment(pk)
    if not permissions.can_view(request.user, attachment.practice):
        raise Http404(_("No such attachment."))
    return FileResponse(
        attachment.file.open("rb"),
        content_type="application/pdf",
        filename=f"practice-{attachment.practice_id}-{attachment.pk}.pdf",
    )


# --- publications ------------------------------------------------------------------------------


def visible_publication(request, pk: int):
    publication = selectors.publication_detail(pk)
    if not permissions.can_view_publication(request.user, publication):
        raise Http404(_("No such publication."))
    return publication


@public
def publication_detail(request, pk: int):
    publication = visible_publication(request, pk)
    return render(
        request,
        "practices/publication.html",
        {
            "publication": publication,
            "summary": markdown(publication.summary),
            "language_name": LANGUAGE_NAMES.get(publication.language, publication.language),
            "may_delete": has_perm(request.user, "practices.manage_publications"),
        },
    )


@public
def publication_file(request, pk: int):
    publication = visible_publication(request, pk)
    if not publication.file:
        raise Http404(_("The publication has no file."))
    return FileResponse(
        publication.file.open("rb"),
        content_type="application/pdf",
        filename=f"publication-{publication.pk}.pdf",
    )


urlpatterns = [
    path("", practice_list, name="list"),
    path("<int:pk>/", practice_detail, name="detail"),
    path("attachments/<int:pk>/", attachment_file, name="attachment"),
    path("publications/<int:pk>/", publication_detail, name="publication"),
    path("publications/<int:pk>/file/", publication_file, name="publication-file"),
]
