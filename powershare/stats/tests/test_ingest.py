"""Loading: whole-file validation, error reports, atomic commits, checksum no-ops."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from powershare.stats import LoadError, Store, load_events, load_geography, load_population
from powershare.stats.geography import GeographyError

from .conftest import tiny_event_rows, write_csv, write_tiny_geography

HEADER = ["date", "tract", "age", "sex", "race", "cause"]


def stored_files(store: Store) -> list[Path]:
    return sorted(p for p in store.root.rglob("*.parquet*") if "geography" not in p.parts)


def test_load_and_reload_is_a_noop(tiny_store: Store, tmp_path: Path):
    info = tiny_store.dataset("ed_visits")
    assert info.rows == len(tiny_event_rows())
    before = tiny_store.manifest()
    report = load_events(
        tiny_store, tmp_path / "ev.csv", dataset="ed_visits", mapping={"geo": "tract"}
    )
    assert report.unchanged and report.rows == info.rows
    assert tiny_store.manifest() == before
    # a population re-load too
    assert load_population(tiny_store, tmp_path / "pop.csv").unchanged


def test_bad_file_rejected_whole_with_first_errors(tiny_store: Store, tmp_path: Path):
    rows = tiny_event_rows()
    rows[2] = ("2020-06-03", "T9", 5, "F", "nh_white", "J45.909")  # unknown tract
    rows[4] = ("2020-06-05", "T1", 130, "F", "nh_white", "J45.909")  # age out of range
    rows[6] = ("2020-06-07", "T1", "x", "Q", "martian", "J45.909")  # 3 problems in one row
    bad = write_csv(tmp_path / "bad.csv", HEADER, rows)
    before = tiny_store.manifest()
    files = stored_files(tiny_store)
    with pytest.raises(LoadError) as info:
        load_events(tiny_store, bad, dataset="ed_visits", mapping={"geo": "tract"}, max_errors=3)
    err = info.value
    assert err.total == 5
    assert [(e.row, e.column, e.value) for e in err.errors] == [
        (3, "geo", "T9"),
        (5, "age", "130"),
        (7, "age", "x"),
    ]
    assert err.errors[0].reason == "unknown geography code"
    assert "and 2 more" in str(err)
    assert tiny_store.manifest() == before and stored_files(tiny_store) == files


def test_domain_errors_found_on_the_fast_path(tiny_store: Store, tmp_path: Path):
    rows = tiny_event_rows()
    rows[0] = ("2020-06-01", "T1", 5, "F", "nh_white", "j45")  # lower case: not a cause code
    with pytest.raises(LoadError) as info:
        load_events(
            tiny_store,
            write_csv(tmp_path / "b.csv", HEADER, rows),
            dataset="x",
            mapping={"geo": "tract"},
        )
    assert info.value.errors[0].column == "cause" and info.value.total == 1
    assert "x" not in tiny_store.manifest()["datasets"]


def test_parquet_source_with_year_only(tiny_store: Store, tmp_path: Path):
    table = pa.table(
        {
            "year": [2020, 2021],
            "geo": ["T1", "T2"],
            "age": [3, 4],
            "sex": ["F", "U"],
            "race": ["hispanic"] * 2,
            "cause": ["T67.0XXA"] * 2,
            "extra_flag": [1, 0],
        }
    )
    pq.write_table(table, tmp_path / "heat.parquet")
    report = load_events(tiny_store, tmp_path / "heat.parquet", dataset="heat")
    assert report.rows == 2 and "extra_flag" in report.columns
    stored = pq.read_table(tiny_store.paths("heat")[0])
    assert stored.column_names == [
        "year",
        "geo",
        "age",
        "sex",
        "race",
        "cause",
        "extra_flag",
        "_geo_code",
        "_race_code",
        "_sex_code",
        "_age_code",
        "_rkey",
    ]
    # The integer codes index the code lists stored in the file's metadata.
    codes = json.loads(stored.schema.metadata[b"powershare"])["key_codes"]
    for name in ("geo", "race", "sex"):
        decoded = [codes[name][i] for i in stored[f"_{name}_code"].to_pylist()]
        assert decoded == stored[name].to_pylist()
    assert [codes["age"][i] for i in stored["_age_code"].to_pylist()] == ["1-4", "1-4"]


def test_replace_swaps_files(tiny_store: Store, tmp_path: Path):
    rows = tiny_event_rows()[:10]
    first = tiny_store.paths("ed_visits")
    load_events(
        tiny_store,
        write_csv(tmp_path / "r.csv", HEADER, rows),
        dataset="ed_visits",
        mapping={"geo": "tract"},
        replace=True,
    )
    assert tiny_store.dataset("ed_visits").rows == 10
    assert not first[0].exists()


def test_population_errors(tiny_store: Store, tmp_path: Path):
    header = ["year", "geo", "age_group", "sex", "race", "population"]
    rows = [
        (2022, "T1", "0-17", "F", "nh_white", 10),
        (2022, "T1", "0-17", "F", "nh_white", 10),
        (2022, "T2", "seniors", "F", "nh_white", 5),
        (2022, "T3", "18-64", "M", "hispanic", -1),
    ]
    with pytest.raises(LoadError) as info:
        load_population(tiny_store, write_csv(tmp_path / "p.csv", header, rows))
    reasons = {(e.row, e.reason) for e in info.value.errors}
    assert (2, "duplicate row for this year, geography, age group, sex and race") in reasons
    assert (3, "not an age group such as 0, 1-4, 85+") in reasons
    assert (4, "negative population") in reasons
    # overlapping years need replace
    good = [(2021, "T1", ag, "F", "nh_white", 1) for ag in ("0-17", "18-64", "65+")]
    with pytest.raises(ValueError, match="already loaded"):
        load_population(tiny_store, write_csv(tmp_path / "p2.csv", header, good))
    # age groups that leave a gap
    gap = [(2022, "T1", ag, "F", "nh_white", 1) for ag in ("0-17", "20-64", "65+")]
    with pytest.raises(LoadError, match="no age group holds ages 18-19"):
        load_population(tiny_store, write_csv(tmp_path / "p3.csv", header, gap))


def test_geography_rejects_bad_weights(tmp_path: Path):
    directory = write_tiny_geography(tmp_path / "geo")
    text = (
        (directory / "crosswalk.csv")
        .read_text()
        .replace("T4,neighborhood,C,0.5", "T4,neighborhood,C,0.4")
    )
    (directory / "crosswalk.csv").write_text(text)
    store = Store(tmp_path / "s")
    with pytest.raises(GeographyError, match="summing to 0.9"):
        load_geography(store, directory)
    assert store.manifest()["geography"] is None


def test_geography_shapes_checked_and_stored(tmp_path: Path):
    directory = write_tiny_geography(tmp_path / "geo")
    (directory / "shapes").mkdir()
    feature = {"type": "Feature", "properties": {"code": "A"}, "geometry": None}
    (directory / "shapes" / "neighborhood.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": [feature]})
    )
    store = Store(tmp_path / "s")
    sha = load_geography(store, directory)
    assert load_geography(store, directory) == sha  # no-op
    assert (store.geography_dir() / "shapes" / "neighborhood.geojson").exists()
    feature["properties"]["code"] = "ZZ"
    (directory / "shapes" / "neighborhood.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": [feature]})
    )
    with pytest.raises(GeographyError, match="'ZZ'"):
        load_geography(store, directory)
