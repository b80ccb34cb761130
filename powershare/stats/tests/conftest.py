"""Shared fixtures: a tiny hand-made county (known answers) and a small synthetic one."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from powershare.stats import Store, load_events, load_geography, load_population
from powershare.stats.synth import generate_county

# The tiny county: tracts T1..T4; neighborhood A = T1+T2, B = T3 + half of T4, C = half of T4.
TINY_UNITS = [
    ("tract", "T1", "Tract 1"),
    ("tract", "T2", "Tract 2"),
    ("tract", "T3", "Tract 3"),
    ("tract", "T4", "Tract 4"),
    ("neighborhood", "A", "Alder"),
    ("neighborhood", "B", "Birch"),
    ("neighborhood", "C", "Cedar"),
    ("county", "X", "Tiny County"),
]
TINY_XWALK = [
    ("T1", "neighborhood", "A", 1),
    ("T2", "neighborhood", "A", 1),
    ("T3", "neighborhood", "B", 1),
    ("T4", "neighborhood", "B", 0.5),
    ("T4", "neighborhood", "C", 0.5),
    *[(t, "county", "X", 1) for t in ("T1", "T2", "T3", "T4")],
]


def write_csv(path: Path, header: list[str], rows: list[tuple]) -> Path:
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def write_tiny_geography(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "geography.json").write_text(
        json.dumps({"base_level": "tract", "levels": ["tract", "neighborhood", "county"]})
    )
    write_csv(directory / "units.csv", ["level", "code", "name"], TINY_UNITS)
    write_csv(directory / "crosswalk.csv", ["base_code", "level", "code", "weight"], TINY_XWALK)
    return directory


def tiny_population_rows() -> list[tuple]:
    """Two years; every tract has 1,000 people per age group/sex for nh_white and hispanic."""
    rows = []
    for year in (2020, 2021):
        for tract in ("T1", "T2", "T3", "T4"):
            for ag in ("0-17", "18-64", "65+"):
                for sex in ("F", "M"):
                    for race in ("nh_white", "hispanic"):
                        rows.append((year, tract, ag, sex, race, 1000))
    return rows


def tiny_event_rows() -> list[tuple]:
    """Asthma (J45.909) and injury (S06.0X0A) events with known counts per tract."""
    rows = []
    counts = {"T1": 30, "T2": 12, "T3": 5, "T4": 40}
    for tract, n in counts.items():
        for i in range(n):
            year = 2020 + i % 2
            age = (5, 30, 70)[i % 3]
            sex = "FM"[i % 2]
            race = ("nh_white", "hispanic")[(i // 2) % 2]
            rows.append((f"{year}-06-{1 + i % 28:02d}", tract, age, sex, race, "J45.909"))
    rows.append(("2020-01-05", "T1", 40, "F", "unknown", "J45.909"))  # a race with no population
    rows.append(("2020-02-01", "T2", 50, "M", "nh_white", "S06.0X0A"))
    return rows


@pytest.fixture
def tiny_store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "store")
    load_geography(store, write_tiny_geography(tmp_path / "geo"))
    pop = write_csv(
        tmp_path / "pop.csv",
        ["year", "geo", "age_group", "sex", "race", "population"],
        tiny_population_rows(),
    )
    load_population(store, pop)
    ev = write_csv(
        tmp_path / "ev.csv", ["date", "tract", "age", "sex", "race", "cause"], tiny_event_rows()
    )
    load_events(store, ev, dataset="ed_visits", mapping={"geo": "tract"})
    return store


@pytest.fixture(scope="session")
def county(tmp_path_factory: pytest.TempPathFactory):
    """A small synthetic county (~60,000 events), shared by the query tests."""
    root = tmp_path_factory.mktemp("county")
    return generate_county(
        root / "store", seed=7, scale=60_000, work_dir=root / "files", record_key_secret="test7"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The engine is Django-free: its tests touch no database, so they run once, in the
    SQLite pass of `make test`; the PostgreSQL pass keeps only the engine's own PostgreSQL
    tests (Ibis on PostgreSQL)."""
    import os

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    here = Path(__file__).resolve().parent
    keep, once = [], []
    for item in items:
        path = Path(str(item.fspath)).resolve()
        engine = here in path.parents and path.name != "test_postgres.py"
        (once if engine else keep).append(item)
    if once:
        config.hook.pytest_deselected(items=once)
        items[:] = keep
