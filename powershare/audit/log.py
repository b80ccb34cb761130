"""Write audit events; every action calls :func:`record` inside its transaction."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.db import models

from powershare.audit.models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, datetime.date | datetime.datetime | decimal.Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(record: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The record's concrete field values as plain JSON-ready data."""
    names = fields or [
        f.attname for f in record._meta.concrete_fields if f.name not in {"created", "updated"}
    ]
    return {name: _plain(getattr(record, name)) for name in names}


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value changed, as ``{field: [old, new]}``."""
    return {k: [old.get(k), v] for k, v in new.items() if old.get(k) != v}


def record(
    *,
    actor: Any,
    event: str,
    target: models.Model,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event about ``target``."""
    owner = getattr(target, "owning_organization_id", None)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        event=event,
        record_type=target._meta.label_lower,
        record_id=str(target.pk),
        record_repr=str(target)[:200],
        organization_id=owner() if callable(owner) else None,
        visibility=getattr(target, "visibility", "") or "",
        changes=changes or {},
    )
