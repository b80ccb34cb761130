"""Differences, exact and mid-p ratios, nested ratios, SMR, several levels, trend and age
groups without population: each against a published example (the source is named)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize
from scipy import stats as sps

from powershare.stats import Query, Store, SuppressionPolicy, run_query
from powershare.stats.indirect import expected_events, standardized_ratio
from powershare.stats.methods import count_limits, direct_adjust, ratio_ci
from powershare.stats.ratios import (
    exact_rate_ratio,
    nested_ratio_ci,
    rate_difference_ci,
)
from powershare.stats.standards import US2000_19
from powershare.stats.trend import annual_percent_change, compare_periods

OPEN = SuppressionPolicy(min_count=1, min_population=0, complementary=False, record_releases=False)

# Rothman KJ, Greenland S, Lash TL. Modern Epidemiology, 3rd ed. (2008), ch. 14: breast cancer
# among women treated for tuberculosis, 41 cases in 28,010 person-years after X-ray
# fluoroscopy against 15 in 19,017 without (the example of epitools' `rateratio`, "Rothman
# 1998, p. 238").
X1, T1, X0, T0 = 41, 28_010, 15, 19_017


def test_rate_difference_rothman():
    r1, r0 = X1 / T1, X0 / T0
    diff, lo, hi = rate_difference_ci(r1, X1 / T1**2, r0, X0 / T0**2, conf_level=0.90)
    # IRD 67.5 per 100,000 person-years, 90% limits 17.1 and 117.9
    assert diff * 1e5 == pytest.approx(67.5, abs=0.05)
    assert (lo * 1e5, hi * 1e5) == pytest.approx((17.1, 117.9), abs=0.1)


def test_wald_rate_ratio_rothman():
    ratio, lo, hi = ratio_ci(X1 / T1, X1 / T1**2, X0 / T0, X0 / T0**2, conf_level=0.90)
    # IRR 1.86, 90% limits 1.13 and 3.05 (se of log IRR sqrt(1/41 + 1/15))
    assert float(ratio) == pytest.approx(1.86, abs=0.005)
    assert (float(lo), float(hi)) == pytest.approx((1.13, 3.05), abs=0.005)


def test_exact_rate_ratio_is_clopper_pearson_on_the_binomial_share():
    ratio, lo, hi = exact_rate_ratio(X1, T1, X0, T0)
    ci = sps.binomtest(X1, X1 + X0).proportion_ci(0.95, method="exact")
    to_rr = lambda p: p / (1 - p) * T0 / T1  # noqa: E731
    assert float(ratio) == pytest.approx(1.8558, abs=1e-4)
    assert (float(lo), float(hi)) == pytest.approx((to_rr(ci.low), to_rr(ci.high)), rel=1e-9)


def _epitools_midp(a: int, b: int, pt1: float, pt0: float, alpha: float = 0.05):
    """epitools' R/rateratio.midp.R, one cell at a time with a root finder (uniroot)."""

    def midprob(p, lower_tail, offset):
        pmf = sps.binom.pmf(a, a + b, p) / 2
        tail = sps.binom.cdf(a - 1, a + b, p) if lower_tail else sps.binom.sf(a, a + b, p)
        return pmf + tail + offset

    s_lo = optimize.brentq(lambda p: midprob(p, False, -alpha / 2), 1e-12, 1 - 1e-12)
    s_hi = optimize.brentq(lambda p: midprob(p, True, -alpha / 2), 1e-12, 1 - 1e-12)
    return s_lo / (1 - s_lo) * pt0 / pt1, s_hi / (1 - s_hi) * pt0 / pt1


def test_midp_rate_ratio_as_epitools():
    ratio, lo, hi = exact_rate_ratio(X1, T1, X0, T0, midp=True)
    want = _epitools_midp(X1, X0, T1, T0)
    assert (float(lo), float(hi)) == pytest.approx(want, rel=1e-7)
    assert (float(lo), float(hi)) == pytest.approx((1.0411, 3.4494), abs=1e-4)
    # mid-p limits lie inside the exact ones
    _, e_lo, e_hi = exact_rate_ratio(X1, T1, X0, T0)
    assert e_lo < lo and hi < e_hi
    # vectorized: several cells at once, zero counts at the edges
    _, lo, hi = exact_rate_ratio(np.array([0, 41]), T1, np.array([15, 0]), T0, midp=True)
    assert lo[0] == 0 and np.isinf(hi[1])


