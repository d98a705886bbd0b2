"""Official identifiers: municipality codes and organisation numbers, checked per register."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.dk import cvr
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fi import ytunnus
from stdnum.is_ import kennitala
from stdnum.no import orgnr
from stdnum.se import orgnr as se_orgnr

# Length of official municipality codes: kommunenummer (NO), kommunkod (SE),
# kommunekode (DK), kuntanumero (FI), sveitarfélagsnúmer (IS).
MUNICIPALITY_CODE_LENGTH = {"NO": 4, "SE": 4, "DK": 3, "FI": 3, "IS": 4}

# org-id.guide list codes per country, with the register's own validator.
ORG_ID_SCHEMES = {
    "NO-BRC": ("NO", orgnr, "Brønnøysundregistrene (organisasjonsnummer)"),
    "SE-ON": ("SE", se_orgnr, "Bolagsverket (organisationsnummer)"),
    "DK-CVR": ("DK", cvr, "Det Centrale Virksomhedsregister (CVR)"),
    "FI-PRO": ("FI", ytunnus, "Patentti- ja rekisterihallitus (Y-tunnus)"),
    "IS-KEN": ("IS", kennitala, "Fyrirtækjaskrá (kennitala)"),
}
SCHEME_FOR_COUNTRY = {country: scheme for scheme, (country, _m, _n) in ORG_ID_SCHEMES.items()}


def validate_municipality_code(country_code: str, code: str) -> str:
    length = MUNICIPALITY_CODE_LENGTH.get(country_code)
    if length is None:
        return code
    if not re.fullmatch(rf"\d{{{length}}}", code or ""):
        raise ValidationError(
            _("A municipality code in %(country)s has %(length)d digits, e.g. %(example)s.")
            % {"country": country_code, "length": length, "example": "0" * (length - 1) + "1"},
            code="municipality_code",
        )
    return code


def normalise_org_number(scheme: str, number: str) -> str:
    """The register's canonical form of `number`, or ValidationError naming what is wrong."""
    if scheme not in ORG_ID_SCHEMES:
        raise ValidationError(
            _("Unknown organisation register %(scheme)s.") % {"scheme": scheme}, code="scheme"
        )
    module = ORG_ID_SCHEMES[scheme][1]
    try:
        return module.validate(number)
    except StdnumError as exc:
        kind = type(exc).__name__
        if kind == "InvalidChecksum":
            message = _("The check digit of %(number)s is wrong for %(scheme)s.")
        elif kind == "InvalidLength":
            message = _("%(number)s has the wrong number of digits for %(scheme)s.")
        else:
            message = _("%(number)s is not a valid %(scheme)s number.")
        raise ValidationError(
            message % {"number": number, "scheme": scheme}, code="org_number"
        ) from exc


CASE_NUMBER_RE = re.compile(
    r"^(?:[A-Za-zÆØÅÄÖÜÐÞæøåäöüðþ.\-]{1,12}\s){0,3}\d{2,4}/\d{1,7}(?:-\d{1,4})?$"
)


def validate_case_number(value: str) -> str:
    value = " ".join((value or "").split())
    if not CASE_NUMBER_RE.fullmatch(value):
        raise ValidationError(
            _('Write the council\'s case number as it stands on the decision, e.g. "KS 2018/550".'),
            code="case_number",
        )
    return value
