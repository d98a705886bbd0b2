"""Form helpers shared by every app: Designsystemet markup and domain errors on forms."""

import html
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.forms.renderers import TemplatesSetting
from django.utils.choices import BaseChoiceIterator, CallableChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from . import field_html, widget_html
from .errors import DomainError
from .text import LINE_LIMIT, TEXT_LIMIT, validate_single_line


class Renderer(TemplatesSetting):
    """Renders every form with Designsystemet's field markup (label, description, error)."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"

    def render(self, template_name, context, request=None):
        # The commonest widgets' templates are written in Python, to the same HTML
        # (core.widget_html): a filter form's selects and inputs cost a template per option.
        # So is the field's own template (label, description, widget, errors).
        html_text = widget_html.written(template_name, context)
        if html_text is None:
            html_text = field_html.written(template_name, context)
        if html_text is not None:
            return html_text
        return super().render(template_name, context, request=request)


class DsMixin:
    """Gives each widget Designsystemet's input class, and each text field the text rules; a
    select's empty choice says what it means, never Django's "---------"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.DateInput:  # a model's date field: the browser's picker
                field.widget = DateInput(attrs=field.widget.attrs)
            widget = field.widget
            if isinstance(
                widget, forms.CheckboxSelectMultiple | forms.RadioSelect
            ) or not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "ds-input")
            bound_text(field)

    def __getitem__(self, name):
        # Here as well as in __init__: a form may set a field's choices after its own __init__.
        named_empty_choice(self.fields[name])
        return super().__getitem__(name)


DJANGO_BLANK = "---------"


def empty_choice_label(field: forms.Field):
    """What a select's empty choice says: "Choose…" when a value is needed, "None" when not."""
    return _("Choose…") if field.required else _("None")


def named_empty_choice(field: forms.Field) -> None:
    """Replace Django's "---------" empty choice (a model choice field's `empty_label`, a model
    field's blank choice) with `empty_choice_label`. A label the form chose is kept."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label is not None and str(field.empty_label) == DJANGO_BLANK:
            field.empty_label = empty_choice_label(field)
    elif isinstance(field, forms.ChoiceField) and not isinstance(
        field.choices, CallableChoiceIterator
    ):
        choices = list(field.choices)
        if any(value == "" and str(label) == DJANGO_BLANK for value, label in choices):
            field.choices = [
                (value, empty_choice_label(field) if value == "" else label)
                for value, label in choices
            ]


def bound_text(field: forms.Field) -> None:
    """The text rules every form follows: a one-line text field (a text input: a title, a name)
    refuses line breaks and control characters (`core.text.validate_single_line`); a text field
    without its own limit holds at most LINE_LIMIT characters on one line, TEXT_LIMIT in a text
    area. Fields added after the form's __init__ get them from `styled`."""
    if not isinstance(field, forms.CharField):
        return
    one_line = type(field.widget) is forms.TextInput
    if one_line and validate_single_line not in field.validators:
        field.validators.append(validate_single_line)
    if field.max_length is None:
        field.max_length = LINE_LIMIT if one_line else TEXT_LIMIT
        field.validators.append(MaxLengthValidator(field.max_length))
        if not field.widget.is_hidden:
            field.widget.attrs.setdefault("maxlength", str(field.max_length))


class Form(DsMixin, forms.Form):
    pass


