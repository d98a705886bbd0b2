"""Forms of the indicator pages: the list's filters, an indicator's definition, an indicator
page's filters, a city's figures (an observation, a baseline, a target), and the import
wizard's (the upload, the list's filter, a JSON-stat file's mapping).

The forms parse what people type into what the services take; the services decide what is
allowed (periods of the indicator's type, percentages within 0–100, who may write which city)
and their refusals are shown on the forms, on the field they name.
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from safecities.charter.models import Goal
from safecities.core.errors import DomainError
from safecities.core.forms import (
    LANGUAGES,
    Form,
    GivenChoices,
    QuickSelect,
    QuickSelectMultiple,
    per_language_fields,
    per_language_initial,
    per_language_values,
)
from safecities.network.models import Country

from .models import Import, Indicator, ObservationStatus
from .rows import ImportRejected, RowError
from .selectors import INDICATOR_SORTS

# The definition's texts with a value per language, and how each is labelled.
TRANSLATED = {
    "name": _("Name"),
    "description": _("Description"),
    "numerator_description": _("What the numerator counts"),
    "denominator_description": _("What the denominator counts"),
    "interpretation": _("Notes on interpretation"),
    "comparability_breaks": _("Breaks in comparability"),
}
SINGLE_LINE = {"name", "numerator_description", "denominator_description"}


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        if not isinstance(field.widget, forms.HiddenInput):
            field.widget.attrs.setdefault("class", "ds-input")


class IndicatorFilter(Form):
    SORTS = [
        ("code", _("Code")),
        ("name", _("Name")),
        ("kind", _("Kind")),
        ("goal", _("Charter goal")),
        ("source", _("Source")),
    ]
    assert {key for key, _label in SORTS} == set(INDICATOR_SORTS)

    q = forms.CharField(label=_("Search by name or code"), max_length=100, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("Outcomes and outputs")), *Indicator.Kind.choices],
        required=False,
    )
    goal = forms.ModelChoiceField(
        label=_("Charter goal"),
        queryset=Goal.objects.order_by("position"),
        required=False,
        empty_label=_("All goals"),
        to_field_name="code",
    )
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[("", _("All sources")), *Indicator.Source.choices],
        required=False,
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)

    def filters(self) -> dict:
        """The filters that are valid; one that is not (an unknown goal) is left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": (data.get("q") or "").strip(),
            "kind": data.get("kind") or "",
            "goal": data.get("goal"),
            "source": data.get("source") or "",
            "sort": data.get("sort") or "code",
        }


