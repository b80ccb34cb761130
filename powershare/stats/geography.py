"""Geography: units at levels, the crosswalk from the base level up, custom areas, shapes.

A geography package is a directory with:

- ``geography.json``: ``{"base_level": "tract", "levels": ["tract", "zip", ...]}``
  (finest first; the last level is usually ``county``);
- ``units.csv``: ``level,code,name`` for every unit at every level;
- ``crosswalk.csv``: ``base_code,level,code,weight``: the share of the base unit's
  population in the unit of that level (1 when nested, fractions when a unit splits;
  shares of one base unit at one level sum to 1);
- ``shapes/<level>.geojson`` (optional): a FeatureCollection whose features carry
  ``properties.code`` (WGS 84 when ``geography.json`` names a ``display_crs``; packages
  built from boundary files by `powershare.stats.boundaries` do).

``geography.json`` may also name *comparison levels* (``"comparison_levels": {"level":
{"label": ..., "display_crs": ...}}``): areas outside the department's own (the state's
other counties), with units and shapes but no crosswalk, for published estimates only
(`powershare.stats.comparison`).

Events and population are coded at the base level; every other level, and any custom
area, is a weighted sum of base units (`Geography.matrix`, `Geography.custom_weights`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from scipy import sparse

from .store import Store, fsync_dir


class GeographyError(ValueError):
    """A geography package or a custom area that doesn't hold together."""


@dataclass(frozen=True)
class CustomArea:
    """A partner's area: a name and a set of units, each "level:code" (levels may mix)."""

    name: str
    units: tuple[str, ...]

    @classmethod
    def parse(cls, spec: str) -> CustomArea:
        """Parse "Name=neighborhood:EAST,tract:T0103" (CLI form)."""
        name, _, units = spec.partition("=")
        if not units:
            raise GeographyError(
                f"custom area {spec!r} should look like 'Name=level:code,level:code'"
            )
        return cls(name.strip(), tuple(u.strip() for u in units.split(",") if u.strip()))


