"""Audit cases for the knowledge bank's services (and the plans service that adopts a
practice), merged into the table of tests/core/test_audit.py.

Each case works on the demo's practices or on a practice of its own, through the real
services: (prepare(demo) -> object or None, act(demo, prepared), expected audit action, names of
the fields the action changes).
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from safecities.charter.models import Goal
from safecities.demo.pdf import simple_pdf
from safecities.plans import services as plan_services
from safecities.plans.models import ActionPlan
from safecities.practices import services
from safecities.practices.models import Attachment, Practice, Publication

PRACTICES_SERVICES_MODULE = services
PRACTICES_READS: set[str] = set()


def _secretariat(demo):
    return demo.users["secretariat"]


def _member(demo):
    return demo.users["member"]


def _draft(demo) -> Practice:
    return services.create_practice(
        actor=_member(demo),
        data={
            "language": "nb",
            "title": "Revidert praksis",
            "summary": "Et sammendrag.",
            "goals": [Goal.objects.order_by("position").first()],
        },
    )


def _submitted(demo) -> Practice:
    practice = _draft(demo)
    return services.submit_practice(actor=_member(demo), practice=practice)


def _published(demo) -> Practice:
    return Practice.objects.get(title="Oslo snakker")


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("report.pdf", simple_pdf(["An evaluation."]), "application/pdf")


def _attachment(demo) -> Attachment:
    return services.add_attachment(
        actor=_secretariat(demo), practice=_published(demo), title="Report", file=_pdf()
    )


def _publication(demo) -> Publication:
    return Publication.objects.order_by("id").first()


def _translated(demo):
    return _published(demo).translations.get(language="sv")


PRACTICES_CASES = {
    "safecities.practices.services.create_practice": (
        None,
        lambda d, _: _draft(d),
        "practices.practice.create",
        {"title", "summary", "language", "goals"},
    ),
    "safecities.practices.services.update_practice": (
        _draft,
        lambda d, p: services.update_practice(
            actor=_member(d), practice=p, data={"title": "Ny tittel"}
        ),
        "practices.practice.update",
        {"title"},
    ),
    "safecities.practices.services.submit_practice": (
        _draft,
        lambda d, p: services.submit_practice(actor=_member(d), practice=p),
        "practices.practice.submit",
        {"status"},
    ),
    "safecities.practices.services.return_practice": (
        _submitted,
        lambda d, p: services.return_practice(
            actor=_secretariat(d), practice=p, feedback="Name the evaluation."
        ),
        "practices.practice.return",
        {"status", "feedback"},
    ),
    "safecities.practices.services.publish_practice": (
        _submitted,
        lambda d, p: services.publish_practice(
            actor=_secretariat(d), practice=p, visibility="members"
        ),
        "practices.practice.publish",
        {"status", "visibility"},
    ),
    "safecities.practices.services.unpublish_practice": (
        _published,
        lambda d, p: services.unpublish_practice(actor=_secretariat(d), practice=p),
        "practices.practice.unpublish",
        {"status"},
    ),
    "safecities.practices.services.save_translation": (
        _draft,
        lambda d, p: services.save_translation(
            actor=_member(d),
            practice=p,
            language="sv",
            translator="Anna",
            title="Reviderad praxis",
            texts={"summary": "En sammanfattning."},
        ),
        "practices.translation.save",
        {"language", "translator", "title", "summary"},
    ),
    "safecities.practices.services.remove_translation": (
        _translated,
        lambda d, t: services.remove_translation(actor=_secretariat(d), translation=t),
        "practices.translation.remove",
        {"language", "title"},
    ),
    "safecities.practices.services.add_attachment": (
        _published,
        lambda d, p: services.add_attachment(
            actor=_secretariat(d), practice=p, title="Report", file=_pdf()
        ),
        "practices.attachment.add",
        {"title", "file"},
    ),
    "safecities.practices.services.remove_attachment": (
        _attachment,
        lambda d, a: services.remove_attachment(actor=_secretariat(d), attachment=a),
        "practices.attachment.remove",
        {"title", "file"},
    ),
    "safecities.practices.services.create_publication": (
        None,
        lambda d, _: services.create_publication(
            actor=_secretariat(d),
            title="A Nordic report",
            summary="What works.",
            year=2025,
            language="en",
            link="https://example.org/report",
        ),
        "practices.publication.create",
        {"title", "summary", "year", "language", "link"},
    ),
    "safecities.practices.services.delete_publication": (
        _publication,
        lambda d, p: services.delete_publication(actor=_secretariat(d), publication=p),
        "practices.publication.delete",
        {"title"},
    ),
    "safecities.plans.services.adopt_practice": (
        _published,
        lambda d, p: plan_services.adopt_practice(
            actor=d.users["coordinator"],
            plan=ActionPlan.objects.get(municipality=d.oslo, status="adopted"),
            practice=p,
        ),
        "plans.measure.adopt_practice",
        {"title", "practice", "plan", "goals"},
    ),
}
