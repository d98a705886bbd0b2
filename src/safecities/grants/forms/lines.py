"""A programme's budget lines and the pot a call draws on."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ProgrammeLine
from .fields import AmountField


class ProgrammeLineForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the line"),
        max_length=200,
        help_text=_("E.g. “Collaboration projects 2024–2026” or “Secretariat”."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=ProgrammeLine.Kind.choices,
        widget=forms.RadioSelect,
        initial=ProgrammeLine.Kind.POT,
        help_text=_("Calls grant from a pot; a reserved line is money the programme keeps."),
    )
    amount = AmountField(label=_("Amount"))

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = programme.currency
        self.fields["amount"].currency = programme.currency
        self.fields["amount"].help_text = _(
            "In %(currency)s. The lines together cannot hold more than the programme's budget."
        ) % {"currency": programme.currency}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "kind": data["kind"],
            "amount": self.fields["amount"].money(data["amount"]),
        }

    @staticmethod
    def initial_for(line: ProgrammeLine) -> dict:
        return {"name": line.name, "kind": line.kind, "amount": line.amount.amount}


class CallLineForm(forms.Form):
    line = forms.ModelChoiceField(
        label=_("Budget line"),
        queryset=ProgrammeLine.objects.none(),
        required=False,
        empty_label=_("The whole budget of the programme"),
        help_text=_("The pot this call's grants are paid from."),
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines


def add_pot_field(form: forms.Form, lines) -> None:
    """The call form's choice of the pot the call draws on: only the programme's grantable pots,
    and one must be chosen when the programme has any (none: the field is left out, the call
    draws on the whole budget). `draw_call_on` decides whether the choice may change."""
    pots = list(lines)
    if not pots:
        return
    field = forms.ModelChoiceField(
        label=_("Budget line"),
        queryset=lines,
        widget=forms.RadioSelect,
        help_text=_("The pot of the programme this call's grants are paid from."),
        error_messages={"required": _("Choose the pot the call draws on.")},
    )
    field.choices = [(pot.pk, pot.name) for pot in pots]  # the pots read once, above
    form.fields["line"] = field
