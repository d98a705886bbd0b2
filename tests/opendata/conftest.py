"""A real (not illustrative) awarded grant, made through the grant services, for the 360Giving
files: the demo network's grants are illustrative and left out of open data."""

import pytest

from tests.grants.factories import make_open_call, make_programme, nok
from tests.grants.test_giving360 import awarded


@pytest.fixture
def award(demo, coordinator, funder_officer, reviewer):
    programme = make_programme(actor=funder_officer, funder=demo.funder)
    call = make_open_call(actor=funder_officer, programme=programme)
    return awarded(
        applicant=coordinator,
        officer=funder_officer,
        reviewer=reviewer,
        call=call,
        amount=nok("120000.50"),
        title="Oslo snakker — open data edition",
        lead_municipality=demo.oslo,
    )


@pytest.fixture(autouse=True)
def _demo_network(demo):
    """Every test here reads the demo network as loaded."""
