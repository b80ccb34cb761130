"""`powershare-stats` (also `python -m powershare.stats`): load, query, describe, generate.

Every subcommand takes --root (or the POWERSHARE_STATS_ROOT environment variable), the
engine's data directory. Exit status: 0 done, 1 refused or rejected (message on stderr),
2 usage error, 3 the audit found a leak.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .cli_geography import add_geography_commands
from .geography import CustomArea, GeographyError, load_current
from .ingest import load_events
from .loading import LoadReport
from .measures import DEFAULT_MEASURES, Measure, get_measure
from .policy import PolicyError, SuppressionPolicy
from .population import load_population
from .query import Query, run_query
from .store import Store
from .validation import LoadError

SUBCOMMANDS = (
    "load-events",
    "load-population",
    "load-geography",
    "inspect-boundaries",
    "load-indicators",
    "query",
    "protect",
    "audit",
    "describe",
    "generate",
)


@contextmanager
def _progress(enabled: bool, label: str) -> Iterator[Callable[[str], None]]:
    """A rich spinner/progress line on stderr, showing the current step of a long load."""
    if not enabled:
        yield lambda _msg: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        transient=True,
        console=_console(),
    ) as bar:
        task = bar.add_task(label)
        yield lambda msg: bar.update(task, description=f"{label}: {msg}")


def _console():
    from rich.console import Console

    return Console(stderr=True)


def _mapping(pairs: Sequence[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        target, sep, source = pair.partition("=")
        if not sep:
            raise SystemExit(f"--map expects target=source, got {pair!r}")
        out[target.strip()] = source.strip()
    return out


def _print_report(report: LoadReport) -> None:
    what = "unchanged (same checksum)" if report.unchanged else f"{report.rows:,} rows stored"
    rate = report.rows / report.seconds if report.seconds and not report.unchanged else 0
    extra = f", {rate:,.0f} rows/s" if rate else ""
    print(
        f"{report.kind} {report.dataset}: {report.source}: {what} in {report.seconds:.2f} s{extra}"
    )


def _policy(path: str | None) -> SuppressionPolicy:
    return SuppressionPolicy.from_file(path) if path else SuppressionPolicy()


def _measures(path: str | None) -> dict[str, Measure]:
    if not path:
        return {}
    data = json.loads(Path(path).read_text())
    items = data if isinstance(data, list) else [data]
    return {m["name"]: Measure.from_mapping(m) for m in items}


def cmd_load_events(args: argparse.Namespace, store: Store) -> int:
    with _progress(not args.quiet, f"loading {Path(args.file).name}") as note:
        report = load_events(
            store,
            args.file,
            dataset=args.dataset,
            mapping=_mapping(args.map),
            replace=args.replace,
            max_errors=args.max_errors,
            progress=note,
        )
    _print_report(report)
    return 0


def cmd_load_population(args: argparse.Namespace, store: Store) -> int:
    with _progress(not args.quiet, f"loading {Path(args.file).name}") as note:
        report = load_population(
            store,
            args.file,
            dataset=args.dataset,
            mapping=_mapping(args.map),
            replace=args.replace,
            max_errors=args.max_errors,
            progress=note,
        )
    _print_report(report)
    return 0


def cmd_load_indicators(args: argparse.Namespace, store: Store) -> int:
    from .indicators import load_indicators

    with _progress(not args.quiet, f"loading {Path(args.file).name}") as note:
        report = load_indicators(
            store, args.file, dataset=args.dataset, max_errors=args.max_errors, progress=note
        )
    _print_report(report)
    return 0


def _years(spec: str) -> tuple[int, ...]:
    years: list[int] = []
    for part in spec.split(","):
        a, _, b = part.partition("-")
        years.extend(range(int(a), int(b or a) + 1))
    return tuple(years)


def cmd_query(args: argparse.Namespace, store: Store) -> int:
    query = Query(
        measure=args.measure,
        years=_years(args.years),
        level=args.level,
        units=tuple(args.unit) or None,
        custom_areas=tuple(CustomArea.parse(a) for a in args.area),
        by=tuple(s for s in (args.by or "").split(",") if s),
        age_groups=args.age_groups,
        standard=args.standard,
        ci_method=args.ci,
        conf_level=args.conf,
        reference=None if args.reference == "none" else args.reference,
        totals=not args.no_totals,
        ratio_method=args.ratio_method,
        crude_ci=args.crude_ci,
        conf_levels=tuple(args.also_conf),
        indirect=args.smr,
    )
    result = run_query(store, query, policy=_policy(args.policy), measures=_measures(args.measures))
    if args.output:
        path = result.write(args.output, args.format)
        print(
            f"{result.table.num_rows} rows, {result.meta['suppressed_cells']} suppressed -> {path}",
            file=sys.stderr,
        )
    elif (args.format or "csv") == "json":
        print(result.to_json())
    elif args.format == "parquet":
        raise SystemExit("--format parquet needs --output FILE")
    else:
        sys.stdout.write(result.to_csv().decode())
    return 0


def _release_policy(path: str | None) -> SuppressionPolicy:
    policy = _policy(path)
    if policy.method == "internal":
        raise PolicyError(
            "the policy's method is internal: give --policy FILE with a release method "
            '(e.g. {"method": "suppression", "year_block": 5, "age_groups": "0-17,18-64,65+"})'
        )
    return policy


def _chosen_measures(args: argparse.Namespace) -> list[Measure]:
    extra = _measures(args.measures)
    names = args.measure or sorted({*DEFAULT_MEASURES, *extra})
    return [get_measure(name, extra) for name in names]


def cmd_protect(args: argparse.Namespace, store: Store) -> int:
    from .audit import loaded_blocks
    from .engine import Source
    from .release import prepare

    policy = _release_policy(args.policy)
    source = Source.duckdb(store)
    for m in _chosen_measures(args):
        blocks = [_block(args.block)] if args.block else loaded_blocks(store, m, policy, source)
        for name, (a, b), p in prepare(store, [m], policy, source, blocks):
            print(
                f"{name} {a}-{b}: {p.hidden.size:,} cells, {p.primary:,} under "
                f"{policy.min_count}, {p.secondary:,} more hidden to protect them "
                f"({p.seconds:.1f} s)"
            )
    return 0


def cmd_audit(args: argparse.Namespace, store: Store) -> int:
    from .audit import audit_measure

    policy = _policy(args.policy)
    passed = True
    for m in _chosen_measures(args):
        report = audit_measure(
            store,
            m,
            policy,
            measures={m.name: m},
            levels=args.level or None,
            blocks=[_block(args.block)] if args.block else None,
            custom_areas=args.custom_areas,
            sample=args.sample,
        )
        print(report.text())
        passed = passed and report.passed
    return 0 if passed else 3


def _block(spec: str) -> tuple[int, int]:
    years = _years(spec)
    return min(years), max(years)


def cmd_describe(args: argparse.Namespace, store: Store) -> int:
    manifest = store.manifest()
    out: dict[str, Any] = {
        "root": str(store.root),
        "geography": None,
        "datasets": [],
        "measures": sorted(DEFAULT_MEASURES),
    }
    if manifest.get("geography"):
        geo = load_current(store)
        out["geography"] = {
            "version": geo.version,
            "base_level": geo.base_level,
            "levels": {lv: len(geo.codes(lv)) for lv in geo.levels},
        }
    for info in store.datasets():
        out["datasets"].append(
            {
                "name": info.name,
                "kind": info.kind,
                "rows": info.rows,
                "version": info.version,
                "files": [f.source for f in info.files],
                "columns": info.columns,
            }
        )
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print(f"store {out['root']}")
    if out["geography"]:
        g = out["geography"]
        print(
            f"geography {g['version']}: " + ", ".join(f"{n} {lv}" for lv, n in g["levels"].items())
        )
    else:
        print("geography: none loaded")
    for d in out["datasets"]:
        print(
            f"{d['kind']:<10} {d['name']:<16} {d['rows']:>12,} rows  version {d['version']}  "
            f"files: {', '.join(d['files'])}"
        )
    print("measures: " + ", ".join(out["measures"]))
    return 0


def cmd_generate(args: argparse.Namespace, store: Store) -> int:
    from .synth import generate_county

    with _progress(not args.quiet, "synthetic county") as note:
        county = generate_county(store.root, seed=args.seed, scale=args.scale, progress=note)
    rows = ", ".join(f"{k} {v:,}" for k, v in county.rows.items())
    print(f"synthetic county in {store.root} ({county.seconds:.1f} s): {rows}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (documented in docs/stats.md; a test checks they agree)."""
    parser = argparse.ArgumentParser(prog="powershare-stats", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--root",
        default=os.environ.get("POWERSHARE_STATS_ROOT"),
        help="the engine's data directory (default: $POWERSHARE_STATS_ROOT)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    sub = parser.add_subparsers(dest="command", required=True)

    def loader(name: str, helptext: str, default_dataset: str | None) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=helptext)
        p.add_argument("file", help="CSV or Parquet file")
        p.add_argument("--dataset", required=default_dataset is None, default=default_dataset)
        p.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="TARGET=SOURCE",
            help="take an engine column from a differently named source column",
        )
        p.add_argument("--replace", action="store_true", help="replace the dataset's earlier files")
        p.add_argument(
            "--max-errors", type=int, default=20, help="errors to list when a file is rejected"
        )
        return p

    loader("load-events", "load record-level events", None).set_defaults(func=cmd_load_events)
    loader("load-population", "load population denominators", "population").set_defaults(
        func=cmd_load_population
    )
    p = sub.add_parser(
        "load-indicators", help="load published indicators (a CSV in CDC PLACES layout)"
    )
    p.add_argument("file", help="CSV with PLACES's columns, as published")
    p.add_argument("--dataset", required=True)
    p.add_argument(
        "--max-errors", type=int, default=20, help="errors to list when a file is rejected"
    )
    p.set_defaults(func=cmd_load_indicators)
    add_geography_commands(sub)

    p = sub.add_parser("query", help="compute a measure and write CSV, JSON or Parquet")
    p.add_argument("measure", help="a measure name (see describe) or one from --measures")
    p.add_argument("--years", required=True, help="e.g. 2020-2024 or 2019,2021")
    p.add_argument("--level", default="county")
    p.add_argument(
        "--unit", action="append", default=[], help="only this unit of the level (repeatable)"
    )
    p.add_argument(
        "--area",
        action="append",
        default=[],
        metavar="NAME=LEVEL:CODE,...",
        help="a custom area (repeatable)",
    )
    p.add_argument("--by", help="strata, comma-separated: race, sex, age_group, year")
    p.add_argument("--age-groups", help="age groups for --by age_group, e.g. 0-17,18-64,65+")
    p.add_argument("--standard", help="us2000_19, us2000_11 or esp2013 (default: the measure's)")
    p.add_argument(
        "--ci", choices=("gamma", "dobson"), default="gamma", help="CI method for adjusted rates"
    )
    p.add_argument("--conf", type=float, default=0.95, help="confidence level")
    p.add_argument(
        "--also-conf",
        type=float,
        action="append",
        default=[],
        help="a further confidence level whose limits come too, e.g. 0.998 (repeatable)",
    )
    p.add_argument(
        "--ratio-method",
        choices=("wald", "exact", "midp"),
        default="wald",
        help="rate ratio limits: log-normal on the headline estimates, or exact/mid-p on crude rates",
    )
    p.add_argument(
        "--crude-ci",
        choices=("exact", "byar"),
        default="exact",
        help="crude rate limits: exact, or PHE's (exact below 10 events, Byar from 10)",
    )
    p.add_argument(
        "--smr", action="store_true", help="standardized ratios (SMR) against the reference"
    )
    p.add_argument(
        "--reference",
        default="county",
        help="county, LEVEL:CODE, an area name, STRATUM=VALUE or none",
    )
    p.add_argument("--no-totals", action="store_true", help="leave margin rows out of the output")
    p.add_argument("--policy", help="JSON file of suppression policy fields")
    p.add_argument("--measures", help="JSON file with extra measure definitions")
    p.add_argument(
        "--format", choices=("csv", "json", "parquet"), help="default: from --output, else csv"
    )
    p.add_argument("--output", "-o", help="write to this file instead of stdout")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("protect", help="protect the release cubes now (after a load)")
    p.add_argument("measure", nargs="*", help="measures (default: every measure)")
    p.add_argument("--policy", required=True, help="JSON file of policy fields")
    p.add_argument("--measures", help="JSON file with extra measure definitions")
    p.add_argument("--block", help="one year block, e.g. 2020-2024 (default: every one loaded)")
    p.set_defaults(func=cmd_protect)

    p = sub.add_parser("audit", help="attack everything the policy releases; exit 3 on a leak")
    p.add_argument("measure", nargs="*", help="measures (default: every measure)")
    p.add_argument("--policy", help="JSON file of policy fields")
    p.add_argument("--measures", help="JSON file with extra measure definitions")
    p.add_argument("--level", action="append", help="only these levels (repeatable)")
    p.add_argument("--block", help="one year block, e.g. 2020-2024 (default: every one loaded)")
    p.add_argument(
        "--custom-areas",
        type=int,
        default=0,
        help="the attacker's budget of custom areas per block (answered under perturbation)",
    )
    p.add_argument(
        "--sample", type=int, help="attack only this many small counts per block, at random"
    )
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("describe", help="what the store holds")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_describe)

    p = sub.add_parser("generate", help="generate and load the synthetic county")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--scale", type=int, default=1_000_000, help="approximate number of events")
    p.set_defaults(func=cmd_generate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(argv)
    if not args.root:
        print("powershare-stats: give --root or set POWERSHARE_STATS_ROOT", file=sys.stderr)
        return 2
    try:
        return int(args.func(args, Store(args.root)))
    except (LoadError, PolicyError, GeographyError, KeyError, ValueError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        print(f"powershare-stats: {message}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
