"""The network's rows of the visibility matrix (run by powershare/tests/test_matrix.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from network import actions
from network.models import Grant, PowerHolding, Relationship
from powershare.matrix import (
    PARTNERS,
    READERS,
    SIGNED_IN,
    STAFF,
    Row,
    by_visibility,
    everyone,
    page,
    signed_in_only,
)
from powershare.testing import Cast, make_campaign, make_org, make_person

RECORDERS = STAFF | PARTNERS


def _power_rows() -> list[Row]:
    rows = []
    for visibility, readers in READERS.items():
        ok = readers & (STAFF | {"partner_a"})
        expected = page(ok, denied=readers - ok - {"public"})
        rows.append(
            Row(
                "network:power_new",
                lambda c, r, v=visibility: [r["network_campaign"][v].pk],
                expected,
                label=visibility,
            )
        )
    return rows


ROWS: list[Row] = [
    Row("network:index", lambda c, r: [], everyone()),
    Row("network:relationships", lambda c, r: [], everyone()),
    Row("network:relationship_export", lambda c, r: [], everyone()),
    Row("network:relationship_graphml", lambda c, r: [], everyone()),
    Row("network:relationship_new", lambda c, r: [], signed_in_only(RECORDERS)),
    *by_visibility("network:relationship", "network_relationship"),
    *by_visibility("network:relationship_edit", "network_relationship", edit=True),
    *by_visibility("network:relationship_delete", "network_relationship", edit=True),
    *by_visibility("network:campaign", "network_campaign"),
    *by_visibility("network:campaign_graph", "network_campaign"),
    *by_visibility("network:campaign_paths", "network_campaign"),
    *by_visibility("network:campaign_funders", "network_campaign"),
    *by_visibility("network:campaign_export", "network_campaign"),
    *by_visibility("network:campaign_graphml", "network_campaign"),
    *by_visibility("network:position_new", "network_campaign", edit=True),
    *_power_rows(),
    *by_visibility("network:position", "network_position"),
    *by_visibility("network:position_assess", "network_position", edit=True, method="post"),
    *by_visibility("network:position_delete", "network_position", edit=True),
    *by_visibility("network:power_delete", "network_power", edit=True),
    Row("network:funders", lambda c, r: [], everyone()),
    Row("network:funder", lambda c, r: [r["network_funder"].pk], everyone()),
    Row("network:grant_new", lambda c, r: [], signed_in_only(RECORDERS)),
    *by_visibility("network:grant_delete", "network_grant", edit=True),
    Row("network:import", lambda c, r: [], signed_in_only(RECORDERS)),
    Row("network:duplicates", lambda c, r: [], signed_in_only(RECORDERS)),
    Row(
        "network:merge",
        lambda c, r: [],
        page(set(), denied=SIGNED_IN - RECORDERS) | {role: "redirect" for role in RECORDERS},
    ),
]


def records(cast: Cast) -> dict[str, Any]:
    official = make_person(name="Matrix Official", visibility="public")
    funder = make_org("Matrix Fund", kind="funder", visibility="public")
    public_campaign = make_campaign(cast.org_a, visibility="public", title="Matrix public map")
    made: dict[str, Any] = {
        "network_funder": funder,
        "network_relationship": {},
        "network_campaign": {},
        "network_position": {},
        "network_power": {},
        "network_grant": {},
    }
    for visibility in READERS:
        made["network_relationship"][visibility] = Relationship.objects.create(
            from_organization=cast.org_a,
            to_person=official,
            kind="ally_of",
            organization=cast.org_a,
            visibility=visibility,
        )
        campaign = make_campaign(cast.org_a, visibility=visibility, title=f"Matrix {visibility}")
        made["network_campaign"][visibility] = campaign
        made["network_position"][visibility] = actions.place_actor(
            actor=cast.partner_a,
            campaign=campaign,
            who=official,
            tier="primary",
            role="decision_maker",
            stance=0,
            influence=3,
            assessed_on=date(2025, 1, 1),
            evidence="Matrix",
        )
        made["network_power"][visibility] = PowerHolding.objects.create(
            campaign=public_campaign,
            actor_organization=cast.org_a,
            kind="people",
            form="visible",
            description="Members",
            organization=cast.org_a,
            visibility=visibility,
        )
        made["network_grant"][visibility] = Grant.objects.create(
            funder=funder,
            grantee=cast.org_a,
            issue_area="housing",
            year=2025,
            organization=cast.org_a,
            visibility=visibility,
        )
    return made
