"""`get_FOO_display` on the project's models comes from a table per field and language
(`core.choice_labels`): it must answer exactly what Django's own does, for every choice of
every field in every language, and for a value that is no choice."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation

from safecities.core import choice_labels


def _choice_fields():
    for model in apps.get_models():
        if model.__module__.startswith("safecities."):
            for field in model._meta.concrete_fields:
                if field.choices is not None:
                    yield model, field


def test_the_projects_choice_fields_have_the_quick_display():
    fields = list(_choice_fields())
    assert len(fields) > 20
    for model, field in fields:
        method = model.__dict__[f"get_{field.name}_display"]
        assert method.func is choice_labels.display, (model, field.name)


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_quick_display_answers_as_djangos_does(language):
    with translation.override(language):
        for model, field in _choice_fields():
            values = [value for value, _label in field.flatchoices] + ["no-such-choice", None]
            for value in values:
                instance = model()
                setattr(instance, field.attname, value)
                quick = getattr(instance, f"get_{field.name}_display")()
                django = models.Model._get_FIELD_display(instance, field)
                assert quick == django, (model, field.name, value)
                assert type(quick) is type(django)


def test_the_label_follows_the_language():
    from safecities.network.models import MembershipApplication

    field = MembershipApplication._meta.get_field("status")
    application = MembershipApplication(status=field.flatchoices[0][0])
    shown = {}
    for language in ("en", "nb"):
        with translation.override(language):
            shown[language] = application.get_status_display()
            assert shown[language] == str(field.flatchoices[0][1])
