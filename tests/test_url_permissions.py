"""The permission walk: every URL of the project, every role, one decision each.

EXPECTED holds, for every URL pattern (pages, the API under /api/v1/, set_language), what a GET
answers each role. A URL pattern without a row fails `test_every_url_has_a_row`, so no page ships
without a decision about who may see it. Signed-in roles reach the API with their personal API
token, as scripts do; pages with their session.
"""

import shutil
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from safecities.charter.models import CharterVersion, Goal, Term
from safecities.core.services import create_api_token
from safecities.demo.loader import Loader
from safecities.grants.models import Application, Partner
from safecities.network.models import Membership, Organisation, Role, RoleAssignment
from tests.conftest import ROLES, _demo_media, demo_namespace
from tests.core import url_rows as core_rows
from tests.core.factories import UserFactory
from tests.events import url_rows_api as event_api_rows
from tests.events import url_rows_pages as event_page_rows
from tests.grants import (
    url_rows_api,
    url_rows_applications,
    url_rows_changes,
    url_rows_programmes,
    url_rows_reviews,
)
from tests.indicators import url_rows_api as indicator_rows
from tests.indicators import url_rows_imports as indicator_import_rows
from tests.indicators import url_rows_pages as indicator_page_rows
from tests.network.factories import coordinator_of, submit_city
from tests.opendata import url_rows as opendata_rows
from tests.plans import url_rows_api as plan_rows
from tests.plans import url_rows_pages as plan_page_rows
from tests.practices import url_rows_pages as practice_rows
from tests.reports import url_rows as report_rows
from tests.utils import sign_in

ROW_MODULES = (
    url_rows_programmes,
    url_rows_applications,
    url_rows_reviews,
    url_rows_changes,
    url_rows_api,
    indicator_rows,
    plan_rows,
    indicator_page_rows,
    indicator_import_rows,
    plan_page_rows,
    practice_rows,
    event_page_rows,
    event_api_rows,
    report_rows,
    core_rows,
    opendata_rows,
)

LOGIN = "302 → login"  # to the login page, with ?next= the page asked for


def redirect(to: str) -> str:
    return f"302 → {to}"


def row(*outcomes):
    """One outcome per role, in the order of ROLES: the table's columns."""
    return dict(zip(ROLES, outcomes, strict=True))


PROF = redirect("/start/")  # signed in already: to their start page
HOME = redirect("/")

