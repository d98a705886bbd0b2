"""`safecities bench`: how long the main pages take on a large network, against the floor.

`time_pages` requests each page of `PAGES` in-process with Django's test client: one warm-up,
one request whose SQL queries are counted, then `repeat` timed requests, of which it keeps
the median and the 95th percentile. The floor is a view that renders the base template and
queries nothing, so "× floor" says how much a page costs beyond the framework itself. The
network it runs on comes from `bench_network.Generator`. An app that arrives later adds its
pages to `PAGES` (and its data to `Generator.STEPS`).
"""

import gc
import platform
import time
from collections.abc import Iterable
from dataclasses import dataclass

import django
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from safecities.core.models import User
from safecities.network.models import Municipality, Organisation, Role
from safecities.plans.models import ActionPlan
from safecities.practices.models import Practice

from . import bench_events, bench_grants, bench_indicators, bench_opendata, bench_practices, data
from .bench_network import BENCH_REGION
from .bench_stats import Sampled


@dataclass(frozen=True)
class Page:
    """A page to time. `path` may name a key of `page_context()`, e.g. {city}, {organisation},
    {programme}, {decision_pack}, {grant_programme}, {programme_report}, {indicator_city},
    {indicator}, {events_list}, {calendar}, {event}, {practice} or {plan}; with `role`, the
    request is made by a user who holds that role."""

    label: str
    path: str
    role: str | None = None


FLOOR = Page("floor", "/_floor/")

PAGES = [
    FLOOR,
    Page("home", "/"),
    Page("member directory", "/members/"),
    Page("member directory, Sweden", "/members/?country=SE"),
    Page("people", "/people/"),
    Page("charter", "/charter/"),
    Page("city page", "/cities/{city}/"),
    Page("organisation page", "/organisations/{organisation}/"),
    Page("programmes", "/programmes/"),
    Page("programme page", "/programmes/{programme}/"),
    Page("API municipalities", "/api/v1/network/municipalities"),
    Page("API organisations", "/api/v1/network/organisations"),
    Page("API memberships", "/api/v1/network/memberships"),
    Page("API charter goals", "/api/v1/charter/goals"),
    Page("applications (secretariat)", "/membership/applications/", Role.SECRETARIAT),
    Page("audit trail (secretariat)", "/audit/", Role.SECRETARIAT),
    Page("grant decision pack (funder officer)", "{decision_pack}", Role.FUNDER_OFFICER),
    Page("grant programme overview", "{grant_programme}"),
    Page("city indicator dashboard", "/indicators/cities/{indicator_city}/"),
    Page("indicator page", "/indicators/{indicator}/"),
    Page("programme report", "{programme_report}"),
    Page("programme report, projects, page 2", "{programme_report}projects/?page=2"),
    Page("programme report, events, page 2", "{programme_report}events/?page=2"),
    Page("city profile", "/reports/cities/{indicator_city}/"),
    Page("city profile, grants", "/reports/cities/{indicator_city}/grants/"),
    Page("events list", "{events_list}"),
    Page("events calendar, a month", "{calendar}"),
    Page("event page", "{event}"),
    Page("practice page", "/practices/{practice}/"),
    Page("API practice search", "/api/v1/practices?q=polarisering"),
    Page("plan page", "/plans/{plan}/"),
    Page("plan effect page", "/plans/{plan}/effect/"),
    Page("open data", "/open-data/"),
    Page("360Giving JSON (API)", "/api/v1/grants/360giving.json?illustrative=true"),
    Page("360Giving CSV (API)", "/api/v1/grants/360giving.csv?illustrative=true"),
    Page("360Giving JSON (open data)", "/open-data/grants/grants-360giving.json"),
]


@dataclass
class Result(Sampled):
    page: Page
    path: str
    samples: list[float]  # seconds
    queries: int


class PageFailed(Exception):
    pass


def page_context() -> dict[str, str]:
    """What the paths of `PAGES` name: the synthetic member city with the most organisations
    and the synthetic member organisation with the most people, so their pages show the most
    rows; the national programme of the demo network; the grants scenario's call (its
    decision pack) and programme, found by URL name; and the city with the most indicator
    observations and the indicators scenario's rate indicator; the events list, a month of
    the calendar and the busiest public event; the newest public practice; and the adopted
    plan with the most measures (the demo's)."""
    city = (
        Municipality.objects.filter(region__startswith=BENCH_REGION, memberships__status="active")
        .annotate(n=Count("organisations", distinct=True))
        .order_by("-n", "pk")
        .first()
    ) or Municipality.objects.order_by("pk").first()
    organisation = (
        Organisation.objects.filter(illustrative=True, memberships__status="active")
        .annotate(n=Count("people"))
        .order_by("-n", "pk")
        .first()
    ) or Organisation.objects.order_by("pk").first()
    return {
        "city": city.slug,
        "organisation": organisation.slug,
        "programme": data.PROGRAMME["slug"],
        **bench_grants.page_paths(),
        **bench_indicators.page_paths(),
        **bench_events.page_paths(),
        "practice": _first_pk(
            Practice.objects.filter(status="published", visibility="public").order_by(
                "-published_at", "pk"
            )
        ),
        "plan": _first_pk(
            ActionPlan.objects.filter(status=ActionPlan.Status.ADOPTED)
            .annotate(n=Count("measures"))
            .order_by("-n", "pk")
        ),
    }


