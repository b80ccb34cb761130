"""The fast paths give the same results as the straightforward computations they replace."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from powershare.stats import CustomArea, Query, Store, SuppressionPolicy, engine, run_query
from powershare.stats import compute as query_module
from powershare.stats.cube import dense
from powershare.stats.engine import Source, age_code_bins
from powershare.stats.methods import GARWOOD_TABLE_SIZE, gamma_ppf, gammaincinv, poisson_ci

QUERIES = [
    Query("ed_visits_all", years=(2020, 2021, 2022), level="tract", by=("race",)),
    Query("asthma_ed", years=(2022, 2023), level="neighborhood", by=("race", "sex")),
    Query("injury_ed", years=(2021,), level="council_district", by=("age_group", "year")),
    Query("heat_illness", years=(2020, 2024), by=("sex",), ci_method="dobson"),
    Query("asthma_ed_children", years=(2020, 2021), level="tract", by=("age_group",)),
    Query("preterm_births", years=(2022, 2023, 2024), level="neighborhood", by=("race",)),
    Query("elevated_blood_lead", years=(2023,), level="zip", by=("sex", "race")),
]


def _by_strings(store: Store, monkeypatch: pytest.MonkeyPatch) -> Source:
    """A source that ignores the stored integer codes and groups by the text columns."""
    source = Source.duckdb(store)
    monkeypatch.setattr(source, "key_codes", lambda dataset: None)
    return source


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: f"{q.measure}-{'-'.join(q.by)}")
def test_grouping_by_codes_equals_grouping_by_text(county, query, monkeypatch):
    store: Store = county.store
    policy = SuppressionPolicy(record_releases=False)
    coded = Source.duckdb(store)
    assert coded.key_codes("ed_visits") is not None  # the stored codes are used
    fast = run_query(store, query, policy=policy, source=coded)
    plain = run_query(store, query, policy=policy, source=_by_strings(store, monkeypatch))
    assert fast.table.num_rows > 0
    assert fast.table.equals(plain.table)


def test_custom_areas_by_codes_equal_by_text(county, monkeypatch):
    store: Store = county.store
    policy = SuppressionPolicy(record_releases=False, custom_area_min_population=0)
    query = Query(
        "asthma_ed",
        years=(2023,),
        custom_areas=(CustomArea("East", ("neighborhood:N01", "neighborhood:N02")),),
        by=("race",),
    )
    fast = run_query(store, query, policy=policy, source=Source.duckdb(store))
    plain = run_query(store, query, policy=policy, source=_by_strings(store, monkeypatch))
    assert fast.table.equals(plain.table)


def test_dense_reads_dictionary_keys_like_text_keys():
    values = ["a", "b", "c"]
    text = pa.table(
        {"geo": ["c", "a", "x", "c", "a"], "ab": pa.array([0, 1, 1, None, -1], pa.int8())}
    )
    text = text.append_column("n", pa.array([1.0, 2.0, 4.0, 8.0, 16.0]))
    codes = pa.DictionaryArray.from_arrays(
        pa.array([2, 0, 3, 2, 0], pa.int32()), pa.array(["a", "b", "c", "x"])
    )
    coded = text.set_column(0, "geo", codes)
    expected = np.zeros((3, 2))
    expected[2, 0] = 1.0  # "x" isn't listed; null and negative bins (no bin) are dropped
    expected[0, 1] = 2.0
    for table in (text, coded):
        np.testing.assert_array_equal(dense(table, [("geo", values)], 2), expected)


def test_poisson_ci_of_many_counts_equals_the_direct_formula():
    rng = np.random.default_rng(3)
    counts = np.concatenate([rng.integers(0, 40, 500), rng.integers(0, 5000, 500), [0.5, 2.25]])
    lower, upper = poisson_ci(counts, 0.9)
    alpha = 0.1
    with np.errstate(invalid="ignore"):
        direct_lower = np.where(
            counts > 0, gamma_ppf(alpha / 2, np.where(counts > 0, counts, 1)), 0.0
        )
    direct_upper = gamma_ppf(1 - alpha / 2, counts + 1)
    # Equal up to the last bit or so: scipy's inversion isn't bit-stable across array layouts.
    np.testing.assert_allclose(lower, direct_lower, rtol=1e-13, atol=0)
    np.testing.assert_allclose(upper, direct_upper, rtol=1e-13, atol=0)


@settings(max_examples=300, deadline=None)
@given(
    shapes=st.lists(
        st.floats(min_value=1e-3, max_value=1e8, allow_nan=False), min_size=1, max_size=50
    ),
    q=st.floats(min_value=5e-4, max_value=1 - 5e-4),
)
def test_gamma_quantile_equals_scipys_inversion(shapes, q):
    a = np.array(shapes)
    np.testing.assert_allclose(gammaincinv(a, q), special.gammaincinv(a, q), rtol=1e-13, atol=0)


def test_gamma_quantile_of_odd_shapes_is_scipys():
    a = np.array([np.nan, np.inf, 0.0, -1.0, 9.999, 10.0, 1e12])
    np.testing.assert_array_equal(
        np.isnan(gammaincinv(a, 0.975)), np.isnan(special.gammaincinv(a, 0.975))
    )
    assert gammaincinv(np.float64(50.0), 0.025).shape == ()


def test_garwood_limits_from_the_table_equal_the_direct_formula():
    counts = np.array([0, 1, 2, 10, 11, 999, GARWOOD_TABLE_SIZE - 1, GARWOOD_TABLE_SIZE, 10**6])
    counts = np.repeat(counts, 10).astype(float)  # over 64 values: the table is used
    lower, upper = poisson_ci(counts, 0.95)
    small_lower, small_upper = poisson_ci(counts[::10], 0.95)  # 9 values: computed directly
    np.testing.assert_allclose(lower[::10], small_lower, rtol=1e-13, atol=0)
    np.testing.assert_allclose(upper[::10], small_upper, rtol=1e-13, atol=0)


def test_stored_age_groups_map_to_bins_only_when_the_bins_follow_them():
    codes = {"age": ["0", "1-4", "5-9", "10-14", "15+"]}
    np.testing.assert_array_equal(age_code_bins(codes, (0, 5, 15, 121)), [0, 0, 1, 1, 2])
    np.testing.assert_array_equal(age_code_bins(codes, (5, 15)), [-1, -1, 0, 0, -1])
    assert age_code_bins(codes, (0, 18, 121)) is None  # 18 cuts through 15+
    assert age_code_bins({"geo": ["a"]}, (0, 121)) is None  # no stored age groups


def test_the_full_query_groups_by_stored_age_groups(county, monkeypatch):
    """The benchmark's query (all ages, the standard's 19 groups) takes the stored age
    groups, and gets what binning every age gets."""
    store: Store = county.store
    policy = SuppressionPolicy(record_releases=False)
    query = Query("ed_visits_all", years=(2020, 2021), level="tract", by=("race",))
    calls = []
    real = engine.event_aggregate

    def spy(*args, **kwargs):
        calls.append(kwargs.get("by_age_code"))
        return real(*args, **kwargs)

    monkeypatch.setattr(query_module, "event_aggregate", spy)
    by_code = run_query(store, query, policy=policy, source=Source.duckdb(store))
    assert calls == [True]
    monkeypatch.setattr(query_module, "age_code_bins", lambda codes, bounds: None)
    binned = run_query(store, query, policy=policy, source=Source.duckdb(store))
    assert calls == [True, False]
    assert by_code.table.equals(binned.table)
