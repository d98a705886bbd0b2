"""Forms of the secretariat's set-up pages: countries and their municipalities, national
programmes and funders."""

from django import forms
from django.utils.translation import gettext_lazy as _

from safecities.core.forms import (
    DateInput,
    Form,
    per_language_fields,
    per_language_initial,
    per_language_values,
    styled,
)

from .models import Country, Municipality, NationalProgramme, Person
from .selectors import FUNDER_TYPES, funders
from .services.municipalities import NAME_LANGUAGES


class CountryForm(Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=2,
        help_text=_("The ISO 3166 code of two letters: NO, SE, DK, FI, IS …"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        per_language_fields(
            self,
            lambda code, name: {
                "name": forms.CharField(
                    label=_("Name in %(language)s") % {"language": name},
                    max_length=120,
                    required=code == "en",
                )
            },
        )
        styled(self)

    def service_kwargs(self) -> dict:
        return {
            "code": self.cleaned_data["code"],
            "name": per_language_values(self.cleaned_data, "name"),
        }

    @staticmethod
    def initial_for(country: Country) -> dict:
        return {"code": country.code, **per_language_initial(country.name, "name")}


class NationalProgrammeForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    local_name = forms.CharField(
        label=_("Local name"),
        max_length=200,
        required=False,
        help_text=_("The name in the country's language, e.g. Trygge byer Norge."),
    )
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.all())
    funder = forms.ModelChoiceField(
        label=_("Funder"),
        queryset=funders().order_by("name"),
        help_text=_("Add a funder on the set-up page of funders first if it is not listed."),
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(
        label=_("Until"), widget=DateInput, required=False, help_text=_("Empty while ongoing.")
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Cities"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_(
            "The cities of the programme's country that take part. Hold Ctrl to pick more."
        ),
    )
    contact = forms.ModelChoiceField(
        label=_("Contact person"),
        queryset=Person.objects.order_by("full_name"),
        required=False,
        help_text=_("Whom cities and organisations ask about the programme."),
    )

    def __init__(self, *args, programme: NationalProgramme | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        cities = Municipality.objects.select_related("country").order_by("country__code", "name")
        country = self.data.get("country") if self.is_bound else None
        if programme is not None and not country:
            country = programme.country_id
        if country:
            cities = cities.filter(country_id=country) if str(country).isdigit() else cities
        self.fields["municipalities"].queryset = cities
        self.fields["municipalities"].label_from_instance = lambda m: f"{m.name} ({m.country.code})"
        per_language_fields(
            self,
            lambda code, name: {
                "description": forms.CharField(
                    label=_("Description in %(language)s") % {"language": name},
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            },
            languages=["en", "nb", "sv", "da", "fi", "is"],
        )
        styled(self)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "local_name": data["local_name"],
            "country": data["country"],
            "funder": data["funder"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "municipalities": list(data["municipalities"]),
            "contact": data["contact"],
            "description": per_language_values(data, "description"),
        }

    @staticmethod
    def initial_for(programme: NationalProgramme) -> dict:
        return {
            "name": programme.name,
            "local_name": programme.local_name,
            "country": programme.country_id,
            "funder": programme.funder_id,
            "starts_on": programme.starts_on,
            "ends_on": programme.ends_on,
            "municipalities": list(programme.municipalities.all()),
            "contact": programme.contact_id,
            **per_language_initial(programme.description, "description"),
        }


class FunderForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    type = forms.ChoiceField(
        label=_("Kind of funder"),
        choices=[(t.value, t.label) for t in FUNDER_TYPES],
    )
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.all())
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)


class MunicipalityForm(Form):
    """A municipality added by hand (its code only then), or its names and region changed."""

    code = forms.CharField(
        label=_("Official code"),
        max_length=8,
        help_text=_("The statistics office's code, e.g. 0301 for Oslo; never taken twice."),
    )
    name = forms.CharField(
        label=_("Official name"),
        max_length=120,
        help_text=_("As the statistics office writes it, e.g. Kárášjohka - Karasjok."),
    )
    region = forms.CharField(
        label=_("Region"),
        max_length=120,
        required=False,
        help_text=_("The county or region, e.g. Vestland."),
    )

    def __init__(self, *args, adding: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not adding:
            del self.fields["code"]
        for code, language in NAME_LANGUAGES.items():
            self.fields[f"names_{code}"] = forms.CharField(
                label=_("Name in %(language)s") % {"language": language},
                max_length=120,
                required=False,
            )
        styled(self)

    def name_fields(self) -> list:
        return [self[f"names_{code}"] for code in NAME_LANGUAGES]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        code = {"code": data["code"]} if "code" in self.fields else {}
        return {
            **code,
            "name": data["name"],
            "region": data["region"],
            "names": {lang: data[f"names_{lang}"] for lang in NAME_LANGUAGES},
        }

    @staticmethod
    def initial_for(municipality: Municipality) -> dict:
        return {
            "name": municipality.name,
            "region": municipality.region,
            **{f"names_{code}": value for code, value in (municipality.names or {}).items()},
        }
