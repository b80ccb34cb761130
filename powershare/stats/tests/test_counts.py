"""Pre-aggregated counts: a table of counts by area x year x age x sex x race x cause gives
the same answers as the records it sums, and bad counts are refused by row."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb
import pytest

from powershare.stats import (
    DEFAULT_MEASURES,
    LoadError,
    Query,
    Store,
    SuppressionPolicy,
    load_events,
    run_query,
)

from .conftest import write_csv

AGES = "0-17,18-64,65+"  # the tiny population's groups
OPEN = SuppressionPolicy(min_count=1, min_population=0, complementary=False, record_releases=False)
MEASURES = {
    **DEFAULT_MEASURES,
    "asthma_counts": dataclasses.replace(
        DEFAULT_MEASURES["asthma_ed"], name="asthma_counts", dataset="ed_counts"
    ),
}


def counts_file(store: Store, path: Path) -> Path:
    """The loaded records summed into a count table, as a state's discharge file comes."""
    files = [str(p) for p in store.paths("ed_visits")]
    duckdb.sql(
        "COPY (SELECT year, geo, age, sex, race, cause, count(*) AS count FROM read_parquet(?) "
        "GROUP BY ALL ORDER BY ALL) TO '" + str(path) + "' (HEADER)",
        params=[files],
    )
    return path


def table(result) -> list[tuple]:
    keys = ("area", "race", "count", "denominator", "rate", "rate_lcl", "rate_ucl")
    return sorted((tuple(r.get(k) for k in keys) for r in result.rows()), key=repr)


@pytest.mark.parametrize("policy", [OPEN, SuppressionPolicy(method="internal")])
def test_counts_give_the_answers_of_the_records_they_sum(tiny_store: Store, tmp_path, policy):
    path = counts_file(tiny_store, tmp_path / "counts.csv")
    report = load_events(tiny_store, path, dataset="ed_counts")
    assert report.rows < tiny_store.dataset("ed_visits").rows  # fewer rows, the same events
    for by in ((), ("race",), ("sex", "age_group")):
        records = run_query(
            tiny_store, Query("asthma_ed", years=(2020, 2021), level="neighborhood", by=by, age_groups=AGES),
            policy=policy, measures=MEASURES,
        )  # fmt: skip
        counts = run_query(
            tiny_store, Query("asthma_counts", years=(2020, 2021), level="neighborhood", by=by, age_groups=AGES),
            policy=policy, measures=MEASURES,
        )  # fmt: skip
        assert table(counts) == table(records)
        assert any(row[2] for row in table(counts))


def test_bad_counts_are_named_by_row_and_nothing_is_stored(tiny_store: Store, tmp_path):
    header = ["year", "geo", "age", "sex", "race", "cause", "count"]
    rows = [
        (2020, "T1", 7, "F", "hispanic", "J45.909", 3),
        (2020, "T1", 8, "F", "hispanic", "J45.909", -2),
        (2020, "T2", 9, "M", "nh_white", "J45.909", 2.5),
        (2020, "T2", 9, "M", "nh_white", "J45.909", "many"),
    ]
    path = write_csv(tmp_path / "bad.csv", header, rows)
    with pytest.raises(LoadError) as caught:
        load_events(tiny_store, path, dataset="ed_counts")
    found = {(e.row, e.column, e.reason) for e in caught.value.errors}
    assert (2, "count", "a negative count") in found
    assert (3, "count", "not a whole number of events") in found
    assert (4, "count", "not a number") in found
    assert "ed_counts" not in {d.name for d in tiny_store.datasets()}


def test_counts_and_records_never_share_a_dataset(tiny_store: Store, tmp_path):
    path = counts_file(tiny_store, tmp_path / "counts.csv")
    with pytest.raises(LoadError) as caught:
        load_events(tiny_store, path, dataset="ed_visits")
    assert "holds record-level events and this file has aggregated counts" in str(
        caught.value.errors[0].reason
    )
    before = tiny_store.dataset("ed_visits").rows
    load_events(tiny_store, path, dataset="ed_visits", replace=True)  # replacing is fine
    assert tiny_store.dataset("ed_visits").rows < before
