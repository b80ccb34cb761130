"""Who may do what with the board's records. Board admins are department admins, and the
member who holds the chair's seat; department staff answer recommendations; board members read
materials and their own stipend record; the public reads what is published."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_chair(user: Any) -> bool:
    """Holds the chair's seat today."""
    if not _signed_in(user) or not user.is_board_member:
        return False
    from accountability.models import Term

    return Term.objects.seated().filter(member=user, seat__is_chair=True).exists()


def is_board_admin(user: Any) -> bool:
    """Runs the board: schedules meetings, records motions, manages seats and stipends."""
    return _signed_in(user) and (user.is_department_admin or is_chair(user))


def is_board_insider(user: Any) -> bool:
    """Board members and department staff read every meeting and its materials."""
    return _signed_in(user) and (user.is_department or user.is_board_member)


def can_answer(user: Any) -> bool:
    """Department staff write the department's responses and keep its commitments."""
    return _signed_in(user) and user.is_department


def can_read_material(user: Any, material: Any) -> bool:
    if is_board_insider(user):
        return True
    return bool(material.is_public and material.meeting.is_public)


def can_request_access(meeting: Any) -> bool:
    """Access needs are asked for in advance: before a meeting that is still on."""
    return meeting.status == meeting.Status.SCHEDULED and meeting.starts > timezone.now()


def require_board_admin(actor: Any) -> None:
    """Actions call this first: anyone but a board admin is refused."""
    if not is_board_admin(actor):
        raise PermissionDenied


def require_staff(actor: Any) -> None:
    if not can_answer(actor):
        raise PermissionDenied
