"""Helpers shared by the foundation's pages."""

from __future__ import annotations

from typing import Any

from powershare.audit.models import AuditEvent


def audit_history(record: Any) -> Any:
    """The latest 50 audit log entries about ``record``, for its page."""
    return AuditEvent.objects.filter(
        record_type=record._meta.label_lower, record_id=str(record.pk)
    ).select_related("actor")[:50]
