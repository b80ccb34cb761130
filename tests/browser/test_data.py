"""The data portal end to end: a partner builds the asthma query for her campaign, sees the
table, chart and map, saves it and downloads the Spanish fact sheet, and no suppressed cell
shows a number anywhere; an analyst uploads a bad events file, then a good one."""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from data import actions, portal
from data.demo import DATASETS, DEMO_POLICY, MEASURES
from powershare import stats
from powershare.stats.synth import generate_county
from powershare.testing import make_campaign
from tests.browser.helpers import axe_violations, describe_violations, login

pytestmark = pytest.mark.browser

THRESHOLDS = {"11", "20", "100"}  # the only numbers a hidden cell's explanation may carry


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("county")
    generate_county(root, seed=3, scale=300_000)
    return root


@pytest.fixture
def catalog(cast: Any, county: Path) -> dict[str, Any]:
    shutil.copytree(county, Path(settings.DATA_ROOT), dirs_exist_ok=True)
    portal.reset()
    actions.update_policy(actor=cast.admin, **DEMO_POLICY)  # five-year blocks, as the demo
    datasets = {}
    for name, title, kind, description, source, caveats in DATASETS:
        datasets[name] = actions.create_dataset(
            actor=cast.analyst,
            name=name,
            title=title,
            kind=kind,
            description=description,
            source=source,
            caveats=caveats,
        )
    for name, (status, unit, subject, label_es, subject_es) in MEASURES.items():
        m = stats.DEFAULT_MEASURES[name]
        actions.create_measure(
            actor=cast.analyst, name=name, label=m.label, short_label=subject, label_es=label_es,
            short_label_es=subject_es, dataset=datasets[m.dataset], kind=m.kind,
            causes=", ".join(m.causes), age_min=m.age_min, age_max=m.age_max, sex=m.sex or "",
            conditions="\n".join(f"{c.column} {c.op} {c.value}" for c in m.where),
            numerator_conditions="\n".join(f"{c.column} {c.op} {c.value}" for c in m.numerator),
            per=m.per, unit=unit, standard=m.standard, description=m.description, status=status,
        )  # fmt: skip
    yield {"datasets": datasets}
    portal.reset()


def numbers_in(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:[.,]\d+)*", unescape(text)))


def assert_hidden_rows_have_no_number(rows: list[str]) -> None:
    assert rows, "the query has hidden cells"
    for row in rows:
        assert numbers_in(row) <= THRESHOLDS, row


