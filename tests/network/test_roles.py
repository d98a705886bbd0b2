"""The secretariat gives and takes back roles; scopes are required where a role needs one."""

import pytest
from django.urls import reverse

from safecities.core.errors import NotAllowed
from safecities.network import services
from safecities.network.models import Role, RoleAssignment
from safecities.network.permissions import is_secretariat
from tests.utils import unchanged


def test_secretariat_gives_a_coordinator_role_on_the_page(secretariat_client, demo):
    response = secretariat_client.post(
        reverse("network:roles"),
        {"email": "reviewer@example.org", "role": "coordinator", "municipality": demo.drammen.pk},
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(
        user=demo.users["reviewer"], role=Role.COORDINATOR, municipality=demo.drammen
    ).exists()
    page = secretariat_client.get(reverse("network:roles"), {"q": "Jens"})
    assert "Drammen" in page.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "reviewer@example.org", "role": "coordinator"}, "municipality"),
        ({"email": "reviewer@example.org", "role": "organisation_contact"}, "organisation"),
        ({"email": "nobody@example.org", "role": "reviewer"}, "email"),
    ],
)
def test_bad_role_input_names_the_field(secretariat_client, demo, data, field):
    with unchanged():
        response = secretariat_client.post(reverse("network:roles"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]


def test_taking_back_a_role_asks_first_then_removes_it(secretariat_client, demo):
    assignment = RoleAssignment.objects.get(user=demo.users["reviewer"], role=Role.REVIEWER)
    url = reverse("network:role-revoke", args=[assignment.pk])
    assert "Take back the role" in secretariat_client.get(url).content.decode()
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    secretariat_client.post(url)
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_the_last_secretariat_role_cannot_be_taken_back(secretariat):
    assignment = RoleAssignment.objects.get(role=Role.SECRETARIAT)
    with unchanged(), pytest.raises(services.InvalidInput):
        services.revoke_role(actor=secretariat, assignment=assignment)
    assert is_secretariat(secretariat)


def test_only_the_secretariat_assigns_roles(coordinator, demo):
    with unchanged(), pytest.raises(NotAllowed):
        services.assign_role(actor=coordinator, user=coordinator, role=Role.SECRETARIAT)
