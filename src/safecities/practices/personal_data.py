"""The knowledge bank's part of a member's personal data (see `safecities.core.personal_data`).

Practices stay; where the person is the contact, the contact name and e-mail address are
blanked, and a translator or author field naming them is blanked. Names and e-mail addresses
written into the texts are replaced. Every practice and publication changed is indexed again,
so search finds the name nowhere.
"""

from django.db.models import Q

from safecities.core.personal_data import Section, register

from . import search
from .models import TEXT_FIELDS, Practice, PracticeTranslation, Publication


def export(user) -> dict:
    emails = [user.email]
    return {
        "practices_written": [
            {"title": p.title, "status": p.status, "created_at": p.created_at.isoformat()}
            for p in Practice.objects.filter(created_by=user)
        ],
        "practices_as_contact": [
            {"title": p.title, "contact_name": p.contact_name, "contact_email": p.contact_email}
            for p in Practice.objects.filter(contact_email__in=emails)
        ],
    }


def _equal(context, *names: str) -> Q:
    query = Q(pk__in=[])
    for name in names:
        for identifier in context.identifiers:
            query |= Q(**{f"{name}__iexact": identifier})
    return query


def erase(user, context) -> None:
    if not context.identifiers:
        return
    changed: set[int] = set()
    for practice in Practice.objects.filter(_equal(context, "contact_name", "contact_email")):
        practice.contact_name = practice.contact_email = ""
        practice.save(update_fields=["contact_name", "contact_email", "updated_at"])
        changed.add(practice.pk)
    for translation in PracticeTranslation.objects.filter(_equal(context, "translator")):
        translation.translator = ""
        translation.save(update_fields=["translator"])
        changed.add(translation.practice_id)
    texts = ("title", *TEXT_FIELDS, "partners")
    for model, names in ((Practice, texts), (PracticeTranslation, ("title", *TEXT_FIELDS))):
        rows = model.objects.filter(context.text_query(*names))
        ids = set(
            rows.values_list("practice_id" if model is PracticeTranslation else "pk", flat=True)
        )
        if ids:
            context.scrub_text(model, *names, queryset=rows)
            changed |= ids
    publications = Publication.objects.filter(context.text_query("title", "summary", "authors"))
    publication_ids = list(publications.values_list("pk", flat=True))
    context.scrub_text(Publication, "title", "summary", "authors", queryset=publications)
    for practice in Practice.objects.filter(pk__in=changed):
        search.index_practice(practice)
    for publication in Publication.objects.filter(pk__in=publication_ids):
        search.index_publication(publication)
    context.count("practices", len(changed) + len(publication_ids))


def register_section() -> None:
    register(Section(name="practices", export=export, erase=erase))
