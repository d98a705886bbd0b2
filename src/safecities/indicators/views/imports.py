"""Indicator pages: the statistics import wizard.

Upload a CSV or JSON-stat file for an indicator (a bad file is refused naming its line or cell,
and nothing is stored); map a JSON-stat file's dimensions (dataset of a collection, municipalities
by official code, periods, content code); preview what will change; commit all or nothing, at
once or, when large, in the background with a progress bar; undo a committed import as a whole.
"""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safecities.core import csvfiles
from safecities.core.confirm import confirm
from safecities.core.paging import paginate
from safecities.core.permissions import has_perm, permission_required
from safecities.core.refusals import refusals, refused_to

from .. import rows as import_rows
from .. import selectors, services, states
from ..forms import ImportFilter, MappingForm, UploadForm, refused_rows
from ..models import Import
from ..selectors import samples
from ..suppression import display_value

SAMPLE_ROWS = 20  # rows of each kind shown in the preview
LISTED_ERRORS = 200  # errors listed on a page; the count says how many there are in all


def _import(request, pk: int) -> Import:
    return selectors.import_detail(pk)


def _listed(errors: list) -> dict:
    """The problems a page lists (`imports/_errors.html`), and how many there are in all."""
    return {"errors": errors[:LISTED_ERRORS], "error_count": len(errors)}


# --- the list --------------------------------------------------------------------------------


@permission_required("indicators.view_import")
def import_list(request):
    form = ImportFilter(request.GET or None)
    chosen = form.cleaned_data["status"] if form.is_valid() else ""
    imports = selectors.imports_for(request.user, status=chosen)
    page, query = paginate(request, imports)
    return render(
        request,
        "indicators/imports/list.html",
        {
            "page": page,
            "query": query,
            "form": form,
            "may_import": has_perm(request.user, "indicators.write_city"),
        },
    )


# --- upload, map, preview, commit ----------------------------------------------------------


