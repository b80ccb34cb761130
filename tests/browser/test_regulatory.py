"""Complaints in the browser: a partner files a complaint for a campaign and follows its status
as staff work it; a partner of another organization cannot see it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from powershare.testing import make_campaign
from tests.browser.helpers import axe_violations, describe_violations, login, logout

pytestmark = pytest.mark.browser

ISSUE = "Black mold in the bedrooms of three units; children with asthma."


def _check_axe(page: Page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, describe_violations(where, violations)


def test_partner_files_a_complaint_and_follows_it_other_orgs_cannot_see_it(
    page: Page, cast: Any
) -> None:
    make_campaign(cast.org_a, visibility="private", title="Repairs at Maple Court")

    # Pat, of the Eastside Tenants Union, files a complaint for a tenant.
    login(page, cast.partner_a)
    page.goto("/regulatory/")
    page.get_by_role("link", name="File a complaint").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("File a complaint")
    expect(page.locator("main")).to_contain_text("may be disclosed under public-records law")
    page.get_by_label("Campaign").select_option(label="Repairs at Maple Court")
    page.get_by_label("Kind of complaint").select_option("housing")
    page.get_by_label("Type of problem").select_option("mold")
    page.get_by_label("What is happening").fill(ISSUE)
    page.get_by_label("Address").fill("12 Maple Court")
    page.get_by_label("Neighborhood").fill("Eastside")
    page.get_by_label("Building owner or employer").fill("Maple Holdings LLC")
    page.get_by_label("Name of the resident or worker").fill("Maria Lopez")
    page.get_by_label("Their phone").fill("555-0101")
    page.locator("label", has_text="Agrees to be contacted by the department").click()
    _check_axe(page, "complaint form")
    page.get_by_role("button", name="Send the complaint").click()
    expect(page.locator("main .usa-alert").first).to_contain_text("sent to the department")
    expect(page.locator("main")).to_contain_text("Received")
    expect(page.locator("main")).to_contain_text("Maria Lopez")
    complaint_url = page.url
    logout(page)

    # Lee, on staff, triages it to himself and schedules an inspection.
    login(page, cast.liaison)
    page.goto("/regulatory/complaints/")
    page.locator("main table").get_by_role("link").first.click()
    triage = page.locator("section", has=page.get_by_role("heading", name="Triage"))
    triage.get_by_label("Assigned inspector").select_option(label=str(cast.liaison))
    triage.get_by_label("Message to the filing organization (optional)").fill(
        "An inspector will visit within ten days."
    )
    triage.get_by_label("Internal note for staff (optional)").fill("Owner has prior violations.")
    triage.get_by_role("button", name="Save triage").click()
    expect(page.locator("main .usa-alert").first).to_contain_text("Triage saved.")
    inspection = page.locator(
        "section", has=page.get_by_role("heading", name="Schedule an inspection")
    )
    inspection.get_by_label("Scheduled for").fill("2026-03-02")
    inspection.get_by_role("button", name="Schedule").click()
    expect(page.locator("main .usa-alert").first).to_contain_text("Inspection scheduled.")
    _check_axe(page, "complaint page for staff")
    logout(page)

    # Pat follows the status: inspection scheduled, the message, no staff names or notes.
    login(page, cast.partner_a)
    page.goto(complaint_url)
    main = page.locator("main")
    expect(main).to_contain_text("Inspection")
    expect(main).to_contain_text("An inspector will visit within ten days.")
    expect(main).not_to_contain_text("Owner has prior violations.")
    expect(main).not_to_contain_text("Lee Liaison")
    _check_axe(page, "complaint page for the partner")
    logout(page)

    # Bo, of the Harbor Worker Center, can neither open it nor find it.
    login(page, cast.partner_b)
    response = page.goto(complaint_url)
    assert response is not None and response.status == 404
    page.goto("/regulatory/complaints/")
    expect(page.locator("main")).to_contain_text("0 complaints")
    expect(page.locator("main")).not_to_contain_text("Maple")
