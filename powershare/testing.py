"""The small cast every test reuses, and factories for records. Tests only."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

from accounts.models import Membership, User
from partners.models import Campaign, Organization, Partnership, Person
from support.models import Ask

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


def make_user(email: str, *, name: str = "", **fields: Any) -> User:
    return User.objects.create_user(email, PASSWORD, name=name or email.split("@")[0], **fields)


def make_org(name: str | None = None, *, kind: str = "cpbo", **fields: Any) -> Organization:
    return Organization.objects.create(
        name=name or f"Organization {next(_seq)}", kind=kind, **fields
    )


def make_campaign(
    organization: Organization, *, visibility: str = "private", **fields: Any
) -> Campaign:
    fields.setdefault("title", f"Campaign {next(_seq)}")
    fields.setdefault("issue_area", "housing")
    fields.setdefault("goal", "Healthy homes for every tenant")
    return Campaign.objects.create(organization=organization, visibility=visibility, **fields)


def make_ask(organization: Organization, *, visibility: str = "liaison", **fields: Any) -> Ask:
    fields.setdefault("title", f"Ask {next(_seq)}")
    fields.setdefault("kind", "data")
    fields.setdefault("description", "Asthma ED visit rates for our neighborhood")
    return Ask.objects.create(organization=organization, visibility=visibility, **fields)


def make_person(organization: Organization | None = None, **fields: Any) -> Person:
    fields.setdefault("name", f"Person {next(_seq)}")
    fields.setdefault("visibility", "department")
    return Person.objects.create(organization=organization, **fields)


@dataclass
class Cast:
    """A department admin, a liaison, an analyst, a partner of A and of B, a board
    member, a reviewer; organization A (with a partnership whose liaison is ``liaison``),
    organization B, and the department unit."""

    admin: User
    liaison: User
    analyst: User
    partner_a: User
    partner_b: User
    board_member: User
    reviewer: User
    org_a: Organization
    org_b: Organization
    unit: Organization
    partnership_a: Partnership

    def roles(self) -> dict[str, User | None]:
        """Every role by name; ``public`` is the signed-out visitor."""
        return {
            "admin": self.admin,
            "liaison": self.liaison,
            "analyst": self.analyst,
            "partner_a": self.partner_a,
            "partner_b": self.partner_b,
            "board_member": self.board_member,
            "reviewer": self.reviewer,
            "public": None,
        }


def make_cast() -> Cast:
    unit = make_org("Environmental Health Division", kind="unit", visibility="public")
    org_a = make_org("Eastside Tenants Union", visibility="public", mission="Healthy homes")
    org_b = make_org("Harbor Worker Center", visibility="public", mission="Safe jobs")
    admin = make_user("alice@health.example.gov", name="Alice Admin", department_role="admin")
    liaison = make_user("lee@health.example.gov", name="Lee Liaison", department_role="liaison")
    analyst = make_user("ana@health.example.gov", name="Ana Analyst", department_role="analyst")
    partner_a = make_user("pat@eastside.example.org", name="Pat Partner")
    partner_b = make_user("bo@harbor.example.org", name="Bo Partner")
    Membership.objects.create(user=partner_a, organization=org_a, role="admin")
    Membership.objects.create(user=partner_b, organization=org_b, role="admin")
    board_member = make_user("bea@example.net", name="Bea Board", is_board_member=True)
    reviewer = make_user("rey@example.net", name="Rey Reviewer", is_reviewer=True)
    partnership_a = Partnership.objects.create(unit=unit, cpbo=org_a, started=date(2024, 1, 15))
    partnership_a.liaisons.add(liaison)
    return Cast(
        admin=admin,
        liaison=liaison,
        analyst=analyst,
        partner_a=partner_a,
        partner_b=partner_b,
        board_member=board_member,
        reviewer=reviewer,
        org_a=org_a,
        org_b=org_b,
        unit=unit,
        partnership_a=partnership_a,
    )
