"""Changes to the department's authorities: the legal powers it holds (an inspection program,
a permit, an order)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.models import User
from powershare.audit.log import diff, record, snapshot
from regulatory.actions.common import require_staff
from regulatory.models import Authority

AUTHORITY_FIELDS = [
    "name",
    "kind",
    "legal_basis",
    "unit_id",
    "can_require",
    "typical_timeline",
    "description",
]


@transaction.atomic
def save_authority(*, actor: User, authority: Authority | None = None, **fields: Any) -> Authority:
    """Create or change one of the department's legal authorities."""
    require_staff(actor)
    creating = authority is None
    authority = authority or Authority()
    before = {} if creating else snapshot(authority, AUTHORITY_FIELDS)
    for name, value in fields.items():
        setattr(authority, name, value)
    authority.full_clean()
    authority.save()
    after = snapshot(authority, AUTHORITY_FIELDS)
    record(
        actor=actor,
        event="authority.created" if creating else "authority.updated",
        target=authority,
        changes=after if creating else diff(before, after),
    )
    return authority
