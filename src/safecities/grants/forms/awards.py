"""Forms of the grant pages: an award's payments (the runners' side)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from safecities.core.forms import DateInput, Form
from safecities.core.money import Money

from .fields import AmountField


class PaymentForm(Form):
    label = forms.CharField(
        label=_("Tranche"),
        required=False,
        max_length=200,
        help_text=_('For example "First tranche" or "Final payment".'),
    )
    amount = forms.DecimalField()  # replaced in __init__
    due_on = forms.DateField(label=_("Due"), widget=DateInput)

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"] = AmountField(
            currency=currency, label=_("Amount (%(currency)s)") % {"currency": currency}
        )
        self.fields["amount"].widget.attrs.setdefault("class", "ds-input")
        self.order_fields(["label", "amount", "due_on"])

    def money(self) -> Money:
        return self.fields["amount"].money(self.cleaned_data["amount"])


class PaidForm(Form):
    paid_on = forms.DateField(
        label=_("Paid on"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty for today."),
    )


class ReturnForm(Form):
    returned_on = forms.DateField(
        label=_("Returned on"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty for today."),
    )
