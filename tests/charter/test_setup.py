"""The secretariat's set-up of the charter: goals with their translations and charter versions,
through the services and the pages."""

from datetime import date

import pytest
from django.urls import reverse

from safecities.charter import services
from safecities.charter.models import CharterVersion, Goal
from safecities.core.errors import DomainError, NotAllowed
from safecities.core.models import AuditEvent
from tests.utils import unchanged


def test_the_secretariat_creates_a_goal_in_several_languages(secretariat):
    goal = services.save_goal(
        actor=secretariat,
        code="include",
        position=7,
        name={"en": "Include", "nb": "Inkludere", "sv": " ", "xx": "ignored"},
        description={"en": "Everyone belongs."},
    )
    assert goal.name == {"en": "Include", "nb": "Inkludere"}
    assert goal.name_languages == "en, nb"
    event = AuditEvent.objects.filter(action="charter.goal.create").latest("id")
    assert event.changes["code"] == [None, "include"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": ""}, "code"),
        ({"position": 0}, "position"),
        ({"name": {"nb": "Bare norsk"}}, "name_en"),
    ],
)
def test_bad_goals_are_refused_naming_the_field(secretariat, changes, field):
    kwargs = {"code": "include", "position": 7, "name": {"en": "Include"}} | changes
    with unchanged(), pytest.raises(DomainError) as exc:
        services.save_goal(actor=secretariat, **kwargs)
    assert exc.value.field == field


def test_a_goal_code_is_used_once(secretariat):
    taken = Goal.objects.order_by("position").first()
    with unchanged(), pytest.raises(DomainError) as exc:
        services.save_goal(actor=secretariat, code=taken.code, position=9, name={"en": "Twice"})
    assert exc.value.field == "code"


def test_a_new_version_holds_its_goals_and_is_the_one_new_members_endorse(secretariat):
    goals = list(Goal.objects.order_by("position")[:3])
    version = services.save_charter_version(
        actor=secretariat, version="2030", adopted_on=date(2030, 1, 1), goals=goals
    )
    assert list(version.goals.order_by("position")) == goals
    assert services.current_version() == version
    services.save_charter_version(
        actor=secretariat,
        charter_version=version,
        version="2030",
        adopted_on=date(2030, 1, 1),
        goals=goals[:2],
    )
    event = AuditEvent.objects.filter(action="charter.version.update").latest("id")
    assert set(event.changes) == {"goals"}


def test_a_version_without_goals_is_refused(secretariat):
    with unchanged(), pytest.raises(DomainError) as exc:
        services.save_charter_version(
            actor=secretariat, version="2030", adopted_on=date(2030, 1, 1), goals=[]
        )
    assert exc.value.field == "goals"


@pytest.mark.parametrize("role", ["member", "coordinator", "funder_officer"])
def test_only_the_secretariat_sets_up_the_charter(demo, role):
    with unchanged(), pytest.raises(NotAllowed):
        services.save_goal(actor=demo.users[role], code="x", position=9, name={"en": "X"})


# --- the pages ---------------------------------------------------------------------------------


def test_goals_and_versions_are_created_and_edited_on_their_pages(secretariat_client):
    response = secretariat_client.post(
        reverse("charter:goal-create"),
        {"code": "include", "position": "7", "name_en": "Include", "name_fi": "Osallistaa"},
    )
    assert response.status_code == 302
    goal = Goal.objects.get(code="include")
    assert goal.name == {"en": "Include", "fi": "Osallistaa"}
    page = secretariat_client.get(reverse("charter:setup")).content.decode()
    assert reverse("charter:goal-edit", args=[goal.pk]) in page

    edit = reverse("charter:goal-edit", args=[goal.pk])
    assert secretariat_client.get(edit).context["form"].initial["name_fi"] == "Osallistaa"
    secretariat_client.post(edit, {"code": "include", "position": "7", "name_en": "Belong"})
    goal.refresh_from_db()
    assert goal.name == {"en": "Belong"}

    response = secretariat_client.post(
        reverse("charter:version-create"),
        {"version": "2030", "adopted_on": "2030-01-01", "goals": [goal.pk]},
    )
    assert response.status_code == 302
    version = CharterVersion.objects.get(version="2030")
    assert list(version.goals.all()) == [goal]


def test_a_version_with_no_goal_shows_the_error_on_the_goals_field(secretariat_client):
    with unchanged():
        response = secretariat_client.post(
            reverse("charter:version-create"), {"version": "2030", "adopted_on": "2030-01-01"}
        )
    assert response.status_code == 200
    assert response.context["form"].errors["goals"]
    assert 'id="id_goals_error"' in response.content.decode()


def test_the_charter_setup_page_is_the_secretariats(demo, client_for):
    client = client_for(demo.users["coordinator"])
    assert client.get(reverse("charter:setup")).status_code == 403
    with unchanged():
        response = client.post(
            reverse("charter:goal-create"), {"code": "x", "position": "9", "name_en": "X"}
        )
    assert response.status_code == 403