class ModelForm(DsMixin, forms.ModelForm):
    pass


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the form, on the field it names when the form has it."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class PostedRowsFormSet(forms.BaseFormSet):
    """Repeating rows (partners, budget lines, links, criteria) read from the POST alone.

    Django tells a typed row from an untouched extra one by comparing it with the row's
    initial value, and counts the rows that had one by the posted management form. Once rows
    are saved between showing a page and posting it (an autosave, a second tab), the two
    disagree: a row the person added, and an autosave saved, equals its new initial value
    while the page still calls it extra, so it is taken for an empty row and dropped. Bound,
    this formset has no initial values: a row counts when anything is typed in it, wherever it
    stands, and a row left blank counts for nothing. Unbound, it shows the saved rows.
    """

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            kwargs.pop("initial", None)
        super().__init__(data, *args, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _attributes(attrs: dict) -> str:
    """A tag's attributes as Django's "attrs.html" writes them, in their order."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False and value is not None
        ),
    )


def _escaped(text) -> str:
    """`conditional_escape` without its lazy wrapper: a label marked safe is kept as it is."""
    return text.__html__() if hasattr(text, "__html__") else html.escape(str(text))


class QuickOptionsMixin:
    """A select whose options are written here rather than by one template each: the same
    HTML as Django's templates give, for a list of hundreds (every reporting city) in a
    fraction of the time. The options are written straight from the choices, without the
    dictionary per option that Django's `optgroups` builds."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        chosen = set(self.format_value(value))
        one_chosen = False
        parts = []
        for group_value, group_label in self.choices:
            grouped = isinstance(group_label, (list, tuple))
            if grouped:
                parts.append(f'<optgroup label="{_escaped(group_value)}">')
            for option_value, label in group_label if grouped else [(group_value, group_label)]:
                option_value = "" if option_value is None else str(option_value)
                selected = (self.allow_multiple_selected or not one_chosen) and (
                    option_value in chosen
                )
                one_chosen |= selected
                parts.append(
                    f'<option value="{html.escape(option_value)}"'
                    f"{' selected' if selected else ''}>{_escaped(label)}</option>"
                )
            if grouped:
                parts.append("</optgroup>")
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            _attributes(final_attrs),
            mark_safe("".join(parts)),  # noqa: S308 - each value and label is escaped above
        )


class GivenChoices(BaseChoiceIterator):
    """Choices that are already flat (value, label) pairs, taken as they are: Django would
    normalise a plain list pair by pair, twice (for the field, then its widget), which for
    hundreds of options (every city) costs a few milliseconds a page."""

    def __init__(self, pairs: Iterable[tuple[Any, Any]]):
        self.pairs = list(pairs)

    def __iter__(self):
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)


class QuickSelect(QuickOptionsMixin, forms.Select):
    pass


class QuickSelectMultiple(QuickOptionsMixin, forms.SelectMultiple):
    pass


class SearchableSelect(QuickSelect):
    """A select of hundreds of options (every municipality of the Nordic countries) that the
    page lets a person narrow by typing: site.js puts a search box above it that keeps only
    the options whose text holds what was typed, ignoring case and accents. Without script it
    is an ordinary select, grouped as its choices are. The box's label and the count line are
    given here, in the reader's language; "{shown}" and "{total}" in the count are numbers."""

    def __init__(self, attrs=None, *, search_label, search_count=None, choices=()):
        super().__init__(attrs=attrs, choices=choices)
        self.search_label = search_label
        self.search_count = search_count

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-search-label"] = str(self.search_label)
        attrs["data-search-count"] = str(self.search_count or _("{shown} of {total} shown"))
        return attrs


class SearchableSelectMultiple(QuickSelectMultiple):
    """`SearchableSelect` for a choice of several: the same search box above a list."""

    def __init__(self, attrs=None, *, search_label, search_count=None, choices=()):
        super().__init__(attrs=attrs, choices=choices)
        self.search_label = search_label
        self.search_count = search_count

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-search-label"] = str(self.search_label)
        attrs["data-search-count"] = str(self.search_count or _("{shown} of {total} shown"))
        return attrs


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


# The time zones of the Nordic countries, and UTC: where a call or an event takes place.
TIME_ZONES = [
    ("Europe/Oslo", _("Norway (Europe/Oslo)")),
    ("Europe/Stockholm", _("Sweden (Europe/Stockholm)")),
    ("Europe/Copenhagen", _("Denmark (Europe/Copenhagen)")),
    ("Europe/Helsinki", _("Finland (Europe/Helsinki)")),
    ("Atlantic/Reykjavik", _("Iceland (Atlantic/Reykjavik)")),
    ("UTC", _("UTC")),
]


def time_zone_field() -> forms.ChoiceField:
    """The time zone of a form's dates and times (a call's, an event's)."""
    return forms.ChoiceField(
        label=_("Time zone"),
        choices=TIME_ZONES,
        initial="Europe/Oslo",
        help_text=_("The dates and times below are in this time zone, and shown in it."),
    )


# The interface languages, English first: the languages a record's texts are written in.
LANGUAGES = list(settings.TRANSLATED_LANGUAGE_NAMES)


