"""Official identifiers: organisation numbers per register and municipality codes per country."""

import pytest
from django.core.exceptions import ValidationError

from safecities.network import validators

# (scheme, a number the register accepts, its canonical form, the same number with a wrong
# check digit)
ORG_NUMBERS = [
    ("NO-BRC", "974 760 673", "974760673", "974760674"),
    ("SE-ON", "556703-7485", "5567037485", "556703-7486"),
    ("DK-CVR", "13585628", "13585628", "13585627"),
    ("FI-PRO", "0112038-9", "01120389", "0112038-8"),
    ("IS-KEN", "650376-0649", "6503760649", "650376-0659"),
]


@pytest.mark.parametrize(("scheme", "valid", "canonical", "_bad"), ORG_NUMBERS)
def test_a_valid_org_number_is_normalised(scheme, valid, canonical, _bad):
    assert validators.normalise_org_number(scheme, valid) == canonical


@pytest.mark.parametrize(("scheme", "_valid", "_canonical", "bad"), ORG_NUMBERS)
def test_a_wrong_check_digit_is_refused_by_name(scheme, _valid, _canonical, bad):
    with pytest.raises(ValidationError) as exc:
        validators.normalise_org_number(scheme, bad)
    assert exc.value.code == "org_number"
    message = exc.value.messages[0]
    assert "check digit" in message
    assert scheme in message
    assert bad in message


def test_a_number_of_the_wrong_length_says_so():
    with pytest.raises(ValidationError, match="wrong number of digits"):
        validators.normalise_org_number("NO-BRC", "97476067")


def test_an_unknown_register_is_refused():
    with pytest.raises(ValidationError, match="Unknown organisation register XX-ABC"):
        validators.normalise_org_number("XX-ABC", "123")


@pytest.mark.parametrize(
    ("country", "code"),
    [("NO", "0301"), ("SE", "0180"), ("DK", "101"), ("FI", "091"), ("IS", "0000")],
)
def test_municipality_codes_of_the_right_length_pass(country, code):
    assert validators.validate_municipality_code(country, code) == code


@pytest.mark.parametrize(
    ("country", "code", "length"),
    [
        ("NO", "301", 4),
        ("NO", "03011", 4),
        ("NO", "03a1", 4),
        ("SE", "180", 4),
        ("DK", "0101", 3),
        ("FI", "91", 3),
        ("IS", "", 4),
    ],
)
def test_municipality_codes_of_the_wrong_format_are_refused(country, code, length):
    with pytest.raises(ValidationError) as exc:
        validators.validate_municipality_code(country, code)
    assert exc.value.code == "municipality_code"
    assert f"{country} has {length} digits" in exc.value.messages[0]


def test_municipality_model_names_the_code_field(db):
    from tests.network.factories import CountryFactory, MunicipalityFactory

    municipality = MunicipalityFactory.build(country=CountryFactory(code="NO"), code="123")
    with pytest.raises(ValidationError) as exc:
        municipality.full_clean()
    assert "code" in exc.value.message_dict


@pytest.mark.parametrize(
    "value",
    ["KS 2018/550", "Dnr KS 2018/550", "2024/123", "Sak 22/1234-5", "Dnr. KS 2018/550"],
)
def test_case_numbers_as_councils_write_them_pass(value):
    assert validators.validate_case_number(value) == value


def test_case_number_whitespace_is_normalised():
    assert validators.validate_case_number("  KS   2018/550 ") == "KS 2018/550"


@pytest.mark.parametrize("value", ["", "550", "KS", "2018-550", "KS 2018/550; DROP", "x" * 70])
def test_bad_case_numbers_are_refused(value):
    with pytest.raises(ValidationError) as exc:
        validators.validate_case_number(value)
    assert exc.value.code == "case_number"
