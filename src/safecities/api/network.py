"""The network in the API: countries, municipalities, organisations, memberships, applications."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from safecities.core.i18n import translated
from safecities.core.permissions import has_perm
from safecities.core.text import LongText, SingleLine
from safecities.network import selectors, services
from safecities.network.models import (
    Country,
    Membership,
    MembershipApplication,
    Municipality,
    Organisation,
)

from .auth import TokenAuth
from .paging import Pagination

router = Router(tags=["network"])


class CountryOut(Schema):
    code: str
    name: str
    names: dict

    @staticmethod
    def resolve_name(obj: Country) -> str:
        return obj.display_name

    @staticmethod
    def resolve_names(obj: Country) -> dict:
        return obj.name


class MunicipalityOut(Schema):
    id: int
    slug: str
    name: str
    country: str
    code: str
    region: str
    population: int | None

    @staticmethod
    def resolve_country(obj: Municipality) -> str:
        return obj.country.code


class OrganisationOut(Schema):
    id: int
    slug: str
    name: str
    type: str
    country: str
    org_id: str
    website: str
    illustrative: bool

    @staticmethod
    def resolve_country(obj: Organisation) -> str:
        return obj.country.code


class MembershipOut(Schema):
    id: int
    kind: str
    status: str
    member: str
    country: str
    municipality_id: int | None
    organisation_id: int | None
    started_on: date
    ended_on: date | None

    @staticmethod
    def resolve_member(obj: Membership) -> str:
        return str(obj.member)

    @staticmethod
    def resolve_country(obj: Membership) -> str:
        return getattr(obj, "country_code", "") or ""


class NationalProgrammeOut(Schema):
    id: int
    slug: str
    name: str
    local_name: str
    country: str
    funder: str
    starts_on: date
    ends_on: date | None
    description: str

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.country.code

    @staticmethod
    def resolve_funder(obj) -> str:
        return obj.funder.name

    @staticmethod
    def resolve_description(obj) -> str:
        return translated(obj.description)


@router.get("/countries", response=list[CountryOut])
@paginate(Pagination, page_size=50)
def countries(request):
    return selectors.countries()


@router.get("/municipalities", response=list[MunicipalityOut])
@paginate(Pagination, page_size=50)
def municipalities(request, country: str | None = None, q: str | None = None):
    return selectors.municipalities(country=country or "", q=q or "")


@router.get("/municipalities/{slug}", response=MunicipalityOut)
def municipality(request, slug: str):
    return get_object_or_404(Municipality.objects.select_related("country"), slug=slug)


@router.get("/organisations", response=list[OrganisationOut])
@paginate(Pagination, page_size=50)
def organisations(
    request, country: str | None = None, type: str | None = None, q: str | None = None
):
    return selectors.organisations(country=country or "", type=type or "", q=q or "")


@router.get("/memberships", response=list[MembershipOut])
@paginate(Pagination, page_size=50)
def memberships(request, kind: str | None = None, country: str | None = None, q: str | None = None):
    """Active members: cities, organisations, and individuals who agreed to be listed."""
    return selectors.member_directory(kind=kind or "", country=country or "", q=q or "")


@router.get("/programmes", response=list[NationalProgrammeOut])
@paginate(Pagination, page_size=50)
def programmes(request):
    return selectors.programmes()


class MembershipApplicationOut(Schema):
    id: int
    kind: str
    status: str
    applicant: str
    municipality_id: int | None
    organisation_id: int | None
    case_number: str
    decision_date: date | None
    has_decision_document: bool
    contact_name: str
    contact_email: str
    motivation: str
    submitted_at: datetime
    decided_at: datetime | None
    decision_reason: str

    @staticmethod
    def resolve_applicant(obj: MembershipApplication) -> str:
        return str(obj.applicant)

    @staticmethod
    def resolve_has_decision_document(obj: MembershipApplication) -> bool:
        return bool(obj.decision_document)


class CityApplicationIn(Schema):
    municipality: str
    case_number: SingleLine
    decision_date: date
    contact_name: SingleLine
    contact_email: SingleLine
    contact_phone: SingleLine = ""
    motivation: LongText


@router.get("/membership-applications", response=list[MembershipApplicationOut], auth=TokenAuth())
@paginate(Pagination, page_size=50)
def applications(request, status: str | None = None):
    """The applications the token's owner may see: their cities', organisations' and own."""
    return selectors.applications_visible_to(request.auth, status=status or "")


@router.get(
    "/membership-applications/{int:pk}", response=MembershipApplicationOut, auth=TokenAuth()
)
def application(request, pk: int):
    try:
        obj = selectors.application_detail(pk)
    except MembershipApplication.DoesNotExist:
        from django.http import Http404

        raise Http404 from None
    if not has_perm(request.auth, "network.view_application", obj):
        raise PermissionDenied
    return obj


@router.post(
    "/membership-applications/city", response={201: MembershipApplicationOut}, auth=TokenAuth()
)
def submit_city_application(
    request, data: Form[CityApplicationIn], decision_document: File[UploadedFile]
):
    """A coordinator applies for their city with the council decision as a PDF (multipart).

    `municipality` is the city's slug or its official code (e.g. `0180` for Stockholm).
    """
    municipality = selectors.municipality_by_slug_or_code(data.municipality)
    if municipality is None:
        raise services.InvalidInput(
            _("No city has the slug or code %(value)s.") % {"value": data.municipality},
            field="municipality",
        )
    application = services.submit_city_application(
        actor=request.auth,
        municipality=municipality,
        decision_document=decision_document,
        **data.dict(exclude={"municipality"}),
    )
    return Status(201, application)
