"""Who may do what with partners' records. Visibility itself lives in powershare.visibility."""

from __future__ import annotations

from typing import Any

import rules

from powershare.visibility import can_view, is_department_admin, is_department_staff, is_member_of


def can_see_contact(user: Any, record: Any) -> bool:
    """Contact details: staff and the record's organizations; high-risk ones only the latter."""
    if not can_view(user, record):
        return False
    org_ids = contact_org_ids(record)
    if any(is_member_of(user, org_id) for org_id in org_ids):
        return True
    if record.high_risk:
        return False
    if record._meta.model_name == "organization":
        return True  # a non-high-risk organization's contact is its public contact
    return bool(getattr(user, "is_authenticated", False) and user.is_department)


def contact_org_ids(record: Any) -> set[int]:
    if record._meta.model_name == "organization":
        return {record.pk}
    ids = set(record.roles.values_list("organization_id", flat=True))
    if record.organization_id:
        ids.add(record.organization_id)
    return ids


def can_manage_members(user: Any, organization: Any) -> bool:
    """Organization admins invite and remove members; department admins invite the first admin."""
    if not getattr(user, "is_authenticated", False):
        return False
    if organization.pk in user.admin_organization_ids:
        return True
    return bool(user.is_department_admin)


def can_rate_partnership(user: Any, partnership: Any, side: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if side == "department":
        return bool(user.is_department)
    return is_member_of(user, partnership.cpbo_id)


rules.add_perm("partners.add_organization", is_department_staff)
rules.add_perm("partners.add_partnership", is_department_admin)
rules.add_perm("partners.change_partnership", is_department_admin)
rules.add_perm("partners.add_meeting", is_department_staff)
rules.add_perm("partners.add_agreement", is_department_staff)
