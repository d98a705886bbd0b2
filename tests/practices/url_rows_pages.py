"""The knowledge bank's pages and API in the permission walk (see tests/test_url_permissions.py):
what a GET answers each role, and the demo records the URLs are walked with.

Columns, in the order of `tests.conftest.ROLES`: anonymous, member, coordinator,
organisation_contact, reviewer, funder_officer, secretariat. The demo's practices are written by
member@example.org; the pages that change a practice are walked with a draft of theirs made
through the services (only its author and the secretariat may change it). "Dialogkafé for nye og
gamle naboer" is the demo's practice for members only: a visitor does not find it (404).
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from safecities.charter.models import Goal
from safecities.demo.pdf import simple_pdf
from safecities.practices import services
from safecities.practices.models import Attachment, Practice, Publication

LOGIN = "302 → login"
EVERYONE = (200, 200, 200, 200, 200, 200, 200)
MEMBERS = (LOGIN, 200, 200, 200, 200, 200, 200)
AUTHOR = (LOGIN, 200, 403, 403, 403, 403, 200)  # the draft's author and the secretariat
SECRETARIAT = (LOGIN, 403, 403, 403, 403, 403, 200)

# fmt: off
ROWS: dict = {
    #                                   anon   member coord contact review funder secretariat
    "practices:list":                   EVERYONE,
    "practices:detail":                 (404,   200,  200,  200,    200,   200,   200),
    "practices:attachment":             EVERYONE,
    "practices:publication":            EVERYONE,
    "practices:publication-file":       EVERYONE,
    "practices:create":                 MEMBERS,
    "practices:mine":                   MEMBERS,
    "practices:queue":                  SECRETARIAT,
    "practices:edit":                   AUTHOR,
    "practices:translate":              AUTHOR,
    "practices:translation-remove":     AUTHOR,
    "practices:attach":                 AUTHOR,
    "practices:attachment-remove":      AUTHOR,
    "practices:submit":                 AUTHOR,
    "practices:review":                 SECRETARIAT,
    "practices:unpublish":              SECRETARIAT,
    "practices:publication-create":     SECRETARIAT,
    "practices:publication-delete":     SECRETARIAT,
    "plans:adopt-practice":             (LOGIN, 403,  200,  403,    403,   403,   200),
    "api-1.0.0:practices":              EVERYONE,
    "api-1.0.0:practices-create":       EVERYONE,  # the same path: a GET searches
    "api-1.0.0:practice":               (404,   200,  200,  200,    200,   200,   200),
}
# fmt: on

DRAFT_TITLE = "Walk: a member's draft practice"


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, simple_pdf(["A report."]), "application/pdf")


def _members_only() -> Practice:
    return Practice.objects.get(title="Dialogkafé for nye og gamle naboer")


def _public() -> Practice:
    return Practice.objects.get(title="Oslo snakker")


def _draft(w) -> Practice:
    practice = Practice.objects.filter(title=DRAFT_TITLE).first()
    if practice is None:
        practice = services.create_practice(
            actor=w.users["member"],
            data={
                "language": "nb",
                "title": DRAFT_TITLE,
                "summary": "Et utkast.",
                "goals": [Goal.objects.order_by("position").first()],
            },
        )
    return practice


def _translated_draft(w) -> Practice:
    practice = _draft(w)
    if not practice.translations.filter(language="sv").exists():
        services.save_translation(
            actor=w.users["member"],
            practice=practice,
            language="sv",
            translator="Walker",
            title="Ett utkast",
            texts={"summary": "Ett utkast."},
        )
    return practice


def _attachment(practice: Practice, actor) -> Attachment:
    attachment = practice.attachments.first()
    if attachment is None:
        attachment = services.add_attachment(
            actor=actor, practice=practice, title="Walk report", file=_pdf("walk.pdf")
        )
    return attachment


def _publication_with_file(w) -> Publication:
    publication = Publication.objects.filter(title="Walk publication").first()
    if publication is None:
        publication = services.create_publication(
            actor=w.users["secretariat"],
            title="Walk publication",
            summary="A report.",
            year=2024,
            language="en",
            file=_pdf("walk-publication.pdf"),
        )
    return publication


SAMPLE_KWARGS: dict = {
    "practices:detail": lambda w: {"pk": _members_only().pk},
    "practices:attachment": lambda w: {"pk": _attachment(_public(), w.users["secretariat"]).pk},
    "practices:publication": lambda w: {"pk": Publication.objects.order_by("id").first().pk},
    "practices:publication-file": lambda w: {"pk": _publication_with_file(w).pk},
    "practices:edit": lambda w: {"pk": _draft(w).pk},
    "practices:translate": lambda w: {"pk": _draft(w).pk},
    "practices:translation-remove": lambda w: {"pk": _translated_draft(w).pk, "language": "sv"},
    "practices:attach": lambda w: {"pk": _draft(w).pk},
    "practices:attachment-remove": lambda w: {"pk": _attachment(_draft(w), w.users["member"]).pk},
    "practices:submit": lambda w: {"pk": _draft(w).pk},
    "practices:review": lambda w: {"pk": _public().pk},
    "practices:unpublish": lambda w: {"pk": _public().pk},
    "practices:publication-delete": lambda w: {"pk": Publication.objects.order_by("id").first().pk},
    "plans:adopt-practice": lambda w: {"practice_pk": _public().pk},
    "api-1.0.0:practice": lambda w: {"pk": _members_only().pk},
}
