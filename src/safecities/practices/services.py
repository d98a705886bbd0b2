"""Every write to the knowledge bank: one function per business action, atomic and audited.

Each service checks the actor's permission, then every input, and only then writes: a refusal
raises a `DomainError` naming the field at fault and leaves the data (and stored files) as they
were. The search index is updated in the same transaction (`practices.search`): a practice is
in it, once per language it has, exactly while it is published.

The workflow: a member drafts (`create_practice`, `update_practice`) and submits
(`submit_practice`); the secretariat returns it with feedback (`return_practice`, back to a
draft the author can edit) or publishes it (`publish_practice`) for everyone or for members
only; `unpublish_practice` takes it off the bank again (back to a draft).
"""

import re
from collections.abc import Iterable, Mapping
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.core import audit
from safecities.core.errors import DomainError, InvalidInput
from safecities.core.permissions import ensure
from safecities.core.text import clean_text as _text
from safecities.grants.models import Award
from safecities.indicators.models import Indicator
from safecities.network.documents import InvalidDocument, check_pdf
from safecities.network.models import Municipality, Organisation

from . import search
from .models import (
    LANGUAGE_CHOICES,
    TEXT_FIELDS,
    Attachment,
    EvidenceLevel,
    Practice,
    PracticeTranslation,
    Publication,
)

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
AUDIT_FIELDS = [*SCALAR_FIELDS, "status", "illustrative"]
TRANSLATION_FIELDS = ["language", "translator", "title", *TEXT_FIELDS]
PUBLICATION_FIELDS = [
    "title",
    "summary",
    "authors",
    "publisher",
    "year",
    "language",
    "file",
    "link",
    "public",
]


class WrongStatus(DomainError):
    status = 409
    field = "status"


class AlreadyTranslated(DomainError):
    status = 409
    field = "language"


# --- checking input ----------------------------------------------------------------------------


def _choice(value, field: str, choices, default=None) -> str:
    if value in (None, "") and default is not None:
        return default
    if value not in {v for v, _label in choices}:
        raise InvalidInput(_("Choose one of the offered values."), field=field)
    return value


def _language(value, field: str = "language") -> str:
    if value not in LANGUAGES:
        raise InvalidInput(_("Choose one of the offered languages."), field=field)
    return value


def _url(value, field: str) -> str:
    value = _text(value, field, limit=500)
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError as exc:
            raise InvalidInput(
                _("Give a web address starting with https://."), field=field
            ) from exc
    return value


def _email(value, field: str) -> str:
    value = _text(value, field, limit=254)
    if value:
        try:
            EmailValidator()(value)
        except ValidationError as exc:
            raise InvalidInput(_("Give a valid e-mail address."), field=field) from exc
    return value


def _day(value, field: str) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, date):
        raise InvalidInput(_("Give a date."), field=field)
    return value


def _records(values, model, field: str, **filters) -> list:
    values = list(values or [])
    if any(not isinstance(v, model) for v in values):
        raise InvalidInput(_("Choose from the offered values."), field=field)
    if filters:
        ids = {v.pk for v in values}
        if model.objects.filter(pk__in=ids, **filters).count() != len(ids):
            raise InvalidInput(_("Choose from the offered values."), field=field)
    return list(dict.fromkeys(values))


