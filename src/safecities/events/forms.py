"""Forms of the events' pages. They parse what people type (dates and times in the event's time
zone, a text per language) into what `events.services` takes; the services decide what is
allowed, and their refusals are shown on the forms, on the field they name."""

from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from safecities.charter.models import Goal
from safecities.core.forms import (
    DateInput,
    Form,
    GivenChoices,
    LanguagesAndMomentsMixin,
    QuickSelect,
    TimeInput,
    per_language_fields,
    styled,
    time_zone_field,
)
from safecities.core.i18n import translated
from safecities.core.text import LINE_LIMIT, validate_single_line
from safecities.network.forms import CityChoiceField
from safecities.network.models import Country, Municipality, Organisation
from safecities.network.permissions import (
    contact_organisation_ids,
    coordinated_municipality_ids,
    is_secretariat,
)

from . import selectors
from .inputs import EventData
from .models import Event, EventType, Group, GroupMeeting, GroupMembership

TEXTS = ["title", "description"]  # an event's texts, one value per language

# The event's moments: a date field named as the service's argument (so its refusals land there)
# and a time field beside it, read in the event's time zone.
MOMENTS = [
    ("starts_at", _("Starts"), True),
    ("ends_at", _("Ends"), True),
    ("registration_opens_at", _("Registration opens"), False),
    ("registration_closes_at", _("Registration closes"), False),
]


# --- the calendar's filters --------------------------------------------------------------------


