"""Factories for the regulatory module's tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from regulatory import actions
from regulatory.models import Authority, CommentPeriod, Complaint, RegulatoryAction


def make_authority(cast: Any, **fields: Any) -> Authority:
    fields.setdefault("name", "Housing code inspections")
    fields.setdefault("kind", "inspection")
    fields.setdefault("legal_basis", "Health and Safety Code § 17961")
    fields.setdefault("can_require", "Repairs of substandard conditions")
    return actions.save_authority(actor=cast.admin, unit=cast.unit, **fields)


def make_action(
    cast: Any, *, campaigns: list[Any] = (), visibility: str = "department", **fields: Any
) -> RegulatoryAction:
    fields.setdefault("title", "Proactive inspections of Maple Court")
    authority = fields.pop("authority", None) or make_authority(cast)
    return actions.save_action(
        actor=cast.admin,
        authority=authority,
        visibility=visibility,
        campaigns=list(campaigns),
        **fields,
    )


def make_complaint(
    cast: Any, *, user: Any = None, organization: Any = None, **fields: Any
) -> Complaint:
    fields.setdefault("category", "housing")
    fields.setdefault("violation_type", "mold")
    fields.setdefault("issue", "Black mold in the bedroom; the landlord ignores requests.")
    fields.setdefault("address", "12 Maple Court")
    fields.setdefault("neighborhood", "Eastside")
    fields.setdefault("building_owner", "Maple Holdings LLC")
    fields.setdefault("complainant_name", "Maria Lopez")
    fields.setdefault("complainant_phone", "555-0101")
    return actions.file_complaint(
        actor=user or cast.partner_a, organization=organization or cast.org_a, **fields
    )


def make_period(cast: Any, **fields: Any) -> CommentPeriod:
    fields.setdefault("title", "Warehouse permit hearing")
    fields.setdefault("kind", "permit_hearing")
    fields.setdefault("opens", date(2026, 1, 1))
    fields.setdefault("closes", date(2099, 1, 1))
    fields.setdefault("visibility", "public")
    return actions.save_comment_period(actor=cast.admin, **fields)
