"""The release model against an attacker: every released table, one protection, no recovery.

The attacker is `audit` (linear programming over everything released); it must fail against
the protected release, and succeed against per-query suppression, the engine's old way.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powershare.stats import CustomArea, PolicyError, Query, SuppressionPolicy, release, run_query
from powershare.stats.attack import Knowledge, intervals
from powershare.stats.audit import audit_measure
from powershare.stats.protect import Hierarchy, Structure, default_cost, protect
from powershare.stats.protection_lp import Confined
from powershare.stats.subtables import Subtables

YEARS = tuple(range(2020, 2025))
LEVELS = ("neighborhood", "council_district", "county")


def released(**changes) -> SuppressionPolicy:
    fields = dict(
        method="suppression",
        year_block=5,
        year_origin=2015,
        age_groups="0-17,18-44,45-64,65+",
        allowed_levels=LEVELS,
    )
    return SuppressionPolicy(**{**fields, **changes})


@pytest.mark.parametrize("measure", ["asthma_ed", "preterm_births"])
def test_the_attacker_recovers_no_small_count_from_the_release(county, measure):
    report = audit_measure(county.store, measure, released(), blocks=[(2020, 2024)])
    assert report.hidden_small > 0, "nothing small to attack: the test would prove nothing"
    assert report.passed, report.text()
    assert report.smallest_width >= 10
    assert "PASSED" in report.text()


def test_the_same_attacker_beats_per_query_suppression(county):
    old = SuppressionPolicy(year_block=5, year_origin=2015, age_groups="0-17,18-44,45-64,65+")
    report = audit_measure(county.store, "asthma_ed", old, levels=LEVELS, blocks=[(2020, 2024)])
    assert not report.passed
    assert report.smallest_width < 10
    assert "FAILED" in report.text()


def test_a_cell_is_hidden_alike_in_every_table_it_appears_in(county):
    policy = released()

    def cells(level, by):
        rows = run_query(
            county.store, Query("asthma_ed", YEARS, level=level, by=by), policy=policy
        ).rows()
        return {
            (r["area"], r.get("race", "total")): r["suppressed"]
            for r in rows
            if r.get("age_group", "total") == "total"
        }

    by_race = cells("neighborhood", ("race",))
    assert any(by_race.values()) and not all(by_race.values())
    assert cells("neighborhood", ("race", "age_group")) == by_race
    by_district = cells("council_district", ("race",))
    for race in {r for _, r in by_race}:
        assert by_district[("99001", race)] == by_race[("99001", race)]
    assert cells("neighborhood", ())[("N01", "total")] == by_race[("N01", "total")]


def test_what_lies_outside_the_cube_is_refused_with_the_rule_only(county):
    policy = released()
    # The policy's own numbers (age groups, years, blocks) may be named; nothing else.
    allowed = {"0", "17", "18", "44", "45", "64", "65", "5", "2020", "2024", "2019", "2015"}
    refusals = [
        Query("asthma_ed", YEARS, custom_areas=(CustomArea("Mine", ("neighborhood:N01",)),)),
        Query("asthma_ed", YEARS, level="zip"),
        Query("asthma_ed", YEARS, level="tract"),
        Query("asthma_ed", YEARS, by=("age_group",), age_groups="0-4,5+"),
        Query("asthma_ed", YEARS, by=("sex",)),
        Query("asthma_ed", (2020, 2021, 2022)),
    ]
    for q in refusals:
        with pytest.raises(PolicyError) as refused:
            run_query(county.store, q, policy=policy)
        numbers = set(re.findall(r"\d[\d.]*", str(refused.value).replace(",", " ")))
        assert numbers <= allowed, str(refused.value)  # never a hidden count or population


def test_adjusted_rates_are_shown_only_where_every_age_group_is(county):
    policy = released()
    q = Query("asthma_ed", YEARS, level="neighborhood", by=("race",))
    rows = run_query(county.store, q, policy=policy).rows()
    by_age = run_query(
        county.store,
        Query("asthma_ed", YEARS, level="neighborhood", by=("race", "age_group")),
        policy=policy,
    ).rows()
    hidden_groups = {(r["area"], r["race"]) for r in by_age if r["suppressed"]}
    shown_with_hidden_groups = 0
    for r in rows:
        if (r["area"], r["race"]) in hidden_groups:
            assert r["adjusted_rate"] is None and r["rate_ratio"] is None
            if not r["suppressed"]:
                shown_with_hidden_groups += 1
                assert r["count"] is not None and r["rate"] is not None
    assert rows[0]["suppression_reason"] in (None, "protected below 11")


def test_the_pattern_is_computed_once_and_kept_beside_the_data(county, monkeypatch):
    policy = released(min_count=7)
    q = Query("heat_illness", YEARS, level="neighborhood")
    first = run_query(county.store, q, policy=policy)
    assert first.meta["release"]["method"] == "suppression"
    assert list((county.store.root / release.RELEASES).glob("*.npz"))
    release._patterns.clear()

    def fail(*args, **kwargs):
        raise AssertionError("the protection ran again")

    monkeypatch.setattr(release, "protect", fail)
    again = run_query(county.store, q, policy=policy)
    assert again.rows() == first.rows()


@st.composite
def cubes(draw):
    """A small area tree (leaves in groups under a root) x one or two flat strata."""
    groups = draw(st.lists(st.integers(2, 4), min_size=2, max_size=3))
    codes, parent = [], []
    leaves = sum(groups)
    for g, size in enumerate(groups):
        for _ in range(size):
            codes.append(f"t{len(codes)}")
            parent.append(leaves + g)
    for g in range(len(groups)):
        codes.append(f"g{g}")
        parent.append(leaves + len(groups))
    codes.append("root")
    parent.append(-1)
    axes = [Hierarchy("area", tuple(codes), tuple(parent))]
    for k in range(draw(st.integers(1, 2))):
        n = draw(st.integers(2, 4))
        axes.append(Hierarchy.flat(f"s{k}", [f"v{i}" for i in range(n)], "T"))
    structure = Structure(tuple(axes))
    inner_shape = [leaves] + [len(a.codes) - 1 for a in axes[1:]]
    seed = draw(st.integers(0, 2**31))
    rng = np.random.default_rng(seed)
    inner = rng.poisson(draw(st.floats(1.0, 12.0)), size=inner_shape).astype(float)
    return structure, _full(structure, inner, groups)


def _full(structure: Structure, inner: np.ndarray, groups: list[int]) -> np.ndarray:
    """Inner cells with every margin (area tree, then each flat axis's total)."""
    bounds = np.cumsum([0, *groups])
    g = np.stack([inner[a:b].sum(axis=0) for a, b in zip(bounds, bounds[1:], strict=False)])
    area = np.concatenate([inner, g, inner.sum(axis=0, keepdims=True)])
    for axis in range(1, area.ndim):
        area = np.concatenate([area, area.sum(axis=axis, keepdims=True)], axis=axis)
    assert area.shape == structure.shape
    return area.ravel()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cubes(), st.integers(3, 11))
