"""Comparisons of two rates: differences, exact and mid-p ratios, and ratios of an area
against a reference that contains it. Vectorized over NumPy arrays; references in
docs/stats.md ("Methods").
"""

from __future__ import annotations

import numpy as np
from scipy import stats as sps

from .methods import _z

Array = np.ndarray

#: How a rate ratio's limits are computed: "wald" (log-normal, on the headline estimate,
#: adjusted or crude), "exact" (conditional on the two counts, Clopper-Pearson on the
#: binomial share) or "midp" (the same, mid-p), both on crude rates.
RATIO_METHODS = ("wald", "exact", "midp")


def rate_difference_ci(
    r1: Array | float,
    v1: Array | float,
    r2: Array | float,
    v2: Array | float,
    conf_level: float = 0.95,
    cov: Array | float = 0.0,
) -> tuple[Array, Array, Array]:
    """r1 − r2 with a Wald CI, var = v1 + v2 − 2 cov (Rothman & Greenland, Modern
    Epidemiology, ch. 14; cov is 0 for independent groups)."""
    r1, r2 = np.asarray(r1, dtype=float), np.asarray(r2, dtype=float)
    z = _z(conf_level)
    with np.errstate(invalid="ignore"):
        diff = r1 - r2
        se = np.sqrt(np.clip(np.asarray(v1) + np.asarray(v2) - 2 * np.asarray(cov), 0, None))
    return diff, diff - z * se, diff + z * se


def nested_ratio_ci(
    r1: Array, v1: Array, r2: Array, v2: Array, cov: Array, conf_level: float = 0.95
) -> tuple[Array, Array, Array]:
    """Ratio r1/r2 with a log-normal CI that counts the covariance of the two estimates, as
    when area 1 is part of reference 2: var(log RR) = v1/r1² + v2/r2² − 2 cov/(r1 r2) (the
    delta method). For crude rates cov = d1/(n1 n2), which gives 1/d1 − 1/d2."""
    r1, r2 = np.asarray(r1, dtype=float), np.asarray(r2, dtype=float)
    z = _z(conf_level)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = r1 / r2
        var = np.asarray(v1) / (r1 * r1) + np.asarray(v2) / (r2 * r2)
        var = var - 2 * np.asarray(cov) / (r1 * r2)
        se = np.sqrt(np.clip(var, 0, None))
        ok = (r1 > 0) & (r2 > 0)
        lower = np.where(ok, ratio * np.exp(-z * se), np.nan)
        upper = np.where(ok, ratio * np.exp(z * se), np.nan)
    return np.where(r2 > 0, ratio, np.nan), lower, upper


def adjusted_covariance(counts: Array, pops: Array, ref_pops: Array, weights: Array) -> Array:
    """Covariance of an area's directly adjusted rate with its reference's when the area's
    events are among the reference's: Σ wᵢ² dᵢ / (nᵢ Nᵢ) (the area's events dᵢ and
    population nᵢ, the reference's population Nᵢ; age groups on the last axis)."""
    d = np.asarray(counts, dtype=float)
    n = np.asarray(pops, dtype=float)
    big = np.asarray(ref_pops, dtype=float)
    w = np.asarray(weights, dtype=float)
    w = w / w.sum(axis=-1, keepdims=True)
    both = (n > 0) & (big > 0)
    shape = np.broadcast_shapes(d.shape, n.shape, big.shape, w.shape)
    per = np.divide(w * w * d, n * big, out=np.zeros(shape), where=both)
    return per.sum(axis=-1)


def exact_rate_ratio(
    x1: Array,
    t1: Array,
    x2: Array,
    t2: Array,
    conf_level: float = 0.95,
    midp: bool = False,
) -> tuple[Array, Array, Array]:
    """Rate ratio (x1/t1)/(x2/t2) with limits conditional on x1 + x2: x1 is binomial with
    share p = RR t1 / (RR t1 + t2), so limits on p give limits on RR = p/(1−p) · t2/t1.
    Exact: Clopper-Pearson limits on p (Rothman & Greenland; Breslow & Day vol. II, 2.3);
    mid-p: epitools' `rateratio.midp` (Rothman 1998). Counts are rounded for mid-p."""
    x1, x2 = np.asarray(x1, dtype=float), np.asarray(x2, dtype=float)
    t1, t2 = np.asarray(t1, dtype=float), np.asarray(t2, dtype=float)
    alpha = 1 - conf_level
    _z(conf_level)  # the same check of the level as every method
    m = x1 + x2
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = t2 / t1
        ratio = np.where((t1 > 0) & (t2 > 0) & (x2 > 0), (x1 / t1) / (x2 / t2), np.nan)
        if midp:
            a, n = np.round(x1), np.round(m)
            p_lo = _solve_share(a, n, alpha / 2, upper=False)
            p_hi = _solve_share(a, n, alpha / 2, upper=True)
        else:
            p_lo = np.where(x1 > 0, sps.beta.ppf(alpha / 2, x1, x2 + 1), 0.0)
            p_hi = np.where(x2 > 0, sps.beta.ppf(1 - alpha / 2, x1 + 1, x2), 1.0)
        lower = p_lo / (1 - p_lo) * scale
        upper = np.where(p_hi < 1, p_hi / (1 - p_hi) * scale, np.inf)
    ok = (m > 0) & (t1 > 0) & (t2 > 0)
    return ratio, np.where(ok, lower, np.nan), np.where(ok, upper, np.nan)


def _solve_share(a: Array, n: Array, tail: float, upper: bool, steps: int = 60) -> Array:
    """The binomial share p at which the mid-p tail of a out of n equals `tail`: for the
    lower limit P(X > a) + P(X = a)/2 = tail, for the upper P(X < a) + P(X = a)/2 = tail.
    Bisection on all cells at once (each tail is monotone in p)."""
    lo = np.zeros(np.broadcast_shapes(np.shape(a), np.shape(n)))
    hi = np.ones_like(lo)

    def excess(p: Array) -> Array:
        half = sps.binom.pmf(a, n, p) / 2
        if upper:  # falls as p grows
            return sps.binom.cdf(a - 1, n, p) + half - tail
        return tail - (sps.binom.sf(a, n, p) + half)  # falls as p grows

    for _ in range(steps):
        mid = (lo + hi) / 2
        go_up = excess(mid) > 0
        lo = np.where(go_up, mid, lo)
        hi = np.where(go_up, hi, mid)
    p = (lo + hi) / 2
    if upper:
        return np.where(a >= n, 1.0, p)
    return np.where(a <= 0, 0.0, p)
