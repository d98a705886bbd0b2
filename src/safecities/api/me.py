"""The signed-in member's own data: `GET /api/v1/me/personal-data`, the same JSON as the
download on the "Your data" page."""

from ninja import Router

from safecities.core import services

from .auth import TokenAuth

router = Router(tags=["me"])


@router.get("/personal-data", response=dict, auth=TokenAuth(), url_name="me-personal-data")
def personal_data(request):
    """Everything the platform holds about you, per part of the platform."""
    return services.export_personal_data(actor=request.user, user=request.user)
