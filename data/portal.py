"""The web app's side of the statistics engine: one store and one warm engine per process,
the engine's measure and policy built from the catalog, shapes for maps.

Everything the portal computes goes through :func:`run` here, and therefore through the
engine's single execution path (``run_query``) with the department's policy.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from django.conf import settings

from powershare import stats
from powershare.stats import perturbation, release

_lock = threading.RLock()
_stores: dict[str, tuple[stats.Store, stats.Source]] = {}
_shape_cache: dict[tuple[str, str], Frame] = {}

MAP_WIDTH, MAP_HEIGHT = 640, 420


def store() -> stats.Store:
    """The engine's store under ``settings.DATA_ROOT`` (one instance per root)."""
    return _warm()[0]


def _warm() -> tuple[stats.Store, stats.Source]:
    root = str(Path(settings.DATA_ROOT).resolve())
    with _lock:
        entry = _stores.get(root)
        if entry is None:
            s = stats.Store(root)
            # One DuckDB connection, kept warm: it caches compiled expressions and
            # denominators per data version and follows reloads by itself.
            entry = _stores[root] = (s, stats.Source.duckdb(s, threads=2))
        return entry


def geography() -> stats.Geography | None:
    """The store's current geography, or None before one is loaded."""
    s = store()
    if s.geography_dir() is None:
        return None
    try:
        return stats.load_current(s)
    except (stats.GeographyError, FileNotFoundError, KeyError):
        return None


def levels() -> list[str]:
    geo = geography()
    return list(geo.levels) if geo else []


def comparison_levels() -> list[str]:
    """Levels of areas outside the county (the state's counties), for published estimates."""
    geo = geography()
    return list(geo.comparison_levels) if geo else []


def map_levels() -> list[str]:
    """Every level with areas to draw: the county's, then the comparison levels."""
    return levels() + comparison_levels()


def released_levels(policy: stats.SuppressionPolicy) -> list[str]:
    """The levels the policy releases: under a protected release, those of its cube."""
    geo = geography()
    if geo is None:
        return []
    if policy.method == "internal":
        return list(geo.levels)
    if policy.method == "perturbation":
        return perturbation.levels(geo, policy)
    return release.levels(geo, policy)


def units(level: str) -> list[tuple[str, str]]:
    """(code, name) of a level's units."""
    geo = geography()
    if geo is None or level not in geo.all_levels:
        return []
    return [(code, geo.name(level, code)) for code in geo.codes(level)]


def engine_measure(measure: Any) -> stats.Measure:
    """The engine's Measure for a catalog measure (``data.models.Measure``)."""
    return stats.Measure(
        name=measure.name,
        label=measure.label,
        dataset=measure.dataset.name,
        kind=measure.kind,
        causes=tuple(c.strip() for c in measure.causes.split(",") if c.strip()),
        age_min=measure.age_min,
        age_max=measure.age_max,
        sex=measure.sex or None,
        where=parse_conditions(measure.conditions),
        numerator=parse_conditions(measure.numerator_conditions),
        per=measure.per,
        standard=measure.standard,
        description=measure.description,
    )


def parse_conditions(text: str) -> tuple[stats.Condition, ...]:
    """Lines such as ``bll >= 3.5`` into engine conditions; ValueError names the bad line."""
    out = []
    for line in (raw.strip() for raw in (text or "").splitlines()):
        if not line:
            continue
        parts = line.split()
        if len(parts) != 3 or parts[1] not in ("<", "<=", ">", ">=", "=", "!="):
            raise ValueError(line)
        column, op, raw = parts
        if not column.replace("_", "").isalnum():
            raise ValueError(line)
        value: Any
        try:
            value = int(raw)
        except ValueError:
            try:
                value = float(raw)
            except ValueError:
                value = raw.strip("\"'")
        out.append(stats.Condition(column, op, value))
    return tuple(out)


def engine_policy(setting: Any, *, record_releases: bool = True) -> stats.SuppressionPolicy:
    """The engine's policy from the department's ``PolicySetting``."""
    return stats.SuppressionPolicy(
        **setting.engine_fields(), record_releases=record_releases, time_limit_seconds=20.0
    )


def run(
    query: stats.Query, *, policy: stats.SuppressionPolicy, measure: stats.Measure
) -> stats.Result:
    """Run a query on the warm engine (serialized: one DuckDB connection per process)."""
    s, source = _warm()
    with _lock:
        return stats.run_query(
            s, query, policy=policy, source=source, measures={measure.name: measure}
        )


def protect(measures: list[Any], policy: stats.SuppressionPolicy) -> list[str]:
    """Protect the release cubes of these catalog measures in every loaded block now, so that
    no page waits for them; one line per cube (none unless the method is the protected cube)."""
    if policy.method != "suppression":
        return []
    from powershare.stats.audit import loaded_blocks

    s, source = _warm()
    lines = []
    with _lock:
        for measure in measures:
            engine = engine_measure(measure)
            try:
                blocks = loaded_blocks(s, engine, policy, source)
                done = release.prepare(s, [engine], policy, source, blocks)
            except (KeyError, ValueError, FileNotFoundError, stats.PolicyError) as error:
                lines.append(f"{measure.name}: not protected ({error})")
                continue
            for name, (a, b), p in done:
                lines.append(f"{name} {a}-{b}: {p.primary} small, {p.secondary} more hidden")
    return lines


