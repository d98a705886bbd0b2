"""The header's menu as each role uses it: on a phone a Menu button opens it and the header stays
short; on a desktop the groups drop down and the header keeps to two lines; the language switch
is one click; axe finds nothing with the menu open."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# (who logs in, the group holding their own work, its links and the headings they lead to)
ROLES = [
    ("", "Network", {"Become a member": "Become a member"}),
    ("coordinator@example.org", "Grants", {"My grant applications": "Your grant applications"}),
    ("reviewer@example.org", "Grants", {"My reviews": "My reviews"}),
    ("funder@example.org", "Grants", {"Decision packs": "Decision packs"}),
    (
        "secretariat@example.org",
        "Administration",
        {
            "Membership applications": "Membership applications",
            "Vocabularies": "Shared vocabularies",
            "Audit trail": "Audit trail",
            "Mail owed": "Mail owed",
        },
    ),
]


def header_height(page) -> float:
    return page.locator("header").bounding_box()["height"]


def open_group(page, group: str):
    """Open the menu group (a no-op when it is open already) and return the menu."""
    nav = page.get_by_role("navigation", name="Main")
    summary = nav.locator("summary", has_text=group)
    if summary.locator("..").get_attribute("open") is None:
        summary.click()
    expect(summary.locator("..")).to_have_attribute("open", "")
    return nav


@pytest.mark.parametrize(("email", "group", "workspace"), ROLES, ids=lambda v: str(v)[:12])
def test_the_menu_on_a_phone(page, shared_demo, login, axe, email, group, workspace):
    if email:
        login(page, email)
    page.set_viewport_size(PHONE)
    for name, heading in workspace.items():
        page.goto("/charter/")
        assert header_height(page) < 120
        nav = page.get_by_role("navigation", name="Main")
        expect(nav).to_be_hidden()
        button = page.locator("header").get_by_role("button", name="Menu")
        expect(button).to_have_attribute("aria-expanded", "false")
        button.click()
        expect(button).to_have_attribute("aria-expanded", "true")
        expect(nav).to_be_visible()
        # The page shown is in the Network group: it is open with the menu.
        expect(nav.locator("details[data-group=network]")).to_have_attribute("open", "")
        open_group(page, group)
        link = nav.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        axe(page)
        link.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    # Escape closes the open group, then the menu.
    page.locator("header").get_by_role("button", name="Menu").click()
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()


@pytest.mark.parametrize(("email", "group", "workspace"), ROLES, ids=lambda v: str(v)[:12])
def test_the_menu_on_a_desktop(page, shared_demo, login, axe, email, group, workspace):
    if email:
        login(page, email)
    page.set_viewport_size(DESKTOP)
    page.goto("/charter/")
    assert header_height(page) < 140  # two compact lines
    expect(page.locator("header").get_by_role("button", name="Menu")).to_be_hidden()
    nav = page.get_by_role("navigation", name="Main")
    # The group of the page shown is marked; the page itself is the current link.
    expect(nav.locator("summary.sc-nav__top--current")).to_have_text("Network")
    expect(nav.locator("summary.sc-nav__top--current")).to_have_css(
        "text-decoration-line", "underline"
    )
    open_group(page, "Network")
    expect(nav.get_by_role("link", name="Charter", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    # Opening another group closes the first.
    open_group(page, group)
    if group != "Network":
        expect(nav.locator("details[data-group=network]")).not_to_have_attribute("open", "")
    name, heading = next(iter(workspace.items()))
    expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    axe(page)
    # Escape closes it and gives the focus back to its summary; so does a click elsewhere.
    page.keyboard.press("Escape")
    expect(nav.locator("details[open]")).to_have_count(0)
    expect(nav.locator("summary", has_text=group)).to_be_focused()
    page.keyboard.press("Enter")
    expect(nav.locator("details[open]")).to_have_count(1)
    page.locator("footer").click(position={"x": 5, "y": 5})
    expect(nav.locator("details[open]")).to_have_count(0)
    open_group(page, group)
    nav.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    axe(page)
    # A group of one link is that link, marked when it is the page shown.
    page.goto("/events/")
    events = nav.get_by_role("link", name="Events", exact=True)
    expect(events).to_have_attribute("aria-current", "page")
    expect(events).to_have_css("text-decoration-line", "underline")
    expect(nav.get_by_role("link", name="Knowledge bank", exact=True)).to_have_css(
        "text-decoration-line", "none"
    )


def test_switching_language_is_one_click(page, shared_demo, login, axe):
    login(page, "coordinator@example.org")
    page.goto("/events/")
    switch = page.locator("header details.sc-language")
    switch.locator("summary").click()
    axe(page)
    switch.get_by_role("button", name="Svenska").click()  # the one click
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page).to_have_url(re.compile(r"/events/$"))
    expect(switch.locator("summary")).to_have_text(re.compile(r": Svenska$"))
    # and back, on a phone, through the menu
    page.set_viewport_size(PHONE)
    page.locator(".sc-menu-button").click()
    switch.locator("summary").click()
    switch.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert header_height(page) < 120


def test_the_menu_works_without_script(browser, site, shared_demo):
    context = browser.new_context(
        base_url=site.url, java_script_enabled=False, viewport=PHONE, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto("/charter/")
        expect(page.locator("header .sc-menu-button")).to_be_hidden()
        nav = page.get_by_role("navigation", name="Main")
        expect(nav).to_be_visible()  # without script the menu is simply open
        open_group(page, "Plans and indicators")
        nav.get_by_role("link", name="Indicators", exact=True).click()
        expect(page).to_have_url(re.compile(r"/indicators/$"))
        page.locator("header details.sc-language summary").click()
        page.locator("header details.sc-language").get_by_role("button", name="Suomi").click()
        expect(page.locator("html")).to_have_attribute("lang", "fi")
    finally:
        context.close()


def test_the_start_page_cards_keep_apart(page, shared_demo, login):
    login(page, "coordinator@example.org")
    page.goto("/start/")
    cards = page.locator("main section.ds-card")
    assert cards.count() >= 2
    boxes = [cards.nth(i).bounding_box() for i in range(cards.count())]
    for above, below in zip(boxes, boxes[1:], strict=False):
        assert below["y"] - (above["y"] + above["height"]) >= 16
