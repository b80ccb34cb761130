"""A real place end to end: on an empty portal an analyst uploads Oregon's counties as the
Census Bureau ships them (a zipped shapefile, from the us-atlas package), a population
table, a hospital table of counts by age group and a CDC PLACES-layout file; a signed-out
visitor maps asthma visits and published estimates over the real counties, and a partner
saves each and opens its fact sheet."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from data import actions, portal
from data.tests.test_upload_boundaries import oregon_shapefile
from powershare.testing import make_campaign
from tests.browser.helpers import login

pytestmark = pytest.mark.browser

GROUPS = ("0-4", "5-17", "18-44", "45-64", "65+")  # the policy's age groups
RACES = ("hispanic", "nh_white", "nh_black", "nh_asian")


def tables(tmp_path: Path, counties: list[str]) -> tuple[Path, Path]:
    """Population and asthma-visit counts for every county, by year x age group x sex x race."""
    rng = np.random.default_rng(5)
    population, visits = tmp_path / "population.csv", tmp_path / "discharges.csv"
    with population.open("w", newline="") as p, visits.open("w", newline="") as v:
        pw, vw = csv.writer(p), csv.writer(v)
        pw.writerow(["year", "geo", "age_group", "sex", "race", "population"])
        vw.writerow(["year", "geo", "age_group", "sex", "race", "cause", "count"])
        for year in (2023, 2024):
            for county in counties:
                for group in GROUPS:
                    for sex in ("F", "M"):
                        for race in RACES:
                            people = int(rng.integers(800, 9_000))
                            pw.writerow([year, county, group, sex, race, people])
                            count = int(rng.poisson(people * 0.004))
                            vw.writerow([year, county, group, sex, race, "J45.909", count])
    return population, visits


def upload(page: Page, dataset_title: str, file: Path, label: str, **fields: str) -> None:
    page.goto("/data/")
    page.get_by_role("link", name=dataset_title, exact=True).click()
    page.get_by_role("link", name="Upload a file").click()
    page.get_by_label(label).set_input_files(str(file))
    for name, value in fields.items():
        page.get_by_label(name, exact=True).fill(value)
    page.get_by_role("button", name="Upload and check").click()


def test_a_real_place_from_census_shapefile_to_fact_sheet(
    new_context: Any, cast: Any, settings: Any, tmp_path: Path
) -> None:
    portal.reset()
    for name, title, kind in (
        ("boundaries", "Oregon counties", "geography"),
        ("population", "Population by county", "population"),
        ("discharges", "Hospital discharges", "events"),
    ):
        actions.create_dataset(actor=cast.analyst, name=name, title=title, kind=kind)
    shapefile = tmp_path / "cb_2023_41_county_500k.zip"
    shapefile.write_bytes(oregon_shapefile(tmp_path))

    page = new_context().new_page()
    login(page, cast.analyst)
    upload(
        page,
        "Oregon counties",
        shapefile,
        "Boundary file (zipped shapefile, GeoJSON or TopoJSON)",
        **{"Level of the areas in the file": "county", "Level holding every area": "state"},
    )
    expect(page.locator("#upload-status")).to_contain_text(
        "Loaded the boundaries: 36 county, 1 state."
    )
    counties = portal.geography().codes("county")
    population, visits = tables(tmp_path, counties)
    upload(page, "Population by county", population, "File (CSV with a header, or Parquet)")
    expect(page.locator("#upload-status")).to_contain_text("Loaded")
    upload(page, "Hospital discharges", visits, "File (CSV with a header, or Parquet)")
    expect(page.locator("#upload-status")).to_contain_text(f"Loaded {36 * 2 * 5 * 2 * 4:,} rows.")
    from data.models import Dataset

    actions.create_measure(
        actor=cast.analyst,
        name="asthma_discharges",
        label="Asthma hospital visits",
        short_label="Asthma hospital visits",
        dataset=Dataset.objects.get(name="discharges"),
        kind="rate",
        causes="J45-J46",
        per=10_000,
        unit="visits per 10,000 residents",
        status="published",
    )

    # Signed out: the map is Oregon's 36 counties, the table names them.
    visitor = new_context().new_page()
    visitor.goto("/data/query/?measure=asthma_discharges&years=2024&level=county&compare=none")
    result = visitor.locator("#result")
    expect(result.locator("svg.ps-map path.ps-map-area")).to_have_count(36)
    expect(result.locator("table.ps-result-table")).to_contain_text("Multnomah")
    expect(result.locator("svg.ps-map")).to_contain_text("N")  # north-up, with a scale bar

    # A partner saves it to her campaign and opens the fact sheet, real shapes and all.
    make_campaign(cast.org_a, title="Healthy Housing Ordinance")
    partner = new_context().new_page()
    login(partner, cast.partner_a)
    partner.goto(visitor.url)
    partner.locator("#result summary", has_text="Save this query to a campaign").click()
    partner.get_by_label("Title").fill("Asthma visits by Oregon county")
    partner.get_by_label("Campaign").select_option(label="Healthy Housing Ordinance")
    partner.get_by_role("button", name="Save query").click()
    partner.get_by_role("link", name="Fact sheet in English").click()
    expect(partner.locator("svg.ps-map path.ps-map-area")).to_have_count(36)

    # The analyst uploads CDC PLACES estimates for the same counties (in its layout, values
    # made up) and publishes current asthma; the public maps it over the real counties.
    from data.models import Measure
    from powershare.stats.synth_indicators import synthetic_places

    actions.create_dataset(
        actor=cast.analyst, name="places", title="CDC PLACES", kind=Dataset.Kind.INDICATORS
    )
    places = synthetic_places(portal.geography(), tmp_path / "PLACES_county_2024.csv")
    upload(page, "CDC PLACES", places, "Indicator file (CSV in CDC PLACES layout)")
    expect(page.locator("#upload-status")).to_contain_text("new published measures are in")
    asthma = Measure.objects.get(indicator="CASTHMA", value_type="CrdPrv")
    asthma.status = Measure.Status.PUBLISHED
    asthma.save()
    wanted = f"/data/query/?measure={asthma.name}&years=2022&level=county&compare=county"
    visitor.goto(wanted)
    result = visitor.locator("#result")
    expect(result).to_contain_text("as published, not recomputed")
    expect(result.locator("svg.ps-map path.ps-map-area")).to_have_count(36)
    expect(result.locator("table.ps-result-table")).to_contain_text("Multnomah")
    partner.goto(wanted)
    partner.locator("#result summary", has_text="Save this query to a campaign").click()
    partner.get_by_label("Title").fill("Current asthma by Oregon county")
    partner.get_by_label("Campaign").select_option(label="Healthy Housing Ordinance")
    partner.get_by_role("button", name="Save query").click()
    partner.get_by_role("link", name="Fact sheet in English").click()
    expect(partner.locator("svg.ps-map path.ps-map-area")).to_have_count(36)
    expect(partner.locator("main")).to_contain_text("Current asthma among adults")
