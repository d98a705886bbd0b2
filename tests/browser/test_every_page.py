"""axe-core on every page of the site, in each role that can see it, in English and one
Nordic language. The permission walk (tests/test_url_permissions.py) makes sure every URL
is listed somewhere; this sweep makes sure each page a person can open is accessible."""

import pytest
from django.urls import reverse

from safecities.charter.models import Term
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

pytestmark = pytest.mark.browser

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
    ]


@pytest.mark.parametrize(
    ("role", "email"),
    [
        ("anonymous", None),
        ("coordinator", "coordinator@example.org"),
        ("reviewer", "reviewer@example.org"),
        ("funder_officer", "funder@example.org"),
        ("secretariat", "secretariat@example.org"),
    ],
)
@pytest.mark.parametrize("language", ["en", "sv"])
def test_every_page_passes_axe(page, live_server, demo, login, axe, role, email, language):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    if email:
        login(page, email)
    for path in _pages(role):
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        assert page.locator("html").get_attribute("lang") == language
        axe(page)