class Geography:
    """A loaded geography: unit lists and crosswalk matrices."""

    def __init__(self, directory: Path, version: str = "") -> None:
        self.directory = directory
        self.version = version
        meta = json.loads((directory / "geography.json").read_text())
        self.base_level: str = meta["base_level"]
        self.levels: tuple[str, ...] = tuple(meta["levels"])
        # Real boundary files (`boundaries`) are stored in WGS 84 and name a projection for
        # maps; the synthetic county's shapes are drawn as they are.
        self.display_crs: str | None = meta.get("display_crs")
        self.comparison: dict[str, dict[str, Any]] = meta.get("comparison_levels") or {}
        self.comparison_levels: tuple[str, ...] = tuple(self.comparison)
        # ParquetFile, not read_table: read_table imports pyarrow.dataset (and pandas), ~1 s
        self.units = pq.ParquetFile(directory / "units.parquet").read()
        self.crosswalk = pq.ParquetFile(directory / "crosswalk.parquet").read()
        self._codes: dict[str, list[str]] = {}
        self._matrices: dict[str, tuple[list[str], np.ndarray]] = {}
        self._sparse: dict[str, sparse.csr_matrix] = {}
        self._level_names: dict[str, dict[str, str]] = {}

    @cached_property
    def _names(self) -> dict[tuple[str, str], str]:
        d = self.units.to_pydict()
        return {(lv, c): n for lv, c, n in zip(d["level"], d["code"], d["name"], strict=True)}

    @property
    def all_levels(self) -> tuple[str, ...]:
        """The levels, then the comparison levels."""
        return (*self.levels, *self.comparison_levels)

    def display_crs_for(self, level: str) -> str | None:
        """The projection a level's maps are drawn in."""
        if level in self.comparison:
            return self.comparison[level].get("display_crs")
        return self.display_crs

    def label(self, level: str, language: str = "en") -> str | None:
        """A comparison level's name for readers ("Oregon counties"), in `language` when
        the geography has it, else in English; None for the other levels."""
        labels: dict[str, str] = self.comparison.get(level, {}).get("labels") or {}
        return labels.get(language) or labels.get("en") or next(iter(labels.values()), None)

    def codes(self, level: str) -> list[str]:
        """Codes of the units at a level (or a comparison level), sorted."""
        if level not in self._codes:
            if level not in self.comparison:
                self.check_level(level)
            self._codes[level] = sorted(c for lv, c in self._names if lv == level)
        return list(self._codes[level])

    def names(self, level: str) -> dict[str, str]:
        """Display names of the units at a level, by code."""
        if level not in self._level_names:
            self._level_names[level] = {c: self.name(level, c) for c in self.codes(level)}
        return dict(self._level_names[level])

    def name(self, level: str, code: str) -> str:
        """A unit's display name."""
        return self._names.get((level, code), code)

    @cached_property
    def base_codes(self) -> list[str]:
        """Codes of the base-level units, sorted: the column order of every matrix."""
        return self.codes(self.base_level)

    def check_level(self, level: str) -> None:
        """Refuse a level the county's records can't be summed to, saying why."""
        if level in self.comparison:
            raise GeographyError(
                f"{level} is a comparison level, outside the county: only published "
                f"estimates are given for its areas"
            )
        if level not in self.levels:
            raise GeographyError(
                f"unknown geography level {level!r} (levels: {', '.join(self.levels)})"
            )

    def matrix(self, level: str) -> tuple[list[str], np.ndarray]:
        """Unit codes of `level` and the (units x base units) weight matrix (read-only)."""
        if level not in self._matrices:
            self.check_level(level)
            codes, m = self._matrix(level)
            m.setflags(write=False)
            self._matrices[level] = (codes, m)
        codes, m = self._matrices[level]
        return list(codes), m

    def sparse_matrix(self, level: str) -> sparse.csr_matrix:
        """`matrix(level)` as a sparse matrix (built once; don't modify it)."""
        if level not in self._sparse:
            self._sparse[level] = sparse.csr_matrix(self.matrix(level)[1])
        return self._sparse[level]

    def _matrix(self, level: str) -> tuple[list[str], np.ndarray]:
        codes = self.codes(level)
        base = self.base_codes
        if level == self.base_level:
            return codes, np.eye(len(base))
        row = {c: i for i, c in enumerate(codes)}
        col = {c: i for i, c in enumerate(base)}
        m = np.zeros((len(codes), len(base)))
        d = self.crosswalk.filter(pa.compute.equal(self.crosswalk["level"], level)).to_pydict()
        for b, c, w in zip(d["base_code"], d["code"], d["weight"], strict=True):
            m[row[c], col[b]] += w
        return codes, m

    def unit_weights(self, unit: str) -> np.ndarray:
        """Base-unit weights of one unit given as "level:code"."""
        level, _, code = unit.partition(":")
        if not code:
            raise GeographyError(f"unit {unit!r} should be 'level:code', e.g. 'tract:T0101'")
        codes, m = self.matrix(level)
        try:
            return m[codes.index(code)]
        except ValueError:
            raise GeographyError(f"no {level} with code {code!r}") from None

    def custom_weights(self, area: CustomArea) -> np.ndarray:
        """Base-unit weights of a custom area: the union of its units (capped at 1).

        Units may be at different levels (a neighborhood plus a tract next to it); a
        base unit counted twice still counts once.
        """
        if not area.units:
            raise GeographyError(f"custom area {area.name!r} has no units")
        total = np.zeros(len(self.base_codes))
        for unit in area.units:
            total += self.unit_weights(unit)
        return np.minimum(total, 1.0)

    def tiles(self, levels: Sequence[str], area: np.ndarray) -> np.ndarray:
        """The units an area of whole base units is made of (tiles x base units): the
        largest units of `levels` that fit in what is left of it, level by level from the
        one with the largest units, then single base units for the rest. The same area
        always gets the same tiles, however its units were listed."""
        left = np.asarray(area, dtype=float).copy()
        rows: list[np.ndarray] = []
        sizes = {lv: self.matrix(lv)[1].sum() / max(1, len(self.codes(lv))) for lv in levels}
        for level in sorted(levels, key=lambda lv: (-sizes[lv], lv)):
            _, m = self.matrix(level)
            for i in np.flatnonzero(m.any(axis=1) & (m <= left).all(axis=1)):
                if (m[i] <= left).all():  # units of one level don't overlap; if they do, once
                    rows.append(m[i])
                    left = left - m[i]
        eye = np.eye(len(left))
        rows += [eye[i] for i in np.flatnonzero(left > 0)]
        return np.array(rows).reshape(len(rows), len(left))

    def shapes(self, level: str) -> Path | None:
        """Path of the level's (or a comparison level's) GeoJSON, if the package had one."""
        if level not in self.comparison:
            self.check_level(level)
        path = self.directory / "shapes" / f"{level}.geojson"
        return path if path.exists() else None


