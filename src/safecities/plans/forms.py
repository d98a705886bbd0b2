"""Forms of the plan pages.

The forms parse what people type (dates, an amount in major units with its currency, choices)
into what `plans.services` takes; the services decide what is allowed and their refusals are
shown on the forms, on the field they name.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from safecities.charter.models import Term, Vocabulary
from safecities.core.forms import (
    DateInput,
    Form,
    per_language_fields,
    per_language_initial,
    per_language_values,
    styled,
)
from safecities.core.money import Money
from safecities.grants.forms.fields import AmountField
from safecities.indicators.models import Indicator
from safecities.network.models import Country, Organisation

from .models import ActionPlan, Measure, MeasureIndicator

# --- the list ------------------------------------------------------------------------------


class PlanFilter(Form):
    SORTS = [
        ("city", _("City")),
        ("-starts", _("Newest period first")),
        ("starts", _("Oldest period first")),
        ("title", _("Title")),
    ]

    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.all(),
        required=False,
        empty_label=_("All countries"),
        to_field_name="code",
    )
    city = forms.ChoiceField(label=_("City"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=SORTS, required=False)

    def __init__(self, *args, cities, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = [("", _("All cities")), *((c.slug, c.name) for c in cities)]
        self.fields["status"].choices = [("", _("Every status")), *statuses]

    def filters(self) -> dict:
        """The valid filters; one that is not (an unknown city) is left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        country = data.get("country")
        return {
            "country": country.code if country else "",
            "city": data.get("city") or "",
            "status": data.get("status") or "",
            "sort": data.get("sort") or "city",
        }


# --- plans ---------------------------------------------------------------------------------