class CalendarFilterForm(Form):
    type = forms.MultipleChoiceField(
        label=_("Type"),
        choices=EventType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    city = forms.ChoiceField(label=_("City"), required=False, widget=QuickSelect)
    goal = forms.ChoiceField(label=_("Charter goal"), required=False)
    audience = forms.ChoiceField(
        label=_("Audience"),
        required=False,
        choices=[("", _("Any audience")), *Event.Audience.choices],
    )
    since = forms.DateField(label=_("From"), required=False, widget=DateInput)
    until = forms.DateField(label=_("To"), required=False, widget=DateInput)
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("starts", _("Soonest first")), ("-starts", _("Latest first"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country"))] + [
            (c.code, translated(c.name) or c.code) for c in Country.objects.order_by("code")
        ]
        self.fields["city"].choices = GivenChoices(
            [("", _("Any city")), *selectors.event_cities().values_list("slug", "name")]
        )
        self.fields["goal"].choices = [("", _("Any goal"))] + [
            (g.code, str(g)) for g in Goal.objects.order_by("position")
        ]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end of the period must come after its start."))
        return data


# --- an event ----------------------------------------------------------------------------------


class EventForm(LanguagesAndMomentsMixin, Form):
    TEXT_PARTS = TEXTS
    MOMENTS = MOMENTS
    type = forms.ChoiceField(label=_("Type"), choices=EventType.choices)
    time_zone = time_zone_field()
    starts_at = forms.DateField(label=_("Start date"), widget=DateInput)
    starts_at_time = forms.TimeField(label=_("Start time"), widget=TimeInput, initial="09:00")
    ends_at = forms.DateField(label=_("End date"), widget=DateInput)
    ends_at_time = forms.TimeField(label=_("End time"), widget=TimeInput, initial="16:00")
    registration_opens_at = forms.DateField(
        label=_("Registration opens on"),
        widget=DateInput,
        required=False,
        help_text=_("Empty: when the event is published."),
    )
    registration_opens_at_time = forms.TimeField(
        label=_("Registration opens at"), widget=TimeInput, required=False
    )
    registration_closes_at = forms.DateField(
        label=_("Registration closes on"),
        widget=DateInput,
        required=False,
        help_text=_("Empty: when the event starts."),
    )
    registration_closes_at_time = forms.TimeField(
        label=_("Registration closes at"), widget=TimeInput, required=False
    )
    venue = forms.CharField(
        label=_("Venue"),
        max_length=LINE_LIMIT,
        required=False,
        validators=[validate_single_line],
    )
    municipality = CityChoiceField(
        queryset=Municipality.objects.order_by("name"),
        required=False,
        empty_label=_("No city (online)"),
    )
    online_url = forms.URLField(
        label=_("Online link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Shown only to the people registered."),
    )
    audience = forms.ChoiceField(label=_("Audience"), choices=Event.Audience.choices)
    invited_group = forms.ModelChoiceField(
        label=_("Invited group"),
        queryset=Group.objects.none(),
        required=False,
        empty_label=_("No group"),
        help_text=_("Only when the audience is an invited group."),
    )
    capacity = forms.IntegerField(
        label=_("Places"), required=False, min_value=1, help_text=_("Empty: no limit.")
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Charter goals"),
        queryset=Goal.objects.order_by("position"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organising_municipalities = forms.ModelMultipleChoiceField(
        label=_("Organising cities"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organising_organisations = forms.ModelMultipleChoiceField(
        label=_("Organising organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    needs_retention_days = forms.IntegerField(
        label=_("Keep participants' needs for (days after the event)"),
        initial=30,
        min_value=0,
        max_value=365,
    )

    def __init__(self, *args, actor, event: Event | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        groups = selectors.event_groups_for(actor)
        if event is not None and event.invited_group_id:
            groups = groups | Group.objects.filter(pk=event.invited_group_id)
        self.fields["invited_group"].queryset = groups.distinct()
        cities = Municipality.objects.order_by("name")
        organisations = Organisation.objects.order_by("name")
        if not is_secretariat(actor):
            cities = cities.filter(pk__in=coordinated_municipality_ids(actor))
            organisations = organisations.filter(pk__in=contact_organisation_ids(actor))
        self.fields["organising_municipalities"].queryset = cities
        self.fields["organising_organisations"].queryset = organisations
        per_language_fields(
            self,
            lambda code, name: {
                "title": forms.CharField(
                    label=_("Title in %(language)s") % {"language": name},
                    max_length=LINE_LIMIT,
                    required=code == "en",
                    validators=[validate_single_line],
                ),
                "description": forms.CharField(
                    label=_("Description in %(language)s") % {"language": name},
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 5}),
                ),
            },
        )
        styled(self)

    def clean(self):
        return self.clean_moments(super().clean(), default_zone="Europe/Oslo")

    def service_data(self) -> EventData:
        """The data of `services.create_event` / `update_event`, every field."""
        data = self.cleaned_data
        kwargs: dict[str, Any] = self.texts()
        kwargs |= {name: data[f"{name}_aware"] for name, _label, _required in MOMENTS}
        for name in ("type", "time_zone", "venue", "municipality", "online_url", "audience"):
            kwargs[name] = data[name]
        kwargs["invited_group"] = data["invited_group"]
        kwargs["capacity"] = data["capacity"]
        kwargs["languages"] = list(data["languages"])
        kwargs["needs_retention_days"] = data["needs_retention_days"]
        for name in ("goals", "organising_municipalities", "organising_organisations"):
            kwargs[name] = list(data[name])
        return cast(EventData, kwargs)

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        zone = ZoneInfo(event.time_zone)
        initial = {
            name: getattr(event, name)
            for name in (
                "type",
                "time_zone",
                "venue",
                "municipality",
                "online_url",
                "audience",
                "invited_group",
                "capacity",
                "languages",
                "needs_retention_days",
            )
        }
        for name in ("goals", "organising_municipalities", "organising_organisations"):
            initial[name] = list(getattr(event, name).all())
        return initial | cls.initial_texts_and_moments(event, zone)


class RegistrationForm(Form):
    needs = forms.CharField(
        label=_("Needs (diet, access)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].help_text = _(
            "Only the organisers read it. It is erased %(days)d days after the event."
        ) % {"days": event.needs_retention_days}


class CancelEventForm(Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to everyone registered or waiting."),
    )


class CloseEventForm(Form):
    report = forms.CharField(
        label=_("Report"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown. What happened, what was learnt."),
    )
    follow_ups = forms.CharField(
        label=_("Follow-ups"),
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown."),
    )
    practices = forms.ModelMultipleChoiceField(
        label=_("Practices presented"),
        queryset=selectors.presentable_practices(),
        required=False,
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practices"].queryset = selectors.presentable_practices()


# --- small groups ------------------------------------------------------------------------------


class GroupForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    notes_retention_days = forms.IntegerField(
        label=_("Keep notes for (days)"),
        initial=365,
        min_value=1,
        max_value=3650,
        help_text=_("The group decides how long its notes are kept; older notes are erased."),
    )


class MemberForm(Form):
    email = forms.EmailField(
        label=_("E-mail address"), help_text=_("The address the person signs in with.")
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=GroupMembership.Role.choices, initial="member"
    )

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = selectors.user_by_email(email)
        if user is None:
            raise forms.ValidationError(_("Nobody signs in with this address."))
        self.cleaned_data["user"] = user
        return email


class MeetingForm(Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    event = forms.ModelChoiceField(
        label=_("At the event"),
        queryset=Event.objects.none(),
        required=False,
        empty_label=_("Not at an event"),
    )

    def __init__(self, *args, group: Group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = selectors.group_events(group)


class NoteForm(Form):
    text = forms.CharField(
        label=_("Note"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Chatham House rule: only the group's members read it."),
    )
    meeting = forms.ModelChoiceField(
        label=_("Meeting"),
        queryset=GroupMeeting.objects.none(),
        required=False,
        empty_label=_("No meeting"),
    )

    def __init__(self, *args, group: Group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = group.meetings.order_by("date", "id")
