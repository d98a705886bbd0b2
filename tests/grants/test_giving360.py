"""The 360Giving export: awards made through the real services, checked against the schema."""

import csv
import io
import json
import runpy
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

import safecities.settings
from safecities.charter.models import Goal
from safecities.grants import giving360, services
from safecities.grants.models import Application, Award
from safecities.network.models import Municipality
from tests.grants.factories import (
    confirm_partners,
    finish_review,
    make_open_call,
    make_programme,
    nok,
)

GRANT_SCHEMA = json.loads(giving360.SCHEMA_PATH.read_text(encoding="utf-8"))
FORMATS = Draft202012Validator.FORMAT_CHECKER

# The top level of 360Giving's 1.4 package schema, its grants checked by the bundled schema.
PACKAGE_SCHEMA = {
    "type": "object",
    "required": ["grants"],
    "properties": {
        "grants": {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": {"$ref": GRANT_SCHEMA["$id"]},
        },
        "version": {"type": "string", "pattern": r"^(\d+\.)(\d+)$"},
        "issued": {"type": "string", "format": "date-time"},
        "publisher": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string"},
                "website": {"type": "string", "format": "uri"},
            },
        },
        "license": {"type": "string", "format": "uri"},
    },
}


def grant_errors(record: dict) -> list[str]:
    validator = Draft202012Validator(GRANT_SCHEMA, format_checker=FORMATS)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(record)]


def package_errors(data: dict) -> list[str]:
    registry = Registry().with_resource(
        GRANT_SCHEMA["$id"], DRAFT202012.create_resource(GRANT_SCHEMA)
    )
    validator = Draft202012Validator(PACKAGE_SCHEMA, registry=registry, format_checker=FORMATS)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


def awarded(*, applicant, officer, reviewer, call, amount, title, **fields) -> Award:
    """An application written, submitted, reviewed by `reviewer` and awarded through the
    services."""
    requested = fields.pop("requested", amount)
    application = services.create_application(
        actor=applicant,
        call=call,
        title=title,
        summary=fields.pop("summary", f"{title}: what the project does."),
        requested=requested,
        budget_lines=[("Facilitators", requested)],
        lead_municipality=fields.pop("lead_municipality", None),
        lead_organisation=fields.pop("lead_organisation", None),
        partners=fields.pop("partners", ()),
    )
    application = services.update_application(
        actor=applicant,
        application=application,
        starts_on=fields.pop("starts_on", date(2025, 1, 1)),
        ends_on=fields.pop("ends_on", date(2025, 12, 31)),
        goals=fields.pop("goals", ()),
    )
    assert not fields, fields
    confirm_partners(application)
    application = services.submit_application(actor=applicant, application=application)
    finish_review(application, actor=officer, reviewer=reviewer)
    return services.award_grant(application=application, amount=amount, actor=officer)


@pytest.fixture
def call(demo, funder_officer):
    programme = make_programme(actor=funder_officer, funder=demo.funder)
    return make_open_call(actor=funder_officer, programme=programme)


@pytest.fixture
def baerum(demo):
    return Municipality.objects.get(country__code="NO", code="3201")


@pytest.fixture
def helsinki(demo):
    return Municipality.objects.get(country__code="FI", code="091")


@pytest.fixture
def city_award(demo, call, coordinator, funder_officer, reviewer, baerum):
    """Oslo leads, with a Finnish youth NGO and Bærum as partners."""
    return awarded(
        applicant=coordinator,
        officer=funder_officer,
        reviewer=reviewer,
        call=call,
        amount=nok("120000.50"),
        requested=nok("150000.50"),
        title="Oslo snakker — youth edition",
        summary="City-wide debates for young people.",
        lead_municipality=demo.oslo,
        partners=[(demo.nuorten_aani, "Recruits young debaters"), (baerum, "Hosts debates")],
        goals=list(Goal.objects.order_by("position")[:2]),
    )


