"""Personal API tokens: shown once, stored as a hash, revocable."""

import pytest

from safecities.core import services
from safecities.core.errors import DomainError, NotAllowed
from safecities.core.models import ApiToken, AuditEvent
from tests.core.factories import UserFactory
from tests.utils import unchanged


def test_a_token_is_returned_once_and_stored_as_a_hash(db):
    user = UserFactory()
    token, raw = services.create_api_token(actor=user, name="  Nightly import ")
    assert raw.startswith("sc_")
    assert len(raw) > 40
    token.refresh_from_db()
    assert token.name == "Nightly import"
    assert token.prefix == raw[:10]
    assert token.digest == ApiToken.digest_of(raw)
    stored = {str(v) for v in ApiToken.objects.values().get(pk=token.pk).values()}
    assert raw not in stored
    event = AuditEvent.objects.get(action="core.token.create")
    assert raw not in str(event.changes)


def test_a_token_finds_its_user_and_marks_its_use(db):
    user = UserFactory()
    token, raw = services.create_api_token(actor=user, name="Script")
    assert token.last_used_at is None
    assert services.user_for_token(raw) == user
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("raw", ["", "sc_", "sc_not-a-token", "Bearer sc_x", "abc"])
def test_an_unknown_token_finds_nobody(db, raw):
    services.create_api_token(actor=UserFactory(), name="Script")
    assert services.user_for_token(raw) is None


def test_a_revoked_token_stops_working(db):
    user = UserFactory()
    token, raw = services.create_api_token(actor=user, name="Script")
    services.revoke_api_token(actor=user, token=token)
    assert services.user_for_token(raw) is None
    token.refresh_from_db()
    assert token.active is False
    # revoking again changes nothing
    with unchanged():
        services.revoke_api_token(actor=user, token=token)


def test_a_deactivated_users_token_stops_working(db):
    user = UserFactory()
    _token, raw = services.create_api_token(actor=user, name="Script")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert services.user_for_token(raw) is None


def test_nobody_revokes_another_users_token(db):
    owner, other = UserFactory(), UserFactory()
    token, raw = services.create_api_token(actor=owner, name="Script")
    with unchanged(), pytest.raises(NotAllowed):
        services.revoke_api_token(actor=other, token=token)
    assert services.user_for_token(raw) == owner


def test_a_token_needs_a_name(db):
    user = UserFactory()
    with unchanged(), pytest.raises(DomainError) as exc:
        services.create_api_token(actor=user, name="  ")
    assert exc.value.field == "name"


def test_at_most_ten_active_tokens(db):
    user = UserFactory()
    tokens = [services.create_api_token(actor=user, name=f"t{i}")[0] for i in range(10)]
    with unchanged(), pytest.raises(services.TooManyTokens) as exc:
        services.create_api_token(actor=user, name="one too many")
    assert exc.value.field == "name"
    services.revoke_api_token(actor=user, token=tokens[0])
    assert services.create_api_token(actor=user, name="now there is room")


# --- the tokens page -----------------------------------------------------------------------


def test_the_tokens_page_shows_a_new_token_once(db, client_for):
    user = UserFactory()
    c = client_for(user)
    response = c.post("/accounts/tokens/", {"name": "Nightly import"})
    assert response.status_code == 200
    raw = response.context["raw"]
    assert services.user_for_token(raw) == user
    assert f'id="new-token">{raw}<' in response.content.decode()
    again = c.get("/accounts/tokens/")
    assert raw not in again.content.decode()
    assert "Nightly import" in again.content.decode()


def test_the_tokens_page_refuses_a_nameless_token(db, client_for):
    c = client_for(UserFactory())
    with unchanged():
        response = c.post("/accounts/tokens/", {"name": ""})
    assert "name" in response.context["form"].errors


def test_revoking_on_the_page(db, client_for):
    user = UserFactory()
    token, raw = services.create_api_token(actor=user, name="Script")
    c = client_for(user)
    assert c.get(f"/accounts/tokens/{token.pk}/revoke/").status_code == 405
    response = c.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert services.user_for_token(raw) is None


def test_another_users_token_is_not_found_on_the_page(db, client_for):
    token, raw = services.create_api_token(actor=UserFactory(), name="Script")
    c = client_for(UserFactory())
    with unchanged():
        response = c.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    assert services.user_for_token(raw) is not None


def test_the_tokens_page_needs_a_login(db, client):
    response = client.get("/accounts/tokens/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
