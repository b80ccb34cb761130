"""Synthetic population and record-level events with realistic disparities.

Rates are set near published US magnitudes (all-cause ED visits ~0.42 per person-year,
asthma ED visits ~45 per 10,000, heat illness ~25 per 100,000, ~11 births per 1,000,
~10% preterm) and vary by age, sex, race/ethnicity and a neighborhood deprivation index.
Everything is drawn vectorized (Poisson counts per population cell, then np.repeat).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from ..codes import POPULATION_RACE_CODES
from .geo import Grid

AGE_GROUPS = (
    (0, 0),
    (1, 4),
    (5, 9),
    (10, 14),
    (15, 17),
    (18, 19),
    (20, 24),
    (25, 29),
    (30, 34),
    (35, 39),
    (40, 44),
    (45, 49),
    (50, 54),
    (55, 59),
    (60, 64),
    (65, 69),
    (70, 74),
    (75, 79),
    (80, 84),
    (85, 99),
)
AGE_SHARE = np.array(
    [
        1.2,
        4.8,
        6.1,
        6.4,
        3.9,
        2.7,
        6.5,
        7.0,
        6.8,
        6.6,
        6.2,
        6.1,
        6.3,
        6.5,
        6.2,
        5.2,
        4.1,
        2.7,
        1.7,
        1.9,
    ]
)
RACES = POPULATION_RACE_CODES  # hispanic, nh_white, nh_black, nh_asian, nh_nhpi, nh_aian, nh_multi
# race mix at deprivation 0 and 1 (a segregated county)
MIX_LOW = np.array([0.12, 0.62, 0.06, 0.12, 0.005, 0.008, 0.037])
MIX_HIGH = np.array([0.38, 0.18, 0.34, 0.04, 0.01, 0.02, 0.03])
AGE_TILT = np.array([-0.45, 0.35, -0.15, 0.05, -0.4, -0.2, -0.3])  # >0: older
SEXES = ("F", "M")
EVENTS_PER_PERSON_YEAR = 0.45  # all datasets together, to size the county from a target


@dataclass
class Population:
    """Population cells as parallel arrays (tract, year, age group, sex, race -> count)."""

    tract: np.ndarray
    year: np.ndarray
    age: np.ndarray  # index into AGE_GROUPS
    sex: np.ndarray  # index into SEXES
    race: np.ndarray  # index into RACES
    count: np.ndarray
    deprivation: np.ndarray  # per cell, from the tract's neighborhood


def make_population(
    rng: np.random.Generator, grid: Grid, people: float, years: tuple[int, ...]
) -> Population:
    """Population by tract x year x age x sex x race, about `people` residents in the first year."""
    dep_t = grid.deprivation[grid.neighborhood]
    size = people / grid.n * rng.lognormal(0, 0.25, grid.n)
    mix = (1 - dep_t)[:, None] * MIX_LOW + dep_t[:, None] * MIX_HIGH
    mix = mix * rng.lognormal(0, 0.3, mix.shape)
    mix /= mix.sum(axis=1, keepdims=True)
    mids = np.array([(a + b) / 2 for a, b in AGE_GROUPS])
    age = AGE_SHARE[None, :] * np.exp(AGE_TILT[:, None] * (mids[None, :] - 40) / 40)  # race x age
    age /= age.sum(axis=1, keepdims=True)
    young = np.exp(-0.3 * (dep_t[:, None] - 0.5) * (mids[None, :] - 40) / 40)  # tract x age
    female = np.where(mids >= 65, 0.56, 0.505)
    growth = np.array([(1.005) ** (y - years[0]) for y in years])
    shape = (grid.n, len(years), len(AGE_GROUPS), 2, len(RACES))
    t, y, a, s, r = np.indices(shape).reshape(5, -1)
    share = (
        mix[t, r]
        * age[r, a]
        * young[t, a]
        / (young[t] * age[r]).sum(axis=1)
        * np.where(s == 0, female[a], 1 - female[a])
    )
    expected = size[t] * growth[y] * share
    count = rng.poisson(expected).astype(np.int64)
    return Population(t, y, a, s, r, count, dep_t[t])


def _rr(values: dict[int, float], index: np.ndarray, default: float = 1.0) -> np.ndarray:
    table = np.full(int(index.max()) + 1 if index.size else 1, default)
    for k, v in values.items():
        if k < len(table):
            table[k] = v
    return table[index]


def _age_rr(pop: Population, by_range: list[tuple[int, int, float]]) -> np.ndarray:
    lo = np.array([a for a, _ in AGE_GROUPS])[pop.age]
    out = np.ones(len(lo))
    for a, b, v in by_range:
        out = np.where((lo >= a) & (lo <= b), v, out)
    return out


RACE_IDX = {code: i for i, code in enumerate(RACES)}


def _race_rr(pop: Population, rr: dict[str, float]) -> np.ndarray:
    return _rr({RACE_IDX[k]: v for k, v in rr.items()}, pop.race)


def _draw(rng: np.random.Generator, pop: Population, rate: np.ndarray) -> np.ndarray:
    """Index of the population cell of every event drawn at `rate` per person-year."""
    counts = rng.poisson(pop.count * rate)
    return np.repeat(np.arange(len(counts)), counts)


def _events(
    rng: np.random.Generator,
    pop: Population,
    cells: np.ndarray,
    years: tuple[int, ...],
    codes: list[str],
    code_p: np.ndarray | None = None,
    months: tuple[int, int] = (1, 12),
    tract_codes: list[str] | None = None,
) -> dict[str, Any]:
    lo = np.array([a for a, _ in AGE_GROUPS])[pop.age[cells]]
    hi = np.array([b for _, b in AGE_GROUPS])[pop.age[cells]]
    age = lo + (rng.random(len(cells)) * (hi - lo + 1)).astype(np.int64)
    year = np.array(years)[pop.year[cells]]
    start = (
        (year - 1970).astype("datetime64[Y]").astype("datetime64[M]")
        + np.timedelta64(months[0] - 1, "M")
    ).astype("datetime64[D]")
    span = 365 if months == (1, 12) else (months[1] - months[0] + 1) * 30
    date = start + rng.integers(0, span, len(cells)).astype("timedelta64[D]")
    code = rng.choice(len(codes), size=len(cells), p=code_p)
    return {
        "year": year,
        "date": date,
        "tract": pop.tract[cells],
        "age": age,
        "sex": pop.sex[cells],
        "race": pop.race[cells],
        "code": code,
    }


ASTHMA = [
    "J45.20",
    "J45.21",
    "J45.30",
    "J45.40",
    "J45.41",
    "J45.50",
    "J45.901",
    "J45.902",
    "J45.909",
    "J45.990",
    "J45.998",
    "J46",
]
HEAT = ["T67.0XXA", "T67.1XXA", "T67.2XXA", "T67.3XXA", "T67.5XXA", "T67.9XXA"]
INJURY = [
    "S00.03XA",
    "S01.81XA",
    "S06.0X0A",
    "S09.90XA",
    "S20.219A",
    "S39.012A",
    "S42.001A",
    "S52.501A",
    "S61.411A",
    "S62.609A",
    "S72.001A",
    "S82.899A",
    "S93.401A",
    "T14.90XA",
]
OTHER = [
    "R07.9",
    "R10.9",
    "J06.9",
    "N39.0",
    "M54.50",
    "K52.9",
    "R51.9",
    "I10",
    "E11.9",
    "R55",
    "L03.90",
    "F41.9",
    "J18.9",
    "R11.2",
    "H66.90",
    "Z76.0",
    "K59.00",
    "R50.9",
    "B34.9",
    "G43.909",
]


def make_ed_visits(
    rng: np.random.Generator, pop: Population, years: tuple[int, ...], other_rate: float
) -> dict:
    """ED visits: asthma, heat illness, injuries and other causes, with disparities."""
    dep = pop.deprivation
    parts = []
    asthma = (
        0.0045
        * _age_rr(pop, [(0, 4, 2.2), (5, 17, 1.6), (18, 64, 0.8), (65, 120, 0.6)])
        * _race_rr(
            pop,
            {
                "nh_black": 3.0,
                "hispanic": 1.4,
                "nh_aian": 1.6,
                "nh_asian": 0.5,
                "nh_white": 0.75,
                "nh_nhpi": 1.2,
                "nh_multi": 1.3,
            },
        )
        * (0.55 + 1.3 * dep)
    )
    parts.append((asthma, ASTHMA, (1, 12)))
    heat = (
        0.0012
        * _age_rr(pop, [(0, 17, 0.4), (18, 64, 1.0), (65, 120, 2.6)])
        * np.where(pop.sex == 1, 1.6, 1.0)
        * _race_rr(pop, {"hispanic": 1.4, "nh_black": 1.3})
        * (0.4 + 1.8 * dep)
    )
    parts.append((heat, HEAT, (6, 9)))
    injury = (
        0.085
        * _age_rr(pop, [(0, 4, 1.1), (15, 24, 1.4), (75, 120, 1.5)])
        * np.where(pop.sex == 1, 1.3, 1.0)
        * (0.8 + 0.4 * dep)
    )
    parts.append((injury, INJURY, (1, 12)))
    other = other_rate * _age_rr(pop, [(0, 4, 1.3), (65, 120, 1.4)]) * (0.85 + 0.3 * dep)
    parts.append((other, OTHER, (1, 12)))
    out: dict[str, list] = {}
    offset = 0
    dictionary: list[str] = []
    for rate, codes, months in parts:
        cells = _draw(rng, pop, rate)
        ev = _events(rng, pop, cells, years, codes, months=months)
        ev["code"] = ev["code"] + offset
        offset += len(codes)
        dictionary += codes
        for k, v in ev.items():
            out.setdefault(k, []).append(v)
    merged = {k: np.concatenate(v) for k, v in out.items()}
    order = rng.permutation(len(merged["year"]))  # records arrive unsorted, as real extracts do
    return {**{k: v[order] for k, v in merged.items()}, "dictionary": dictionary}


def make_births(rng: np.random.Generator, pop: Population, years: tuple[int, ...]) -> dict:
    """Live births to residents (age, race: the mother's), with gestational age in weeks."""
    fert = np.where(pop.sex == 0, 1, 0) * _age_rr(
        pop,
        [
            (0, 14, 0),
            (15, 19, 0.017),
            (20, 24, 0.065),
            (25, 29, 0.095),
            (30, 34, 0.097),
            (35, 39, 0.053),
            (40, 44, 0.012),
            (45, 120, 0),
        ],
    )
    cells = _draw(rng, pop, fert)
    ev = _events(rng, pop, cells, years, ["Z37.0"])
    ev["sex"] = rng.integers(0, 2, len(cells))  # the infant's sex
    p_pre = (
        0.085
        * _race_rr(
            pop,
            {"nh_black": 1.6, "hispanic": 1.05, "nh_aian": 1.25, "nh_asian": 0.9, "nh_white": 0.88},
        )[cells]
        * (0.8 + 0.45 * pop.deprivation[cells])
    )
    age = ev["age"]
    p_pre = p_pre * np.where((age < 18) | (age >= 35), 1.2, 1.0)
    preterm = rng.random(len(cells)) < p_pre
    ev["gestation_weeks"] = np.where(
        preterm,
        36 - rng.geometric(0.45, len(cells)).clip(1, 13) + 1,
        rng.integers(37, 42, len(cells)),
    )
    ev["dictionary"] = ["Z37.0"]
    return ev


def make_blood_lead(rng: np.random.Generator, pop: Population, years: tuple[int, ...]) -> dict:
    """Blood lead tests of children under 6, with the blood lead level in ug/dL."""
    lo = np.array([a for a, _ in AGE_GROUPS])[pop.age]
    eligible = np.where(lo == 0, 1.0, np.where(lo == 1, 1.0, np.where(lo == 5, 0.2, 0.0)))
    cells = _draw(rng, pop, 0.28 * eligible)
    ev = _events(rng, pop, cells, years, ["Z13.88"])
    ev["age"] = np.where(lo[cells] == 5, 5, ev["age"])
    dep = pop.deprivation[cells]
    p_high = 0.02 * (0.3 + 3.0 * dep**2) * _race_rr(pop, {"nh_black": 1.8, "hispanic": 1.2})[cells]
    high = rng.random(len(cells)) < p_high
    ev["bll"] = np.round(
        np.where(
            high,
            3.5 + rng.exponential(3.0, len(cells)),
            np.minimum(rng.lognormal(0.0, 0.45, len(cells)), 3.4),
        ),
        1,
    )
    ev["dictionary"] = ["Z13.88"]
    return ev


def events_table(ev: dict, grid: Grid, extra: tuple[str, ...] = ()) -> pa.Table:
    """An Arrow table in the engine's event schema (dictionary-encoded strings)."""

    def dictionary(idx: np.ndarray, values: list[str]) -> pa.Array:
        return pa.DictionaryArray.from_arrays(pa.array(idx.astype(np.int32)), pa.array(values))

    cols = {
        "date": pa.array(ev["date"]),
        "geo": dictionary(ev["tract"], grid.tract_codes),
        "age": pa.array(ev["age"].astype(np.int16)),
        "sex": dictionary(ev["sex"], list(SEXES)),
        "race": dictionary(ev["race"], list(RACES)),
        "cause": dictionary(ev["code"], ev["dictionary"]),
    }
    for name in extra:
        cols[name] = pa.array(ev[name])
    return pa.table(cols)


def population_table(pop: Population, grid: Grid, years: tuple[int, ...]) -> pa.Table:
    """An Arrow table in the engine's population schema."""
    labels = [f"{a}-{b}" if b < 99 else f"{a}+" for a, b in AGE_GROUPS]
    labels[0] = "0"
    return pa.table(
        {
            "year": pa.array(np.array(years)[pop.year].astype(np.int16)),
            "geo": pa.array(np.array(grid.tract_codes, dtype=object)[pop.tract]),
            "age_group": pa.array(np.array(labels, dtype=object)[pop.age]),
            "sex": pa.array(np.array(SEXES, dtype=object)[pop.sex]),
            "race": pa.array(np.array(RACES, dtype=object)[pop.race]),
            "population": pa.array(pop.count),
        }
    )
