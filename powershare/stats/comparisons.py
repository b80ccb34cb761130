"""The comparison columns of a result beyond the rate ratio: rate differences, exact and
mid-p ratios, ratios against a reference that contains the area, standardized ratios (SMR)
and limits at further confidence levels.

Every column here is computed only from what the release shows: a cell whose count or rate
is hidden, or whose reference's is, gets none of them (see `Hidden`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from .compute import Computed
from .cube import Stats
from .indirect import expected_events, standardized_ratio
from .methods import adjusted_limits, adjusted_sums, count_limits, ratio_ci
from .ratios import adjusted_covariance, exact_rate_ratio, nested_ratio_ci, rate_difference_ci
from .result import _clean


@dataclass(frozen=True)
class Hidden:
    """What the release hides, per cell (flat, C order): counts, adjusted rates, rates."""

    cells: np.ndarray
    adjusted: np.ndarray
    rates: np.ndarray


def level_suffix(conf_level: float) -> str:
    """The column suffix of a confidence level: 0.998 -> "99_8", 0.99 -> "99"."""
    return f"{conf_level * 100:.10g}".replace(".", "_")


def columns(
    c: Computed,
    query: Any,
    ref_index: np.ndarray,
    hidden: Hidden,
    per: float,
    empty: str,
) -> tuple[dict[str, pa.Array], dict[str, Any]]:
    """The extra columns (some replace the rate ratio's) and what the meta says of them."""
    stats = c.stats.finish()
    has = ref_index >= 0
    ref = np.where(has, ref_index, 0)
    self_ref = ref_index == np.arange(ref_index.size)
    cell_hidden = hidden.cells | hidden.rates
    headline_hidden = cell_hidden | (hidden.adjusted if c.is_rate else False)
    ratio_method = query.ratio_method
    crude = ratio_method != "wald"
    own = cell_hidden if crude else headline_hidden
    hide = own | own[ref] | ~has
    nested = bool(
        c.is_rate
        and ratio_method == "wald"
        and not crude
        and query.reference in ("county", "total")
        and c.bins is not None
    )
    out: dict[str, pa.Array] = {}
    est, var = (
        (stats.rate, _crude_variance(stats, per)) if crude else (stats.headline, stats.variance)
    )
    cov = _nested_cov(c, stats, ref, per) if nested else np.zeros_like(est)
    cov = np.where(has & ~self_ref, cov, 0.0)
    diff, d_lo, d_hi = rate_difference_ci(est, var, est[ref], var[ref], query.conf_level, cov)
    out["rate_difference"] = _clean(diff, hide)
    out["difference_lower"] = _clean(d_lo, hide | self_ref)
    out["difference_upper"] = _clean(d_hi, hide | self_ref)

    levels = [query.conf_level, *query.conf_levels]
    for level in levels:
        suffix = "" if level == query.conf_level else "_" + level_suffix(level)
        ratio, lo, hi = _ratio(c, stats, est, var, ref, cov, level, ratio_method, nested)
        lo, hi = np.where(self_ref, np.nan, lo), np.where(self_ref, np.nan, hi)
        if suffix or crude or nested:
            if not suffix:
                out["rate_ratio"] = _clean(ratio, hide, 4)
                significant = (lo > 1) | (hi < 1)
                out["ratio_significant"] = pa.array(
                    np.where(hide | np.isnan(lo), False, significant)
                )
            out["ratio_lower" + suffix] = _clean(lo, hide, 4)
            out["ratio_upper" + suffix] = _clean(hi, hide, 4)
        if suffix:
            r_lo, r_hi = count_limits(stats.count, level, query.crude_ci)
            with np.errstate(divide="ignore", invalid="ignore"):
                d = stats.denominator
                out["rate_lower" + suffix] = _clean(
                    np.where(d > 0, r_lo / d * per, np.nan), cell_hidden
                )
                out["rate_upper" + suffix] = _clean(
                    np.where(d > 0, r_hi / d * per, np.nan), cell_hidden
                )
            if c.is_rate and c.bins is not None:
                a_lo, a_hi = _adjusted_at(c, level, query.ci_method, empty, per)
                adjusted_hide = headline_hidden
                out["adjusted_lower" + suffix] = _clean(a_lo, adjusted_hide)
                out["adjusted_upper" + suffix] = _clean(a_hi, adjusted_hide)

    meta: dict[str, Any] = {
        "ratio": ratio_method
        if not nested
        else "wald, with the covariance of an area inside its reference",
        "ratio_of": "crude rates" if crude else "the headline estimates",
        "difference": "Wald, on the same estimates as the ratio",
        "conf_levels": levels,
        "crude_ci": query.crude_ci,
        "empty_age_groups": empty,
        "renormalized_cells": int(np.count_nonzero(stats.renormalized & ~headline_hidden))
        if stats.renormalized.size
        else 0,
    }
    if query.indirect and c.is_rate and c.bins is not None:
        num, den, _ = (np.asarray(b, dtype=float) for b in c.bins)
        nbins = num.shape[-1]
        num, den = num.reshape(-1, nbins), den.reshape(-1, nbins)
        expected = expected_events(den, num[ref], den[ref])
        # The reference's age groups must all be shown (its adjusted rate is), and the cell's
        # count: the expected count is a sum over the reference's age-specific counts.
        smr_hide = cell_hidden | cell_hidden[ref] | hidden.adjusted[ref] | ~has
        out["expected"] = _clean(expected, smr_hide, 4)
        for level in levels:
            suffix = "" if level == query.conf_level else "_" + level_suffix(level)
            smr, lo, hi = standardized_ratio(stats.count, expected, level, query.crude_ci)
            if not suffix:
                out["smr"] = _clean(smr, smr_hide, 4)
                out["smr_significant"] = pa.array(
                    np.where(smr_hide | np.isnan(lo), False, (lo > 1) | (hi < 1))
                )
            out["smr_lower" + suffix] = _clean(lo, smr_hide, 4)
            out["smr_upper" + suffix] = _clean(hi, smr_hide, 4)
        meta["indirect"] = (
            "standardized ratio: observed over expected events at the reference's age-specific "
            f"rates, {'exact' if query.crude_ci == 'exact' else 'exact below 10, Byar from 10'} "
            "Poisson limits"
        )
    return out, meta


def _crude_variance(stats: Stats, per: float) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        d = stats.denominator
        return np.where(d > 0, stats.count / (d * d), np.nan) * per * per


def _nested_cov(c: Computed, stats: Stats, ref: np.ndarray, per: float) -> np.ndarray:
    """Covariance of each cell's headline estimate with its reference's, the cell's events
    being among the reference's (an area against the county)."""
    assert c.bins is not None
    num, den, weights = (np.asarray(b, dtype=float) for b in c.bins)
    nbins = num.shape[-1]
    w = np.broadcast_to(weights, num.shape).reshape(-1, nbins)
    num, den = num.reshape(-1, nbins), den.reshape(-1, nbins)
    adjusted = adjusted_covariance(num, den, den[ref], w) * per * per
    with np.errstate(divide="ignore", invalid="ignore"):
        d, big = stats.denominator, stats.denominator[ref]
        crude = np.where((d > 0) & (big > 0), stats.count / (d * big), 0.0) * per * per
    return np.where(np.isnan(stats.adjusted), crude, adjusted)


def _ratio(
    c: Computed,
    stats: Stats,
    est: np.ndarray,
    var: np.ndarray,
    ref: np.ndarray,
    cov: np.ndarray,
    level: float,
    method: str,
    nested: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if method in ("exact", "midp"):
        n, d = stats.count, stats.denominator
        return exact_rate_ratio(n, d, n[ref], d[ref], level, midp=method == "midp")
    if nested:
        return nested_ratio_ci(est, var, est[ref], var[ref], cov, level)
    return ratio_ci(est, var, est[ref], var[ref], level)


def _adjusted_at(
    c: Computed, level: float, method: str, empty: str, per: float
) -> tuple[np.ndarray, np.ndarray]:
    assert c.bins is not None
    sums = adjusted_sums(*c.bins, empty=empty)
    lo, hi = adjusted_limits(sums, level, method)
    no_pop = c.stats.denominator <= 0
    return (
        np.where(no_pop, np.nan, np.ravel(lo)) * per,
        np.where(no_pop, np.nan, np.ravel(hi)) * per,
    )
