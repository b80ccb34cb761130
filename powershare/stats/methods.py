"""Statistical methods, vectorized over NumPy arrays.

All functions take arrays (or scalars) and return arrays; none loops per cell.
References are in docs/stats.md ("Methods").
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import numpy as np
from scipy import special
from scipy import stats as sps

Array = np.ndarray


#: Shapes from which Wilson-Hilferty's start is close enough for Halley's steps.
_HALLEY_MIN_SHAPE = 10.0
#: A Halley step this small (relative) leaves an error far below double precision.
_HALLEY_TOL = 1e-6


def gamma_ppf(q: float, shape: Array | float, scale: Array | float = 1.0) -> Array:
    """Quantile of the gamma distribution (no per-call argument checks)."""
    a = np.asarray(shape, dtype=float)
    with np.errstate(invalid="ignore"):
        out = gammaincinv(np.where(a > 0, a, 1.0), q) * np.asarray(scale, dtype=float)
    return np.where(a > 0, out, np.where(a == 0, 0.0, np.nan))


def gammaincinv(a: Array | float, q: float, max_steps: int = 4) -> Array:
    """x with P(a, x) = q (the regularized lower incomplete gamma), like scipy's gammaincinv.

    For shapes of 10 and more: Wilson-Hilferty's normal approximation, then Halley's steps
    on scipy's gammainc until a step is below 1e-6 of x (one step, mostly): about twice as
    fast as scipy's inversion and equal to it within 1e-14 (tests check). Smaller shapes, and
    any value that doesn't settle, go to scipy's inversion.
    """
    shape = np.asarray(a, dtype=float)
    flat = shape.ravel()
    out = np.full(flat.shape, np.nan)
    todo = np.flatnonzero(flat >= _HALLEY_MIN_SHAPE)
    if todo.size:
        s = flat[todo]
        z = special.ndtri(q)
        x = s * (1 - 1 / (9 * s) + z / (3 * np.sqrt(s))) ** 3
        log_gamma = special.gammaln(s)
        for _ in range(max_steps):
            with np.errstate(all="ignore"):
                density = np.exp(special.xlogy(s - 1, x) - x - log_gamma)
                r = (special.gammainc(s, x) - q) / density
                step = r / (1 - 0.5 * r * ((s - 1) / x - 1))
                x = x - step
            done = np.abs(step) <= _HALLEY_TOL * x
            out[todo[done]] = x[done]
            going = ~done & np.isfinite(x) & (x > 0)
            todo, s, x, log_gamma = todo[going], s[going], x[going], log_gamma[going]
            if not todo.size:
                break
    rest = np.isnan(out)
    if rest.any():
        out[rest] = special.gammaincinv(flat[rest], q)
    return out.reshape(shape.shape)


@functools.lru_cache(maxsize=64)
def _z(conf_level: float) -> float:
    if not 0 < conf_level < 1:
        raise ValueError("conf_level must be between 0 and 1, e.g. 0.95")
    return float(sps.norm.ppf(1 - (1 - conf_level) / 2))


#: Whole counts below this get their Garwood limits from a table made once per confidence level.
GARWOOD_TABLE_SIZE = 1 << 14


def poisson_ci(count: Array | float, conf_level: float = 0.95) -> tuple[Array, Array]:
    """Exact (Garwood 1936) confidence limits for a Poisson count.

    Works for non-integer counts (population-weighted allocations) via the gamma form.
    """
    x = np.asarray(count, dtype=float)
    if x.size <= 64:
        return _garwood(x, conf_level)
    # Most counts are whole and small: their limits come from a table; the rest are
    # inverted once per distinct value.
    lower, upper = np.empty_like(x), np.empty_like(x)
    whole = (x >= 0) & (x < GARWOOD_TABLE_SIZE) & (x == np.floor(x))
    if whole.any():
        table_lower, table_upper = _garwood_table(conf_level)
        index = x[whole].astype(np.int64)
        lower[whole], upper[whole] = table_lower[index], table_upper[index]
    rest = ~whole
    if rest.any():
        values, inverse = np.unique(x[rest], return_inverse=True)
        rest_lower, rest_upper = _garwood(values, conf_level)
        lower[rest], upper[rest] = rest_lower[inverse], rest_upper[inverse]
    return lower, upper


@functools.lru_cache(maxsize=8)
def _garwood_table(conf_level: float) -> tuple[Array, Array]:
    lower, upper = _garwood(np.arange(GARWOOD_TABLE_SIZE, dtype=float), conf_level)
    lower.setflags(write=False)
    upper.setflags(write=False)
    return lower, upper


def _garwood(x: Array, conf_level: float) -> tuple[Array, Array]:
    alpha = 1 - conf_level
    with np.errstate(invalid="ignore"):
        lower = np.where(x > 0, gamma_ppf(alpha / 2, np.where(x > 0, x, 1)), 0.0)
        upper = gamma_ppf(1 - alpha / 2, x + 1)
    return lower, upper


def byars_ci(count: Array | float, conf_level: float = 0.95) -> tuple[Array, Array]:
    """Byar's approximation to the exact Poisson limits (as used by PHE/UKHSA)."""
    x = np.asarray(count, dtype=float)
    z = _z(conf_level)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
        upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3
    lower = np.where(x > 0, np.clip(lower, 0, None), 0.0)
    return lower, upper