def _clean(data: Mapping, *, existing: Practice | None = None) -> tuple[dict, dict]:
    """(scalar fields, many-to-many fields) from `data`; on an update, fields left out keep
    their values."""
    scalars: dict = {}
    m2m: dict = {}

    def given(name):
        return existing is None or name in data

    if given("language"):
        scalars["language"] = _language(data.get("language"))
    if given("title"):
        scalars["title"] = _text(data.get("title"), "title", required=True, limit=300)
    for name in TEXT_FIELDS:
        if given(name):
            scalars[name] = _text(data.get(name), name, required=name == "summary")
    if given("partners"):
        scalars["partners"] = _text(data.get("partners"), "partners", limit=500)
    for name in ("starts_on", "ends_on", "last_reviewed_on"):
        if given(name):
            scalars[name] = _day(data.get(name), name)
    starts = scalars.get("starts_on", existing.starts_on if existing else None)
    ends = scalars.get("ends_on", existing.ends_on if existing else None)
    if starts and ends and ends < starts:
        raise InvalidInput(_("The end must be on or after the start."), field="ends_on")
    if scalars.get("last_reviewed_on") and scalars["last_reviewed_on"] > timezone.localdate():
        raise InvalidInput(_("The date cannot be in the future."), field="last_reviewed_on")
    if given("activity"):
        scalars["activity"] = _choice(
            data.get("activity"), "activity", Practice.Activity.choices, "ongoing"
        )
    if given("evaluation_type"):
        scalars["evaluation_type"] = _choice(
            data.get("evaluation_type"), "evaluation_type", Practice.EvaluationType.choices, "none"
        )
    if given("evaluation_measured"):
        scalars["evaluation_measured"] = _text(
            data.get("evaluation_measured"), "evaluation_measured", limit=500
        )
    if given("evaluation_link"):
        scalars["evaluation_link"] = _url(data.get("evaluation_link"), "evaluation_link")
    if given("evidence_level"):
        scalars["evidence_level"] = _choice(
            data.get("evidence_level"), "evidence_level", EvidenceLevel.choices, "described"
        )
    if given("contact_name"):
        scalars["contact_name"] = _text(data.get("contact_name"), "contact_name", limit=200)
    if given("contact_email"):
        scalars["contact_email"] = _email(data.get("contact_email"), "contact_email")
    if given("grant"):
        grant = data.get("grant")
        if grant is not None and not isinstance(grant, Award):
            raise InvalidInput(_("Choose one of the offered grants."), field="grant")
        scalars["grant"] = grant
    if given("visibility"):
        scalars["visibility"] = _choice(
            data.get("visibility"), "visibility", Practice.Visibility.choices, "public"
        )
    if given("goals"):
        m2m["goals"] = _records(data.get("goals"), Goal, "goals")
        if not m2m["goals"]:
            raise InvalidInput(_("Choose at least one charter goal."), field="goals")
    vocabularies = {
        "target_groups": Vocabulary.TARGET_GROUP,
        "phenomena": Vocabulary.PHENOMENON,
        "arenas": Vocabulary.ARENA,
    }
    for name, vocabulary in vocabularies.items():
        if given(name):
            m2m[name] = _records(data.get(name), Term, name, vocabulary=vocabulary)
    if given("municipalities"):
        m2m["municipalities"] = _records(data.get("municipalities"), Municipality, "municipalities")
    if given("organisations"):
        m2m["organisations"] = _records(data.get("organisations"), Organisation, "organisations")
    if given("outcome_indicators"):
        m2m["outcome_indicators"] = _records(
            data.get("outcome_indicators"), Indicator, "outcome_indicators"
        )
    unknown = set(data) - set(SCALAR_FIELDS) - set(M2M_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown field."), field=sorted(unknown)[0])
    return scalars, m2m


def _m2m_snapshot(practice: Practice, names: Iterable[str]) -> dict:
    return {name: sorted(str(v) for v in getattr(practice, name).all()) for name in names}


# --- practices ---------------------------------------------------------------------------------


@transaction.atomic
def create_practice(*, actor, illustrative: bool = False, **data) -> Practice:
    """A draft practice written by `actor`. `data`: the fields of `SCALAR_FIELDS` and
    `M2M_FIELDS` (records for the many-to-many ones); title, summary and goals are required."""
    ensure(actor, "practices.propose", field="title")
    scalars, m2m = _clean(data)
    practice = Practice(
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        illustrative=bool(illustrative),
        **scalars,
    )
    practice.save()
    for name, values in m2m.items():
        getattr(practice, name).set(values)
    changes = audit.created(practice, AUDIT_FIELDS)
    changes.update({k: [None, v] for k, v in _m2m_snapshot(practice, m2m).items()})
    audit.record(actor=actor, action="practices.practice.create", target=practice, changes=changes)
    return practice


def _locked(practice: Practice) -> Practice:
    return Practice.objects.select_for_update().get(pk=practice.pk)


@transaction.atomic
def update_practice(*, actor, practice: Practice, **data) -> Practice:
    """Change a practice: its author while it is a draft, the secretariat always. Fields left
    out keep their values. A published practice is indexed again."""
    ensure(actor, "practices.edit", practice, field="title")
    practice = _locked(practice)
    ensure(actor, "practices.edit", practice, field="title")
    scalars, m2m = _clean(data, existing=practice)
    before = audit.snapshot(practice, AUDIT_FIELDS) | _m2m_snapshot(practice, m2m)
    for name, value in scalars.items():
        setattr(practice, name, value)
    if "language" in scalars and practice.translations.filter(language=practice.language):
        raise AlreadyTranslated(
            _("The practice has a translation into this language: remove it first."),
            field="language",
        )
    practice.save()
    for name, values in m2m.items():
        getattr(practice, name).set(values)
    after = audit.snapshot(practice, AUDIT_FIELDS) | _m2m_snapshot(practice, m2m)
    changes = audit.changes_between(before, after)
    if changes:
        audit.record(
            actor=actor, action="practices.practice.update", target=practice, changes=changes
        )
    search.index_practice(practice)
    return practice


@transaction.atomic
def submit_practice(*, actor, practice: Practice) -> Practice:
    """The author hands a draft to the secretariat for review."""
    ensure(actor, "practices.edit", practice, field="status")
    practice = _locked(practice)
    if practice.status != Practice.Status.DRAFT:
        raise WrongStatus(_("Only a draft can be submitted."))
    practice.status = Practice.Status.SUBMITTED
    practice.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="practices.practice.submit",
        target=practice,
        changes={"status": ["draft", "submitted"]},
    )
    return practice


