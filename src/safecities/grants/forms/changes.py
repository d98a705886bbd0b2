"""Forms of the change request pages: the grantee's request, the programme's decision.

The request form holds both kinds' fields (the person chooses the kind; the fields of the other
kind are ignored): one amount field per approved budget line, `line_<id>`, so a refusal naming
a line lands on its row, and a failed save shows again every amount as it was typed."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from safecities.core.forms import DateInput, Form
from safecities.core.money import Money

from ..models import BudgetLine, ChangeRequest
from .fields import AmountField


class ChangeRequestForm(Form):
    kind = forms.ChoiceField(
        label=_("What should change?"),
        choices=ChangeRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what should change.")},
    )
    reason = forms.CharField(
        label=_("Why is the change needed?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": _("Say why the change is needed.")},
    )
    new_ends_on = forms.DateField(
        label=_("New end date of the project"),
        required=False,
        widget=DateInput,
        help_text=_("For an extension: later than the present end date."),
    )
    new_final_due_on = forms.DateField(
        label=_("New due date of the final report"),
        required=False,
        widget=DateInput,
        help_text=_("Optional: leave empty to keep the present due date."),
    )

    def __init__(self, *args, lines: list[BudgetLine], currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.lines = lines
        for line in lines:
            field = AmountField(
                currency=currency,
                required=False,
                label=_("New amount for “%(line)s” (%(currency)s)")
                % {"line": line.label, "currency": currency},
                initial=Money.from_minor(line.approved_minor or 0, currency).amount,
            )
            field.widget.attrs["class"] = "ds-input"
            self.fields[f"line_{line.pk}"] = field

    def clean(self):
        """An extension leaves the lines as they are: whatever stands in their fields (the form
        shows both kinds) does not stop it. What was typed there is shown again all the same."""
        cleaned = super().clean()
        if cleaned.get("kind") == ChangeRequest.Kind.EXTENSION:
            for line in self.lines:
                self._errors.pop(f"line_{line.pk}", None)
        return cleaned

    def line_field(self, line: BudgetLine):
        return self[f"line_{line.pk}"]

    def amounts(self) -> dict[int, Money | None]:
        """The new amount typed for each line (None where the field was emptied)."""
        data = getattr(self, "cleaned_data", {})
        return {
            line.pk: (
                None
                if data.get(f"line_{line.pk}") is None
                else Money(data[f"line_{line.pk}"], self.currency)
            )
            for line in self.lines
        }

    def typed_total(self) -> Money | None:
        """The sum of the amounts typed, when the form was posted and each could be read."""
        if not self.is_bound:
            return None
        data = getattr(self, "cleaned_data", {})
        total = Decimal(0)
        for line in self.lines:
            value = data.get(f"line_{line.pk}")
            if value is None:
                return None
            total += value
        return Money(total, self.currency)

    def request(self) -> dict:
        """The arguments of `services.request_change`, as typed."""
        data = self.cleaned_data
        kind = data["kind"]
        if kind == ChangeRequest.Kind.REALLOCATION:
            return {"kind": kind, "reason": data["reason"], "lines": self.amounts()}
        return {
            "kind": kind,
            "reason": data["reason"],
            "new_ends_on": data.get("new_ends_on"),
            "new_final_due_on": data.get("new_final_due_on"),
        }


class DecideChangeForm(Form):
    """The note the programme gives with its decision; the decision is the button pressed."""

    APPROVE, DECLINE = "approve", "decline"

    decision = forms.ChoiceField(
        choices=[(APPROVE, _("Approve")), (DECLINE, _("Decline"))], widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("Note to the grantee"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you decline: say why."),
    )

    @property
    def approves(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE
