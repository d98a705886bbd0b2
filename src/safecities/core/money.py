"""Money: a `Decimal` amount with an ISO 4217 currency. Never a float.

Amounts are held to the currency's minor unit (two places for NOK, SEK, DKK, EUR; none for ISK,
whose króna has no minor unit in ISO 4217). The ledger stores integer minor units; `minor_units`
and `Money.from_minor` convert. Arithmetic and comparison refuse to mix currencies.

`str(money)` is the amount as the reader's language writes it (`format_money`): one style per
language, whole amounts without decimals. `Money.record_text` is the same amount in one fixed,
language-free form, for records such as the audit trail that must not depend on who acted.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import total_ordering

from django.conf import settings
from django.utils.translation import get_language

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


NBSP = "\u00a0"
MINUS = "\u2212"


@dataclass(frozen=True, slots=True)
class MoneyStyle:
    """How one language writes an amount: its group and decimal separators, its minus sign,
    whether the currency comes before the number, and the symbols it uses for currencies (any
    other currency is written with its ISO code)."""

    group: str
    decimal: str
    minus: str
    symbol_first: bool
    symbols: dict[str, str]


# One style per UI language, taken from the Unicode CLDR (release 48) number symbols and
# currency patterns (https://cldr.unicode.org/translation/number-currency-formats/number-and-currency-patterns,
# https://www.unicode.org/cldr/charts/latest/by_type/numbers.number_formatting_patterns.html):
#   en  ¤#,##0.00      group ","  decimal "."                  NOK 25,000,000   €1,234.50
#   nb  #,##0.00 ¤     group NBSP decimal ","  minus U+2212    25 000 000 kr
#   sv  #,##0.00 ¤     group NBSP decimal ","  minus U+2212    25 000 000 kr (SEK), Nkr (NOK)
#   da  #,##0.00 ¤     group "."  decimal ","                  25.000.000 kr. (DKK)
#   fi  #,##0.00 ¤     group NBSP decimal ","  minus U+2212    25 000 000 €
#   is  #,##0.00 ¤     group "."  decimal ","                  25.000.000 kr. (ISK)
# The space between number and currency is a no-break space, as CLDR writes it, so an amount
# never breaks over two lines. We differ from CLDR in one thing only: a whole amount is written
# without its ",00" (the product's rule: no ".00" on whole kroner).
MONEY_STYLES: dict[str, MoneyStyle] = {
    "en": MoneyStyle(",", ".", "-", True, {"EUR": "€", "GBP": "£", "USD": "$"}),
    "nb": MoneyStyle(NBSP, ",", MINUS, False, {"NOK": "kr", "EUR": "€", "GBP": "£"}),
    "sv": MoneyStyle(
        NBSP,
        ",",
        MINUS,
        False,
        {"SEK": "kr", "NOK": "Nkr", "DKK": "Dkr", "ISK": "Ikr", "EUR": "€", "USD": "US$"},
    ),
    "da": MoneyStyle(".", ",", "-", False, {"DKK": "kr.", "EUR": "€", "GBP": "£", "USD": "US$"}),
    "fi": MoneyStyle(NBSP, ",", MINUS, False, {"EUR": "€", "GBP": "£", "USD": "$"}),
    "is": MoneyStyle(".", ",", "-", False, {"ISK": "kr."}),
}


def _style(language: str | None) -> MoneyStyle:
    code = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
    return MONEY_STYLES.get(code, MONEY_STYLES["en"])


def format_amount(amount: Decimal, currency: str, *, language: str | None = None) -> str:
    """The number of an amount (no currency, no sign) as `language` writes it: `25,000,000` in
    English, `25 000 000` in Norwegian Bokmål, `1.234,50` in Danish; whole amounts without
    their minor unit. What an amount field shows, and `parse_amount` reads back."""
    style = _style(language)
    amount = abs(amount)
    places = exponent(currency) if amount != amount.to_integral_value() else 0
    whole, _dot, fraction = f"{amount:,.{places}f}".partition(".")
    return whole.replace(",", style.group) + (style.decimal + fraction if fraction else "")


def format_money(money: "Money", *, language: str | None = None) -> str:
    """`money` as `language` (the active language if not given; English if it has no style)
    writes it: `NOK 25,000,000` in English, `25 000 000 kr` in Norwegian Bokmål."""
    style = _style(language)
    number = format_amount(money.amount, money.currency, language=language)
    symbol = style.symbols.get(money.currency, money.currency)
    if style.symbol_first:
        space = NBSP if symbol[-1].isalpha() else ""
        text = f"{symbol}{space}{number}"
    else:
        text = f"{number}{NBSP}{symbol}"
    return f"{style.minus}{text}" if money.amount < 0 else text


GROUPS = {
    ",": re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$"),
    ".": re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$"),
}
SPACES = re.compile(r"[\s\u00a0\u202f']")


def parse_amount(text: str, *, language: str | None = None) -> Decimal:
    """An amount typed as `language` writes it, or as people type on any Nordic keyboard:
    spaces (and no-break spaces) group digits; the language's decimal sign, or a point, marks
    the fraction; `25,000,000` in English and `25.000.000` in Danish are grouped digits.
    ValueError for anything else (two decimal signs, letters)."""
    style = _style(language)
    raw = SPACES.sub("", text or "").replace(MINUS, "-")
    sign, digits = ("-", raw[1:]) if raw.startswith("-") else ("", raw)
    group_sign = style.group if style.group in GROUPS else None
    if group_sign and GROUPS[group_sign].match(digits):
        digits = digits.replace(group_sign, "")  # grouped as the language groups them
    elif style.decimal == "." and GROUPS[","].match(digits):
        digits = digits.replace(",", "")
    digits = digits.replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?|\.\d+", digits):
        raise ValueError(f"{text!r} is not an amount")
    try:
        return Decimal(sign + digits)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not an amount") from None


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
        """The amount in the reader's language (`format_money`)."""
        return format_money(self)

    @property
    def record_text(self) -> str:
        """The amount in one form whatever the language, for records: `NOK 400 000.00` (ISO code,
        no-break spaces between groups, every minor unit)."""
        return f"{self.currency} {self.amount:,}".replace(",", NBSP)
