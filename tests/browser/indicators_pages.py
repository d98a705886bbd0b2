"""Pages for the axe-core sweep (tests/browser/test_every_page.py): per role, lambdas returning
paths of GET pages that role can open."""

PAGES: dict = {}
