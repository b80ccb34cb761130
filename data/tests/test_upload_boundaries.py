"""An analyst uploads boundaries: a zipped Census shapefile of real counties becomes the
geography, with its shapes served to GIS tools; a bad file, or one that lacks the loaded
data's areas, is refused with what to fix and the geography in use is kept."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw
import shapely
from django.core.files.uploadedfile import SimpleUploadedFile

from data import actions, portal
from data.models import Dataset, Upload
from data.tests.on_commit import tasks_run

US_ATLAS = Path(__file__).resolve().parents[2] / "node_modules" / "us-atlas" / "counties-10m.json"


def oregon_shapefile(tmp_path: Path) -> bytes:
    """Oregon's counties from the Census Bureau's boundaries (us-atlas), as a zipped
    shapefile with GEOID and NAME, the way a TIGER/Line download comes."""
    _, _, wkb, (codes, names) = pyogrio.raw.read(str(US_ATLAS), layer="counties")
    keep = np.array(
        [str(c).startswith("41") and g is not None for c, g in zip(codes, wkb, strict=True)]
    )
    shapes = shapely.make_valid(
        shapely.from_wkb(wkb[keep]), method="structure", keep_collapsed=False
    )
    folder = tmp_path / "cb"
    folder.mkdir()
    pyogrio.raw.write(
        str(folder / "cb_2023_41_county_500k.shp"),
        geometry=shapely.to_wkb(shapes),
        field_data=[codes[keep].astype(str), names[keep].astype(str)],
        fields=["GEOID", "NAME"],
        crs="EPSG:4269",  # NAD83, as the Census Bureau publishes them
        driver="ESRI Shapefile",
        geometry_type="MultiPolygon",
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for f in folder.iterdir():
            z.write(f, f.name)
    return out.getvalue()


def boundaries_dataset(cast: Any) -> Dataset:
    return actions.create_dataset(
        actor=cast.analyst, name="boundaries", title="County boundaries", kind="geography"
    )


def post(client: Any, dataset: Dataset, name: str, body: bytes, **fields: str) -> Any:
    data = {"level": "county", "code_field": "GEOID", "name_field": "NAME", "total": "state"}
    with tasks_run():
        return client.post(
            f"/data/datasets/{dataset.pk}/upload/",
            {"file": SimpleUploadedFile(name, body), **data, **fields},
        )


def test_a_zipped_census_shapefile_becomes_the_geography(
    client: Any, cast: Any, settings: Any, tmp_path: Path
) -> None:
    portal.reset()
    dataset = boundaries_dataset(cast)
    client.force_login(cast.analyst)
    form = client.get(f"/data/datasets/{dataset.pk}/upload/").content.decode()
    assert 'accept=".zip,.geojson,.json,.topojson"' in form and 'name="code_field"' in form
    response = post(client, dataset, "cb_2023_41_county_500k.zip", oregon_shapefile(tmp_path))
    page = client.get(response["Location"]).content.decode()
    assert "Loaded the boundaries: 36 county, 1 state." in page, page[-3000:]
    geo = portal.geography()
    assert geo is not None and geo.name("county", "41051") == "Multnomah"
    dataset.refresh_from_db()
    assert dataset.levels == ["county", "state"] and dataset.rows == 37
    records = client.get(f"/data/datasets/{dataset.pk}/records/").content.decode()
    assert "41051" in records and "Multnomah" in records
    client.logout()
    shapes = client.get("/data/shapes/county.geojson")
    features = json.loads(shapes.content)["features"]
    assert len(features) == 36
    multnomah = next(f for f in features if f["properties"]["code"] == "41051")
    centre = shapely.geometry.shape(multnomah["geometry"]).centroid
    assert -122.7 < centre.x < -121.8 and 45.4 < centre.y < 45.7  # NAD83 read, WGS 84 stored


def test_a_bad_boundary_file_is_refused_by_name(client: Any, cast: Any, catalog: dict) -> None:
    dataset = boundaries_dataset(cast)
    before = portal.store().geography_version()
    client.force_login(cast.analyst)
    bowtie = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"GEOID": "A1", "NAME": "Bow"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[-90, 40], [-89, 41], [-89, 40], [-90, 41], [-90, 40]]],
                },
            }
        ],
    }
    response = post(client, dataset, "areas.geojson", json.dumps(bowtie).encode())
    page = client.get(response["Location"]).content.decode()
    assert "The boundary file was rejected; nothing was stored." in page
    assert "A1 (Self-intersection" in page
    assert Upload.objects.get().status == Upload.Status.FAILED
    assert portal.store().geography_version() == before
    # The form names what a field holds when it is wrong, before anything is staged.
    response = post(client, dataset, "areas.geojson", b"{}", prefixes="county five")
    assert response.status_code == 200
    assert "should be a level and a code length, such as county:5" in response.content.decode()
    response = post(client, dataset, "areas.shp.txt", b"x")
    assert (
        "Upload a file of one of these kinds: .zip, .geojson, .json, .topojson."
        in response.content.decode()
    )


def test_boundaries_without_the_loaded_datas_areas_are_refused(
    client: Any, cast: Any, catalog: dict, tmp_path: Path
) -> None:
    dataset = boundaries_dataset(cast)
    before = portal.store().geography_version()
    client.force_login(cast.analyst)
    response = post(client, dataset, "cb_2023_41_county_500k.zip", oregon_shapefile(tmp_path))
    page = client.get(response["Location"]).content.decode()
    assert "is coded with areas that are no county of this geography" in page
    assert portal.store().geography_version() == before
