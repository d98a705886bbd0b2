"""Awarded grants in the 360Giving Data Standard 1.4.3: a JSON data package and a flat CSV.

One 360Giving grant per `Award`; applications that were never awarded have no award and are
never exported. Which awards to publish (for example, leaving out the demo network's
illustrative ones) is the caller's choice: every function takes a queryset of `Award`.

Identifiers
- grant: `{GRANTS_360_PREFIX}-{award id}`, e.g. `360G-safecities-12`;
- organisation: its org-id (`NO-BRC-974760673`) when it has one, otherwise one under the
  publisher prefix, `{prefix}-organisation-{id}`, as 360Giving allows for organisations
  without a registered number;
- municipality: the model holds no org-id, so `{prefix}-municipality-{country}-{official
  code}`, e.g. `360G-safecities-municipality-NO-0301`.

The published grant schema ships beside this module (`SCHEMA_PATH`); the tests validate the
output against it. Amounts are written as JSON numbers in major units, converted from the
integer minor units without any float arithmetic.

Both files are written as they are read (`package_chunks`, `csv_lines`): the awards in chunks
of `CHUNK`, so no file holds every grant in memory at once.
"""

import calendar
import io
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone

from safecities.core import csvfiles
from safecities.core.i18n import translated
from safecities.core.money import Money
from safecities.network.models import Municipality, Organisation

from .models import Application, Award, Partner

SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "360giving-grant-schema-1.4.3.json"
STANDARD_VERSION = "1.4"  # the package schema's "version": major.minor
DEFAULT_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
# Export text in one language, whatever the language of the request that asks for it.
LANGUAGE = "en"
CHUNK = 500  # awards read from the database at a time


def _prefix() -> str:
    prefix = settings.GRANTS_360_PREFIX
    if not prefix.startswith("360G-"):
        raise ImproperlyConfigured(
            f"GRANTS_360_PREFIX must start with '360G-' (360Giving identifiers do), not {prefix!r}."
        )
    return prefix


def _with_related(awards: QuerySet[Award] | Iterable[Award]) -> QuerySet[Award]:
    """The awards with everything a record reads, in a fixed number of queries."""
    if not isinstance(awards, QuerySet):
        awards = Award.objects.filter(pk__in=[award.pk for award in awards])
    return awards.select_related(
        "application__call__programme__funder",
        "application__call__line",
        "application__lead_municipality__country",
        "application__lead_organisation__country",
        "application__lead_organisation__municipality__country",
    ).prefetch_related(
        Prefetch(
            "application__partners",
            queryset=Partner.objects.select_related("municipality__country"),
        ),
        "application__goals",
    )


# --- values ---------------------------------------------------------------------------


def _number(amount: Decimal) -> int | float:
    """A JSON number: an int when whole, else the float that prints as the decimal does."""
    if amount == amount.to_integral_value():
        return int(amount)
    return float(str(amount))


def _major(minor: int, currency: str) -> int | float:
    return _number(Money.from_minor(minor, currency).amount)


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def duration_months(starts_on: date, ends_on: date) -> int:
    """Whole months from the first to the last day (both included), to the nearest month.

    1 January to 31 December is 12; 15 March to 14 June is 3; anything shorter than half a
    month still counts as 1, since 360Giving reads 0 as no duration at all.
    """
    end = ends_on + timedelta(days=1)
    months = (end.year - starts_on.year) * 12 + end.month - starts_on.month
    if _add_months(starts_on, months) > end:
        months -= 1
    rest = (end - _add_months(starts_on, months)).days
    return max(1, months + (1 if rest >= 15 else 0))


# --- parts of a grant -----------------------------------------------------------------


def grant_id(award: Award, prefix: str | None = None) -> str:
    """The award's 360Giving identifier, `{prefix}-{award id}`: in the files and the API."""
    return f"{prefix or _prefix()}-{award.pk}"


def organisation_id(organisation: Organisation, prefix: str) -> str:
    return organisation.org_id or f"{prefix}-organisation-{organisation.pk}"


def municipality_id(municipality: Municipality, prefix: str) -> str:
    return f"{prefix}-municipality-{municipality.country.code}-{municipality.code}"


def _location(municipality: Municipality) -> dict:
    # geoCodeType is left out: 360Giving's codelist holds only UK (ONS) geography types.
    return {
        "name": municipality.name,
        "countryCode": municipality.country.code,
        "geoCode": municipality.code,
    }


