"""Amounts as each language writes them (CLDR's patterns), whole amounts without decimals."""

from decimal import Decimal

import pytest
from django.utils import translation

from safecities.core.money import Money, format_amount, format_money, parse_amount

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "money", "expected"),
    [
        ("en", Money(25_000_000, "NOK"), "NOK 25,000,000"),
        ("en", Money(Decimal("1234.5"), "NOK"), "NOK 1,234.50"),
        ("en", Money(Decimal("-1234.5"), "EUR"), "-€1,234.50"),
        ("nb", Money(25_000_000, "NOK"), "25 000 000 kr"),
        ("nb", Money(Decimal("1234.5"), "NOK"), "1 234,50 kr"),
        ("nb", Money(Decimal("-1234.5"), "NOK"), "\u22121 234,50 kr"),
        ("nb", Money(25_000_000, "SEK"), "25 000 000 SEK"),
        ("sv", Money(25_000_000, "SEK"), "25 000 000 kr"),
        ("sv", Money(25_000_000, "NOK"), "25 000 000 Nkr"),
        ("sv", Money(Decimal("0.05"), "SEK"), "0,05 kr"),
        ("da", Money(25_000_000, "DKK"), "25.000.000 kr."),
        ("da", Money(Decimal("1234.5"), "NOK"), "1.234,50 NOK"),
        ("fi", Money(Decimal("1234.5"), "EUR"), "1 234,50 €"),
        ("is", Money(25_000, "ISK"), "25.000 kr."),
        ("is", Money(0, "NOK"), "0 NOK"),
    ],
)
def test_each_language_writes_an_amount_in_its_own_style(language, money, expected):
    assert format_money(money, language=language) == expected.replace(" ", NBSP)


def test_the_text_of_an_amount_follows_the_active_language():
    budget = Money(25_000_000, "NOK")
    with translation.override("nb"):
        assert str(budget) == f"25{NBSP}000{NBSP}000{NBSP}kr"
    with translation.override("sv"):
        assert f"{budget}" == f"25{NBSP}000{NBSP}000{NBSP}Nkr"
    with translation.override("nb-no"):
        assert str(budget).endswith("kr")
    with translation.override("de"):  # a language without a style reads English
        assert str(budget) == f"NOK{NBSP}25,000,000"


def test_a_whole_amount_drops_its_decimals_and_any_other_keeps_every_minor_unit():
    assert format_money(Money(Decimal("400000.00"), "NOK"), language="en") == "NOK\u00a0400,000"
    assert format_money(Money(Decimal("400000.10"), "NOK"), language="en") == "NOK\u00a0400,000.10"
    assert format_money(Money(Decimal("0.001"), "KWD"), language="en") == "KWD\u00a00.001"


def test_the_record_text_is_the_same_in_every_language():
    amount = Money(Decimal("120000"), "NOK")
    for language in ("en", "nb", "sv", "da", "fi", "is"):
        with translation.override(language):
            assert amount.record_text == f"NOK 120{NBSP}000.00"


@pytest.mark.parametrize(
    ("language", "typed", "amount"),
    [
        ("en", "25,000,000", "25000000"),
        ("en", "1,234.50", "1234.50"),
        ("en", "150,50", "150.50"),  # a Nordic keyboard's decimal comma, not a group
        ("nb", "25 000 000", "25000000"),
        ("nb", "25\u00a0000,50", "25000.50"),
        ("nb", "150000.50", "150000.50"),
        ("sv", "\u22125", "-5"),
        ("da", "25.000.000", "25000000"),
        ("da", "1.234,50", "1234.50"),
        ("is", "400.000", "400000"),
        ("fi", "1 000,5", "1000.5"),
    ],
)
def test_an_amount_is_read_as_the_language_types_it(language, typed, amount):
    assert parse_amount(typed, language=language) == Decimal(amount)


@pytest.mark.parametrize("typed", ["abc", "1,2,3", "25.000.000", "12kr", "", "1..2"])
def test_what_is_not_an_amount_is_refused(typed):
    with pytest.raises(ValueError):
        parse_amount(typed, language="nb")


@pytest.mark.parametrize("language", ["en", "nb", "sv", "da", "fi", "is"])
@pytest.mark.parametrize("amount", ["25000000", "1234.5", "0.05", "999"])
def test_what_an_amount_field_shows_reads_back_the_same(language, amount):
    shown = format_amount(Decimal(amount), "NOK", language=language)
    assert parse_amount(shown, language=language) == Decimal(amount)
    whole = Decimal(amount) == Decimal(amount).to_integral_value()
    assert shown[-3] in ".," if not whole else shown[-3:] not in (".00", ",00")
