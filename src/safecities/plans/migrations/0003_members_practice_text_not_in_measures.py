"""Measures adopted from a members-only practice before the rule held: the description copied
from the practice's summary is taken out (a plan's measures are public)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Measure = apps.get_model("plans", "Measure")
    measures = Measure.objects.filter(practice__visibility="members").select_related("practice")
    for measure in measures.iterator():
        if measure.description and measure.description == measure.practice.summary:
            measure.description = ""
            measure.save(update_fields=["description"])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_measure_practice"),
        ("practices", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
