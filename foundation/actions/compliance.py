"""The compliance check on support: classifying the support an ask received, with a warning
when a resource that may not pay for lobbying is chosen for lobbying."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from foundation.actions.resources import add_commitment
from foundation.models import Activity, AskClassification, Resource
from powershare.audit.log import record, snapshot
from support.models import Ask


class LobbyingWarning(ValidationError):
    """A resource that may not pay for lobbying was chosen for lobbying; confirm to go on."""


def needs_classification(ask: Ask) -> bool:
    """Asks for testimony, regulatory action, convening or funding must be classified."""
    return ask.kind in AskClassification.ASK_KINDS


@transaction.atomic
def classify_ask(
    *,
    actor: User,
    ask: Ask,
    activity: str,
    resource: Resource | None,
    amount: Decimal | None = None,
    note: str = "",
    acknowledge_lobbying_warning: bool = False,
    at: Any = None,
) -> AskClassification:
    """Classify the activity of supporting an ask and what pays for it.

    Partisan election activity is refused outright. Lobbying paid by a resource that may not pay
    for lobbying raises :class:`LobbyingWarning` unless the warning was acknowledged. With an
    amount, part of the resource is committed to the ask."""
    if not actor.is_department or not Ask.objects.visible_to(actor).filter(pk=ask.pk).exists():
        raise PermissionDenied
    if not needs_classification(ask):
        raise ValidationError(
            _("Only asks for testimony, regulatory action, convening or funding are classified.")
        )
    if activity == Activity.PARTISAN:
        raise ValidationError(
            {
                "activity": _(
                    "Partisan election activity cannot be recorded as department work. Staff may "
                    "not support it on work time or with department resources."
                )
            }
        )
    if activity not in Activity.values:
        raise ValidationError({"activity": _("Choose a kind of activity.")})
    warned = bool(resource and resource.bars_lobbying and activity == Activity.LOBBYING)
    if warned and not acknowledge_lobbying_warning:
        raise LobbyingWarning(
            _(
                "%(resource)s may not pay for lobbying, grassroots lobbying included. Choose "
                "another resource, or confirm that you have checked this with counsel."
            )
            % {"resource": resource.name if resource else ""}
        )
    commitment = None
    if amount:
        if resource is None:
            raise ValidationError({"amount": _("Choose the resource the amount comes from.")})
        commitment = add_commitment(
            actor=actor, resource=resource, amount=amount, description=ask.title, ask=ask
        )
    classification = AskClassification.objects.create(
        ask=ask,
        activity=activity,
        resource=resource,
        commitment=commitment,
        note=note,
        lobbying_warning_acknowledged=warned,
        classified_by=actor,
        at=at or timezone.now(),
    )
    record(
        actor=actor,
        event="ask.classified",
        target=ask,
        changes=snapshot(
            classification, ["activity", "resource_id", "note", "lobbying_warning_acknowledged"]
        ),
    )
    return classification
