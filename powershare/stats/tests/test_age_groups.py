"""Counts by age group, and populations that cover only some ages.

A state's discharge or vital statistics table often comes as counts by area x year x age
group x sex x race x cause. Its rates must be those of the records it sums, adjusted over
the groups it has; a question that would cut through one of its groups is refused, naming
the group. A population may cover only the ages a measure needs (mothers 10-54); a measure
outside them is refused, naming the ages that have no population. A cell whose rate can't
be computed says why.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from pathlib import Path

import pytest

from powershare.stats import (
    DEFAULT_MEASURES,
    LoadError,
    Measure,
    Query,
    Store,
    SuppressionPolicy,
    load_events,
    load_population,
    run_query,
)

from .conftest import write_csv

OPEN = SuppressionPolicy(min_count=1, min_population=0, complementary=False, record_releases=False)
TRACTS = ("T1", "T2", "T3", "T4")
POP_GROUPS = ("0", "1-4", "5-9", "10-14", "15-17", "18-64", "65+")
FILE_GROUPS = {"0-4": (0, 4), "5-9": (5, 9), "10-17": (10, 17), "18-64": (18, 64), "65+": (65, 120)}
#: The US 2000 standard population (NVSR 47(3), 1998), the groups a children's measure uses.
US2000 = {"0": 3_794_901, "1-4": 15_191_619, "5-9": 19_919_840, "10-14": 20_056_779}
US2000_15_19 = 19_819_518
EVENT_HEADER = ["year", "geo", "age_group", "sex", "race", "cause", "count"]
POP_HEADER = ["year", "geo", "age_group", "sex", "race", "population"]

children = DEFAULT_MEASURES["asthma_ed_children"]  # J45-J46, ages 0-17, per 10,000
MEASURES = {
    "kids_records": dataclasses.replace(
        children, name="kids_records", dataset="ed_records", population="pop5"
    ),
    "kids_groups": dataclasses.replace(
        children, name="kids_groups", dataset="ed_groups", population="pop5"
    ),
    "kids_to_14": dataclasses.replace(
        children, name="kids_to_14", dataset="ed_groups", population="pop5", age_max=14
    ),
}


def population(tract: str, group: str, sex: str, race: str) -> int:
    base = {"0": 40, "1-4": 160, "5-9": 210, "10-14": 190, "15-17": 120, "18-64": 2000}
    i = TRACTS.index(tract)
    return (
        base.get(group, 500) * (1 + i)
        + (10 if sex == "F" else 0)
        + (5 if race == "hispanic" else 0)
    )


def population_rows() -> list[tuple]:
    """2020 by tract x the 7 groups x sex x two races; tract T4 has no infants (no rows for
    age 0), and only T1 has Black residents."""
    rows = []
    for tract in TRACTS:
        for group in POP_GROUPS:
            for sex in "FM":
                for race in ("nh_white", "hispanic"):
                    if not (tract == "T4" and group == "0"):
                        rows.append(
                            (2020, tract, group, sex, race, population(tract, group, sex, race))
                        )
                if tract == "T1":
                    rows.append((2020, tract, group, sex, "nh_black", 50))
    return rows


def record_rows() -> list[tuple]:
    """Asthma visits with single years of age: every age 0-17 (and two adult ages) in every
    tract, T4's infants included."""
    rows = []
    for i, tract in enumerate(TRACTS):
        for age in (*range(18), 30, 70):
            for k in range(1 + (age + i) % 3):
                sex = "FM"[(age + k) % 2]
                race = ("nh_white", "hispanic")[(age + i + k) % 2]
                rows.append((2020, tract, age, sex, race, "J45.909"))
    return rows


def group_of(age: int) -> str:
    return next(label for label, (lo, hi) in FILE_GROUPS.items() if lo <= age <= hi)


