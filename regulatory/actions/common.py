"""What the regulatory actions share: staff-only changes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.models import User


def require_staff(actor: User) -> None:
    if not actor.is_department:
        raise PermissionDenied
