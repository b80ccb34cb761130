"""Public-records labels: for every field the export writes, whether it is public, exempt (with
the reason the department gives) or personal.

``DEFAULTS`` is the label each field ships with, keyed by ``app_label.Model.field``; the
department overrides any of them on the labels page (``FieldLabel``). A test walks every
covered model's fields and fails when one has no default here, so a new field is never
exported unlabelled. Reasons are keys of ``ExemptionReason`` (the department's list; the
defaults below are made by the migration).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from powershare.records.kinds import KINDS, exported_fields
from powershare.records.models import ExemptionReason, FieldLabel, Label

# The department's list of reasons starts with these (key, name).
DEFAULT_REASONS = [
    ("deliberative", "Deliberative process"),
    ("privacy", "Personal privacy"),
    ("security", "Security"),
    ("trade-secret", "Trade secret"),
    ("investigation", "Active investigation or enforcement"),
]
# Reasons the export gives on its own, whatever the labels say.
PERSONAL = _("personal information")
PRIVATE_RECORD = _("private to the organization that owns it")
HIGH_RISK = _("high-risk contact")
PROTECTED_COMPLAINANT = _("protected complainant")

PUBLIC = ("public", None)
PERSONAL_LABEL = ("personal", None)


def exempt(reason: str) -> tuple[str, str]:
    return ("exempt", reason)


def _fields(
    model: str, labels: dict[str, tuple[str, str | None]]
) -> dict[str, tuple[str, str | None]]:
    return {f"{model}.{name}": label for name, label in labels.items()}


DEFAULTS: dict[str, tuple[str, str | None]] = {
    **_fields(
        "partners.RelationalMeeting",
        {
            "id": PUBLIC,
            "partnership": PUBLIC,
            "date": PUBLIC,
            "purpose": PUBLIC,
            "follow_ups": exempt("deliberative"),
            "partner_opted_in": PUBLIC,
            "interests": exempt("deliberative"),
            "self_interest": exempt("deliberative"),
            "shared_with_partner": PUBLIC,
            "recorded_by": PUBLIC,
            "created": PUBLIC,
            "staff": PUBLIC,
            "people": PERSONAL_LABEL,
        },
    ),
    **_fields(
        "regulatory.Complaint",
        {
            "id": PUBLIC,
            "organization": PUBLIC,
            "campaign": PUBLIC,
            "filed_by": PERSONAL_LABEL,
            "category": PUBLIC,
            "violation_type": PUBLIC,
            "issue": exempt("investigation"),
            "place_name": PUBLIC,
            "address": exempt("privacy"),
            "neighborhood": PUBLIC,
            "building_owner": PUBLIC,
            "ongoing": PUBLIC,
            "occurred_on": PUBLIC,
            "where_detail": exempt("privacy"),
            "work_type": PUBLIC,
            "worksite_size": PUBLIC,
            "language": PERSONAL_LABEL,
            "anonymous": PUBLIC,
            "contact_ok": PERSONAL_LABEL,
            "complainant_name": PERSONAL_LABEL,
            "complainant_phone": PERSONAL_LABEL,
            "complainant_email": PERSONAL_LABEL,
            "status": PUBLIC,
            "assigned_inspector": PUBLIC,
            "resolution": PUBLIC,
            "resident_confirmed": PUBLIC,
            "closure_evidence": exempt("investigation"),
            "visibility": PUBLIC,
            "created": PUBLIC,
            "updated": PUBLIC,
            "closed_at": PUBLIC,
        },
    ),
    **_fields(
        "support.Ask",
        {
            "id": PUBLIC,
            "organization": PUBLIC,
            "campaign": PUBLIC,
            "kind": PUBLIC,
            "title": PUBLIC,
            "description": exempt("deliberative"),
            "needed_by": PUBLIC,
            "owner": PUBLIC,
            "status": PUBLIC,
            "decline_reason": PUBLIC,
            "delivered_summary": PUBLIC,
            "delivered_links": PUBLIC,
            "visibility": PUBLIC,
            "created_by": PERSONAL_LABEL,
            "created": PUBLIC,
            "updated": PUBLIC,
            "acknowledged_at": PUBLIC,
            "closed_at": PUBLIC,
        },
    ),
    **_fields(
        "data.DataAgreement",
        {
            "id": PUBLIC,
            "organization": PUBLIC,
            "title": PUBLIC,
            "parties": PUBLIC,
            "purpose": PUBLIC,
            "start": PUBLIC,
            "expires": PUBLIC,
            "file": exempt("security"),
            "revoked": PUBLIC,
            "created_by": PUBLIC,
            "created": PUBLIC,
            "datasets": PUBLIC,
        },
    ),
    **_fields(
        "audit.AuditEvent",
        {
            "id": PUBLIC,
            "at": PUBLIC,
            "actor": PUBLIC,
            "event": PUBLIC,
            "record_type": PUBLIC,
            "record_id": PUBLIC,
            "record_repr": PUBLIC,
            "organization": PUBLIC,
            "visibility": PUBLIC,
            "changes": exempt("deliberative"),
        },
    ),
    **_fields(
        "partners.Campaign",
        {
            "id": PUBLIC,
            "organization": PUBLIC,
            "title": PUBLIC,
            "issue_area": PUBLIC,
            "goal": PUBLIC,
            "demands": PUBLIC,
            "geography": PUBLIC,
            "status": PUBLIC,
            "start": PUBLIC,
            "end": PUBLIC,
            "visibility": PUBLIC,
            "created": PUBLIC,
            "updated": PUBLIC,
            "target_people": PERSONAL_LABEL,
            "target_organizations": PUBLIC,
        },
    ),
    **_fields(
        "partners.Organization",
        {
            "id": PUBLIC,
            "kind": PUBLIC,
            "name": PUBLIC,
            "mission": PUBLIC,
            "issue_areas": PUBLIC,
            "geographies": PUBLIC,
            "constituencies": PUBLIC,
            "languages": PUBLIC,
            "base_size": exempt("security"),
            "organizing_approach": exempt("trade-secret"),
            "website": PUBLIC,
            "contact_email": PUBLIC,
            "contact_phone": PUBLIC,
            "high_risk": exempt("security"),
            "visibility": PUBLIC,
            "created": PUBLIC,
            "updated": PUBLIC,
        },
    ),
}


@dataclass(frozen=True)
class FieldRule:
    key: str  # app_label.Model.field
    label: str  # public, exempt or personal
    reason: str  # the reason's name ("" for public)
    default_label: str
    default_reason: str
    overridden: bool

    @property
    def withheld(self) -> bool:
        return self.label != Label.PUBLIC


def field_key(model: Any, name: str) -> str:
    return f"{model._meta.label}.{name}"


def covered_keys() -> list[str]:
    """Every field the export writes, in the order of the kinds and the models' fields."""
    return [
        field_key(kind.model, f.name)
        for kind in KINDS.values()
        for f in exported_fields(kind.model)
    ]


def rules() -> dict[str, FieldRule]:
    """Each covered field's label in force: the department's where it set one, else the default."""
    reasons = dict(ExemptionReason.objects.values_list("key", "name"))
    overrides = {o.field: o for o in FieldLabel.objects.select_related("reason")}
    result = {}
    for key in covered_keys():
        label, reason_key = DEFAULTS[key]
        default_reason = reasons.get(reason_key, reason_key) if reason_key else ""
        if label == Label.PERSONAL:
            default_reason = str(PERSONAL)
        override = overrides.get(key)
        if override:
            shown = override.reason.name if override.reason else ""
            if override.label == Label.PERSONAL:
                shown = str(PERSONAL)
            result[key] = FieldRule(key, override.label, shown, label, default_reason, True)
        else:
            result[key] = FieldRule(key, label, default_reason, label, default_reason, False)
    return result
