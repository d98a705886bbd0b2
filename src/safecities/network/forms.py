from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from safecities.core.forms import DateInput, Form, ModelForm, SearchableSelect

from .models import MemberKind, Municipality, Organisation, OrganisationType, Person, Role
from .selectors import countries
from .services import ORGANISATION_FIELDS


def city_label(municipality: Municipality) -> str:
    """How a municipality is named where one is chosen: its name, its other official names
    (Helsinki – Helsingfors) and its official code, so that the registry's look-alikes
    (Herøy in Nordland and in Møre og Romsdal) can be told apart; a city that is a member now
    (as its queryset marks it) says so."""
    forms = municipality.name.split(" - ")  # Norway's official names hold every form
    others = [n for n in dict.fromkeys((municipality.names or {}).values()) if n not in forms]
    label = f"{' – '.join([' – '.join(forms), *others])} ({municipality.code})"
    if getattr(municipality, "is_member", False):
        return _("%(city)s, a member already") % {"city": label}
    return label


class _CitiesByCountry(forms.models.ModelChoiceIterator):
    """The cities grouped by country, in the order of the field's queryset within each."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict = {}
        for municipality in self.queryset.select_related("country"):
            country = municipality.country
            groups.setdefault((country.code, country.display_name), []).append(
                (municipality.pk, city_label(municipality))
            )
        for (_code, name), options in sorted(groups.items()):
            yield (name, options)


class CityChoiceField(forms.ModelChoiceField):
    """Choose one municipality among the registry's (more than a thousand): grouped by
    country, each with its code, and narrowed by typing in the page."""

    iterator = _CitiesByCountry

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("label", _("City"))
        kwargs.setdefault(
            "widget",
            SearchableSelect(search_label=_("Find the city by name or official code")),
        )
        super().__init__(queryset=queryset, **kwargs)

    def label_from_instance(self, obj) -> str:
        return city_label(obj)


class DirectoryFilter(Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *MemberKind.choices]
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name")),
            ("-since", _("Newest members")),
            ("since", _("Oldest members")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries"))] + [
            (c.code, c.display_name) for c in countries()
        ]


class PeopleFilter(DirectoryFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"]
        del self.fields["sort"]


class ContactFields(Form):
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    contact_email = forms.EmailField(label=_("Contact e-mail"))
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    motivation = forms.CharField(
        label=_("Motivation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why the city or organisation wants to join, and what it hopes to share."),
    )


class CityApplicationForm(ContactFields):
    municipality = CityChoiceField(queryset=Municipality.objects.none())
    case_number = forms.CharField(
        label=_("Case number"),
        max_length=60,
        help_text=_('The council\'s case number, e.g. "KS 2018/550".'),
    )
    decision_date = forms.DateField(label=_("Date of the council decision"), widget=DateInput)
    decision_document = forms.FileField(
        label=_("Council decision (PDF, at most 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    field_order = [
        "municipality",
        "case_number",
        "decision_date",
        "decision_document",
        "contact_name",
        "contact_email",
        "contact_phone",
        "motivation",
    ]

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities


class OrganisationApplicationForm(ContactFields):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Choose your organisation, or register a new one below."),
    )
    name = forms.CharField(label=_("Name of a new organisation"), max_length=200, required=False)
    type = forms.ChoiceField(
        label=_("Type"), choices=[("", "—"), *OrganisationType.choices], required=False
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    org_id_number = forms.CharField(
        label=_("Organisation number"),
        max_length=20,
        required=False,
        help_text=_("From the national register: e.g. 974760673 in Norway, 802000-1234 in Sweden."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    field_order = [
        "organisation",
        "name",
        "type",
        "country",
        "org_id_number",
        "website",
        "contact_name",
        "contact_email",
        "contact_phone",
        "motivation",
    ]

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["country"].choices = [("", "—")] + [
            (c.code, c.display_name) for c in countries()
        ]

    def clean(self):
        data = super().clean()
        if not data.get("organisation"):
            for name in ("name", "type", "country"):
                if not data.get(name):
                    self.add_error(name, _("Needed when you register a new organisation."))
        return data


LANGUAGE_CHOICES = [(code, name) for code, name in settings.TRANSLATED_LANGUAGE_NAMES.items()]


class ProfileForm(ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Person
        fields = [
            "full_name",
            "title",
            "phone",
            "organisation",
            "municipality",
            "expertise",
            "languages",
            "listed_publicly",
        ]
        field_classes = {"municipality": CityChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["municipality"].queryset = Municipality.objects.order_by("name")


class IndividualApplicationForm(ProfileForm):
    motivation = forms.CharField(
        label=_("Motivation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you work on, and what you hope to share with the network."),
    )


class OrganisationForm(ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS  # what the service audits is what the form edits


class ReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))


class RoleFilter(Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )


class RoleForm(Form):
    email = forms.EmailField(label=_("The user's e-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    municipality = CityChoiceField(
        queryset=Municipality.objects.order_by("name"),
        required=False,
        help_text=_("For city coordinators."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_("For organisation contacts and funder officers."),
    )
