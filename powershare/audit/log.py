"""Write audit events; every action calls :func:`record` inside its transaction.

The log never keeps contact values: it records that a person's or organization's email or
phone changed, never the value (:func:`scrub_changes`), and an email address anywhere else in
an event (a record's name, a change) is masked. A public-records request for the log, or a
department admin reading it, learns nothing about how to reach a high-risk person.
"""

from __future__ import annotations

import datetime
import decimal
import re
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


# Contact fields of people, organizations, user accounts, invitations, complainants and
# applicants: whatever the record, a change to one is kept as NOT_KEPT.
CONTACT_FIELDS = frozenset(
    {
        "email",
        "phone",
        "contact_email",
        "contact_phone",
        "complainant_name",
        "complainant_email",
        "complainant_phone",
    }
)
# Fields kept out for one kind of record: a person's notes are shown only with their contact.
PROTECTED_FIELDS = {"partners.person": frozenset({"notes"})}
NOT_KEPT = "(not kept)"
EMAIL = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+\.[A-Za-z]{2,}")
EMAIL_MASK = "(email)"


def scrub_text(text: str) -> str:
    """``text`` with every email address in it masked."""
    return EMAIL.sub(EMAIL_MASK, text)


def _scrub_value(value: Any) -> Any:
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, list | tuple):
        return [_scrub_value(v) for v in value]
    if isinstance(value, dict):
        return {
            k: NOT_KEPT if k in CONTACT_FIELDS and v else _scrub_value(v) for k, v in value.items()
        }
    return value


def scrub_changes(record_type: str, changes: dict[str, Any]) -> dict[str, Any]:
    """``changes`` without contact values: a contact field that was set or changed is kept as
    NOT_KEPT, and email addresses anywhere else are masked."""
    protected = CONTACT_FIELDS | PROTECTED_FIELDS.get(record_type, frozenset())
    return {
        key: NOT_KEPT if key in protected and _has_value(value) else _scrub_value(value)
        for key, value in changes.items()
    }


def _has_value(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return any(v not in (None, "") for v in value)
    return value not in (None, "")


def record(
    *,
    actor: Any,
    event: str,
    target: models.Model,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event about ``target``."""
    owner = getattr(target, "owning_organization_id", None)
    record_type = target._meta.label_lower
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        event=event,
        record_type=record_type,
        record_id=str(target.pk),
        record_repr=scrub_text(str(target))[:200],
        organization_id=owner() if callable(owner) else None,
        visibility=getattr(target, "visibility", "") or "",
        changes=scrub_changes(record_type, changes or {}),
    )
