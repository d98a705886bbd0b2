from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "safecities.plans"
    label = "plans"
    verbose_name = _("Action plans")

    def ready(self):
        from . import permissions, personal_data

        assert permissions  # imported to register the rules

        personal_data.register_section()

        from safecities.indicators.panels import register_panel

        register_panel("plans.effect", _effect_link)

        from . import workspace

        workspace.register()  # its panel on the start page (core.workspace)


def _effect_link(municipality):
    """On a city's indicator dashboard: what its adopted action plan changes, when it has one."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from safecities.indicators.panels import PanelLink

    from .selectors import adopted_plan

    plan = adopted_plan(municipality)
    if plan is None:
        return None
    return PanelLink(
        label=gettext("What the city's action plan changes"),
        url=reverse("plans:effect", args=[plan.pk]),
        id="plan-effect",
    )
