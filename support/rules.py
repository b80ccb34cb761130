"""Who may do what with an ask. Reading goes through powershare.visibility like everything else;
these predicates add the two sides of the ledger: the asking organization and the staff answering.
"""

from __future__ import annotations

from typing import Any

from powershare.visibility import can_view, is_member_of
from support.models import Ask

# Statuses only staff may set, and the one only the asking organization may set.
STAFF_STATUSES = {
    Ask.Status.ACKNOWLEDGED,
    Ask.Status.IN_PROGRESS,
    Ask.Status.DELIVERED,
    Ask.Status.DECLINED,
}
PARTNER_STATUSES = {Ask.Status.WITHDRAWN}


def _staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_department)


def can_view_ask(user: Any, ask: Ask) -> bool:
    """The object twin of ``Ask.objects.visible_to``: the visibility rules, plus the owner."""
    if can_view(user, ask):
        return True
    return _staff(user) and ask.owner_id is not None and ask.owner_id == user.pk


def is_asker(user: Any, ask: Ask) -> bool:
    """A member of the organization that made the ask."""
    return is_member_of(user, ask.organization_id)


def can_answer(user: Any, ask: Ask) -> bool:
    """Department staff who can see the ask triage, assign and answer it."""
    return _staff(user) and can_view_ask(user, ask)


def can_edit_ask(user: Any, ask: Ask) -> bool:
    """The asking organization edits its ask while it is open."""
    return ask.is_open and is_asker(user, ask)


def can_comment(user: Any, ask: Ask) -> bool:
    """Both sides of the ask may comment: the asking organization and staff who can see it."""
    return is_asker(user, ask) or can_answer(user, ask)


def can_move(user: Any, ask: Ask) -> bool:
    """Is ``user`` on either side that moves an ask: staff who answer it, or the asking
    organization (which withdraws it)? Checked before the move's form is read."""
    return is_asker(user, ask) or can_answer(user, ask)


def may_set_status(user: Any, ask: Ask, status: str) -> bool:
    """Is ``user`` on the side that may set ``status``? (Not whether the move is legal now.)"""
    if status in PARTNER_STATUSES:
        return is_asker(user, ask)
    if status in STAFF_STATUSES:
        return can_answer(user, ask)
    return False


def next_statuses_for(user: Any, ask: Ask) -> list[str]:
    """The statuses ``user`` may move ``ask`` to now."""
    return [s for s in ask.next_statuses() if may_set_status(user, ask, s)]
