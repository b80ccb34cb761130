"""Changes to the risk register."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.models import User
from foundation.models import Risk
from powershare.audit.log import diff, record, snapshot

RISK_FIELDS = [
    "title",
    "category",
    "description",
    "likelihood",
    "impact",
    "owner_id",
    "mitigations",
    "review_date",
    "status",
]


def _set_links(risk: Risk, m2m: dict[str, Any] | None) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name, values in (m2m or {}).items():
        manager = getattr(risk, name)
        old = sorted(manager.values_list("pk", flat=True))
        manager.set(values)
        new = sorted(manager.values_list("pk", flat=True))
        if old != new:
            changes[name] = [old, new]
    return changes


@transaction.atomic
def create_risk(
    *, actor: User, m2m: dict[str, Any] | None = None, at: Any = None, **fields: Any
) -> Risk:
    """Add a risk to the register, with the campaigns and partnerships it concerns."""
    risk = Risk(**fields)
    if at:
        risk.created = at
    risk.full_clean()
    risk.save()
    _set_links(risk, m2m)
    record(actor=actor, event="risk.created", target=risk, changes=snapshot(risk, RISK_FIELDS))
    return risk


@transaction.atomic
def update_risk(
    *, actor: User, risk: Risk, m2m: dict[str, Any] | None = None, **fields: Any
) -> Risk:
    """Change a risk (its rating, owner, mitigations, review date, links)."""
    before = snapshot(risk, RISK_FIELDS)
    for name, value in fields.items():
        setattr(risk, name, value)
    risk.full_clean()
    risk.save()
    changes: dict[str, Any] = diff(before, snapshot(risk, RISK_FIELDS))
    changes.update(_set_links(risk, m2m))
    if changes:
        record(actor=actor, event="risk.updated", target=risk, changes=changes)
    return risk


@transaction.atomic
def delete_risk(*, actor: User, risk: Risk) -> None:
    """Remove a risk; the audit log keeps what it was."""
    record(actor=actor, event="risk.deleted", target=risk, changes=snapshot(risk, RISK_FIELDS))
    risk.delete()