@dataclass(frozen=True)
class DatasetSummary:
    rows: int
    version: str
    years: list[int]
    loaded_at: str
    kind: str


def summarize(name: str) -> DatasetSummary | None:
    """Rows, version, years and last load of a dataset in the store (None if not loaded)."""
    s = store()
    try:
        info = s.dataset(name)
    except KeyError:
        return None
    paths = [str(s.root / f.path) for f in info.files]
    years: list[int] = []
    if paths:
        con = duckdb.connect()
        try:
            found = con.execute(
                "SELECT DISTINCT year FROM read_parquet(?) ORDER BY 1", [paths]
            ).fetchall()
            years = [int(y) for (y,) in found]
        finally:
            con.close()
    loaded = max((f.loaded_at for f in info.files), default="")
    return DatasetSummary(info.rows, info.version, years, loaded, info.kind)


def preview(name: str, limit: int = 50) -> tuple[list[str], list[tuple]]:
    """The first rows of a dataset: record-level, for analysts only (the view checks)."""
    s = store()
    paths = [str(p) for p in s.paths(name)]
    con = duckdb.connect()
    try:
        # Columns starting with "_" are the engine's own integer codes, not the record's data.
        cur = con.execute(
            f"SELECT COLUMNS(lambda c: c[1] != '_') FROM read_parquet(?) LIMIT {int(limit)}",
            [paths],
        )
        columns = [d[0] for d in cur.description]
        return columns, cur.fetchall()
    finally:
        con.close()


# -- shapes for maps ------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    path: str  # SVG path data in the map's viewBox
    cx: float
    cy: float


@dataclass(frozen=True)
class Frame:
    """A level's map: its shapes in the viewBox, and the metres one viewBox unit spans
    (None when the shapes are not in real coordinates, as the synthetic county's)."""

    shapes: list[Shape]
    metres_per_unit: float | None


def shapes(level: str) -> list[Shape]:
    """A level's shapes projected into the map's viewBox, cached per geography version."""
    return frame(level).shapes


def frame(level: str) -> Frame:
    """A level's map frame, cached per geography version."""
    s = store()
    version = s.geography_version() or ""
    key = (version, level)
    with _lock:
        if key in _shape_cache:
            return _shape_cache[key]
    geo = geography()
    # A level the geography lacks (a real county's boundaries have no neighborhoods) has
    # no shapes, rather than an error.
    path = geo.shapes(level) if geo and level in geo.all_levels else None
    result = Frame([], None)
    if geo and path and Path(path).exists():
        result = _project(json.loads(Path(path).read_text()), geo, level)
    with _lock:
        _shape_cache[key] = result
    return result


def _project(collection: dict[str, Any], geo: Any, level: str) -> Frame:
    """Shapes drawn north-up in the viewBox: in the geography's display projection (an
    equal-area one fitted to the area) when it names one, else as they are."""
    import numpy as np
    import shapely

    features = [f for f in collection.get("features", []) if f.get("geometry")]
    if not features:
        return Frame([], None)
    shapes = np.array([shapely.from_geojson(json.dumps(f["geometry"])) for f in features])
    crs = geo.display_crs_for(level)
    if crs:
        from pyproj import Transformer

        to = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        shapes = shapely.transform(shapes, lambda xy: np.column_stack(to.transform(*xy.T)))
    x0, y0, x1, y1 = shapely.total_bounds(shapes)
    pad = 10
    scale = min((MAP_WIDTH - 2 * pad) / ((x1 - x0) or 1), (MAP_HEIGHT - 2 * pad) / ((y1 - y0) or 1))
    origin = np.array([x0, y0])

    def to_box(xy: np.ndarray) -> np.ndarray:
        box = (xy - origin) * scale
        return np.round(np.column_stack([pad + box[:, 0], MAP_HEIGHT - pad - box[:, 1]]), 1)

    drawn = shapely.transform(shapes, to_box)
    names = geo.names(level)
    out = []
    for f, g in zip(features, drawn, strict=True):
        code = str(f.get("properties", {}).get("code", ""))
        parts = []
        for polygon in shapely.get_parts(g):
            for ring in (polygon.exterior, *polygon.interiors):
                points = np.asarray(ring.coords)
                parts.append("M" + " L".join(f"{x:g},{y:g}" for x, y in points) + " Z")
        largest = max(shapely.get_parts(g), key=lambda p: p.area)
        label = shapely.point_on_surface(largest)
        name = names.get(code, code)
        out.append(Shape(code, name, " ".join(parts), round(label.x, 1), round(label.y, 1)))
    return Frame(out, 1 / scale if crs else None)


def reset() -> None:
    """Forget warm engines and shapes (tests switch DATA_ROOT between runs)."""
    with _lock:
        _stores.clear()
        _shape_cache.clear()
