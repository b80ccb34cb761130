"""Who may do what with partners' records. Visibility itself lives in powershare.visibility."""

from __future__ import annotations

from typing import Any

import rules
from django.utils.translation import gettext_lazy as _

from powershare.visibility import (
    can_edit,
    can_view,
    is_department_admin,
    is_department_staff,
    is_member_of,
)

# The contact fields of each kind of record; nothing else about a record is a contact.
CONTACT_FIELDS = {
    "person": ("email", "phone"),
    "organization": ("contact_email", "contact_phone"),
    "user": ("email",),
    "invitation": ("email",),
}
HIDDEN_HIGH_RISK = _("Hidden: high-risk")


def can_see_contact(user: Any, record: Any) -> bool:
    """May ``user`` read the contact details of ``record`` (a person, an organization, a user
    account or an invitation)? The one rule every page, export, API answer, search, duplicate
    warning, email and the audit log follows: high-risk ones only inside their organization,
    department staff and admins included; others as their record's readers may."""
    kind = record._meta.model_name
    if kind in ("user", "invitation"):
        return _can_see_account(user, record)
    if not can_view(user, record):
        return False
    if can_edit(user, record):
        return True  # the record's owners read what they wrote (their edit form holds it)
    if any(is_member_of(user, org_id) for org_id in contact_org_ids(record)):
        return True
    if is_high_risk(record):
        return False
    if kind == "organization":
        return True  # a non-high-risk organization's contact is its public contact
    return bool(getattr(user, "is_authenticated", False) and user.is_department)


def is_high_risk(record: Any) -> bool:
    """Flagged high-risk, or (a person, an account or an invitation) belonging to a high-risk
    organization: a member's contact exposes the organization too."""
    kind = record._meta.model_name
    if kind == "organization":
        return bool(record.high_risk)
    if kind == "person":
        return bool(record.high_risk) or record.roles.filter(organization__high_risk=True).exists()
    if kind == "user":
        return record.memberships.filter(organization__high_risk=True).exists()
    if kind == "invitation":
        return bool(record.organization_id and record.organization.high_risk)
    return False


def _can_see_account(user: Any, account: Any) -> bool:
    """A user's (or an invitation's) email: themselves and fellow members; department staff
    too, unless the account belongs to a high-risk organization."""
    if not getattr(user, "is_authenticated", False):
        return False
    if account._meta.model_name == "user" and account.pk == user.pk:
        return True
    if any(is_member_of(user, org_id) for org_id in contact_org_ids(account)):
        return True
    if is_high_risk(account):
        return False
    return bool(user.is_department)


def contact_org_ids(record: Any) -> set[int]:
    """The organizations whose members may always read ``record``'s contact details."""
    kind = record._meta.model_name
    if kind == "organization":
        return {record.pk}
    if kind == "user":
        return set(record.memberships.values_list("organization_id", flat=True))
    if kind == "invitation":
        return {record.organization_id} if record.organization_id else set()
    ids = set(record.roles.values_list("organization_id", flat=True))
    if record.organization_id:
        ids.add(record.organization_id)
    return ids


def contact_value(user: Any, record: Any, field: str) -> str:
    """``record``'s contact ``field`` if ``user`` may read it, else "" (for exports, the API,
    searches and matching, where a hidden value must leave no trace)."""
    if field not in CONTACT_FIELDS.get(record._meta.model_name, ()):
        raise ValueError(f"{field} is not a contact field of {record._meta.label}")
    value = getattr(record, field) or ""
    return value if value and can_see_contact(user, record) else ""


def shown_contact(user: Any, record: Any, *fields: str) -> str:
    """What a page shows for contact ``fields``: the values ``user`` may read, joined; or
    "Hidden: high-risk" where there are values they may not read because the record is
    high-risk; or "" (nothing recorded, or hidden by the record's visibility)."""
    values = [contact_value(user, record, field) for field in fields]
    if any(values):
        return " · ".join(v for v in values if v)
    if any(getattr(record, field) for field in fields) and is_high_risk(record):
        return str(HIDDEN_HIGH_RISK)
    return ""


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
