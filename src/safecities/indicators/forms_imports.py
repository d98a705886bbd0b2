"""Forms of the import wizard: they shape input only; the services check and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from safecities.core.forms import Form
from safecities.network.models import Country

from .models import Import, Indicator

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
            self.fields[f"dim_{dim_id}"].dimension = dim_id
        if mapping.get("country"):
            self.initial.setdefault(
                "country",
                Country.objects.filter(code=mapping["country"])
                .values_list("pk", flat=True)
                .first(),
            )

    def dimension_fields(self):
        return [self[name] for name in self.fields if name.startswith("dim_")]

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