def _recipient(application: Application, prefix: str) -> dict:
    if application.lead_municipality_id:
        municipality = application.lead_municipality
        return {
            "id": municipality_id(municipality, prefix),
            "name": municipality.name,
            "addressLocality": municipality.name,
            "location": [_location(municipality)],
        }
    organisation = application.lead_organisation
    record = {"id": organisation_id(organisation, prefix), "name": organisation.name}
    seat = organisation.municipality
    if seat is not None:
        record["addressLocality"] = seat.name
        location = _location(seat)
    else:
        location = {
            "name": translated(organisation.country.name, LANGUAGE) or organisation.country.code,
            "countryCode": organisation.country.code,
        }
    if organisation.website:
        record["url"] = organisation.website
    record["location"] = [location]
    return record


def _beneficiary_locations(application: Application) -> list[dict]:
    """The lead municipality and the partner municipalities, each once."""
    municipalities = [application.lead_municipality] if application.lead_municipality_id else []
    municipalities += [p.municipality for p in application.partners.all() if p.municipality_id]
    seen, locations = set(), []
    for municipality in municipalities:
        if municipality.pk not in seen:
            seen.add(municipality.pk)
            locations.append(_location(municipality))
    return locations


def _record(award: Award, prefix: str) -> dict:
    application = award.application
    programme = application.call.programme
    currency = programme.currency
    record = {
        "id": grant_id(award, prefix),
        "title": application.title,
        "description": application.summary or application.title,
        "currency": currency,
        "amountAppliedFor": _major(application.requested_minor, currency),
        "amountAwarded": _major(award.amount_minor, currency),
        # the day of the decision in the platform's time zone, whoever asks
        "awardDate": timezone.localdate(
            award.decided_at, timezone.get_default_timezone()
        ).isoformat(),
    }
    if application.starts_on or application.ends_on:
        planned = {}
        if application.starts_on:
            planned["startDate"] = application.starts_on.isoformat()
        if application.ends_on:
            planned["endDate"] = application.ends_on.isoformat()
        if application.starts_on and application.ends_on:
            planned["duration"] = duration_months(application.starts_on, application.ends_on)
        record["plannedDates"] = [planned]
    record["recipientOrganization"] = [_recipient(application, prefix)]
    record["fundingOrganization"] = [
        {"id": organisation_id(programme.funder, prefix), "name": programme.funder.name}
    ]
    record["grantProgramme"] = [{"code": programme.slug, "title": programme.name}]
    line = application.call.line
    if line is not None:
        # The pot of the programme the grant was paid from: a programme within the programme.
        record["grantProgramme"].append(
            {"code": f"{programme.slug}:line-{line.pk}", "title": f"{programme.name}: {line.name}"}
        )
    locations = _beneficiary_locations(application)
    if locations:
        record["beneficiaryLocation"] = locations
    goals = list(application.goals.all())
    if goals:
        record["classifications"] = [
            {
                "vocabulary": f"{prefix}-charter-goal",
                "code": goal.code,
                "title": translated(goal.name, LANGUAGE) or goal.code,
            }
            for goal in goals
        ]
    record["fromOpenCall"] = "Yes"  # every award answers an application to a published call
    modified = [application.updated_at, award.decided_at, award.closed_at]
    record["dateModified"] = _timestamp(max(m for m in modified if m is not None))
    return record


# --- public ---------------------------------------------------------------------------


def grant_records(awards: QuerySet[Award] | Iterable[Award]) -> list[dict]:
    """One 360Giving grant per award, in the order of `awards`."""
    return list(iter_records(awards))


def iter_records(awards: QuerySet[Award] | Iterable[Award]) -> Iterator[dict]:
    """The grants one at a time, the awards read in chunks with what they need."""
    prefix = _prefix()
    for award in _with_related(awards).iterator(chunk_size=CHUNK):
        yield _record(award, prefix)


def _issued(awards: QuerySet[Award] | Iterable[Award]) -> str:
    """The newest grant's `dateModified` (the same max as over the records), or now."""
    times = _with_related(awards).aggregate(
        edited=Max("application__updated_at"),
        decided=Max("decided_at"),
        closed=Max("closed_at"),
    )
    moments = [m for m in times.values() if m is not None]
    return _timestamp(max(moments) if moments else timezone.now())


def package(awards: QuerySet[Award] | Iterable[Award], *, license: str = DEFAULT_LICENSE) -> dict:
    """The 360Giving data package: the grants and the metadata the package schema describes.

    The package schema asks for at least one grant; with no awards, `grants` is empty.
    `issued` is the newest grant's `dateModified`: the same data gives the same file (the API's
    download and the open-data ZIP agree); with no grants, the moment it is written.
    """
    return {**_package_head(awards, license=license), "grants": grant_records(awards)}


def _package_head(awards, *, license: str) -> dict:
    return {
        "version": STANDARD_VERSION,
        "issued": _issued(awards),
        "publisher": {"name": settings.SITE_NAME, "website": settings.SITE_URL},
        "license": license,
    }


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)


