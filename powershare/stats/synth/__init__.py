"""Synthetic county generator: seeded, scalable from thousands to 10 million+ events.

API (what the demo command and the benchmark call)::

    from powershare.stats.synth import generate_county, write_county_files

    county = generate_county(Path("var/stats"), seed=1, scale=1_000_000)
    # -> GeneratedCounty(store=Store(...), rows={"ed_visits": ..., "births": ..., ...}, ...)

    files = write_county_files(Path("/tmp/county"), seed=1, scale=10_000_000, fmt="csv")
    # -> CountyFiles with the geography package directory and one file per dataset

`scale` is the approximate total number of events (all datasets). The county's size
follows from it: about scale / (0.45 x years) residents, at least 40 tracts (about 4,000
residents each once the county is large enough), 8-20 neighborhoods for counties of up to
120 tracts, 3-9 council districts, ZIP codes cutting across tracts. The same seed and scale
always give the same files.

Datasets written:

- ``ed_visits``: emergency department visits; cause = ICD-10-CM diagnosis (asthma J45/J46,
  heat T67, injuries S00-T14, and other common causes).
- ``births``: live births (cause Z37.0); age and race/ethnicity are the mother's, sex the
  infant's; extra column ``gestation_weeks``.
- ``blood_lead``: blood lead tests of children 0-5 (cause Z13.88); extra column ``bll``
  (ug/dL).
- ``population``: tract x year x 20 age groups (0, 1-4, 5-9, 10-14, 15-17, 18-19, 20-24,
  ..., 80-84, 85+) x sex (F, M) x race/ethnicity (codes in powershare.stats.codes).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ..geography import load_geography
from ..ingest import load_events
from ..measures import DEFAULT_MEASURES, Measure
from ..population import load_population
from ..store import Store
from .geo import make_grid, write_geography
from .people import (
    EVENTS_PER_PERSON_YEAR,
    events_table,
    make_births,
    make_blood_lead,
    make_ed_visits,
    make_population,
    population_table,
)

DEFAULT_YEARS = tuple(range(2015, 2025))
DATASETS = ("ed_visits", "births", "blood_lead")
__all__ = [
    "DATASETS",
    "DEFAULT_MEASURES",
    "CountyFiles",
    "GeneratedCounty",
    "generate_county",
    "write_county_files",
]


@dataclass
class CountyFiles:
    """Raw input files of a synthetic county, ready for the loaders."""

    directory: Path
    geography: Path
    population: Path
    events: dict[str, Path]
    rows: dict[str, int]


@dataclass
class GeneratedCounty:
    """A synthetic county loaded into a store."""

    store: Store
    files: CountyFiles
    rows: dict[str, int]
    seconds: float
    measures: dict[str, Measure] = field(default_factory=lambda: dict(DEFAULT_MEASURES))


def _write(table: pa.Table, path: Path, fmt: str) -> Path:
    path = path.with_suffix(f".{fmt}")
    tmp = path.with_name(f".{path.name}.tmp")
    if fmt == "csv":
        plain = pa.table(
            {
                n: (c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c)
                for n, c in zip(table.column_names, table.columns, strict=True)
            }
        )
        pacsv.write_csv(plain, tmp)
    else:
        pq.write_table(table, tmp, compression="snappy")
    tmp.replace(path)
    return path


def write_county_files(
    directory: Path,
    *,
    seed: int = 1,
    scale: int = 200_000,
    years: tuple[int, ...] = DEFAULT_YEARS,
    fmt: str = "parquet",
) -> CountyFiles:
    """Generate the county and write its geography package and data files (csv or parquet)."""
    if fmt not in ("csv", "parquet"):
        raise ValueError("fmt must be 'csv' or 'parquet'")
    if scale < 1000:
        raise ValueError("scale (total events) must be at least 1,000")
    rng = np.random.default_rng(seed)
    people = scale / (EVENTS_PER_PERSON_YEAR * len(years))
    grid = make_grid(rng, max(40, round(people / 4000)))
    directory.mkdir(parents=True, exist_ok=True)
    geo_dir = directory / "geography"
    if geo_dir.exists():
        shutil.rmtree(geo_dir)
    write_geography(grid, geo_dir)
    pop = make_population(rng, grid, people, years)
    rows = {}
    ptable = population_table(pop, grid, years)
    rows["population"] = ptable.num_rows
    pop_path = _write(ptable, directory / "population", fmt)
    # asthma, heat and injury rates are fixed; "other" visits fill ED visits to ~0.42/person-year
    ed = make_ed_visits(rng, pop, years, other_rate=0.31)
    events = {}
    for name, ev, extra in (
        ("ed_visits", ed, ()),
        ("births", make_births(rng, pop, years), ("gestation_weeks",)),
        ("blood_lead", make_blood_lead(rng, pop, years), ("bll",)),
    ):
        table = events_table(ev, grid, extra)
        rows[name] = table.num_rows
        events[name] = _write(table, directory / name, fmt)
    return CountyFiles(directory, geo_dir, pop_path, events, rows)


def generate_county(
    root: Path,
    seed: int = 1,
    scale: int = 200_000,
    *,
    years: tuple[int, ...] = DEFAULT_YEARS,
    work_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
    record_key_secret: str | None = None,
) -> GeneratedCounty:
    """Generate a synthetic county and load it into the store at `root` (replacing its data).

    Goes through the same validating loaders as real data. Returns the store and row counts.
    With `record_key_secret` the records' keys, and so every perturbed count, are the same
    on every run.
    """
    start = time.perf_counter()
    note = progress or (lambda _m: None)
    store = Store(root)
    if record_key_secret is not None:
        store.set_record_key_secret(record_key_secret)
    work = work_dir or (store.root / ".generate")
    note(f"generating about {scale:,} events (seed {seed})")
    files = write_county_files(work, seed=seed, scale=scale, years=years, fmt="parquet")
    note("loading geography")
    load_geography(store, files.geography)
    note("loading population")
    load_population(store, files.population, dataset="population", replace=True)
    for name, path in files.events.items():
        note(f"loading {name}")
        load_events(store, path, dataset=name, replace=True)
    if work_dir is None:
        shutil.rmtree(work, ignore_errors=True)
    return GeneratedCounty(store, files, dict(files.rows), time.perf_counter() - start)
