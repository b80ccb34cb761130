"""Boundary files: a department's real shapes into a geography package.

What a department has is a Census TIGER/Line or cartographic-boundary shapefile (zipped), a
GeoJSON file or a TopoJSON file (the `us-atlas` package's counties, say), in lon/lat or a
projected coordinate system, with codes such as `GEOID`. `read_level` reads one with GDAL
(through pyogrio), in the coordinate system the file declares, and checks it: the code and
name fields exist, every feature has a code and a polygon, no code appears twice, every
polygon is valid (or, when asked, repaired as GIS tools' "fix geometries" does). Shapes are
reprojected to WGS 84 longitude/latitude for storage; rings are wound as RFC 7946 asks.

`build_package` turns the levels into the package `geography.load_geography` loads: the
finest level is the base; coarser levels come from their own files or from the base codes'
prefixes (a tract's GEOID starts with its county's), or from a crosswalk file where an area
splits; shapes are simplified for display with their shared edges kept (GEOS's coverage
simplification, so neighbours keep no slivers or gaps between them); and a display
projection (Albers equal-area, fitted to the area) is named for maps.
"""

from __future__ import annotations

import csv
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyogrio
import pyogrio.errors
import shapely
import shapely.errors
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from .geography import GeographyError

#: File kinds by suffix (a zip holds a shapefile).
SUFFIXES = {".zip": "shapefile", ".shp": "shapefile", ".geojson": "GeoJSON", ".json": "GeoJSON"}
SUFFIXES[".topojson"] = "TopoJSON"
#: How many offending codes a message names.
NAMED = 5
#: Shapes are simplified to about this fraction of the whole area's width (a map 640 px
#: wide then loses nothing it could draw).
DETAIL = 1 / 2000


class BoundaryError(GeographyError):
    """A boundary file that can't be read or doesn't hold together."""


@dataclass(frozen=True)
class Layer:
    """What a boundary file holds, for choosing its code and name fields."""

    name: str
    features: int
    fields: tuple[str, ...]
    crs: str | None
    sample: dict[str, list[str]]


@dataclass(frozen=True)
class LevelFile:
    """One level read from a boundary file."""

    level: str
    path: Path
    code_field: str
    name_field: str | None = None
    layer: str | None = None


@dataclass
class Areas:
    """A level's areas: codes, names and shapes (WGS 84), and what reading them changed."""

    level: str
    codes: list[str]
    names: list[str]
    shapes: np.ndarray
    source_crs: str
    notes: list[str] = field(default_factory=list)


def _problem(path: Path, text: str) -> BoundaryError:
    return BoundaryError(f"{path.name}: {text}")


def _named(items: Sequence[str]) -> str:
    shown = ", ".join(repr(i) for i in list(items)[:NAMED])
    return shown + (f" and {len(items) - NAMED} more" if len(items) > NAMED else "")


def _many(n: int, what: str) -> str:
    return f"{n:,} {what}" + ("" if n == 1 else "s")


def _source(path: Path, layer: str | None) -> tuple[str, str | None]:
    """The GDAL name of the file's data (a zip's shapefile read in place), and its layer."""
    if not path.exists():
        raise _problem(path, "no such file")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise _problem(
            path, "is not a boundary file: give a zipped shapefile (.zip), GeoJSON or TopoJSON"
        )
    if suffix == ".zip":
        try:
            with zipfile.ZipFile(path) as z:
                names = z.namelist()
                damaged = z.testzip()
        except (zipfile.BadZipFile, EOFError):
            raise _problem(path, "is not a readable zip file (truncated or damaged)") from None
        if damaged:
            raise _problem(path, f"is damaged: {damaged} fails its checksum")
        shps = [n for n in names if n.lower().endswith(".shp") and "__MACOSX" not in n]
        if not shps:
            raise _problem(path, "holds no shapefile (no .shp inside the zip)")
        if layer:
            shps = [n for n in shps if Path(n).stem == layer] or shps
        if len(shps) > 1:
            stems = [Path(n).stem for n in shps]
            raise _problem(path, f"holds several shapefiles ({_named(stems)}); choose one")
        _sidecars(path, shps[0], names)
        return f"/vsizip/{path.resolve()}/{shps[0]}", None
    if suffix == ".shp":
        siblings = [p.name for p in path.parent.iterdir()]
        _sidecars(path, path.name, siblings)
    else:
        _check_topology(path)
    return str(path), layer