def test_every_small_cell_of_a_random_cube_keeps_its_interval(cube, k):
    structure, values = cube
    assert np.abs(structure.equations() @ values).max() == 0
    primary = (values > 0) & (values < k)
    result = protect(structure, values, primary, width=k - 1)
    assert result.hidden[primary].all()
    if not primary.any():
        return
    atoms = structure.membership()
    shown = ~result.hidden
    knowledge = Knowledge(atoms[shown], values[shown], values[shown])
    low, high = intervals(knowledge, atoms[np.flatnonzero(primary)])
    assert (high - low >= k - 1 - 1e-6).all(), (high - low).min()


def test_the_clean_up_shows_again_what_later_patterns_made_unneeded():
    groups = [4, 4, 4, 4]
    codes = [f"t{i}" for i in range(16)] + [f"g{g}" for g in range(4)] + ["root"]
    parent = [16 + i // 4 for i in range(16)] + [20] * 4 + [-1]
    axes = (
        Hierarchy("area", tuple(codes), tuple(parent)),
        Hierarchy.flat("race", [f"r{i}" for i in range(5)], "T"),
        Hierarchy.flat("age", [f"a{i}" for i in range(5)], "T"),
    )
    structure = Structure(axes)
    inner = np.random.default_rng(1).poisson(15.0, size=(16, 5, 5)).astype(float)
    values = _full(structure, inner, groups)
    primary = (values > 0) & (values < 11)
    first_pass = protect(structure, values, primary, width=10, clean=False)
    cleaned = protect(structure, values, primary, width=10)
    assert cleaned.stats["before_clean_up"] == first_pass.secondary
    assert cleaned.secondary < first_pass.secondary * 0.95
    assert not (cleaned.hidden & ~first_pass.hidden).any()  # it only shows cells again
    atoms = structure.membership()
    shown = ~cleaned.hidden
    low, high = intervals(
        Knowledge(atoms[shown], values[shown], values[shown]), atoms[np.flatnonzero(primary)]
    )
    assert (high - low >= 10 - 1e-6).all()


def test_the_cli_protects_and_audits(county, tmp_path, capsys):
    import json

    from powershare.stats.cli import main

    released_file = tmp_path / "released.json"
    released_file.write_text(json.dumps({**released().to_dict(), "allowed_levels": list(LEVELS)}))
    root = ["--root", str(county.store.root), "-q"]
    assert main([*root, "protect", "injury_ed", "--policy", str(released_file)]) == 0
    out = capsys.readouterr().out
    assert "injury_ed 2020-2024:" in out and "more hidden to protect them" in out
    args = ["audit", "injury_ed", "--block", "2020-2024"]
    assert main([*root, *args, "--policy", str(released_file)]) == 0
    assert "PASSED" in capsys.readouterr().out
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"year_block": 5, "year_origin": 2015, "age_groups": "0-17,18+"}))
    levels = [a for lv in LEVELS for a in ("--level", lv)]
    old_args = ["audit", "asthma_ed", "--block", "2020-2024", "--policy", str(old), *levels]
    assert main([*root, *old_args]) == 3  # per-query suppression leaks
    assert "FAILED" in capsys.readouterr().out
    assert main([*root, "protect", "--policy", str(old)]) == 1  # not a release method
    assert "release method" in capsys.readouterr().err