def count_rows() -> list[tuple]:
    """The same visits as counts by the file's age groups (0-4, 5-9, 10-17, 18-64, 65+)."""
    counts = Counter((y, g, group_of(a), s, r, c) for y, g, a, s, r, c in record_rows())
    return [(*key, n) for key, n in sorted(counts.items())]


@pytest.fixture
def store(tiny_store: Store, tmp_path: Path) -> Store:
    load_population(
        tiny_store, write_csv(tmp_path / "pop5.csv", POP_HEADER, population_rows()), dataset="pop5"
    )
    header = ["year", "geo", "age", "sex", "race", "cause"]
    load_events(
        tiny_store, write_csv(tmp_path / "rec.csv", header, record_rows()), dataset="ed_records"
    )
    return tiny_store


@pytest.fixture
def grouped(store: Store, tmp_path: Path) -> Store:
    """The store with the same visits as counts by age group, in the dataset ed_groups."""
    load_events(
        store, write_csv(tmp_path / "grp.csv", EVENT_HEADER, count_rows()), dataset="ed_groups"
    )
    return store


def query(store: Store, measure: str, policy: SuppressionPolicy = OPEN, **kwargs) -> list[dict]:
    kwargs.setdefault("level", "county")
    return run_query(
        store, Query(measure, years=(2020,), **kwargs), policy=policy, measures=MEASURES
    ).rows()


@pytest.mark.usefixtures("grouped")
def test_counts_by_age_group_give_the_rates_of_their_records(store: Store):
    # By hand: events and residents of each of the file's groups of children, county-wide.
    events = Counter(group_of(age) for _, _, age, *_ in record_rows() if age <= 17)
    people = Counter()
    for _year, _tract, group, _sex, _race, n in population_rows():
        if group in ("0", "1-4"):
            people["0-4"] += n
        elif group == "5-9":
            people["5-9"] += n
        elif group in ("10-14", "15-17"):
            people["10-17"] += n
    crude = sum(events.values()) / sum(people.values()) * 10_000
    # The standard's weights summed to the file's groups; 15-19 shared by years (15-17).
    weight = {
        "0-4": US2000["0"] + US2000["1-4"],
        "5-9": US2000["5-9"],
        "10-17": US2000["10-14"] + US2000_15_19 * 3 / 5,
    }
    total = sum(weight.values())
    adjusted = sum(weight[g] / total * events[g] / people[g] for g in weight) * 10_000

    (grouped,) = query(store, "kids_groups")
    assert grouped["count"] == sum(events.values())
    assert grouped["denominator"] == sum(people.values())
    assert grouped["rate"] == pytest.approx(crude, abs=1e-6)
    assert grouped["adjusted_rate"] == pytest.approx(adjusted, abs=1e-6)
    assert grouped["adjusted_lower"] < adjusted < grouped["adjusted_upper"]
    (records,) = query(store, "kids_records")
    crude_columns = ("count", "denominator", "rate", "rate_lower", "rate_upper")
    assert [records[k] for k in crude_columns] == [grouped[k] for k in crude_columns]
    # The records adjust over finer groups (0, 1-4, 5-9, 10-14, 15-17): another number.
    assert not math.isclose(records["adjusted_rate"], adjusted, rel_tol=1e-9)

    # Broken down by the file's groups, by tract: each band is the records' band.
    bands = {"age_groups": "0-4,5-9,10-17", "by": ("age_group",), "level": "tract"}
    by_band = {(r["area"], r["age_group"]): r for r in query(store, "kids_groups", **bands)}
    for row in query(store, "kids_records", **bands):
        assert [row[k] for k in crude_columns] == [
            by_band[row["area"], row["age_group"]][k] for k in crude_columns
        ]
    assert by_band["X", "5-9"]["count"] == events["5-9"]
    assert by_band["X", "5-9"]["denominator"] == people["5-9"]
    # T4 has no infants in its population, but the file groups them with 1-4, who are there:
    # its adjusted rate is defined (the records' isn't, see the last test).
    tracts = {r["area"]: r for r in query(store, "kids_groups", level="tract")}
    assert tracts["T4"]["adjusted_rate"] is not None


