"""Methods against published worked examples with known answers."""

import numpy as np
import pytest

from powershare.stats.methods import (
    byars_ci,
    direct_adjust,
    poisson_ci,
    ratio_ci,
    relative_standard_error,
    wilson_ci,
)
from powershare.stats.standards import ESP2013, US2000_11, US2000_19, adjustment_bounds

# Fleiss (1981) p. 249, Down syndrome births by maternal age and birth order; the example of
# epitools::ageadjust.direct, which "recreates Table 1 of Fay and Feuer (1997)". The standard
# is the mean population of the five birth orders. Published results (per live birth, 3
# significant figures) from the tidyrates README, which wraps epitools:
#   k1  crude 0.000563 adj 0.000923 lci 0.000804 uci 0.00106
#   k2  crude 0.000676 adj 0.000912 lci 0.000824 uci 0.00101
#   k3  crude 0.000833 adj 0.000851 lci 0.000772 uci 0.000942
#   k4  crude 0.00115  adj 0.000927 lci 0.000800 uci 0.00115
#   k5+ crude 0.00167  adj 0.000755 lci 0.000677 uci 0.00188
FLEISS_POP = np.array(
    [
        [230061, 329449, 114920, 39487, 14208, 3052],
        [72202, 326701, 208667, 83228, 28466, 5375],
        [15050, 175702, 207081, 117300, 45026, 8660],
        [2293, 68800, 132424, 98301, 46075, 9834],
        [327, 30666, 123419, 149919, 104088, 34392],
    ],
    dtype=float,
)
FLEISS_COUNT = np.array(
    [
        [107, 141, 60, 40, 39, 25],
        [25, 150, 110, 84, 82, 39],
        [3, 71, 114, 103, 108, 75],
        [1, 26, 64, 89, 137, 96],
        [0, 8, 63, 112, 262, 295],  # note the zero count in the youngest group
    ],
    dtype=float,
)
FLEISS_EXPECTED = np.array(
    [
        [0.000563, 0.000923, 0.000804, 0.00106],
        [0.000676, 0.000912, 0.000824, 0.00101],
        [0.000833, 0.000851, 0.000772, 0.000942],
        [0.00115, 0.000927, 0.000800, 0.00115],
        [0.00167, 0.000755, 0.000677, 0.00188],
    ]
)


def sig3(x: np.ndarray) -> np.ndarray:
    return np.array([float(f"{v:.3g}") for v in np.ravel(x)]).reshape(np.shape(x))


def test_fay_feuer_gamma_interval_matches_epitools_fleiss_example():
    standard = FLEISS_POP.mean(axis=0)
    adj = direct_adjust(FLEISS_COUNT, FLEISS_POP, standard, 0.95, "gamma")
    crude = FLEISS_COUNT.sum(1) / FLEISS_POP.sum(1)
    got = np.column_stack([crude, adj.rate, adj.lower, adj.upper])
    np.testing.assert_array_equal(sig3(got), FLEISS_EXPECTED)
    assert standard.round(1).tolist() == [63986.6, 186263.6, 157302.2, 97647.0, 47572.6, 12262.6]


# PHEindicatormethods' Python port (tests/test_methods.py) publishes:
#   byars(100) == (81.36210549052788, 121.62458755509265)
#   wilson(100, 10000) == (0.8229336148148417, 1.2146982255114647)   [percent]
#   phe_dsr(obs, pop) == (9832.763039564017, 9232.668299548477, 10461.61759955204)
#     with the 2013 European standard in 19 groups (90+ = 1000), per 100,000, Dobson CI.
def test_byars_matches_phe():
    lo, hi = byars_ci(100)
    assert lo == pytest.approx(81.36210549052788, rel=1e-12)
    # The port's upper limit differs from Breslow & Day's formula in the 5th digit.
    assert hi == pytest.approx(121.62458755509265, rel=5e-5)


def test_wilson_matches_phe():
    lo, hi = wilson_ci(100, 10000)
    assert 100 * lo == pytest.approx(0.8229336148148417, rel=1e-10)
    assert 100 * hi == pytest.approx(1.2146982255114647, rel=1e-10)


def test_dobson_dsr_matches_phe():
    obs = [50, 55, 55, 55, 60, 60, 65, 70, 70, 70, 70, 65, 60, 55, 50, 40, 25, 15, 10]
    pop = [
        509,
        559,
        559,
        559,
        609,
        609,
        659,
        709,
        709,
        709,
        709,
        659,
        609,
        559,
        509,
        409,
        259,
        159,
        109,
    ]
    esp19 = list(ESP2013.population[:18]) + [ESP2013.population[18] + ESP2013.population[19]]
    adj = direct_adjust(np.array(obs, float), np.array(pop, float), np.array(esp19), 0.95, "dobson")
    assert 1e5 * adj.rate == pytest.approx(9832.763039564017, rel=1e-9)
    assert 1e5 * adj.lower == pytest.approx(9232.668299548477, rel=1e-9)
    assert 1e5 * adj.upper == pytest.approx(10461.61759955204, rel=5e-6)  # see Byar's note


