"""The audit log keeps no contact values: scrub those written before it stopped storing them."""

from django.db import migrations

from powershare.audit.log import scrub_changes, scrub_text


def scrub(apps, schema_editor):  # type: ignore[no-untyped-def]
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for event in AuditEvent.objects.only("pk", "record_type", "record_repr", "changes").iterator():
        changes = scrub_changes(event.record_type, event.changes or {})
        record_repr = scrub_text(event.record_repr)
        if changes != event.changes or record_repr != event.record_repr:
            # (queryset update: the model itself refuses to change a saved event)
            AuditEvent.objects.filter(pk=event.pk).update(changes=changes, record_repr=record_repr)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
