"""The grants' charts, drawn from the ledger and its breakdowns: the programme page and the
programme report show the same pictures."""

from django.utils.translation import gettext as _

from safecities.core.charts import Chart, Row
from safecities.core.money import Money


def ledger_chart(ledger: dict[str, Money]) -> Chart:
    """The budget as one bar: paid, awarded but not yet paid, and what is left."""
    unpaid = ledger["awarded"] - ledger["paid"]
    return Chart(
        title=_("Budget of %(budget)s") % {"budget": ledger["budget"]},
        kind="stack",
        label_header=_("Part of the budget"),
        value_header=_("Amount"),
        total_display=str(ledger["budget"]),
        rows=[
            Row(_("Paid out"), ledger["paid"].amount, str(ledger["paid"]), "paid"),
            Row(_("Awarded, not yet paid"), unpaid.amount, str(unpaid), "awarded"),
            Row(
                _("Not yet awarded"),
                ledger["remaining"].amount,
                str(ledger["remaining"]),
                "remaining",
            ),
        ],
    )


def slices_chart(slices, *, title: str, label_header: str, kind: str = "bars") -> Chart:
    """Awarded money per slice (`selectors.Slice`): by city, by charter goal, by year."""
    return Chart(
        title=title,
        kind=kind,
        label_header=label_header,
        value_header=_("Awarded"),
        empty=_("No grants awarded yet."),
        rows=[Row(s.label, s.amount.amount, str(s.amount)) for s in slices],
    )
