from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from safecities.core.forms import DateInput, Form, styled

from .models import Goal


class TermForm(Form):
    code = forms.SlugField(label=_("Code"), max_length=60)
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name in settings.TRANSLATED_LANGUAGE_NAMES.items():
            self.fields[f"label_{code}"] = forms.CharField(
                label=_("Name in %(language)s") % {"language": name},
                max_length=200,
                required=code == "en",
            )

    def labels(self) -> dict:
        return {
            code: self.cleaned_data.get(f"label_{code}", "")
            for code in settings.TRANSLATED_LANGUAGE_NAMES
        }

    @classmethod
    def initial_for(cls, term) -> dict:
        return {
            "code": term.code,
            "active": term.active,
            **{f"label_{k}": v for k, v in term.label.items()},
        }


def _per_language(form, name: str, label, *, required_en: bool, textarea: bool = False) -> None:
    for code, language in settings.TRANSLATED_LANGUAGE_NAMES.items():
        form.fields[f"{name}_{code}"] = forms.CharField(
            label=label % {"language": language},
            max_length=None if textarea else 200,
            required=required_en and code == "en",
            widget=forms.Textarea(attrs={"rows": 3}) if textarea else None,
        )


def _values(data: dict, name: str) -> dict:
    return {code: data.get(f"{name}_{code}", "") for code in settings.TRANSLATED_LANGUAGE_NAMES}


class GoalForm(Form):
    code = forms.SlugField(
        label=_("Code"), max_length=50, help_text=_("A short name in Latin letters, e.g. prevent.")
    )
    position = forms.IntegerField(
        label=_("Place in the charter"), min_value=1, help_text=_("1 for the first goal.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _per_language(self, "name", _("Name in %(language)s"), required_en=True)
        _per_language(
            self, "description", _("Description in %(language)s"), required_en=False, textarea=True
        )
        styled(self)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "position": data["position"],
            "name": _values(data, "name"),
            "description": _values(data, "description"),
        }

    @staticmethod
    def initial_for(goal) -> dict:
        return {
            "code": goal.code,
            "position": goal.position,
            **{f"name_{k}": v for k, v in goal.name.items()},
            **{f"description_{k}": v for k, v in (goal.description or {}).items()},
        }


class CharterVersionForm(Form):
    version = forms.CharField(label=_("Version"), max_length=20, help_text=_("E.g. 2025."))
    adopted_on = forms.DateField(label=_("Adopted on"), widget=DateInput)
    goals = forms.ModelMultipleChoiceField(
        label=_("Goals of this version"),
        queryset=Goal.objects.order_by("position"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _per_language(
            self, "preamble", _("Preamble in %(language)s"), required_en=False, textarea=True
        )
        styled(self)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "version": data["version"],
            "adopted_on": data["adopted_on"],
            "goals": list(data["goals"]),
            "preamble": _values(data, "preamble"),
        }

    @staticmethod
    def initial_for(version) -> dict:
        return {
            "version": version.version,
            "adopted_on": version.adopted_on,
            "goals": list(version.goals.all()),
            **{f"preamble_{k}": v for k, v in (version.preamble or {}).items()},
        }
