"""No select shows Django's "---------", and every date field is a date input: every page a role may open (the permission walk's pages
and sample objects), opened as a role that may, has a named empty choice ("Choose…", "None" or the
form's own words)."""

from django import forms
from django.test import Client
from django.urls import reverse

from safecities.core.forms import Form
from tests import test_url_permissions as permission_walk
from tests.utils import sign_in

walk = permission_walk.walk  # the demo network loaded once for the module
EXPECTED, SAMPLE_KWARGS = permission_walk.EXPECTED, permission_walk.SAMPLE_KWARGS
PAGES = sorted(
    name
    for name, outcomes in EXPECTED.items()
    if not name.startswith("api-") and 200 in outcomes.values()
)


def test_no_page_shows_djangos_empty_choice(db, settings, walk):
    settings.MEDIA_ROOT = walk.media
    found, selects = [], 0
    for name in PAGES:
        # the last role that may see the page: the one that sees the most of it
        role = [role for role, outcome in EXPECTED[name].items() if outcome == 200][-1]
        url = reverse(name, kwargs=SAMPLE_KWARGS[name](walk) if name in SAMPLE_KWARGS else {})
        client = Client()
        if role != "anonymous":
            sign_in(client, walk.users[role])
        response = client.get(url)
        if response.streaming or "html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        selects += page.count("<select")
        if "---------" in page:
            found.append(f"{url} as {role}")
    assert selects > 20  # the walk reaches the pages with selects
    assert found == []


class Probe(Form):
    size = forms.ChoiceField(choices=[("", "---------"), ("s", "Small")])
    colour = forms.ChoiceField(choices=[("", "---------"), ("r", "Red")], required=False)
    later = forms.ChoiceField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["later"].choices = [("", "---------"), ("x", "X")]  # set after __init__


def test_the_empty_choice_says_what_it_means():
    html = str(Probe())
    assert "---------" not in html
    assert '<option value="" selected>Choose…</option>' in html
    assert html.count('<option value="" selected>None</option>') == 2


class Dated(Form):
    on = forms.DateField()  # Django's own widget: a text input


def test_every_date_field_is_a_date_input():
    assert 'type="date"' in str(Dated()["on"])
