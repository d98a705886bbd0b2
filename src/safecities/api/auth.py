"""Personal API tokens: `Authorization: Bearer sc_…`."""

from ninja.security import HttpBearer

from safecities.core.services import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        return user
