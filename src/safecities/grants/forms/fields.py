"""Fields the grant forms share."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from safecities.core.money import Money, exponent


class AmountField(forms.DecimalField):
    """An amount in major units of `currency`, to its minor unit; takes "150 000,50" (spaces
    and a decimal comma) as well as "150000.50"."""

    def __init__(self, *, currency: str, **kwargs):
        places = exponent(currency)
        kwargs.setdefault("decimal_places", places)
        kwargs.setdefault("max_digits", 15 + places)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)
        self.currency = currency

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
        try:
            return super().to_python(value)
        except (ValidationError, InvalidOperation):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def money(self, value: Decimal | None) -> Money | None:
        return None if value is None else Money(value, self.currency)


class RefusalHolder(forms.Form):
    """A form of no fields for `core.refusals` to put a service's refusal on, where the page
    shows it somewhere of its own (a formset's errors, the submit page's box)."""

    def __init__(self) -> None:
        super().__init__(data={})
        self.is_valid()
