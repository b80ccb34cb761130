"""Maps and shapes: real coordinates, drawn north-up to scale, downloadable for GIS tools."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pyogrio.raw
import shapely
from pyproj import Geod

from data import portal
from data.tests.conftest import story_query


def test_each_levels_shapes_download_as_geojson_that_gis_tools_read(
    client: Any, catalog: dict, tmp_path: Path
) -> None:
    response = client.get("/data/shapes/neighborhood.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    path = tmp_path / "neighborhood.geojson"
    path.write_bytes(response.content)
    # GDAL, which QGIS and R's sf read files with.
    meta, _, wkb, (codes, names) = pyogrio.raw.read(str(path), columns=["code", "name"])
    assert meta["crs"] == "EPSG:4326"
    geo = portal.geography()
    assert geo is not None
    assert sorted(codes) == sorted(geo.codes("neighborhood"))
    assert {geo.name("neighborhood", c) for c in codes} == set(names)
    shapes = shapely.from_wkb(wkb)
    assert shapely.is_valid(shapes).all()
    x0, y0, x1, y1 = shapely.total_bounds(shapes)
    assert -180 <= x0 < x1 <= 180 and -90 <= y0 < y1 <= 90  # longitude/latitude
    assert client.get("/data/shapes/nowhere.geojson").status_code == 404


def test_the_map_is_drawn_north_up_with_a_true_scale_bar(client: Any, catalog: dict) -> None:
    html = client.get(f"/data/query/?{story_query()}").content.decode()
    svg = html[html.index('class="ps-svg ps-map"') : html.index("</svg>", html.index("ps-map"))]
    assert re.search(r">N</text>", svg)
    bar = re.search(r'<line x1="10" y1="[\d.]+" x2="([\d.]+)"', svg)
    label = re.search(r">(\d+(?:\.\d+)?) (km|m)</text>", svg)
    assert bar and label, "a scale bar with its distance"
    bar_px = float(bar.group(1)) - 10
    bar_km = float(label.group(1)) / (1 if label.group(2) == "km" else 1000)
    # The county's width east to west, on the ground, against its width on the map.
    shapes = portal.frame("neighborhood").shapes
    xs = [float(x) for s in shapes for x in re.findall(r"[ML]\s*([\d.]+),", s.path)]
    geo = portal.geography()
    assert geo is not None and geo.display_crs
    lon0, lat0, lon1, lat1 = _bounds(geo.shapes("neighborhood"))
    middle = (lat0 + lat1) / 2
    _, _, metres = Geod(ellps="WGS84").inv(lon0, middle, lon1, middle)
    px_per_km = (max(xs) - min(xs)) / (metres / 1000)
    assert abs(bar_px / bar_km - px_per_km) / px_per_km < 0.03


def _bounds(path: Path | None) -> np.ndarray:
    assert path is not None
    _, _, wkb, _ = pyogrio.raw.read(str(path))
    return shapely.total_bounds(shapely.from_wkb(wkb))
