"""The secretariat's set-up pages: what a new installation needs before it is a working network.

The hub lists every kind of record the network is set up with (countries and their registers,
national programmes, funders, the charter, the vocabularies, grant programmes), each with a
list, a page to create one and a page to edit it. The writes are the services'."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from safecities.core.paging import paginate
from safecities.core.permissions import permission_required
from safecities.core.refusals import refusals, refused_to

from . import selectors, services
from .models import Country, Municipality, NationalProgramme
from .services.setup import has_register
from .setup_forms import CountryForm, FunderForm, MunicipalityForm, NationalProgrammeForm


@permission_required("network.secretariat")
def setup(request):
    return render(request, "network/setup/index.html", {"counts": selectors.setup_counts()})


# --- countries and their registers -----------------------------------------------------------


@permission_required("network.secretariat")
def countries(request):
    rows = list(selectors.countries_with_city_counts())
    for country in rows:
        country.has_register = has_register(country)
    return render(request, "network/setup/countries.html", {"countries": rows})


def _country_form(request, country: Country | None):
    initial = CountryForm.initial_for(country) if country and request.method != "POST" else None
    form = CountryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            services.save_country(actor=request.user, country=country, **form.service_kwargs())
        if outcome.ok:
            messages.success(request, _("The country is saved."))
            return redirect("network:setup-countries")
    return render(request, "network/setup/country_form.html", {"form": form, "country": country})


@permission_required("network.secretariat")
def country_create(request):
    return _country_form(request, None)


@permission_required("network.secretariat")
def country_edit(request, code: str):
    return _country_form(request, get_object_or_404(Country, code=code.upper()))


@permission_required("network.secretariat")
@refused_to("network:setup-countries")
def country_register(request, code: str):
    """What loading the register does (GET), then (POST) the load."""
    country = get_object_or_404(Country, code=code.upper())
    if request.method == "POST":
        result = services.load_register(actor=request.user, country=country)
        messages.success(
            request,
            _("The register is loaded: %(created)s cities added, %(updated)s brought up to date.")
            % {"created": result.created, "updated": result.updated},
        )
        return redirect("network:setup-countries")
    return render(
        request,
        "network/setup/country_register.html",
        {
            "country": country,
            "has_register": has_register(country),
            "city_count": country.municipalities.count(),
        },
    )


# --- a country's municipalities, added by hand --------------------------------------------


@permission_required("network.secretariat")
def municipalities(request, code: str):
    country = get_object_or_404(Country, code=code.upper())
    page, params = paginate(request, selectors.municipalities_for_setup(country), per_page=50)
    return render(
        request,
        "network/setup/municipalities.html",
        {"country": country, "page": page, "query": params, "has_register": has_register(country)},
    )


def _municipality_form(request, country: Country, municipality: Municipality | None):
    initial = (
        MunicipalityForm.initial_for(municipality)
        if municipality and request.method != "POST"
        else None
    )
    form = MunicipalityForm(request.POST or None, initial=initial, adding=municipality is None)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            if municipality is None:
                saved = services.add_municipality(
                    actor=request.user, country=country, **form.service_kwargs()
                )
            else:
                saved = services.rename_municipality(
                    actor=request.user, municipality=municipality, **form.service_kwargs()
                )
        if outcome.ok:
            messages.success(
                request, _("The municipality %(name)s is saved.") % {"name": saved.name}
            )
            return redirect("network:setup-municipalities", code=country.code)
    return render(
        request,
        "network/setup/municipality_form.html",
        {"form": form, "country": country, "municipality": municipality},
    )


@permission_required("network.secretariat")
def municipality_create(request, code: str):
    return _municipality_form(request, get_object_or_404(Country, code=code.upper()), None)


@permission_required("network.secretariat")
def municipality_edit(request, code: str, slug: str):
    country = get_object_or_404(Country, code=code.upper())
    municipality = get_object_or_404(Municipality, country=country, slug=slug)
    return _municipality_form(request, country, municipality)


# --- national programmes ---------------------------------------------------------------------


@permission_required("network.secretariat")
def programmes(request):
    rows = selectors.programmes_for_setup()
    return render(request, "network/setup/programmes.html", {"programmes": rows})


def _programme_form(request, programme: NationalProgramme | None):
    initial = (
        NationalProgrammeForm.initial_for(programme)
        if programme and request.method != "POST"
        else None
    )
    form = NationalProgrammeForm(request.POST or None, initial=initial, programme=programme)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            saved = services.save_national_programme(
                actor=request.user, programme=programme, **form.service_kwargs()
            )
        if outcome.ok:
            messages.success(request, _("The national programme is saved."))
            return redirect("network:programme", slug=saved.slug)
    return render(
        request, "network/setup/programme_form.html", {"form": form, "programme": programme}
    )


@permission_required("network.secretariat")
def programme_create(request):
    return _programme_form(request, None)


@permission_required("network.secretariat")
def programme_edit(request, slug: str):
    return _programme_form(request, get_object_or_404(NationalProgramme, slug=slug))


# --- funders ---------------------------------------------------------------------------------


@permission_required("network.secretariat")
def funders(request):
    rows = selectors.funders().order_by("name")
    return render(request, "network/setup/funders.html", {"funders": rows})


@permission_required("network.secretariat")
def funder_create(request):
    form = FunderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            services.register_organisation(actor=request.user, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("The funder is saved."))
            return redirect("network:setup-funders")
    return render(request, "network/setup/funder_form.html", {"form": form})


urlpatterns = [
    path("setup/", setup, name="setup"),
    path("setup/countries/", countries, name="setup-countries"),
    path("setup/countries/new/", country_create, name="setup-country-create"),
    path("setup/countries/<str:code>/edit/", country_edit, name="setup-country-edit"),
    path("setup/countries/<str:code>/register/", country_register, name="setup-country-register"),
    path(
        "setup/countries/<str:code>/municipalities/",
        municipalities,
        name="setup-municipalities",
    ),
    path(
        "setup/countries/<str:code>/municipalities/new/",
        municipality_create,
        name="setup-municipality-create",
    ),
    path(
        "setup/countries/<str:code>/municipalities/<slug:slug>/edit/",
        municipality_edit,
        name="setup-municipality-edit",
    ),
    path("setup/programmes/", programmes, name="setup-programmes"),
    path("setup/programmes/new/", programme_create, name="setup-programme-create"),
    path("setup/programmes/<slug:slug>/edit/", programme_edit, name="setup-programme-edit"),
    path("setup/funders/", funders, name="setup-funders"),
    path("setup/funders/new/", funder_create, name="setup-funder-create"),
]
