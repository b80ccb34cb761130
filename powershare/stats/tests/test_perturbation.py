"""Cell key perturbation against an attacker, and against the ONS's own implementation.

The ONS's `cell-key-perturbation` package tabulates microdata and perturbs it with a p-table;
Powershare's engine perturbs aggregates in DuckDB. Fed the same records, keys and table,
both must give the same counts. Its shipped 10-5 rounding table is a real p-table no one on
this team wrote: the engine must read it and apply it as the ONS does.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cell_key_perturbation.create_perturbed_table import create_perturbed_table
from hypothesis import given, settings
from hypothesis import strategies as st

from powershare.stats import CustomArea, PolicyError, Query, SuppressionPolicy, run_query
from powershare.stats.audit import audit_measure
from powershare.stats.geography import load_current
from powershare.stats.perturbation import tile_levels
from powershare.stats.ptable import KEYS, PTable

YEARS = tuple(range(2020, 2025))
AGES = "0-17,18-44,45-64,65+"
ONS_TABLE = Path(sys.prefix) / "ptable_10_5_rule.csv"


def perturbed(**changes) -> SuppressionPolicy:
    fields = dict(method="perturbation", year_block=5, year_origin=2015, age_groups=AGES)
    return SuppressionPolicy(**{**fields, **changes})


TRUTH = SuppressionPolicy(
    min_count=1,
    min_population=0,
    custom_area_min_population=0,
    complementary=False,
    record_releases=False,
    year_block=5,
    year_origin=2015,
    age_groups=AGES,
)


@pytest.mark.parametrize(("noise", "variance", "small"), [(3, 2.0, 2), (5, 4.0, 4), (2, 1.0, 1)])
def test_the_generated_table_moves_no_count_far_and_never_shows_a_small_one(noise, variance, small):
    table = PTable.generate(noise, variance, small)
    assert (table.noise[0] == 0).all(), "an empty cell stays empty"
    for count in range(1, 60):
        row = table.noise[count]
        shown = count + row
        assert np.abs(row).max() <= noise
        assert (shown >= 0).all()
        assert not ((shown >= 1) & (shown <= small)).any(), f"{count} can show as 1..{small}"
        assert row.sum() == 0, f"the noise of {count} is biased: mean {row.mean()}"
    generic = table.noise[40]
    assert abs((generic.astype(float) ** 2).mean() - variance) < 0.1
    assert len(set(generic.tolist())) == 2 * noise + 1, "large counts use every noise value"


def _microdata(seed: int = 3, size: int = 4000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "area": rng.choice([f"A{i}" for i in range(30)], size=size, p=None),
            "sex": rng.choice(["F", "M"], size=size),
            "rkey": rng.integers(0, KEYS, size=size),
        }
    )


@pytest.mark.parametrize("which", ["generated", "ons"])
def test_our_perturbation_agrees_with_the_ons_package(tmp_path, which):
    if which == "generated":
        path = tmp_path / "ptable.csv"
        PTable.generate(3, 2.0, 2).write_csv(path)
    else:
        path = ONS_TABLE
    table = PTable.read_csv(path)
    data = _microdata()
    # Some cells above 750 records, to exercise the table's repeating rows.
    data = pd.concat(
        [data, pd.DataFrame({"area": "big", "sex": "F", "rkey": np.arange(900) % KEYS})]
    )
    theirs = create_perturbed_table(
        data=data,
        ptable=pd.read_csv(path),
        geog=["area"],
        tab_vars=["sex"],
        record_key="rkey",
        threshold=0,
    ).set_index(["area", "sex"])
    grouped = data.groupby(["area", "sex"]).agg(n=("rkey", "size"), k=("rkey", "sum"))
    ours = table.perturb(grouped["n"].to_numpy(), grouped["k"].to_numpy())
    expected = theirs.loc[grouped.index, "count"].astype(int).to_numpy()
    assert (ours == expected).all()
    assert (ours != grouped["n"].to_numpy()).any(), "nothing was perturbed: the test proves nothing"
    if which == "ons":  # the 10-5 rule: below 10 to 0, else rounded to a multiple of 5
        assert set(np.unique(ours % 5).tolist()) == {0}
        assert not ((ours > 0) & (ours < 10)).any()


def test_a_malformed_table_is_refused_with_what_is_wrong(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("count,key,noise\n1,0,0\n")
    with pytest.raises(ValueError, match="header must be pcv,ckey,pvalue"):
        PTable.read_csv(bad)
    bad.write_text('"pcv","ckey","pvalue"\n1,0,-1\n')
    with pytest.raises(ValueError, match="pairs are missing, the first pcv 1, ckey 1"):
        PTable.read_csv(bad)
    bad.write_text('"pcv","ckey","pvalue"\n1,0,-2\n')
    with pytest.raises(ValueError, match="below zero"):
        PTable.read_csv(bad)


def _rows(result):
    return {(r["area"], r.get("race", "total")): r for r in result.rows()}


def test_the_same_records_give_the_same_count_in_every_table(county):
    by_race = run_query(
        county.store,
        Query("asthma_ed", YEARS, level="neighborhood", by=("race",), reference=None),
        policy=perturbed(),
    )
    alone = run_query(
        county.store,
        Query("asthma_ed", YEARS, level="neighborhood", reference=None),
        policy=perturbed(),
    )
    truth = run_query(
        county.store,
        Query("asthma_ed", YEARS, level="neighborhood", reference=None),
        policy=TRUTH,
    )
    race_rows, area_rows = _rows(by_race), _rows(alone)
    true_rows = _rows(truth)
    moved = 0
    for key, row in area_rows.items():
        assert race_rows[key]["count"] == row["count"]
        moved += row["count"] != true_rows[key]["count"]
        assert abs(row["count"] - true_rows[key]["count"]) <= 3
    assert moved, "no count was perturbed: the test proves nothing"
    assert by_race.meta["release"]["method"] == "perturbation"
    assert "need not add up" in by_race.meta["release"]["note"]


def test_subtracting_a_custom_area_from_the_county_gives_noise_not_the_count(county):
    """The attack that beat per-query suppression: the county minus every neighborhood but
    one. Under perturbation it gives the count plus a difference of noises."""
    store = county.store
    base = Query("asthma_ed", YEARS, level="neighborhood", by=("race",), reference=None)
    truth = _rows(run_query(store, base, policy=TRUTH))
    whole = Query("asthma_ed", YEARS, level="county", by=("race",), reference=None)
    county_rows = {r["race"]: r for r in run_query(store, whole, policy=perturbed()).rows()}
    codes = sorted({a for a, _ in truth if a.startswith("N")})
    tried = exact = 0
    for code in codes:
        rest = CustomArea("rest", tuple(f"neighborhood:{c}" for c in codes if c != code))
        q = Query("asthma_ed", YEARS, custom_areas=(rest,), by=("race",), reference=None)
        result = run_query(store, q, policy=perturbed())
        shown = {r.get("race"): r for r in result.rows() if r["area"] == "rest"}
        for race, row in shown.items():
            true = truth[(code, race)]["count"]
            top = county_rows.get(race, {}).get("count")
            if not 0 < true < 11 or top is None or row["count"] is None:
                continue
            tried += 1
            exact += top - row["count"] == true
    assert tried >= 5, "too few small cells attacked: the test proves nothing"
    assert exact < tried * 0.6, f"{exact} of {tried} small counts recovered by subtraction"


def test_the_attacker_pins_no_small_count_under_perturbation(county):
    report = audit_measure(
        county.store,
        "asthma_ed",
        perturbed(),
        levels=["neighborhood"],
        blocks=[(2020, 2024)],
        custom_areas=10,
        sample=25,
    )
    assert report.tables > 8 and report.refused == 0, "the custom areas were not answered"
    assert report.attacked == 25
    assert report.passed, report.text()
    assert report.smallest_width >= 1


def test_a_custom_area_gives_away_a_hidden_units_perturbed_count_and_no_more(county):
    """Why the audit takes every perturbed count as known once custom areas are answered: a
    hidden neighborhood plus a shown one, minus the shown one, is the hidden one's perturbed
    count; a value within the noise of the truth, never the truth itself. (The test county
    is small: no floor on custom areas' residents, so that pairs are answered.)"""
    store, policy = county.store, perturbed(custom_area_min_population=0)
    geo = load_current(store)
    chain = tile_levels(geo, policy)
    q = Query("asthma_ed", YEARS, level="neighborhood", by=("race",), reference=None)
    shown = _rows(run_query(store, q, policy=policy))
    truth = _rows(run_query(store, q, policy=TRUTH))
    hidden = [
        (a, race)
        for (a, race), r in shown.items()
        if a.startswith("N") and r["count"] is None and truth[(a, race)]["count"] > 0
    ]
    recovered = exact = 0
    for code, race in hidden:
        for partner in sorted({a for a, r in shown if a.startswith("N") and a != code}):
            if shown[(partner, race)]["count"] is None:
                continue
            pair = CustomArea("pair", (f"neighborhood:{code}", f"neighborhood:{partner}"))
            if len(geo.tiles(chain, geo.custom_weights(pair))) != 2:
                continue  # the two make up a larger published unit
            pq = Query("asthma_ed", YEARS, custom_areas=(pair,), by=("race",), reference=None)
            rows = {
                r["race"]: r
                for r in run_query(store, pq, policy=policy).rows()
                if r["area"] == "pair"
            }
            if rows[race]["count"] is None:
                continue
            guess = rows[race]["count"] - shown[(partner, race)]["count"]
            true = truth[(code, race)]["count"]
            recovered += 1
            assert guess < policy.min_count, "the difference is the hidden perturbed count"
            assert abs(guess - true) <= policy.perturbation_max_noise
            exact += guess == true
            break
    assert recovered >= 3, "too few hidden cells tried: the test proves nothing"
    assert exact < recovered, "every hidden count came out exact: no noise at all"


def test_the_same_attacker_pins_counts_when_nothing_is_perturbed(county):
    """The audit can fail: with exact custom areas (per-query suppression, no history) the
    subtraction pins small counts down."""
    policy = SuppressionPolicy(
        method="internal",
        year_block=5,
        year_origin=2015,
        age_groups=AGES,
        custom_area_min_population=0,
        record_releases=False,
    )
    report = audit_measure(
        county.store,
        "asthma_ed",
        policy,
        levels=["neighborhood"],
        blocks=[(2020, 2024)],
        custom_areas=8,
        sample=25,
    )
    assert not report.passed
    assert "FAILED" in report.text()


def test_what_perturbation_cannot_release_is_refused_by_rule(county):
    store = county.store
    with pytest.raises(PolicyError, match="splits base units by population share"):
        run_query(store, Query("asthma_ed", YEARS, level="zip", reference=None), policy=perturbed())
    with pytest.raises(PolicyError, match="age groups 0-17,18-44,45-64,65\\+ only"):
        run_query(
            store,
            Query("asthma_ed", YEARS, by=("age_group",), age_groups="0-4,5+", reference=None),
            policy=perturbed(),
        )
    small = CustomArea("Mine", ("neighborhood:N01",))
    with pytest.raises(PolicyError, match="floor") as refused:
        run_query(
            store,
            Query("asthma_ed", YEARS, custom_areas=(small,), reference=None),
            policy=perturbed(custom_area_min_population=10**7),
        )
    assert "differs" not in str(refused.value)


@settings(max_examples=30, deadline=None)
@given(
    noise=st.integers(1, 6),
    small_share=st.floats(0, 0.99),
    variance_share=st.floats(0.05, 0.8),
    counts=st.lists(st.integers(0, 2000), min_size=1, max_size=50),
    keys=st.lists(st.integers(0, 10**6), min_size=50, max_size=50),
)
def test_any_table_keeps_its_promises(noise, small_share, variance_share, counts, keys):
    small = int(small_share * noise)
    table = PTable.generate(noise, max(0.1, variance_share * noise**2), small)
    n = np.array(counts)
    shown = table.perturb(n, np.array(keys[: len(counts)]))
    assert (np.abs(shown - n) <= noise).all()
    assert (shown >= 0).all() and ((shown == 0) | (shown > small)).all()
    assert (shown[n == 0] == 0).all()
    assert (table.perturb(n, np.array(keys[: len(counts)])) == shown).all(), "not repeatable"


def test_no_number_of_custom_areas_tells_more_than_the_published_tables(county):
    """The attack that perturbation alone doesn't stop: "A plus the target neighborhood"
    minus "A", for many areas A. Were each custom area's noise its own, the differences
    would scatter around the hidden count and their mean would find it. A custom area adds
    up the published (perturbed) counts of the units that tile it, so the attacker could
    have worked out every answer from the published tables without asking."""
    store = county.store
    policy = perturbed(custom_area_min_population=0, min_count=1)
    geo = load_current(store)
    chain = tile_levels(geo, policy)
    assert "neighborhood" in chain and "county" in chain
    published: dict[tuple[bytes, str], float] = {}
    for level in chain:
        q = Query("asthma_ed", YEARS, level=level, by=("race",), reference=None)
        codes, m = geo.matrix(level)
        for r in run_query(store, q, policy=policy).rows():
            if r["area"] in codes:
                published[(m[codes.index(r["area"])].tobytes(), r["race"])] = r["count"]
    codes = geo.codes("neighborhood")
    rng = np.random.default_rng(3)
    asked: dict[tuple[str, ...], dict] = {}

    def counts(units: tuple[str, ...]) -> dict:
        if units not in asked:
            area = CustomArea("x", tuple(f"neighborhood:{c}" for c in units))
            q = Query("asthma_ed", YEARS, custom_areas=(area,), by=("race",), reference=None)
            rows = run_query(store, q, policy=policy).rows()
            answer = {r["race"]: r["count"] for r in rows if r["area"] == "x"}
            tiles = geo.tiles(chain, geo.custom_weights(area))
            for race, n in answer.items():
                from_tables = sum(published[(t.tobytes(), race)] for t in tiles)
                assert n == from_tables, f"{units} x {race}: {n}, the tables give {from_tables}"
            asked[units] = answer
        return asked[units]

    tiled_by: set[int] = set()
    for target in geo.codes("neighborhood"):
        others = [c for c in codes if c != target]
        for _ in range(8):
            size = int(rng.integers(1, len(others)))
            a = tuple(sorted(rng.choice(others, size=size, replace=False).tolist()))
            for units in (a, tuple(sorted((*a, target)))):
                counts(units)
                area = geo.custom_weights(
                    CustomArea("x", tuple(f"neighborhood:{c}" for c in units))
                )
                tiled_by |= {int(t.sum()) for t in geo.tiles(chain, area)}
    assert len(asked) > 60, "too few custom areas asked: the test proves nothing"
    # Tiles of several sizes: whole council districts as well as neighborhoods.
    assert len(tiled_by) > 2, tiled_by
