"""Forms of the grant pages: applications (the applicant's side) and grantee reports.

The application form saves drafts: nothing is enforced as required here (a draft may be
incomplete; completeness is checked by `services.submit_application`), but required questions
are marked. Values that can never be right are left to the services too, so their message
lands on the field they name (`answer_<question id>`, `budget_lines`, `partners`, …).
"""

from decimal import Decimal

from django import forms
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from safecities.core.errors import DomainError
from safecities.core.forms import (
    DateInput,
    Form,
    PostedRowsFormSet,
    Renderer,
    SearchableSelectMultiple,
    add_domain_error,
)
from safecities.core.money import Money

from ..models import Application, Question
from .fields import AmountField

# From this many indicators on, the form lists them in one list narrowed by typing.
SEARCHABLE_FROM = 12

PARTY_SEPARATOR = ":"
PDF_ACCEPT = "application/pdf,.pdf"


class ApplicantForm(Form):
    # Fields marked required (`marked_required`) are not enforced: a draft may be incomplete.
    default_renderer = Renderer()
    use_required_attribute = False


def party_key(party) -> str:
    """ "municipality:12" or "organisation:7": one select holds both kinds of party."""
    kind = "municipality" if party._meta.model_name == "municipality" else "organisation"
    return f"{kind}{PARTY_SEPARATOR}{party.pk}"


def parties_by_key(municipalities, organisations) -> dict:
    """{party key: municipality or organisation}: what a party select's value stands for."""
    return {party_key(p): p for p in [*municipalities, *organisations]}


def party_choices(municipalities, organisations) -> list:
    return [
        ("", "—"),
        (_("Municipalities"), [(party_key(m), str(m)) for m in municipalities]),
        (_("Organisations"), [(party_key(o), str(o)) for o in organisations]),
    ]


class StartForm(ApplicantForm):
    lead = forms.ChoiceField(
        label=_("Who leads the application"),
        widget=forms.RadioSelect,
        help_text=_("A city you coordinate or an organisation you speak for."),
    )
    title = forms.CharField(label=_("Project title"), max_length=300)

    def __init__(self, *args, leads: dict, **kwargs):
        """`leads`: {party key: municipality or organisation} the user may apply for."""
        super().__init__(*args, **kwargs)
        self.leads = leads
        self.fields["lead"].choices = [(key, str(party)) for key, party in leads.items()]
        if len(leads) == 1:
            self.fields["lead"].initial = next(iter(leads))

    def clean_lead(self):
        return self.leads[self.cleaned_data["lead"]]


class PartnerForm(ApplicantForm):
    party = forms.ChoiceField(label=_("Partner"), required=False)
    role = forms.CharField(label=_("Role in the project"), max_length=300, required=False)

    def __init__(self, *args, parties: dict, choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.parties = parties
        self.fields["party"].choices = choices

    def clean_party(self):
        key = self.cleaned_data["party"]
        return self.parties.get(key) if key else None


class BudgetLineForm(ApplicantForm):
    label = forms.CharField(label=_("Item"), max_length=300, required=False)
    amount = forms.DecimalField(label=_("Amount"), required=False)  # replaced per currency

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"] = AmountField(
            currency=currency,
            min_value=Decimal(0),
            label=_("Amount (%(currency)s)") % {"currency": currency},
        )
        self.fields["amount"].required = False
        self.fields["amount"].widget.attrs["class"] = "ds-input"


PartnerFormSet = forms.formset_factory(PartnerForm, formset=PostedRowsFormSet, extra=2)
BudgetLineFormSet = forms.formset_factory(BudgetLineForm, formset=PostedRowsFormSet, extra=2)


def _answer_field(question: Question) -> forms.Field:
    common = {
        "label": question.display_label,
        "help_text": question.display_help,
        "required": False,
    }
    kind = question.kind
    if kind == Question.Kind.TEXT:
        field = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), **common)
    elif kind == Question.Kind.NUMBER:
        field = forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    elif kind == Question.Kind.CHOICE:
        field = forms.ChoiceField(
            choices=question.display_choices, widget=forms.RadioSelect, **common
        )
    elif kind == Question.Kind.DATE:
        field = forms.DateField(widget=DateInput, **common)
    else:
        if not common["help_text"]:
            common["help_text"] = _("A PDF file of at most 10 MB.")
        field = forms.FileField(widget=forms.FileInput(attrs={"accept": PDF_ACCEPT}), **common)
    field.marked_required = question.required
    field.question = question
    return field


