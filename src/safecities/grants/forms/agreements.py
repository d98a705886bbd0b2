"""Forms of the grant agreement: the terms and the approved amount of each budget line (one
form), and the reporting dates (rows)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from safecities.core.forms import DateInput, Form, PostedRowsFormSet
from safecities.core.money import Money

from ..models import GrantReport
from .fields import AmountField


class AgreementForm(Form):
    """The terms, and one field `approved_<line id>` per budget line of the application: a
    service's refusal naming a line lands on its field."""

    terms = forms.CharField(
        label=_("Terms"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "What the grantee agrees to: the purpose, how the money may be used, what is "
            "reported and when, and what happens if the project changes."
        ),
    )

    def __init__(self, *args, lines, currency: str, **kwargs):
        """`lines`: the agreement's `selectors.ApprovedLine`s."""
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.lines = lines
        for n, line in enumerate(lines, start=1):
            field = AmountField(
                currency=currency,
                min_value=Decimal(0),
                required=False,
                label=_("Approved for line %(n)d, “%(label)s” (%(currency)s)")
                % {"n": n, "label": line.label, "currency": currency},
                help_text=_("Asked for: %(requested)s.") % {"requested": line.requested},
            )
            field.widget.attrs["class"] = "ds-input"
            self.fields[f"approved_{line.pk}"] = field
            if not self.is_bound:
                self.initial[f"approved_{line.pk}"] = (
                    line.approved.amount if line.approved is not None else None
                )

    def approved(self) -> dict[int, Money | None]:
        data = self.cleaned_data
        out = {}
        for line in self.lines:
            value = data.get(f"approved_{line.pk}")
            out[line.pk] = None if value is None else Money(value, self.currency)
        return out


class ReportDateForm(Form):
    report = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Report"),
        required=False,
        choices=[("", "—"), *GrantReport.Kind.choices],
    )
    due_on = forms.DateField(
        label=_("Due"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty to remove an interim report."),
    )

    @staticmethod
    def initial_for(report: GrantReport) -> dict:
        return {"report": report.pk, "kind": report.kind, "due_on": report.due_on}

    def row(self) -> tuple[int | None, str, object]:
        data = self.cleaned_data
        return (data.get("report"), data.get("kind") or "", data.get("due_on"))


ReportDateFormSet = forms.formset_factory(ReportDateForm, formset=PostedRowsFormSet, extra=1)


def report_rows(formset) -> list[tuple]:
    """The reporting dates a bound, valid formset gives (`services.update_agreement`): a row
    with nothing typed in it counts for nothing."""
    rows = []
    for form in formset.forms:
        if not form.has_changed():
            continue
        report, kind, due_on = form.row()
        if report is None and not kind and due_on is None:
            continue
        rows.append((report, kind, due_on))
    return rows
