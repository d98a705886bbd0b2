"""The datasets open data publishes, each with its files, their writers and their schemas.

The writers are the apps' own where they have one (360Giving in `grants.giving360`, iCalendar in
`events.ics`, observations in `indicators.exports`) and `writers` for the rest; the records are
chosen by `selectors`, which ask the apps' selectors for what a visitor may see.
"""

import csv
import json

from django.utils.translation import gettext_lazy as _

from safecities.events import ics
from safecities.grants import giving360
from safecities.indicators import exports

from . import selectors, writers
from .registry import DataFile, Dataset, Schema, licence, register

CSV = "text/csv; charset=utf-8"
JSON = "application/json"
JSONSTAT_URL = "https://json-stat.org/format/"
ICALENDAR_URL = "https://www.rfc-editor.org/rfc/rfc5545"
GIVING360_URL = "https://standard.threesixtygiving.org/en/1.4.3/"


def _licence_url() -> str:
    return licence()["path"]


def table(filename: str, columns: list[writers.Column]) -> Schema:
    return Schema(
        filename=filename,
        build=lambda: writers.table_schema(columns),
        kind="table-schema",
    )


# --- 360Giving: the standard's own schema for the JSON, a Table Schema for the summary table ---

GIVING360_COLUMNS = {
    "Identifier": ("string", "The grant's 360Giving identifier."),
    "Title": ("string", "The project's title."),
    "Description": ("string", "What the project does."),
    "Currency": ("string", "ISO 4217 currency of the amounts."),
    "Amount Applied For": ("number", "The amount applied for, in major units."),
    "Amount Awarded": ("number", "The amount awarded, in major units."),
    "Award Date": ("date", "The day the grant was awarded."),
    "Planned Dates:Start Date": ("date", "When the project is planned to start."),
    "Planned Dates:End Date": ("date", "When the project is planned to end."),
    "Planned Dates:Duration (months)": ("integer", "The planned length in whole months."),
    "Recipient Org:Identifier": ("string", "The recipient's org-id."),
    "Recipient Org:Name": ("string", "The recipient's name."),
    "Recipient Org:City": ("string", "Where the recipient is."),
    "Recipient Org:Web Address": ("string", "The recipient's website."),
    "Beneficiary Location:Name": ("string", "A place that benefits."),
    "Beneficiary Location:Country Code": ("string", "Its ISO 3166-1 alpha-2 country code."),
    "Beneficiary Location:Geographic Code": ("string", "Its official municipality code."),
    "Funding Org:Identifier": ("string", "The funder's org-id."),
    "Funding Org:Name": ("string", "The funder's name."),
    "Grant Programme:Code": ("string", "The grant programme's code."),
    "Grant Programme:Title": ("string", "The grant programme's name."),
    "From An Open Call?": ("string", "Yes: the grant answered a published call."),
    "Classifications:Vocabulary": ("string", "The classification's vocabulary."),
    "Classifications:Code": ("string", "A charter goal's code."),
    "Classifications:Title": ("string", "The charter goal's name."),
    "Last Modified": ("datetime", "When the grant's record last changed (UTC)."),
}


def _giving360_csv():
    return giving360.csv_lines(selectors.awarded_grants())


def giving360_table_schema(header: list[str]) -> dict:
    """The Table Schema of a 360Giving summary table with this header: numbered column groups
    ("Beneficiary Location:1:Name") are described as their group's column."""
    columns = []
    for title in header:
        parts = title.split(":")
        key = ":".join(p for p in parts if not p.isdigit())
        type_, description = GIVING360_COLUMNS.get(key, ("string", ""))
        columns.append(writers.Column(title, type_, description))
    return writers.table_schema(columns)


def _giving360_csv_schema() -> dict:
    header = next(csv.reader(_giving360_csv()))
    return giving360_table_schema(header)


def _giving360_json():
    return giving360.package_chunks(selectors.awarded_grants(), license=_licence_url())


def _grant_schema() -> dict:
    return json.loads(giving360.SCHEMA_PATH.read_text(encoding="utf-8"))


# --- indicators ------------------------------------------------------------------------------


def _observations_csv():
    return exports.observation_lines(selectors.public_observations())


OBSERVATION_COLUMNS = [
    writers.Column("indicator", "string", "The indicator's code (see /indicators/<code>/)."),
    writers.Column("municipality_code", "string", "The municipality's official code."),
    writers.Column("country", "string", "ISO 3166-1 alpha-2 country code."),
    writers.Column("district", "string", "A district of the municipality; empty: the whole city."),
    writers.Column("period", "string", "2024, 2024-H1, 2024-Q3 or 2024-05."),
    writers.Column("value", "number", "The value."),
    writers.Column(
        "numerator",
        "number",
        "What a rate is built on; left empty when under the small-number threshold.",
    ),
    writers.Column("denominator", "number", "What a rate is divided by."),
    writers.Column("sample_size", "integer", "The survey's sample size."),
    writers.Column("ci_low", "number", "The confidence interval's low end."),
    writers.Column("ci_high", "number", "The confidence interval's high end."),
    writers.Column("status", "string", "provisional or final."),
    writers.Column("note", "string", "A note on the value."),
]