def test_partner_builds_saves_and_prints_the_asthma_fact_sheet(
    page: Page, cast: Any, catalog: dict
) -> None:
    make_campaign(cast.org_a, title="Healthy Housing Ordinance")
    login(page, cast.partner_a)
    page.goto("/data/")
    page.get_by_role("link", name="Build a query").click()

    # Asthma ED visits, children 0-17, by neighborhood and race/ethnicity, 2020-2024,
    # age-adjusted, compared with the county.
    page.get_by_label("Measure").select_option(label="Asthma ED visits, children 0-17")
    page.get_by_label("Years").select_option("2020-2024")
    page.get_by_label("Geography").select_option("neighborhood")
    page.locator("label", has_text="race/ethnicity").click()
    page.get_by_label("Rate shown in charts").select_option("adjusted")
    page.get_by_label("Compare with").select_option("county")
    page.get_by_role("button", name="Show the numbers").click()

    result = page.locator("#result")
    expect(result.get_by_role("heading", level=2)).to_have_text(
        "Asthma ED visits, children 0-17, 2020–2024"
    )
    expect(page).to_have_url(re.compile(r"measure=asthma_ed_children.*by=race"))
    expect(result.locator(".ps-headline")).to_contain_text("the county rate")
    expect(result.locator("table.ps-result-table")).to_be_visible()
    expect(
        result.get_by_role("img", name=re.compile("Asthma ED visits, children 0-17, 2020"))
    ).to_be_visible()
    expect(result.locator("svg.ps-map")).to_be_visible()
    expect(result).to_contain_text("Age-adjusted rate")
    expect(result).to_contain_text("Hidden to protect privacy")
    violations = axe_violations(page)
    assert not violations, describe_violations("query page", violations)

    # No suppressed cell shows a number on the page: not in the table, the charts or the map.
    hidden_rows = [row.inner_text() for row in result.locator("tr.ps-suppressed").all()]
    assert_hidden_rows_have_no_number(hidden_rows)
    for shape in result.locator("svg.ps-map path.ps-map-area").all():
        title = shape.locator("title").text_content() or ""
        if "hidden" in title:
            assert not numbers_in(title), title

    # Save the query to her campaign.
    result.locator("summary", has_text="Save this query to a campaign").click()
    page.get_by_label("Title").fill("Eastside kids: asthma ED visits")
    page.get_by_label("Campaign").select_option(label="Healthy Housing Ordinance")
    page.get_by_label("Visibility").select_option("private")
    page.get_by_role("button", name="Save query").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eastside kids: asthma ED visits")
    expect(page.locator("main")).to_contain_text("Healthy Housing Ordinance")

    # The CSV is one plain table that carries the marks and no number for a hidden cell.
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV", exact=True).click()
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    assert header[:2] == ["Area", "Area code"]
    assert all(len(r) == len(header) for r in rows[1:])
    hidden = [r for r in rows[1:] if r[header.index("Suppressed")] == "yes"]
    assert hidden
    for row in hidden:
        assert all(v == "" for v in row[3 : header.index("Suppressed")]), row
    # The policy is in the README beside the same CSV in the zip.
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV with README (zip)").click()
    with zipfile.ZipFile(info.value.path()) as archive:
        assert "Suppression policy: counts below 11" in archive.read("README.txt").decode()

    # The fact sheet in Spanish, downloaded.
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the Spanish fact sheet").click()
    sheet = Path(info.value.path()).read_text(encoding="utf-8")
    assert '<html lang="es">' in sheet
    assert "Visitas a emergencias por asma, niños de 0 a 17 años" in sheet
    hidden_sheet_rows = [
        re.sub(r"<[^>]+>", " ", row)
        for row in re.findall(r"<tr>(.*?)</tr>", sheet, flags=re.S)
        if re.search(r">\s*S ", row)
    ]
    assert_hidden_rows_have_no_number(
        [re.sub(r"^\s*\S.*?\s{2,}", "", r) for r in hidden_sheet_rows]
    )

    # And on screen, ready to print.
    page.get_by_role("link", name="Fact sheet in Spanish").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator(".headline")).to_be_visible()
    expect(page.locator("svg.ps-map")).to_be_visible()


BAD_EVENTS = "year,geo,age,sex,race,cause\n2024,{tract},7,F,nh_black,J45.909\n2024,NOWHERE,300,X,martian,J45\n"
GOOD_EVENTS = "year,geo,age,sex,race,cause\n2024,{tract},7,F,nh_black,J45.909\n2023,{tract},44,M,hispanic,S52.5\n"


def test_analyst_uploads_a_bad_events_file_then_a_good_one(
    page: Page, cast: Any, catalog: dict, tmp_path: Path
) -> None:
    tract = portal.units("tract")[0][0]
    bad, good = tmp_path / "ed-bad.csv", tmp_path / "ed-good.csv"
    bad.write_text(BAD_EVENTS.format(tract=tract))
    good.write_text(GOOD_EVENTS.format(tract=tract))
    login(page, cast.analyst)
    page.goto("/data/")
    page.get_by_role("link", name="Emergency department visits", exact=True).click()
    page.get_by_role("link", name="Upload a file").click()
    # The size warning waits for a file too large; USWDS's display:block must not show it.
    expect(page.locator("#file-too-big")).to_be_hidden()

    page.get_by_label("File (CSV with a header, or Parquet)").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and check").click()
    status = page.locator("#upload-status")
    expect(status).to_contain_text("The file was rejected; nothing was stored")
    errors = status.locator("table.ps-errors")
    expect(errors.locator("tr", has_text="NOWHERE")).to_contain_text("geo")
    expect(errors).to_contain_text("age")
    expect(errors).to_contain_text("martian")

    page.get_by_role("link", name="Upload another file").click()
    page.get_by_label("File (CSV with a header, or Parquet)").set_input_files(str(good))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator("progress#upload-progress")).to_be_visible()
    expect(page.locator("#upload-status")).to_contain_text("Loaded 2 rows.")
    expect(page.locator("progress#upload-progress")).to_have_attribute("value", "100")
