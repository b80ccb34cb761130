"""What the grants actions share: saving a record's changed fields, validated, and
returning the changes for the audit log."""

from __future__ import annotations

from typing import Any

from powershare.audit.log import diff, snapshot


def save_fields(instance: Any, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """Set ``fields`` on ``instance``, validate and save it; the changes, for the audit log."""
    before = snapshot(instance)
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return diff(before, snapshot(instance))