def _check_topology(path: Path) -> None:
    """A TopoJSON file's shapes are made of its shared arcs; GDAL drops a shape silently
    when an arc it names is missing, so name them here."""
    with path.open("rb") as f:
        head = f.read(200).decode("utf-8", "replace").replace(" ", "")
    if '"type":"Topology"' not in head:
        return
    try:
        topology = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        raise _problem(path, f"is not valid JSON ({e})") from None
    arcs = len(topology.get("arcs") or [])
    missing: list[str] = []

    def highest(arcs_of: object) -> int:
        if isinstance(arcs_of, int):
            return arcs_of if arcs_of >= 0 else ~arcs_of
        if isinstance(arcs_of, list) and arcs_of:
            return max(highest(a) for a in arcs_of)
        return -1

    for name, obj in (topology.get("objects") or {}).items():
        for g in obj.get("geometries", [obj]) if isinstance(obj, dict) else []:
            if isinstance(g, dict) and highest(g.get("arcs")) >= arcs:
                missing.append(str(g.get("id") or (g.get("properties") or {}).get("name") or name))
    if missing:
        raise _problem(
            path,
            f"{_many(len(missing), 'shape')} refer to arcs the file doesn't hold "
            f"(it has {arcs:,}): {_named(missing)}",
        )


def _sidecars(path: Path, shp: str, names: Sequence[str]) -> None:
    """A shapefile is four files; name the ones missing."""
    have = {n.lower() for n in names}
    stem = shp[:-4]
    for ext, what in (
        (".shx", "index"),
        (".dbf", "attribute table"),
        (".prj", "coordinate system"),
    ):
        if (stem + ext).lower() not in have:
            raise _problem(
                path,
                f"{Path(shp).name} has no {ext} file beside it (its {what}); "
                "a shapefile needs its .shp, .shx, .dbf and .prj",
            )


def _layers(path: Path, source: str) -> list[str]:
    try:
        return [str(name) for name, _ in pyogrio.list_layers(source)]
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as e:
        raise _problem(path, f"can't be read as a boundary file ({_gdal(e, source)})") from None


def _gdal(error: Exception, source: str) -> str:
    """GDAL's message, without the file's full path."""
    return str(error).replace(source, "the file").strip().rstrip(".")


def inspect(path: str | Path) -> list[Layer]:
    """The layers of a boundary file, each with its fields and a few values of each."""
    path = Path(path)
    source, _ = _source(path, None)
    out = []
    for name in _layers(path, source):
        info = pyogrio.read_info(source, layer=name)
        _, _, _, values = pyogrio.raw.read(source, layer=name, max_features=3, read_geometry=False)
        fields = tuple(str(f) for f in info["fields"])
        sample = {f: [str(v) for v in column] for f, column in zip(fields, values, strict=True)}
        out.append(Layer(name, int(info["features"]), fields, info["crs"], sample))
    return out