def load_geography(store: Store, source: str | os.PathLike[str]) -> str:
    """Validate a geography package and make it the store's geography; returns its checksum.

    Re-loading the same package is a no-op. Everything is validated before anything is
    switched, so a bad package leaves the current geography in place.
    """
    src = Path(source)
    digest = hashlib.sha256()
    files = ["geography.json", "units.csv", "crosswalk.csv"]
    shapes = sorted((src / "shapes").glob("*.geojson")) if (src / "shapes").is_dir() else []
    for name in files:
        if not (src / name).exists():
            raise GeographyError(f"{src} has no {name}")
    for p in [src / f for f in files] + shapes:
        digest.update(p.name.encode())
        digest.update(p.read_bytes())
    sha = digest.hexdigest()
    current = store.manifest().get("geography")
    if current and current["sha256"] == sha:
        return sha

    meta = json.loads((src / "geography.json").read_text())
    base, levels = meta.get("base_level"), meta.get("levels")
    if not isinstance(levels, list) or base not in levels:
        raise GeographyError("geography.json needs 'levels' (finest first) containing 'base_level'")
    comparison = list(meta.get("comparison_levels") or {})
    if set(comparison) & set(levels):
        raise GeographyError(
            f"geography.json: {', '.join(sorted(set(comparison) & set(levels)))} is both a "
            f"level and a comparison level"
        )
    con = duckdb.connect()
    units = (
        con.sql(
            f"SELECT CAST(level AS VARCHAR) level, CAST(code AS VARCHAR) code, CAST(name AS VARCHAR) name "
            f"FROM read_csv('{src / 'units.csv'}', header=true, all_varchar=true)"
        )
        .arrow()
        .read_all()
    )
    xwalk = (
        con.sql(
            f"SELECT CAST(base_code AS VARCHAR) base_code, CAST(level AS VARCHAR) level, "
            f"CAST(code AS VARCHAR) code, CAST(weight AS DOUBLE) weight "
            f"FROM read_csv('{src / 'crosswalk.csv'}', header=true, all_varchar=true)"
        )
        .arrow()
        .read_all()
    )
    _validate(con, units, xwalk, base, levels, comparison)
    _check_codes_in_use(con, store, base)
    for path in shapes:
        _validate_shapes(path, units, [*levels, *comparison])

    with store.lock():
        target = store.root / "geography" / sha[:16]
        if not target.exists():
            tmp = Path(tempfile.mkdtemp(prefix=".geo-", dir=store.root))
            pq.write_table(units, tmp / "units.parquet")
            pq.write_table(xwalk, tmp / "crosswalk.parquet")
            shutil.copy(src / "geography.json", tmp / "geography.json")
            if shapes:
                (tmp / "shapes").mkdir()
                for p in shapes:
                    shutil.copy(p, tmp / "shapes" / p.name)
            target.parent.mkdir(exist_ok=True)
            os.replace(tmp, target)
            fsync_dir(target.parent)
        manifest = store.manifest()
        manifest["geography"] = {
            "path": str(target.relative_to(store.root)),
            "sha256": sha,
            "loaded_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "base_level": base,
            "levels": levels,
        }
        store.write_manifest(manifest)
    return sha


