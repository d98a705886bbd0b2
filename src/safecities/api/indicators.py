"""Indicators in the API: their definitions, and the observations of each city and period.

Every value goes out through the small-number rule (`indicators.suppression`): a small count is
`null` with `"suppressed": true` and the display text "<5", a rate built on a small numerator is
`null` with no display text, and neither the numerator, the denominator nor the confidence
interval of a suppressed value is given. Values travel as decimal strings ("12.5"), never as
JSON numbers. Who entered a value is personal data and never leaves the server; where it came
from (`source_url`, `retrieved_at`) does.

A coordinator writes their own city's observations with a personal token, the secretariat any
city's (`indicators.write_city`, asked by `services.record_observation`).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from safecities.core.errors import DomainError
from safecities.core.text import LongText, SingleLine
from safecities.indicators import periods, selectors, services, suppression
from safecities.indicators.models import Indicator, Observation, ObservationStatus
from safecities.network import selectors as network_selectors
from safecities.network.models import Municipality

from .auth import TokenAuth
from .paging import Pagination

router = Router(tags=["indicators"])


def municipality_by_slug_or_code(text: str) -> Municipality | str:
    """The municipality whose slug (`oslo`) or official code (`0301`) is `text`, or a message
    saying why there is none (no such slug or code, or a code used in several countries)."""
    text = (text or "").strip()
    found = network_selectors.municipality_by_slug_or_code(text)
    if found is not None:
        return found
    if network_selectors.municipalities().filter(code=text).exists():
        return _('The code "%(code)s" is used in several countries: give the slug.') % {
            "code": text
        }
    return _('No municipality has the slug or official code "%(text)s".') % {"text": text}


# --- helpers -----------------------------------------------------------------------------------


def _city(text: str, field: str) -> Municipality:
    found = municipality_by_slug_or_code(text)
    if isinstance(found, str):
        raise services.InvalidInput(found, field=field)
    return found


# Names the services give fields, as the API's inputs name them.
_API_FIELDS = {"municipality": "city"}


@contextmanager
def api_fields() -> Iterator[None]:
    """Let a service's refusal name the field as the API's input names it."""
    try:
        yield
    except DomainError as exc:
        if exc.field in _API_FIELDS:
            exc.field = _API_FIELDS[exc.field]
        raise


def _small(number) -> bool:
    return number is not None and 0 < number < suppression.threshold()


def _text(number) -> str | None:
    return None if number is None else format(number.normalize(), "f")


# --- schemas -----------------------------------------------------------------------------------


class IndicatorOut(Schema):
    code: str
    name: str
    names: dict
    description: str
    descriptions: dict
    kind: str
    unit_type: str
    better: str
    source: str
    source_name: str
    period_type: str
    goal: str | None
    licence: str

    @staticmethod
    def resolve_name(obj: Indicator) -> str:
        return obj.display_name

    @staticmethod
    def resolve_names(obj: Indicator) -> dict:
        return obj.name

    @staticmethod
    def resolve_description(obj: Indicator) -> str:
        return obj.display_description

    @staticmethod
    def resolve_descriptions(obj: Indicator) -> dict:
        return obj.description

    @staticmethod
    def resolve_goal(obj: Indicator) -> str | None:
        return obj.goal.code if obj.goal is not None else None


class IndicatorDetailOut(IndicatorOut):
    numerator_descriptions: dict
    denominator_descriptions: dict
    interpretations: dict
    comparability_breaks: dict

    @staticmethod
    def resolve_numerator_descriptions(obj: Indicator) -> dict:
        return obj.numerator_description

    @staticmethod
    def resolve_denominator_descriptions(obj: Indicator) -> dict:
        return obj.denominator_description

    @staticmethod
    def resolve_interpretations(obj: Indicator) -> dict:
        return obj.interpretation


class ObservationCityOut(Schema):
    slug: str
    name: str
    code: str


class ObservationOut(Schema):
    """One value as it may be shown: the small-number rule decided before it is sent."""

    id: int
    indicator: str
    city: ObservationCityOut
    district: str
    period: str
    period_start: date
    value: str | None
    display: str | None
    suppressed: bool
    numerator: str | None
    denominator: str | None
    sample_size: int | None
    ci_low: str | None
    ci_high: str | None
    status: str
    note: str
    source_url: str
    retrieved_at: datetime | None
    updated_at: datetime

    @staticmethod
    def resolve_indicator(obj: Observation) -> str:
        return obj.indicator.code

    @staticmethod
    def resolve_city(obj: Observation) -> Municipality:
        return obj.municipality

    @staticmethod
    def resolve_value(obj: Observation) -> str | None:
        return None if suppression.is_suppressed(obj) else _text(obj.value)

    @staticmethod
    def resolve_display(obj: Observation) -> str | None:
        return suppression.display_value(obj)

    @staticmethod
    def resolve_suppressed(obj: Observation) -> bool:
        return suppression.is_suppressed(obj)

    @staticmethod
    def resolve_numerator(obj: Observation) -> str | None:
        if suppression.is_suppressed(obj) or _small(obj.numerator):
            return None
        return _text(obj.numerator)

    @staticmethod
    def resolve_denominator(obj: Observation) -> str | None:
        return None if suppression.is_suppressed(obj) else _text(obj.denominator)

    @staticmethod
    def resolve_sample_size(obj: Observation) -> int | None:
        return None if suppression.is_suppressed(obj) else obj.sample_size

    @staticmethod
    def resolve_ci_low(obj: Observation) -> str | None:
        return None if suppression.is_suppressed(obj) else _text(obj.ci_low)

    @staticmethod
    def resolve_ci_high(obj: Observation) -> str | None:
        return None if suppression.is_suppressed(obj) else _text(obj.ci_high)


class ObservationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    indicator: str
    city: str
    period: str
    value: str
    district: SingleLine = ""
    numerator: str | None = None
    denominator: str | None = None
    sample_size: int | None = None
    ci_low: str | None = None
    ci_high: str | None = None
    status: str = ObservationStatus.PROVISIONAL
    note: LongText = ""
    source_url: str = ""
    retrieved_at: datetime | None = None


# --- definitions -------------------------------------------------------------------------------


@router.get("", response=list[IndicatorOut], url_name="indicators")
@paginate(Pagination, page_size=50)
def indicators(request):
    """Indicator definitions, by code, with their names and descriptions in every language."""
    return selectors.indicators_list()


# Declared before `/{code}`, which would take "observations" for a code.
@router.get("/observations", response=list[ObservationOut], url_name="indicators-observations")
@paginate(Pagination, page_size=50)
def observations(
    request,
    indicator: str | None = None,
    city: str | None = None,
    period: str | None = None,
):
    """Observations (`?indicator=<code>&city=<slug or official code>&period=2024`), by
    indicator, city, district and period. With an indicator, the period may be written as any
    spelling of its period type (`2024Q3`, `2024-Q3`)."""
    of = selectors.indicator_by_code(indicator) if indicator else None
    place = None
    if city:
        place = municipality_by_slug_or_code(city)
        if isinstance(place, str):
            raise Http404(place)
    if period and of is not None:
        period = periods.normalise(period, of.period_type)[0]
    return selectors.observations(
        indicator=of, municipality=place, period=period.strip() if period else None
    )


@router.get("/{code}", response=IndicatorDetailOut, url_name="indicator")
def indicator(request, code: str):
    """An indicator's definition, with what its numerator and denominator count and the notes
    on interpreting it, in every language."""
    return selectors.indicator_by_code(code)


# --- writes ------------------------------------------------------------------------------------


@router.post(
    "/observations",
    response={201: ObservationOut},
    auth=TokenAuth(),
    url_name="indicators-observations",
)
def record_observation(request, payload: ObservationIn):
    """Record a city's value for a period: a coordinator for their own city, the secretariat
    for any. A second value for the same indicator, place and period updates it (its history
    is kept); the answer is the observation as stored, with the small-number rule applied."""
    try:
        of = selectors.indicator_by_code(payload.indicator)
    except Http404 as exc:
        raise services.InvalidInput(str(exc), field="indicator") from exc
    place = _city(payload.city, "city")
    with api_fields():
        stored = services.record_observation(
            actor=request.auth,
            indicator=of,
            municipality=place,
            period=payload.period,
            value=payload.value,
            district=payload.district,
            numerator=payload.numerator,
            denominator=payload.denominator,
            sample_size=payload.sample_size,
            ci_low=payload.ci_low,
            ci_high=payload.ci_high,
            status=payload.status,
            note=payload.note,
            source_url=payload.source_url,
            retrieved_at=payload.retrieved_at,
        )
    return Status(201, selectors.observations().get(pk=stored.pk))
