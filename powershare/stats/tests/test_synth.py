"""The synthetic county: deterministic, mapped, and shaped like a real one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from powershare.stats import QueryTimeout, Source, load_current
from powershare.stats.store import sha256_file
from powershare.stats.synth import write_county_files


def test_same_seed_same_files(tmp_path: Path):
    a = write_county_files(tmp_path / "a", seed=3, scale=5_000, fmt="csv")
    b = write_county_files(tmp_path / "b", seed=3, scale=5_000, fmt="csv")
    c = write_county_files(tmp_path / "c", seed=4, scale=5_000, fmt="csv")
    assert sha256_file(a.events["ed_visits"]) == sha256_file(b.events["ed_visits"])
    assert sha256_file(a.events["ed_visits"]) != sha256_file(c.events["ed_visits"])
    assert 3_000 < sum(v for k, v in a.rows.items() if k != "population") < 8_000


def test_demo_sized_county_has_named_neighborhoods_and_shapes(county):
    geo = load_current(county.store)
    assert 40 <= len(geo.codes("tract")) <= 80
    assert 8 <= len(geo.codes("neighborhood")) <= 20
    names = {geo.name("neighborhood", c) for c in geo.codes("neighborhood")}
    assert "Eastside" in names and "Riverside" in names
    for level in geo.levels:
        shapes = json.loads(geo.shapes(level).read_text())
        codes = {f["properties"]["code"] for f in shapes["features"]}
        assert codes == set(geo.codes(level)), level
    # ZIP codes split tracts: some tract has fractional ZIP weights
    _, zip_matrix = geo.matrix("zip")
    assert ((zip_matrix > 0) & (zip_matrix < 1)).any()


def test_time_limit_interrupts_a_long_aggregation(county):
    source = Source.duckdb(county.store)
    events = source.table("ed_visits")
    other = events.view()
    pairs = events.cross_join(other.select(age2=other.age, cause2=other.cause))
    hits = pairs.filter(pairs.age + pairs.age2 == 7, pairs.cause != pairs.cause2)
    slow = hits.aggregate(n=hits.count())
    with pytest.raises(QueryTimeout):
        source.execute(slow, time_limit=0.2)
