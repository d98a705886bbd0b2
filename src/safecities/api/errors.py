"""Every API error is JSON: {"message": "...", "field": "..." , "errors": [...]}."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from safecities.core.errors import DomainError


def _field_of(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "file", "payload")]
    return ".".join(parts) or "body"


def install(api) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request, exc: NinjaValidationError):
        errors = [
            {"field": _field_of(e.get("loc", [])), "message": e.get("msg", "")} for e in exc.errors
        ]
        first = errors[0] if errors else {"field": None, "message": _("Invalid input.")}
        return api.create_response(
            request,
            {
                "message": f"{first['field']}: {first['message']}",
                "field": first["field"],
                "errors": errors,
            },
            status=422,
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(
            request,
            {
                "message": _("Send a valid personal API token: Authorization: Bearer <token>."),
                "field": None,
            },
            status=401,
        )

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return api.create_response(
            request, {"message": _("You may not do this."), "field": None}, status=403
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"message": _("Not found."), "field": None}, status=404)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return api.create_response(
            request, {"message": str(exc), "field": None}, status=exc.status_code
        )
