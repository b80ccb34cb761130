"""A small county around one campaign: a decision-maker, the department's ties to her, and
partners' own ties (some private)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from network import actions
from network.models import Relationship
from partners.models import Campaign, Organization, Person
from powershare.testing import make_campaign, make_org, make_person


@dataclass
class County:
    supervisor: Person
    health_officer: Person
    rosa: Person
    secret_friend: Person
    board: Organization
    campaign_a: Campaign
    campaign_b: Campaign
    officer_at_unit: Relationship
    officer_knows_supervisor: Relationship
    rosa_knows_supervisor: Relationship
    friend_knows_supervisor: Relationship


def tie(
    actor: Any, a: Any, b: Any, kind: str, strength: int, owner: Any, visibility: str
) -> Relationship:
    return actions.create_relationship(
        actor=actor,
        from_actor=a,
        to_actor=b,
        kind=kind,
        organization=owner,
        strength=strength,
        visibility=visibility,
    )


@pytest.fixture
def county(cast: Any) -> County:
    board = make_org("County Board of Supervisors", kind="elected", visibility="public")
    supervisor = make_person(
        name="Maria Delgado", visibility="public", email="md@county.example.gov"
    )
    health_officer = make_person(name="Nia Freeman", visibility="department")
    rosa = make_person(cast.org_a, name="Rosa Martinez", visibility="public")
    # Known only to Eastside: a private record, with a private tie to the supervisor.
    secret_friend = make_person(cast.org_a, name="Secret Friend", visibility="private")
    campaign_a = make_campaign(cast.org_a, visibility="public", title="Healthy Housing")
    campaign_b = make_campaign(cast.org_b, visibility="public", title="Heat Protections")
    for campaign in (campaign_a, campaign_b):
        campaign.target_people.add(supervisor)
        actions.place_actor(
            actor=cast.partner_a if campaign is campaign_a else cast.partner_b,
            campaign=campaign,
            who=supervisor,
            tier="primary",
            role="decision_maker",
            stance=-1,
            influence=3,
            assessed_on=date(2025, 1, 10),
            evidence="Said no at the hearing.",
        )
    tie(cast.partner_a, rosa, cast.org_a, "works_at", 3, cast.org_a, "public")
    return County(
        supervisor=supervisor,
        health_officer=health_officer,
        rosa=rosa,
        secret_friend=secret_friend,
        board=board,
        campaign_a=campaign_a,
        campaign_b=campaign_b,
        officer_at_unit=tie(
            cast.admin, health_officer, cast.unit, "works_at", 3, None, "department"
        ),
        officer_knows_supervisor=tie(
            cast.admin, health_officer, supervisor, "ally_of", 1, None, "department"
        ),
        rosa_knows_supervisor=tie(
            cast.partner_a, rosa, supervisor, "ally_of", 3, cast.org_a, "private"
        ),
        friend_knows_supervisor=tie(
            cast.partner_a, secret_friend, supervisor, "family", 3, cast.org_a, "department"
        ),
    )