@pytest.mark.usefixtures("grouped")
def test_age_group_labels_in_the_age_column(store: Store, tmp_path: Path):
    header = ["year", "geo", "age", "sex", "race", "cause", "count"]
    load_events(store, write_csv(tmp_path / "age.csv", header, count_rows()), dataset="ed_labels")
    measures = {
        **MEASURES,
        "kids_labels": dataclasses.replace(MEASURES["kids_groups"], dataset="ed_labels"),
    }
    (labels,) = run_query(
        store, Query("kids_labels", years=(2020,)), policy=OPEN, measures=measures
    ).rows()
    (grouped,) = query(store, "kids_groups")
    for key in ("count", "denominator", "rate", "adjusted_rate"):
        assert labels[key] == grouped[key]


@pytest.mark.usefixtures("grouped")
def test_ages_that_cut_through_a_group_are_refused_naming_it(store: Store):
    with pytest.raises(
        ValueError, match="the group 10-17 straddles the boundary between 14 and 15"
    ):
        query(store, "kids_to_14")
    # 15 starts a group of the population (15-17), not of the counts (10-17).
    with pytest.raises(
        ValueError, match="dataset ed_groups's age groups: the group 10-17 straddles"
    ):
        query(store, "kids_groups", by=("age_group",), age_groups="0-14,15-17")
    release = SuppressionPolicy(
        method="suppression", year_block=1, min_count=1, age_groups="0-14,15-17,18+"
    )
    with pytest.raises(ValueError, match="the policy's age groups .* the group 10-17 straddles"):
        query(store, "kids_groups", policy=release)
    # Bands made of whole groups are released; the records' dataset takes any bands.
    whole = SuppressionPolicy(
        method="suppression", year_block=1, min_count=1, age_groups="0-9,10-17,18+"
    )
    rows = query(store, "kids_groups", policy=whole, by=("age_group",))
    assert {r["age_group"] for r in rows} == {"0-9", "10-17", "total"}
    assert query(store, "kids_records", by=("age_group",), age_groups="0-14,15-17")


def snapshot(store: Store) -> tuple[str, list[str]]:
    files = sorted(
        str(p.relative_to(store.root))
        for p in store.root.rglob("*")
        if p.is_file() and ".tmp" not in p.parts and p.name != ".lock"
    )
    return (store.root / "manifest.json").read_text(), files


CHILD = (2020, "T1", "F", "hispanic", "J45.909")
BAD_COUNT_FILES = {
    "overlap": (
        [("0-4", 3), ("5-9", 2), ("5-17", 4)],
        (
            3,
            "5-17",
            "age group 5-17 overlaps 5-9 ('5-9', row 2): each age must fall in one group only",
        ),
    ),
    "nested": (
        [("0-17", 3), ("0-4", 1)],
        (
            1,
            "0-17",
            "age group 0-17 overlaps 0-4 ('0-4', row 2): each age must fall in one group only",
        ),
    ),
    "gap": (
        [("10-17", 1), ("0-4", 3)],
        (
            1,
            "10-17",
            "no age group holds ages 5-9, between 0-4 (row 2) and 10-17: add a row for "
            "those ages (a count of 0 will do), or merge the groups around them into one",
        ),
    ),
    "label": ([("0-4", 3), ("kids", 2)], (2, "kids", "not an age group such as 0, 1-4, 85+")),
    "missing": ([("0-4", 3), ("", 2)], (2, None, "missing")),
    "negative": ([("0-4", 3), ("5-9", -2)], (2, "-2", "a negative count")),
    "fractional": ([("0-4", 2.5), ("5-9", 1)], (1, "2.5", "not a whole number of events")),
}


