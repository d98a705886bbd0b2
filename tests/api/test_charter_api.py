"""The charter in the API: the six goals and the vocabularies, public and paginated."""

from safecities.charter.models import Term


def test_goals_are_public_paginated_and_in_order(demo, client):
    response = client.get("/api/v1/charter/goals")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 6
    assert [g["position"] for g in body["items"]] == [1, 2, 3, 4, 5, 6]
    first = body["items"][0]
    assert first["code"] == "safe-urban-spaces"
    assert first["name"] == "Safe urban spaces"
    assert first["names"]["nb"] == "Trygge byrom"
    assert first["description"] == first["descriptions"]["en"]


def test_goals_follow_the_readers_language(demo, client):
    body = client.get("/api/v1/charter/goals", headers={"Accept-Language": "fi"}).json()
    assert body["items"][0]["name"] == "Turvalliset kaupunkitilat"


def test_terms_are_the_active_ones_of_a_vocabulary(demo, client):
    retired = Term.objects.filter(vocabulary="arena").first()
    retired.active = False
    retired.save(update_fields=["active"])
    body = client.get("/api/v1/charter/terms?vocabulary=arena").json()
    codes = [t["code"] for t in body["items"]]
    assert body["count"] == Term.objects.filter(vocabulary="arena", active=True).count()
    assert retired.code not in codes
    assert {t["vocabulary"] for t in body["items"]} == {"arena"}
    everything = client.get("/api/v1/charter/terms").json()
    assert everything["count"] == Term.objects.filter(active=True).count()