@pytest.fixture
def organisation_award(demo, call, contact, funder_officer, reviewer, helsinki):
    """Nuorten ääni ry leads, with Helsinki as partner and no charter goals."""
    return awarded(
        applicant=contact,
        officer=funder_officer,
        reviewer=reviewer,
        call=call,
        amount=nok(80_000),
        title="Dialogue groups in schools",
        lead_organisation=demo.nuorten_aani,
        partners=[(helsinki, "Opens its schools")],
        starts_on=date(2025, 3, 15),
        ends_on=date(2025, 6, 14),
    )


@pytest.fixture
def not_awarded(demo, call, coordinator, funder_officer, reviewer):
    """A draft, a declined and a withdrawn application: none of them is a grant."""
    base = {
        "actor": coordinator,
        "call": call,
        "requested": nok(10_000),
        "budget_lines": [("Venue", nok(10_000))],
        "lead_municipality": demo.oslo,
        "summary": "Not funded.",
    }
    draft = services.create_application(title="Still a draft", **base)
    declined = services.create_application(title="Declined project", **base)
    declined = services.update_application(
        actor=coordinator,
        application=declined,
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 6, 30),
    )
    declined = services.submit_application(actor=coordinator, application=declined)
    finish_review(declined, actor=funder_officer, reviewer=reviewer)
    declined = services.decline_application(
        application=declined, reason="Outside the call's aims.", actor=funder_officer
    )
    withdrawn = services.create_application(title="Withdrawn project", **base)
    withdrawn = services.withdraw_application(actor=coordinator, application=withdrawn)
    return [draft, declined, withdrawn]


@pytest.fixture
def two_awards(city_award, organisation_award):
    return Award.objects.filter(pk__in=[city_award.pk, organisation_award.pk]).order_by("pk")


def by_id(records: list[dict]) -> dict[str, dict]:
    return {record["id"]: record for record in records}


# --- the JSON ---------------------------------------------------------------------------


def test_the_format_checker_checks_date_times():
    """Without it a plain date matches both branches of the schema's date `oneOf`."""
    assert "date-time" in FORMATS.checkers, "install jsonschema[format-nongpl]"


def test_the_bundled_schema_is_the_published_grant_schema():
    Draft202012Validator.check_schema(GRANT_SCHEMA)
    assert GRANT_SCHEMA["$id"].endswith("/1.4.3/schema/360-giving-schema.json")


def test_every_grant_and_the_package_validate(two_awards):
    data = giving360.package(two_awards)
    assert len(data["grants"]) == 2
    for record in data["grants"]:
        assert grant_errors(record) == []
    assert package_errors(data) == []
    # the validator would notice a broken record
    broken = dict(data["grants"][0], awardDate="15/01/2025", amountAwarded="120000.50")
    assert len(grant_errors(broken)) == 2


def test_a_city_led_grant(city_award, demo, baerum):
    [record] = giving360.grant_records(Award.objects.filter(pk=city_award.pk))
    assert record["id"] == f"360G-safecities-{city_award.pk}"
    assert record["title"] == "Oslo snakker — youth edition"
    assert record["description"] == "City-wide debates for young people."
    assert record["currency"] == "NOK"
    assert record["amountAwarded"] == 120000.5
    assert Decimal(str(record["amountAwarded"])) == city_award.amount.amount
    assert Decimal(str(record["amountAppliedFor"])) == Decimal("150000.50")
    assert record["plannedDates"] == [
        {"startDate": "2025-01-01", "endDate": "2025-12-31", "duration": 12}
    ]
    [recipient] = record["recipientOrganization"]
    assert recipient["id"] == "360G-safecities-municipality-NO-0301"
    assert recipient["name"] == "Oslo"
    assert recipient["location"] == [{"name": "Oslo", "countryCode": "NO", "geoCode": "0301"}]
    assert record["fundingOrganization"] == [
        {"id": f"360G-safecities-organisation-{demo.funder.pk}", "name": "Gjensidigestiftelsen"}
    ]
    programme = city_award.application.call.programme
    assert record["grantProgramme"] == [{"code": programme.slug, "title": programme.name}]
    # the partner municipality is a beneficiary location too; the partner NGO is not a place
    assert record["beneficiaryLocation"] == [
        {"name": "Oslo", "countryCode": "NO", "geoCode": "0301"},
        {"name": baerum.name, "countryCode": "NO", "geoCode": "3201"},
    ]
    goals = list(Goal.objects.order_by("position")[:2])
    assert [c["code"] for c in record["classifications"]] == [g.code for g in goals]
    assert {c["vocabulary"] for c in record["classifications"]} == {"360G-safecities-charter-goal"}
    assert record["fromOpenCall"] == "Yes"
    assert record["dateModified"].endswith("+00:00")