def test_nested_ratio_takes_the_covariance():
    # An area (d events in n person-years) inside a county (D in N): for crude rates the
    # delta method gives var(log RR) = 1/d - 1/D.
    d, n, big_d, big_n = 40.0, 10_000.0, 400.0, 200_000.0
    r1, r2 = d / n, big_d / big_n
    ratio, lo, hi = nested_ratio_ci(r1, d / n**2, r2, big_d / big_n**2, d / (n * big_n))
    se = np.sqrt(1 / d - 1 / big_d)
    z = sps.norm.ppf(0.975)
    assert (float(lo), float(hi)) == pytest.approx(
        (ratio * np.exp(-z * se), ratio * np.exp(z * se))
    )
    _, ind_lo, ind_hi = ratio_ci(r1, d / n**2, r2, big_d / big_n**2)
    assert ind_lo < lo and hi < ind_hi  # narrower than treating them as independent


def test_nested_ratio_coverage():
    # Simulated: the area's rate is the county's; the nested interval covers 1 about 95% of
    # the time (the independent one would cover it more often: it is too wide).
    rng = np.random.default_rng(1)
    d = rng.poisson(50, 4000).astype(float)
    rest = rng.poisson(450, 4000).astype(float)
    n, big_n = 10_000.0, 100_000.0
    big_d = d + rest
    _, lo, hi = nested_ratio_ci(d / n, d / n**2, big_d / big_n, big_d / big_n**2, d / (n * big_n))
    covered = np.mean((lo <= 1) & (1 <= hi))
    assert 0.93 < covered < 0.97


def test_smr_exact_limits():
    # Garwood limits of 5 events, 1.6235 and 11.668 (exact Poisson tables, e.g. Breslow & Day
    # vol. II, table 2.10), over 2 expected events.
    smr, lo, hi = standardized_ratio(5, 2.0)
    assert float(smr) == 2.5
    assert (float(lo), float(hi)) == pytest.approx((1.6235 / 2, 11.6683 / 2), abs=1e-4)
    # PHE's convention (calculate_ISRatio): Byar's from 10 events, exact below
    byar = count_limits(np.array([9.0, 10.0]), 0.95, "byar")
    exact = count_limits(np.array([9.0, 10.0]), 0.95, "exact")
    assert byar[0][0] == exact[0][0] and byar[0][1] != exact[0][1]
    assert byar[0][1] == pytest.approx(10 * (1 - 1 / 90 - 1.959964 / (3 * np.sqrt(10))) ** 3)
    # expected events from the reference's age-specific rates
    e = expected_events(
        np.array([1000.0, 500.0]), np.array([20.0, 60.0]), np.array([10_000.0, 3_000.0])
    )
    assert float(e) == pytest.approx(1000 * 0.002 + 500 * 0.02)


def test_three_age_groups_one_without_population():
    # The example: the US 2000 weights of 0-17, 18-64 and 65+, nobody aged 65+. Keeping
    # 65+'s weight with a rate of 0 gives a rate 12.6% below the renormalized one.
    w = US2000_19.weights_for((0, 18, 65, 121))
    counts, pops = np.array([50.0, 200.0, 0.0]), np.array([10_000.0, 30_000.0, 0.0])
    refused = direct_adjust(counts, pops, w)
    assert refused.undefined and np.isnan(refused.rate)  # PHEindicatormethods refuses too
    renormalized = direct_adjust(counts, pops, w, empty="renormalize")
    kept = float((w[:2] / w.sum() * counts[:2] / pops[:2]).sum())
    assert 1 - kept / float(renormalized.rate) == pytest.approx(0.126, abs=0.0005)


def test_apc_log_linear():
    # Rates rising exactly 5% a year: APC 5 with no width; a noisy series has a t interval
    # (NCI SEER*Stat: APC = 100(e^b - 1), b from the least-squares fit of log rate on year).
    years = np.arange(2015, 2025)
    rates = 50 * 1.05 ** (years - 2015)
    t = annual_percent_change(years, rates, rates * 0.01)
    assert t.apc == pytest.approx(5.0) and t.lower == pytest.approx(5.0)
    noisy = rates * np.exp(np.array([0.02, -0.01, 0.0, 0.03, -0.02, 0.01, -0.03, 0.0, 0.02, -0.01]))
    t = annual_percent_change(years, noisy)
    b, a = np.polyfit(years, np.log(noisy), 1)
    assert t.apc == pytest.approx(100 * np.expm1(b)) and t.lower < t.apc < t.upper
    assert t.significant
    assert annual_percent_change(years[:2], rates[:2]).apc is None
    p = compare_periods(10.0, 1.0, 12.0, 1.0)
    assert p.ratio == pytest.approx(1.2) and p.difference == pytest.approx(2.0)