def styled(form: forms.Form) -> None:
    """Designsystemet's input class on the fields a form adds in its __init__, after DsMixin."""
    for field in form.fields.values():
        if not isinstance(field.widget, forms.HiddenInput):
            field.widget.attrs.setdefault("class", "ds-input")
        bound_text(field)
        named_empty_choice(field)


def language_name(code: str) -> str:
    return settings.TRANSLATED_LANGUAGE_NAMES[code]


# --- a text per language: one field `<name>_<code>` for each language ------------------------


def per_language_fields(
    form: forms.BaseForm,
    make: Callable[[str, str], Mapping[str, forms.Field]],
    *,
    languages: Iterable[str] = LANGUAGES,
) -> None:
    """Add to `form`, for each of `languages` (English first), the fields `make(code, language
    name)` returns as {name: field}, each named `<name>_<code>`: the one loop every form with a
    text per language shares. Their order is language by language, as `make` gives them."""
    for code in languages:
        for name, field in make(code, language_name(code)).items():
            form.fields[f"{name}_{code}"] = field


def per_language_values(
    data: Mapping[str, Any], name: str, *, languages: Iterable[str] = LANGUAGES
) -> dict[str, str]:
    """The {code: text} a service takes, read from the cleaned fields `<name>_<code>` ("" for a
    language left blank)."""
    return {code: data.get(f"{name}_{code}") or "" for code in languages}


def per_language_initial(values: Mapping[str, str] | None, name: str) -> dict[str, str]:
    """The initial values of the fields `<name>_<code>`, from a stored {code: text}."""
    return {f"{name}_{code}": text for code, text in (values or {}).items()}


class LanguagesAndMomentsMixin:
    """For a form with texts in every language (fields `<part>_<code>` for each of
    `TEXT_PARTS`) and moments (a date field named as the service's argument and a time field
    `<name>_time` beside it, for each (name, label, required) of `MOMENTS`), read in the time
    zone the form's `time_zone` field names. The template shows one fieldset per language and
    one per moment; `clean_moments` puts each moment's aware datetime in `<name>_aware`."""

    TEXT_PARTS: list[str] = []
    MOMENTS: list[tuple[str, str, bool]] = []

    def language_groups(self) -> list[tuple[str, str, list, bool]]:
        """(code, language, its bound fields, whether any holds text or an error)."""
        groups = []
        for code in LANGUAGES:
            fields = [self[f"{part}_{code}"] for part in self.TEXT_PARTS]
            groups.append(
                (code, language_name(code), fields, any(f.value() or f.errors for f in fields))
            )
        return groups

    def texts(self) -> dict[str, dict[str, str]]:
        """Each of `TEXT_PARTS` as the {code: text} a service takes, from the cleaned data."""
        data = self.cleaned_data  # type: ignore[attr-defined]  # the form this mixes into
        return {part: per_language_values(data, part) for part in self.TEXT_PARTS}

    def moment_groups(self) -> list[tuple[str, str, list]]:
        return [
            (name, label, [self[name], self[f"{name}_time"]]) for name, label, _r in self.MOMENTS
        ]

    @classmethod
    def initial_texts_and_moments(cls, obj, zone) -> dict:
        """The initial values of `obj`'s texts ({code: text} per part) and moments (its aware
        datetimes, as date and time in `zone`)."""
        initial = {}
        for name, _label, _required in cls.MOMENTS:
            moment = getattr(obj, name)
            if moment is not None:
                local = moment.astimezone(zone)
                initial[name] = local.date()
                initial[f"{name}_time"] = local.time().replace(second=0, microsecond=0)
        for part in cls.TEXT_PARTS:
            initial |= per_language_initial(getattr(obj, part), part)
        return initial

    def clean_moments(self, data: dict, *, default_zone: str) -> dict:
        zone = ZoneInfo(data.get("time_zone") or default_zone)
        for name, _label, _required in self.MOMENTS:
            day, time = data.get(name), data.get(f"{name}_time")
            if day and time is None and f"{name}_time" not in self.errors:
                self.add_error(f"{name}_time", _("Give the time as well as the date."))
            data[f"{name}_aware"] = (
                datetime.combine(day, time).replace(tzinfo=zone) if day and time else None
            )
        return data
