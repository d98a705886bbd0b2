from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from safecities.core.forms import Form


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
