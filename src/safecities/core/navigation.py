"""The header's menu: groups of links, each link shown to those its permission rule lets in.

The groups and their links are declared here, in one place, by URL name and by the name of
the permission rule (each app's `permissions.py`, asked through `core.permissions.has_perm`)
that decides who sees the link: `core` imports no app above it. A link without a rule is for
everyone; `SIGNED_IN` is for anyone logged in; `unless` hides a link from those another rule
lets in (the secretariat finds membership applications under Administration instead).
A group with no link left for the person is not shown; a group with a single link for the person is
shown as that link, under the group's title. `base.html` renders what `menu_for` returns (the context processor
`core.context_processors.navigation`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import has_perm

if TYPE_CHECKING:
    from django.utils.functional import Promise

SIGNED_IN = "signed-in"


@dataclass(frozen=True)
class Link:
    title: str | Promise
    url_name: str
    rule: str = ""
    unless: str = ""


@dataclass(frozen=True)
class Group:
    key: str
    title: str | Promise
    links: tuple[Link, ...]


GROUPS: tuple[Group, ...] = (
    Group(
        "network",
        _("Network"),
        (
            Link(_("Members"), "network:directory"),
            Link(_("People"), "network:people"),
            Link(_("Programmes"), "network:programmes"),
            Link(_("Charter"), "charter:charter"),
            Link(_("Become a member"), "network:apply"),
            Link(
                _("Membership applications"),
                "network:applications",
                rule=SIGNED_IN,
                unless="network.secretariat",
            ),
        ),
    ),
    Group(
        "grants",
        _("Grants"),
        (
            Link(_("Programmes and calls"), "grants:programmes"),
            Link(_("My grant applications"), "grants:my-applications", rule="grants.apply"),
            Link(_("My reviews"), "grants:my-reviews", rule="grants.review"),
            Link(_("Decision packs"), "grants:decision-packs", rule="grants.decide"),
        ),
    ),
    Group(
        "plans",
        _("Plans and indicators"),
        (
            Link(_("Action plans"), "plans:list"),
            Link(_("Indicators"), "indicators:list"),
            Link(_("Reports"), "reports:index"),
        ),
    ),
    Group("knowledge", _("Knowledge bank"), (Link(_("Practices"), "practices:list"),)),
    Group("events", _("Events"), (Link(_("Events"), "events:list"),)),
    Group(
        "administration",
        _("Administration"),
        (
            Link(_("Set-up"), "network:setup", rule="network.secretariat"),
            Link(_("Membership applications"), "network:applications", rule="network.secretariat"),
            Link(_("Vocabularies"), "charter:vocabularies", rule="network.secretariat"),
            Link(_("Roles"), "network:roles", rule="network.secretariat"),
            Link(_("Audit trail"), "core:audit", rule="core.view_audit"),
            Link(_("Mail owed"), "core:mail", rule="core.manage_mail"),
        ),
    ),
)


@dataclass(frozen=True)
class ShownLink:
    title: str | Promise
    url: str
    current: bool


@dataclass(frozen=True)
class ShownGroup:
    key: str
    title: str | Promise
    links: list[ShownLink]
    current: bool  # the page shown is one of the group's or lies under one of its addresses

    @property
    def single(self) -> ShownLink | None:
        return self.links[0] if len(self.links) == 1 else None


def _allowed(user: Any, rule: str) -> bool:
    if not rule:
        return True
    if rule == SIGNED_IN:
        return bool(getattr(user, "is_authenticated", False))
    return has_perm(user, rule)


def shows(user: Any, link: Link) -> bool:
    return _allowed(user, link.rule) and not (link.unless and _allowed(user, link.unless))


def menu_for(user: Any, path: str) -> list[ShownGroup]:
    """The groups `user` sees, with the link to `path` (the page shown) marked current."""
    shown = []
    for group in GROUPS:
        links = []
        for link in group.links:
            if shows(user, link):
                url = reverse(link.url_name)
                links.append(ShownLink(title=link.title, url=url, current=url == path))
        if links:
            under = any(path.startswith(link.url) for link in links if link.url != "/")
            shown.append(ShownGroup(key=group.key, title=group.title, links=links, current=under))
    return shown
