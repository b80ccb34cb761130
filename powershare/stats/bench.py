"""Benchmark: `python -m powershare.stats.bench` (what `make bench` runs).

Generates a synthetic county of about 10 million events once (cached under .bench-data/,
or --cache), then runs each step in its own subprocess so that peak memory (maxrss) is
the step's own, and prints in one run:

- ingest of the ED-visit CSV through the validating loader, against DuckDB's own
  read_csv of the same file into a table (ratio);
- a full query (all ED visits x tract x race/ethnicity x 5 years, age-adjusted with
  gamma CIs, rate ratios, primary and complementary suppression) against a plain DuckDB
  SQL GROUP BY count over the same Parquet (ratio), and against the same computation in
  pandas (ratio; skipped if pandas isn't installed);
- peak memory of each step.

Query and count times are the median of 21 warm runs; the first run is shown too. On
a shared machine the load changes from second to second, so the query step also runs the
plain count, on its own connection, alternately with the query and takes the ratio from
those two medians; the plain step's own run gives its peak memory.

Targets: query under 1 s, ingest at least 1 million rows/s, peak memory under 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

YEARS = (2020, 2021, 2022, 2023, 2024)
MEASURE = "ed_visits_all"
RUNS = 21  # warm runs per timing; the median is reported


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _files(cache: Path, scale: int, seed: int) -> Path:
    directory = cache / f"county-{seed}-{scale}"
    if not (directory / "done.json").exists():
        print(
            f"generating {scale:,} events into {directory} (cached for next time) ...", flush=True
        )
        # In a process of its own: a child process inherits its parent's peak memory
        # (Linux keeps maxrss across fork and exec), which would then show in every step.
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "powershare.stats.bench",
                "--generate-into",
                str(directory),
                "--scale",
                str(scale),
                "--seed",
                str(seed),
            ],
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        if done.returncode != 0:
            raise RuntimeError("generating the benchmark data failed")
    return directory


def _generate(directory: Path, scale: int, seed: int) -> None:
    from .synth import write_county_files

    shutil.rmtree(directory, ignore_errors=True)
    start = time.perf_counter()
    files = write_county_files(directory, seed=seed, scale=scale, fmt="csv")
    (directory / "done.json").write_text(
        json.dumps({"rows": files.rows, "seconds": time.perf_counter() - start})
    )


def step_read_csv(directory: Path) -> dict:
    """DuckDB's own read_csv of the events CSV, materialized into a table."""
    import duckdb

    con = duckdb.connect()
    start = time.perf_counter()
    con.execute(
        f"CREATE TABLE t AS SELECT * FROM read_csv('{directory / 'ed_visits.csv'}', header=true)"
    )
    seconds = time.perf_counter() - start
    rows = con.execute("SELECT count(*) FROM t").fetchone()[0]  # type: ignore[index]
    return {"seconds": seconds, "rows": rows}


def step_ingest(directory: Path) -> dict:
    """The engine's validating loader on the same CSV, into a fresh store."""
    from .geography import load_geography
    from .ingest import load_events
    from .population import load_population
    from .store import Store

    root = directory / "store"
    shutil.rmtree(root, ignore_errors=True)
    store = Store(root)
    load_geography(store, directory / "geography")
    load_population(store, directory / "population.csv")
    start = time.perf_counter()
    report = load_events(store, directory / "ed_visits.csv", dataset="ed_visits")
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": report.rows}


def _plain_sql(directory: Path) -> str:
    """The baseline: a plain GROUP BY count of the events by tract and race, same years."""
    from .store import Store

    files = ", ".join(f"'{p}'" for p in Store(directory / "store").paths("ed_visits"))
    return (
        f"SELECT geo, race, count(*) AS n FROM read_parquet([{files}]) "
        f"WHERE year BETWEEN {YEARS[0]} AND {YEARS[-1]} GROUP BY ALL"
    )


def step_query(directory: Path) -> dict:
    """The full query through run_query: a first run, then warm runs alternating with the
    plain count (its own DuckDB connection, default settings) so both see the same load."""
    import duckdb
    import pyarrow as pa

    from .engine import Source
    from .query import Query, run_query
    from .store import Store

    pa.array([1]).to_numpy()  # module imports aren't query work: pyarrow loads its pandas shim here
    store = Store(directory / "store")
    query = Query(MEASURE, years=YEARS, level="tract", by=("race",))
    source = Source.duckdb(store)
    plain_con = duckdb.connect()
    plain_sql = _plain_sql(directory)
    start = time.perf_counter()
    result = run_query(store, query, source=source)
    first = time.perf_counter() - start
    plain_con.sql(plain_sql).to_arrow_table()  # warm, like the query's second run
    # For the breakdown: the engine's events GROUP BY alone (same SQL, already compiled).
    from .codes import AgeGroup
    from .engine import age_code_bins, event_aggregate
    from .measures import get_measure

    bins = [AgeGroup.parse(label).lo for label in result.meta["age_bins"]] + [121]
    codes = source.key_codes("ed_visits")
    expr = event_aggregate(
        source.table("ed_visits"),
        get_measure(MEASURE),
        YEARS,
        ["race"],
        bins,
        coded=codes is not None,
        by_age_code=age_code_bins(codes, bins) is not None,
    )
    source.execute(expr)
    times, plain_times, sql_times = [], [], []
    for _ in range(RUNS):  # the three in turn, so that they see the same load
        start = time.perf_counter()
        plain_con.sql(plain_sql).to_arrow_table()
        plain_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        result = run_query(store, query, source=source)
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        source.execute(expr)
        sql_times.append(time.perf_counter() - start)
    return {
        "seconds": statistics.median(times),
        "plain": statistics.median(plain_times),
        "first": first,
        "sql": statistics.median(sql_times),
        "rows": result.table.num_rows,
        "suppressed": result.meta["suppressed_cells"],
    }


