"""Fields the grant forms share."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from safecities.core.money import Money, exponent, format_amount, parse_amount


class AmountField(forms.DecimalField):
    """An amount in major units of `currency` (any places when the currency is not known yet:
    the service refuses what the currency does not have), to its minor unit, typed and shown as the reader's language writes numbers
    (`core.money.parse_amount` / `format_amount`): "25 000 000" or "150 000,50" in Norwegian,
    "25,000,000" in English; "150000.50" is read in every language. No ".00" on whole kroner."""

    def __init__(self, *, currency: str | None = None, **kwargs):
        # Without a currency yet, the service checks the places against the one chosen.
        places = exponent(currency) if currency else None
        kwargs.setdefault("decimal_places", places)
        kwargs.setdefault("max_digits", 15 + (places or 3))
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)
        self.currency = currency

    def to_python(self, value):
        if isinstance(value, str):
            if not value.strip():
                return None
            try:
                value = parse_amount(value)
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        try:
            return super().to_python(value)
        except (ValidationError, InvalidOperation):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, Money):
            value = value.amount
        if isinstance(value, (Decimal, int)):
            return ("-" if value < 0 else "") + format_amount(
                Decimal(value), self.currency or "NOK"
            )
        return value

    def money(self, value: Decimal | None) -> Money | None:
        return None if value is None or self.currency is None else Money(value, self.currency)


class RefusalHolder(forms.Form):
    """A form of no fields for `core.refusals` to put a service's refusal on, where the page
    shows it somewhere of its own (a formset's errors, the submit page's box)."""

    def __init__(self) -> None:
        super().__init__(data={})
        self.is_valid()
