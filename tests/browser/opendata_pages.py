"""The open-data page for the axe-core sweep (tests/browser/test_every_page.py). Its files are
downloads, not pages: only /open-data/ is swept, as a visitor sees it."""

from django.urls import reverse

PAGES = {
    "anonymous": [lambda: reverse("opendata:index")],
}
