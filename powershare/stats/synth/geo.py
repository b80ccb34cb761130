"""Synthetic geography: a grid of tracts grown into neighborhoods and council districts,
ZIP codes that cut across tracts (population-weighted crosswalk), and GeoJSON shapes."""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from ..boundaries import display_crs

NEIGHBORHOOD_NAMES = (
    "Eastside",
    "Riverside",
    "Northgate",
    "Southpoint",
    "Westview",
    "Hillcrest",
    "Lakeshore",
    "Old Town",
    "Mill District",
    "Fairview",
    "Cedar Heights",
    "Union Square",
    "Brookside",
    "Maple Park",
    "Harbor Flats",
    "Oak Hollow",
    "Sunnyslope",
    "Ironworks",
    "Pleasant Valley",
    "Two Rivers",
    "Midtown",
    "College Hill",
    "Rail Yards",
    "Green Acres",
)
LEVELS = ("tract", "zip", "neighborhood", "council_district", "county")
LON0, LAT0, DX, DY = -97.62, 35.38, 0.012, 0.010
COUNTY_CODE, COUNTY_NAME = "99001", "Powershare County"


@dataclass
class Grid:
    """The synthetic county's units; arrays are indexed by tract (row-major grid cell)."""

    rows: int
    cols: int
    tract_codes: list[str]
    neighborhood: np.ndarray  # tract -> neighborhood index
    neighborhood_names: list[str]
    district: np.ndarray  # neighborhood -> council district index
    deprivation: np.ndarray  # neighborhood -> 0..1 (drives disparities)
    zip_codes: list[str]
    zip_weights: np.ndarray  # tract x zip area (= population) shares
    zip_rects: list[tuple[float, float, float, float]]  # x0, x1, y0, y1 in grid units

    @property
    def n(self) -> int:
        """Number of tracts."""
        return self.rows * self.cols


def _grow(rng: np.random.Generator, adjacency: list[list[int]], k: int) -> np.ndarray:
    """Split a connected graph into k contiguous regions by random multi-source growth."""
    n = len(adjacency)
    label = -np.ones(n, dtype=int)
    seeds = rng.choice(n, size=k, replace=False)
    label[seeds] = np.arange(k)
    frontier = [list(adjacency[s]) for s in seeds]
    while (label < 0).any():
        for region in rng.permutation(k):
            cand = [c for c in frontier[region] if label[c] < 0]
            if not cand:
                continue
            pick = cand[rng.integers(len(cand))]
            label[pick] = region
            frontier[region] = [c for c in cand if c != pick] + adjacency[pick]
    return label


def make_grid(rng: np.random.Generator, n_tracts: int) -> Grid:
    """Lay out about `n_tracts` tracts and group them (see the module docstring)."""
    cols = max(4, round(math.sqrt(n_tracts * 1.25)))
    rows = max(4, math.ceil(n_tracts / cols))
    n = rows * cols
    adj: list[list[int]] = [[] for _ in range(n)]
    for r in range(rows):
        for c in range(cols):
            i = r * cols + c
            if c + 1 < cols:
                adj[i].append(i + 1)
                adj[i + 1].append(i)
            if r + 1 < rows:
                adj[i].append(i + cols)
                adj[i + cols].append(i)
    n_nb = int(np.clip(round(n / 5), 8, 20)) if n <= 120 else round(n / 5)
    nb = _grow(rng, adj, n_nb)
    names = [
        NEIGHBORHOOD_NAMES[i % len(NEIGHBORHOOD_NAMES)]
        + ("" if i < len(NEIGHBORHOOD_NAMES) else f" {i // len(NEIGHBORHOOD_NAMES) + 1}")
        for i in range(n_nb)
    ]
    nb_adj = [
        sorted({int(nb[j]) for i in np.flatnonzero(nb == k) for j in adj[i]} - {k})
        for k in range(n_nb)
    ]
    n_cd = int(np.clip(n_nb // 3, 3, 9))
    district = _grow(rng, nb_adj, n_cd)
    # deprivation: an east-west gradient (the "east side" of town) plus noise
    xs = np.array([np.mean(np.flatnonzero(nb == k) % cols) for k in range(n_nb)]) / max(cols - 1, 1)
    deprivation = np.clip(0.65 * xs + 0.35 * rng.random(n_nb), 0, 1)
    # ZIP codes: a coarser grid, offset so that ZIP lines cut through tracts
    zs = 2.6
    zcols, zrows = math.ceil((cols + 0.5) / zs), math.ceil((rows + 0.5) / zs)
    weights = np.zeros((n, zcols * zrows))
    rects = []
    for zr in range(zrows):
        for zc in range(zcols):
            rects.append(
                (
                    max(0.0, zc * zs - 0.5),
                    min(float(cols), (zc + 1) * zs - 0.5),
                    max(0.0, zr * zs - 0.5),
                    min(float(rows), (zr + 1) * zs - 0.5),
                )
            )
    for r in range(rows):
        for c in range(cols):
            for zr in range(zrows):
                for zc in range(zcols):
                    x0, x1 = zc * zs - 0.5, (zc + 1) * zs - 0.5
                    y0, y1 = zr * zs - 0.5, (zr + 1) * zs - 0.5
                    ox = max(0.0, min(c + 1, x1) - max(c, x0))
                    oy = max(0.0, min(r + 1, y1) - max(r, y0))
                    weights[r * cols + c, zr * zcols + zc] = ox * oy
    used = weights.sum(axis=0) > 0
    weights = weights[:, used]
    rects = [r for r, u in zip(rects, used, strict=True) if u]
    weights = np.round(weights / weights.sum(axis=1, keepdims=True), 6)
    weights[:, -1] += 1 - weights.sum(axis=1)  # exact sums after rounding
    weights[np.abs(weights) < 1e-9] = 0
    zip_codes = [f"9{7100 + 2 * i:04d}" for i in range(weights.shape[1])]
    tracts = [f"{COUNTY_CODE}{100 + i:04d}00" for i in range(n)]
    return Grid(rows, cols, tracts, nb, names, district, deprivation, zip_codes, weights, rects)


def _ring(cells: list[tuple[int, int]], cols: int) -> list[list[list[list[float]]]]:
    """Outline of a set of grid cells as GeoJSON polygon rings (outer ring, then holes)."""
    edges: dict[tuple[tuple[int, int], tuple[int, int]], int] = {}
    for r, c in cells:
        corners = [(c, r), (c + 1, r), (c + 1, r + 1), (c, r + 1)]
        for a, b in zip(corners, corners[1:] + corners[:1], strict=True):
            if (b, a) in edges:
                del edges[(b, a)]
            else:
                edges[(a, b)] = 1
    nxt: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for a, b in edges:
        nxt.setdefault(a, []).append(b)
    rings = []
    while nxt:
        start = next(iter(nxt))
        ring, point = [start], start
        while True:
            b = nxt[point].pop()
            if not nxt[point]:
                del nxt[point]
            if b == start:
                break
            ring.append(b)
            point = b
        ring.append(start)
        rings.append([[round(LON0 + x * DX, 6), round(LAT0 + y * DY, 6)] for x, y in ring])

    def area(ring: list[list[float]]) -> float:
        return (
            sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False)) / 2
        )

    outer = [r for r in rings if area(r) > 0]
    holes = [r for r in rings if area(r) <= 0]
    return [[o] + (holes if i == 0 else []) for i, o in enumerate(outer)]