@transaction.atomic
def return_practice(*, actor, practice: Practice, feedback: str) -> Practice:
    """The secretariat sends a submitted practice back to its author with feedback."""
    ensure(actor, "practices.review", practice, field="feedback")
    practice = _locked(practice)
    feedback = _text(feedback, "feedback", required=True, limit=5000)
    if practice.status != Practice.Status.SUBMITTED:
        raise WrongStatus(_("Only a submitted practice can be returned with feedback."))
    practice.status = Practice.Status.DRAFT
    practice.feedback = feedback
    practice.save(update_fields=["status", "feedback", "updated_at"])
    audit.record(
        actor=actor,
        action="practices.practice.return",
        target=practice,
        changes={"status": ["submitted", "draft"], "feedback": [None, feedback]},
    )
    return practice


@transaction.atomic
def publish_practice(*, actor, practice: Practice, visibility: str | None = None) -> Practice:
    """The secretariat publishes a submitted practice, for everyone or for members only."""
    ensure(actor, "practices.review", practice, field="status")
    practice = _locked(practice)
    if visibility is not None:
        visibility = _choice(visibility, "visibility", Practice.Visibility.choices)
    if practice.status != Practice.Status.SUBMITTED:
        raise WrongStatus(_("Only a submitted practice can be published."))
    before = audit.snapshot(practice, ["status", "visibility"])
    practice.status = Practice.Status.PUBLISHED
    if visibility:
        practice.visibility = visibility
    practice.feedback = ""
    practice.published_at = timezone.now()
    if practice.last_reviewed_on is None:
        practice.last_reviewed_on = timezone.localdate()
    practice.save()
    audit.record(
        actor=actor,
        action="practices.practice.publish",
        target=practice,
        changes=audit.changes_between(before, audit.snapshot(practice, ["status", "visibility"])),
    )
    search.index_practice(practice)
    return practice


@transaction.atomic
def unpublish_practice(*, actor, practice: Practice) -> Practice:
    """The secretariat takes a published practice off the bank: it becomes a draft again."""
    ensure(actor, "practices.review", practice, field="status")
    practice = _locked(practice)
    if practice.status != Practice.Status.PUBLISHED:
        raise WrongStatus(_("Only a published practice can be unpublished."))
    practice.status = Practice.Status.DRAFT
    practice.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="practices.practice.unpublish",
        target=practice,
        changes={"status": ["published", "draft"]},
    )
    search.index_practice(practice)
    return practice


# --- translations ------------------------------------------------------------------------------


