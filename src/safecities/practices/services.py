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

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeAlias

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.charter.models import Goal
from safecities.core import audit
from safecities.core.errors import DomainError, InvalidInput
from safecities.core.models import User
from safecities.core.permissions import ensure
from safecities.core.states import move_recorded
from safecities.core.text import clean_text as _text
from safecities.network.documents import InvalidDocument, check_pdf

from . import inputs, search, states
from .inputs import SCALAR_FIELDS, PracticeData, Texts
from .models import (
    TEXT_FIELDS,
    Attachment,
    Practice,
    PracticeTranslation,
    Publication,
)

Actor: TypeAlias = User | AnonymousUser
P = Practice.Status

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


# --- practices ---------------------------------------------------------------------------------


@transaction.atomic
def create_practice(*, actor: Actor, data: PracticeData, illustrative: bool = False) -> Practice:
    """A draft practice written by `actor`. `data`: the fields of `SCALAR_FIELDS` and
    `M2M_FIELDS` (records for the many-to-many ones); title, summary and goals are required."""
    ensure(actor, "practices.propose", field="title")
    scalars, m2m = inputs.clean_practice(data)
    practice = Practice(
        created_by=_user_or_none(actor),
        illustrative=bool(illustrative),
        **scalars,
    )
    practice.save()
    for name, values in m2m.items():
        getattr(practice, name).set(values)
    changes = audit.created(practice, AUDIT_FIELDS)
    changes.update({k: [None, v] for k, v in audit.related_snapshot(practice, m2m).items()})
    audit.record(actor=actor, action="practices.practice.create", target=practice, changes=changes)
    return practice


def _locked(practice: Practice) -> Practice:
    return Practice.objects.select_for_update().get(pk=practice.pk)


def _user_or_none(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) and actor.is_authenticated else None


@transaction.atomic
def update_practice(*, actor: Actor, practice: Practice, data: PracticeData) -> Practice:
    """Change a practice: its author while it is a draft, the secretariat always. Fields left
    out keep their values. A published practice is indexed again."""
    ensure(actor, "practices.edit", practice, field="title")
    practice = _locked(practice)
    ensure(actor, "practices.edit", practice, field="title")
    scalars, m2m = inputs.clean_practice(data, existing=practice)
    before = audit.snapshot(practice, AUDIT_FIELDS) | audit.related_snapshot(practice, m2m)
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
    after = audit.snapshot(practice, AUDIT_FIELDS) | audit.related_snapshot(practice, m2m)
    changes = audit.changes_between(before, after)
    if changes:
        audit.record(
            actor=actor, action="practices.practice.update", target=practice, changes=changes
        )
    search.index_practice(practice)
    return practice


@transaction.atomic
def submit_practice(*, actor: Actor, practice: Practice) -> Practice:
    """The author hands a draft to the secretariat for review."""
    ensure(actor, "practices.edit", practice, field="status")
    practice = _locked(practice)
    if not states.submittable(practice):
        raise WrongStatus(_("Only a draft can be submitted."))
    return move_recorded(
        practice,
        workflow=states.PRACTICE,
        to=P.SUBMITTED,
        actor=actor,
        action="practices.practice.submit",
        also_save=["updated_at"],
    )


@transaction.atomic
def return_practice(*, actor: Actor, practice: Practice, feedback: str) -> Practice:
    """The secretariat sends a submitted practice back to its author with feedback."""
    ensure(actor, "practices.review", practice, field="feedback")
    practice = _locked(practice)
    feedback = _text(feedback, "feedback", required=True, limit=5000)
    if not states.reviewable(practice):
        raise WrongStatus(_("Only a submitted practice can be returned with feedback."))
    practice.feedback = feedback
    return move_recorded(
        practice,
        workflow=states.PRACTICE,
        to=P.DRAFT,
        actor=actor,
        action="practices.practice.return",
        also_save=["feedback", "updated_at"],
        changes={"feedback": [None, feedback]},
    )