def register_all() -> None:
    register(
        Dataset(
            slug="members",
            title=_("Members"),
            description=_(
                "The member cities and organisations of the network, with their country, "
                "official code or organisation number and the day they joined. Individual "
                "members are not published."
            ),
            last_change=selectors.members_changed,
            has_records=lambda: selectors.members().exists(),
            files=(
                DataFile(
                    "members.csv",
                    "CSV",
                    CSV,
                    lambda: writers.csv_lines(
                        writers.MEMBER_COLUMNS, writers.member_records(selectors.members())
                    ),
                    table("members.tableschema.json", writers.MEMBER_COLUMNS),
                ),
                DataFile(
                    "members.json",
                    "JSON",
                    JSON,
                    lambda: writers.members_json(selectors.members(), licence=_licence_url()),
                    Schema("members.schema.json", writers.members_json_schema),
                ),
            ),
        )
    )
    register(
        Dataset(
            slug="charter",
            title=_("The charter"),
            description=_(
                "The charter's goals in every language of the platform, and its versions."
            ),
            last_change=selectors.charter_changed,
            has_records=lambda: selectors.charter_goals().exists(),
            files=(
                DataFile(
                    "charter.json",
                    "JSON",
                    JSON,
                    lambda: writers.charter_json(
                        selectors.charter_goals(),
                        selectors.charter_versions(),
                        licence=_licence_url(),
                    ),
                    Schema("charter.schema.json", writers.charter_json_schema),
                ),
                DataFile(
                    "charter-goals.csv",
                    "CSV",
                    CSV,
                    lambda: writers.csv_lines(writers.GOAL_COLUMNS, selectors.charter_goals()),
                    table("charter-goals.tableschema.json", writers.GOAL_COLUMNS),
                ),
            ),
        )
    )
    register(
        Dataset(
            slug="grants",
            title=_("Awarded grants"),
            description=_(
                "The grants awarded through the network's programmes, in the 360Giving Data "
                "Standard. The demonstration network's invented grants are left out."
            ),
            last_change=selectors.grants_changed,
            has_records=lambda: selectors.awarded_grants().exists(),
            files=(
                DataFile(
                    "grants-360giving.json",
                    "360Giving JSON",
                    JSON,
                    _giving360_json,
                    Schema(
                        giving360.SCHEMA_PATH.name,
                        _grant_schema,
                        standard="360Giving Data Standard 1.4",
                        url=GIVING360_URL,
                    ),
                ),
                DataFile(
                    "grants-360giving.csv",
                    "360Giving CSV",
                    CSV,
                    _giving360_csv,
                    Schema(
                        "grants-360giving.tableschema.json",
                        _giving360_csv_schema,
                        kind="table-schema",
                        standard="360Giving Data Standard 1.4",
                        url=GIVING360_URL,
                    ),
                ),
            ),
        )
    )
    register(
        Dataset(
            slug="practices",
            title=_("Practices"),
            description=_(
                "The knowledge bank's practices that everyone may read, with their texts and "
                "translations, goals, cities and evaluation. Contact people are not published."
            ),
            last_change=selectors.practices_changed,
            has_records=lambda: selectors.public_practices().exists(),
            files=(
                DataFile(
                    "practices.json",
                    "JSON",
                    JSON,
                    lambda: writers.practices_json_chunks(
                        selectors.public_practices(), licence=_licence_url()
                    ),
                    Schema("practices.schema.json", writers.practices_json_schema),
                ),
                DataFile(
                    "practices.csv",
                    "CSV",
                    CSV,
                    lambda: writers.practices_csv_lines(selectors.public_practices()),
                    table("practices.tableschema.json", writers.PRACTICE_COLUMNS),
                ),
            ),
        )
    )
    register(
        Dataset(
            slug="events",
            title=_("Events"),
            description=_(
                "The network's public events, past and to come, cancelled ones marked so. "
                "Online links and participants are not published."
            ),
            last_change=selectors.events_changed,
            has_records=lambda: selectors.public_events().exists(),
            files=(
                DataFile(
                    "events.ics",
                    "iCalendar",
                    "text/calendar; charset=utf-8",
                    lambda: ics.public_feed(selectors.public_events(), language=writers.LANGUAGE),
                    Schema(standard="iCalendar (RFC 5545)", url=ICALENDAR_URL, kind="standard"),
                ),
                DataFile(
                    "events.csv",
                    "CSV",
                    CSV,
                    lambda: writers.csv_lines(writers.EVENT_COLUMNS, selectors.public_events()),
                    table("events.tableschema.json", writers.EVENT_COLUMNS),
                ),
            ),
        )
    )
    register(
        Dataset(
            slug="indicators",
            title=_("Indicator observations"),
            description=_(
                "The value of each indicator per city and period. Values built on fewer cases "
                "than the small-number threshold are left out. The JSON-stat file holds the "
                "whole-city values and can be imported back as it is."
            ),
            last_change=selectors.observations_changed,
            has_records=lambda: selectors.public_observations().exists(),
            files=(
                DataFile(
                    "observations.csv",
                    "CSV",
                    CSV,
                    _observations_csv,
                    table("observations.tableschema.json", OBSERVATION_COLUMNS),
                ),
                DataFile(
                    "observations.jsonstat.json",
                    "JSON-stat 2.0",
                    JSON,
                    lambda: exports.jsonstat_chunks(selectors.public_observations()),
                    Schema(standard="JSON-stat 2.0", url=JSONSTAT_URL, kind="standard"),
                ),
            ),
        )
    )
