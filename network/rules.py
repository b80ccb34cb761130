"""Who may do what in the network. Reading is decided by powershare.visibility alone."""

from __future__ import annotations

from typing import Any

from powershare.visibility import can_edit, can_view, is_member_of


def records_network(user: Any) -> bool:
    """Staff record the department's relationships; partners their organization's."""
    return bool(
        getattr(user, "is_authenticated", False) and (user.is_department or user.is_partner)
    )


def can_map(user: Any, campaign: Any) -> bool:
    """A campaign's organizers place actors on its map and judge their positions."""
    return can_edit(user, campaign)


def can_add_power(user: Any, campaign: Any) -> bool:
    """Organizers of the campaign and department staff who can read it add to its inventory."""
    if not can_view(user, campaign) or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_department) or is_member_of(user, campaign.organization_id)
