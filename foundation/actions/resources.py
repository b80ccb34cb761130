"""Changes to resources and the commitments made from them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from foundation.models import Commitment, Resource
from powershare.audit.log import diff, record, snapshot
from support.models import Ask

RESOURCE_FIELDS = [
    "kind",
    "name",
    "source",
    "description",
    "amount",
    "unit",
    "period_start",
    "period_end",
    "restrictions",
    "bars_lobbying",
    "hatch_act",
    "active",
]


@transaction.atomic
def create_resource(*, actor: User, **fields: Any) -> Resource:
    """Add a funding source, staff time or in-kind resource to the inventory."""
    resource = Resource(**fields)
    resource.full_clean()
    resource.save()
    record(
        actor=actor,
        event="resource.created",
        target=resource,
        changes=snapshot(resource, RESOURCE_FIELDS),
    )
    return resource


@transaction.atomic
def update_resource(*, actor: User, resource: Resource, **fields: Any) -> Resource:
    """Change a resource; its amount may not drop below what is already committed."""
    before = snapshot(resource, RESOURCE_FIELDS)
    for name, value in fields.items():
        setattr(resource, name, value)
    resource.full_clean()
    if resource.amount < resource.committed():
        raise ValidationError(
            {
                "amount": _("%(committed)s is already committed; the amount cannot be less.")
                % {"committed": resource.committed()}
            }
        )
    resource.save()
    changes = diff(before, snapshot(resource, RESOURCE_FIELDS))
    if changes:
        record(actor=actor, event="resource.updated", target=resource, changes=changes)
    return resource


@transaction.atomic
def add_commitment(
    *,
    actor: User,
    resource: Resource,
    amount: Decimal,
    description: str,
    ask: Ask | None = None,
    on: date | None = None,
) -> Commitment:
    """Commit part of a resource to an ask, a grant or anything described. Over-committing is
    refused: the page must never show more promised than there is."""
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    available = locked.amount - locked.committed()
    if amount > available:
        raise ValidationError(
            {
                "amount": _("Only %(available)s is still available from %(resource)s.")
                % {"available": available, "resource": locked.name}
            }
        )
    commitment = Commitment.objects.create(
        resource=locked,
        amount=amount,
        description=description,
        ask=ask,
        committed_on=on or timezone.localdate(),
        created_by=actor,
    )
    record(
        actor=actor,
        event="resource.committed",
        target=locked,
        changes={
            "commitment": snapshot(commitment, ["amount", "description", "ask_id", "committed_on"])
        },
    )
    return commitment


@transaction.atomic
def delete_commitment(*, actor: User, commitment: Commitment) -> None:
    """Release a commitment, making its amount available again."""
    record(
        actor=actor,
        event="resource.commitment_released",
        target=commitment.resource,
        changes={
            "commitment": snapshot(commitment, ["amount", "description", "ask_id", "committed_on"])
        },
    )
    commitment.delete()
