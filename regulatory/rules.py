"""Who may do what with complaints. Reading goes through ``Complaint.objects.visible_to``
(members of the filing organization and department staff); these add the finer rules."""

from __future__ import annotations

from typing import Any

from powershare.visibility import is_member_of
from regulatory.models import Complaint


def _staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_department)


def is_filer(user: Any, complaint: Complaint) -> bool:
    """A member of the organization that filed the complaint."""
    return is_member_of(user, complaint.organization_id)


def can_handle(user: Any, complaint: Complaint) -> bool:
    """Department staff triage, inspect and close complaints."""
    return _staff(user)


def is_high_risk(complaint: Complaint) -> bool:
    """Retaliation was reported against the complainant (a report is high-risk by default)."""
    return complaint.retaliations.filter(high_risk=True).exists()


def can_see_identity(user: Any, complaint: Complaint) -> bool:
    """The complainant's name and contact: the partner who wrote them down, the assigned
    inspector and department admins. Nobody else, staff included; and once the complainant
    is high-risk (retaliation), only the partner who wrote them down."""
    if not getattr(user, "is_authenticated", False):
        return False
    if complaint.filed_by_id is not None and complaint.filed_by_id == user.pk:
        return True
    if is_high_risk(complaint):
        return False
    if user.is_department_admin:
        return True
    if complaint.assigned_inspector_id is not None and complaint.assigned_inspector_id == user.pk:
        return True
    return complaint.filed_by_id is not None and complaint.filed_by_id == user.pk


def can_see_files(user: Any, complaint: Complaint) -> bool:
    """Photos and evidence, for whoever reads the complaint; an anonymous complaint's only for
    the assigned inspector and department admins, since a photo can identify who took it."""
    if not complaint.anonymous:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_department_admin:
        return True
    return (
        complaint.assigned_inspector_id is not None and complaint.assigned_inspector_id == user.pk
    )


def can_report_retaliation(user: Any, complaint: Complaint) -> bool:
    return is_filer(user, complaint) or _staff(user)
