"""axe-core on every page of the site, in each role that can see it, in English and one
Nordic language. The permission walk (tests/test_url_permissions.py) makes sure every URL
is listed somewhere; this sweep makes sure each page a person can open is accessible.

Each page is loaded once per role, in English or Swedish by turns down the role's list (the
next role starts with the other language), on the demo network loaded once per process and
shared with the other page-reading tests (`shared_demo`): no demo is loaded for the sweep, and
each of its tests is one sign-in and one load per page."""

import pytest
from django.urls import reverse

from safecities.charter.models import CharterVersion, Goal, Term
from safecities.network.models import Membership, MembershipApplication, RoleAssignment
from tests.browser import (
    core_pages,
    events_pages,
    grants_pages_applications,
    grants_pages_programmes,
    grants_pages_reviews,
    imports_pages,
    indicators_pages,
    opendata_pages,
    plans_pages,
    practices_pages,
    reports_pages,
)
from tests.browser.conftest import VIEWPORT

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
HEADER_MAX_PX = 120  # the header with the menu button, on a phone


def sideways_scroll(page, path: str) -> str:
    """Why the page as it is now scrolls sideways, or "" when it fits the viewport's width (a
    wide table scrolls inside its own region, or stacks into cards)."""
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if widths[0] > widths[1]:
        # The deepest elements whose hiding narrows the page: what to fix.
        culprits = page.evaluate(
            """() => {
                const root = document.documentElement, wide = root.scrollWidth, found = [];
                for (const el of document.querySelectorAll('body *')) {
                    const display = el.style.display;
                    el.style.display = 'none';
                    if (root.scrollWidth < wide) found.push(el);
                    el.style.display = display;
                }
                return found.slice(-3).map(el => el.outerHTML.slice(0, 120));
            }"""
        )
        return (
            f"{path} scrolls sideways at {PHONE['width']} px: {widths[0]} px wide for "
            f"{widths[1]} px: {' | '.join(culprits)}"
        )
    return ""


GRANT_PAGES = (
    grants_pages_programmes,
    grants_pages_applications,
    grants_pages_reviews,
    plans_pages,
    indicators_pages,
    imports_pages,
    practices_pages,
    events_pages,
    reports_pages,
    opendata_pages,
    core_pages,
)


def _pages(role: str) -> list[str]:
    grant_pages = [page() for module in GRANT_PAGES for page in module.PAGES.get(role, [])]
    if role in ("reviewer", "funder_officer"):
        return grant_pages
    return [*_network_pages(role), *grant_pages]


def _network_pages(role: str) -> list[str]:
    stockholm_application = MembershipApplication.objects.get(municipality__slug="stockholm")
    oslo = Membership.objects.get(municipality__slug="oslo", status="active")
    public = [
        reverse("network:home"),
        reverse("network:directory"),
        reverse("network:directory") + "?country=NO&kind=city&sort=-since",
        reverse("network:people"),
        reverse("network:programmes"),
        reverse("network:programme", args=["safe-cities-norway"]),
        reverse("network:municipality", args=["oslo"]),
        reverse("network:organisation", args=["nobel-peace-center"]),
        reverse("charter:charter"),
        reverse("network:apply"),
    ]
    if role == "anonymous":
        return [
            *public,
            reverse("core:login"),
            reverse("core:signup"),
            reverse("core:password-reset"),
            reverse("core:password-reset-sent"),
        ]
    if role == "coordinator":
        return [
            reverse("network:profile"),
            reverse("core:tokens"),
            reverse("network:apply-city"),
            reverse("network:apply-organisation"),
            reverse("network:apply-individual"),
            reverse("network:applications"),
            reverse("network:membership-end", args=[oslo.pk]),
        ]
    term = Term.objects.order_by("pk").first()
    assignment = RoleAssignment.objects.filter(role="reviewer").first()
    goal = Goal.objects.order_by("position").first()
    version = CharterVersion.objects.order_by("-adopted_on").first()
    return [
        reverse("network:applications") + "?status=approved",
        reverse("network:application-detail", args=[stockholm_application.pk]),
        reverse("network:organisation-edit", args=["nuorten-aani"]),
        reverse("network:roles"),
        reverse("network:role-revoke", args=[assignment.pk]),
        reverse("core:audit"),
        reverse("core:audit") + "?action=network",
        reverse("charter:vocabularies"),
        reverse("charter:term-create", args=["phenomenon"]),
        reverse("charter:term-edit", args=[term.pk]),
        reverse("network:setup"),
        reverse("network:setup-countries"),
        reverse("network:setup-country-create"),
        reverse("network:setup-country-edit", args=["SE"]),
        reverse("network:setup-country-register", args=["SE"]),
        reverse("network:setup-municipalities", args=["SE"]),
        reverse("network:setup-municipality-create", args=["SE"]),
        reverse("network:setup-municipality-edit", args=["NO", "oslo"]),
        reverse("network:setup-programmes"),
        reverse("network:setup-programme-create"),
        reverse("network:setup-programme-edit", args=["safe-cities-norway"]),
        reverse("network:setup-funders"),
        reverse("network:setup-funder-create"),
        reverse("charter:setup"),
        reverse("charter:goal-create"),
        reverse("charter:goal-edit", args=[goal.pk]),
        reverse("charter:version-create"),
        reverse("charter:version-edit", args=[version.pk]),
    ]


SWEPT_ROLES = [
    ("anonymous", None),
    ("coordinator", "coordinator@example.org"),
    ("reviewer", "reviewer@example.org"),
    ("funder_officer", "funder@example.org"),
    ("secretariat", "secretariat@example.org"),
]
LANGUAGES = ["en", "sv"]


def language_of(role: str, number: int) -> str:
    """English and Swedish by turns down a role's list; each role starts with the language after
    the previous role's start."""
    offset = [name for name, _ in SWEPT_ROLES].index(role)
    return LANGUAGES[(number + offset) % len(LANGUAGES)]


@pytest.mark.parametrize(("role", "email"), SWEPT_ROLES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_passes_axe(page, site, shared_demo, login, axe, role, email, language):
    """The role's pages that fall to `language`; the other language's test loads the rest."""
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site.url}])
    if email:
        login(page, email)
    paths = [path for n, path in enumerate(_pages(role)) if language_of(role, n) == language]
    assert paths, f"no pages listed for {role} in {language}"
    too_wide = []
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        assert page.locator("html").get_attribute("lang") == language, path
        axe(page)
        # On a phone, without loading the page again: nothing scrolls the page sideways, and
        # the header with its (closed) menu leaves the screen to the page.
        page.set_viewport_size(PHONE)
        too_wide.append(sideways_scroll(page, path))
        header = page.locator("header.sc-header").bounding_box()
        if header["height"] >= HEADER_MAX_PX:
            too_wide.append(f"{path}: the header is {header['height']:.0f} px tall on a phone")
        page.set_viewport_size(VIEWPORT)
    too_wide = [reason for reason in too_wide if reason]
    assert not too_wide, "\n".join(too_wide)