class IndicatorForm(Form):
    """An indicator's definition; its code only when it is created."""

    code = forms.SlugField(
        label=_("Code"),
        max_length=80,
        help_text=_("Letters, digits and hyphens, e.g. hate-crime-rate. It cannot change later."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Indicator.Kind.choices)
    unit_type = forms.ChoiceField(label=_("Unit"), choices=Indicator.UnitType.choices)
    better = forms.ChoiceField(label=_("Better when"), choices=Indicator.Better.choices)
    period_type = forms.ChoiceField(label=_("Period type"), choices=Indicator.PeriodType.choices)
    goal = forms.ModelChoiceField(
        label=_("Charter goal"),
        queryset=Goal.objects.order_by("position"),
        required=False,
        empty_label=_("No goal"),
    )
    source = forms.ChoiceField(label=_("Source"), choices=Indicator.Source.choices)
    source_name = forms.CharField(
        label=_("Source name"),
        max_length=200,
        required=False,
        help_text=_("E.g. Statistics Norway, table 12345."),
    )
    licence = forms.CharField(
        label=_("Licence"),
        max_length=200,
        required=False,
        help_text=_("The licence the figures are published under, e.g. CC BY 4.0."),
    )

    def __init__(self, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["code"]
        per_language_fields(
            self,
            lambda code, language: {
                name: forms.CharField(
                    label=_("%(field)s in %(language)s") % {"field": label, "language": language},
                    required=code == "en" and name in ("name", "description"),
                    widget=(
                        forms.TextInput()
                        if name in SINGLE_LINE
                        else forms.Textarea(attrs={"rows": 3})
                    ),
                )
                for name, label in TRANSLATED.items()
            },
        )
        _styled(self)

    def language_groups(self) -> list[tuple[str, str, list]]:
        """(language code, name, its bound fields), English first."""
        return [
            (
                code,
                settings.TRANSLATED_LANGUAGE_NAMES[code],
                [self[f"{n}_{code}"] for n in TRANSLATED],
            )
            for code in LANGUAGES
        ]

    def definition_fields(self) -> list:
        return [self[name] for name in self.fields if name.rpartition("_")[2] not in LANGUAGES]

    @staticmethod
    def initial_for(indicator: Indicator) -> dict:
        initial = {
            name: getattr(indicator, name)
            for name in (
                "kind",
                "unit_type",
                "better",
                "period_type",
                "source",
                "source_name",
                "licence",
            )
        }
        initial["goal"] = indicator.goal_id
        for name in TRANSLATED:
            initial |= per_language_initial(getattr(indicator, name), name)
        return initial

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {
            name: data[name]
            for name in self.fields
            if name in ("code", "kind", "unit_type", "better", "period_type", "goal")
            or name in ("source", "source_name", "licence")
        }
        for name in TRANSLATED:
            kwargs[name] = per_language_values(data, name)
        return kwargs


class DetailFilter(Form):
    """Which cities an indicator's page compares, over which periods, and the ranking's
    period."""

    # every reporting city and period: selects of hundreds of options, written quickly
    cities = forms.MultipleChoiceField(
        label=_("Cities to compare"),
        required=False,
        widget=QuickSelectMultiple(attrs={"size": 6}),
        help_text=_("None chosen: the first six cities of the ranking."),
    )
    first = forms.ChoiceField(label=_("From period"), required=False, widget=QuickSelect)
    last = forms.ChoiceField(label=_("To period"), required=False, widget=QuickSelect)
    period = forms.ChoiceField(label=_("Ranking for period"), required=False, widget=QuickSelect)

    def __init__(self, *args, cities: list[tuple[str, str]], periods: list[str], **kwargs):
        """`cities`: (slug, name) of each city to choose from."""
        super().__init__(*args, **kwargs)
        # flat pairs already: not normalised pair by pair for each field and widget
        self.fields["cities"].choices = GivenChoices(cities)
        every = [(p, p) for p in periods]
        self.fields["first"].choices = GivenChoices([("", _("The first")), *every])
        self.fields["last"].choices = GivenChoices([("", _("The latest")), *every])
        self.fields["period"].choices = GivenChoices([("", _("Each city's latest")), *every])

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "cities": data.get("cities") or [],
            "first": data.get("first") or "",
            "last": data.get("last") or "",
            "period": data.get("period") or "",
        }


def _indicator_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Indicator"),
        queryset=Indicator.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("Choose an indicator"),
    )


class ObservationForm(Form):
    """A figure entered by hand for a city (or one of its districts) and a period."""

    indicator = _indicator_field()
    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        help_text=_("As the indicator's period type has it: 2024, 2024-H1, 2024-Q3 or 2024-05."),
    )
    district = forms.CharField(
        label=_("District"),
        max_length=120,
        required=False,
        help_text=_("Empty: the whole municipality."),
    )
    value = forms.DecimalField(label=_("Value"), max_digits=18, decimal_places=6)
    numerator = forms.DecimalField(
        label=_("Numerator"),
        max_digits=18,
        decimal_places=6,
        required=False,
        help_text=_("What the value is built on, e.g. the number of reported crimes."),
    )
    denominator = forms.DecimalField(
        label=_("Denominator"), max_digits=18, decimal_places=6, required=False
    )
    sample_size = forms.IntegerField(label=_("Sample size"), min_value=0, required=False)
    ci_low = forms.DecimalField(
        label=_("Confidence interval, low"), max_digits=18, decimal_places=6, required=False
    )
    ci_high = forms.DecimalField(
        label=_("Confidence interval, high"), max_digits=18, decimal_places=6, required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ObservationStatus.choices, initial=ObservationStatus.PROVISIONAL
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    source_url = forms.URLField(
        label=_("Source address"), max_length=500, required=False, assume_scheme="https"
    )

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class ReferenceForm(Form):
    """A city's baseline or target on an indicator."""

    indicator = _indicator_field()
    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        help_text=_("As the indicator's period type has it: 2024, 2024-H1, 2024-Q3 or 2024-05."),
    )
    value = forms.DecimalField(label=_("Value"), max_digits=18, decimal_places=6)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


# --- the import wizard ------------------------------------------------------------------

GEO, TIME = "@geo", "@time"


