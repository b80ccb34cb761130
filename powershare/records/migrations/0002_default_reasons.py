"""The department's list of exemption reasons starts with the ones the default labels use."""

from django.db import migrations

REASONS = [
    ("deliberative", "Deliberative process"),
    ("privacy", "Personal privacy"),
    ("security", "Security"),
    ("trade-secret", "Trade secret"),
    ("investigation", "Active investigation or enforcement"),
]


def add_reasons(apps, schema_editor):
    ExemptionReason = apps.get_model("records", "ExemptionReason")
    for key, name in REASONS:
        ExemptionReason.objects.get_or_create(key=key, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]
    operations = [migrations.RunPython(add_reasons, migrations.RunPython.noop)]