def test_the_award_date_is_the_day_in_the_platform_time_zone(city_award):
    [record] = giving360.grant_records(Award.objects.filter(pk=city_award.pk))
    expected = timezone.localtime(city_award.decided_at, timezone.get_default_timezone())
    assert record["awardDate"] == expected.date().isoformat()


def test_an_organisation_led_grant_carries_its_org_id(organisation_award, demo):
    [record] = giving360.grant_records(Award.objects.filter(pk=organisation_award.pk))
    [recipient] = record["recipientOrganization"]
    assert recipient["id"] == demo.nuorten_aani.org_id
    assert recipient["id"].startswith("FI-PRO-")
    assert recipient["name"] == "Nuorten ääni ry"
    assert recipient["addressLocality"] == "Helsinki"
    assert record["amountAwarded"] == 80000
    assert isinstance(record["amountAwarded"], int)
    assert record["plannedDates"] == [
        {"startDate": "2025-03-15", "endDate": "2025-06-14", "duration": 3}
    ]
    assert record["beneficiaryLocation"] == [
        {"name": "Helsinki", "countryCode": "FI", "geoCode": "091"}
    ]
    assert "classifications" not in record
    assert grant_errors(record) == []


def test_the_prefix_comes_from_the_settings(settings, two_awards):
    settings.GRANTS_360_PREFIX = "360G-nordicsafecities"
    records = giving360.grant_records(two_awards)
    assert all(r["id"].startswith("360G-nordicsafecities-") for r in records)
    city = by_id(records)[f"360G-nordicsafecities-{two_awards[0].pk}"]
    assert city["recipientOrganization"][0]["id"] == ("360G-nordicsafecities-municipality-NO-0301")
    assert all(grant_errors(r) == [] for r in records)


def test_a_prefix_without_360g_is_refused(settings, two_awards):
    settings.GRANTS_360_PREFIX = "safecities"
    with pytest.raises(ImproperlyConfigured, match="360G-"):
        giving360.grant_records(two_awards)


@pytest.mark.parametrize("prefix", ["safecities", "360G-", "360g-safecities", "360G-safe cities"])
def test_settings_refuse_a_bad_prefix_at_start_up(monkeypatch, prefix):
    monkeypatch.setenv("SAFECITIES_360G_PREFIX", prefix)
    with pytest.raises(ImproperlyConfigured, match="SAFECITIES_360G_PREFIX"):
        runpy.run_path(safecities.settings.__file__)


def test_settings_take_a_prefix_from_the_environment(monkeypatch):
    monkeypatch.setenv("SAFECITIES_360G_PREFIX", "360G-nsc")
    assert runpy.run_path(safecities.settings.__file__)["GRANTS_360_PREFIX"] == "360G-nsc"
    monkeypatch.delenv("SAFECITIES_360G_PREFIX")
    assert runpy.run_path(safecities.settings.__file__)["GRANTS_360_PREFIX"] == "360G-safecities"


def test_only_awards_are_exported(two_awards, not_awarded):
    assert {a.status for a in not_awarded} == {
        Application.Status.DRAFT,
        Application.Status.DECLINED,
        Application.Status.WITHDRAWN,
    }
    data = giving360.package(Award.objects.filter(application__illustrative=False))
    assert sorted(r["id"] for r in data["grants"]) == sorted(
        f"360G-safecities-{a.pk}" for a in two_awards
    )
    text = json.dumps(data) + giving360.csv_text(
        Award.objects.filter(application__illustrative=False)
    )
    for application in not_awarded:
        assert application.title not in text


