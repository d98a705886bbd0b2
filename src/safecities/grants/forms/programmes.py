"""Forms of the grant pages: programmes and calls.

The forms parse what people type (amounts in major units, dates and times in a chosen time
zone, one choice per line) into what the services take; the services decide what is allowed
and their refusals are shown on the forms.
"""

from decimal import Decimal
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from safecities.charter.models import Goal
from safecities.core.forms import (
    LANGUAGES,
    DateInput,
    Form,
    LanguagesAndMomentsMixin,
    PostedRowsFormSet,
    TimeInput,
    per_language_fields,
    per_language_values,
    styled,
    time_zone_field,
)
from safecities.core.money import Money
from safecities.network.models import Country, NationalProgramme, Organisation, OrganisationType

from ..models import Call, Question, Stage
from .fields import AmountField
from .lines import add_pot_field

OTHER_SUFFIXES = tuple(f"_{code}" for code in LANGUAGES[1:])


def _money(form: forms.Form, field: str, value: Decimal | None, currency: str) -> Money | None:
    """`value` as Money in `currency`, or an error on `field` when it has too many decimals."""
    if value is None:
        return None
    try:
        return Money(value, currency)
    except ValueError:
        form.add_error(
            field,
            _("Give the amount in %(currency)s with no more decimals than the currency has.")
            % {"currency": currency},
        )
        return None


# --- programmes --------------------------------------------------------------------------


