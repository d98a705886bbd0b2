"""One corpus, many queries, the exact answers written out: the folder runs on SQLite and on
PostgreSQL (DATABASE_URL), so passing on both means both engines give these same results."""

import datetime

import pytest

from safecities.search import api as search

pytestmark = pytest.mark.django_db

CORPUS = [
    # object_id, language, title, body, goal, date
    (1, "nb", "Oslo snakker", "Debatter om hat, tillit og ytringsfrihet.", "G1", (2025, 3, 1)),
    (1, "sv", "Oslo pratar", "Debatter om hat, tillit och yttrandefrihet.", "G1", (2025, 3, 1)),
    (
        2,
        "sv",
        "Förebyggande av våldsbejakande extremism",
        "Kommunen samordnar.",
        "G2",
        (2024, 1, 1),
    ),
    (3, "da", "Forebyggelse i skolerne", "Lærere og forældre taler om vold.", "G2", (2023, 5, 1)),
    (4, "nb", "Trygge nabolag", "Forebygging i nabolaget med middager.", "G3", (2022, 9, 1)),
    (5, "en", "Safer nightlife", "Preventing violence in the night-time economy.", "G3", None),
    (6, "fi", "Nuorten ääni", "Nuoret ja väkivallan ehkäisy kouluissa.", "G4", (2021, 2, 1)),
    (7, "is", "Öruggar borgir", "Samtal um hatursorðræðu í skólum.", "G4", (2020, 4, 1)),
]

EXPECTED = {
    # query: (hits in order as (object_id, language), {goal: count})
    "förebyggande": ([(2, "sv"), (3, "da"), (4, "nb")], {"G2": 2, "G3": 1}),
    "forebygging": ([(2, "sv"), (3, "da"), (4, "nb")], {"G2": 2, "G3": 1}),
    "vold": ([(3, "da")], {"G2": 1}),  # compounds are not split: not "våldsbejakande"
    "våld": ([(2, "sv"), (3, "da")], {"G2": 2}),  # the word being typed: prefix "vald…"
    "tillid": ([(1, "sv")], {"G1": 1}),
    "oslo": ([(1, "sv")], {"G1": 1}),
    "snakker": ([(1, "nb")], {"G1": 1}),
    "preventing violence": ([(5, "en")], {"G3": 1}),
    "nuorten": ([(6, "fi")], {"G4": 1}),
    "oruggar": ([(7, "is")], {"G4": 1}),
    "skolor": ([(3, "da")], {"G2": 1}),
    "og i": ([], {}),
}


@pytest.fixture
def corpus(add):
    for object_id, language, title, body, goal, date in CORPUS:
        add(
            object_id,
            language,
            title,
            body,
            facets={"goal": [goal]},
            date=datetime.date(*date) if date else None,
        )


@pytest.mark.parametrize("query", list(EXPECTED))
def test_both_engines_give_these_results(corpus, query):
    result = search.search(query, user_is_member=False, language="sv", sort="relevance")
    hits, goals = EXPECTED[query]
    assert [(h.object_id, h.language) for h in result.hits] == hits
    assert dict(result.facets.get("goal", [])) == goals
    assert result.total == len(hits)


def test_date_order_is_the_same_on_both_engines(corpus):
    result = search.search("", user_is_member=False, sort="date", language="nb")
    assert [h.object_id for h in result.hits] == [1, 2, 3, 4, 6, 7, 5]
