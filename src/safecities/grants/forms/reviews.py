"""Forms of the grant pages: reviews and decisions (the runners' and reviewers' side)."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safecities.core.forms import DateInput, Form
from safecities.core.money import Money

from ..models import Application, GrantReport, Review, Stage
from ..selectors import SORTS
from .fields import AmountField

# --- the secretariat's lists --------------------------------------------------------------

SORT_LABELS = {
    "newest": _("Newest first"),
    "oldest": _("Oldest first"),
    "amount": _("Largest request"),
    "title": _("Title"),
}


class ApplicationFilter(Form):
    """Filters of a call's submitted applications."""

    q = forms.CharField(label=_("Search title or applicant"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All statuses")),
            *[(v, label) for v, label in Application.Status.choices if v != "draft"],
        ],
    )
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("Both stages")), *Stage.choices]
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(key, SORT_LABELS[key]) for key in SORTS],
    )

    def __init__(self, *args, two_stage: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not two_stage:
            del self.fields["stage"]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": (data.get("q") or "").strip(),
            "status": data.get("status") or "",
            "stage": data.get("stage") or "",
            "sort": data.get("sort") or "newest",
        }


class AssignReviewerForm(Form):
    reviewer = forms.ModelChoiceField(
        label=_("Reviewer"),
        queryset=None,
        empty_label=_("Choose a reviewer"),
        help_text=_(
            "People with the reviewer role. Someone who belongs to the applicant or a partner "
            "cannot review the application."
        ),
    )

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers
        self.fields["reviewer"].label_from_instance = lambda user: f"{user} ({user.email})"


# --- reviewing ----------------------------------------------------------------------------

SCORE_CHOICES = [
    ("0", _("0 — not at all")),
    ("1", _("1 — weak")),
    ("2", _("2 — fair")),
    ("3", _("3 — good")),
    ("4", _("4 — very good")),
    ("5", _("5 — excellent")),
]


def score_field_name(criterion) -> str:
    """The form field of a criterion's score; the service names the same field in its errors."""
    return f"score_{criterion.pk}"


class ReviewForm(Form):
    """One 0–5 score per criterion of the call, a recommendation and a comment.

    Nothing is required here: a saved review may be incomplete. The service checks that a
    submitted one is complete, naming the field that is missing.
    """

    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        required=False,
        choices=Review.Recommendation.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the project does well and what it should change."),
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        score_fields = {}
        for criterion in self.criteria:
            score_fields[score_field_name(criterion)] = forms.ChoiceField(
                label=_("%(criterion)s (weight %(weight)s)")
                % {"criterion": criterion.display_name, "weight": criterion.weight},
                help_text=criterion.display_description,
                required=False,
                choices=SCORE_CHOICES,
                widget=forms.RadioSelect(attrs={"class": "ds-input"}),  # after DsMixin's turn
            )
        # the scores first, in the call's order
        self.fields = {**score_fields, **self.fields}

    def score_rows(self) -> list[tuple]:
        """(criterion, its bound score field), in the call's order: one compact row each."""
        return [(c, self[score_field_name(c)]) for c in self.criteria]

    scale = SCORE_CHOICES

    def scores(self) -> dict[int, int | None]:
        return {
            c.pk: (
                int(self.cleaned_data[score_field_name(c)])
                if self.cleaned_data.get(score_field_name(c)) not in (None, "")
                else None
            )
            for c in self.criteria
        }

    @staticmethod
    def initial_for(review) -> dict:
        initial = {"recommendation": review.recommendation, "comment": review.comment}
        for score in review.scores.all():
            initial[f"score_{score.criterion_id}"] = str(score.value)
        return initial


class ConflictForm(Form):
    conflict_reason = forms.CharField(
        label=_("What is the conflict?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example: you work with the applicant, or you advised on the application. "
            "The secretariat sees this and assigns someone else."
        ),
    )


# --- deciding -----------------------------------------------------------------------------


def default_final_report_due(application) -> date:
    """Two months after the project ends (a year after today when it has no end date)."""
    end = application.ends_on or (timezone.localdate() + timedelta(days=365))
    return end + timedelta(days=60)


class AwardForm(Form):
    amount = forms.DecimalField()  # replaced in __init__ by an AmountField in the currency
    conditions = forms.CharField(
        label=_("Conditions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the grantee must do or change; the grantee sees this."),
    )
    final_report_due = forms.DateField(label=_("Final report due"), widget=DateInput)
    interim_report_due = forms.DateField(
        label=_("Interim report due"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty if the grant needs no interim report."),
    )

    def __init__(self, *args, application, **kwargs):
        currency = application.currency
        kwargs.setdefault(
            "initial",
            {
                "amount": application.requested.amount,
                "final_report_due": default_final_report_due(application),
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["amount"] = AmountField(
            currency=currency,
            label=_("Amount (%(currency)s)") % {"currency": currency},
            help_text=_("At most the %(requested)s requested.")
            % {"requested": application.requested},
        )
        self.fields["amount"].widget.attrs.setdefault("class", "ds-input")

    def clean(self):
        data = super().clean()
        interim, final = data.get("interim_report_due"), data.get("final_report_due")
        if interim and final and interim >= final:
            self.add_error("interim_report_due", _("The interim report falls before the final."))
        return data

    def money(self) -> Money:
        return self.fields["amount"].money(self.cleaned_data["amount"])

    def reports(self) -> list[tuple[str, date]]:
        reports = [(GrantReport.Kind.FINAL, self.cleaned_data["final_report_due"])]
        if self.cleaned_data.get("interim_report_due"):
            reports.insert(0, (GrantReport.Kind.INTERIM, self.cleaned_data["interim_report_due"]))
        return reports


class DeclineForm(Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The applicant receives this reason."),
    )