class ProgrammeForm(Form):
    DESCRIPTION_LANGUAGES = ["en", "nb", "sv"]

    name = forms.CharField(label=_("Name"), max_length=200)
    funder = forms.ModelChoiceField(label=_("Funder"), queryset=Organisation.objects.none())
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        initial="NOK",
        help_text=_("The ISO 4217 code of three letters: NOK, SEK, DKK, EUR, ISK …"),
    )
    budget = AmountField(
        label=_("Budget"),
        help_text=_("In whole units of the currency, e.g. 5 000 000 for five million kroner."),
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(label=_("Until"), widget=DateInput)

    def __init__(self, *args, funders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = funders
        only = list(funders[:2])
        if len(only) == 1:  # a funder officer of one funder: nothing to choose
            self.fields["funder"].initial = only[0]
            self.fields["funder"].empty_label = None
        per_language_fields(
            self,
            lambda code, name: {
                "description": forms.CharField(
                    label=_("Description in %(language)s") % {"language": name},
                    required=code == "en",
                    widget=forms.Textarea(attrs={"rows": 5}),
                ),
            },
            languages=self.DESCRIPTION_LANGUAGES,
        )
        styled(self)

    def clean_currency(self) -> str:
        return self.cleaned_data["currency"].strip().upper()

    def clean(self):
        data = super().clean()
        currency, budget = data.get("currency"), data.get("budget")
        if currency and budget is not None:
            try:
                data["budget_money"] = Money(budget, currency)
            except ValueError:
                if len(currency) != 3 or not currency.isalpha():
                    self.add_error("currency", _("Give the currency as three letters, e.g. NOK."))
                else:
                    self.add_error(
                        "budget",
                        _("%(currency)s has no more decimals than its minor unit allows.")
                        % {"currency": currency},
                    )
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        funder = {"funder": data["funder"]} if "funder" in self.fields else {}  # not on edit
        return {
            **funder,
            "name": data["name"],
            "budget": data["budget_money"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "description": per_language_values(
                data, "description", languages=self.DESCRIPTION_LANGUAGES
            ),
        }


class ProgrammeEditForm(ProgrammeForm):
    """A programme's name, period, currency, budget and purpose; its funder stays."""

    def __init__(self, *args, programme, **kwargs):
        super().__init__(
            *args, funders=Organisation.objects.filter(pk=programme.funder_id), **kwargs
        )
        del self.fields["funder"]
        self.fields["budget"].help_text = _(
            "In whole units of the currency. It cannot be less than what is already awarded."
        )

    @classmethod
    def initial_for(cls, programme) -> dict:
        initial = {
            "name": programme.name,
            "currency": programme.currency,
            "budget": programme.budget.amount,
            "starts_on": programme.starts_on,
            "ends_on": programme.ends_on,
        }
        for code, value in (programme.description or {}).items():
            initial[f"description_{code}"] = value
        return initial


# --- calls -------------------------------------------------------------------------------

PARTS = ["title", "text", "eligibility"]  # the call's texts, each one value per language

# The call's moments: each a date field named as the service's argument (so its refusals land
# there) and a time field beside it, read in the call's time zone.
MOMENTS = [
    ("opens_at", _("Opens"), True),
    ("closes_at", _("Closes"), True),
    ("concept_closes_at", _("Concept notes close"), False),
]


class CallForm(LanguagesAndMomentsMixin, Form):
    TEXT_PARTS = PARTS
    MOMENTS = MOMENTS
    time_zone = time_zone_field()
    opens_at = forms.DateField(label=_("Opening date"), widget=DateInput)
    opens_at_time = forms.TimeField(label=_("Opening time"), widget=TimeInput, initial="09:00")
    closes_at = forms.DateField(label=_("Closing date"), widget=DateInput)
    closes_at_time = forms.TimeField(label=_("Closing time"), widget=TimeInput, initial="12:00")
    min_amount = AmountField(label=_("Smallest grant"), required=False, initial=0)
    max_amount = AmountField(label=_("Largest grant"))
    goals = forms.ModelMultipleChoiceField(
        label=_("Charter goals the call funds"),
        queryset=Goal.objects.order_by("position"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Applications choose among these; none chosen means any goal."),
    )
    requires_partnership = forms.BooleanField(
        label=_("Requires a partnership of a member city and a civil-society organisation"),
        required=False,
    )
    national_programme = forms.ModelChoiceField(
        label=_("Open to the member cities of a national programme"),
        queryset=NationalProgramme.objects.order_by("name"),
        required=False,
        empty_label=_("Any city"),
        help_text=_("Every party, lead and partners, must be or be seated in one of its cities."),
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Open to parties in these countries"),
        queryset=Country.objects.order_by("code"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Every party, lead and partners; none chosen means any country."),
    )
    organisation_types = forms.MultipleChoiceField(
        label=_("Open to organisations of these types"),
        choices=OrganisationType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Every organisation taking part, as lead or partner; municipalities are not "
            "limited by it. None chosen means any type."
        ),
    )
    stages = forms.TypedChoiceField(
        label=_("Stages"),
        choices=Call._meta.get_field("stages").choices,
        coerce=int,
        initial=1,
        widget=forms.RadioSelect,
    )
    concept_closes_at = forms.DateField(
        label=_("Concept notes: closing date"),
        widget=DateInput,
        required=False,
        help_text=_("Two-stage calls only."),
    )
    concept_closes_at_time = forms.TimeField(
        label=_("Concept notes: closing time"), widget=TimeInput, required=False
    )
    blind_review = forms.BooleanField(
        label=_("Hide applicants from reviewers (blind review)"), required=False
    )

    def __init__(self, *args, currency: str, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency
        add_pot_field(self, lines)
        for name in ("min_amount", "max_amount"):
            self.fields[name].help_text = _("In %(currency)s, whole units.") % {
                "currency": currency
            }
        per_language_fields(
            self,
            lambda code, name: {
                "title": forms.CharField(
                    label=_("Title in %(language)s") % {"language": name},
                    max_length=300,
                    required=code == "en",
                ),
                "text": forms.CharField(
                    label=_("Text in %(language)s") % {"language": name},
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 6}),
                ),
                "eligibility": forms.CharField(
                    label=_("Who may apply, in %(language)s") % {"language": name},
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                ),
            },
        )
        styled(self)

    def clean(self):
        data = self.clean_moments(super().clean(), default_zone="UTC")
        data["min_money"] = _money(self, "min_amount", data.get("min_amount"), self.currency)
        data["max_money"] = _money(self, "max_amount", data.get("max_amount"), self.currency)
        return data

    def service_kwargs(self) -> dict:
        """The arguments of `services.create_call` / `update_call`, all of them."""
        data = self.cleaned_data
        return {
            "title": per_language_values(data, "title"),
            "text": per_language_values(data, "text"),
            "eligibility": per_language_values(data, "eligibility"),
            "opens_at": data["opens_at_aware"],
            "closes_at": data["closes_at_aware"],
            "min_amount": data["min_money"],
            "max_amount": data["max_money"],
            "requires_partnership": data["requires_partnership"],
            "stages": data["stages"],
            "concept_closes_at": data["concept_closes_at_aware"],
            "blind_review": data["blind_review"],
            "time_zone": data["time_zone"],
            "goals": list(data["goals"]),
            "national_programme": data["national_programme"],
            "countries": list(data["countries"]),
            "organisation_types": list(data["organisation_types"]),
            **({"line": data["line"]} if "line" in self.fields else {}),
        }

    @classmethod
    def initial_for(cls, call: Call) -> dict:
        zone = ZoneInfo(call.time_zone)
        initial = {
            "time_zone": call.time_zone,
            "min_amount": call.min_amount.amount,
            "max_amount": call.max_amount.amount,
            "goals": list(call.goals.all()),
            "requires_partnership": call.requires_partnership,
            "stages": call.stages,
            "blind_review": call.blind_review,
            "national_programme": call.national_programme,
            "countries": list(call.countries.all()),
            "organisation_types": list(call.organisation_types),
            "line": call.line_id,
        }
        return initial | cls.initial_texts_and_moments(call, zone)


# --- criteria and questions --------------------------------------------------------------


class RowForm(Form):
    """A row of a formset: blank extra rows are skipped, whatever their checkboxes say."""

    CONTENT: tuple[str, ...] = ()

    def has_changed(self) -> bool:
        return any(name in self.changed_data for name in self.content_fields())

    def content_fields(self) -> list[str]:
        return [n for n in self.fields if n.startswith(self.CONTENT)]

    def translations(self, prefix: str) -> dict:
        return per_language_values(self.cleaned_data, prefix)

    def other_languages(self) -> list:
        """The bound fields of the languages other than English, for a <details>."""
        return [self[name] for name in self.fields if name.endswith(OTHER_SUFFIXES)]

    def other_languages_used(self) -> bool:
        return any(f.value() or f.errors for f in self.other_languages())


class CriterionForm(RowForm):
    CONTENT = ("name_", "description_", "weight")

    weight = forms.IntegerField(
        label=_("Weight"),
        help_text=_("A whole number from 1 to 100: how much the criterion counts."),
        widget=forms.NumberInput(attrs={"min": 1, "max": 100}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        per_language_fields(
            self,
            lambda code, name: {
                "name": forms.CharField(
                    label=_("Name in %(language)s") % {"language": name},
                    max_length=300,
                    required=code == "en",
                ),
                "description": forms.CharField(
                    label=_("Description in %(language)s") % {"language": name},
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                ),
            },
        )
        self.order_fields(["name_en", "description_en", "weight"])
        styled(self)

    def row(self) -> dict:
        return {
            "name": self.translations("name"),
            "description": self.translations("description"),
            "weight": self.cleaned_data["weight"],
        }

    @staticmethod
    def initial_for(criterion) -> dict:
        initial = {"weight": criterion.weight}
        for code, value in criterion.name.items():
            initial[f"name_{code}"] = value
        for code, value in (criterion.description or {}).items():
            initial[f"description_{code}"] = value
        return initial


def parse_choices(text: str) -> list[dict]:
    """One choice a line: `value | English label | nb: Norsk | sv: Svensk`.

    The label is optional (the value is shown then); further languages are `code: label`.
    Raises ValidationError naming the line it cannot read.
    """
    choices = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        value, *labels = (part.strip() for part in line.split("|"))
        label = {}
        if labels and labels[0]:
            label["en"] = labels[0]
        for part in labels[1:]:
            code, sep, words = part.partition(":")
            code = code.strip().lower()
            if not sep or code not in LANGUAGES:
                raise forms.ValidationError(
                    _(
                        "Line %(n)s: write each further language as “code: label”, "
                        "with a code among %(codes)s."
                    )
                    % {"n": number, "codes": ", ".join(LANGUAGES[1:])}
                )
            if words.strip():
                label[code] = words.strip()
        choices.append({"value": value, "label": label})
    return choices


def format_choices(choices: list[dict]) -> str:
    lines = []
    for choice in choices or []:
        label = choice.get("label") or {}
        parts = [choice["value"], label.get("en", "")]
        parts += [f"{code}: {label[code]}" for code in LANGUAGES[1:] if label.get(code)]
        lines.append(" | ".join(parts).rstrip(" |"))
    return "\n".join(lines)


class QuestionForm(RowForm):
    CONTENT = ("kind", "label_", "help_", "choices")

    kind = forms.ChoiceField(label=_("Kind of answer"), choices=[("", "—"), *Question.Kind.choices])
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Choice questions only: one choice a line, as “value | English label”; "
            "add other languages as “| nb: label | sv: label”."
        ),
    )

    def __init__(self, *args, two_stage: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        per_language_fields(
            self,
            lambda code, name: {
                "label": forms.CharField(
                    label=_("Question in %(language)s") % {"language": name},
                    max_length=500,
                    required=code == "en",
                ),
                "help": forms.CharField(
                    label=_("Help text in %(language)s") % {"language": name},
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                ),
            },
        )
        order = ["kind", "label_en", "help_en", "choices", "required"]
        if two_stage:
            self.fields["stage"] = forms.ChoiceField(
                label=_("Asked in"),
                choices=Stage.choices,
                initial=Stage.FULL,
                help_text=_("Concept-note questions are asked first, and again in the full one."),
            )
            order.append("stage")
        self.order_fields(order)
        styled(self)

    def clean_choices(self) -> list[dict]:
        return parse_choices(self.cleaned_data.get("choices", ""))

    def row(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "label": self.translations("label"),
            "help_text": self.translations("help"),
            "required": data["required"],
            "stage": data.get("stage") or Stage.FULL,
            "choices": data["choices"],
        }

    @staticmethod
    def initial_for(question) -> dict:
        initial = {
            "kind": question.kind,
            "required": question.required,
            "stage": question.stage,
            "choices": format_choices(question.choices),
        }
        for code, value in question.label.items():
            initial[f"label_{code}"] = value
        for code, value in (question.help_text or {}).items():
            initial[f"help_{code}"] = value
        return initial


class RowFormSet(PostedRowsFormSet):
    """Rows in order; a "Remove" box on each; the rows the service will number, numbered."""

    remove_label = _("Remove this row")

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = self.remove_label
            styled(form)

    def kept_forms(self) -> list:
        """The rows to save, in order: neither removed nor left blank. Call after is_valid()."""
        return [
            form
            for i, form in enumerate(self.forms)
            if not self._should_delete_form(form)
            and (i < self.initial_form_count() or form.has_changed())
        ]

    def number_rows(self) -> None:
        """Give each row its number as the service counts them (`form.number`, None if not)."""
        for i, form in enumerate(self.forms):
            form.number = None
            form.is_extra = i >= self.initial_form_count()
            form.removed = self.is_bound and self._should_delete_form(form)
        kept = [
            form
            for i, form in enumerate(self.forms)
            if not form.removed and (i < self.initial_form_count() or form.has_changed())
        ]
        for number, form in enumerate(kept, start=1):
            form.number = number


class CriterionFormSet(RowFormSet):
    remove_label = _("Remove this criterion")


class QuestionFormSet(RowFormSet):
    remove_label = _("Remove this question")


CriteriaFormSet = forms.formset_factory(
    CriterionForm, formset=CriterionFormSet, extra=2, can_delete=True, max_num=100
)
QuestionsFormSet = forms.formset_factory(
    QuestionForm, formset=QuestionFormSet, extra=2, can_delete=True, max_num=200
)


# --- public filters ----------------------------------------------------------------------


class AwardFilter(Form):
    SORTS = [("date", _("Newest decision first")), ("amount", _("Largest amount first"))]

    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=None,
        required=False,
        empty_label=_("All programmes"),
        to_field_name="slug",
    )
    year = forms.TypedChoiceField(label=_("Year of decision"), coerce=int, required=False)
    city = forms.CharField(label=_("Municipality"), max_length=120, required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=SORTS, required=False)

    def __init__(self, *args, programmes, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["year"].choices = [("", _("All years")), *((y, y) for y in years)]

    def filters(self) -> dict:
        """The filters that are valid; one that is not (a year with no grants) is left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "programme": data.get("programme"),
            "year": data.get("year") or None,
            "city": (data.get("city") or "").strip(),
            "sort": data.get("sort") or "date",
        }
