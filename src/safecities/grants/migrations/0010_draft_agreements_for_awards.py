"""Every award made before grant agreements existed gets a draft agreement, for the programme
to complete and send. Its budget lines are approved as asked where they add up to the award;
otherwise the programme sets the approved amounts."""

from django.db import migrations
from django.db.models import F, Sum


def draft_agreements(apps, schema_editor):
    Award = apps.get_model("grants", "Award")
    Agreement = apps.get_model("grants", "Agreement")
    BudgetLine = apps.get_model("grants", "BudgetLine")
    awards = list(Award.objects.filter(agreement__isnull=True))
    sums = dict(
        BudgetLine.objects.filter(application_id__in=[a.application_id for a in awards])
        .values_list("application_id")
        .annotate(total=Sum("amount_minor"))
        .values_list("application_id", "total")
    )
    agreed = [
        a.application_id for a in awards if sums.get(a.application_id) == a.amount_minor
    ]
    BudgetLine.objects.filter(application_id__in=agreed, approved_minor__isnull=True).update(
        approved_minor=F("amount_minor")
    )
    Agreement.objects.bulk_create(
        [Agreement(award_id=a.pk, status="draft") for a in awards],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [("grants", "0009_agreements_changes_report_lines")]

    operations = [migrations.RunPython(draft_agreements, migrations.RunPython.noop)]
