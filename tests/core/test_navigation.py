"""The header's menu (core/navigation.py): grouped links, and the workspace links only for those
whose role has that work, asked of each app's permission rules."""

import re

import pytest
from django.urls import reverse

from safecities.core.navigation import GROUPS, menu_for

WORKSPACE = {
    "My grant applications": "grants:my-applications",
    "My reviews": "grants:my-reviews",
    "Decision packs": "grants:decision-packs",
}
ADMINISTRATION = {
    "Vocabularies": "charter:vocabularies",
    "Roles": "network:roles",
    "Audit trail": "core:audit",
    "Mail owed": "core:mail",
}


def nav_of(html: str) -> str:
    match = re.search(r'<nav class="sc-nav".*?</nav>', html, re.S)
    assert match, "the page has no main menu"
    return match.group(0)


def links(nav: str) -> dict[str, str]:
    """Each link's text and address in the menu."""
    return {
        text.strip(): href
        for href, text in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>([^<]+)</a>', nav)
    }


def groups(nav: str) -> list[str]:
    return [s.strip() for s in re.findall(r"<summary[^>]*>([^<]+)</summary>", nav)]


def shown(client) -> tuple[list[str], dict[str, str]]:
    response = client.get(reverse("charter:charter"))
    assert response.status_code == 200
    nav = nav_of(response.content.decode())
    return groups(nav), links(nav)


def test_a_visitor_sees_the_public_groups_and_no_workspace(client, demo):
    summaries, found = shown(client)
    assert summaries == ["Network", "Plans and indicators"]
    # Single-link groups are plain links under the group's name.
    assert found["Grants"] == reverse("grants:programmes")
    assert found["Knowledge bank"] == reverse("practices:list")
    assert found["Events"] == reverse("events:list")
    assert found["Charter"] == reverse("charter:charter")
    assert not set(found) & {*WORKSPACE, *ADMINISTRATION, "Membership applications"}


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("coordinator_client", {"My grant applications"}),
        ("contact_client", {"My grant applications"}),
        ("reviewer_client", {"My reviews"}),
        ("funder_client", {"Decision packs"}),
        ("member_client", set()),
        ("secretariat_client", {"Decision packs"}),
    ],
)
def test_workspace_links_follow_the_role(request, who, sees):
    client = request.getfixturevalue(who)
    _summaries, found = shown(client)
    assert {name for name in WORKSPACE if name in found} == sees
    for name in sees:
        assert found[name] == reverse(WORKSPACE[name])
        assert client.get(found[name]).status_code == 200  # the link leads to their page


def test_the_secretariat_has_an_administration_group(secretariat_client):
    summaries, found = shown(secretariat_client)
    assert summaries == ["Network", "Grants", "Plans and indicators", "Administration"]
    for name, url_name in ADMINISTRATION.items():
        assert found[name] == reverse(url_name)
    assert found["Membership applications"] == reverse("network:applications")


@pytest.mark.parametrize("who", ["coordinator_client", "funder_client", "reviewer_client"])
def test_others_have_no_administration_but_their_membership_applications(request, who):
    summaries, found = shown(request.getfixturevalue(who))
    assert "Administration" not in summaries
    assert not set(found) & set(ADMINISTRATION)
    # Membership applications, named as such (there are grant applications too).
    assert found["Membership applications"] == reverse("network:applications")
    assert "Applications" not in found


def test_the_current_page_and_its_group_are_marked(coordinator_client):
    html = coordinator_client.get(reverse("grants:my-applications")).content.decode()
    nav = nav_of(html)
    assert f'href="{reverse("grants:my-applications")}" aria-current="page"' in nav
    assert nav.count('aria-current="page"') == 1
    assert re.search(r'<summary class="sc-nav__top sc-nav__top--current">\s*Grants', nav)
    # A page under a group's address marks the group, not a link.
    nav = nav_of(coordinator_client.get(reverse("grants:awards")).content.decode())
    assert 'aria-current="page"' not in nav
    assert re.search(r'<summary class="sc-nav__top sc-nav__top--current">\s*Grants', nav)


def test_every_link_names_an_address_and_a_rule_that_exist(secretariat):
    for group in GROUPS:
        for link in group.links:
            reverse(link.url_name)
    assert menu_for(secretariat, "/")  # asks every rule: an unknown rule name raises


def test_the_language_switch_is_one_button_per_language(client, db, settings):
    html = client.get(reverse("charter:charter")).content.decode()
    assert 'id="language-select"' not in html
    for code, _name in settings.LANGUAGES:
        assert re.search(
            rf'<button type="submit" name="language" value="{code}" lang="{code}"', html
        )
    assert 'value="en" lang="en" aria-current="true"' in html
    assert f'name="next" type="hidden" value="{reverse("charter:charter")}"' in html
    response = client.post(
        reverse("set_language"), {"language": "sv", "next": reverse("charter:charter")}
    )
    assert response.status_code == 302
    assert client.get(reverse("charter:charter")).content.decode().count('<html lang="sv"') == 1


def test_decision_packs_lists_the_calls_the_funder_runs(funder_client, funder_officer):
    from safecities.grants.models import Call
    from safecities.network.permissions import funder_organisation_ids

    response = funder_client.get(reverse("grants:decision-packs"))
    assert response.status_code == 200
    html = response.content.decode()

    funders = funder_organisation_ids(funder_officer)
    for call in Call.objects.all():
        pack = reverse("grants:decision-pack", args=[call.pk])
        assert (pack in html) == (call.programme.funder_id in funders)
    assert any(reverse("grants:decision-pack", args=[c.pk]) in html for c in Call.objects.all()), (
        "the demo funder runs a call"
    )


def test_decision_packs_are_not_for_applicants(coordinator_client):
    assert coordinator_client.get(reverse("grants:decision-packs")).status_code == 403
