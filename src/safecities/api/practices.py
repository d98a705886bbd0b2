"""The knowledge bank in the API: search over practices and publications in every language
(the same search and filters as the page), a practice with its translations and links, and
proposing a practice (a draft) with a member's token.

A practice for members only is found only with a token; a draft or submitted one only by its
author and the secretariat, as `practices.permissions.can_view` decides for the pages.
"""

from datetime import date, datetime

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.core.errors import DomainError
from safecities.core.text import LongText, SingleLine
from safecities.indicators.models import Indicator
from safecities.network.models import Municipality, Organisation
from safecities.practices import permissions, selectors, services
from safecities.practices.models import Practice

from .auth import TokenAuth

router = Router(tags=["practices"])


def anyone(request):
    """Public reads that show more to a token's owner: no token (or a bad one) is anonymous."""
    return AnonymousUser()


OPTIONAL_TOKEN = [TokenAuth(), anyone]


def _user(request):
    return request.auth if getattr(request.auth, "is_authenticated", False) else None


# --- search ------------------------------------------------------------------------------------


class SearchFilters(Schema):
    q: str = ""
    goal: list[str] = Field(default_factory=list)
    country: list[str] = Field(default_factory=list)
    target_group: list[str] = Field(default_factory=list)
    phenomenon: list[str] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)
    language: list[str] = Field(default_factory=list)
    kind: list[str] = Field(default_factory=list)
    sort: str = "relevance"
    page: int = Field(1, ge=1, le=10_000)


class HitOut(Schema):
    kind: str
    id: int
    language: str
    title: str
    url: str
    snippet: str
    date: date | None
    score: float


class FacetValueOut(Schema):
    value: str
    count: int


class SearchOut(Schema):
    query: str
    total: int
    counts_exact: bool = Field(
        description="False when so many matched that `total`, `num_pages` and the facet counts "
        "were counted among the best matches only: each is then a lower bound (at least). "
        "The hits are the same either way."
    )
    page: int
    num_pages: int
    message: str
    query_too_long: bool
    facets: dict[str, list[FacetValueOut]]
    hits: list[HitOut]


@router.get("", response=SearchOut, auth=OPTIONAL_TOKEN, url_name="practices")
def search(request, filters: Query[SearchFilters]):
    """Search practices and publications in every Nordic language and English (`?q=`), with
    the page's filters (each may repeat: `?goal=safe-communities&goal=strong-families`,
    `country`, `target_group`, `phenomenon`, `evidence`, `language`, `kind`), `sort`
    (relevance or date) and `page`. Each hit names its `language`; `snippet` is HTML with
    `<mark>` around matches. A query of only common words gives no hits and a `message`.
    When very many match, `total`, `num_pages` and the facet counts are lower bounds and
    `counts_exact` is false."""
    result = selectors.search_bank(
        filters.q,
        user=_user(request),
        filters={
            "goal": filters.goal,
            "country": filters.country,
            "target_group": filters.target_group,
            "phenomenon": filters.phenomenon,
            "evidence": filters.evidence,
            "language": filters.language,
        },
        kinds=filters.kind,
        sort=filters.sort,
        page=filters.page,
    )
    return {
        "query": result.query,
        "total": result.total,
        "counts_exact": result.counts_exact,
        "page": result.page,
        "num_pages": result.num_pages,
        "message": str(result.message or ""),
        "query_too_long": result.query_too_long,
        "facets": {
            name: [{"value": v, "count": n} for v, n in values]
            for name, values in result.facets.items()
        },
        "hits": [
            {
                "kind": h.kind,
                "id": h.object_id,
                "language": h.language,
                "title": h.title,
                "url": request.build_absolute_uri(h.url),
                "snippet": str(h.snippet),
                "date": h.date,
                "score": h.score,
            }
            for h in result.hits
        ],
    }


# --- a practice --------------------------------------------------------------------------------


class TranslationOut(Schema):
    language: str
    translator: str
    title: str
    summary: str
    problem: str
    approach: str
    resources: str
    transfer: str
    results: str


class MeasureLinkOut(Schema):
    id: int
    title: str
    plan: int
    city: str


class EventLinkOut(Schema):
    id: int
    title: str
    starts_at: datetime
    url: str


class AttachmentOut(Schema):
    title: str
    url: str


class PracticeOut(Schema):
    id: int
    language: str
    title: str
    summary: str
    problem: str
    approach: str
    resources: str
    transfer: str
    results: str
    status: str
    visibility: str
    illustrative: bool
    evidence_level: str
    evaluation_type: str
    evaluation_measured: str
    evaluation_link: str
    activity: str
    starts_on: date | None
    ends_on: date | None
    last_reviewed_on: date | None
    partners: str
    contact_name: str
    contact_email: str
    goals: list[str]
    target_groups: list[str]
    phenomena: list[str]
    arenas: list[str]
    cities: list[str]
    organisations: list[str]
    grant: int | None
    outcome_indicators: list[str]
    measures: list[MeasureLinkOut]
    events: list[EventLinkOut]
    attachments: list[AttachmentOut]
    translations: list[TranslationOut]
    url: str