class ApplicationForm(ApplicantForm):
    """The draft's own fields and one field per question asked at the application's stage."""

    title = forms.CharField(label=_("Project title"), max_length=300, required=False)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the project does, with whom, and what it should change."),
    )
    requested = forms.DecimalField(required=False)  # replaced per currency
    starts_on = forms.DateField(label=_("Project starts"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("Project ends"), required=False, widget=DateInput)
    goals = forms.ModelMultipleChoiceField(
        label=_("Charter goals"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The indicators the project expects to move; its reports give results against them."
        ),
    )

    def __init__(
        self, *args, application: Application, questions, goals, target_groups, indicators, **kw
    ):
        super().__init__(*args, **kw)
        currency = application.currency
        self.fields["requested"] = AmountField(
            currency=currency,
            min_value=Decimal(0),
            label=_("Amount requested (%(currency)s)") % {"currency": currency},
            required=False,
            help_text=_("From %(min)s to %(max)s in this call.")
            % {"min": application.call.min_amount, "max": application.call.max_amount},
        )
        self.fields["requested"].widget.attrs["class"] = "ds-input"
        self.fields["goals"].queryset = goals
        self.fields["target_groups"].queryset = target_groups
        self.fields["indicators"].queryset = indicators
        if len(self.fields["indicators"].choices) > SEARCHABLE_FROM:
            # Many indicators: one list to narrow by typing instead of a long run of boxes.
            self.fields["indicators"].widget = SearchableSelectMultiple(
                search_label=_("Find an indicator by name or code"),
                attrs={"class": "ds-input", "size": 8},
            )
            self.fields["indicators"].widget.choices = self.fields["indicators"].choices
        for name in ("title", "summary", "requested"):
            self.fields[name].marked_required = True
        self.questions = list(questions)
        for question in self.questions:
            field = _answer_field(question)
            field.widget.attrs.setdefault("class", "ds-input")
            self.fields[f"answer_{question.pk}"] = field

    @property
    def answer_fields(self):
        return [self[f"answer_{q.pk}"] for q in self.questions]

    def file_field_names(self) -> list[str]:
        return [f"answer_{q.pk}" for q in self.questions if q.kind == Question.Kind.FILE]


def initial_for(application: Application, questions: list[Question]) -> dict:
    """The saved draft as the form's initial values."""
    answers = {a.question_id: a for a in application.answers.all()}
    initial = {
        "title": application.title,
        "summary": application.summary,
        "requested": application.requested.amount if application.requested_minor else None,
        "starts_on": application.starts_on,
        "ends_on": application.ends_on,
        "goals": [g.pk for g in application.goals.all()],
        "target_groups": [t.pk for t in application.target_groups.all()],
        "indicators": [i.pk for i in application.indicators.all()],
    }
    for question in questions:
        answer = answers.get(question.pk)
        if answer is None or question.kind == Question.Kind.FILE:
            continue
        value = answer.value
        if question.kind == Question.Kind.DATE:
            value = parse_date(value) if value else None
        initial[f"answer_{question.pk}"] = value
    return initial


class ApplicationEditor:
    """The draft form and its two formsets (partners, budget lines), saved together by one
    call of `services.update_application`; the errors of all three, and the service's, in the
    order of the page."""

    SECTIONS = {"budget_lines": _("Budget"), "partners": _("Partners")}

    def __init__(
        self,
        application: Application,
        *,
        questions: list[Question],
        goals,
        target_groups,
        indicators,
        municipalities: list,
        organisations: list,
        current_files: dict[int, dict] | None = None,
        data=None,
        files=None,
        writes: set[int] | None = None,
    ):
        """`current_files`: {question id: {name, url}} of the file answers already given.

        `writes`: for a partner co-writing, the ids of the questions it may write; the rest of
        the page is shown read-only and not sent to the service. None for the lead.
        """
        self.application = application
        self.writes = writes
        currency = application.currency
        self.form = ApplicationForm(
            data,
            files,
            application=application,
            questions=questions,
            goals=goals,
            target_groups=target_groups,
            indicators=indicators,
            initial=initial_for(application, questions),
        )
        for pk, current in (current_files or {}).items():
            self.form.fields[f"answer_{pk}"].current_file = current
        if writes is not None:
            for field in self.form.fields.values():
                question = getattr(field, "question", None)
                field.disabled = question is None or question.pk not in writes
            data = None  # the partners and budget are the lead's: never bound for a partner
        self.partners = PartnerFormSet(
            data,
            prefix="partners",
            initial=[
                {"party": party_key(p.party), "role": p.role} for p in application.partners.all()
            ],
            form_kwargs={
                "parties": parties_by_key(municipalities, organisations),
                "choices": party_choices(municipalities, organisations),
            },
        )
        self.budget = BudgetLineFormSet(
            data,
            prefix="budget",
            initial=[
                {
                    "label": line.label,
                    "amount": Money.from_minor(line.amount_minor, currency).amount,
                }
                for line in application.budget_lines.all()
            ],
            form_kwargs={"currency": currency},
        )
        self.sections: dict[str, str] = {}  # service refusals naming a formset

    def is_valid(self) -> bool:
        if self.writes is not None:
            return self.form.is_valid()
        return all([self.form.is_valid(), self.partners.is_valid(), self.budget.is_valid()])

    def _answers(self) -> tuple[dict, dict]:
        data = self.form.cleaned_data
        answers, files = {}, {}
        for question in self.form.questions:
            if self.writes is not None and question.pk not in self.writes:
                continue
            value = data.get(f"answer_{question.pk}")
            if question.kind != Question.Kind.FILE:
                answers[question.pk] = value
            elif value:
                files[question.pk] = value
        return answers, files

    def edits(self) -> dict:
        """Everything the page edits, as `services.update_application` takes it: for a
        partner, only the answers it writes."""
        answers, files = self._answers()
        if self.writes is not None:
            return {"answers": answers, "files": files}
        data = self.form.cleaned_data
        currency = self.application.currency
        lines = []
        for row in self.budget.cleaned_data:
            label, amount = (row.get("label") or "").strip(), row.get("amount")
            if label or amount is not None:
                lines.append((label, Money(amount if amount is not None else Decimal(0), currency)))
        parties = []
        for row in self.partners.cleaned_data:
            party, role = row.get("party"), (row.get("role") or "").strip()
            if party is not None or role:
                parties.append((party, role))
        requested = data.get("requested")
        return {
            "title": data.get("title") or "",
            "summary": data.get("summary") or "",
            "requested": Money(requested if requested is not None else Decimal(0), currency),
            "starts_on": data.get("starts_on"),
            "ends_on": data.get("ends_on"),
            "goals": list(data.get("goals") or []),
            "target_groups": list(data.get("target_groups") or []),
            "indicators": list(data.get("indicators") or []),
            "budget_lines": lines,
            "partners": parties,
            "answers": answers,
            "files": files,
        }

    def add_error(self, exc: DomainError) -> None:
        """A service's refusal, on the field or the formset it names."""
        if exc.field in self.SECTIONS:
            self.sections[exc.field] = exc.message
        else:
            add_domain_error(self.form, exc)

    def errors(self) -> list[dict]:
        """Every error on the page as {anchor, text}, in the order of the page."""
        form = self.form
        out = [("", "", e) for e in form.non_field_errors()]
        for name, messages in form.errors.items():
            if name != "__all__":
                out += [(f"id_{name}", form.fields[name].label, m) for m in messages]
        for key, formset in (("partners", self.partners), ("budget_lines", self.budget)):
            for n, row in enumerate(formset.forms, start=1):
                for name, messages in row.errors.items():
                    label = f"{self.SECTIONS[key]} {n}: {row.fields[name].label}"
                    out += [(f"id_{row.prefix}-{name}", label, m) for m in messages]
        out += [(f"id_{key}", self.SECTIONS[key], m) for key, m in self.sections.items()]
        return [
            {
                "anchor": anchor,
                # a service's message may name its field already
                "text": f"{label}: {message}" if label and str(label) not in message else message,
            }
            for anchor, label, message in out
        ]


class StatusFilter(Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *Application.Status.choices],
    )


class ReportFilter(Form):
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class ReportForm(ApplicantForm):
    narrative = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 8}))
    results = forms.CharField(
        label=_("Results"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What came of it: people reached, changes seen, what others can learn."),
    )
    spent = forms.DecimalField()  # replaced per currency

    def __init__(self, *args, currency: str, award_amount, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spent"] = AmountField(
            currency=currency,
            min_value=Decimal(0),
            label=_("Money spent from the grant (%(currency)s)") % {"currency": currency},
            help_text=_("At most the award, %(award)s.") % {"award": award_amount},
        )
        self.fields["spent"].widget.attrs["class"] = "ds-input"


class LinkForm(ApplicantForm):
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    url = forms.CharField(
        label=_("Web address"),
        max_length=500,
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )


LinkFormSet = forms.formset_factory(LinkForm, formset=PostedRowsFormSet, extra=2)
