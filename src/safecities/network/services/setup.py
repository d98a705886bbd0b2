"""The secretariat's set-up of the network: countries and their municipal registers, and the
national programmes with their cities, funder and contact person."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from safecities.core import audit
from safecities.core.errors import InvalidInput
from safecities.core.i18n import LANGUAGE_CODES, given_translations
from safecities.core.permissions import ensure
from safecities.core.text import unique_slug

from ..models import Country, Municipality, NationalProgramme, Organisation, Person
from . import registry

if TYPE_CHECKING:
    from collections.abc import Iterable

    from safecities.core.models import User

COUNTRY_FIELDS = ["code", "name"]
PROGRAMME_FIELDS = [
    "name",
    "local_name",
    "country",
    "funder",
    "starts_on",
    "ends_on",
    "description",
    "contact",
]


def _names(values: dict | None, field: str, *, noun: str) -> dict[str, str]:
    """The values of `values` in the UI languages, stripped; English required."""
    return given_translations(
        values, field, required=True, message=_("Give the %(noun)s in English.") % {"noun": noun}
    )


@transaction.atomic
def save_country(
    *, actor: User, code: str, name: dict[str, str], country: Country | None = None
) -> Country:
    """Create a country (or, given `country`, change its code or names)."""
    ensure(actor, "network.secretariat", field="code")
    code = (code or "").strip().upper()
    if len(code) != 2 or not code.isalpha() or not code.isascii():
        raise InvalidInput(
            _("Give the country's ISO 3166 code of two letters, e.g. NO."), field="code"
        )
    name = _names(name, "name", noun=_("name"))
    return audit.save_recorded(
        actor=actor,
        model=Country,
        instance=country,
        values={"code": code, "name": name},
        fields=COUNTRY_FIELDS,
        action="network.country",
        duplicate=InvalidInput(
            _("The country %(code)s already exists.") % {"code": code}, field="code"
        ),
    )


def has_register(country: Country) -> bool:
    """Whether the package ships the statistics office's register of the country."""
    return country.code in registry.COUNTRY_FILES


def load_register(*, actor: User, country: Country) -> registry.LoadResult:
    """Load (or bring up to date) the country's municipalities from the register the package
    ships; all or nothing. The load is audited with the number of municipalities before and
    after, and each renamed municipality with its change."""
    ensure(actor, "network.secretariat", field="country")
    if not has_register(country):
        raise InvalidInput(
            _("No register of %(country)s ships with the platform.") % {"country": country},
            field="country",
        )
    with transaction.atomic():
        before = Municipality.objects.filter(country=country).count()
        result = registry.load(actor=actor, only=country.code)
        after = Municipality.objects.filter(country=country).count()
        audit.record(
            actor=actor,
            action="network.country.register",
            target=country,
            changes={"municipalities": [before, after]} if after != before else {},
        )
    return result


@transaction.atomic
def save_national_programme(
    *,
    actor: User,
    name: str,
    country: Country,
    funder: Organisation,
    starts_on: date,
    ends_on: date | None = None,
    local_name: str = "",
    description: dict[str, str] | None = None,
    municipalities: Iterable[Municipality] = (),
    contact: Person | None = None,
    programme: NationalProgramme | None = None,
) -> NationalProgramme:
    """Create a national programme (or, given `programme`, change it): its cities are of its
    country."""
    ensure(actor, "network.secretariat", field="name")
    if not (name or "").strip():
        raise InvalidInput(_("Name the programme."), field="name")
    if country is None:
        raise InvalidInput(_("Choose the programme's country."), field="country")
    if funder is None:
        raise InvalidInput(_("Choose the programme's funder."), field="funder")
    if starts_on is None:
        raise InvalidInput(_("Give the day the programme starts."), field="starts_on")
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput(_("The programme must end on or after its start."), field="ends_on")
    cities = list(municipalities)
    elsewhere = [city.name for city in cities if city.country_id != country.pk]
    if elsewhere:
        raise InvalidInput(
            _("%(cities)s: not in %(country)s, the programme's country.")
            % {"cities": ", ".join(sorted(elsewhere)), "country": country},
            field="municipalities",
        )
    before: dict[str, object] = {}
    before_cities: list[str] = []
    if programme is None:
        programme = NationalProgramme(slug=unique_slug(NationalProgramme, name[:40]))
    else:
        programme = NationalProgramme.objects.select_for_update().get(pk=programme.pk)
        before = audit.snapshot(programme, PROGRAMME_FIELDS)
        before_cities = sorted(programme.municipalities.values_list("name", flat=True))
    created = programme.pk is None
    programme.name, programme.local_name = name.strip(), (local_name or "").strip()
    programme.country, programme.funder, programme.contact = country, funder, contact
    programme.starts_on, programme.ends_on = starts_on, ends_on
    programme.description = {
        k: v.strip() for k, v in (description or {}).items() if k in LANGUAGE_CODES and v.strip()
    }
    programme.save()
    programme.municipalities.set(cities)
    changes = audit.changes_between(before, audit.snapshot(programme, PROGRAMME_FIELDS))
    after_cities = sorted(city.name for city in cities)
    if after_cities != before_cities:
        changes["municipalities"] = [before_cities, after_cities]
    if changes:
        audit.record(
            actor=actor,
            action="network.programme.create" if created else "network.programme.update",
            target=programme,
            changes=changes,
        )
    return programme
