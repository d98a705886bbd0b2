"""Money: a `Decimal` amount with an ISO 4217 currency. Never a float.

Amounts are held to the currency's minor unit (two places for NOK, SEK, DKK, EUR; none for ISK,
whose króna has no minor unit in ISO 4217). The ledger stores integer minor units; `minor_units`
and `Money.from_minor` convert. Arithmetic and comparison refuse to mix currencies.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import total_ordering

CURRENCY_PATTERN = re.compile(r"^[A-Z]{3}$")

# ISO 4217 currencies whose minor unit is not 1/100. Every other currency has two places.
MINOR_UNIT_EXPONENTS = {"ISK": 0, "JPY": 0, "KRW": 0, "CLP": 0, "BHD": 3, "KWD": 3, "TND": 3}


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were added, subtracted or compared."""


def validate_currency(code: str) -> str:
    """The code if it is three capital letters (ISO 4217 alpha), else ValueError."""
    if not isinstance(code, str) or not CURRENCY_PATTERN.match(code):
        raise ValueError(f"{code!r} is not an ISO 4217 currency code (three capital letters).")
    return code


def exponent(currency: str) -> int:
    return MINOR_UNIT_EXPONENTS.get(currency, 2)


@total_ordering
@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self):
        validate_currency(self.currency)
        value = self.amount
        if isinstance(value, float | bool) or not isinstance(value, Decimal | int | str):
            raise TypeError(
                f"Money takes a Decimal, int or str amount, not {type(value).__name__}."
            )
        try:
            value = Decimal(value)
        except InvalidOperation as exc:
            raise ValueError(f"{self.amount!r} is not an amount.") from exc
        if not value.is_finite():
            raise ValueError(f"{self.amount!r} is not an amount.")
        quantum = Decimal(1).scaleb(-exponent(self.currency))
        quantised = value.quantize(quantum)
        if quantised != value:
            raise ValueError(
                f"{self.amount} {self.currency} has more decimals than the currency's minor unit."
            )
        object.__setattr__(self, "amount", quantised)

    @classmethod
    def from_minor(cls, minor: int, currency: str) -> "Money":
        if isinstance(minor, bool) or not isinstance(minor, int):
            raise TypeError("Minor units are an int.")
        return cls(Decimal(minor).scaleb(-exponent(currency)), currency)

    @classmethod
    def zero(cls, currency: str) -> "Money":
        return cls(Decimal(0), currency)

    @property
    def minor_units(self) -> int:
        return int(self.amount.scaleb(exponent(self.currency)))

    def _same(self, other: object) -> "Money":
        if not isinstance(other, Money):
            raise TypeError(f"Money cannot be combined with {type(other).__name__}.")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"Cannot combine {self.currency} with {other.currency}.")
        return other

    def __add__(self, other: "Money") -> "Money":
        return Money(self.amount + self._same(other).amount, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        return Money(self.amount - self._same(other).amount, self.currency)

    def __neg__(self) -> "Money":
        return Money(-self.amount, self.currency)

    def __lt__(self, other: "Money") -> bool:
        return self.amount < self._same(other).amount

    def __bool__(self) -> bool:
        return bool(self.amount)

    def __str__(self) -> str:
        return f"{self.currency} {self.amount:,}".replace(",", "\u00a0")
