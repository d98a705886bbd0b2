"""The indicator pages and dashboards for the axe-core sweep (tests/browser/test_every_page.py):
per role, lambdas returning paths of GET pages that role can open, on the demo's indicators and
cities (Oslo is the coordinator's city, with an adopted plan; Skien has a count under 5)."""

from django.urls import reverse

_PUBLIC = [
    lambda: reverse("indicators:list"),
    lambda: reverse("indicators:list") + "?kind=outcome&sort=name&q=hate",
    lambda: reverse("indicators:list") + "?q=no-such-indicator",
    lambda: reverse("indicators:detail", args=["hate-crime-rate"]),
    lambda: (
        reverse("indicators:detail", args=["dialogue-meetings"])
        + "?cities=skien&cities=oslo&first=2019&last=2022&period=2019"
    ),
    lambda: reverse("indicators:city", args=["oslo"]),
    lambda: reverse("indicators:city", args=["skien"]),
    lambda: reverse("indicators:network"),
]
_CITY_FORMS = [
    lambda: reverse("indicators:city", args=["oslo"]),
    lambda: reverse("indicators:city-observation", args=["oslo"]) + "?indicator=safe-at-night",
    lambda: reverse("indicators:city-baseline", args=["oslo"]),
    lambda: reverse("indicators:city-target", args=["oslo"]) + "?indicator=hate-crime-rate",
]

PAGES: dict = {
    "anonymous": _PUBLIC,
    "member": [lambda: reverse("indicators:city", args=["oslo"])],
    "coordinator": _CITY_FORMS,
    "secretariat": [
        lambda: reverse("indicators:list"),
        lambda: reverse("indicators:create"),
        lambda: reverse("indicators:edit", args=["hate-crime-rate"]),
        lambda: reverse("indicators:detail", args=["hate-crime-rate"]),
        *_CITY_FORMS[1:],
    ],
}
