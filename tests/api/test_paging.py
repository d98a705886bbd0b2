"""Every paginated list of the API answers a page number too large for the database with a
4xx (or an empty page), never a server error; the pages' lists show their last page."""

import pytest
from django.test import Client

from safecities.core.services import create_api_token

HUGE = ["9223372036854775807", "99999999999999999999", "999999999999"]


def paginated_lists(client) -> list[str]:
    schema = client.get("/api/v1/openapi.json").json()
    found = []
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if get is None or "{" in path:
            continue
        names = {p["name"] for p in get.get("parameters", []) if p.get("in") == "query"}
        if "page" in names:
            found.append(path)
    return found


@pytest.mark.parametrize("page", HUGE)
def test_every_paginated_api_list_refuses_a_huge_page_number(secretariat, page):
    _token, raw = create_api_token(actor=secretariat, name="paging")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    lists = paginated_lists(client)
    assert len(lists) >= 12, lists
    answers = {path: client.get(path, {"page": page}).status_code for path in lists}
    assert all(400 <= status < 500 for status in answers.values()), answers


def test_a_page_past_the_end_is_empty(client, demo):
    response = client.get("/api/v1/network/countries", {"page": "1000"})
    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize(
    "path", ["/members/", "/indicators/", "/indicators/imports/", "/membership/applications/"]
)
def test_the_pages_lists_show_their_last_page_for_a_huge_page_number(secretariat_client, path):
    for page in HUGE:
        response = secretariat_client.get(path, {"page": page})
        assert response.status_code == 200, (path, page, response.status_code)