def test_garwood_exact_poisson_limits():
    # Classic tables of exact Poisson limits (e.g. Ulm 1990, Am J Epidemiol 131:373):
    # x=0: (0, 3.689); x=1: (0.0253, 5.572); x=10: (4.795, 18.39); x=100: (81.36, 121.63)
    lo, hi = poisson_ci(np.array([0, 1, 10, 100]))
    np.testing.assert_allclose(lo, [0, 0.02532, 4.7954, 81.3639], atol=5e-4)
    np.testing.assert_allclose(hi, [3.6889, 5.5716, 18.3904, 121.6268], atol=5e-4)


def test_us2000_standards_match_nchs():
    # 274,633,642 total (Census P25-1130 via NCHS/SEER); 11-group weights from NVSR 47(3) table I.
    assert sum(US2000_19.population) == 274_633_642
    assert sum(US2000_11.population) == 1_000_000
    collapsed = US2000_19.weights_for([0, 1, 5, 15, 25, 35, 45, 55, 65, 75, 85, 121])
    published = np.array(US2000_11.population) / 1e6
    np.testing.assert_allclose(
        collapsed, published, atol=2.5e-6
    )  # NCHS computed them from thousands
    assert sum(ESP2013.population) == 100_000


def test_adjustment_bounds_use_finest_common_groups():
    data = [0, 1, 5, 10, 15, 18, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 121]
    assert len(adjustment_bounds(US2000_19, data, 0, 120)) - 1 == 19
    assert len(adjustment_bounds(US2000_11, data, 0, 120)) - 1 == 11
    # ESP 2013 collapses 85-89, 90-94 and 95+ into the data's 85+.
    assert adjustment_bounds(ESP2013, data, 0, 120)[-2:] == (85, 121)
    # a measure restricted to children: the 15-24 standard group is cut at 18
    assert adjustment_bounds(US2000_11, data, 0, 17) == (0, 1, 5, 15, 18)
    w = US2000_11.weights_for((0, 1, 5, 15, 18))
    assert w.sum() == pytest.approx(1)


def test_zero_counts_and_empty_age_groups():
    # all zero: rate 0, lower 0, a finite upper limit
    adj = direct_adjust(np.zeros(3), np.array([100.0, 200, 300]), np.array([1.0, 1, 1]))
    assert adj.rate == 0 and adj.lower == 0 and 0 < adj.upper < 1
    # an age group with neither population nor events: refused (PHEindicatormethods refuses
    # zero denominators), or its weight spread over the other group
    adj = direct_adjust(np.array([5.0, 0]), np.array([1000.0, 0]), np.array([1.0, 1]))
    assert np.isnan(adj.rate) and adj.undefined
    adj = direct_adjust(
        np.array([5.0, 0]), np.array([1000.0, 0]), np.array([1.0, 1]), empty="renormalize"
    )
    assert adj.rate == pytest.approx(0.005) and not adj.undefined
    # events without population: undefined either way
    for empty in ("refuse", "renormalize"):
        adj = direct_adjust(
            np.array([5.0, 1]), np.array([1000.0, 0]), np.array([1.0, 1]), empty=empty
        )
        assert np.isnan(adj.rate) and adj.undefined


def test_rse_and_ratio():
    assert relative_standard_error(10.0, 4.0) == pytest.approx(20.0)
    assert np.isnan(relative_standard_error(0.0, 0.0))
    ratio, lo, hi = ratio_ci(2.0, 0.04, 1.0, 0.01)
    assert ratio == 2.0 and lo < 2.0 < hi


@pytest.mark.parametrize("cells", [10, 1_000_000])
def test_background_work_gives_its_result_or_its_error_to_the_caller(cells):
    import threading

    from powershare.stats.methods import in_background

    ran_on = []

    def work() -> int:
        ran_on.append(threading.current_thread())
        return 42

    assert in_background(work, cells)() == 42
    # Small work runs at once on the caller's thread (a thread costs more than it saves).
    assert (ran_on[0] is threading.current_thread()) == (cells < 20_000)

    def broken() -> int:
        raise ValueError("no limits")

    waiting = in_background(broken, cells)  # the error waits for the caller
    with pytest.raises(ValueError, match="no limits"):
        waiting()
