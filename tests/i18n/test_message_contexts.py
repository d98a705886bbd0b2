"""Words that are both a verb and a noun in English carry a translation context, so each
language can translate the button and the column header differently ("Bytt" / "Endring")."""

import pytest
from django.template import Context
from django.template.loader import get_template
from django.templatetags.i18n import TranslateNode


def translate_nodes(template_name: str) -> list[TranslateNode]:
    return get_template(template_name).template.nodelist.get_nodes_by_type(TranslateNode)


def contexts_of(template_name: str, msgid: str) -> list[str | None]:
    found = []
    for node in translate_nodes(template_name):
        if node.filter_expression.var.literal != msgid:
            continue
        context = node.message_context
        found.append(context.resolve(Context()) if context is not None else None)
    return found


@pytest.mark.parametrize(
    ("template_name", "context"),
    [("plans/effect.html", "noun: table column, the change since the baseline")],
)
def test_change_is_translated_with_its_context(template_name, context):
    assert contexts_of(template_name, "Change") == [context]


def test_the_language_switch_has_no_change_button():
    """The header's language switch is one button per language: no separate "Change" verb."""
    assert contexts_of("base.html", "Change") == []