@transaction.atomic
def publish_practice(
    *, actor: Actor, practice: Practice, visibility: str | None = None
) -> Practice:
    """The secretariat publishes a submitted practice, for everyone or for members only."""
    ensure(actor, "practices.review", practice, field="status")
    practice = _locked(practice)
    if visibility is not None:
        visibility = inputs.choice(visibility, "visibility", Practice.Visibility.choices)
    if not states.reviewable(practice):
        raise WrongStatus(_("Only a submitted practice can be published."))
    before = audit.snapshot(practice, ["status", "visibility"])
    states.PRACTICE.move(practice, P.PUBLISHED)
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
def unpublish_practice(*, actor: Actor, practice: Practice) -> Practice:
    """The secretariat takes a published practice off the bank: it becomes a draft again."""
    ensure(actor, "practices.review", practice, field="status")
    practice = _locked(practice)
    if not states.unpublishable(practice):
        raise WrongStatus(_("Only a published practice can be unpublished."))
    move_recorded(
        practice,
        workflow=states.PRACTICE,
        to=P.DRAFT,
        actor=actor,
        action="practices.practice.unpublish",
        also_save=["updated_at"],
    )
    search.index_practice(practice)
    return practice


# --- translations ------------------------------------------------------------------------------


@transaction.atomic
def save_translation(
    *,
    actor: Actor,
    practice: Practice,
    language: str,
    translator: str,
    title: str,
    texts: Texts,
) -> PracticeTranslation:
    """Write (or rewrite) the practice's translation into `language`, naming the translator."""
    ensure(actor, "practices.edit", practice, field="language")
    practice = _locked(practice)
    language = inputs.language(language)
    if language == practice.language:
        raise InvalidInput(
            _("The practice is written in this language: choose another."), field="language"
        )
    given: Mapping[str, object] = texts
    unknown = set(given) - set(TEXT_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown field."), field=sorted(unknown)[0])
    values: dict[str, str] = {
        "translator": _text(translator, "translator", required=True, limit=200),
        "title": _text(title, "title", required=True, limit=300),
    }
    for name in TEXT_FIELDS:
        values[name] = _text(given.get(name), name, required=name == "summary")
    translation = PracticeTranslation.objects.filter(practice=practice, language=language).first()
    before: dict[str, Any] = audit.snapshot(translation, TRANSLATION_FIELDS) if translation else {}
    if translation is None:
        translation = PracticeTranslation(
            practice=practice,
            language=language,
            created_by=_user_or_none(actor),
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
def remove_translation(*, actor: Actor, translation: PracticeTranslation) -> None:
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


def _check_attachment(upload: Any, field: str) -> None:
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
def add_attachment(*, actor: Actor, practice: Practice, title: str, file: File) -> Attachment:
    """A PDF of at most `PRACTICE_ATTACHMENT_MAX_BYTES` added to a practice."""
    ensure(actor, "practices.edit", practice, field="file")
    title = _text(title, "title", required=True, limit=300)
    _check_attachment(file, "file")
    attachment = Attachment(
        practice=practice,
        title=title,
        uploaded_by=_user_or_none(actor),
    )
    attachment.file.save(_safe_name(file.name or ""), file, save=False)
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
def remove_attachment(*, actor: Actor, attachment: Attachment) -> None:
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
    actor: Actor,
    title: str,
    summary: str,
    year: int,
    language: str,
    authors: str = "",
    publisher: str = "",
    link: str = "",
    file: File | None = None,
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
    language = inputs.language(language)
    link = inputs.url(link, "link")
    chosen = inputs.records(goals, Goal, "goals")
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
        created_by=_user_or_none(actor),
    )
    if file is not None:
        publication.file.save(_safe_name(file.name or ""), file, save=False)
    publication.save()
    publication.goals.set(chosen)
    changes = audit.created(publication, PUBLICATION_FIELDS)
    changes["goals"] = [None, [g.code for g in chosen]]
    audit.record(
        actor=actor, action="practices.publication.create", target=publication, changes=changes
    )
    search.index_publication(publication)
    return publication


@transaction.atomic
def delete_publication(*, actor: Actor, publication: Publication) -> None:
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