@pytest.mark.parametrize("case", BAD_COUNT_FILES)
def test_bad_files_of_counts_by_age_group_are_refused_and_nothing_stored(
    store: Store, tmp_path: Path, case: str
):
    given, (row, value, reason) = BAD_COUNT_FILES[case]
    rows = [(*CHILD[:2], label, *CHILD[2:], n) for label, n in given]
    before = snapshot(store)
    for dataset in ("ed_new", "ed_groups"):  # a new dataset, or more files for one
        with pytest.raises(LoadError) as caught:
            load_events(
                store, write_csv(tmp_path / f"{case}.csv", EVENT_HEADER, rows), dataset=dataset
            )
        assert (row, value, reason) in {(e.row, e.value, e.reason) for e in caught.value.errors}
        assert snapshot(store) == before


@pytest.mark.usefixtures("grouped")
def test_a_dataset_keeps_one_set_of_age_groups(store: Store, tmp_path: Path):
    before = snapshot(store)
    other = [(*CHILD[:2], label, *CHILD[2:], 1) for label in ("0", "1-4", "5-17")]
    with pytest.raises(LoadError, match="holds the age groups 0-4, 5-9, 10-17, 18-64, 65\\+ and"):
        load_events(
            store, write_csv(tmp_path / "other.csv", EVENT_HEADER, other), dataset="ed_groups"
        )
    years = [(*CHILD[:2], 7, *CHILD[2:], 1)]
    header = ["year", "geo", "age", "sex", "race", "cause", "count"]
    with pytest.raises(LoadError, match="holds ages in age groups and this file has ages in whole"):
        load_events(store, write_csv(tmp_path / "years.csv", header, years), dataset="ed_groups")
    assert snapshot(store) == before


def test_population_age_groups_that_overlap_are_refused_naming_them(store: Store, tmp_path: Path):
    rows = [(2022, "T1", g, "F", "nh_white", 5) for g in ("0-17", "10-64", "65+")]
    before = snapshot(store)
    with pytest.raises(LoadError) as caught:
        load_population(store, write_csv(tmp_path / "p.csv", POP_HEADER, rows), dataset="pop5")
    (error,) = caught.value.errors
    assert (error.row, error.value) == (2, "10-64")
    assert error.reason.startswith("age group 10-64 overlaps 0-17 ('0-17', row 1)")
    assert snapshot(store) == before


WOMEN_GROUPS = [f"{a}-{a + 4}" for a in range(10, 55, 5)]  # 10-14 ... 50-54
BIRTHS = {"15-19": 12, "20-24": 40, "25-29": 55, "30-34": 48, "35-39": 20, "40-44": 6, "45-49": 1}


@pytest.fixture
def births_store(store: Store, tmp_path: Path) -> Store:
    women = [
        (2020, tract, group, "F", race, 300 + 10 * i)
        for i, tract in enumerate(TRACTS)
        for group in WOMEN_GROUPS
        for race in ("nh_white", "hispanic")
    ]
    load_population(store, write_csv(tmp_path / "women.csv", POP_HEADER, women), dataset="women")
    births = [
        (2020, tract, group, "F", race, "Z37.0", n)
        for tract in TRACTS
        for group, n in BIRTHS.items()
        for race in ("nh_white", "hispanic")
    ]
    load_events(
        store, write_csv(tmp_path / "births.csv", EVENT_HEADER, births), dataset="births_counts"
    )
    infants = [
        (2020, t, "0", s, r, 30) for t in TRACTS for s in "FM" for r in ("nh_white", "hispanic")
    ]
    load_population(
        store, write_csv(tmp_path / "infants.csv", POP_HEADER, infants), dataset="infants"
    )
    return store


def partial(name: str, lo: int, hi: int, population: str, **kwargs) -> dict[str, Measure]:
    measure = Measure(name, name, kwargs.pop("dataset", "births_counts"), causes=("Z37",),
                      age_min=lo, age_max=hi, population=population, per=1000, **kwargs)  # fmt: skip
    return {name: measure}


