"""Forms of the knowledge bank's pages. They parse what people type into what
`practices.services` takes; the services decide what is allowed and their refusals are shown on
the forms, on the field they name."""

from typing import cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.core.forms import DateInput, Form, styled
from safecities.grants.models import Award
from safecities.indicators.models import Indicator
from safecities.network.models import Municipality, Organisation

from .inputs import M2M_FIELDS, PracticeData, Texts
from .models import TEXT_FIELDS, EvidenceLevel, Practice

MARKDOWN_HELP = _("Markdown: **bold**, *italic*, lists and links. No HTML.")
TEXT_LABELS = {
    "summary": _("Summary"),
    "problem": _("The problem it answers"),
    "approach": _("Approach"),
    "resources": _("Resources and cost"),
    "transfer": _("What it takes to transfer it elsewhere"),
    "results": _("Evaluation results"),
}


def _markdown_field(name: str) -> forms.CharField:
    return forms.CharField(
        label=TEXT_LABELS[name],
        required=name == "summary",
        max_length=20_000,
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 6 if name != "summary" else 4}),
    )


def _terms(vocabulary: str):
    return Term.objects.filter(vocabulary=vocabulary, active=True)


class PracticeForm(Form):
    language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = _markdown_field("summary")
    problem = _markdown_field("problem")
    approach = _markdown_field("approach")
    goals = forms.ModelMultipleChoiceField(
        label=_("Charter goals"), queryset=Goal.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"),
        queryset=_terms(Vocabulary.TARGET_GROUP),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    phenomena = forms.ModelMultipleChoiceField(
        label=_("Phenomena"),
        queryset=_terms(Vocabulary.PHENOMENON),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    arenas = forms.ModelMultipleChoiceField(
        label=_("Arenas"),
        queryset=_terms(Vocabulary.ARENA),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Cities that own it"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations that own it"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    partners = forms.CharField(label=_("Partners"), max_length=500, required=False)
    starts_on = forms.DateField(label=_("Started"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("Ended"), required=False, widget=DateInput)
    activity = forms.ChoiceField(label=_("State of the work"), choices=Practice.Activity.choices)
    resources = _markdown_field("resources")
    transfer = _markdown_field("transfer")
    evaluation_type = forms.ChoiceField(
        label=_("Evaluation"), choices=Practice.EvaluationType.choices
    )
    evaluation_measured = forms.CharField(
        label=_("What was measured"), max_length=500, required=False
    )
    results = _markdown_field("results")
    evaluation_link = forms.URLField(
        label=_("Evaluation report (link)"), required=False, assume_scheme="https"
    )
    evidence_level = forms.ChoiceField(
        label=_("Evidence level"),
        choices=EvidenceLevel.choices,
        help_text=_(
            "Described → documented results → peer reviewed → externally evaluated. "
            "The secretariat checks it before publishing."
        ),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    grant = forms.ModelChoiceField(
        label=_("Funded by grant"),
        queryset=Award.objects.select_related("application").order_by("-decided_at"),
        required=False,
        empty_label=_("No grant"),
    )
    outcome_indicators = forms.ModelMultipleChoiceField(
        label=_("Outcome indicators it aims to move"),
        queryset=Indicator.objects.all(),
        required=False,
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    visibility = forms.ChoiceField(label=_("Who may read it"), choices=Practice.Visibility.choices)

    FIELDSETS = [
        (_("The practice"), ["language", "title", "summary", "problem", "approach"]),
        (
            _("Who and what it is for"),
            ["goals", "target_groups", "phenomena", "arenas"],
        ),
        (
            _("Who runs it"),
            ["municipalities", "organisations", "partners", "contact_name", "contact_email"],
        ),
        (
            _("Period, resources and transfer"),
            ["starts_on", "ends_on", "activity", "resources", "transfer"],
        ),
        (
            _("Evaluation and evidence"),
            [
                "evaluation_type",
                "evaluation_measured",
                "results",
                "evaluation_link",
                "evidence_level",
            ],
        ),
        (_("Links"), ["grant", "outcome_indicators", "visibility"]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    @staticmethod
    def initial_for(practice: Practice) -> dict:
        initial = {name: getattr(practice, name) for name in PracticeForm.base_fields}
        for name in M2M_FIELDS:
            initial[name] = list(getattr(practice, name).all())
        return initial

    def service_data(self) -> PracticeData:
        """The data of `services.create_practice` / `update_practice`, every field."""
        data = dict(self.cleaned_data)
        for name in M2M_FIELDS:
            data[name] = list(data.get(name) or [])
        return cast(PracticeData, data)


class TranslationForm(Form):
    language = forms.ChoiceField(label=_("Language"))
    translator = forms.CharField(
        label=_("Translated by"), max_length=200, help_text=_("A name, or “machine translation”.")
    )
    title = forms.CharField(label=_("Title"), max_length=300)

    def __init__(self, *args, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = languages
        for name in TEXT_FIELDS:
            self.fields[name] = _markdown_field(name)
        styled(self)

    def texts(self) -> Texts:
        """The translated texts, as `services.save_translation` takes them."""
        return cast(Texts, {name: self.cleaned_data[name] for name in TEXT_FIELDS})


class AttachmentForm(Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    file = forms.FileField(
        label=_("File (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Per form, not in the class body: `%` on a lazy text translates it there and then,
        # at import, in no reader's language.
        self.fields["file"].help_text = _("A PDF of at most %(limit)d MB.") % {
            "limit": settings.PRACTICE_ATTACHMENT_MAX_BYTES // 1024 // 1024
        }


class ReviewForm(Form):
    DECISIONS = [
        ("publish", _("Publish it")),
        ("return", _("Return it to the author with feedback")),
    ]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    visibility = forms.ChoiceField(label=_("Who may read it"), choices=Practice.Visibility.choices)
    feedback = forms.CharField(
        label=_("Feedback to the author"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Required when you return it."),
    )


class PublicationForm(Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"), max_length=20_000, help_text=MARKDOWN_HELP, widget=forms.Textarea
    )
    authors = forms.CharField(label=_("Authors"), max_length=500, required=False)
    publisher = forms.CharField(label=_("Publisher"), max_length=300, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    file = forms.FileField(
        label=_("File (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    goals = forms.ModelMultipleChoiceField(
        label=_("Charter goals"),
        queryset=Goal.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    public = forms.BooleanField(label=_("Public"), required=False, initial=True)