def read_level(spec: LevelFile, repair: bool = False) -> Areas:
    """Read and check one level's boundary file (BoundaryError names what is wrong)."""
    path = Path(spec.path)
    source, layer = _source(path, spec.layer)
    layers = _layers(path, source)
    if layer is None and len(layers) > 1:
        raise _problem(path, f"holds several layers ({_named(layers)}); choose one")
    if layer is not None and layer not in layers:
        raise _problem(path, f"has no layer {layer!r}; its layers are {_named(layers)}")
    layer = layer or layers[0]
    info = pyogrio.read_info(source, layer=layer)
    if info["features"] == 0:
        raise _problem(path, "has no features")
    fields = [str(f) for f in info["fields"]]
    for wanted in (spec.code_field, spec.name_field):
        if wanted and wanted not in fields:
            raise _problem(path, f"has no field {wanted!r}; its fields are {', '.join(fields)}")
    columns = [c for c in dict.fromkeys([spec.code_field, spec.name_field or spec.code_field])]
    try:
        meta, _, wkb, values = pyogrio.raw.read(source, layer=layer, columns=columns)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as e:
        raise _problem(path, f"can't be read ({_gdal(e, source)})") from None
    if len(wkb) == 0:
        raise _problem(path, "has no features")
    by_name = dict(zip(meta["fields"], values, strict=True))
    codes = [_text(v) for v in by_name[spec.code_field]]
    names = [_text(v) for v in by_name[spec.name_field or spec.code_field]]
    areas = Areas(spec.level, codes, names, _shapes(path, wkb, codes), "")
    _check_codes(path, spec, areas)
    shapeless = [c for c, g in zip(codes, areas.shapes, strict=True) if g is None or g.is_empty]
    if shapeless:  # us-atlas, for one, has counties too small for its resolution
        areas.shapes[[g is None or g.is_empty for g in areas.shapes]] = None
        areas.notes.append(
            f"{_many(len(shapeless), 'area')} without a shape ({_named(shapeless)}): "
            "counted, not drawn"
        )
    areas.source_crs, areas.shapes = _to_wgs84(path, meta["crs"], areas.shapes, info["driver"])
    _check_polygons(path, areas, repair)
    return areas


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _shapes(path: Path, wkb: np.ndarray, codes: list[str]) -> np.ndarray:
    shapes = np.array([None if g is None else shapely.from_wkb(g) for g in wkb], dtype=object)
    drawn = np.array([g is not None and not g.is_empty for g in shapes])
    if not drawn.any():
        raise _problem(path, "has no shapes")
    kinds = shapely.get_type_id(shapes[drawn])
    other = [c for c, k in zip(np.array(codes)[drawn], kinds, strict=True) if k not in (3, 6)]
    if other:
        raise _problem(path, f"features that are not polygons: {_named(other)}")
    return shapes


def _check_codes(path: Path, spec: LevelFile, areas: Areas) -> None:
    blank = sum(1 for c in areas.codes if not c)
    if blank:
        raise _problem(path, f"{blank} features have no {spec.code_field}")
    seen: set[str] = set()
    twice = sorted({c for c in areas.codes if c in seen or seen.add(c)})  # type: ignore[func-returns-value]
    if twice:
        raise _problem(path, f"{spec.code_field} codes that appear more than once: {_named(twice)}")


def _lon_lat(xmin: float, ymin: float, xmax: float, ymax: float) -> bool:
    edge = 1e-3  # files put points on the antimeridian a hair past it
    return -180 - edge <= xmin and xmax <= 180 + edge and -90 - edge <= ymin and ymax <= 90 + edge


def _to_wgs84(
    path: Path, crs: str | None, shapes: np.ndarray, driver: str
) -> tuple[str, np.ndarray]:
    """The shapes in WGS 84 longitude/latitude, and the coordinate system they came in."""
    xmin, ymin, xmax, ymax = shapely.total_bounds(shapes)
    if crs is None:
        # RFC 7946: GeoJSON positions are WGS 84 longitude/latitude; TopoJSON files such as
        # us-atlas follow it. A file drawn in some other system would have to say so.
        if driver not in ("GeoJSON", "TopoJSON"):
            raise _problem(path, "declares no coordinate system")
        if not _lon_lat(xmin, ymin, xmax, ymax):
            raise _problem(
                path,
                "declares no coordinate system, and its coordinates "
                f"({xmin:g}..{xmax:g}, {ymin:g}..{ymax:g}) are not longitude/latitude",
            )
        return "EPSG:4326", shapes
    try:
        source = CRS.from_user_input(crs)
    except CRSError:
        raise _problem(
            path, f"declares a coordinate system that isn't understood ({crs})"
        ) from None
    if source.is_geographic and not _lon_lat(xmin, ymin, xmax, ymax):
        # GDAL takes a GeoJSON file without a "crs" member as WGS 84, as RFC 7946 says.
        raise _problem(
            path,
            f"its coordinates ({xmin:g}..{xmax:g}, {ymin:g}..{ymax:g}) are not "
            "longitude/latitude; a projected file must declare its coordinate system",
        )
    if source.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return crs, shapes
    to = Transformer.from_crs(source, CRS.from_epsg(4326), always_xy=True)

    def move(xy: np.ndarray) -> np.ndarray:
        x, y = to.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    moved = shapely.transform(shapes, move)
    if not np.isfinite(shapely.total_bounds(moved)).all():
        raise _problem(path, f"has coordinates that don't fit its coordinate system ({crs})")
    return crs, moved


