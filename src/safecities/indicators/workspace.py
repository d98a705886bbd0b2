"""The indicators panel of the start page (core.workspace), registered in
`IndicatorsConfig.ready`."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safecities.core.models import User
from safecities.core.workspace import Item, register_panel

from . import selectors


def import_items(user: User) -> list[Item]:
    """The user's imports that wait: drafts to commit, failed ones to look at."""
    return [
        Item(
            text=_("Import of %(indicator)s (%(file)s)")
            % {
                "indicator": import_.indicator,
                "file": import_.filename or import_.get_format_display(),
            },
            url=reverse("indicators:import-detail", args=[import_.pk]),
            note=_("failed") if import_.has_failed else _("not committed yet"),
            urgent=import_.has_failed,
        )
        for import_ in selectors.imports_waiting(user)
    ]


def register() -> None:
    register_panel(
        "indicators.imports",
        title=gettext_lazy("Imports waiting"),
        order=27,
        items=import_items,
        more="indicators:imports",
    )
