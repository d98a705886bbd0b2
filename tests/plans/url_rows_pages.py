"""Rows of the permission walk for these pages (see tests/test_url_permissions.py)."""

# fmt: off
ROWS: dict = {
}
# fmt: on

SAMPLE_KWARGS: dict = {}
