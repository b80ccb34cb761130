"""Changes to the comment periods: open rulemakings and permit hearings where partners can
mobilize testimony."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from powershare.audit.log import diff, record, snapshot
from regulatory.actions.common import require_staff
from regulatory.models import CommentPeriod

PERIOD_FIELDS = [
    "title",
    "kind",
    "authority_id",
    "action_id",
    "description",
    "opens",
    "closes",
    "hearing_at",
    "location",
    "how_to_comment",
    "link",
    "visibility",
]


@transaction.atomic
def save_comment_period(
    *, actor: User, period: CommentPeriod | None = None, **fields: Any
) -> CommentPeriod:
    """Create or change a comment period or hearing."""
    require_staff(actor)
    creating = period is None
    period = period or CommentPeriod()
    before = {} if creating else snapshot(period, PERIOD_FIELDS)
    for name, value in fields.items():
        setattr(period, name, value)
    if period.opens and period.closes and period.closes < period.opens:
        raise ValidationError({"closes": _("Comments must close on or after the day they open.")})
    period.full_clean()
    after = snapshot(period, PERIOD_FIELDS)
    changes = after if creating else diff(before, after)
    if not creating and changes:
        period.sequence += 1  # so subscribed calendars replace their copy of its events
    period.save()
    record(
        actor=actor,
        event="comment_period.created" if creating else "comment_period.updated",
        target=period,
        changes=changes,
    )
    return period