def _drawn(shapes: np.ndarray) -> np.ndarray:
    return np.array([g is not None for g in shapes], dtype=bool)


def _check_polygons(path: Path, areas: Areas, repair: bool) -> None:
    valid = shapely.is_valid(areas.shapes) | ~_drawn(areas.shapes)
    if not valid.all():
        bad = np.flatnonzero(~valid)
        if not repair:
            reasons = shapely.is_valid_reason(areas.shapes[bad])
            named = [f"{areas.codes[i]} ({r})" for i, r in zip(bad[:NAMED], reasons, strict=False)]
            more = f" and {bad.size - NAMED} more" if bad.size > NAMED else ""
            raise _problem(
                path,
                f"shapes that are not valid polygons ({bad.size}): {'; '.join(named)}{more}. "
                "Repair them here (the 'repair' option) or in a GIS tool",
            )
        fixed = shapely.make_valid(areas.shapes[bad], method="structure", keep_collapsed=False)
        areas.shapes[bad] = [_polygonal(g) for g in fixed]
        # Repaired shapes no longer quite match their neighbours' edges: make the whole
        # set a clean coverage again (no overlaps, shared edges identical).
        drawn = _drawn(areas.shapes)
        areas.shapes[drawn] = shapely.coverage_clean(areas.shapes[drawn])
        areas.notes.append(
            f"{bad.size} invalid shapes repaired ({_named([areas.codes[i] for i in bad])})"
        )
    wound = shapely.orient_polygons(areas.shapes, exterior_cw=False)
    turned = int((~shapely.equals_exact(wound, areas.shapes, tolerance=0) & _drawn(wound)).sum())
    if turned:
        areas.notes.append(f"{_many(turned, 'shape')} wound clockwise turned, as RFC 7946 asks")
    areas.shapes = wound


def _polygonal(geometry: shapely.Geometry) -> shapely.Geometry:
    parts = [p for p in shapely.get_parts(geometry) if shapely.get_type_id(p) in (3, 6)]
    polygons = [q for p in parts for q in shapely.get_parts(p)]
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


# -- the package --------------------------------------------------------------------------


@dataclass(frozen=True)
class PrefixLevel:
    """A coarser level made from the base codes' first `length` characters (tract GEOIDs:
    county 5, state 2)."""

    level: str
    length: int


@dataclass
class Package:
    """A geography package built from boundary files, and what building it noticed."""

    directory: Path
    levels: list[str]
    units: dict[str, int]
    notes: list[str]


