"""The maps' benchmark: a state's tracts loaded from a boundary file and drawn.

    python -m data.bench_maps [--tracts 2400] [--repeat 30]

The tracts are generated (no real file of that size ships in a package): Voronoi cells of
random points inside Oregon and Washington's real counties (from the us-atlas package),
cut to each county, coded as Census tracts are (state, county, six digits). The bench
writes them as GeoJSON, then times `load-geography` (read, check, simplify, store), the
first drawing of the tract map (projection into the viewBox, cached per geography
version), a warm drawing of the choropleth as the query page includes it (the map's SVG
for every tract), and the GeoJSON download. Target: the map drawn under 300 ms warm.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

US_ATLAS = Path(__file__).resolve().parents[1] / "node_modules" / "us-atlas" / "counties-10m.json"


def tracts(n: int, seed: int = 1) -> dict:
    """About `n` tract-like polygons in Oregon and Washington's counties, as GeoJSON."""
    import pyogrio.raw
    import shapely

    _, _, wkb, (codes, names) = pyogrio.raw.read(str(US_ATLAS), layer="counties")
    keep = [i for i, c in enumerate(codes) if str(c)[:2] in ("41", "53") and wkb[i] is not None]
    counties = shapely.make_valid(
        shapely.from_wkb(wkb[keep]), method="structure", keep_collapsed=False
    )
    area = shapely.union_all(counties)
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = area.bounds
    points: list = []
    while len(points) < n:
        xy = rng.uniform([x0, y0], [x1, y1], size=(n, 2))
        candidates = shapely.points(xy)
        points += list(candidates[shapely.contains_xy(area, xy[:, 0], xy[:, 1])])
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(points[:n])))
    features = []
    for code, county in zip(np.asarray(codes)[keep], counties, strict=True):
        pieces = shapely.intersection(cells[shapely.intersects(cells, county)], county)
        pieces = [p for p in pieces if p.area > 0 and p.geom_type in ("Polygon", "MultiPolygon")]
        for k, piece in enumerate(pieces):
            features.append(
                {
                    "type": "Feature",
                    "properties": {"GEOID": f"{code}{100 + k:04d}00", "NAME": f"Tract {100 + k}"},
                    "geometry": json.loads(shapely.to_geojson(piece)),
                }
            )
    return {"type": "FeatureCollection", "features": features}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracts", type=int, default=2400)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="powershare-bench-maps-") as tmp:
        from data.bench import _setup

        _setup(Path(tmp))
        from django.template.loader import render_to_string
        from django.test import Client

        from data import charts, portal
        from powershare.stats.cli import main as cli

        started = time.perf_counter()
        collection = tracts(args.tracts)
        source = Path(tmp) / "tracts.geojson"
        source.write_text(json.dumps(collection))
        made = time.perf_counter() - started
        started = time.perf_counter()
        code = cli(
            ["--root", str(Path(tmp) / "store"), "-q", "load-geography", str(source), "--level",
             "tract", "--code", "GEOID", "--name", "NAME", "--prefix", "county:5", "--prefix",
             "state:2", "--total", "region", "--repair"]
        )  # fmt: skip
        loaded = time.perf_counter() - started
        if code != 0:
            print("maps: the generated tracts did not load", file=sys.stderr)
            return 1
        portal.reset()
        started = time.perf_counter()
        frame = portal.frame("tract")
        first = time.perf_counter() - started
        palette = charts.PALETTE
        shapes = [
            charts.MapShape(
                s.code, s.name, s.path, s.cx, s.cy, palette[i % 5], "#1b1b1b", "", False
            )
            for i, s in enumerate(frame.shapes)
        ]
        scale_px, scale_label = charts.scale_bar(frame.metres_per_unit)
        chart = charts.ChoroplethMap(shapes, [], False, scale_px=scale_px, scale_label=scale_label)
        draws, downloads = [], []
        client = Client()
        size = 0
        for _ in range(args.repeat):
            started = time.perf_counter()
            frame = portal.frame("tract")
            svg = render_to_string("data/includes/map.html", {"map": chart, "prefix": ""})
            draws.append(time.perf_counter() - started)
            started = time.perf_counter()
            response = client.get("/data/shapes/tract.geojson")
            downloads.append(time.perf_counter() - started)
            size = len(response.content)
        raw = source.stat().st_size
        median = statistics.median(draws) * 1000
        print(
            f"\nmaps: {len(frame.shapes):,} generated tracts in Oregon and Washington ({made:.1f} s to make)"
        )
        print(f"  {'step':<44} {'ms':>8}")
        print(f"  {'load-geography (read, check, simplify, store)':<44} {loaded * 1000:>8.0f}")
        print(f"  {'tract map, first drawing':<44} {first * 1000:>8.0f}")
        print(f"  {'tract map, warm (median of ' + str(args.repeat) + ')':<44} {median:>8.1f}")
        print(
            f"  {'GeoJSON download, warm (median)':<44} {statistics.median(downloads) * 1000:>8.1f}"
        )
        print(
            f"  file {raw / 1e6:.1f} MB as given; stored shapes {size / 1e6:.1f} MB; map SVG {len(svg) / 1e6:.2f} MB"
        )
        print(f"  target: map drawn under 300 ms warm: {'met' if median < 300 else 'NOT met'}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