# What a GET answers each role. The coordinator coordinates Oslo (a member) and Drammen (which
# has a pending application, see `walk` below); the organisation contact speaks for Nuorten ääni.
# fmt: off
EXPECTED = {
    #                                       anon   member coord  contact review funder secretariat
    "set_language":                     row(HOME,  HOME,  HOME,  HOME,  HOME,  HOME,  HOME),  # GET changes nothing
    # core
    "core:login":                       row(200,   PROF,  PROF,  PROF,  PROF,  PROF,  PROF),
    "core:logout":                      row(405,   405,   405,   405,   405,   405,   405),
    "core:signup":                      row(200,   PROF,  PROF,  PROF,  PROF,  PROF,  PROF),
    "core:password-reset":              row(200,   200,   200,   200,   200,   200,   200),
    "core:password-reset-sent":         row(200,   200,   200,   200,   200,   200,   200),
    "core:password-reset-confirm":      row(200,   200,   200,   200,   200,   200,   200),
    "core:password-reset-complete":     row(200,   200,   200,   200,   200,   200,   200),
    "core:tokens":                      row(LOGIN, 200,   200,   200,   200,   200,   200),
    "core:token-revoke":                row(LOGIN, 405,   405,   405,   405,   405,   405),
    "core:audit":                       row(LOGIN, 403,   403,   403,   403,   403,   200),
    "core:floor":                       row(200,   200,   200,   200,   200,   200,   200),
    # network: public pages
    "network:home":                     row(200,   200,   200,   200,   200,   200,   200),
    "network:directory":                row(200,   200,   200,   200,   200,   200,   200),
    "network:people":                   row(200,   200,   200,   200,   200,   200,   200),
    "network:municipality":             row(200,   200,   200,   200,   200,   200,   200),
    "network:organisation":             row(200,   200,   200,   200,   200,   200,   200),
    "network:programmes":               row(200,   200,   200,   200,   200,   200,   200),
    "network:programme":                row(200,   200,   200,   200,   200,   200,   200),
    "network:apply":                    row(200,   200,   200,   200,   200,   200,   200),
    # network: members
    "network:organisation-edit":        row(LOGIN, 403,   403,   200,   403,   403,   200),
    "network:apply-city":               row(LOGIN, 200,   200,   200,   200,   200,   200),
    "network:apply-organisation":       row(LOGIN, 200,   200,   200,   200,   200,   200),
    "network:apply-individual":         row(LOGIN, 200,   200,   200,   200,   200,   200),
    "network:applications":             row(LOGIN, 200,   200,   200,   200,   200,   200),
    "network:application-detail":       row(LOGIN, 403,   200,   403,   403,   403,   200),
    "network:application-document":     row(LOGIN, 403,   200,   403,   403,   403,   200),
    "network:application-approve":      row(LOGIN, 403,   403,   403,   403,   403,   200),
    "network:application-decline":      row(LOGIN, 403,   403,   403,   403,   403,   200),
    "network:application-withdraw":     row(405,   405,   405,   405,   405,   405,   405),
    "network:membership-end":           row(LOGIN, 403,   200,   403,   403,   403,   200),
    "network:profile":                  row(LOGIN, 200,   200,   200,   200,   200,   200),
    "network:roles":                    row(LOGIN, 403,   403,   403,   403,   403,   200),
    "network:role-revoke":              row(LOGIN, 403,   403,   403,   403,   403,   200),
    # network: the secretariat's set-up
    "network:setup":                    row(LOGIN, 403,   403,   403,   403,   403,   200),
    "network:setup-countries":          row(LOGIN, 403,   403,   403,   403,   403,   200),
    "network:setup-country-create":     row(LOGIN, 403,   403,   403,   403,   403,   200),
    "network:setup-country-edit":       row(LOGIN, 403,   403,   403,   403,   403,   200),
    "network:setup-country-register":   row(LOGIN, 403,   403,   403,   403,   403,   200),
    "network:setup-municipalities":     row(LOGIN, 403,   403,   403,   403,   403,   200),
    "network:setup-municipality-create": row(LOGIN, 403,  403,   403,   403,   403,   200),
    "network:setup-municipality-edit":  row(LOGIN, 403,   403,   403,   403,   403,   200),
    "network:setup-programmes":         row(LOGIN, 403,   403,   403,   403,   403,   200),
    "network:setup-programme-create":   row(LOGIN, 403,   403,   403,   403,   403,   200),
    "network:setup-programme-edit":     row(LOGIN, 403,   403,   403,   403,   403,   200),
    "network:setup-funders":            row(LOGIN, 403,   403,   403,   403,   403,   200),
    "network:setup-funder-create":      row(LOGIN, 403,   403,   403,   403,   403,   200),
    # charter
    "charter:charter":                  row(200,   200,   200,   200,   200,   200,   200),
    "charter:vocabularies":             row(LOGIN, 403,   403,   403,   403,   403,   200),
    "charter:term-create":              row(LOGIN, 403,   403,   403,   403,   403,   200),
    "charter:term-edit":                row(LOGIN, 403,   403,   403,   403,   403,   200),
    "charter:setup":                    row(LOGIN, 403,   403,   403,   403,   403,   200),
    "charter:goal-create":              row(LOGIN, 403,   403,   403,   403,   403,   200),
    "charter:goal-edit":                row(LOGIN, 403,   403,   403,   403,   403,   200),
    "charter:version-create":           row(LOGIN, 403,   403,   403,   403,   403,   200),
    "charter:version-edit":             row(LOGIN, 403,   403,   403,   403,   403,   200),
    # the API: public reads, and member reads with a token (401 without one)
    "api-1.0.0:api-root":               row(404,   404,   404,   404,   404,   404,   404),
    "api-1.0.0:openapi-json":           row(200,   200,   200,   200,   200,   200,   200),
    "api-1.0.0:openapi-view":           row(200,   200,   200,   200,   200,   200,   200),
    "api-1.0.0:countries":              row(200,   200,   200,   200,   200,   200,   200),
    "api-1.0.0:municipalities":         row(200,   200,   200,   200,   200,   200,   200),
    "api-1.0.0:municipality":           row(200,   200,   200,   200,   200,   200,   200),
    "api-1.0.0:organisations":          row(200,   200,   200,   200,   200,   200,   200),
    "api-1.0.0:memberships":            row(200,   200,   200,   200,   200,   200,   200),
    "api-1.0.0:programmes":             row(200,   200,   200,   200,   200,   200,   200),
    "api-1.0.0:goals":                  row(200,   200,   200,   200,   200,   200,   200),
    "api-1.0.0:terms":                  row(200,   200,   200,   200,   200,   200,   200),
    "api-1.0.0:applications":           row(401,   200,   200,   200,   200,   200,   200),
    "api-1.0.0:application":            row(401,   403,   200,   403,   403,   403,   200),
    "api-1.0.0:submit_city_application": row(405,  405,   405,   405,   405,   405,   405),
}
# fmt: on