def _feature(code: str, name: str, polygons: list) -> dict:
    geom = (
        {"type": "Polygon", "coordinates": polygons[0]}
        if len(polygons) == 1
        else {"type": "MultiPolygon", "coordinates": polygons}
    )
    return {"type": "Feature", "properties": {"code": code, "name": name}, "geometry": geom}


def write_geography(grid: Grid, out: Path) -> Path:
    """Write the geography package (geography.json, units.csv, crosswalk.csv, shapes/)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "shapes").mkdir(exist_ok=True)
    nb_codes = [f"N{k + 1:02d}" for k in range(len(grid.neighborhood_names))]
    cd_codes = [f"D{k + 1}" for k in range(int(grid.district.max()) + 1)]
    cells = [(i // grid.cols, i % grid.cols) for i in range(grid.n)]
    tracts = np.array(
        [
            shapely.box(LON0 + c * DX, LAT0 + r * DY, LON0 + (c + 1) * DX, LAT0 + (r + 1) * DY)
            for r, c in cells
        ]
    )
    meta = {
        "base_level": "tract",
        "levels": list(LEVELS),
        "crs": "EPSG:4326",
        "display_crs": display_crs(tracts),
    }
    (out / "geography.json").write_text(json.dumps(meta, indent=2))
    with open(out / "units.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["level", "code", "name"])
        for i, t in enumerate(grid.tract_codes):
            w.writerow(["tract", t, f"Tract {100 + i}"])
        for z in grid.zip_codes:
            w.writerow(["zip", z, f"ZIP {z}"])
        for code, name in zip(nb_codes, grid.neighborhood_names, strict=True):
            w.writerow(["neighborhood", code, name])
        for k, code in enumerate(cd_codes):
            w.writerow(["council_district", code, f"Council District {k + 1}"])
        w.writerow(["county", COUNTY_CODE, COUNTY_NAME])
    with open(out / "crosswalk.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["base_code", "level", "code", "weight"])
        for i, t in enumerate(grid.tract_codes):
            for j in np.flatnonzero(grid.zip_weights[i] > 0):
                w.writerow([t, "zip", grid.zip_codes[j], f"{grid.zip_weights[i, j]:.6f}"])
            k = int(grid.neighborhood[i])
            w.writerow([t, "neighborhood", nb_codes[k], "1"])
            w.writerow([t, "council_district", cd_codes[int(grid.district[k])], "1"])
            w.writerow([t, "county", COUNTY_CODE, "1"])
    shapes = {
        "tract": [
            _feature(t, f"Tract {100 + i}", _ring([cells[i]], grid.cols))
            for i, t in enumerate(grid.tract_codes)
        ],
        "neighborhood": [
            _feature(
                code,
                name,
                _ring([cells[i] for i in np.flatnonzero(grid.neighborhood == k)], grid.cols),
            )
            for k, (code, name) in enumerate(zip(nb_codes, grid.neighborhood_names, strict=True))
        ],
        "council_district": [
            _feature(
                code,
                f"Council District {d + 1}",
                _ring(
                    [cells[i] for i in range(grid.n) if grid.district[grid.neighborhood[i]] == d],
                    grid.cols,
                ),
            )
            for d, code in enumerate(cd_codes)
        ],
        "county": [_feature(COUNTY_CODE, COUNTY_NAME, _ring(cells, grid.cols))],
        "zip": [],
    }
    for z, (x0, x1, y0, y1) in zip(grid.zip_codes, grid.zip_rects, strict=True):
        ring = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
        coords = [[round(LON0 + x * DX, 6), round(LAT0 + y * DY, 6)] for x, y in ring]
        shapes["zip"].append(
            {
                "type": "Feature",
                "properties": {"code": z, "name": f"ZIP {z}"},
                "geometry": {"type": "Polygon", "coordinates": [coords]},
            }
        )
    for level, features in shapes.items():
        (out / "shapes" / f"{level}.geojson").write_text(
            json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
        )
    return out
