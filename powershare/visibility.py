"""The visibility rules every partner-owned record obeys.

A record is owned by an organization (its ``organization`` field, or the
organization itself) or by the department (no owning organization), and carries a
``visibility`` its owner chooses:

- ``private``: members of the owning organization only
- ``liaison``: plus the department staff assigned as liaisons to a partnership with it
- ``department``: plus all department staff
- ``public``: everyone, signed out included

Lists filter with :func:`visible_q` (through ``QuerySet.visible_to``), details use
:func:`get_visible_or_404` / :func:`get_editable_or_403`, and object checks use
:func:`can_view` / :func:`can_edit`. Nothing else decides who sees a record.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

import rules
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Private: our organization only")
    LIAISON = "liaison", _("Liaison: plus our liaisons at the department")
    DEPARTMENT = "department", _("Department: plus all department staff")
    PUBLIC = "public", _("Public: everyone")


STAFF_VISIBILITIES = [Visibility.DEPARTMENT, Visibility.PUBLIC]
DISCLOSURE_NOTICE = _(
    "What you write here can be read by department staff, and records a government "
    "holds may be disclosed under public-records law. Keep sensitive strategy and "
    "personal details out, or keep the record private."
)


class VisibleRecord(Protocol):
    visibility: str

    def owning_organization_id(self) -> int | None: ...


def _member_orgs(user: Any) -> models.QuerySet:
    from accounts.models import Membership

    return Membership.objects.filter(user=user).values("organization_id")


def _liaison_orgs(user: Any) -> models.QuerySet:
    # Through the user's side of Partnership.liaisons: partners.models imports this module.
    return user.liaison_for.values("cpbo_id")


def visible_q(user: Any, owner: str = "organization") -> Q:
    """A filter selecting the records ``user`` may read; ``owner`` is the owning-org path."""
    q = Q(visibility=Visibility.PUBLIC)
    if not getattr(user, "is_authenticated", False):
        return q
    q |= Q(**{f"{owner}__in": _member_orgs(user)})
    if user.is_department:
        q |= Q(visibility=Visibility.DEPARTMENT)
        q |= Q(visibility=Visibility.LIAISON, **{f"{owner}__in": _liaison_orgs(user)})
    return q


def is_liaison_for(user: Any, org_id: int | None) -> bool:
    if org_id is None or not getattr(user, "is_department", False):
        return False
    return user.liaison_for.filter(cpbo_id=org_id).exists()


def is_member_of(user: Any, org_id: int | None) -> bool:
    if org_id is None or not getattr(user, "is_authenticated", False):
        return False
    return org_id in user.organization_ids


def can_view(user: Any, record: VisibleRecord) -> bool:
    """May ``user`` read ``record``? The object-level twin of :func:`visible_q`."""
    if record.visibility == Visibility.PUBLIC:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    org_id = record.owning_organization_id()
    if is_member_of(user, org_id):
        return True
    if not user.is_department:
        return False
    if record.visibility == Visibility.DEPARTMENT:
        return True
    if record.visibility == Visibility.LIAISON:
        return is_liaison_for(user, org_id)
    return False


def can_edit(user: Any, record: VisibleRecord) -> bool:
    """Owners edit their own records: members of the owning org, or staff for the department's."""
    if not getattr(user, "is_authenticated", False):
        return False
    org_id = record.owning_organization_id()
    if org_id is None:
        return bool(user.is_department)
    return is_member_of(user, org_id)


@rules.predicate
def is_department_staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_department)


@rules.predicate
def is_department_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_department_admin)


@rules.predicate
def is_analyst(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.department_role == "analyst")


@rules.predicate
def is_partner(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_partner)


@rules.predicate
def viewable(user: Any, record: VisibleRecord | None) -> bool:
    return record is not None and can_view(user, record)


@rules.predicate
def editable(user: Any, record: VisibleRecord | None) -> bool:
    return record is not None and can_edit(user, record)


M = TypeVar("M", bound=models.Model)


def get_visible_or_404(queryset: models.QuerySet[M], user: Any, **lookup: Any) -> M:
    """The record if ``user`` may read it; otherwise 404, so outsiders can't tell it exists."""
    try:
        return queryset.visible_to(user).get(**lookup)  # type: ignore[attr-defined]
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_editable_or_403(queryset: models.QuerySet[M], user: Any, **lookup: Any) -> M:
    """The record if ``user`` may change it; 404 if they can't see it, 403 if they can't edit."""
    record = get_visible_or_404(queryset, user, **lookup)
    if not can_edit(user, record):  # type: ignore[arg-type]
        raise PermissionDenied
    return record


class VisibleQuerySet(models.QuerySet):
    """A queryset whose ``visible_to(user)`` applies the visibility rules."""

    owner_path = "organization"

    def visible_to(self, user: Any) -> VisibleQuerySet:
        return self.filter(visible_q(user, self.owner_path))

    def editable_by(self, user: Any) -> VisibleQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        q = Q(**{f"{self.owner_path}__in": _member_orgs(user)})
        if user.is_department and self.owner_path == "organization":
            q |= Q(organization__isnull=True)
        return self.filter(q)