def build_package(
    files: Sequence[LevelFile],
    out: str | Path,
    prefixes: Sequence[PrefixLevel] = (),
    crosswalk: str | Path | None = None,
    repair: bool = False,
    total: str | None = "county",
) -> Package:
    """Write a geography package from boundary files; the first file is the base level.

    Each other file's level nests by code prefix (its codes start the base codes) unless the
    crosswalk (`base_code,level,code,weight`) gives that level; `prefixes` add levels with
    no file of their own; `total`, when set and not already a level, is one unit holding
    everything (the area the engine compares with).
    """
    if not files:
        raise BoundaryError("give at least one boundary file (the finest level first)")
    out = Path(out)
    read = [read_level(f, repair) for f in files]
    base = read[0]
    notes = [f"{a.level}: {n}" for a in read for n in a.notes]
    given = _crosswalk(Path(crosswalk), base) if crosswalk else {}
    levels: dict[str, Areas] = {base.level: base}
    xwalk: dict[str, list[tuple[str, str, float]]] = {}
    for areas in read[1:]:
        if areas.level in levels:
            raise BoundaryError(f"level {areas.level!r} is given twice")
        levels[areas.level] = areas
        xwalk[areas.level] = given.get(areas.level) or _nest(base, areas)
    for p in prefixes:
        if p.level in levels:
            raise BoundaryError(f"level {p.level!r} is given twice")
        codes = sorted({c[: p.length] for c in base.codes})
        rows = [(c, c[: p.length], 1.0) for c in base.codes]
        levels[p.level] = Areas(
            p.level, codes, codes, _dissolve(base, rows, codes), base.source_crs
        )
        xwalk[p.level] = rows
    for level in given:
        if level not in levels:
            raise BoundaryError(
                f"the crosswalk names level {level!r}, which no boundary file gives"
            )
    if total and total not in levels:
        whole = _union(base.shapes)
        levels[total] = Areas(total, [total], ["All areas"], np.array([whole]), base.source_crs)
        xwalk[total] = [(c, total, 1.0) for c in base.codes]
    order = [base.level] + sorted(
        (lv for lv in levels if lv != base.level), key=lambda lv: -len(levels[lv].codes)
    )
    _write(out, base.level, order, levels, xwalk)
    return Package(out, order, {lv: len(levels[lv].codes) for lv in order}, notes)


def _nest(base: Areas, coarse: Areas) -> list[tuple[str, str, float]]:
    """Each base area in the coarse area whose code starts its code."""
    by_length: dict[int, set[str]] = {}
    for c in coarse.codes:
        by_length.setdefault(len(c), set()).add(c)
    rows, orphans = [], []
    for code in base.codes:
        parent = next(
            (code[:n] for n in sorted(by_length, reverse=True) if code[:n] in by_length[n]), None
        )
        if parent is None:
            orphans.append(code)
        else:
            rows.append((code, parent, 1.0))
    if orphans:
        raise BoundaryError(
            f"{len(orphans)} {base.level} codes start with no {coarse.level} code: "
            f"{_named(orphans)} (give a crosswalk file where codes don't nest)"
        )
    return rows