def test_no_awards_give_an_empty_package_and_a_header_only_csv(db):
    assert giving360.package(Award.objects.none())["grants"] == []
    rows = list(csv.reader(io.StringIO(giving360.csv_text(Award.objects.none()))))
    assert len(rows) == 1 and rows[0][0] == "Identifier"


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "months"),
    [
        (date(2025, 1, 1), date(2025, 12, 31), 12),
        (date(2025, 3, 15), date(2025, 6, 14), 3),
        (date(2025, 1, 31), date(2025, 2, 27), 1),
        (date(2025, 1, 1), date(2025, 4, 1), 3),
        (date(2025, 1, 1), date(2025, 4, 20), 4),
        (date(2025, 5, 1), date(2025, 5, 3), 1),
        (date(2024, 1, 1), date(2026, 12, 31), 36),
    ],
)
def test_duration_in_months(starts_on, ends_on, months):
    assert giving360.duration_months(starts_on, ends_on) == months


# --- the CSV ----------------------------------------------------------------------------


def _titled(node: dict) -> dict:
    """A schema node with its `$ref` (to `#/$defs/…`) merged in."""
    if "$ref" in node:
        target = GRANT_SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        return {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def schema_field(title: str) -> dict | None:
    """The schema field a summary-table column title names, e.g. "Recipient Org:Name"."""
    node = GRANT_SCHEMA
    for part in (p for p in title.split(":") if not p.isdigit()):
        if node.get("type") == "array":
            node = _titled(node["items"])
        found = [
            _titled(child)
            for child in node.get("properties", {}).values()
            if _titled(child).get("title") == part
        ]
        if len(found) != 1:
            return None
        node = found[0]
    return node


def csv_rows(awards) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(giving360.csv_text(awards)))
    return reader.fieldnames, list(reader)


def test_csv_columns_are_the_schema_titles(two_awards):
    header, _rows = csv_rows(two_awards)
    for title in [
        "Identifier",
        "Title",
        "Description",
        "Currency",
        "Amount Awarded",
        "Award Date",
        "Planned Dates:Start Date",
        "Planned Dates:End Date",
        "Planned Dates:Duration (months)",
        "Recipient Org:Identifier",
        "Recipient Org:Name",
        "Funding Org:Identifier",
        "Funding Org:Name",
        "Grant Programme:Code",
        "Grant Programme:Title",
        "Beneficiary Location:0:Name",
        "Beneficiary Location:0:Country Code",
        "Beneficiary Location:0:Geographic Code",
        "Beneficiary Location:1:Name",
        "Last Modified",
    ]:
        assert title in header
    assert len(header) == len(set(header))
    assert [t for t in header if schema_field(t) is None] == []


def test_csv_has_one_row_per_award_with_the_figures_of_the_json(two_awards, not_awarded):
    records = by_id(giving360.grant_records(Award.objects.filter(application__illustrative=False)))
    _header, rows = csv_rows(Award.objects.filter(application__illustrative=False))
    assert len(rows) == len(records) == 2
    for row in rows:
        record = records[row["Identifier"]]
        assert Decimal(row["Amount Awarded"]) == Decimal(str(record["amountAwarded"]))
        award = Award.objects.get(pk=int(row["Identifier"].rsplit("-", 1)[1]))
        assert Decimal(row["Amount Awarded"]) == award.amount.amount
        assert row["Currency"] == record["currency"] == "NOK"
        assert row["Award Date"] == record["awardDate"]
        assert row["Title"] == record["title"]
        assert row["Planned Dates:Start Date"] == record["plannedDates"][0]["startDate"]
        assert int(row["Planned Dates:Duration (months)"]) == record["plannedDates"][0]["duration"]
        assert row["Recipient Org:Identifier"] == record["recipientOrganization"][0]["id"]
        assert row["Funding Org:Identifier"] == record["fundingOrganization"][0]["id"]
        assert row["Grant Programme:Code"] == record["grantProgramme"][0]["code"]
        locations = record["beneficiaryLocation"]
        for i in range(2):
            expected = locations[i] if i < len(locations) else {}
            assert row[f"Beneficiary Location:{i}:Name"] == expected.get("name", "")
            assert row[f"Beneficiary Location:{i}:Country Code"] == expected.get("countryCode", "")
            assert row[f"Beneficiary Location:{i}:Geographic Code"] == expected.get("geoCode", "")
        assert row["Last Modified"] == record["dateModified"]