class PeriodMixin(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(label=_("Until"), widget=DateInput)


class PlanCreateForm(Form, PeriodMixin):
    municipality = forms.ModelChoiceField(label=_("City"), queryset=None)
    field_order = ["municipality", "title", "starts_on", "ends_on"]

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        only = list(municipalities[:2])
        if len(only) == 1:
            self.fields["municipality"].initial = only[0]
            self.fields["municipality"].empty_label = None

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {k: data[k] for k in ("municipality", "title", "starts_on", "ends_on")}


class PlanEditForm(Form, PeriodMixin):
    """Title, period and the plan's own text per charter goal (one field per section)."""

    def __init__(self, *args, sections, guidance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = list(sections)
        guidance = guidance or {}
        for section in self.sections:
            self.fields[self.section_field(section)] = forms.CharField(
                label=section.display_heading,
                help_text=guidance.get(section.goal_id, ""),
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
            )
        styled(self)

    @staticmethod
    def section_field(section) -> str:
        return f"section_{section.goal.code}"

    @classmethod
    def initial_for(cls, plan: ActionPlan, sections) -> dict:
        initial = {"title": plan.title, "starts_on": plan.starts_on, "ends_on": plan.ends_on}
        for section in sections:
            initial[cls.section_field(section)] = section.text
        return initial

    def section_fields(self):
        """(section, bound field) pairs, for the template to show each with its guidance."""
        return [(s, self[self.section_field(s)]) for s in self.sections]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "sections": {s.goal_id: data.get(self.section_field(s), "") for s in self.sections},
        }


class AdoptForm(Form):
    # Named as the service's arguments, so its refusals land on the right field.
    body = forms.CharField(
        label=_("Adopted by"), max_length=200, help_text=_("The political body, e.g. City council.")
    )
    adopted_on = forms.DateField(label=_("Adopted on"), widget=DateInput)
    case_number = forms.CharField(label=_("Case number"), max_length=100)
    document = forms.FileField(
        label=_("The adopted plan (PDF)"),
        help_text=_("The plan as adopted, as a PDF file."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    confirmed = forms.BooleanField(
        label=_(
            "I confirm that the plan was adopted as stated. It becomes public, and its text "
            "can no longer change."
        ),
        error_messages={"required": _("Tick the box to confirm the adoption.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each fact is checked by the service, which names the field at fault.
        for name, field in self.fields.items():
            field.required = name == "confirmed"

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "body": data.get("body") or "",
            "adopted_on": data.get("adopted_on"),
            "case_number": data.get("case_number") or "",
            "document": data.get("document"),
        }


# --- the network template ------------------------------------------------------------------


class TemplateSectionForm(Form):
    """A template section's heading and guidance in each language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        per_language_fields(
            self,
            lambda code, name: {
                "heading": forms.CharField(
                    label=_("Heading in %(language)s") % {"language": name},
                    max_length=200,
                    required=False,
                )
            },
        )
        per_language_fields(
            self,
            lambda code, name: {
                "guidance": forms.CharField(
                    label=_("Guidance in %(language)s") % {"language": name},
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
            },
        )
        styled(self)

    @staticmethod
    def initial_for(section) -> dict:
        if section is None:
            return {}
        return per_language_initial(section.heading, "heading") | per_language_initial(
            section.guidance, "guidance"
        )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "heading": per_language_values(data, "heading"),
            "guidance": per_language_values(data, "guidance"),
        }


# --- measures ------------------------------------------------------------------------------


class MeasureForm(Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Charter goals it serves"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"),
        queryset=Term.objects.filter(vocabulary=Vocabulary.TARGET_GROUP, active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    phenomena = forms.ModelMultipleChoiceField(
        label=_("Phenomena"),
        queryset=Term.objects.filter(vocabulary=Vocabulary.PHENOMENON, active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    owner_department = forms.CharField(label=_("Owning department"), max_length=200, required=False)
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner organisations"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    budget = AmountField(
        label=_("Budget"),
        currency="NOK",  # any currency: `clean` checks the decimals against the one given
        decimal_places=None,
        max_digits=None,
        required=False,
        help_text=_("In whole units of the currency; leave empty if there is none."),
    )
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        required=False,
        help_text=_("The ISO 4217 code of three letters: NOK, SEK, DKK, EUR, ISK …"),
    )
    starts_on = forms.DateField(label=_("Starts"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("Ends"), required=False, widget=DateInput)
    grant = forms.ModelChoiceField(
        label=_("Funded by grant"),
        queryset=None,
        required=False,
        empty_label=_("No grant"),
    )

    def __init__(self, *args, goals, grants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = goals
        self.fields["grant"].queryset = grants
        styled(self)

    def clean_currency(self) -> str:
        return (self.cleaned_data.get("currency") or "").strip().upper()

    def clean(self):
        data = super().clean()
        budget, currency = data.get("budget"), data.get("currency")
        data["budget_money"] = None
        if budget is not None:
            if not currency:
                self.add_error("currency", _("Give the currency of the budget, e.g. NOK."))
            else:
                try:
                    data["budget_money"] = Money(budget, currency)
                except ValueError:
                    if len(currency) != 3 or not currency.isalpha():
                        self.add_error(
                            "currency", _("Give the currency as three letters, e.g. NOK.")
                        )
                    else:
                        self.add_error(
                            "budget",
                            _("%(currency)s has no more decimals than its minor unit allows.")
                            % {"currency": currency},
                        )
        return data

    @staticmethod
    def initial_for(measure: Measure) -> dict:
        budget = measure.budget
        return {
            "title": measure.title,
            "description": measure.description,
            "goals": list(measure.goals.all()),
            "target_groups": list(measure.target_groups.all()),
            "phenomena": list(measure.phenomena.all()),
            "owner_department": measure.owner_department,
            "partners": list(measure.partners.all()),
            "budget": budget.amount if budget else None,
            "currency": measure.currency,
            "starts_on": measure.starts_on,
            "ends_on": measure.ends_on,
            "grant": measure.grant,
        }

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "goals": list(data["goals"]),
            "target_groups": list(data["target_groups"]),
            "phenomena": list(data["phenomena"]),
            "owner_department": data["owner_department"],
            "partners": list(data["partners"]),
            "budget": data["budget_money"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "grant": data["grant"],
        }


class ProgressForm(Form):
    reported_on = forms.DateField(label=_("Date"), widget=DateInput)
    text = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}))
    status = forms.ChoiceField(
        label=_("The measure's status now"),
        choices=Measure.Status.choices,
        widget=forms.RadioSelect,
    )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {k: data[k] for k in ("reported_on", "text", "status")}


class LinkIndicatorForm(Form):
    indicator = forms.ModelChoiceField(
        label=_("Indicator"),
        queryset=Indicator.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("Choose an indicator"),
    )
    role = forms.ChoiceField(
        label=_("Role in the logic model"),
        choices=MeasureIndicator.Role.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "An output counts what the measure produces; an outcome is a change it aims to move."
        ),
    )
    direction = forms.ChoiceField(
        label=_("Expected direction"),
        choices=MeasureIndicator.Direction.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].label_from_instance = lambda i: (
            f"{i.display_name} ({i.get_kind_display().lower()})"
        )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {k: data[k] for k in ("indicator", "role", "direction")}


class AdoptPracticeForm(Form):
    plan = forms.ModelChoiceField(
        label=_("Add it to the plan"),
        queryset=None,
        empty_label=None,
    )
    title = forms.CharField(
        label=_("Title of the measure"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to use the practice's title."),
    )

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["plan"].label_from_instance = lambda p: f"{p.municipality.name} — {p.title}"
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "ds-input")
