"""Money: Decimal amounts with a currency, minor units for the ledger, no mixing, no floats."""

from decimal import Decimal

import pytest

from safecities.core.money import CurrencyMismatch, Money


def test_amounts_are_quantised_to_the_minor_unit():
    assert Money(Decimal("15000"), "NOK").amount == Decimal("15000.00")
    assert str(Money(Decimal("15000"), "NOK").amount) == "15000.00"
    assert Money("1.5", "EUR") == Money(Decimal("1.50"), "EUR")
    assert Money(7, "SEK").amount == Decimal("7.00")


def test_minor_units_round_trip():
    money = Money(Decimal("12345.67"), "NOK")
    assert money.minor_units == 1_234_567
    assert isinstance(money.minor_units, int)
    assert Money.from_minor(1_234_567, "NOK") == money
    assert Money.from_minor(-5, "DKK") == Money(Decimal("-0.05"), "DKK")
    assert Money.from_minor(0, "EUR") == Money.zero("EUR")


def test_icelandic_kronur_have_no_minor_unit():
    assert Money.from_minor(1500, "ISK").amount == Decimal(1500)
    assert Money(Decimal(1500), "ISK").minor_units == 1500
    with pytest.raises(ValueError, match="minor unit"):
        Money(Decimal("10.50"), "ISK")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        Money(0.1, "NOK")
    with pytest.raises(TypeError):
        Money.from_minor(1.0, "NOK")


def test_sub_minor_amounts_are_refused_not_rounded():
    with pytest.raises(ValueError, match="minor unit"):
        Money(Decimal("0.001"), "NOK")


@pytest.mark.parametrize("code", ["nok", "NO", "NOKK", "", "N0K", None])
def test_currency_must_be_an_iso_code(code):
    with pytest.raises(ValueError, match="ISO 4217"):
        Money(Decimal(1), code)


def test_nonsense_amounts_are_refused():
    with pytest.raises(ValueError):
        Money("ten", "NOK")
    with pytest.raises(ValueError):
        Money(Decimal("NaN"), "NOK")


def test_arithmetic_and_comparison_in_one_currency():
    a, b = Money(Decimal("10.10"), "NOK"), Money(Decimal("0.20"), "NOK")
    assert a + b == Money(Decimal("10.30"), "NOK")
    assert a - b == Money(Decimal("9.90"), "NOK")
    assert -b == Money(Decimal("-0.20"), "NOK")
    assert b < a and a > b and a >= a and b <= a
    assert not Money.zero("NOK")
    assert str(Money(Decimal("1234567.5"), "NOK")) == "NOK\u00a01,234,567.50"  # English
    assert Money(Decimal("1234567.5"), "NOK").record_text == "NOK 1\u00a0234\u00a0567.50"


def test_currencies_never_mix():
    nok, sek = Money(Decimal(1), "NOK"), Money(Decimal(1), "SEK")
    with pytest.raises(CurrencyMismatch):
        nok + sek
    with pytest.raises(CurrencyMismatch):
        nok - sek
    with pytest.raises(CurrencyMismatch):
        assert nok < sek
    with pytest.raises(CurrencyMismatch):
        assert nok >= sek
    assert nok != sek
    with pytest.raises(TypeError):
        nok + 1
