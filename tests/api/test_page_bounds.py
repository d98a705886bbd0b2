"""A huge page number on a paginated API list is refused naming `page`, never a server error
(found by the OpenAPI conformance run)."""

import pytest

from tests.api.test_openapi_names import api

HUGE = "9223372036854775807"


def paginated_public_lists() -> list[str]:
    """The GET paths without path parameters whose operation takes `page`."""
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    found = []
    for path, operations in document["paths"].items():
        get = operations.get("get")
        if "{" in path or get is None or get.get("security"):
            continue
        if any(p["name"] == "page" for p in get.get("parameters", [])):
            found.append(path)
    return sorted(found)


PATHS = paginated_public_lists()


def test_there_are_paginated_lists():
    assert len(PATHS) >= 5


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS)
def test_a_huge_page_number_is_refused_naming_the_page(client, path):
    response = client.get(path, {"page": HUGE})
    assert response.status_code == 422, response.content[:300]
    assert "page" in response.content.decode()
    assert client.get(path, {"page": "1000000"}).status_code == 200
