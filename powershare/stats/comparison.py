"""Comparison levels: areas outside the department's own, for published estimates only.

A county health department reads its tracts against the state's other counties in
published indicator files (CDC PLACES gives every county of the country). Those counties
are no part of the county's geography: no record is coded to them and nothing of the
department's own data can be summed to them. They are added to the geography as a
*comparison level*: codes, names and shapes, no crosswalk. Published estimates (and maps
of them) may be given at that level; every query of the department's records refuses it
(`Geography.matrix` does).
"""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from .boundaries import Areas, BoundaryError, LevelFile, display_crs, read_level, write_shapes
from .geography import GeographyError, load_current, load_geography
from .store import Store


def add_comparison_level(
    store: Store,
    spec: LevelFile,
    label: str | dict[str, str],
    within: str = "",
    repair: bool = True,
) -> str:
    """Add the areas of a boundary file (those whose codes start with `within`, e.g. a
    state's FIPS code) to the store's geography as comparison level `spec.level`, replacing
    that comparison level if it was there; returns the geography's new checksum. `label` is
    what readers see, or one per language code ({"en": ..., "es": ...})."""
    geo = load_current(store)
    if spec.level in geo.levels:
        raise GeographyError(f"{spec.level} is a level of the county's own geography")
    areas = read_level(spec, repair=repair)
    keep = [i for i, code in enumerate(areas.codes) if code.startswith(within)]
    if not keep:
        raise BoundaryError(
            f"{spec.path.name}: no area's {spec.code_field} starts with {within!r} "
            f"(codes look like {', '.join(areas.codes[:3])})"
        )
    areas = Areas(
        spec.level,
        [areas.codes[i] for i in keep],
        [areas.names[i] for i in keep],
        areas.shapes[np.array(keep)],
        areas.source_crs,
    )
    with tempfile.TemporaryDirectory(prefix=".comparison-", dir=store.root) as tmp:
        out = Path(tmp)
        meta = json.loads((geo.directory / "geography.json").read_text())
        labels = {"en": label} if isinstance(label, str) else dict(label)
        meta.setdefault("comparison_levels", {})[spec.level] = {
            "labels": labels,
            "display_crs": display_crs(areas.shapes),
        }
        (out / "geography.json").write_text(json.dumps(meta, indent=2) + "\n")
        units = pq.ParquetFile(geo.directory / "units.parquet").read().to_pylist()
        with (out / "units.csv").open("w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["level", "code", "name"])
            w.writerows(
                (u["level"], u["code"], u["name"]) for u in units if u["level"] != spec.level
            )
            w.writerows(
                (spec.level, c, n or c) for c, n in zip(areas.codes, areas.names, strict=True)
            )
        crosswalk = pq.ParquetFile(geo.directory / "crosswalk.parquet").read().to_pylist()
        with (out / "crosswalk.csv").open("w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["base_code", "level", "code", "weight"])
            w.writerows((x["base_code"], x["level"], x["code"], x["weight"]) for x in crosswalk)
        (out / "shapes").mkdir()
        for path in (geo.directory / "shapes").glob("*.geojson"):
            if path.stem != spec.level:
                (out / "shapes" / path.name).write_bytes(path.read_bytes())
        write_shapes(out / "shapes" / f"{spec.level}.geojson", areas)
        return load_geography(store, out)
