"""Queries end to end: known answers on the tiny county, policy refusals, pooled years."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powershare.stats import (
    CustomArea,
    Measure,
    PolicyError,
    Query,
    StandardPopulation,
    Store,
    SuppressionPolicy,
    load_events,
    load_geography,
    load_population,
    run_query,
)
from powershare.stats.methods import direct_adjust, wilson_ci
from powershare.stats.standards import US2000_19

from .conftest import tiny_event_rows, tiny_population_rows, write_csv, write_tiny_geography

OPEN = SuppressionPolicy(min_count=1, min_population=0, complementary=False, record_releases=False)


def rows_by(result, key: str = "area") -> dict:
    return {r[key]: r for r in result.rows()}


def test_counts_rates_and_population_weighted_split(tiny_store: Store):
    result = run_query(tiny_store, Query("asthma_ed", years=(2020, 2021), level="neighborhood"))
    rows = rows_by(result)
    # A = T1 + T2 (30 + 1 unknown race + 12); B = T3 + half of T4 (5 + 20); C = half of T4.
    assert [rows[a]["count"] for a in ("A", "B", "C", "X")] == [43, 25, 20, 88]
    assert [rows[a]["denominator"] for a in ("A", "B", "C", "X")] == [
        48_000,
        36_000,
        12_000,
        96_000,
    ]
    assert rows["C"]["rate"] == pytest.approx(20 / 12_000 * 1e4)
    assert result.meta["age_bins"] == ["0-64", "65+"]  # the standard's bounds that the data has
    # county age-adjusted rate by hand: ages 5/30 -> 0-64, 70 and the unknown-race 40 -> as drawn
    ages = [r[2] for r in tiny_event_rows() if r[5].startswith("J45")]
    counts = np.array([sum(a < 65 for a in ages), sum(a >= 65 for a in ages)], float)
    pops = np.array([4 * 2 * 8000, 4 * 2 * 4000], float)
    weights = US2000_19.weights_for((0, 65, 121))
    expected = direct_adjust(counts, pops, weights)
    assert rows["X"]["adjusted_rate"] == pytest.approx(float(expected.rate) * 1e4, rel=1e-6)
    assert rows["X"]["adjusted_upper"] == pytest.approx(float(expected.upper) * 1e4, rel=1e-6)
    # rate ratio against the county, on the adjusted rates
    assert rows["C"]["rate_ratio"] == pytest.approx(
        rows["C"]["adjusted_rate"] / rows["X"]["adjusted_rate"], rel=1e-3
    )
    assert rows["X"]["rate_ratio"] == 1 and rows["X"]["ratio_lower"] is None
    assert result.meta["data_versions"]["events"]["ed_visits"]


def test_stratum_without_population_and_small_counts(tiny_store: Store):
    result = run_query(
        tiny_store, Query("asthma_ed", years=(2020, 2021), level="county", by=("race",))
    )
    rows = rows_by(result, "race")
    assert (
        rows["unknown"]["suppressed"] and rows["unknown"]["suppression_reason"] == "count below 11"
    )
    # one hidden cell in a row whose total is shown would be recoverable: a second is hidden
    hidden = [r for r in result.rows() if r["suppressed"]]
    assert len(hidden) >= 2
    assert any(r["suppression_reason"] == "complementary" for r in hidden)
    shown = run_query(tiny_store, Query("asthma_ed", years=(2020, 2021), by=("race",)), policy=OPEN)
    unknown = rows_by(shown, "race")["unknown"]
    assert unknown["count"] == 1 and unknown["rate"] is None  # no population: no rate


def test_zero_counts_and_empty_age_groups(tiny_store: Store):
    injury = Measure("inj", "Injury", "ed_visits", causes=("S00-T14",), per=100_000)
    q = Query(injury, years=(2020,), level="tract", by=("age_group",), age_groups="0-17,18-64,65+")
    rows = [r for r in run_query(tiny_store, q, policy=OPEN).rows()]
    t2 = {r["age_group"]: r for r in rows if r["area"] == "T2"}
    assert t2["18-64"]["count"] == 1 and t2["0-17"]["count"] == 0 and t2["65+"]["rate"] == 0
    assert t2["0-17"]["rate_upper"] > 0  # an exact upper limit even for zero events
    t1 = {r["age_group"]: r for r in rows if r["area"] == "T1"}
    assert t1["total"]["count"] == 0 and t1["total"]["adjusted_rate"] == 0


def test_custom_area_crossing_levels_and_release_registry(tiny_store: Store):
    policy = SuppressionPolicy(custom_area_min_population=5000)
    campaign = CustomArea("Campaign", ("neighborhood:A", "tract:T3", "tract:T1"))
    rows = rows_by(
        run_query(
            tiny_store,
            Query("asthma_ed", years=(2020, 2021), custom_areas=(campaign,)),
            policy=policy,
        )
    )
    assert rows["Campaign"]["count"] == 31 + 12 + 5  # T1 counted once
    assert rows["Campaign"]["denominator"] == 72_000
    assert rows["X"]["count"] == 88  # the county comes along as the reference
    # differs from the released "Campaign" by T4 (12,000 residents): allowed at a 5,000 floor...
    other = CustomArea("Other", ("neighborhood:A", "tract:T3", "tract:T4"))
    run_query(tiny_store, Query("asthma_ed", years=(2020,), custom_areas=(other,)), policy=policy)
    # ...but not at 15,000; nor one differing from the neighborhood Alder by T3 alone
    strict = SuppressionPolicy(custom_area_min_population=15_000)
    # The refusal names the rule, never the other area or the size of the difference.
    with pytest.raises(PolicyError, match="too close to an area already released") as refused:
        run_query(
            tiny_store,
            Query(
                "asthma_ed",
                years=(2020,),
                custom_areas=(
                    CustomArea("Third", ("tract:T1", "tract:T2", "tract:T3", "tract:T4")),
                ),
            ),
            policy=strict,
        )
    assert "Campaign" not in str(refused.value) and "12,000" not in str(refused.value)
    with pytest.raises(PolicyError, match="the neighborhood 'Alder'"):
        run_query(
            tiny_store,
            Query(
                "asthma_ed",
                years=(2020,),
                custom_areas=(CustomArea("Near A", ("neighborhood:A", "tract:T3")),),
            ),
            policy=SuppressionPolicy(custom_area_min_population=12_001),
        )
    with pytest.raises(PolicyError, match="floor"):
        run_query(
            tiny_store,
            Query("asthma_ed", years=(2020,), custom_areas=(CustomArea("Tiny", ("tract:T1",)),)),
            policy=SuppressionPolicy(custom_area_min_population=50_000),
        )
    names = [
        a.name
        for a in __import__("powershare.stats", fromlist=["x"]).ReleaseRegistry(tiny_store).areas()
    ]
    assert names == ["Campaign", "Other"]


def test_policy_limits(tiny_store: Store):
    with pytest.raises(PolicyError, match="tract level"):
        run_query(
            tiny_store,
            Query("asthma_ed", years=(2020,), level="tract"),
            policy=SuppressionPolicy(allowed_levels=("neighborhood", "county")),
        )
    with pytest.raises(PolicyError, match="rows"):
        run_query(
            tiny_store,
            Query("asthma_ed", years=(2020,), level="tract", by=("race", "sex")),
            policy=SuppressionPolicy(max_rows=10),
        )
    with pytest.raises(PolicyError, match="age groups"):
        run_query(
            tiny_store,
            Query("asthma_ed", years=(2020,), by=("age_group",), age_groups="0-17,18+"),
            policy=SuppressionPolicy(
                method="suppression", year_block=1, age_groups="0-17,18-64,65+"
            ),
        )
    with pytest.raises(ValueError, match="don't align"):
        run_query(
            tiny_store, Query("asthma_ed", years=(2020,), by=("age_group",), age_groups="0-4,5+")
        )
    with pytest.raises(TypeError):
        SuppressionPolicy(min_count="11")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown policy fields"):
        SuppressionPolicy.from_mapping({"k": 3})


def test_other_standards_and_dobson(tiny_store: Store):
    custom = StandardPopulation.from_mapping("flat", {"0-64": 1, "65+": 1})
    base = Query("asthma_ed", years=(2020, 2021))
    for q in (
        Query("asthma_ed", years=(2020, 2021), standard="esp2013"),
        Query("asthma_ed", years=(2020, 2021), standard=custom, ci_method="dobson", conf_level=0.9),
    ):
        row = run_query(tiny_store, q).rows()[0]
        assert row["adjusted_lower"] < row["adjusted_rate"] < row["adjusted_upper"]
    r95 = run_query(tiny_store, base).rows()[0]
    r90 = run_query(tiny_store, Query("asthma_ed", years=(2020, 2021), conf_level=0.9)).rows()[0]
    assert r90["rate_upper"] < r95["rate_upper"]


def test_proportion_with_wilson_interval(county):
    result = run_query(
        county.store, Query("preterm_births", years=(2022, 2023, 2024), level="county")
    )
    row = result.rows()[0]
    lo, hi = wilson_ci(row["count"], row["denominator"])
    assert row["rate"] == pytest.approx(100 * row["count"] / row["denominator"], rel=1e-6)
    assert (row["rate_lower"], row["rate_upper"]) == pytest.approx((100 * lo, 100 * hi), rel=1e-5)
    assert 5 < row["rate"] < 15 and row["adjusted_rate"] is None
    by_race = rows_by(
        run_query(
            county.store,
            Query(
                "preterm_births",
                years=tuple(range(2015, 2025)),
                by=("race",),
                reference="race=nh_white",
            ),
        ),
        "race",
    )
    assert by_race["nh_black"]["rate"] > by_race["nh_white"]["rate"]
    assert by_race["nh_white"]["rate_ratio"] == 1


def test_reference_group_and_synthetic_disparities(county):
    q = Query(
        "asthma_ed",
        years=(2020, 2021, 2022, 2023, 2024),
        level="county",
        by=("race",),
        reference="race=nh_white",
    )
    rows = rows_by(run_query(county.store, q), "race")
    assert rows["nh_black"]["rate_ratio"] > 2 and rows["nh_black"]["ratio_significant"]


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sets(st.integers(2015, 2024), min_size=2, max_size=4))
def test_pooled_years_add_up(county, years):
    def counts(ys):
        res = run_query(
            county.store,
            Query("injury_ed", years=tuple(ys), level="neighborhood", by=("sex",)),
            policy=OPEN,
        )
        return {(r["area"], r["sex"]): (r["count"], r["denominator"]) for r in res.rows()}

    pooled = counts(sorted(years))
    singles = [counts([y]) for y in sorted(years)]
    for key, (n, d) in pooled.items():
        assert n == pytest.approx(sum(s.get(key, (0, 0))[0] for s in singles))
        assert d == pytest.approx(sum(s.get(key, (0, 0))[1] for s in singles))


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.randoms(use_true_random=False))
def test_rates_invariant_to_row_order(tmp_path_factory, random):
    tmp = tmp_path_factory.mktemp("order")
    results = []
    for shuffle in (False, True):
        rows = tiny_event_rows() + tiny_population_rows()[:0]
        if shuffle:
            random.shuffle(rows)
        pop = tiny_population_rows()
        if shuffle:
            random.shuffle(pop)
        store = Store(tmp / f"s{shuffle}")
        load_geography(store, write_tiny_geography(tmp / f"g{shuffle}"))
        load_population(
            store,
            write_csv(
                tmp / f"p{shuffle}.csv",
                ["year", "geo", "age_group", "sex", "race", "population"],
                pop,
            ),
        )
        load_events(
            store,
            write_csv(
                tmp / f"e{shuffle}.csv", ["date", "geo", "age", "sex", "race", "cause"], rows
            ),
            dataset="ed_visits",
        )
        q = Query("asthma_ed", years=(2020, 2021), level="neighborhood", by=("sex",))
        results.append(run_query(store, q).table)
    assert results[0].equals(results[1])


def test_result_outputs(tiny_store: Store, tmp_path: Path):
    result = run_query(tiny_store, Query("asthma_ed", years=(2020,), level="neighborhood"))
    for fmt in ("csv", "json", "parquet"):
        path = result.write(tmp_path / f"out.{fmt}")
        assert path.stat().st_size > 0
    obj = result.to_json_obj()
    assert obj["meta"]["policy"]["min_count"] == 11 and len(obj["rows"]) == 4
    assert (
        pc.sum(result.table["suppressed"].cast("int8")).as_py() == result.meta["suppressed_cells"]
    )


def test_two_close_custom_areas_in_one_query_are_refused(tiny_store: Store):
    # each is at least 12,000 residents from every standard unit, but only 6,000 (half of T4,
    # the neighborhood Cedar) from each other
    near = (
        CustomArea("One", ("tract:T1", "tract:T3")),
        CustomArea("Two", ("tract:T1", "tract:T3", "neighborhood:C")),
    )
    with pytest.raises(PolicyError, match="too close to custom area 'One' in the same query"):
        run_query(
            tiny_store,
            Query("asthma_ed", years=(2020,), custom_areas=near),
            policy=SuppressionPolicy(custom_area_min_population=7_000),
        )


def test_a_long_lived_source_sees_reloaded_data(tiny_store: Store, tmp_path: Path):
    from powershare.stats import Source

    source = Source.duckdb(tiny_store)
    q = Query("asthma_ed", years=(2020, 2021))
    assert run_query(tiny_store, q, source=source).rows()[0]["count"] == 88
    rows = [r for r in tiny_event_rows() if r[1] != "T4"]
    load_events(
        tiny_store,
        write_csv(tmp_path / "fewer.csv", ["date", "geo", "age", "sex", "race", "cause"], rows),
        dataset="ed_visits",
        replace=True,
    )
    assert run_query(tiny_store, q, source=source).rows()[0]["count"] == 48