def step_perturbed(directory: Path) -> dict:
    """A custom area (every other neighborhood) by race under cell key perturbation, warm,
    beside the same query under per-query suppression."""
    from .engine import Source
    from .geography import CustomArea, load_current
    from .policy import SuppressionPolicy
    from .query import Query, run_query
    from .store import Store

    store = Store(directory / "store")
    geo = load_current(store)
    level = "neighborhood" if "neighborhood" in geo.levels else geo.levels[0]
    area = CustomArea("half", tuple(f"{level}:{c}" for c in geo.codes(level)[::2]))
    query = Query(MEASURE, years=YEARS, custom_areas=(area,), by=("race",), reference=None)
    blocks: dict[str, Any] = dict(year_block=5, year_origin=2015, age_groups="0-17,18-44,45-64,65+")
    source = Source.duckdb(store)  # one per process, as the web app keeps it
    out = {}
    for name, policy in (
        ("perturbation", SuppressionPolicy(method="perturbation", **blocks)),
        ("internal", SuppressionPolicy(record_releases=False, **blocks)),
    ):
        start = time.perf_counter()
        run_query(store, query, policy=policy, source=source)
        first = time.perf_counter() - start
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            run_query(store, query, policy=policy, source=source)
            times.append(time.perf_counter() - start)
        out[name] = {"first": first, "warm": statistics.median(times)}
    return {"seconds": out["perturbation"]["warm"], **out}


def step_plain(directory: Path) -> dict:
    """A plain DuckDB GROUP BY count over the same Parquet, same filter, in its own process."""
    import duckdb

    con = duckdb.connect()
    sql = _plain_sql(directory)
    con.execute(sql).fetchall()  # warm, like the query's second run
    times = []
    for _ in range(RUNS):  # the median of the warm runs
        start = time.perf_counter()
        rows = con.sql(sql).to_arrow_table().num_rows  # Arrow, as the engine fetches
        times.append(time.perf_counter() - start)
    return {"seconds": statistics.median(times), "rows": rows}


def step_pandas(directory: Path) -> dict:
    """The same computation in pandas: read, filter, bin ages, group, adjust, CI, suppress."""
    try:
        import pandas as pd
    except ImportError:
        return {"skipped": "pandas is not installed"}
    import numpy as np

    from .codes import bounds_of, parse_age_groups
    from .methods import direct_adjust, poisson_ci
    from .standards import US2000_19, adjustment_bounds
    from .store import Store

    store = Store(directory / "store")
    start = time.perf_counter()
    ev = pd.concat(
        pd.read_parquet(p, columns=["year", "geo", "age", "race"]) for p in store.paths("ed_visits")
    )
    pop = pd.concat(pd.read_parquet(p) for p in store.paths("population"))
    data_bounds = bounds_of(parse_age_groups(store.dataset("population").columns["age_groups"]))
    bins = np.array(adjustment_bounds(US2000_19, data_bounds, 0, 120))
    w = US2000_19.weights_for(tuple(int(b) for b in bins))
    ev = ev[ev.year.between(YEARS[0], YEARS[-1])]
    ev = ev.assign(ab=np.searchsorted(bins, ev.age.to_numpy(), side="right") - 1)
    counts = ev.groupby(["geo", "race", "ab"], observed=True).size().rename("n")
    pop = pop[pop.year.between(YEARS[0], YEARS[-1])]
    pop = pop.assign(ab=np.searchsorted(bins, pop.age_lo.to_numpy(), side="right") - 1)
    pops = pop.groupby(["geo", "race", "ab"], observed=True).population.sum().rename("p")
    cube = pd.concat([counts, pops], axis=1).fillna(0).unstack("ab", fill_value=0)
    n = cube["n"].to_numpy()
    p = cube["p"].to_numpy()
    adj = direct_adjust(n, p, w)
    total = n.sum(axis=1)
    lo, hi = poisson_ci(total)
    suppressed = (total > 0) & (total < 11)
    out = pd.DataFrame(
        {
            "count": total,
            "rate": adj.rate * 1000,
            "lower": adj.lower,
            "upper": adj.upper,
            "crude_lo": lo,
            "crude_hi": hi,
            "suppressed": suppressed,
        },
        index=cube.index,
    )
    return {"seconds": time.perf_counter() - start, "rows": len(out)}


