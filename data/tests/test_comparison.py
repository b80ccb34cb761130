"""A real place beside the county: the state's counties, from the Census Bureau's boundaries
(the us-atlas package), as a comparison level. Published estimates map over them; the
department's own records never reach them."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import shapely

from data import portal
from data.tests.test_indicators import loaded, query
from data.tests.test_upload_boundaries import US_ATLAS
from powershare.stats.boundaries import LevelFile
from powershare.stats.comparison import add_comparison_level
from powershare.stats.geography import GeographyError

LEVEL = "oregon_counties"


@pytest.fixture
def oregon(catalog: dict) -> None:
    spec = LevelFile(LEVEL, US_ATLAS, "id", "name", layer="counties")
    labels = {"en": "Oregon counties", "es": "Condados de Oregón"}
    add_comparison_level(portal.store(), spec, labels, within="41")
    portal.reset()


def test_the_states_counties_come_from_the_census_boundaries(oregon: None) -> None:
    geo = portal.geography()
    codes = geo.codes(LEVEL)
    assert len(codes) == 36 and all(c.startswith("41") for c in codes)
    assert geo.name(LEVEL, "41051") == "Multnomah" and geo.name(LEVEL, "41067") == "Washington"
    assert LEVEL not in geo.levels  # the county's own levels are unchanged
    with pytest.raises(GeographyError, match="comparison level"):
        geo.matrix(LEVEL)


def test_published_estimates_map_over_the_real_counties(
    client: Any, cast: Any, oregon: None, tmp_path: Path
) -> None:
    measure = loaded(client, cast, tmp_path)
    form = client.get("/data/query/", query(measure)).content.decode()
    assert f'value="{LEVEL}"' in form and "Oregon counties" in form
    spanish = client.get("/data/query/", query(measure), HTTP_ACCEPT_LANGUAGE="es").content
    assert "Condados de Oregón" in spanish.decode()

    page = client.get("/data/query/", query(measure, level=LEVEL)).content.decode()
    assert "Multnomah" in page and "ps-map" in page
    assert page.count('class="ps-map-area') == 36
    body = client.get("/data/query.json", query(measure, level=LEVEL)).json()
    areas = {r["area"] for r in body["rows"]}
    assert len(areas) == 36  # the state's counties; the demo county is no reference to them
    assert portal.geography().codes("county")[0] not in areas

    # GIS tools read the shapes, and the CSV joins to them by code.
    shapes = json.loads(client.get(f"/data/shapes/{LEVEL}.geojson").content)
    by_code = {
        f["properties"]["code"]: shapely.geometry.shape(f["geometry"]) for f in shapes["features"]
    }
    assert set(by_code) == areas
    portland = shapely.Point(-122.68, 45.52)
    assert by_code["41051"].contains(portland)
    csv = client.get("/data/query.csv", query(measure, level=LEVEL))
    frame = pd.read_csv(io.BytesIO(csv.content), dtype=str)
    assert set(frame["Area code"]) == areas


def test_the_departments_own_records_are_not_summed_to_other_counties(
    client: Any, cast: Any, catalog: dict, oregon: None, tmp_path: Path
) -> None:
    loaded(client, cast, tmp_path)
    page = client.get(
        "/data/query/",
        {"measure": "asthma_ed", "years": "2020-2024", "level": LEVEL, "compare": "county"},
    )
    assert page.status_code == 200
    assert "only published estimates are given for its areas" in page.content.decode()
