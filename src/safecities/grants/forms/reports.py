"""The grantee's report as typed: the report form, with a spending field per approved budget
line (the report's money spent is their sum) and a value and a comment per indicator the
application named."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from safecities.core.money import Money

from .applications import ReportForm
from .fields import AmountField


def _reading(reading) -> str:
    if reading is None or not reading.display:
        return "—"
    return f"{reading.display} ({reading.period})"


class LineReportForm(ReportForm):
    """`ReportForm` with `spend_<line id>` per budget line (`selectors.line_spending` rows) and
    `value_<indicator id>` and `note_<indicator id>` per named indicator
    (`selectors.report_results` rows). Without budget lines the total is typed whole."""

    def __init__(self, *args, lines=(), results=(), city=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        self.results = list(results)
        currency = kwargs["currency"]
        if self.lines:
            del self.fields["spent"]
        for row in self.lines:
            if row.approved_is_requested:
                approved = _("approved %(approved)s (the amount asked for: no agreement yet)")
            else:
                approved = _("approved %(approved)s")
            name = f"spend_{row.line.pk}"
            self.fields[name] = AmountField(
                currency=currency,
                min_value=Decimal(0),
                required=False,
                label=_("Spent on “%(line)s” in this report (%(currency)s)")
                % {"line": row.line.label, "currency": currency},
                help_text=_("%(approved)s; spent in earlier reports %(earlier)s; %(left)s left.")
                % {
                    "approved": approved % {"approved": row.approved},
                    "earlier": row.spent,
                    "left": row.left,
                },
            )
            self.fields[name].widget.attrs["class"] = "ds-input"
            if row.this_report is not None:
                self.initial.setdefault(name, row.this_report.amount)
        for result in self.results:
            indicator = result.indicator
            help_text = ""
            if city is not None:
                help_text = _("%(city)s: baseline %(baseline)s, latest %(latest)s.") % {
                    "city": city,
                    "baseline": _reading(result.baseline),
                    "latest": _reading(result.latest),
                }
            value = f"value_{indicator.pk}"
            self.fields[value] = forms.DecimalField(
                label=_("%(indicator)s: value reached") % {"indicator": indicator},
                required=False,
                max_digits=14,
                decimal_places=4,
                help_text=help_text,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "ds-input"}),
            )
            note = f"note_{indicator.pk}"
            self.fields[note] = forms.CharField(
                label=_("%(indicator)s: comment") % {"indicator": indicator},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": "ds-input"}),
            )
            self.initial.setdefault(value, result.value)
            self.initial.setdefault(note, result.note)

    @property
    def line_fields(self):
        return [(row, self[f"spend_{row.line.pk}"]) for row in self.lines]

    @property
    def result_fields(self):
        return [
            (r, self[f"value_{r.indicator.pk}"], self[f"note_{r.indicator.pk}"])
            for r in self.results
        ]

    @property
    def base_fields_shown(self):
        return [self[name] for name in ("narrative", "results", "spent") if name in self.fields]

    def spends(self, currency: str) -> dict[int, Money] | None:
        """{budget line id: spent} for the service, or None without budget lines."""
        if not self.lines:
            return None
        data = self.cleaned_data
        return {
            row.line.pk: Money(data.get(f"spend_{row.line.pk}") or Decimal(0), currency)
            for row in self.lines
        }

    def indicator_results(self) -> dict[int, tuple[Decimal | None, str]]:
        data = self.cleaned_data
        return {
            r.indicator.pk: (
                data.get(f"value_{r.indicator.pk}"),
                data.get(f"note_{r.indicator.pk}"),
            )
            for r in self.results
        }
