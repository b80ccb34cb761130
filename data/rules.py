"""Who may add to the data portal's evidence library, and from which pages. Reading goes
through powershare.visibility like everything else."""

from __future__ import annotations

from typing import Any

from powershare.visibility import can_edit, can_view
from support.models import Ask
from support.rules import can_comment


def can_add_evidence(user: Any) -> bool:
    """Department staff and members of an organization add evidence."""
    return bool(
        getattr(user, "is_authenticated", False) and (user.is_department or user.is_partner)
    )


def can_link_evidence(user: Any, record: Any) -> bool:
    """May ``user`` add evidence linked to ``record`` (a campaign or an ask) from its page?
    A campaign: its organization's members and staff who read it. An ask: its two sides, the
    asking organization and the staff who read it."""
    if not can_add_evidence(user):
        return False
    if isinstance(record, Ask):
        return can_comment(user, record)
    return can_edit(user, record) or bool(user.is_department and can_view(user, record))