@permission_required("indicators.write_city")
def import_new(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    errors: list = []
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            import_ = services.upload_import(
                request.user,
                indicator=form.cleaned_data["indicator"],
                upload=form.cleaned_data["file"],
                country=form.cleaned_data["country"],
            )
        if outcome.ok:
            if import_.format == Import.Format.JSONSTAT:
                return redirect("indicators:import-map", pk=import_.pk)
            return redirect("indicators:import-preview", pk=import_.pk)
        errors = refused_rows(form, outcome.error)
    return render(
        request,
        "indicators/imports/new.html",
        {
            "form": form,
            **_listed(errors),
            "columns": _csv_columns(),
            "sample_indicators": samples.importable_indicators(),
        },
    )


def _csv_columns() -> list[dict]:
    required = set(import_rows.CSV_REQUIRED)
    meaning = {
        "municipality_code": _("The official code, e.g. 0301 (Oslo), 0180 (Stockholm)."),
        "country": _("ISO 3166-1 alpha-2, when codes of several countries are mixed."),
        "district": _("A district of the municipality; empty for the whole city."),
        "period": _("In the indicator's period type: 2024, 2024-H1, 2024-Q3, 2024-05."),
        "value": _("The value, a number (a decimal comma is accepted)."),
        "numerator": _("What the value is built from: the count."),
        "denominator": _("What the value is built from: the population."),
        "sample_size": _("A whole number."),
        "ci_low": _("The confidence interval, low end."),
        "ci_high": _("The confidence interval, high end."),
        "status": _("provisional (the default) or final."),
        "note": _("Free text."),
    }
    return [
        {"name": c, "required": c in required, "meaning": meaning.get(c, "")}
        for c in import_rows.CSV_COLUMNS
    ]


def _shown(indicator, change):
    """A previewed row with its values as they may be shown (the small-number rule)."""
    withheld = _("withheld")
    change.shown = display_value(indicator, change.value, change.numerator) or withheld
    if change.previous is not None:
        change.previous_shown = (
            display_value(indicator, change.previous, change.previous_numerator) or withheld
        )
    return change


def _draft_or_detail(import_: Import):
    if not import_.is_draft:
        return redirect("indicators:import-detail", pk=import_.pk)
    return None


@permission_required("indicators.continue_import", obj=_import)
@refused_to("indicators:import-detail")
def import_map(request, pk: int):
    import_ = request.permission_object
    if import_.format != Import.Format.JSONSTAT:
        return redirect("indicators:import-preview", pk=import_.pk)
    if (moved := _draft_or_detail(import_)) is not None:
        return moved
    datasets = selectors.import_datasets(import_)  # a file no longer readable: back, saying so
    source = request.POST if request.method == "POST" else request.GET
    try:
        chosen = int(source.get("dataset", import_.mapping.get("dataset") or 0))
    except (TypeError, ValueError):
        chosen = 0
    if not 0 <= chosen < len(datasets):
        chosen = 0
    dataset = datasets[chosen]
    form = MappingForm(
        request.POST if request.method == "POST" else None,
        dataset=dataset,
        initial_mapping=import_.mapping if import_.mapping.get("dataset") == chosen else None,
    )
    errors: list = []
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            services.map_import(
                import_,
                actor=request.user,
                dataset=chosen,
                geo_dimension=form.cleaned_data["geo_dimension"],
                time_dimension=form.cleaned_data["time_dimension"],
                fixed=form.cleaned_data["fixed"],
                country=form.cleaned_data["country"],
            )
        if outcome.ok:
            return redirect("indicators:import-preview", pk=import_.pk)
        errors = refused_rows(form, outcome.error)
    return render(
        request,
        "indicators/imports/map.html",
        {
            "import": import_,
            "datasets": [
                (i, d.label or _("Dataset %(n)s") % {"n": i + 1}) for i, d in enumerate(datasets)
            ],
            "chosen": chosen,
            "dataset": dataset,
            "dimensions": [
                {
                    "id": d,
                    "label": dataset.dimensions[d].label,
                    "roles": [r for r, members in dataset.role.items() if d in members],
                    "count": len(dataset.dimensions[d].codes),
                    "categories": [
                        (c, dataset.dimensions[d].label_of(c))
                        for c in dataset.dimensions[d].codes[:12]
                    ],
                }
                for d in dataset.id
            ],
            "form": form,
            **_listed(errors),
        },
    )


@permission_required("indicators.continue_import", obj=_import)
def import_preview(request, pk: int):
    import_ = request.permission_object
    if (moved := _draft_or_detail(import_)) is not None:
        return moved
    plan = services.preview_stored_import(import_, actor=request.user)
    samples = {
        action: [_shown(import_.indicator, c) for c in plan.changes if c.action == action][
            :SAMPLE_ROWS
        ]
        for action in ("new", "updated", "unchanged")
    }
    return render(
        request,
        "indicators/imports/preview.html",
        {
            "import": import_,
            "plan": plan,
            "counts": {a: plan.count(a) for a in ("new", "updated", "unchanged")},
            "samples": samples,
            **_listed(plan.errors),
            "background": selectors.runs_in_background(import_),
        },
    )


@require_POST
@permission_required("indicators.continue_import", obj=_import)
@refused_to("indicators:import-detail")
def import_commit(request, pk: int):
    import_ = services.commit_stored_import(request.permission_object, actor=request.user)
    if import_.is_committed:
        messages.success(
            request,
            _("Imported: %(new)s new, %(updated)s updated, %(unchanged)s unchanged.")
            % {
                "new": import_.created_count,
                "updated": import_.updated_count,
                "unchanged": import_.unchanged_count,
            },
        )
    return redirect("indicators:import-detail", pk=import_.pk)


# --- the import's page, its progress and undo ---------------------------------------------


@permission_required("indicators.view_import", obj=_import)
def import_detail(request, pk: int):
    import_ = services.fail_if_stalled(request.permission_object)  # its worker died: failed
    progress = selectors.import_progress(import_) if import_.in_progress else None
    context = {
        "import": import_,
        "progress": progress,
        "may_undo": states.IMPORT.may_move(import_, Import.Status.UNDONE)
        and has_perm(request.user, "indicators.undo_import", import_),
        "may_continue": import_.is_draft
        and has_perm(request.user, "indicators.continue_import", import_),
        "cities": list(import_.municipalities.order_by("name")),
        "self_url": reverse("indicators:import-detail", kwargs={"pk": import_.pk}),
    }
    if request.headers.get("HX-Request"):
        return render(request, "indicators/imports/_status.html", context)
    return render(request, "indicators/imports/detail.html", context)


@permission_required("indicators.continue_import", obj=_import)
@refused_to("indicators:import-detail")
def import_discard(request, pk: int):
    """GET: what discarding a draft means, with the button; POST: discard it (its file too)."""
    import_ = request.permission_object
    if request.method != "POST" and (moved := _draft_or_detail(import_)) is not None:
        return moved
    return confirm(
        request,
        lambda: services.discard_import(import_, actor=request.user),
        done=_("The draft import has been thrown away."),
        template="indicators/imports/discard.html",
        context={"import": import_},
        then="indicators:imports",
    )


@require_POST
@permission_required("indicators.undo_import", obj=_import)
@refused_to("indicators:import-detail")
def import_undo(request, pk: int):
    services.undo_import(request.permission_object, actor=request.user)
    messages.success(request, _("The import has been undone."))
    return redirect("indicators:import-detail", pk=pk)


# --- sample files to import ----------------------------------------------------------------


def _importable(code: str):
    indicator = selectors.indicator_by_code(code)
    if not samples.importable(indicator=indicator):
        raise Http404(_("The platform counts this indicator's figures: they are not imported."))
    return indicator


@permission_required("indicators.write_city")
def import_sample_csv(request, code: str):
    """A CSV file of the indicator's figures for the person's cities, as the import reads it."""
    indicator = _importable(code)
    header, rows = samples.sample_csv_rows(indicator=indicator, actor=request.user)
    return csvfiles.response(f"{indicator.code}-sample.csv", header, rows, delimiter=";")


@permission_required("indicators.write_city")
def import_sample_jsonstat(request, code: str):
    """The same figures as a JSON-stat 2.0 dataset, as the statistics offices serve them."""
    indicator = _importable(code)
    dataset = samples.sample_jsonstat(indicator=indicator, actor=request.user)
    response = JsonResponse(dataset, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="{indicator.code}-sample.json"'
    return response


urlpatterns = [
    path("imports/sample/<slug:code>.csv", import_sample_csv, name="import-sample-csv"),
    path("imports/sample/<slug:code>.json", import_sample_jsonstat, name="import-sample-jsonstat"),
    path("imports/", import_list, name="imports"),
    path("imports/new/", import_new, name="import-new"),
    path("imports/<int:pk>/", import_detail, name="import-detail"),
    path("imports/<int:pk>/map/", import_map, name="import-map"),
    path("imports/<int:pk>/preview/", import_preview, name="import-preview"),
    path("imports/<int:pk>/commit/", import_commit, name="import-commit"),
    path("imports/<int:pk>/undo/", import_undo, name="import-undo"),
    path("imports/<int:pk>/discard/", import_discard, name="import-discard"),
]
