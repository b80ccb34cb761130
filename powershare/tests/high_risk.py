"""High-risk people and organizations in the visibility matrix: their contact values never
reach an outsider. The records that carry them, and the check every answer of the matrix
goes through."""

from __future__ import annotations

from datetime import date
from typing import Any

from powershare.testing import Cast

HIGH_RISK_MARK = "zq7hr"


# Contact values of a high-risk organization, its members and a person it records: nobody in the
# cast is a member, so no role may read any of them anywhere.
HIGH_RISK_ORG_VALUES = [
    f"voces.{HIGH_RISK_MARK}@voces.example.org",
    "(555) 013-7731",
    f"member.{HIGH_RISK_MARK}@voces.example.org",
    f"nameless.{HIGH_RISK_MARK}@voces.example.org",
    f"invitee.{HIGH_RISK_MARK}@voces.example.org",
    f"leader.{HIGH_RISK_MARK}@voces.example.org",
    "(555) 013-4410",
]


# A high-risk person organization A records: only A's members may read these.
HIGH_RISK_PERSON_VALUES = [
    f"ana.{HIGH_RISK_MARK}@example.org",
    "(555) 013-2052",
    f"Moved to a shelter {HIGH_RISK_MARK}",
]


def high_risk_records(cast: Cast, campaign: Any) -> dict[str, Any]:
    """A high-risk organization with members and an invitation, a high-risk person of its own
    and one recorded by organization A, made through the actions so the audit log has them;
    both people are targets of a public campaign and hold roles at visible organizations."""
    from accounts import actions as account_actions
    from accounts.models import Membership
    from partners import actions as partner_actions
    from powershare.testing import make_user

    org_email, org_phone, member_email, nameless_email, invitee, leader, leader_phone = (
        HIGH_RISK_ORG_VALUES
    )
    voces = partner_actions.create_organization(
        actor=cast.admin,
        name="Voces Sin Fronteras",
        kind="cpbo",
        mission="Immigrant workers organizing for safe jobs",
        contact_email=org_email,
        contact_phone=org_phone,
        high_risk=True,
        visibility="public",
    )
    member = make_user(member_email, name="Quiet Member")
    nameless = make_user(nameless_email)
    nameless.name = ""
    nameless.save()
    Membership.objects.create(user=member, organization=voces, role="admin")
    Membership.objects.create(user=nameless, organization=voces, role="member")
    account_actions.invite(
        actor=member, email=invitee, organization=voces, membership_role="member"
    )
    outsider = partner_actions.save_person(
        actor=nameless,
        organization=voces,
        roles=[(voces, "Lead organizer")],
        name="Rosa Leader",
        email=leader,
        phone=leader_phone,
        high_risk=True,
        visibility="department",
    )
    partner_actions.update_organization(actor=member, organization=voces, contact_phone=org_phone)
    email, phone, notes = HIGH_RISK_PERSON_VALUES
    person = partner_actions.save_person(
        actor=cast.partner_a,
        organization=cast.org_a,
        roles=[(cast.org_a, "Building captain"), (voces, "Ally")],
        name="Ana Captain",
        email=email,
        phone=phone,
        notes=notes,
        high_risk=True,
        visibility="department",
    )
    partner_actions.save_person(actor=cast.partner_a, person=person, phone=phone)
    campaign.target_people.add(person, outsider)
    campaign.target_organizations.add(voces)
    _high_risk_in_the_network(cast, campaign, person, outsider, voces)
    return {"high_risk_org": voces, "high_risk_person": person, "high_risk_outsider": outsider}


def _high_risk_in_the_network(cast: Cast, campaign: Any, *actors: Any) -> None:
    """The high-risk records on the power map and in a one-to-one, so the network's pages,
    exports and the partnership's page show them."""
    from network import actions as network_actions
    from partners import actions as partner_actions

    person, outsider, voces = actors
    for visibility, (source, target) in zip(
        ("department", "public"), ((person, voces), (cast.org_a, outsider)), strict=True
    ):
        network_actions.create_relationship(
            actor=cast.partner_a,
            from_actor=source,
            to_actor=target,
            kind="ally_of",
            organization=cast.org_a,
            visibility=visibility,
        )
    network_actions.place_actor(
        actor=cast.partner_a,
        campaign=campaign,
        who=person,
        tier="primary",
        role="ally",
        stance=2,
        influence=2,
        assessed_on=date(2025, 1, 1),
        evidence="Spoke at the hearing",
    )
    partner_actions.record_meeting(
        actor=cast.liaison,
        partnership=cast.partnership_a,
        staff=[cast.liaison],
        people=[person, outsider],
        date=date(2025, 2, 1),
        purpose="Safety planning",
        shared_with_partner=True,
    )


def body_of(response: Any) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace")


def high_risk_leaks(role: str, response: Any) -> list[str]:
    """The high-risk contact values in ``response`` that ``role`` may not read."""
    forbidden = list(HIGH_RISK_ORG_VALUES)
    if role != "partner_a":
        forbidden += HIGH_RISK_PERSON_VALUES
    body = body_of(response)
    return [value for value in forbidden if value in body]
