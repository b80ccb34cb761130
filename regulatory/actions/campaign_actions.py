"""Changes to the actions for campaigns: the department using an authority where a campaign
needs it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from partners.models import Campaign
from powershare.audit.log import diff, record, snapshot
from regulatory.actions.common import require_staff
from regulatory.models import RegulatoryAction

ACTION_FIELDS = [
    "title",
    "authority_id",
    "description",
    "status",
    "started",
    "next_date",
    "next_date_label",
    "completed",
    "violations_found",
    "orders_issued",
    "fines",
    "outcome",
    "visibility",
]


@transaction.atomic
def save_action(
    *,
    actor: User,
    action: RegulatoryAction | None = None,
    campaigns: Sequence[Campaign] | None = None,
    asks: Sequence[Any] | None = None,
    at: Any = None,
    **fields: Any,
) -> RegulatoryAction:
    """Create or change a regulatory action, with the campaigns and asks it serves."""
    require_staff(actor)
    creating = action is None
    action = action or RegulatoryAction()
    before = {} if creating else snapshot(action, ACTION_FIELDS)
    for name, value in fields.items():
        setattr(action, name, value)
    if creating and at:
        action.created = at
    if action.completed and action.started and action.completed < action.started:
        raise ValidationError({"completed": _("An action cannot be completed before it started.")})
    action.full_clean()
    action.save()
    changes: dict[str, Any] = (
        snapshot(action, ACTION_FIELDS)
        if creating
        else diff(before, snapshot(action, ACTION_FIELDS))
    )
    for name, values in (("campaigns", campaigns), ("asks", asks)):
        if values is None:
            continue
        manager = getattr(action, name)
        old = sorted(manager.values_list("pk", flat=True))
        manager.set(values)
        new = sorted(manager.values_list("pk", flat=True))
        if old != new:
            changes[name] = [old, new]
    if creating or changes:
        record(
            actor=actor,
            event="regulatory_action.created" if creating else "regulatory_action.updated",
            target=action,
            changes=changes,
        )
    return action