STEPS = {
    "read_csv": step_read_csv,
    "ingest": step_ingest,
    "query": step_query,
    "plain": step_plain,
    "pandas": step_pandas,
    "perturbed": step_perturbed,
}


def _run_step(name: str, directory: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "powershare.stats.bench", "--step", name, "--dir", str(directory)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench step {name} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with --step, one step in this process)."""
    parser = argparse.ArgumentParser(
        prog="python -m powershare.stats.bench", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--scale", type=int, default=10_000_000, help="events to generate (default 10M)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", default=".bench-data", help="where generated files are kept")
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("--dir", help=argparse.SUPPRESS)
    parser.add_argument("--generate-into", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.generate_into:
        _generate(Path(args.generate_into), args.scale, args.seed)
        return 0
    if args.step:
        out = STEPS[args.step](Path(args.dir))
        out["maxrss_mb"] = round(_maxrss_mb(), 1)
        print(json.dumps(out))
        return 0

    directory = _files(Path(args.cache), args.scale, args.seed)
    r = {
        name: _run_step(name, directory)
        for name in ("read_csv", "ingest", "query", "plain", "pandas", "perturbed")
    }
    rows = r["ingest"]["rows"]
    print(
        f"\nPowershare statistics engine benchmark: {rows:,} ED-visit events, {os.cpu_count()} cores\n"
    )
    print(f"{'step':<44}{'seconds':>9}{'rows/s':>14}{'ratio':>8}{'peak MB':>10}")

    def line(label: str, d: dict, ratio: float | None = None, per_row: bool = False) -> None:
        rate = f"{rows / d['seconds']:,.0f}" if per_row else ""
        ratio_s = f"{ratio:.2f}x" if ratio is not None else ""
        print(f"{label:<44}{d['seconds']:>9.3f}{rate:>14}{ratio_s:>8}{d['maxrss_mb']:>10,.0f}")

    line("DuckDB read_csv (baseline)", r["read_csv"], per_row=True)
    line(
        "ingest: validate + store (load_events)",
        r["ingest"],
        r["ingest"]["seconds"] / r["read_csv"]["seconds"],
        True,
    )
    q = r["query"]
    line("plain DuckDB GROUP BY count (baseline)", r["plain"])
    print(f"{'  the same, alternating with the query':<44}{q['plain']:>9.3f}")
    line(f"full query ({q['rows']} rows, warm)", q, q["seconds"] / q["plain"])
    print(f"{'  same query, first run in its process':<44}{q['first']:>9.3f}")
    print(
        f"{'  of which: events GROUP BY with age bins':<44}{q['sql']:>9.3f}"
        f"{'':>14}{q['sql'] / q['plain']:>7.2f}x"
    )
    print(
        "  (ratios to the baseline run alternately in the same process; to its own "
        f"process's run: {q['seconds'] / r['plain']['seconds']:.2f}x)"
    )
    if "skipped" in r["pandas"]:
        print(f"pandas: skipped ({r['pandas']['skipped']})")
    else:
        line(
            "same computation in pandas",
            r["pandas"],
            r["pandas"]["seconds"] / r["query"]["seconds"],
        )
        print(
            "  (pandas ratio is pandas / engine; the pandas version skips complementary suppression)"
        )
    p = r["perturbed"]
    print(
        f"{'custom area by race, cell key perturbation':<44}{p['perturbation']['warm']:>9.3f}"
        f"{'':>14}{p['perturbation']['warm'] / p['internal']['warm']:>7.2f}x"
    )
    print(f"{'  the same, per-query suppression':<44}{p['internal']['warm']:>9.3f}")
    print(f"{'  perturbed, first run in its process':<44}{p['perturbation']['first']:>9.3f}")
    ok_perturbed = p["perturbation"]["warm"] < 0.1
    ok_ingest = rows / r["ingest"]["seconds"] >= 1_000_000
    ok_query = r["query"]["seconds"] < 1.0
    ok_ratio = q["seconds"] <= 1.5 * q["plain"]
    ok_mem = max(d.get("maxrss_mb", 0) for d in r.values()) < 2048
    print(
        f"\ntargets: ingest >= 1M rows/s {'met' if ok_ingest else 'MISSED'}; query < 1 s "
        f"{'met' if ok_query else 'MISSED'}; query within 1.5x of plain count {'met' if ok_ratio else 'MISSED'}; "
        f"peak memory < 2 GB {'met' if ok_mem else 'MISSED'}; perturbed custom area < 100 ms "
        f"{'met' if ok_perturbed else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
