"""Published indicators end to end: an analyst adds a PLACES-layout dataset, uploads the
file and publishes current asthma beside the county's own asthma visits; a signed-out
visitor finds it in the catalog and maps it; a partner saves it to her campaign and opens
its fact sheet. The estimates are the file's own text everywhere."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from data import portal
from powershare.stats.synth_indicators import synthetic_places
from powershare.testing import make_campaign
from tests.browser.helpers import axe_violations, describe_violations, login
from tests.browser.test_data import catalog, county  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_published_estimates_from_upload_to_fact_sheet(
    new_context: Any,
    cast: Any,
    catalog: dict,  # noqa: F811
    tmp_path: Path,
) -> None:
    path = synthetic_places(portal.geography(), tmp_path / "PLACES_tract_2024.csv")
    rows = list(csv.DictReader(path.open()))
    asthma = [r for r in rows if r["MeasureId"] == "CASTHMA" and r["DataValueTypeID"] == "CrdPrv"]
    shown = next(r for r in asthma if r["Data_Value"] and len(r["LocationID"]) > 5)
    withheld = next(r for r in asthma if not r["Data_Value"])

    # The analyst adds the dataset and uploads the file as it comes.
    page = new_context().new_page()
    login(page, cast.analyst)
    page.goto("/data/")
    page.get_by_role("link", name="Add a dataset").click()
    page.get_by_label("Name in the data store").fill("places")
    page.get_by_label("Title").fill("CDC PLACES 2024")
    page.get_by_label("Kind").select_option(label="Published indicators (CDC PLACES layout)")
    page.get_by_label("Source", exact=True).fill("CDC PLACES (values made up for the test)")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Columns as PLACES publishes them")
    page.get_by_label("Indicator file (CSV in CDC PLACES layout)").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    status = page.locator("#upload-status")
    expect(status).to_contain_text(f"Loaded {len(rows):,} rows.")
    expect(status).to_contain_text("6 new published measures are in the catalog")

    # Internal until published; she publishes it beside the department's asthma visits.
    page.goto("/data/")
    page.get_by_role(
        "link", name="Current asthma among adults: crude prevalence, CDC PLACES 2024", exact=True
    ).click()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Status").select_option("published")
    page.locator("label", has_text="Asthma emergency department visits").first.click()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Exactly as published")
    expect(page.locator("main")).to_contain_text("Asthma emergency department visits")

    # Signed out: the catalog lists it with its source; the query maps the estimates.
    visitor = new_context().new_page()
    visitor.goto("/data/")
    published = visitor.locator("table.ps-published")
    expect(published).to_contain_text("CDC PLACES (values made up for the test)")
    published.get_by_role("link", name="Query").click()
    visitor.get_by_label("Years").select_option("2022")
    visitor.get_by_label("Geography").select_option("tract")
    visitor.get_by_role("button", name="Show the numbers").click()
    result = visitor.locator("#result")
    expect(result).to_contain_text("as published, not recomputed")
    expect(result.locator("svg.ps-map path.ps-map-area").first).to_be_visible()
    geo = portal.geography()
    row = result.locator("tr", has_text=geo.name("tract", shown["LocationID"])).first
    expect(row).to_contain_text(
        f"{shown['Data_Value']} ({shown['Low_Confidence_Limit']}–{shown['High_Confidence_Limit']})"
    )
    withheld_name = geo.name("tract", withheld["LocationID"])
    expect(result.locator("tr.ps-suppressed", has_text=withheld_name)).to_contain_text(
        "Withheld by the publisher: Estimates suppressed for population less than 50"
    )
    expect(result.locator(".ps-beside")).to_contain_text("Asthma emergency department visits")
    violations = axe_violations(visitor)
    assert not violations, describe_violations("published estimates", violations)

    # A partner saves it to her campaign and opens the fact sheet.
    make_campaign(cast.org_a, title="Healthy Housing Ordinance")
    partner = new_context().new_page()
    login(partner, cast.partner_a)
    partner.goto(visitor.url)
    result = partner.locator("#result")
    result.locator("summary", has_text="Save this query to a campaign").click()
    partner.get_by_label("Title").fill("Adult asthma by tract, PLACES")
    partner.get_by_label("Campaign").select_option(label="Healthy Housing Ordinance")
    partner.get_by_role("button", name="Save query").click()
    expect(partner.get_by_role("heading", level=1)).to_have_text("Adult asthma by tract, PLACES")
    partner.get_by_role("link", name="Fact sheet in English").click()
    expect(partner.locator("svg.ps-map")).to_be_visible()
    expect(partner.locator("main, body").first).to_contain_text(shown["Data_Value"])
