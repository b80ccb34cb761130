"""Downloads that GIS and analysis tools read as they come: a plain CSV (pandas, csvkit), Excel
with an About sheet, a zip of the CSV and a README, and the JSON twin; each row has the area's
code beside its name, and a suppressed cell has no number in any of them."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from typing import Any

import pandas as pd
from openpyxl import load_workbook

from data.models import SavedQuery
from data.tests.conftest import story_query
from powershare.testing import make_campaign

# The values of a cell; a suppressed one has none of them.
NUMBERS = [
    "Count",
    "Population",
    "Rate",
    "Rate, lower 95% limit",
    "Rate, upper 95% limit",
    "Age-adjusted rate",
    "Age-adjusted, lower 95% limit",
    "Age-adjusted, upper 95% limit",
    "Rate ratio",
]
# The comparison's limits and the rate difference, after the notes.
COMPARISON = [
    "Rate ratio, lower 95% limit",
    "Rate ratio, upper 95% limit",
    "Rate difference",
    "Rate difference, lower 95% limit",
    "Rate difference, upper 95% limit",
]


NUMBER = r"\d+(?:[.,]\d+)*"


def json_rows(client: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = client.get(f"/data/query.json?{story_query()}").json()["rows"]
    return rows


def read_csv(content: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(content))  # no options: as an analyst types it


def test_csv_is_one_table_that_pandas_reads_without_options(client: Any, catalog: dict) -> None:
    response = client.get(f"/data/query.csv?{story_query()}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    table = read_csv(response.content)
    assert list(table.columns[:3]) == ["Area", "Area code", "race/ethnicity"]
    assert list(table.columns[3:]) == [*NUMBERS, "Unreliable", "Suppressed", "Note", *COMPARISON]
    rows = json_rows(client)
    # One row per cell and nothing after the table: no notes, no blank line.
    assert len(table) == len(rows)
    assert list(zip(table["Area code"], table["Area"], strict=True)) == [
        (r["area"], r["area_name"]) for r in rows
    ]
    assert not table["Area"].astype(str).str.startswith("#").any()
    hidden = table[table["Suppressed"] == "yes"]
    assert len(hidden) and hidden[NUMBERS + COMPARISON].isna().all().all()
    assert hidden["Note"].str.startswith("Hidden").all()
    # Codes read as text keep every character (a code like 06001 would keep its zero).
    as_text = pd.read_csv(io.BytesIO(response.content), dtype=str)
    assert list(as_text["Area code"]) == [r["area"] for r in rows]


def test_csvkit_reads_the_csv_as_it_comes(client: Any, catalog: dict, tmp_path: Any) -> None:
    path = tmp_path / "result.csv"
    path.write_bytes(client.get(f"/data/query.csv?{story_query()}").content)
    out = subprocess.run(
        [sys.executable, "-m", "csvkit.utilities.csvjson", str(path)],
        capture_output=True,
        check=True,
        text=True,
    )
    records = json.loads(out.stdout)
    rows = json_rows(client)
    assert [(r["Area code"], r["Area"]) for r in records] == [
        (r["area"], r["area_name"]) for r in rows
    ]
    # csvkit reads the yes/blank columns as booleans, the empty numbers as nulls.
    hidden = [r for r in records if r["Suppressed"] is True]
    assert hidden and all(r[n] is None for r in hidden for n in NUMBERS)


def test_excel_has_the_area_code_and_an_about_sheet(client: Any, catalog: dict) -> None:
    response = client.get(f"/data/query.xlsx?{story_query()}")
    book = load_workbook(io.BytesIO(response.content))
    table, about = book.worksheets
    header = [c.value for c in table[1]]
    assert header[:2] == ["Area", "Area code"]
    rows = list(table.iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[0]) for r in rows] == [(r["area"], r["area_name"]) for r in json_rows(client)]
    hidden = [r for r in rows if r[header.index("Suppressed")] == "yes"]
    assert hidden and all(
        v in (None, "") for r in hidden for v in r[3 : header.index("Suppressed")]
    )
    assert about.title.startswith("About")
    lines = {r[0]: r[1] for r in about.iter_rows(values_only=True) if r and r[0]}
    assert "counts below 11" in lines["Suppression policy"]
    assert "ed_visits" in lines["Data version"]
    dataset = catalog["datasets"]["ed_visits"]
    assert lines["Source"] == (dataset.source or dataset.title)
    assert "Columns" in lines and "/data/shapes/neighborhood.geojson" in lines["Area code"]
    notes = [r[1] for r in about.iter_rows(values_only=True) if r[0] == "Note"]
    assert dataset.caveats in notes and any(n.startswith("Hidden:") for n in notes)


def test_the_zip_holds_the_csv_and_a_readme_with_no_hidden_number(
    client: Any, catalog: dict
) -> None:
    response = client.get(f"/data/query.zip?{story_query()}")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert (
        'filename="asthma_ed_children-2020-2024-neighborhood.zip"'
        in response["Content-Disposition"]
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    name = "asthma_ed_children-2020-2024-neighborhood.csv"
    assert sorted(archive.namelist()) == ["README.txt", name]
    with archive.open(name) as member:
        table = pd.read_csv(member)
    plain = read_csv(client.get(f"/data/query.csv?{story_query()}").content)
    pd.testing.assert_frame_equal(table, plain)
    readme = archive.read("README.txt").decode("utf-8")
    dataset = catalog["datasets"]["ed_visits"]
    assert "Suppression policy: counts below 11" in readme
    assert f"Source: {dataset.source or dataset.title}" in readme and dataset.caveats in readme
    assert re.search(r"Data version: .*ed_visits", readme)
    assert f"Columns of {name}" in readme
    assert "Area code: The area's code" in readme and "/data/shapes/neighborhood.geojson" in readme
    # Past what the numbers are, the README's numbers are the policy's thresholds and those of
    # the measure's own words: nothing of any cell, hidden or not.
    measure = catalog["measures"]["asthma_ed_children"]
    standard = re.search(r"Standard population: (.*)", readme).group(1)  # type: ignore[union-attr]
    words = " ".join([measure.description, measure.unit, dataset.caveats, standard, name])
    allowed = {"11", "20", "95", "1", *re.findall(NUMBER, words)}
    assert set(re.findall(NUMBER, readme[readme.index("\nNotes\n") :])) <= allowed


def test_bad_or_refused_zip_requests_get_no_error(client: Any, catalog: dict) -> None:
    assert client.get("/data/query.zip?measure=nope&years=x").status_code == 404
    refused = story_query().replace("years=2020-2024", "years=1800-1801")
    response = client.get(f"/data/query.zip?{refused}")
    assert response.status_code in (302, 404)
    ok = client.get(f"/data/query.zip?{story_query()}")
    assert ok.status_code == 200


def test_query_and_saved_query_pages_offer_the_zip(client: Any, cast: Any, catalog: dict) -> None:
    link = 'href="/data/query.zip?measure=asthma_ed_children&amp;years=2020-2024&amp;'
    html = client.get(f"/data/query/?{story_query()}").content.decode()
    assert link in html and "Download CSV with README (zip)" in html
    campaign = make_campaign(cast.org_a)
    client.force_login(cast.partner_a)
    client.post(
        f"/data/query/save/?{story_query()}",
        {"title": "Kids' asthma", "campaign": campaign.pk, "visibility": "private"},
    )
    saved = SavedQuery.objects.get()
    assert link in client.get(f"/data/saved/{saved.pk}/").content.decode()


def test_json_meta_says_what_the_numbers_are_and_rows_carry_the_code(
    client: Any, catalog: dict
) -> None:
    data = client.get(f"/data/query.json?{story_query()}").json()
    dataset = catalog["datasets"]["ed_visits"]
    meta = data["meta"]
    assert meta["source"] == {
        "dataset": dataset.title,
        "source": dataset.source or dataset.title,
        "caveats": dataset.caveats,
    }
    assert meta["policy"]["min_count"] == 11 and meta["data_versions"]["events"]["ed_visits"]
    assert dataset.caveats in meta["notes"]
    assert any(n.startswith("Hidden:") for n in meta["notes"])
    for row in data["rows"]:
        keys = list(row)
        assert keys.index("area_name") == keys.index("area") + 1  # the code beside the name
    hidden = [r for r in data["rows"] if r["suppressed"]]
    assert hidden
    for row in hidden:
        values = {k: v for k, v in row.items() if type(v) in (int, float)}
        assert values == {}, row


def test_the_api_answers_with_the_same_meta_and_hides_the_same_numbers(
    client: Any, catalog: dict
) -> None:
    params = {"measure": "asthma_ed", "years": "2020-2024", "level": "neighborhood", "by": "race"}
    response = client.get("/api/v1/statistics/query", params)
    assert response.status_code == 200, response.content
    data = response.json()
    dataset = catalog["datasets"]["ed_visits"]
    assert data["meta"]["source"]["source"] == (dataset.source or dataset.title)
    assert data["meta"]["notes"]
    hidden = [r for r in data["rows"] if r["suppressed"]]
    assert hidden
    for row in hidden:
        assert row["denominator"] is None and row["suppression_note"].startswith("Hidden")
        assert not [v for v in row.values() if type(v) in (int, float)], row
    schema = client.get("/api/v1/openapi.json").json()
    area = schema["components"]["schemas"]["StatsRow"]["properties"]["area"]
    assert "the area's code" in area["description"].lower()


def test_the_confidence_limit_headers_keep_their_percent_sign(client: Any, catalog: dict) -> None:
    limits = [
        "Rate, lower 95% limit",
        "Rate, upper 95% limit",
        "Age-adjusted, lower 95% limit",
        "Age-adjusted, upper 95% limit",
        *[h for h in COMPARISON if "95" in h],
    ]
    header = list(read_csv(client.get(f"/data/query.csv?{story_query()}").content).columns)
    assert [h for h in header if "95" in h] == limits
    book = load_workbook(io.BytesIO(client.get(f"/data/query.xlsx?{story_query()}").content))
    assert [c.value for c in book.worksheets[0][1] if "95" in str(c.value)] == limits
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    header = list(read_csv(client.get(f"/data/query.csv?{story_query()}").content).columns)
    assert "Tasa, límite inferior (95% de confianza)" in header


def test_the_methods_chosen_add_their_columns(client: Any, catalog: dict) -> None:
    # An SMR against the county, and PHE's two levels: the export carries their limits; a
    # hidden cell has none of them.
    query = f"{story_query()}&conf=95%2B99.8&smr=on&ratio=midp"
    table = read_csv(client.get(f"/data/query.csv?{query}").content)
    for column in ("Standardized ratio (SMR)", "SMR, lower 95% limit", "Rate, lower 99.8% limit"):
        assert column in table.columns
    hidden = table[table["Suppressed"] == "yes"]
    assert hidden[["Standardized ratio (SMR)", "Rate difference"]].isna().all().all()
    rows = client.get(f"/data/query.json?{query}").json()
    assert rows["meta"]["methods"]["ratio"] == "midp"
    assert rows["meta"]["query"]["conf_levels"] == [0.998]
    for row in rows["rows"]:
        if row["suppressed"]:
            assert row["smr"] is None and row["rate_difference"] is None
    # a level the builder doesn't offer is a form error, never a server error
    assert client.get(f"/data/query/?{story_query()}&conf=50").status_code in (200, 400)
    assert client.get(f"/data/query.json?{story_query()}&ratio=bayes").status_code == 400
