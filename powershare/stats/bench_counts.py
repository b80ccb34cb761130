"""Aggregated counts: `python -m powershare.stats.bench_counts` (in `make bench`).

A state's hospital discharge table as it arrives: counts by year x census tract x age group
(the standard's 19) x sex x race/ethnicity x diagnosis, over a million rows, for the
synthetic county's tracts. It prints:

- the load through the validating loader (`load_events` with a `count` column), in rows/s,
  beside DuckDB's own read_csv of the same file into a table;
- a full query on it (asthma ED visits by tract and race/ethnicity, five years, age-adjusted
  with confidence intervals, rate ratios and suppression) beside the plain DuckDB GROUP BY
  that sums the same counts from the stored Parquet, median of warm runs taken in turn.

Targets: load at least 1 M rows/s; the query within 1.5x of the GROUP BY.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

YEARS = (2020, 2021, 2022, 2023, 2024)
RUNS = 15
AGE_GROUPS = ("0", "1-4", *(f"{a}-{a + 4}" for a in range(5, 85, 5)), "85+")
SEXES = ("F", "M")
RACES = ("hispanic", "nh_white", "nh_black", "nh_asian", "nh_aian", "nh_nhpi", "nh_multi")
#: Diagnoses (ICD-10-CM): asthma first, then what fills an ED table beside it.
CAUSES = (
    "J45.909",
    "J45.901",
    "J45.20",
    "J44.1",
    "I10",
    "E11.9",
    "S06.0X0A",
    "T67.0XXA",
    "R07.9",
    "N39.0",
    "J06.9",
    "K52.9",
    "M54.5",
    "R10.9",
    "F32.9",
    "S93.401A",
    "L03.115",
    "R51.9",
    "Z00.00",
    "J18.9",
)


def write_counts(path: Path, tracts: list[str], seed: int = 1) -> int:
    """Every year x tract x age group x sex x race x cause, with Poisson counts."""
    rng = np.random.default_rng(seed)
    rows = 0
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["year", "geo", "age_group", "sex", "race", "cause", "count"])
        for year in YEARS:
            for tract in tracts:
                counts = rng.poisson(1.4, size=(len(AGE_GROUPS), 2, len(RACES), len(CAUSES)))
                for a, age in enumerate(AGE_GROUPS):
                    for s, sex in enumerate(SEXES):
                        for r, race in enumerate(RACES):
                            w.writerows(
                                (year, tract, age, sex, race, cause, int(n))
                                for cause, n in zip(CAUSES, counts[a, s, r], strict=True)
                            )
                            rows += len(CAUSES)
    return rows


def main(argv: list[str] | None = None) -> int:
    import duckdb

    from .engine import Source
    from .geography import load_current
    from .ingest import load_events
    from .measures import Measure
    from .query import Query, run_query
    from .synth import generate_county

    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-counts-"))
    try:
        county = generate_county(work / "store", seed=3, scale=20_000)
        store = county.store
        tracts = load_current(store).base_codes
        path = work / "discharges.csv"
        rows = write_counts(path, tracts)
        con = duckdb.connect()
        start = time.perf_counter()
        con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}', header=true)")
        read_csv = time.perf_counter() - start
        con.close()
        start = time.perf_counter()
        report = load_events(store, path, dataset="discharges")
        load = time.perf_counter() - start
        assert report.rows == rows

        measure = Measure(
            name="asthma_discharges",
            label="Asthma ED visits (from counts)",
            dataset="discharges",
            causes=("J45-J46",),
        )
        query = Query(measure.name, years=YEARS, level="tract", by=("race",))
        source = Source.duckdb(store)
        files = ", ".join(f"'{p}'" for p in store.paths("discharges"))
        plain_sql = (
            f"SELECT geo, race, age, sum(count) AS n FROM read_parquet([{files}]) "
            f"WHERE year BETWEEN {YEARS[0]} AND {YEARS[-1]} AND cause >= 'J45' AND cause < 'J47' "
            "GROUP BY ALL"
        )
        plain_con = duckdb.connect()
        start = time.perf_counter()
        result = run_query(store, query, source=source, measures={measure.name: measure})
        first = time.perf_counter() - start
        plain_con.sql(plain_sql).to_arrow_table()
        times, plain_times = [], []
        for _ in range(RUNS):
            start = time.perf_counter()
            plain_con.sql(plain_sql).to_arrow_table()
            plain_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            result = run_query(store, query, source=source, measures={measure.name: measure})
            times.append(time.perf_counter() - start)
        warm, plain = statistics.median(times), statistics.median(plain_times)
        adjusted = sum(1 for r in result.rows() if r["adjusted_rate"] is not None)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(
        f"\nAggregated counts: {rows:,} rows ({len(tracts)} tracts x 5 years x 19 age groups "
        f"x 2 sexes x 7 races x {len(CAUSES)} diagnoses)"
    )
    print(f"{'step':<46}{'seconds':>9}{'rows/s':>14}{'ratio':>8}")
    print(
        f"{'DuckDB read_csv into a table (baseline)':<46}{read_csv:>9.3f}{rows / read_csv:>14,.0f}"
    )
    print(
        f"{'load_events with a count column':<46}{load:>9.3f}{rows / load:>14,.0f}"
        f"{load / read_csv:>7.2f}x"
    )
    print(f"{'plain DuckDB GROUP BY sum(count) (baseline)':<46}{plain:>9.3f}")
    print(
        f"{f'full age-adjusted query ({result.table.num_rows} cells, warm)':<46}{warm:>9.3f}"
        f"{'':>14}{warm / plain:>7.2f}x"
    )
    print(f"{'  same query, first run':<46}{first:>9.3f}")
    print(f"  {adjusted} cells carry an age-adjusted rate")
    ok_load = rows / load >= 1_000_000
    ok_query = warm <= 1.5 * plain
    print(
        f"targets: load >= 1M rows/s {'met' if ok_load else 'MISSED'}; query within 1.5x of "
        f"the GROUP BY {'met' if ok_query else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
