"""A municipality added by hand on the set-up pages, and its names changed: for a country whose
statistics office's register does not ship with the platform, or a new municipality before the
register file is brought up to date. Its official code is its country's format (where the
platform knows it) and is never taken twice in a country."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safecities.core import audit
from safecities.core.errors import InvalidInput
from safecities.core.permissions import ensure
from safecities.core.text import nordic_slug

from ..models import Country, Membership, Municipality
from ..validators import validate_municipality_code
from .directory import refresh_directory_keys

if TYPE_CHECKING:
    from safecities.core.models import User

MUNICIPALITY_FIELDS = ["code", "name", "names", "region"]
CODE_MAX_LENGTH = int(Municipality._meta.get_field("code").max_length or 0)
NAME_MAX_LENGTH = int(Municipality._meta.get_field("name").max_length or 0)
REGION_MAX_LENGTH = int(Municipality._meta.get_field("region").max_length or 0)

# The national languages a municipality's official name may be given in beside its name, as the
# shipped registers give them (Norway's and Finland's municipalities may have several).
NAME_LANGUAGES = {
    "nb": gettext_lazy("Norwegian"),
    "se": gettext_lazy("Northern Sami"),
    "sma": gettext_lazy("Southern Sami"),
    "smj": gettext_lazy("Lule Sami"),
    "fkv": gettext_lazy("Kven"),
    "fi": gettext_lazy("Finnish"),
    "sv": gettext_lazy("Swedish"),
}


def _texts(name: str, names: dict[str, str] | None, region: str) -> tuple[str, dict, str]:
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Give the municipality's official name."), field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise InvalidInput(
            _("The name has at most %(n)d characters.") % {"n": NAME_MAX_LENGTH}, field="name"
        )
    given = {}
    for code, value in (names or {}).items():
        if code not in NAME_LANGUAGES:
            raise InvalidInput(
                _("No name language %(code)s.") % {"code": code}, field=f"names_{code}"
            )
        value = (value or "").strip()
        if len(value) > NAME_MAX_LENGTH:
            raise InvalidInput(
                _("The name has at most %(n)d characters.") % {"n": NAME_MAX_LENGTH},
                field=f"names_{code}",
            )
        if value:
            given[code] = value
    region = (region or "").strip()
    if len(region) > REGION_MAX_LENGTH:
        raise InvalidInput(
            _("The region has at most %(n)d characters.") % {"n": REGION_MAX_LENGTH},
            field="region",
        )
    return name, given, region


def _slug(name: str, country: Country, code: str) -> str:
    """The municipality's address, as the register's load makes it: its name, or with the
    country and code added where another municipality has the name already."""
    base = nordic_slug(name)[:130] or f"{country.code.lower()}-{code}"
    if Municipality.objects.filter(slug=base).exists():
        return f"{base}-{country.code.lower()}-{code}"
    return base


def _duplicate(country: Country, code: str, same: Municipality | None = None) -> InvalidInput:
    if same is None:
        message = _("%(country)s already has a municipality with the code %(code)s.")
    else:
        message = _("%(country)s already has the municipality %(code)s, %(name)s.")
    return InvalidInput(
        message
        % {"country": country.display_name, "code": code, "name": getattr(same, "name", "")},
        field="code",
    )


@transaction.atomic
def add_municipality(
    *,
    actor: User,
    country: Country,
    code: str,
    name: str,
    region: str = "",
    names: dict[str, str] | None = None,
) -> Municipality:
    """Add one municipality of `country` by hand: its official code (refused when the country
    has it already), its official name, its names in the national languages and its region."""
    ensure(actor, "network.secretariat", field="code")
    code = (code or "").strip()
    if not code:
        raise InvalidInput(_("Give the municipality's official code."), field="code")
    if len(code) > CODE_MAX_LENGTH:
        raise InvalidInput(
            _("The code has at most %(n)d characters.") % {"n": CODE_MAX_LENGTH}, field="code"
        )
    try:
        validate_municipality_code(country.code, code)
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0], field="code") from exc
    name, names, region = _texts(name, names, region)
    same = Municipality.objects.filter(country=country, code=code).first()
    if same is not None:
        raise _duplicate(country, code, same)
    return audit.save_recorded(
        actor=actor,
        model=Municipality,
        instance=None,
        values={
            "country": country,
            "code": code,
            "name": name,
            "names": names,
            "region": region,
            "slug": _slug(name, country, code),
        },
        fields=MUNICIPALITY_FIELDS,
        action="network.municipality",
        duplicate=_duplicate(country, code),
    )


@transaction.atomic
def rename_municipality(
    *,
    actor: User,
    municipality: Municipality,
    name: str,
    region: str = "",
    names: dict[str, str] | None = None,
) -> Municipality:
    """Change a municipality's official name, its names in the national languages or its
    region; its code and address stay. A member city's new name is where the directory sorts
    it."""
    ensure(actor, "network.secretariat", field="name")
    name, names, region = _texts(name, names, region)
    renamed = municipality.name != name
    municipality = audit.save_recorded(
        actor=actor,
        model=Municipality,
        instance=municipality,
        values={"name": name, "names": names, "region": region},
        fields=MUNICIPALITY_FIELDS,
        action="network.municipality",
        duplicate=InvalidInput(_("The municipality cannot be saved."), field="name"),
    )
    if renamed:
        refresh_directory_keys(Membership.objects.filter(municipality=municipality))
    return municipality
