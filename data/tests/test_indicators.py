"""Published indicators in the portal: an analyst uploads a PLACES-layout file, its measures
join the catalog (internal until published), and a query shows the publisher's estimates as
published, beside the county, on the map and in every download."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from data import actions, portal
from data.models import Dataset, Measure, Upload
from data.tests.on_commit import tasks_run
from powershare.stats.synth_indicators import synthetic_places


def places_dataset(cast: Any) -> Dataset:
    return actions.create_dataset(
        actor=cast.analyst,
        name="places",
        title="CDC PLACES 2024",
        kind=Dataset.Kind.INDICATORS,
        source="CDC PLACES (synthetic values in the published layout)",
    )


def upload(client: Any, dataset: Dataset, body: bytes, name: str = "places.csv") -> Any:
    with tasks_run():
        return client.post(
            f"/data/datasets/{dataset.pk}/upload/",
            {"file": SimpleUploadedFile(name, body, "text/csv")},
        )


def places_file(tmp_path: Path) -> bytes:
    return synthetic_places(portal.geography(), tmp_path / "places.csv").read_bytes()


def loaded(client: Any, cast: Any, tmp_path: Path) -> Measure:
    """The file uploaded and its crude asthma measure published; returns that measure."""
    dataset = places_dataset(cast)
    client.force_login(cast.analyst)
    response = upload(client, dataset, places_file(tmp_path))
    item = Upload.objects.get()
    assert item.status == Upload.Status.DONE, item.message
    page = client.get(response["Location"]).content.decode()
    assert "6 new published measures are in the catalog" in page
    measure = Measure.objects.get(dataset=dataset, indicator="CASTHMA", value_type="CrdPrv")
    measure.status = Measure.Status.PUBLISHED
    measure.save()
    client.logout()
    return measure


def query(measure: Measure, **extra: str) -> dict[str, str]:
    return {
        "measure": measure.name,
        "years": "2022",
        "level": "tract",
        "compare": "county",
        **extra,
    }


def test_the_public_sees_published_estimates_as_published(
    client: Any, cast: Any, catalog: dict, tmp_path: Path
) -> None:
    measure = loaded(client, cast, tmp_path)
    # The file's own text, row by row, to compare the page with.
    published = pd.read_csv(
        io.BytesIO(places_file(tmp_path)), dtype=str, keep_default_na=False
    ).query("MeasureId == 'CASTHMA' and DataValueTypeID == 'CrdPrv'")
    shown = published[published.Data_Value != ""].iloc[0]
    withheld = published[published.Data_Value == ""].iloc[0]

    page = client.get("/data/query/", query(measure)).content.decode()
    assert "Current asthma among adults" in page
    assert (
        f'{shown.Data_Value} <span class="ps-ci">({shown.Low_Confidence_Limit}–{shown.High_Confidence_Limit})'
        in page
    )
    assert "Withheld by the publisher: Estimates suppressed for population less than 50" in page
    assert "as published, not recomputed" in page
    assert 'class="usa-svg ps-svg ps-map"' in page or "ps-map" in page
    # No comparison of our own on someone else's estimates (the builder's options may name one).
    assert '<th scope="col">Rate ratio</th>' not in page and "Rate ratio:" not in page

    body = client.get("/data/query.json", query(measure)).json()
    rows = {r["area"]: r for r in body["rows"]}
    assert rows[shown.LocationID]["rate"] == float(shown.Data_Value)
    assert rows[withheld.LocationID]["rate"] is None and rows[withheld.LocationID]["suppressed"]
    county = portal.geography().codes("county")[0]
    assert county in rows  # the county's own estimate, as the reference

    csv = client.get("/data/query.csv", query(measure))
    frame = pd.read_csv(io.BytesIO(csv.content), dtype=str, keep_default_na=False)
    assert len(frame) == len(rows)


def test_an_internal_indicator_stays_with_staff_and_agreements(
    client: Any, cast: Any, catalog: dict, tmp_path: Path
) -> None:
    loaded(client, cast, tmp_path)
    internal = Measure.objects.get(indicator="OBESITY", value_type="CrdPrv")
    assert internal.status == Measure.Status.INTERNAL
    page = client.get("/data/query/", query(internal))
    assert internal.label not in page.content.decode()
    assert client.get("/data/query.json", query(internal)).status_code in (400, 404)
    client.force_login(cast.analyst)
    assert client.get("/data/query.json", query(internal)).status_code == 200


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"by": "race"}, "no breakdown by group"),
        ({"level": "neighborhood"}, "not for neighborhood"),
    ],
)
def test_what_published_estimates_cannot_answer_is_said(
    client: Any, cast: Any, catalog: dict, tmp_path: Path, extra: dict, message: str
) -> None:
    measure = loaded(client, cast, tmp_path)
    page = client.get("/data/query/", query(measure, **extra))
    assert page.status_code == 200
    text = page.content.decode()
    assert "These published estimates don&#x27;t answer this query." in text
    assert message in text


def test_a_file_with_a_changed_header_is_refused_and_nothing_changes(
    client: Any, cast: Any, catalog: dict, tmp_path: Path
) -> None:
    dataset = places_dataset(cast)
    client.force_login(cast.analyst)
    body = places_file(tmp_path).replace(b"Low_Confidence_Limit", b"LowCI", 1)
    response = upload(client, dataset, body)
    page = client.get(response["Location"]).content.decode()
    assert "The file was rejected; nothing was stored" in page
    assert "Low_Confidence_Limit" in page
    assert not Measure.objects.filter(dataset=dataset).exists()
    assert "places" not in json.dumps(portal.store().manifest()["datasets"])


def test_an_analyst_shows_a_published_estimate_beside_the_departments_own_measure(
    client: Any, cast: Any, catalog: dict, tmp_path: Path
) -> None:
    asthma = loaded(client, cast, tmp_path)
    own = catalog["measures"]["asthma_ed"]
    hidden = catalog["measures"]["elevated_blood_lead"]
    assert not hidden.is_public
    client.force_login(cast.analyst)
    form = client.get(f"/data/measures/{asthma.pk}/edit/").content.decode()
    assert 'name="causes"' not in form  # the publisher defines it: words and access only
    response = client.post(
        f"/data/measures/{asthma.pk}/edit/",
        {
            "label": asthma.label,
            "short_label": "Current asthma among adults",
            "unit": asthma.unit,
            "status": "published",
            "related": [own.pk, hidden.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()

    index = client.get("/data/").content.decode()
    published = index[index.index("Published estimates") :]
    assert asthma.label in published and "CDC PLACES (synthetic values" in published
    assert "Obesity among adults" not in index  # still internal
    page = client.get("/data/query/", query(asthma)).content.decode()
    beside = page[page.index("On the same subject") :][:600]
    assert own.label in beside
    assert hidden.label not in page  # an internal measure stays out of the public's page
    detail = client.get(f"/data/measures/{own.pk}/").content.decode()
    assert asthma.label in detail  # and the link goes both ways


def test_every_download_and_the_api_carry_the_published_numbers(
    client: Any, cast: Any, catalog: dict, tmp_path: Path
) -> None:
    import zipfile

    from openpyxl import load_workbook

    measure = loaded(client, cast, tmp_path)
    rows = client.get("/data/query.json", query(measure)).json()["rows"]
    shown = next(r for r in rows if not r["suppressed"])
    withheld = next(r for r in rows if r["suppressed"])
    assert "Withheld by the publisher" in withheld["suppression_note"]

    archive = zipfile.ZipFile(io.BytesIO(client.get("/data/query.zip", query(measure)).content))
    names = archive.namelist()
    frame = pd.read_csv(archive.open(next(n for n in names if n.endswith(".csv"))), dtype=str)
    row = frame[frame["Area code"] == shown["area"]].iloc[0]
    assert float(row["Rate"]) == shown["rate"]
    readme = archive.read("README.txt").decode()
    assert "never recomputed" in readme and "Survey or model: BRFSS" in readme
    assert "complementary suppression" not in readme  # not our policy's numbers

    book = load_workbook(io.BytesIO(client.get("/data/query.xlsx", query(measure)).content))
    about = [[c.value for c in r] for r in book.worksheets[1].iter_rows()]
    assert ["Value type", "Crude prevalence"] in about

    api = client.get(
        "/api/v1/statistics/query",
        {"measure": measure.name, "years": "2022", "level": "tract"},
    )
    assert api.status_code == 200, api.content
    by_area = {r["area"]: r for r in api.json()["rows"]}
    assert by_area[shown["area"]]["rate"] == shown["rate"]
    assert by_area[withheld["area"]]["rate"] is None
    refused = client.get(
        "/api/v1/statistics/query",
        {"measure": measure.name, "years": "2022", "level": "tract", "by": "race"},
    )
    assert (
        refused.status_code == 400
        and "no custom areas, units, breakdowns" in refused.content.decode()
    )


def test_the_countys_own_estimate_is_a_table_too(
    client: Any, cast: Any, catalog: dict, tmp_path: Path
) -> None:
    measure = loaded(client, cast, tmp_path)
    page = client.get("/data/query/", query(measure, level="county")).content.decode()
    assert "don&#x27;t answer this query" not in page and "no estimates for this" not in page
    county = portal.geography().name("county", portal.geography().codes("county")[0])
    assert county in page and "ps-result-table" in page