def test_csv_keeps_decimal_amounts_exact(city_award):
    _header, [row] = csv_rows(Award.objects.filter(pk=city_award.pk))
    assert row["Amount Awarded"] == "120000.5"
    assert row["Amount Applied For"] == "150000.5"
    assert row["Recipient Org:Identifier"] == "360G-safecities-municipality-NO-0301"
    assert row["Beneficiary Location:1:Geographic Code"] == "3201"


# --- queries ----------------------------------------------------------------------------


@pytest.fixture
def five_awards(demo, call, coordinator, contact, funder_officer, reviewer, baerum, helsinki):
    goals = list(Goal.objects.order_by("position")[:3])
    awards = []
    for n in range(5):
        city = n % 2 == 0
        awards.append(
            awarded(
                applicant=coordinator if city else contact,
                officer=funder_officer,
                reviewer=reviewer,
                call=call,
                amount=nok(f"{40_000 + n * 1000}.{n}5"),
                title=f"Project {n}",
                lead_municipality=demo.oslo if city else None,
                lead_organisation=None if city else demo.nuorten_aani,
                partners=[(baerum, "Partner"), (demo.trygge_nabolag, "Partner")]
                if city
                else [(helsinki, "Partner")],
                goals=goals[: n % 4],
            )
        )
    return Award.objects.filter(pk__in=[a.pk for a in awards]).order_by("pk")


def queries(export, awards) -> int:
    with CaptureQueriesContext(connection) as captured:
        export(awards)
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("export", "most"),
    [
        # the awards with their joins, the partners, the goals
        (giving360.grant_records, 3),
        # and the newest change, asked first, for "issued"
        (giving360.package, 4),
        (lambda awards: "".join(giving360.package_chunks(awards)), 4),
        # the records read twice: for the header's column groups, then for the rows
        (giving360.csv_text, 6),
    ],
)
def test_the_query_count_does_not_grow_with_the_awards(five_awards, export, most):
    one = queries(export, five_awards.filter(pk=five_awards[0].pk))
    five = queries(export, five_awards)
    assert one == five <= most


def test_five_awards_validate(five_awards):
    data = giving360.package(five_awards)
    assert len(data["grants"]) == 5
    assert package_errors(data) == []
    assert sum(Decimal(str(g["amountAwarded"])) for g in data["grants"]) == sum(
        a.amount.amount for a in five_awards
    )


def test_a_grant_from_a_pot_names_the_pot_as_a_second_programme(
    demo, call, coordinator, funder_officer, reviewer
):
    """The split of the programme shows in the file: a grant from a call that draws on a pot
    names the programme and the pot, valid against the schema, in JSON and CSV."""
    pot = services.add_programme_line(
        actor=funder_officer,
        programme=call.programme,
        name="Collaboration projects",
        kind="pot",
        amount=nok(500_000),
    )
    services.draw_call_on(actor=funder_officer, call=call, line=pot)
    call.refresh_from_db()
    award = awarded(
        applicant=coordinator,
        officer=funder_officer,
        reviewer=reviewer,
        call=call,
        amount=nok(100_000),
        title="Pot grant",
        lead_municipality=demo.oslo,
    )
    [record] = giving360.grant_records(Award.objects.filter(pk=award.pk))
    programme = call.programme
    assert record["grantProgramme"] == [
        {"code": programme.slug, "title": programme.name},
        {"code": f"{programme.slug}:line-{pot.pk}", "title": f"{programme.name}: {pot.name}"},
    ]
    assert grant_errors(record) == []
    rows = list(csv.DictReader(io.StringIO(giving360.csv_text(Award.objects.filter(pk=award.pk)))))
    assert rows[0]["Grant Programme:1:Title"] == f"{programme.name}: {pot.name}"