#: PHE's convention for a count's limits: exact below this many events, Byar's from it.
BYAR_FROM = 10


def count_limits(
    count: Array | float, conf_level: float = 0.95, method: str = "exact"
) -> tuple[Array, Array]:
    """A Poisson count's limits: "exact" (Garwood) or "byar" (PHE: exact below 10 events,
    Byar's approximation from 10, as PHEindicatormethods' phe_rate and calculate_ISRatio)."""
    lower, upper = poisson_ci(count, conf_level)
    if method == "exact":
        return lower, upper
    if method != "byar":
        raise ValueError(f"unknown count limits {method!r} (use 'exact' or 'byar')")
    x = np.asarray(count, dtype=float)
    b_lower, b_upper = byars_ci(x, conf_level)
    big = x >= BYAR_FROM
    return np.where(big, b_lower, lower), np.where(big, b_upper, upper)


def wilson_ci(
    successes: Array | float, trials: Array | float, conf_level: float = 0.95
) -> tuple[Array, Array]:
    """Wilson score interval for a proportion (Wilson 1927); NaN where trials is 0."""
    x = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    z = _z(conf_level)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        centre = p + z * z / (2 * n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        denom = 1 + z * z / n
        lower = np.where(n > 0, (centre - half) / denom, np.nan)
        upper = np.where(n > 0, (centre + half) / denom, np.nan)
    return np.clip(lower, 0, 1), np.clip(upper, 0, 1)


@dataclass(frozen=True)
class Adjusted:
    """Direct age-adjusted rates per person (multiply by the measure's `per`)."""

    rate: Array
    variance: Array
    lower: Array
    upper: Array
    #: True where some age group has events but no population (rate undefined).
    undefined: Array


@dataclass(frozen=True)
class AdjustedSums:
    """What the limits of a directly adjusted rate are computed from (see `direct_adjust`)."""

    rate: Array
    variance: Array
    #: The largest w_i / n_i: Fay and Feuer's correction for the upper limit.
    max_weight: Array
    #: Events over all age groups (Dobson).
    total: Array
    undefined: Array
    #: True where the standard's weights were spread over the groups with population only.
    renormalized: Array | None = None


def direct_adjust(
    counts: Array,
    pops: Array,
    weights: Array,
    conf_level: float = 0.95,
    method: str = "gamma",
    empty: str = "refuse",
) -> Adjusted:
    """Directly age-adjusted rate, its variance and CI; age groups on the last axis.

    method "gamma": Fay & Feuer (1997) gamma interval (NCHS, SEER, epitools).
    method "dobson": Dobson et al. (1991), the count's limits scaled to the rate
    (exact Poisson below 10 events, Byar's method above: PHE/UKHSA practice).
    An age group with events but no population makes the rate undefined (NaN); one with
    neither makes it undefined too (`empty` "refuse", as PHEindicatormethods refuses zero
    denominators), or has its weight spread over the other groups (`empty` "renormalize").
    """
    sums = adjusted_sums(counts, pops, weights, empty)
    lower, upper = adjusted_limits(sums, conf_level, method)
    return Adjusted(
        rate=sums.rate, variance=sums.variance, lower=lower, upper=upper, undefined=sums.undefined
    )


def adjusted_sums(
    counts: Array, pops: Array, weights: Array, empty: str = "refuse"
) -> AdjustedSums:
    """The directly adjusted rate and its variance (NaN where undefined); age groups last.

    `empty` says what an age group with a standard weight but no population does: "refuse"
    (the rate is undefined) or "renormalize" (the weights are spread over the other groups).
    """
    if empty not in ("refuse", "renormalize"):
        raise ValueError(f"empty must be 'refuse' or 'renormalize', got {empty!r}")
    d = np.asarray(counts, dtype=float)
    n = np.asarray(pops, dtype=float)
    w = np.asarray(weights, dtype=float)
    w = w / w.sum(axis=-1, keepdims=True)  # before broadcasting: one row of weights, mostly
    has_pop = n > 0
    shape = np.broadcast_shapes(w.shape, n.shape)
    lacking = (~has_pop & (w > 0)).any(axis=-1)  # a group the standard counts has no people
    events_lacking = (~has_pop & (d > 0)).any(axis=-1)
    renormalized = np.zeros(np.broadcast_shapes(w.shape[:-1], n.shape[:-1]), dtype=bool)
    if empty == "renormalize" and np.any(lacking):
        kept = np.where(has_pop, np.broadcast_to(w, shape), 0.0)
        total = kept.sum(axis=-1, keepdims=True)
        w = np.divide(kept, total, out=np.zeros(shape), where=total > 0)
        undefined = events_lacking | (total[..., 0] <= 0)
        renormalized = lacking & ~undefined
    else:
        undefined = events_lacking | lacking  # "refuse", or nothing lacking
    # w_i / n_i, and 0 where an age group has no population: the one array every sum needs.
    w_per = np.divide(w, n, out=np.zeros(shape), where=has_pop)
    rate = np.einsum("...i,...i->...", w_per, d)  # sum of w_i d_i / n_i
    var = np.einsum("...i,...i,...i->...", w_per, w_per, d)  # sum of w_i^2 d_i / n_i^2
    return AdjustedSums(
        rate=np.where(undefined, np.nan, rate),
        variance=np.where(undefined, np.nan, var),
        max_weight=w_per.max(axis=-1),
        total=d.sum(axis=-1),
        undefined=np.asarray(undefined),
        renormalized=np.asarray(renormalized),
    )


def adjusted_limits(
    sums: AdjustedSums, conf_level: float = 0.95, method: str = "gamma"
) -> tuple[Array, Array]:
    """Lower and upper confidence limits of directly adjusted rates (see `direct_adjust`)."""
    rate, var, wm = sums.rate, sums.variance, sums.max_weight
    alpha = 1 - conf_level
    if method == "gamma":
        with np.errstate(divide="ignore", invalid="ignore"):
            shape_l = rate * rate / np.where(var > 0, var, 1)
            scale_l = var / np.where(rate > 0, rate, 1)
            shape_u = (rate + wm) ** 2 / (var + wm * wm)
            scale_u = (var + wm * wm) / (rate + wm)
        upper_later = in_background(
            lambda: gamma_ppf(1 - alpha / 2, shape_u, scale=scale_u), np.size(rate)
        )
        lower = gamma_ppf(alpha / 2, shape_l, scale=scale_l)
        lower, upper = np.where(rate > 0, lower, 0.0), upper_later()
    elif method == "dobson":
        total = sums.total
        exact_lo, exact_hi = poisson_ci(total, conf_level)
        byar_lo, byar_hi = byars_ci(total, conf_level)
        o_lo = np.where(total < 10, exact_lo, byar_lo)
        o_hi = np.where(total < 10, exact_hi, byar_hi)
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.sqrt(np.where(total > 0, var / total, 0.0))
        lower = rate + scale * (o_lo - total)
        upper = rate + scale * (o_hi - total)
        # With no events the Dobson scale is undefined; fall back to the gamma upper limit.
        upper = np.where(
            total > 0,
            upper,
            gamma_ppf(1 - alpha / 2, 1.0, scale=np.where(wm > 0, wm, 1)) * (wm > 0),
        )
        lower = np.clip(lower, 0, None)
    else:
        raise ValueError(f"unknown CI method {method!r} (use 'gamma' or 'dobson')")
    return np.where(sums.undefined, np.nan, lower), np.where(sums.undefined, np.nan, upper)


T = TypeVar("T")


#: Work on fewer cells than this runs on the caller's thread: starting a thread costs about a
#: millisecond, more than a small query's limits take.
BACKGROUND_MIN_CELLS = 20_000


def in_background(compute: Callable[[], T], cells: int) -> Callable[[], T]:
    """Start `compute` on a short-lived thread; the returned function waits for its result
    (or raises its error). For NumPy and SciPy work on large arrays (`cells` of them), whose
    loops release the GIL, so that it runs beside the caller's; small work runs at once."""
    out: list[Any] = []

    def run() -> None:
        try:
            out.append(compute())
        except BaseException as error:  # re-raised in the caller's thread
            out.append(error)

    worker = threading.Thread(target=run, daemon=True)
    if cells >= BACKGROUND_MIN_CELLS:
        worker.start()
    else:
        run()

    def result() -> T:
        if worker.ident is not None:
            worker.join()
        if isinstance(out[0], BaseException):
            raise out[0]
        return cast(T, out[0])

    return result


def relative_standard_error(estimate: Array, variance: Array) -> Array:
    """RSE in percent: 100 * SE / estimate (NaN where the estimate is 0)."""
    est = np.asarray(estimate, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(est > 0, 100 * np.sqrt(np.asarray(variance, dtype=float)) / est, np.nan)


def ratio_ci(
    r1: Array, v1: Array, r2: Array, v2: Array, conf_level: float = 0.95
) -> tuple[Array, Array, Array]:
    """Ratio r1/r2 with a log-normal (delta method) CI, treating the two as independent.

    For an area inside its reference (a tract against the county) the covariance is
    positive, so ignoring it makes the interval wider: conservative.
    """
    r1 = np.asarray(r1, dtype=float)
    r2 = np.asarray(r2, dtype=float)
    z = _z(conf_level)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = r1 / r2
        se = np.sqrt(np.asarray(v1) / (r1 * r1) + np.asarray(v2) / (r2 * r2))
        ok = (r1 > 0) & (r2 > 0)
        lower = np.where(ok, ratio * np.exp(-z * se), np.nan)
        upper = np.where(ok, ratio * np.exp(z * se), np.nan)
        ratio = np.where(r2 > 0, ratio, np.nan)
    return ratio, lower, upper