# The grant pages and API keep their rows beside their tests, one module per part of the cycle.
for _rows in ROW_MODULES:
    for _name, _outcomes in _rows.ROWS.items():
        assert _name not in EXPECTED, f"{_name} has two rows"
        EXPECTED[_name] = row(*_outcomes)

# Patterns left out of the walk, each with the reason.
EXCLUDED: set[str] = set()

# The keyword arguments each URL is walked with: records of the demo network (see `walk`).
SAMPLE_KWARGS = {
    "core:password-reset-confirm": lambda w: {"uidb64": "MQ", "token": "not-a-valid-token"},
    "core:token-revoke": lambda w: {"pk": w.tokens["coordinator"].pk},
    "network:municipality": lambda w: {"slug": "oslo"},
    "network:organisation": lambda w: {"slug": "nuorten-aani"},
    "network:organisation-edit": lambda w: {"slug": "nuorten-aani"},
    "network:programme": lambda w: {"slug": "safe-cities-norway"},
    "network:application-detail": lambda w: {"pk": w.drammen_application.pk},
    "network:application-document": lambda w: {"pk": w.drammen_application.pk},
    "network:application-approve": lambda w: {"pk": w.drammen_application.pk},
    "network:application-decline": lambda w: {"pk": w.drammen_application.pk},
    "network:application-withdraw": lambda w: {"pk": w.drammen_application.pk},
    "network:membership-end": lambda w: {"pk": w.oslo_membership.pk},
    "network:role-revoke": lambda w: {"pk": w.reviewer_role.pk},
    "charter:term-create": lambda w: {"vocabulary": "phenomenon"},
    "charter:term-edit": lambda w: {"pk": w.term.pk},
    "charter:goal-edit": lambda w: {"pk": Goal.objects.order_by("position").first().pk},
    "charter:version-edit": lambda w: {"pk": CharterVersion.objects.first().pk},
    "network:setup-country-edit": lambda w: {"code": "NO"},
    "network:setup-country-register": lambda w: {"code": "NO"},
    "network:setup-municipalities": lambda w: {"code": "NO"},
    "network:setup-municipality-create": lambda w: {"code": "NO"},
    "network:setup-municipality-edit": lambda w: {"code": "NO", "slug": "oslo"},
    "network:setup-programme-edit": lambda w: {"slug": "safe-cities-norway"},
    "api-1.0.0:municipality": lambda w: {"slug": "oslo"},
    "api-1.0.0:application": lambda w: {"pk": w.drammen_application.pk},
}
for _rows in ROW_MODULES:
    SAMPLE_KWARGS.update(_rows.SAMPLE_KWARGS)


def url_patterns(resolver=None, namespace=""):
    """(name, route) of every URL pattern, walking included URL confs and namespaces."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n)
            yield from url_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            route = str(pattern.pattern)
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name or route, route


def test_every_url_has_a_row():
    names = {name for name, _route in url_patterns()} - EXCLUDED
    missing = sorted(names - set(EXPECTED))
    assert not missing, f"decide who may see these URLs and add them to EXPECTED: {missing}"
    stale = sorted(set(EXPECTED) - names)
    assert not stale, f"EXPECTED has rows for URLs that no longer exist: {stale}"


def test_every_row_decides_for_every_role():
    for name, outcomes in EXPECTED.items():
        assert list(outcomes) == ROLES, name


def test_every_url_with_arguments_has_sample_kwargs():
    routes = dict(url_patterns())
    needs = {name for name, route in routes.items() if "<" in route and name not in EXCLUDED}
    assert needs == set(SAMPLE_KWARGS)


@pytest.fixture(scope="module")
def walk(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo network, loaded once for the module inside a transaction rolled back at its end."""
    media = tmp_path_factory.mktemp("walk-media")
    if _demo_media:  # the files of the demo loaded for the session
        shutil.copytree(_demo_media[0], media, dirs_exist_ok=True)
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        Loader().run()
        demo = demo_namespace()
        users = demo.users
        partner_users = _partners_of_the_sample_applications(demo)
        yield SimpleNamespace(
            partner_users=partner_users,
            media=media,
            users=users,
            tokens={
                role: create_api_token(actor=user, name="walk")[0] for role, user in users.items()
            },
            drammen_application=submit_city(actor=users["coordinator"], municipality=demo.drammen),
            oslo_membership=Membership.objects.get(municipality=demo.oslo, status="active"),
            reviewer_role=RoleAssignment.objects.get(user=users["reviewer"], role=Role.REVIEWER),
            term=Term.objects.order_by("pk").first(),
        )
        transaction.set_rollback(True)