def _crosswalk(path: Path, base: Areas) -> dict[str, list[tuple[str, str, float]]]:
    """A crosswalk file's rows by level; weights of one base area at a level sum to 1."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            missing = {"base_code", "level", "code", "weight"} - set(reader.fieldnames or [])
            if missing:
                raise _problem(
                    path,
                    f"needs the columns base_code, level, code, weight (no {', '.join(sorted(missing))})",
                )
            rows = list(reader)
    except (OSError, UnicodeDecodeError) as e:
        raise _problem(path, f"can't be read ({e})") from None
    known = set(base.codes)
    out: dict[str, list[tuple[str, str, float]]] = {}
    sums: dict[tuple[str, str], float] = {}
    for i, row in enumerate(rows, start=2):
        try:
            weight = float(row["weight"])
        except ValueError:
            raise _problem(path, f"line {i}: weight {row['weight']!r} is not a number") from None
        if not 0 <= weight <= 1:
            raise _problem(path, f"line {i}: weight {weight:g} is outside 0..1")
        if row["base_code"] not in known:
            raise _problem(path, f"line {i}: {row['base_code']!r} is not a {base.level} code")
        out.setdefault(row["level"], []).append((row["base_code"], row["code"], weight))
        key = (row["level"], row["base_code"])
        sums[key] = sums.get(key, 0.0) + weight
    off = [f"{b} at {lv}" for (lv, b), s in sums.items() if abs(s - 1) > 1e-6]
    if off:
        raise _problem(path, f"weights that don't sum to 1: {_named(off)}")
    return out


def _dissolve(base: Areas, rows: list[tuple[str, str, float]], codes: list[str]) -> np.ndarray:
    members: dict[str, list[int]] = {c: [] for c in codes}
    index = {c: i for i, c in enumerate(base.codes)}
    for b, c, _ in rows:
        members[c].append(index[b])
    return np.array([_union(base.shapes[members[c]]) for c in codes])


def _union(shapes: np.ndarray) -> shapely.Geometry:
    """The union of neighbouring shapes (fast when they form a clean coverage)."""
    shapes = shapes[_drawn(shapes)]
    try:
        return shapely.coverage_union_all(shapes)
    except shapely.errors.GEOSException:  # edges that don't quite match: the general union
        return shapely.union_all(shapes)


def display_crs(shapes: np.ndarray) -> str:
    """An Albers equal-area projection fitted to the shapes (standard parallels at a sixth
    of the way in from each edge of their middle 90%), as a PROJ string."""
    points = shapely.get_coordinates(shapely.centroid(shapes))
    lon = float(np.median(points[:, 0]))
    south, north = np.quantile(points[:, 1], [0.05, 0.95])
    span = max(float(north - south), 1e-3)
    lat_1, lat_2 = south + span / 6, north - span / 6
    return (
        f"+proj=aea +lat_0={(south + north) / 2:.4f} +lon_0={lon:.4f} +lat_1={lat_1:.4f} "
        f"+lat_2={lat_2:.4f} +datum=WGS84 +units=m +no_defs"
    )


def simplify(shapes: np.ndarray) -> np.ndarray:
    """Shapes for display: coverage simplification, so neighbours keep their shared edges."""
    xmin, ymin, xmax, ymax = shapely.total_bounds(shapes)
    tolerance = max(xmax - xmin, ymax - ymin) * DETAIL
    drawn = _drawn(shapes)
    out = shapes.copy()
    simple = np.asarray(shapely.coverage_simplify(shapes[drawn], tolerance))
    broken = ~shapely.is_valid(simple)
    if broken.any():  # a coverage that isn't one (overlaps in the file): keep those as given
        simple[broken] = shapes[drawn][broken]
    out[drawn] = simple
    return out


def _write(
    out: Path,
    base: str,
    order: list[str],
    levels: dict[str, Areas],
    xwalk: dict[str, list[tuple[str, str, float]]],
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "shapes").mkdir(exist_ok=True)
    meta = {
        "base_level": base,
        "levels": order,
        "crs": "EPSG:4326",
        "display_crs": display_crs(levels[base].shapes),
        "source_crs": levels[base].source_crs,
    }
    (out / "geography.json").write_text(json.dumps(meta, indent=2) + "\n")
    with (out / "units.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["level", "code", "name"])
        for lv in order:
            w.writerows(
                (lv, c, n or c) for c, n in zip(levels[lv].codes, levels[lv].names, strict=True)
            )
    with (out / "crosswalk.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["base_code", "level", "code", "weight"])
        w.writerows((c, base, c, 1) for c in levels[base].codes)
        for lv in order[1:]:
            w.writerows((b, lv, c, f"{wt:g}") for b, c, wt in xwalk[lv])
    for lv in order:
        write_shapes(out / "shapes" / f"{lv}.geojson", levels[lv])


def write_shapes(path: Path, areas: Areas) -> None:
    """A level's shapes for maps and GIS: simplified, WGS 84 to six decimals, with codes."""
    shapes = shapely.transform(simplify(areas.shapes), lambda xy: np.round(xy, 6))
    features = [
        {
            "type": "Feature",
            "properties": {"code": c, "name": n or c},
            "geometry": json.loads(shapely.to_geojson(g)),
        }
        for c, n, g in zip(areas.codes, areas.names, shapes, strict=True)
        if g is not None
    ]
    collection = {"type": "FeatureCollection", "features": features}
    path.write_text(json.dumps(collection, separators=(",", ":")))
