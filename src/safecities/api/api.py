"""The versioned API at /api/v1/, described by OpenAPI at /api/v1/openapi.json."""

from ninja import NinjaAPI

from . import charter, errors, network

api = NinjaAPI(
    title="safecities API",
    version="1.0.0",
    description=(
        "Public reads of the network and its charter, and member actions with a personal API "
        "token (`Authorization: Bearer <token>`, created on your profile page). Lists are "
        'paginated with `?page=`. Errors are JSON: `{"message": …, "field": …}`.'
    ),
    urls_namespace="api-1.0.0",
)
errors.install(api)
api.add_router("/network", network.router)
api.add_router("/charter", charter.router)
api.add_router("/grants", "safecities.api.grants.router")
api.add_router("/grants", "safecities.api.grants_agreements.router")  # /grants/awards/{id}
api.add_router("/grants", "safecities.api.grants_changes.router")  # change requests
api.add_router("/indicators", "safecities.api.indicators.router")
api.add_router("/plans", "safecities.api.plans.router")
api.add_router("/practices", "safecities.api.practices.router")
api.add_router("", "safecities.api.events.router")  # /events, /events/{id}, /events.ics
api.add_router("/me", "safecities.api.me.router")  # /me/personal-data
