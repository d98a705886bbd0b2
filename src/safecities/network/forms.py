from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from safecities.core.forms import DateInput, Form, ModelForm

from .models import MemberKind, Municipality, Organisation, OrganisationType, Person, Role
from .selectors import countries
from .services import ORGANISATION_FIELDS


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
    municipality = forms.ModelChoiceField(label=_("City"), queryset=Municipality.objects.none())
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
    municipality = forms.ModelChoiceField(
        label=_("City"),
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
