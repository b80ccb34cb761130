"""A campaign's power map in the browser: Pat opens the power grid and the network graph of
her campaign (both pass axe), then finds who she knows who knows the supervisor."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from network import actions
from powershare.testing import make_campaign, make_person
from tests.browser.helpers import axe_violations, describe_violations, login

pytestmark = pytest.mark.browser


def power_map(cast: Any) -> Any:
    campaign = make_campaign(cast.org_a, visibility="liaison", title="Healthy Housing Ordinance")
    supervisor = make_person(name="Maria Delgado", visibility="public")
    planner = make_person(name="Helen Park", visibility="public")
    rosa = make_person(cast.org_a, name="Rosa Martinez", visibility="department")
    olivia = make_person(name="Olivia Chen", visibility="public")
    campaign.target_people.add(supervisor)
    for who, tier, moves in (
        (supervisor, "primary", [(-1, 3, date(2025, 1, 10)), (1, 3, date(2025, 6, 1))]),
        (planner, "secondary", [(0, 2, date(2025, 2, 1))]),
    ):
        position = None
        for stance, influence, day in moves:
            if position is None:
                position = actions.place_actor(
                    actor=cast.partner_a,
                    campaign=campaign,
                    who=who,
                    tier=tier,
                    role="decision_maker",
                    stance=stance,
                    influence=influence,
                    assessed_on=day,
                    evidence="Public hearing",
                )
            else:
                actions.assess_position(
                    actor=cast.partner_a,
                    position=position,
                    stance=stance,
                    influence=influence,
                    assessed_on=day,
                    evidence="Co-sponsored",
                )

    def tie(a: Any, b: Any, kind: str, strength: int) -> None:
        actions.create_relationship(
            actor=cast.partner_a,
            from_actor=a,
            to_actor=b,
            kind=kind,
            strength=strength,
            organization=cast.org_a,
            visibility="private",
        )

    tie(rosa, cast.org_a, "works_at", 3)
    tie(rosa, supervisor, "ally_of", 1)
    tie(rosa, olivia, "ally_of", 3)
    tie(olivia, supervisor, "family", 3)
    tie(planner, supervisor, "reports_to", 2)
    return campaign


def check_axe(page: Page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, describe_violations(where, violations)


def test_organizer_reads_the_grid_and_graph_and_finds_a_path(page: Page, cast: Any) -> None:
    campaign = power_map(cast)
    login(page, cast.partner_a)
    page.goto(f"/network/campaigns/{campaign.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Power map: Healthy Housing Ordinance"
    )
    grid = page.get_by_role("img", name="Power grid for Healthy Housing Ordinance")
    expect(grid).to_be_visible()
    table = page.get_by_role("table", name="Positions on the map (the same data as the grid)")
    expect(table).to_contain_text("Maria Delgado")
    expect(table).to_contain_text("from opponent, high influence")
    check_axe(page, "power grid")

    page.get_by_role("link", name="Network graph").first.click()
    expect(page.get_by_role("heading", name="Network graph", level=2)).to_be_visible()
    expect(page.locator("#network-graph[data-ready=true]")).to_be_attached()
    expect(page.locator("#network-graph canvas").first).to_be_attached()
    twin = page.get_by_role("table", name="Relationships in the graph")
    expect(twin).to_contain_text("Olivia Chen")
    # Only strong ties: the weak one between Rosa and the supervisor leaves the table.
    page.locator("label[for=strength-3]").click()
    page.get_by_role("button", name="Show").click()
    expect(twin).not_to_contain_text("reports to")
    expect(twin).to_contain_text("family")
    check_axe(page, "network graph")

    page.get_by_role("link", name="Paths to decision-makers").click()
    page.get_by_label("Start from").select_option(label="Eastside Tenants Union")
    page.get_by_label("Decision-maker").select_option(label="Maria Delgado")
    page.get_by_role("button", name="Find paths").click()
    results = page.get_by_role("region", name="From Eastside Tenants Union to Maria Delgado")
    shortest = results.get_by_role("region", name="Shortest chain")
    strongest = results.get_by_role("region", name="Strongest chain")
    expect(shortest.locator("li")).to_have_count(3)
    expect(shortest).to_contain_text("weak tie, recorded by Eastside Tenants Union")
    expect(strongest.locator("li")).to_have_count(4)
    expect(strongest).to_contain_text("Olivia Chen")
    check_axe(page, "paths")