def _practice_out(request, practice: Practice) -> dict:
    out = {
        name: getattr(practice, name)
        for name in PracticeOut.model_fields
        if hasattr(practice, name)
    }
    out.update(
        {
            "goals": [g.code for g in practice.goals.all()],
            "target_groups": [t.code for t in practice.target_groups.all()],
            "phenomena": [t.code for t in practice.phenomena.all()],
            "arenas": [t.code for t in practice.arenas.all()],
            "cities": [m.slug for m in practice.municipalities.all()],
            "organisations": [o.slug for o in practice.organisations.all()],
            "grant": practice.grant_id,
            "outcome_indicators": [i.code for i in practice.outcome_indicators.all()],
            "measures": [
                {
                    "id": m.pk,
                    "title": m.title,
                    "plan": m.plan_id,
                    "city": m.plan.municipality.slug,
                }
                for m in selectors.adopting_measures(
                    practice, user=_user(request) or AnonymousUser()
                )
            ],
            "events": [
                {
                    "id": e.pk,
                    "title": e.display_title,
                    "starts_at": e.starts_at,
                    "url": request.build_absolute_uri(reverse("events:detail", args=[e.pk])),
                }
                for e in selectors.presenting_events(
                    practice, user=_user(request) or AnonymousUser()
                )
            ],
            "attachments": [
                {
                    "title": a.title,
                    "url": request.build_absolute_uri(reverse("practices:attachment", args=[a.pk])),
                }
                for a in practice.attachments.all()
            ],
            "translations": list(practice.translations.all()),
            "url": request.build_absolute_uri(reverse("practices:detail", args=[practice.pk])),
        }
    )
    return out


@router.get("/{int:pk}", response=PracticeOut, auth=OPTIONAL_TOKEN, url_name="practice")
def practice(request, pk: int):
    """A practice in its original language with every translation (each naming its
    translator), and its links: the grant that funded it, the measures of action plans that
    adopted it, the events where it was presented, the outcome indicators it aims to move,
    its attachments."""
    obj = selectors.practice_detail(pk)
    if not permissions.can_view(_user(request) or AnonymousUser(), obj):
        raise Http404
    return _practice_out(request, obj)


class PracticeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    language: str
    title: SingleLine
    summary: LongText
    problem: LongText = ""
    approach: LongText = ""
    resources: LongText = ""
    transfer: LongText = ""
    results: LongText = ""
    goals: list[str]
    target_groups: list[str] = Field(default_factory=list)
    phenomena: list[str] = Field(default_factory=list)
    arenas: list[str] = Field(default_factory=list)
    cities: list[str] = Field(default_factory=list)
    organisations: list[str] = Field(default_factory=list)
    outcome_indicators: list[str] = Field(default_factory=list)
    partners: LongText = ""
    starts_on: date | None = None
    ends_on: date | None = None
    activity: str = "ongoing"
    evaluation_type: str = "none"
    evaluation_measured: LongText = ""
    evaluation_link: str = ""
    evidence_level: str = "described"
    contact_name: SingleLine = ""
    contact_email: SingleLine = ""
    visibility: str = "public"


class UnknownCode(DomainError):
    pass


def _by_codes(model, codes: list[str], field: str, key: str = "code", **filters) -> list:
    codes = list(dict.fromkeys(codes))
    found = {getattr(o, key): o for o in model.objects.filter(**{f"{key}__in": codes}, **filters)}
    for code in codes:
        if code not in found:
            raise UnknownCode(f"{code!r}: " + _("no such value."), field=field)
    return [found[c] for c in codes]


@router.post("", response={201: PracticeOut}, auth=TokenAuth(), url_name="practices-create")
def create(request, payload: PracticeIn):
    """Propose a practice: it is saved as your draft, to submit for review on the site.
    Goals, terms, cities, organisations and indicators are given by their codes and slugs."""
    data = payload.dict()
    data["goals"] = _by_codes(Goal, data["goals"], "goals")
    for name, vocabulary in (
        ("target_groups", Vocabulary.TARGET_GROUP),
        ("phenomena", Vocabulary.PHENOMENON),
        ("arenas", Vocabulary.ARENA),
    ):
        data[name] = _by_codes(Term, data[name], name, vocabulary=vocabulary)
    data["municipalities"] = _by_codes(Municipality, data.pop("cities"), "cities", key="slug")
    data["organisations"] = _by_codes(
        Organisation, data["organisations"], "organisations", key="slug"
    )
    data["outcome_indicators"] = _by_codes(
        Indicator, data["outcome_indicators"], "outcome_indicators"
    )
    created = services.create_practice(actor=request.auth, data=data)
    return Status(201, _practice_out(request, selectors.practice_detail(created.pk)))