def _county(seed: int) -> tuple[Structure, np.ndarray]:
    """Tracts under neighborhoods under districts under a county, by race."""
    codes = [f"t{i}" for i in range(12)] + [f"n{i}" for i in range(4)] + ["d0", "d1", "county"]
    parent = [12 + i // 3 for i in range(12)] + [16, 16, 17, 17] + [-1, -1, -1]
    parent[16] = parent[17] = 18
    axes = (
        Hierarchy("area", tuple(codes), tuple(parent)),
        Hierarchy.flat("race", [f"r{i}" for i in range(4)], "T"),
    )
    structure = Structure(axes)
    inner = np.random.default_rng(seed).poisson(20.0, size=(12, 4)).astype(float)
    return structure, np.asarray(structure.membership() @ inner.ravel())


def _rows_moved(structure: Structure, change: np.ndarray) -> set[int]:
    moved = np.flatnonzero(np.abs(change) > 1e-9)
    return set(np.unravel_index(moved, structure.shape)[0].tolist())


def _keeps_the_cube(structure: Structure, values: np.ndarray, change: np.ndarray) -> bool:
    return bool(
        np.abs(structure.equations() @ change).max() < 1e-9 and (values + change >= -1e-9).all()
    )


def test_a_tracts_change_is_looked_for_inside_its_neighborhood_first():
    structure, values = _county(3)
    programs = Subtables(structure, values, np.ones(values.size))
    p = int(np.ravel_multi_index((4, 2), structure.shape))  # t4, in n1, in d0
    change = programs.try_solve(p, 7.0, up=True)
    assert change is not None and change[p] >= 7.0 - 1e-9
    assert _keeps_the_cube(structure, values, change)
    assert _rows_moved(structure, change) <= {3, 4, 5}  # n1's tracts; n1's own row still
    assert programs.whole == 0


def test_a_neighborhoods_change_is_carried_down_to_its_tracts_and_up_to_its_district():
    structure, values = _county(5)
    programs = Subtables(structure, values, np.ones(values.size))
    q = int(np.ravel_multi_index((13, 1), structure.shape))  # n1's row
    change = programs.try_solve(q, 9.0, up=False)
    assert change is not None and change[q] <= -9.0 + 1e-9
    assert _keeps_the_cube(structure, values, change)
    rows = _rows_moved(structure, change)
    assert rows & {3, 4, 5}  # n1's tracts took n1's change
    assert rows & {12, 16}  # and n0 (against n1) or d0 took it above
    assert programs.whole == 0
    top = int(np.ravel_multi_index((18, 4), structure.shape))  # the county's total
    change = programs.try_solve(top, 5.0, up=True)
    assert change is not None and _keeps_the_cube(structure, values, change)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cubes(), st.integers(0, 2**31), st.floats(0.1, 0.9))
def test_a_change_put_together_from_subtables_keeps_every_total(cube, seed, share):
    # Among hidden cells only (the clean-up's programs), pieces may not fit together; the
    # whole cube's program then answers, so a change is found exactly when one exists.
    structure, values = cube
    rng = np.random.default_rng(seed)
    hidden = rng.random(values.size) < share
    cells = np.flatnonzero(hidden & (values > 0))
    if not cells.size:
        return
    cost = default_cost(structure, values)
    pieces = Subtables(structure, values, cost, allowed=hidden)
    whole = Confined(structure, values, cost, allowed=hidden)
    for p in rng.choice(cells, size=min(5, cells.size), replace=False):
        for up in (True, False):
            need = float(min(values[p], 3.0))
            change = pieces.try_solve(int(p), need, up)
            assert (change is None) == (whole.try_solve(int(p), need, up) is None)
            if change is not None:
                assert _keeps_the_cube(structure, values, change)
                assert not (np.abs(change) > 1e-9)[~hidden].any()
                assert (change[p] >= need - 1e-9) if up else (change[p] <= -need + 1e-9)