def test_query_offers_the_methods(tiny_store: Store):
    q = Query(
        "asthma_ed",
        years=(2020, 2021),
        level="neighborhood",
        conf_levels=(0.998,),
        indirect=True,
        ratio_method="midp",
    )
    result = run_query(tiny_store, q, policy=OPEN)
    row = result.rows()[0]
    for column in ("rate_difference", "smr", "expected", "smr_lower_99_8", "rate_lower_99_8"):
        assert column in row
    assert row["rate_lower_99_8"] <= row["rate_lower"] <= row["rate"]
    assert result.meta["methods"]["ratio"] == "midp"
    assert result.meta["methods"]["empty_age_groups"] == "refuse"
    # a hidden cell gives no difference, SMR or ratio
    hiding = SuppressionPolicy(min_count=5, min_population=0, record_releases=False)
    for r in run_query(tiny_store, q, policy=hiding).rows():
        if r["suppressed"]:
            assert r["smr"] is None and r["rate_difference"] is None and r["rate_ratio"] is None
    with pytest.raises(ValueError):
        Query("asthma_ed", years=(2020,), ratio_method="bayes")


def _store_without_older_people(tmp_path) -> Store:
    """The tiny county, but tract T3 has nobody aged 65+ (and T3's 65+ events are dropped)."""
    from powershare.stats import load_events, load_geography, load_population

    from .conftest import tiny_event_rows, tiny_population_rows, write_csv, write_tiny_geography

    store = Store(tmp_path / "store")
    load_geography(store, write_tiny_geography(tmp_path / "geo"))
    people = [
        (*r[:5], 0 if r[1] == "T3" and r[2] == "65+" else r[5]) for r in tiny_population_rows()
    ]
    header = ["year", "geo", "age_group", "sex", "race", "population"]
    load_population(store, write_csv(tmp_path / "pop.csv", header, people))
    events = [r for r in tiny_event_rows() if not (r[1] == "T3" and r[2] >= 65)]
    header = ["date", "tract", "age", "sex", "race", "cause"]
    path = write_csv(tmp_path / "ev.csv", header, events)
    load_events(store, path, dataset="ed_visits", mapping={"geo": "tract"})
    return store


def test_age_groups_without_population_in_a_query(tmp_path):
    store = _store_without_older_people(tmp_path)
    q = Query("asthma_ed", years=(2020, 2021), level="tract", age_groups="0-17,18-64,65+")
    refused = {r["area"]: r for r in run_query(store, q, policy=OPEN).rows()}
    t3 = refused["T3"]
    assert t3["adjusted_rate"] is None and t3["rate"] is not None
    assert t3["adjusted_code"] == "age_no_population"
    assert (
        "ages without population" in t3["suppression_reason"] and "65+" in t3["suppression_reason"]
    )
    renorm = SuppressionPolicy(
        min_count=1,
        min_population=0,
        complementary=False,
        record_releases=False,
        empty_age_groups="renormalize",
    )
    result = run_query(store, q, policy=renorm)
    t3 = {r["area"]: r for r in result.rows()}["T3"]
    assert t3["adjusted_rate"] is not None and t3["adjusted_code"] == "age_renormalized"
    assert "renormalized" in t3["suppression_reason"]
    assert result.meta["methods"]["empty_age_groups"] == "renormalize"
    assert result.meta["methods"]["renormalized_cells"] >= 1
    assert (
        refused["T1"]["adjusted_rate"]
        == {r["area"]: r for r in result.rows()}["T1"]["adjusted_rate"]
    )


def test_cli_query_with_the_methods(tiny_store: Store, tmp_path, capsys):
    import json

    from powershare.stats.cli import main

    out = tmp_path / "q.json"
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"min_count": 1, "min_population": 0, "record_releases": False}))
    args = ["--root", str(tiny_store.root), "-q", "query", "asthma_ed", "--years", "2020-2021"]
    args += ["--level", "neighborhood", "--smr", "--also-conf", "0.998", "--ratio-method", "exact"]
    args += ["--crude-ci", "byar", "--policy", str(policy), "-o", str(out)]
    assert main(args) == 0
    data = json.loads(out.read_text())
    assert data["meta"]["query"]["conf_levels"] == [0.998]
    assert data["meta"]["methods"]["crude_ci"] == "byar"
    assert "smr_upper_99_8" in data["rows"][0]
