"""`powershare-stats load-geography`, `add-comparison` and `inspect-boundaries`: geography
packages and boundary files (zipped shapefile, GeoJSON, TopoJSON) into the store."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .geography import GeographyError, load_current, load_geography
from .store import Store

if TYPE_CHECKING:
    from . import boundaries


def cmd_load_geography(args: argparse.Namespace, store: Store) -> int:
    from .boundaries import LevelFile, build_package  # GDAL and PROJ only when needed

    source = Path(args.source)
    if source.is_dir():
        sha = load_geography(store, source)
    else:
        if not args.level or not args.code:
            raise GeographyError(
                f"{source.name} is a boundary file: say its level and code field "
                "(--level tract --code GEOID); `inspect-boundaries` lists its fields"
            )
        files = [LevelFile(args.level, source, args.code, args.name, args.layer)]
        files += [_also(spec) for spec in args.also]
        prefixes = [_prefix(spec) for spec in args.prefix]
        with tempfile.TemporaryDirectory(prefix="boundaries-") as tmp:
            package = build_package(
                files, Path(tmp), prefixes, args.crosswalk, args.repair, args.total or None
            )
            for line in package.notes:
                print(f"note: {line}")
            sha = load_geography(store, package.directory)
    geo = load_current(store)
    counts = ", ".join(f"{len(geo.codes(lv))} {lv}" for lv in geo.levels)
    print(f"geography {sha[:16]}: {counts}")
    return 0


def _also(spec: str) -> boundaries.LevelFile:
    """LEVEL=PATH[,CODE[,NAME[,LAYER]]] (CODE defaults to GEOID, NAME to NAME)."""
    from .boundaries import LevelFile

    level, _, rest = spec.partition("=")
    parts = rest.split(",")
    if not level or not parts[0]:
        raise GeographyError(f"--also {spec!r} should look like county=counties.zip,GEOID,NAME")
    code = parts[1] if len(parts) > 1 else "GEOID"
    name = parts[2] if len(parts) > 2 else "NAME"
    layer = parts[3] if len(parts) > 3 else None
    return LevelFile(level.strip(), Path(parts[0]), code, name, layer)


def _prefix(spec: str) -> boundaries.PrefixLevel:
    from .boundaries import PrefixLevel

    level, _, length = spec.partition(":")
    if not level or not length.isdigit():
        raise GeographyError(f"--prefix {spec!r} should look like county:5")
    return PrefixLevel(level, int(length))


def cmd_add_comparison(args: argparse.Namespace, store: Store) -> int:
    from .boundaries import LevelFile
    from .comparison import add_comparison_level

    spec = LevelFile(args.level, Path(args.file), args.code, args.name, args.layer)
    labels = {"en": args.label or args.level, **({"es": args.label_es} if args.label_es else {})}
    sha = add_comparison_level(store, spec, labels, args.within)
    count = len(load_current(store).codes(args.level))
    print(f"geography {sha[:16]}: {count} {args.level} to compare with (published estimates)")
    return 0


def cmd_inspect_boundaries(args: argparse.Namespace, store: Store) -> int:
    from .boundaries import inspect

    for layer in inspect(args.file):
        print(
            f"layer {layer.name}: {layer.features} features, coordinate system {layer.crs or 'not declared'}"
        )
        for f in layer.fields:
            print(f"  {f}: {', '.join(layer.sample.get(f, []))}")
    return 0


def add_geography_commands(sub: Any) -> None:
    """Register load-geography, add-comparison and inspect-boundaries on the CLI's
    subparsers."""
    p = sub.add_parser(
        "load-geography",
        help="load a geography package directory, or boundary files (zipped shapefile, "
        "GeoJSON, TopoJSON)",
    )
    p.add_argument("source", help="a package directory or the finest level's boundary file")
    p.add_argument("--level", help="the boundary file's level, e.g. tract")
    p.add_argument("--code", help="its code field, e.g. GEOID")
    p.add_argument("--name", help="its name field, e.g. NAME (default: the code)")
    p.add_argument("--layer", help="the layer, when the file holds several (TopoJSON objects)")
    p.add_argument(
        "--also",
        action="append",
        default=[],
        metavar="LEVEL=PATH[,CODE[,NAME[,LAYER]]]",
        help="a coarser level's file; its codes start the finer codes (repeatable)",
    )
    p.add_argument(
        "--prefix",
        action="append",
        default=[],
        metavar="LEVEL:LENGTH",
        help="a coarser level from the codes' first LENGTH characters, e.g. county:5",
    )
    p.add_argument("--crosswalk", help="base_code,level,code,weight rows for areas that split")
    p.add_argument("--repair", action="store_true", help="repair invalid polygons")
    p.add_argument(
        "--total", default="county", help="the level holding everything (default county; '' none)"
    )
    p.set_defaults(func=cmd_load_geography)

    p = sub.add_parser(
        "add-comparison",
        help="add areas outside the county (the state's counties) for published estimates",
    )
    p.add_argument("file", help="their boundary file")
    p.add_argument("--level", required=True, help="a name for them, e.g. state_counties")
    p.add_argument("--code", required=True, help="the code field, e.g. GEOID (us-atlas: id)")
    p.add_argument("--name", help="the name field, e.g. NAME")
    p.add_argument("--layer", help="the layer, when the file holds several (TopoJSON objects)")
    p.add_argument("--label", help="what readers see, e.g. 'Oregon counties'")
    p.add_argument("--label-es", help="the same in Spanish, e.g. 'Condados de Oregón'")
    p.add_argument("--within", default="", help="keep codes starting so, e.g. 41 (Oregon)")
    p.set_defaults(func=cmd_add_comparison)

    p = sub.add_parser("inspect-boundaries", help="list a boundary file's layers and fields")
    p.add_argument("file")
    p.set_defaults(func=cmd_inspect_boundaries)
