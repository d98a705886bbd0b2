"""The OpenAPI document is tested against the API's answers with schemathesis: every operation
the document describes is called on the live test server, with the demo network loaded, by a
visitor and by a coordinator with a personal API token (docs/api.md). No call may answer with a
server error, and every answer the document describes must conform to it.

The run is bounded: a few examples per operation (`MAX_EXAMPLES`), stateless, with a fixed seed
and no example database, so it takes the same cases every time and a couple of minutes at
most. The test runs on a transactional database (the server thread sees only committed rows),
so what the calls write is emptied after it, as after the browser tests.
"""

import pytest
import schemathesis
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.config import SchemathesisConfig

from safecities.core.services import create_api_token

MAX_EXAMPLES = 3
SEED = 20261206

CONFIG = {
    "seed": SEED,
    "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "mode": "all"},
    "phases": {
        "examples": {"enabled": True},
        "coverage": {"enabled": False},
        "fuzzing": {"enabled": True},
        "stateful": {"enabled": False},
    },
}


@pytest.fixture
def api_schema(live_server, transactional_db, demo):
    config = SchemathesisConfig.from_dict(CONFIG)
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json", config=config)


@pytest.fixture
def coordinator_token(demo) -> str:
    return create_api_token(actor=demo.users["coordinator"], name="conformance")[1]


schema = schemathesis.pytest.from_fixture("api_schema")
CHECKS = [not_a_server_error, response_schema_conformance]


@schema.parametrize()
def test_a_visitor_gets_no_server_error_and_answers_as_documented(case, live_server):
    case.call_and_validate(base_url=live_server.url, checks=CHECKS)


@schema.parametrize()
def test_a_token_holder_gets_no_server_error_and_answers_as_documented(
    case, live_server, coordinator_token
):
    case.call_and_validate(
        base_url=live_server.url,
        headers={"Authorization": f"Bearer {coordinator_token}"},
        checks=CHECKS,
    )