class UploadForm(Form):
    indicator = forms.ModelChoiceField(
        label=_("Indicator"),
        queryset=Indicator.objects.order_by("code"),
        help_text=_("The figures in the file are values of this indicator."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A CSV file with the columns described below (.csv), or JSON-stat 2.0 (.json)."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,.json,.txt,text/csv,application/json"}),
    )
    country = forms.ModelChoiceField(
        label=_("Country of the municipality codes"),
        queryset=Country.objects.order_by("code"),
        required=False,
        help_text=_(
            "Needed for JSON-stat, and for a CSV file without a country column when a code is "
            "used in several countries."
        ),
    )


class ImportFilter(Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Import.Status.choices],
    )


class MappingForm(Form):
    """One select per dimension of the chosen dataset: the places, the periods, or the one
    category the import takes (the content code among them)."""

    country = forms.ModelChoiceField(
        label=_("Country of the municipality codes"),
        queryset=Country.objects.order_by("code"),
    )

    def __init__(self, *args, dataset, initial_mapping: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.dataset = dataset
        mapping = initial_mapping or {}
        geo = mapping.get("geo_dimension") or next(iter(dataset.role_of("geo")), None)
        time = mapping.get("time_dimension") or next(iter(dataset.role_of("time")), None)
        fixed = dict(mapping.get("fixed") or {})
        if mapping.get("content_dimension"):
            fixed[mapping["content_dimension"]] = mapping.get("content_code") or ""
        metric = set(dataset.role_of("metric"))
        for dim_id in dataset.id:
            dim = dataset.dimensions[dim_id]
            choices = [
                (GEO, _("Municipalities (official codes)")),
                (TIME, _("Periods")),
                *[(c, f"{dim.label_of(c)} ({c})") for c in dim.codes],
            ]
            if dim_id == geo:
                initial = GEO
            elif dim_id == time:
                initial = TIME
            else:
                initial = fixed.get(dim_id) or dim.codes[0] if dim.codes else None
            if dim_id in metric:
                help_text = _(
                    "The content dimension: choose the content code whose figures are the "
                    "indicator's values."
                )
            else:
                help_text = _(
                    "Choose whether it holds the municipalities, the periods, or which one of "
                    "its %(n)s categories to import."
                ) % {"n": len(dim.codes)}
            self.fields[f"dim_{dim_id}"] = forms.ChoiceField(
                label=f"{dim.label} ({dim_id})",
                choices=choices,
                initial=initial,
                help_text=help_text,
            )
        if mapping.get("country"):
            self.initial.setdefault(
                "country",
                Country.objects.filter(code=mapping["country"])
                .values_list("pk", flat=True)
                .first(),
            )

    def clean(self):
        cleaned = super().clean()
        geo = [d for d in self.dataset.id if cleaned.get(f"dim_{d}") == GEO]
        time = [d for d in self.dataset.id if cleaned.get(f"dim_{d}") == TIME]
        if len(geo) != 1:
            raise forms.ValidationError(
                _("Choose exactly one dimension holding the municipalities.")
            )
        if len(time) != 1:
            raise forms.ValidationError(_("Choose exactly one dimension holding the periods."))
        cleaned["geo_dimension"], cleaned["time_dimension"] = geo[0], time[0]
        cleaned["fixed"] = {
            d: cleaned[f"dim_{d}"] for d in self.dataset.id if d not in (geo[0], time[0])
        }
        return cleaned


def refused_rows(form: forms.Form, error: DomainError | None) -> list[RowError]:
    """Every problem of a refused file, each naming its row (CSV line) or cell (JSON-stat), for
    the list below `form`. `core.refusals` has put the refusal on the form; for a file refused
    row by row the form says instead how many problems there are and that nothing was
    imported (the list says which)."""
    if error is None:
        return []
    if not isinstance(error, ImportRejected):
        return [RowError(str(_("file")), None, error.message)]
    errors = error.errors
    for key in {error.field if error.field in form.fields else None, None}:
        name = key or forms.forms.NON_FIELD_ERRORS
        shown = form.errors.get(name)
        if shown and error.message in shown:
            shown.data = [d for i, d in enumerate(shown.data) if shown[i] != error.message]
            if not shown.data:
                del form.errors[name]
    summary = (
        ngettext(
            "%(n)s problem found; nothing was imported. It is listed below.",
            "%(n)s problems found; nothing was imported. Each is listed below.",
            len(errors),
        )
        % {"n": len(errors)}
        if len(errors) > 1
        else _("A problem was found; nothing was imported: %(error)s") % {"error": errors[0]}
    )
    form.add_error("file" if "file" in form.fields and error.field == "file" else None, summary)
    return errors
