"""The append-only audit log: who created, changed or deleted what, and when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    event = models.CharField(max_length=64, db_index=True)
    record_type = models.CharField(max_length=64, db_index=True)
    record_id = models.CharField(max_length=64, db_index=True)
    record_repr = models.CharField(max_length=200)
    # Owner and visibility of the record when the event happened, so the log itself
    # never shows a private record's name or content to someone outside its organization.
    organization = models.ForeignKey(
        "partners.Organization", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    visibility = models.CharField(max_length=16, blank=True)
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.event} {self.record_type}:{self.record_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def owning_organization_id(self) -> int | None:
        return self.organization_id
