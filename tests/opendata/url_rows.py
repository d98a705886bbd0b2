"""Open data in the permission walk (see tests/test_url_permissions.py): the page, the ZIP,
datapackage.json and every file are public, for every role alike.

Columns, in the order of `tests.conftest.ROLES`: anonymous, member, coordinator,
organisation_contact, reviewer, funder_officer, secretariat.
"""

EVERYONE = (200, 200, 200, 200, 200, 200, 200)

ROWS: dict = {
    "opendata:index": EVERYONE,
    "opendata:zip": EVERYONE,
    "opendata:datapackage": EVERYONE,
    "opendata:download": EVERYONE,
}

SAMPLE_KWARGS = {
    "opendata:download": lambda w: {"dataset": "members", "filename": "members.csv"},
}
