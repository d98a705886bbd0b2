"""Co-writing in a browser: the lead gives a partner city a question on the partners page; the
partner's coordinator writes that answer on the application form, which autosaves it, the rest of
the form read-only. Each page passes axe."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from safecities.core.models import User
from safecities.grants import services
from safecities.grants.models import Answer, Application, Question
from safecities.network.models import Municipality, Organisation

pytestmark = pytest.mark.browser

SAVED = re.compile(r"Saved at \d\d:\d\d")


def test_the_lead_gives_a_question_and_the_partner_writes_it(page, new_page, login, axe, demo):
    application = Application.objects.get(title="Safe summer nights")
    services.update_application(
        actor=User.objects.get(email="coordinator@example.org"),
        application=application,
        partners=[
            (Organisation.objects.get(slug="ungdom-i-dialog"), "Recruits and trains the hosts"),
            (Municipality.objects.get(slug="stockholm"), "Shares its method"),
        ],
    )
    question = Question.objects.get(
        call=application.call, label__en="Which local problem does the project address?"
    )

    login(page, "coordinator@example.org")
    page.goto(reverse("grants:application-partners", args=[application.pk]))
    axe(page)
    stockholm = page.get_by_role("group", name=re.compile("Questions Stockholm writes"))
    stockholm.get_by_label(question.display_label).check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Who writes which question is saved.")).to_be_visible()

    partner = new_page()
    login(partner, "stockholm@example.org")
    partner.goto(reverse("grants:application", args=[application.pk]))
    partner.get_by_role("link", name="Write our questions").click()
    axe(partner)
    expect(partner.get_by_role("textbox", name="Project title")).to_have_count(0)
    expect(partner.get_by_text("Safe summer nights").first).to_be_visible()
    answer = partner.get_by_label(question.display_label)
    expect(answer).to_be_enabled()
    answer.fill("Young people meet at night with nowhere safe to go.")
    answer.blur()
    expect(partner.locator("#autosave-status")).to_have_text(SAVED)
    saved = Answer.objects.get(application=application, question=question)
    assert saved.value == "Young people meet at night with nowhere safe to go."
