"""Writing for the knowledge bank: drafting, translating, attaching, submitting; the
secretariat's review (feedback or publication), unpublishing, and reports and publications.
Every write goes through `practices.services`."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from safecities.core.confirm import confirm
from safecities.core.paging import paginate
from safecities.core.permissions import login_required, permission_required
from safecities.core.refusals import refusals, refused_to

from .. import selectors, services, states
from ..forms import AttachmentForm, PracticeForm, PublicationForm, ReviewForm, TranslationForm
from ..models import TEXT_FIELDS, Attachment, Practice


def _practice(request, pk: int) -> Practice:
    return selectors.practice_detail(pk)


def _attachment(request, pk: int) -> Practice:
    return selectors.attachment(pk).practice


@permission_required("practices.propose")
def practice_create(request):
    form = PracticeForm(
        request.POST or None,
        initial={"language": (request.LANGUAGE_CODE or "en").split("-")[0]},
    )
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            practice = services.create_practice(actor=request.user, data=form.service_data())
        if outcome.ok:
            messages.success(
                request,
                _("The practice is saved as a draft. Submit it for review when it is ready."),
            )
            return redirect("practices:detail", pk=practice.pk)
    return render(request, "practices/form.html", {"form": form, "practice": None})


@permission_required("practices.edit", obj=_practice)
def practice_edit(request, pk: int):
    practice = request.permission_object
    if request.method == "POST":
        form = PracticeForm(request.POST)
        if form.is_valid():
            with refusals(request, form) as outcome:
                services.update_practice(
                    actor=request.user, practice=practice, data=form.service_data()
                )
            if outcome.ok:
                messages.success(request, _("The practice is saved."))
                return redirect("practices:detail", pk=practice.pk)
    else:
        form = PracticeForm(initial=PracticeForm.initial_for(practice))
    return render(request, "practices/form.html", {"form": form, "practice": practice})


@permission_required("practices.edit", obj=_practice)
def practice_translate(request, pk: int):
    practice = request.permission_object
    languages = [(c, n) for c, n in settings.LANGUAGES if c != practice.language]
    existing = None
    code = request.POST.get("language") or request.GET.get("lang")
    if code:
        existing = selectors.translation_of(practice, language=code)
    if request.method == "POST":
        form = TranslationForm(request.POST, languages=languages)
        if form.is_valid():
            data = form.cleaned_data
            with refusals(request, form) as outcome:
                services.save_translation(
                    actor=request.user,
                    practice=practice,
                    language=data["language"],
                    translator=data["translator"],
                    title=data["title"],
                    texts=form.texts(),
                )
            if outcome.ok:
                messages.success(request, _("The translation is saved."))
                url = reverse("practices:detail", args=[practice.pk])
                return redirect(f"{url}?lang={form.cleaned_data['language']}")
    else:
        initial = {"language": code}
        if existing:
            initial |= {n: getattr(existing, n) for n in ["translator", "title", *TEXT_FIELDS]}
        form = TranslationForm(initial=initial, languages=languages)
    return render(
        request,
        "practices/translate.html",
        {"form": form, "practice": practice, "existing": existing},
    )


def _practice_of_translation(request, pk: int, language: str) -> Practice:
    return _practice(request, pk)


@permission_required("practices.edit", obj=_practice_of_translation)
@refused_to("practices:detail", pk="pk")
def translation_remove(request, pk: int, language: str):
    practice = request.permission_object
    translation = selectors.translation_of(practice, language=language)
    if translation is None:
        raise Http404(_("The practice has no translation into that language."))
    return confirm(
        request,
        lambda: services.remove_translation(actor=request.user, translation=translation),
        done=_("The translation is removed."),
        template="practices/translation_remove.html",
        context={"practice": practice, "translation": translation},
        then="practices:detail",
        pk=practice.pk,
    )


@permission_required("practices.edit", obj=_practice)
def attachment_add(request, pk: int):
    practice = request.permission_object
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            services.add_attachment(
                actor=request.user,
                practice=practice,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            )
        if outcome.ok:
            messages.success(request, _("The attachment is added."))
            return redirect("practices:detail", pk=practice.pk)
    return render(request, "practices/attach.html", {"form": form, "practice": practice})


def _attachment_practice_page(request, pk: int) -> str:
    return reverse("practices:detail", args=[get_object_or_404(Attachment, pk=pk).practice_id])


@permission_required("practices.edit", obj=_attachment)
@refused_to(_attachment_practice_page)
def attachment_remove(request, pk: int):
    attachment = get_object_or_404(Attachment, pk=pk)
    return confirm(
        request,
        lambda: services.remove_attachment(actor=request.user, attachment=attachment),
        done=_("The attachment is removed."),
        template="practices/attachment_remove.html",
        context={"attachment": attachment},
        then="practices:detail",
        pk=attachment.practice_id,
    )


@permission_required("practices.edit", obj=_practice)
@refused_to("practices:detail")
def practice_submit(request, pk: int):
    practice = request.permission_object
    return confirm(
        request,
        lambda: services.submit_practice(actor=request.user, practice=practice),
        done=_("The practice is submitted. The secretariat will review it."),
        template="practices/submit.html",
        context={"practice": practice, "may_submit": states.submittable(practice)},
        then="practices:detail",
        pk=practice.pk,
    )


@permission_required("practices.review", obj=_practice)
def practice_review(request, pk: int):
    practice = request.permission_object
    form = ReviewForm(request.POST or None, initial={"visibility": practice.visibility})
    reviewable = states.reviewable(practice)
    if reviewable and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals(request, form) as outcome:
            if data["decision"] == "publish":
                services.publish_practice(
                    actor=request.user, practice=practice, visibility=data["visibility"]
                )
                message = _("The practice is published.")
            else:
                services.return_practice(
                    actor=request.user, practice=practice, feedback=data["feedback"]
                )
                message = _("The practice is returned to its author.")
        if outcome.ok:
            messages.success(request, message)
            return redirect("practices:detail", pk=practice.pk)
    return render(
        request,
        "practices/review.html",
        {"form": form, "practice": practice, "reviewable": reviewable},
    )


@permission_required("practices.review", obj=_practice)
@refused_to("practices:detail")
def practice_unpublish(request, pk: int):
    practice = request.permission_object
    return confirm(
        request,
        lambda: services.unpublish_practice(actor=request.user, practice=practice),
        done=_("The practice is taken off the bank: it is a draft."),
        template="practices/unpublish.html",
        context={"practice": practice, "may_unpublish": states.unpublishable(practice)},
        then="practices:detail",
        pk=practice.pk,
    )


@login_required
def my_practices(request):
    page, query = paginate(request, selectors.drafts_of(request.user).order_by("-updated_at"))
    return render(request, "practices/mine.html", {"page": page, "query": query})


@permission_required("practices.review")
def review_queue(request):
    page, query = paginate(request, selectors.review_queue())
    return render(request, "practices/queue.html", {"page": page, "query": query})


@permission_required("practices.manage_publications")
def publication_create(request):
    form = PublicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals(request, form) as outcome:
            publication = services.create_publication(
                actor=request.user,
                title=data["title"],
                summary=data["summary"],
                year=data["year"],
                language=data["language"],
                authors=data["authors"],
                publisher=data["publisher"],
                link=data["link"],
                file=data.get("file"),
                goals=list(data.get("goals") or []),
                public=data["public"],
            )
        if outcome.ok:
            messages.success(request, _("The publication is added to the knowledge bank."))
            return redirect("practices:publication", pk=publication.pk)
    return render(request, "practices/publication_form.html", {"form": form})


@permission_required("practices.manage_publications")
def publication_delete(request, pk: int):
    publication = selectors.publication_detail(pk)
    return confirm(
        request,
        lambda: services.delete_publication(actor=request.user, publication=publication),
        done=_("The publication is deleted."),
        template="practices/publication_delete.html",
        context={"publication": publication},
        then="practices:list",
    )


urlpatterns = [
    path("new/", practice_create, name="create"),
    path("mine/", my_practices, name="mine"),
    path("review/", review_queue, name="queue"),
    path("<int:pk>/edit/", practice_edit, name="edit"),
    path("<int:pk>/translate/", practice_translate, name="translate"),
    path(
        "<int:pk>/translations/<str:language>/remove/",
        translation_remove,
        name="translation-remove",
    ),
    path("<int:pk>/attachments/new/", attachment_add, name="attach"),
    path("attachments/<int:pk>/remove/", attachment_remove, name="attachment-remove"),
    path("<int:pk>/submit/", practice_submit, name="submit"),
    path("<int:pk>/review/", practice_review, name="review"),
    path("<int:pk>/unpublish/", practice_unpublish, name="unpublish"),
    path("publications/new/", publication_create, name="publication-create"),
    path("publications/<int:pk>/delete/", publication_delete, name="publication-delete"),
]
