"""Partners as equals in the reports: wherever a grant appears (the programme report's project
cards, the city profile's grants, on the page, its section and in the PDF's reads), each city and
organisation is labelled lead or partner, with the partner's role; a city partnering in a grant
finds it in its own profile."""

from django.urls import reverse
from django.utils import timezone

from safecities.grants.models import Partner
from safecities.network.models import Municipality
from safecities.reports import sections, selectors

from .test_report_pages import PROGRAMME, YEAR, _programme


def _stockholm_partners_in_a_project():
    """Stockholm joins the first project of the programme's year as a partner."""
    project = sections.programme_summary(_programme(), year=YEAR).projects[0]
    application = project.award.application
    Partner.objects.create(
        application=application,
        municipality=Municipality.objects.get(slug="stockholm"),
        role="Shares its method",
        confirmed_at=timezone.now(),
    )
    return application


def test_the_programme_reports_project_cards_label_lead_and_partners(client, demo):
    application = _stockholm_partners_in_a_project()
    html = client.get(reverse("reports:programme", args=[PROGRAMME, YEAR])).content.decode()
    assert f'{application.lead} — <span class="sc-party-role">lead</span>' in html
    assert 'Stockholm — <span class="sc-party-role">partner: Shares its method</span>' in html
    section = client.get(
        reverse("reports:programme-section", args=[PROGRAMME, YEAR, "projects"])
    ).content.decode()
    assert "partner: Shares its method" in section

    # The PDF's read labels them alike.
    report = selectors.programme_report(_programme(), year=YEAR)
    [project] = [p for p in report.projects if p.award.application_id == application.pk]
    assert [(p.name, p.text) for p in project.parties][-1] == (
        "Stockholm",
        "partner: Shares its method",
    )
    assert project.parties[0].is_lead and project.parties[0].label == "lead"


def test_a_city_finds_the_grants_it_partners_in_labelled(client, demo):
    application = _stockholm_partners_in_a_project()
    html = client.get(reverse("reports:city", args=["stockholm"])).content.decode()
    assert application.title in html
    assert "partner: Shares its method" in html
    section = client.get(reverse("reports:city-section", args=["stockholm", "grants"]))
    assert "partner: Shares its method" in section.content.decode()

    # The PDF's read of the city profile too; and the lead city is labelled lead.
    profile = selectors.city_profile(Municipality.objects.get(slug="stockholm"))
    [project] = [p for p in profile.projects if p.award.application_id == application.pk]
    assert project.city_role == "partner: Shares its method"
    lead = application.lead_municipality
    if lead is not None:
        profile = selectors.city_profile(lead)
        [project] = [p for p in profile.projects if p.award.application_id == application.pk]
        assert project.city_role.startswith("lead")


def test_a_partner_organisation_labels_its_city_through_it(demo):
    parties = (
        selectors.Party("Oslo", True, "", 1, False),
        selectors.Party("Ungdom i dialog", False, "Recruits", 1, True),
    )
    assert (
        selectors.city_role(parties, city_id=1)
        == "lead; partner: Recruits (through Ungdom i dialog)"
    )
    assert selectors.city_role(parties, city_id=2) == ""