def package_chunks(
    awards: QuerySet[Award] | Iterable[Award], *, license: str = DEFAULT_LICENSE
) -> Iterator[str]:
    """`package` as JSON text (indented by one), written a grant at a time."""
    yield _dumps(_package_head(awards, license=license))[:-2] + ',\n "grants": ['
    separator = "\n  "
    for record in iter_records(awards):
        yield separator + _dumps(record).replace("\n", "\n  ")
        separator = ",\n  "
    yield "\n ]\n}"


# The summary-table columns, titled as the schema titles the fields; (title, path in a record).
_COLUMNS_BEFORE_LOCATIONS = [
    ("Identifier", ("id",)),
    ("Title", ("title",)),
    ("Description", ("description",)),
    ("Currency", ("currency",)),
    ("Amount Applied For", ("amountAppliedFor",)),
    ("Amount Awarded", ("amountAwarded",)),
    ("Award Date", ("awardDate",)),
    ("Planned Dates:Start Date", ("plannedDates", 0, "startDate")),
    ("Planned Dates:End Date", ("plannedDates", 0, "endDate")),
    ("Planned Dates:Duration (months)", ("plannedDates", 0, "duration")),
    ("Recipient Org:Identifier", ("recipientOrganization", 0, "id")),
    ("Recipient Org:Name", ("recipientOrganization", 0, "name")),
    ("Recipient Org:City", ("recipientOrganization", 0, "addressLocality")),
    ("Recipient Org:Web Address", ("recipientOrganization", 0, "url")),
]
_LOCATION_FIELDS = [
    ("Name", "name"),
    ("Country Code", "countryCode"),
    ("Geographic Code", "geoCode"),
]
_COLUMNS_AFTER_LOCATIONS = [
    ("Funding Org:Identifier", ("fundingOrganization", 0, "id")),
    ("Funding Org:Name", ("fundingOrganization", 0, "name")),
    ("Grant Programme:Code", ("grantProgramme", 0, "code")),
    ("Grant Programme:Title", ("grantProgramme", 0, "title")),
    ("Grant Programme:1:Code", ("grantProgramme", 1, "code")),
    ("Grant Programme:1:Title", ("grantProgramme", 1, "title")),
    ("From An Open Call?", ("fromOpenCall",)),
]
_CLASSIFICATION_FIELDS = [("Vocabulary", "vocabulary"), ("Code", "code"), ("Title", "title")]
_LAST_COLUMNS = [("Last Modified", ("dateModified",))]


def _columns(records: Iterable[dict]) -> list[tuple[str, tuple]]:
    """The columns for these records: lists of several items get numbered column groups.

    As 360Giving's spreadsheet guidance has it: "Beneficiary Location:0:Name",
    "Beneficiary Location:1:Name", … one group per location of the grant that has the most.
    """
    locations, classifications = 1, 0
    for r in records:
        locations = max(locations, len(r.get("beneficiaryLocation", [])))
        classifications = max(classifications, len(r.get("classifications", [])))
    return [
        *_COLUMNS_BEFORE_LOCATIONS,
        *[
            (f"Beneficiary Location:{i}:{title}", ("beneficiaryLocation", i, key))
            for i in range(locations)
            for title, key in _LOCATION_FIELDS
        ],
        *_COLUMNS_AFTER_LOCATIONS,
        *[
            (f"Classifications:{i}:{title}", ("classifications", i, key))
            for i in range(classifications)
            for title, key in _CLASSIFICATION_FIELDS
        ],
        *_LAST_COLUMNS,
    ]


def _cell(record: dict, path: tuple):
    value = record
    for step in path:
        try:
            value = value[step]
        except (KeyError, IndexError):
            return ""
    return value


def csv_lines(awards: QuerySet[Award] | Iterable[Award]) -> Iterator[str]:
    """The grants as a 360Giving summary table (CSV, one row per award), a line at a time.

    The records are read twice, in chunks: once for the number of column groups the header
    needs, once for the rows. Text cells go through the one safe writer (`core.csvfiles`)."""
    if not isinstance(awards, QuerySet):
        awards = Award.objects.filter(pk__in=[award.pk for award in awards])
    columns = _columns(iter_records(awards))
    rows = ([_cell(r, path) for _title, path in columns] for r in iter_records(awards))
    return csvfiles.lines([title for title, _path in columns], rows)


def write_csv(awards: QuerySet[Award] | Iterable[Award], out: IO[str]) -> None:
    """The grants as a 360Giving summary table (CSV, one row per award) written to `out`."""
    for line in csv_lines(awards):
        out.write(line)


def csv_text(awards: QuerySet[Award] | Iterable[Award]) -> str:
    out = io.StringIO()
    write_csv(awards, out)
    return out.getvalue()