def test_a_population_of_some_ages_answers_the_measures_inside_them(births_store: Store):
    gfr = partial("gfr", 15, 44, "women", sex="F")
    (row,) = run_query(births_store, Query("gfr", years=(2020,)), policy=OPEN, measures=gfr).rows()
    births = sum(n for g, n in BIRTHS.items() if g != "45-49") * len(TRACTS) * 2
    women = sum((300 + 10 * i) * 2 for i in range(len(TRACTS))) * 6  # six groups, 15-44
    assert (row["count"], row["denominator"]) == (births, women)
    assert row["rate"] == pytest.approx(births / women * 1000, abs=1e-6)
    infant = partial("infant", 0, 0, "infants", dataset="ed_records")
    infant["infant"] = dataclasses.replace(infant["infant"], causes=("J45",))
    (row,) = run_query(
        births_store, Query("infant", years=(2020,)), policy=OPEN, measures=infant
    ).rows()
    assert row["denominator"] == 30 * 16
    assert row["count"] == sum(1 for r in record_rows() if r[2] == 0)


@pytest.mark.parametrize(
    ("lo", "hi", "population", "message"),
    [
        (
            0,
            17,
            "women",
            "the population covers ages 10-54; measure m needs ages 0-17: ages 0-9 have no population",
        ),
        (
            15,
            60,
            "women",
            "the population covers ages 10-54; measure m needs ages 15-60: ages 55-60 have no population",
        ),
        (0, 120, "women", "needs ages 0-120: ages 0-9 and ages 55-120 have no population"),
        (
            0,
            4,
            "infants",
            "the population covers age 0; measure m needs ages 0-4: ages 1-4 have no population",
        ),
        (5, 5, "infants", "measure m needs age 5: age 5 has no population"),
    ],
)
def test_a_measure_outside_the_population_ages_is_refused_naming_the_gap(
    births_store: Store, lo: int, hi: int, population: str, message: str
):
    measures = partial("m", lo, hi, population)
    with pytest.raises(ValueError, match=message):
        run_query(births_store, Query("m", years=(2020,)), policy=OPEN, measures=measures)


def test_a_cell_without_population_says_why(store: Store):
    by_race = {r["race"]: r for r in query(store, "asthma_ed", by=("race",)) if r["area"] == "X"}
    unknown = by_race["unknown"]  # one visit of unknown race: no population has that race
    assert (unknown["count"], unknown["rate"], unknown["suppressed"]) == (1, None, False)
    assert unknown["suppression_reason"] == "events but no population: no rate"
    assert by_race["nh_white"]["suppression_reason"] is None

    tracts = {
        (r["area"], r["race"]): r for r in query(store, "kids_records", level="tract", by=("race",))
    }
    black = tracts["T2", "nh_black"]  # Black residents live in T1 only, and have no visits
    assert (black["count"], black["denominator"], black["rate"]) == (0, 0, None)
    assert black["suppression_reason"] == "no population: no rate"
    assert tracts["T1", "nh_black"]["suppression_reason"] is None

    # T4 has infants' visits but no infants in its population: a crude rate, and no
    # adjusted rate, naming the age group without population.
    by_tract = {r["area"]: r for r in query(store, "kids_records", level="tract")}
    t4 = by_tract["T4"]
    assert t4["rate"] is not None and t4["adjusted_rate"] is None
    assert t4["suppression_reason"] == "events in ages without population (0): no age-adjusted rate"
    assert by_tract["T3"]["suppression_reason"] is None

    # Hidden cells keep the reason they are hidden for, and tell nothing more.
    hidden = query(store, "asthma_ed", policy=SuppressionPolicy(), by=("race",))
    assert {r["suppression_reason"] for r in hidden if r["race"] == "unknown"} == {"count below 11"}