def _validate(
    con: duckdb.DuckDBPyConnection,
    units: pa.Table,
    xwalk: pa.Table,
    base: str,
    levels: Sequence[str],
    comparison: Sequence[str] = (),
) -> None:
    problems: list[str] = []

    def q(sql: str) -> list[tuple]:
        return con.execute(sql).fetchall()

    con.register("units", units)
    con.register("xwalk", xwalk)
    level_list = ", ".join(f"'{lv}'" for lv in [*levels, *comparison])
    for (lv,) in q(
        f"SELECT DISTINCT level FROM units WHERE level NOT IN ({level_list}) OR level IS NULL"
    ):
        problems.append(f"units.csv: unknown level {lv!r}")
    for lv, code in q("SELECT level, code FROM units GROUP BY ALL HAVING count(*) > 1 LIMIT 5"):
        problems.append(f"units.csv: {lv} {code!r} appears more than once")
    for (n,) in q("SELECT count(*) FROM units WHERE code IS NULL OR code = ''"):
        if n:
            problems.append(f"units.csv: {n} units without a code")
    for b, lv, code in q(
        f"SELECT x.base_code, x.level, x.code FROM xwalk x LEFT JOIN units u "
        f"ON u.level = x.level AND u.code = x.code WHERE u.code IS NULL OR x.base_code NOT IN "
        f"(SELECT code FROM units WHERE level = '{base}') LIMIT 5"
    ):
        problems.append(f"crosswalk.csv: {b!r} -> {lv} {code!r} names a unit not in units.csv")
    if comparison:
        listed = ", ".join(f"'{lv}'" for lv in comparison)
        for (lv,) in q(f"SELECT DISTINCT level FROM xwalk WHERE level IN ({listed})"):
            problems.append(
                f"crosswalk.csv: {lv} is a comparison level (outside the county); "
                f"it has no crosswalk"
            )
    for (n,) in q("SELECT count(*) FROM xwalk WHERE weight IS NULL OR weight < 0 OR weight > 1"):
        if n:
            problems.append(f"crosswalk.csv: {n} weights outside 0..1")
    others = [lv for lv in levels if lv != base]
    for lv in others:
        for b, total in q(
            f"SELECT u.code, coalesce(sum(x.weight), 0) FROM units u LEFT JOIN xwalk x "
            f"ON x.base_code = u.code AND x.level = '{lv}' WHERE u.level = '{base}' "
            f"GROUP BY u.code HAVING abs(coalesce(sum(x.weight), 0) - 1) > 1e-6 LIMIT 5"
        ):
            problems.append(
                f"crosswalk.csv: {base} {b!r} has {lv} weights summing to {total:g}, not 1"
            )
    if problems:
        raise GeographyError("geography rejected:\n  " + "\n  ".join(problems))


def _check_codes_in_use(con: duckdb.DuckDBPyConnection, store: Store, base: str) -> None:
    """Data already loaded must find its areas in the new geography."""
    problems = []
    for info in store.datasets():
        paths = [str(store.root / f.path) for f in info.files]
        if not paths or info.kind == "indicators":  # published areas: matched at each load
            continue
        rows = con.execute(
            "SELECT geo, count(*) OVER () FROM (SELECT DISTINCT CAST(geo AS VARCHAR) geo "
            "FROM read_parquet(?)) WHERE geo NOT IN (SELECT code FROM units WHERE level = ?) "
            "ORDER BY geo LIMIT 5",
            [paths, base],
        ).fetchall()
        if rows:
            named = ", ".join(repr(r[0]) for r in rows)
            more = f" and {rows[0][1] - len(rows)} more" if rows[0][1] > len(rows) else ""
            problems.append(
                f"the {info.kind} dataset {info.name!r} is coded with areas that are no {base} "
                f"of this geography: "
                f"{named}{more}"
            )
    if problems:
        raise GeographyError(
            "geography rejected:\n  "
            + "\n  ".join(problems)
            + "\n  (load those datasets again with codes of this geography, or fix its codes)"
        )


def _validate_shapes(path: Path, units: pa.Table, levels: Iterable[str]) -> None:
    level = path.stem
    if level not in levels:
        raise GeographyError(f"shapes/{path.name}: {level!r} is not a level")
    data = json.loads(path.read_text())
    if data.get("type") != "FeatureCollection":
        raise GeographyError(f"shapes/{path.name} is not a GeoJSON FeatureCollection")
    known = {
        c
        for lv, c in zip(units["level"].to_pylist(), units["code"].to_pylist(), strict=True)
        if lv == level
    }
    for feature in data.get("features", []):
        code = (feature.get("properties") or {}).get("code")
        if code not in known:
            raise GeographyError(
                f"shapes/{path.name}: feature code {code!r} is not a {level} in units.csv"
            )


def load_current(store: Store) -> Geography:
    """The store's current geography (GeographyError if none is loaded)."""
    directory = store.geography_dir()
    if directory is None:
        raise GeographyError(f"no geography loaded in {store.root}; run load-geography first")
    version = store.geography_version() or ""
    cached = store.cache.get("geography")
    if cached is None or cached.version != version:  # per Store instance, keyed by version
        cached = store.cache["geography"] = Geography(directory, version)
    return cached