@transaction.atomic
def save_translation(
    *, actor, practice: Practice, language: str, translator: str, title: str, **texts
) -> PracticeTranslation:
    """Write (or rewrite) the practice's translation into `language`, naming the translator."""
    ensure(actor, "practices.edit", practice, field="language")
    practice = _locked(practice)
    language = _language(language)
    if language == practice.language:
        raise InvalidInput(
            _("The practice is written in this language: choose another."), field="language"
        )
    unknown = set(texts) - set(TEXT_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown field."), field=sorted(unknown)[0])
    values = {
        "translator": _text(translator, "translator", required=True, limit=200),
        "title": _text(title, "title", required=True, limit=300),
    }
    for name in TEXT_FIELDS:
        values[name] = _text(texts.get(name), name, required=name == "summary")
    translation = PracticeTranslation.objects.filter(practice=practice, language=language).first()
    before = audit.snapshot(translation, TRANSLATION_FIELDS) if translation else {}
    if translation is None:
        translation = PracticeTranslation(
            practice=practice,
            language=language,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    for name, value in values.items():
        setattr(translation, name, value)
    translation.save()
    changes = audit.changes_between(before, audit.snapshot(translation, TRANSLATION_FIELDS))
    if changes:
        audit.record(
            actor=actor,
            action="practices.translation.save",
            target=translation,
            changes=changes,
        )
    search.index_practice(practice)
    return translation


@transaction.atomic
def remove_translation(*, actor, translation: PracticeTranslation) -> None:
    practice = translation.practice
    ensure(actor, "practices.edit", practice, field="language")
    changes = audit.snapshot(translation, TRANSLATION_FIELDS)
    audit.record(
        actor=actor,
        action="practices.translation.remove",
        target=translation,
        changes={k: [v, None] for k, v in changes.items()},
    )
    language = translation.language
    translation.delete()
    search.remove_language(practice, language)


# --- attachments -------------------------------------------------------------------------------


def _check_attachment(upload, field: str) -> None:
    if upload is None or not hasattr(upload, "read") or not hasattr(upload, "size"):
        raise InvalidInput(_("Choose a PDF file."), field=field)
    limit = settings.PRACTICE_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise InvalidInput(
            _("The file is %(size).1f MB; the limit is %(limit)d MB.")
            % {"size": upload.size / 1024 / 1024, "limit": limit // 1024 // 1024},
            field=field,
        )
    try:
        check_pdf(upload, field=field)
    except InvalidDocument as error:
        raise InvalidInput(error.message, field=field) from error


def _safe_name(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", (name or "file").rsplit("/", 1)[-1]).strip("-.")
    stem = stem[:80] or "file"
    return stem if stem.lower().endswith(".pdf") else f"{stem}.pdf"


@transaction.atomic
def add_attachment(*, actor, practice: Practice, title: str, file) -> Attachment:
    """A PDF of at most `PRACTICE_ATTACHMENT_MAX_BYTES` added to a practice."""
    ensure(actor, "practices.edit", practice, field="file")
    title = _text(title, "title", required=True, limit=300)
    _check_attachment(file, "file")
    attachment = Attachment(
        practice=practice,
        title=title,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    attachment.file.save(_safe_name(file.name), file, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    audit.record(
        actor=actor,
        action="practices.attachment.add",
        target=attachment,
        changes=audit.created(attachment, ["title", "file"]),
    )
    return attachment


@transaction.atomic
def remove_attachment(*, actor, attachment: Attachment) -> None:
    ensure(actor, "practices.edit", attachment.practice, field="file")
    audit.record(
        actor=actor,
        action="practices.attachment.remove",
        target=attachment,
        changes={"title": [attachment.title, None], "file": [attachment.file.name, None]},
    )
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- publications ------------------------------------------------------------------------------


@transaction.atomic
def create_publication(
    *,
    actor,
    title: str,
    summary: str,
    year: int,
    language: str,
    authors: str = "",
    publisher: str = "",
    link: str = "",
    file=None,
    goals: Iterable[Goal] = (),
    public: bool = True,
) -> Publication:
    """A report or publication (a file, a link or both) in the knowledge bank's search."""
    ensure(actor, "practices.manage_publications", field="title")
    title = _text(title, "title", required=True, limit=300)
    summary = _text(summary, "summary", required=True)
    authors = _text(authors, "authors", limit=500)
    publisher = _text(publisher, "publisher", limit=300)
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2100:
        raise InvalidInput(_("Give a year between 1900 and 2100."), field="year")
    language = _language(language)
    link = _url(link, "link")
    goals = _records(goals, Goal, "goals")
    if file is not None:
        _check_attachment(file, "file")
    elif not link:
        raise InvalidInput(_("Give a file or a link."), field="link")
    publication = Publication(
        title=title,
        summary=summary,
        authors=authors,
        publisher=publisher,
        year=year,
        language=language,
        link=link,
        public=bool(public),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if file is not None:
        publication.file.save(_safe_name(file.name), file, save=False)
    publication.save()
    publication.goals.set(goals)
    changes = audit.created(publication, PUBLICATION_FIELDS)
    changes["goals"] = [None, [g.code for g in goals]]
    audit.record(
        actor=actor, action="practices.publication.create", target=publication, changes=changes
    )
    search.index_publication(publication)
    return publication


@transaction.atomic
def delete_publication(*, actor, publication: Publication) -> None:
    ensure(actor, "practices.manage_publications", publication, field="title")
    changes = {k: [v, None] for k, v in audit.snapshot(publication, PUBLICATION_FIELDS).items()}
    audit.record(
        actor=actor, action="practices.publication.delete", target=publication, changes=changes
    )
    search.remove_publication(publication)
    storage, name = publication.file.storage, publication.file.name
    publication.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
