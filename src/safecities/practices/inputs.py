"""Checking the input of the knowledge bank's services: each helper returns the clean value or
raises `InvalidInput` naming the field; `clean_practice` checks a practice's fields and the rules
between them on the values the practice will have. The typed data the services take."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.core.errors import InvalidInput
from safecities.core.inputs import choice, records, url
from safecities.core.text import clean_text as _text
from safecities.grants.models import Award
from safecities.indicators.models import Indicator
from safecities.network.models import Municipality, Organisation

from .models import LANGUAGE_CHOICES, TEXT_FIELDS, EvidenceLevel, Practice

LANGUAGES = {code for code, _name in LANGUAGE_CHOICES}
SCALAR_FIELDS = [
    "language",
    "title",
    *TEXT_FIELDS,
    "partners",
    "starts_on",
    "ends_on",
    "activity",
    "evaluation_type",
    "evaluation_measured",
    "evaluation_link",
    "evidence_level",
    "contact_name",
    "contact_email",
    "grant",
    "visibility",
    "last_reviewed_on",
]
M2M_FIELDS = [
    "goals",
    "target_groups",
    "phenomena",
    "arenas",
    "municipalities",
    "organisations",
    "outcome_indicators",
]


class Texts(TypedDict, total=False):
    """A practice's long texts (Markdown), in the practice's language or a translation's."""

    summary: str
    problem: str
    approach: str
    resources: str
    transfer: str
    results: str


class PracticeData(Texts, total=False):
    """A practice's fields as a service takes them; on an update, the ones left out keep their
    values. Records are model instances."""

    language: str
    title: str
    partners: str
    starts_on: date | None
    ends_on: date | None
    activity: str
    evaluation_type: str
    evaluation_measured: str
    evaluation_link: str
    evidence_level: str
    contact_name: str
    contact_email: str
    grant: Award | None
    visibility: str
    last_reviewed_on: date | None
    goals: Iterable[Goal]
    target_groups: Iterable[Term]
    phenomena: Iterable[Term]
    arenas: Iterable[Term]
    municipalities: Iterable[Municipality]
    organisations: Iterable[Organisation]
    outcome_indicators: Iterable[Indicator]


def language(value, field: str = "language") -> str:
    if value not in LANGUAGES:
        raise InvalidInput(_("Choose one of the offered languages."), field=field)
    return value


def email(value, field: str) -> str:
    value = _text(value, field, limit=254)
    if value:
        try:
            EmailValidator()(value)
        except ValidationError as exc:
            raise InvalidInput(_("Give a valid e-mail address."), field=field) from exc
    return value


def day(value, field: str) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, date):
        raise InvalidInput(_("Give a date."), field=field)
    return value


def clean_practice(
    data: Mapping[str, Any], *, existing: Practice | None = None
) -> tuple[dict, dict]:
    """(scalar fields, many-to-many fields) from `data`; on an update, fields left out keep
    their values."""
    scalars: dict = {}
    m2m: dict = {}

    def given(name):
        return existing is None or name in data

    if given("language"):
        scalars["language"] = language(data.get("language"))
    if given("title"):
        scalars["title"] = _text(data.get("title"), "title", required=True, limit=300)
    for name in TEXT_FIELDS:
        if given(name):
            scalars[name] = _text(data.get(name), name, required=name == "summary")
    if given("partners"):
        scalars["partners"] = _text(data.get("partners"), "partners", limit=500)
    for name in ("starts_on", "ends_on", "last_reviewed_on"):
        if given(name):
            scalars[name] = day(data.get(name), name)
    starts = scalars.get("starts_on", existing.starts_on if existing else None)
    ends = scalars.get("ends_on", existing.ends_on if existing else None)
    if starts and ends and ends < starts:
        raise InvalidInput(_("The end must be on or after the start."), field="ends_on")
    if scalars.get("last_reviewed_on") and scalars["last_reviewed_on"] > timezone.localdate():
        raise InvalidInput(_("The date cannot be in the future."), field="last_reviewed_on")
    if given("activity"):
        scalars["activity"] = choice(
            data.get("activity"), "activity", Practice.Activity.choices, "ongoing"
        )
    if given("evaluation_type"):
        scalars["evaluation_type"] = choice(
            data.get("evaluation_type"), "evaluation_type", Practice.EvaluationType.choices, "none"
        )
    if given("evaluation_measured"):
        scalars["evaluation_measured"] = _text(
            data.get("evaluation_measured"), "evaluation_measured", limit=500
        )
    if given("evaluation_link"):
        scalars["evaluation_link"] = url(data.get("evaluation_link"), "evaluation_link")
    if given("evidence_level"):
        scalars["evidence_level"] = choice(
            data.get("evidence_level"), "evidence_level", EvidenceLevel.choices, "described"
        )
    if given("contact_name"):
        scalars["contact_name"] = _text(data.get("contact_name"), "contact_name", limit=200)
    if given("contact_email"):
        scalars["contact_email"] = email(data.get("contact_email"), "contact_email")
    if given("grant"):
        grant = data.get("grant")
        if grant is not None and not isinstance(grant, Award):
            raise InvalidInput(_("Choose one of the offered grants."), field="grant")
        scalars["grant"] = grant
    if given("visibility"):
        scalars["visibility"] = choice(
            data.get("visibility"), "visibility", Practice.Visibility.choices, "public"
        )
    if given("goals"):
        m2m["goals"] = records(data.get("goals"), Goal, "goals")
        if not m2m["goals"]:
            raise InvalidInput(_("Choose at least one charter goal."), field="goals")
    vocabularies = {
        "target_groups": Vocabulary.TARGET_GROUP,
        "phenomena": Vocabulary.PHENOMENON,
        "arenas": Vocabulary.ARENA,
    }
    for name, vocabulary in vocabularies.items():
        if given(name):
            m2m[name] = records(data.get(name), Term, name, vocabulary=vocabulary)
    if given("municipalities"):
        m2m["municipalities"] = records(data.get("municipalities"), Municipality, "municipalities")
    if given("organisations"):
        m2m["organisations"] = records(data.get("organisations"), Organisation, "organisations")
    if given("outcome_indicators"):
        m2m["outcome_indicators"] = records(
            data.get("outcome_indicators"), Indicator, "outcome_indicators"
        )
    unknown = set(data) - set(SCALAR_FIELDS) - set(M2M_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown field."), field=sorted(unknown)[0])
    return scalars, m2m
