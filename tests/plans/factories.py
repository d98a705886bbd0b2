"""Plans test data, made through the services."""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from safecities.demo.pdf import simple_pdf
from safecities.indicators.models import Indicator
from safecities.plans import services


def pdf(name: str = "plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, simple_pdf(["Action plan", "Adopted by the city council"]), "application/pdf"
    )


def make_plan(*, actor, municipality, title="Local action plan 2025–2028", **overrides):
    fields = {"starts_on": date(2025, 1, 1), "ends_on": date(2028, 12, 31), **overrides}
    return services.create_plan(actor=actor, municipality=municipality, title=title, **fields)


def adopt(*, actor, plan, **overrides):
    fields = {
        "body": "City council",
        "adopted_on": timezone.localdate() - timedelta(days=10),
        "case_number": "2025/1234",
        "document": pdf(),
        **overrides,
    }
    return services.adopt_plan(actor=actor, plan=plan, **fields)


def make_indicator(code: str, kind: str = Indicator.Kind.OUTCOME) -> Indicator:
    # The indicators app has no create service yet; the model holds its invariants.
    return Indicator.objects.create(
        code=code,
        name={"en": code.replace("-", " ").capitalize()},
        kind=kind,
        unit_type=Indicator.UnitType.PERCENTAGE
        if kind == Indicator.Kind.OUTCOME
        else Indicator.UnitType.COUNT,
        better=Indicator.Better.HIGHER,
        source=Indicator.Source.CITY_SURVEY,
        period_type=Indicator.PeriodType.YEAR,
    )