# The sample grant applications' partners, the two partner roles of PARTNER_ROWS: a coordinator
# of Stockholm, made a confirmed partner of each (and given the questions of the draft's call to
# write), and a contact of Ungdom i Dialog, a partner of each (given no question).
PARTNER_ROLES = ["partner_coordinator", "partner_contact"]
SAMPLE_APPLICATIONS = ["Safe summer nights", "Dialogue cafés", "Young voices Oslo East"]
SAMPLE_APPLICATIONS += ["Oslo snakker"]


def _partners_of_the_sample_applications(demo) -> dict:
    stockholm = demo.stockholm
    ungdom = Organisation.objects.get(slug="ungdom-i-dialog")
    contact = UserFactory()
    RoleAssignment.objects.create(user=contact, role=Role.ORGANISATION_CONTACT, organisation=ungdom)
    for application in Application.objects.filter(title__in=SAMPLE_APPLICATIONS):
        Partner.objects.get_or_create(
            application=application, organisation=ungdom, defaults={"confirmed_at": timezone.now()}
        )
        Partner.objects.create(
            application=application,
            municipality=stockholm,
            role="Shares its method",
            confirmed_at=timezone.now(),
            writes_questions=[q.pk for q in application.call.questions.all()]
            if application.editable
            else [],
        )
    return {"partner_coordinator": coordinator_of(stockholm), "partner_contact": contact}


PARTNER_EXPECTED = {
    name: dict(zip(PARTNER_ROLES, outcomes, strict=True))
    for module in ROW_MODULES
    for name, outcomes in getattr(module, "PARTNER_ROWS", {}).items()
}
PARTNER_CASES = [(name, role) for name in PARTNER_EXPECTED for role in PARTNER_ROLES]


@pytest.mark.parametrize(
    ("name", "role"), PARTNER_CASES, ids=[f"{n}-{r}" for n, r in PARTNER_CASES]
)
def test_what_partners_may_get(db, settings, walk, name, role):
    """Partners as equals: what a GET answers whoever acts for a partner of the sample
    application, city or organisation."""
    settings.MEDIA_ROOT = walk.media
    kwargs = SAMPLE_KWARGS[name](walk) if name in SAMPLE_KWARGS else {}
    url = reverse(name, kwargs=kwargs)
    client = Client()
    user = walk.partner_users[role]
    headers = {}
    if name.startswith("api-"):
        headers["Authorization"] = f"Bearer {create_api_token(actor=user, name='walk')[1]}"
    else:
        sign_in(client, user)
    response = client.get(url, headers=headers)
    assert outcome(response, url) == PARTNER_EXPECTED[name][role], f"GET {url} as {role}"


def test_partner_rows_name_urls_of_the_table():
    assert set(PARTNER_EXPECTED) <= set(EXPECTED)


@pytest.fixture(scope="module")
def raw_tokens(walk, django_db_blocker):
    with django_db_blocker.unblock():
        return {
            role: create_api_token(actor=user, name="walk api")[1]
            for role, user in walk.users.items()
        }


def outcome(response, url: str):
    if response.status_code in (301, 302):
        location = response["Location"]
        if location == f"{resolve_url(settings.LOGIN_URL)}?next={url}":
            return LOGIN
        return redirect(location)
    return response.status_code


CASES = [(name, role) for name in EXPECTED for role in ROLES]


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_who_may_get_what(db, settings, walk, raw_tokens, name, role):
    settings.MEDIA_ROOT = walk.media  # where the walk's decision documents are
    kwargs = SAMPLE_KWARGS[name](walk) if name in SAMPLE_KWARGS else {}
    url = reverse(name, kwargs=kwargs)
    client = Client()
    headers = {}
    if role != "anonymous":
        if name.startswith("api-"):
            headers["Authorization"] = f"Bearer {raw_tokens[role]}"
        else:
            sign_in(client, walk.users[role])
    response = client.get(url, headers=headers)
    assert outcome(response, url) == EXPECTED[name][role], f"GET {url} as {role}"