def _first_pk(queryset) -> str:
    """The pk of the queryset's first row (by pk unless ordered), or "" if it has none."""
    return str(queryset.values_list("pk", flat=True).first() or "")


def _second_step(client: Client, user) -> None:
    """Pass two-factor sign-in through its page, for the roles that need it (the bench's own
    database: a person without an authenticator key is given one)."""
    from django.urls import reverse
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safecities.core import two_factor

    if not two_factor.step_owed(user):
        return
    device = two_factor.totp_device(user)
    if device is None:
        device, _codes = two_factor.add_device(actor=user, key_hex=two_factor.new_key())
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, drift=0)
    response = client.post(reverse("core:two-factor"), {"code": f"{totp(device.bin_key):06d}"})
    if response.status_code != 302:
        raise PageFailed(
            f"The second sign-in step of {user.email} answered {response.status_code}."
        )


def _client_for(role: str | None, clients: dict) -> Client:
    if role not in clients:
        client = Client()
        if role:
            user = User.objects.filter(role_assignments__role=role).order_by("pk").first()
            if user is None:
                raise PageFailed(f"No user holds the role {role!r} to request its pages.")
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            _second_step(client, user)
        clients[role] = client
    return clients[role]


def _get(client: Client, path: str):
    """GET `path`, and read a streamed body to its end (a download is timed whole)."""
    response = client.get(path)
    if response.streaming:
        for _chunk in response.streaming_content:
            pass
    return response


def time_pages(pages: Iterable[Page] = PAGES, *, repeat: int, out=None) -> list[Result]:
    """Warm each page up and count its queries, then time `repeat` rounds. A round requests
    every page once, so a disturbance on a shared machine falls on all pages alike."""
    pages = list(pages) if FLOOR in pages else [FLOOR, *pages]
    context = page_context()
    clients: dict[str | None, Client] = {}
    results = []
    for page in pages:
        client = _client_for(page.role, clients)
        path = page.path.format(**context)
        _get(client, path)  # warm-up: caches, lazy imports, the session
        with CaptureQueriesContext(connection) as captured:
            response = _get(client, path)
        if response.status_code != 200:
            raise PageFailed(f"{page.label}: GET {path} answered {response.status_code}.")
        # Count now: the next request empties the connection's query log.
        results.append(Result(page=page, path=path, samples=[], queries=len(captured)))
    for _round in range(repeat):
        gc.collect()
        for result in results:
            client = clients[result.page.role]
            started = time.perf_counter()
            _get(client, result.path)
            result.samples.append(time.perf_counter() - started)
    if out:
        for r in results:
            out.write(f"  {r.page.label}: {r.median_ms:.1f} ms, {r.queries} queries")
    return results


def database_name() -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return f"{connection.display_name} {'.'.join(map(str, connection.get_database_version()))}"


def report(
    results: list[Result],
    *,
    scale: float,
    repeat: int,
    rows: dict[str, int],
    generated_in: float | None,
    imports: bench_indicators.ImportTiming | None = None,
    searches: bench_practices.SearchTiming | None = None,
    zip_timing: bench_opendata.ZipTiming | None = None,
    pdfs: str | None = None,
) -> str:
    """The markdown table, with what it was measured on, and the "Imports", "Search",
    "Open data" and "PDF builds" tables if given."""
    floor = next(r for r in results if r.page == FLOOR)
    generated = (
        f"generated in {generated_in:.0f} s" if generated_in is not None else "reused (--keep)"
    )
    lines = [
        f"Scale {scale:g}, timed requests per page: {repeat}; {database_name()}, "
        f"Python {platform.python_version()}, Django {django.get_version()}; "
        f"data {generated}.",
        "",
        "Rows: " + ", ".join(f"{n:,} {name}" for name, n in rows.items()) + ".",
        "",
        "| page | path | median ms | p95 ms | × floor | queries |",
        "|---|---|--:|--:|--:|--:|",
    ]
    for r in results:
        ratio = r.median_ms / floor.median_ms if floor.median_ms else float("nan")
        lines.append(
            f"| {r.page.label} | `{r.path}` | {r.median_ms:.1f} | {r.p95_ms:.1f} "
            f"| {ratio:.1f} | {r.queries} |"
        )
    if imports:
        lines += ["", bench_indicators.report(imports).rstrip("\n")]
    if searches:
        lines += ["", bench_practices.report(searches).rstrip("\n")]
    if zip_timing:
        lines += ["", bench_opendata.report(zip_timing).rstrip("\n")]
    if pdfs:
        lines += ["", pdfs.rstrip("\n")]
    return "\n".join(lines) + "\n"
