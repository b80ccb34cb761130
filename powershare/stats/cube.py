"""Dense arrays from aggregates, areas and margins, and the statistics of every cell.

The aggregate from the engine is small (base units x strata x age bins), so it becomes a
dense NumPy array; areas are a matrix product with the crosswalk; margins are sums.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .methods import (
    adjusted_limits,
    adjusted_sums,
    count_limits,
    in_background,
    ratio_ci,
    relative_standard_error,
    wilson_ci,
)


@dataclass
class Axis:
    """One dimension of the result: its values and whether its last value is their total."""

    name: str
    values: list[str]
    with_total: bool


def dense(
    table: pa.Table,
    keys: list[tuple[str, list]],
    nbins: int,
    column: str = "n",
    codes: Mapping[str, Sequence[str]] | None = None,
    age_bins: np.ndarray | None = None,
) -> np.ndarray:
    """Sum `column` of an aggregate into an array indexed by the keys' value lists, then bins.

    `codes` gives the value list of integer key columns (the engine's stored codes, see
    engine.event_aggregate): their values are looked up by code without being decoded.
    `age_bins` gives the bin of each stored age group when `ab` holds those groups. Rows
    whose key value isn't listed (not expected after validation), and rows whose age bin is
    NULL or negative (outside the bins), are dropped.
    """
    shape = tuple(len(v) for _, v in keys) + (nbins,)
    if table.num_rows == 0:
        return np.zeros(shape)
    codes = codes or {}
    idx = [_positions(table[name], values, codes.get(name)) for name, values in keys]
    ab = _integers(table["ab"])
    idx.append(ab if age_bins is None else np.where(ab >= 0, age_bins[ab], -1))
    weights = table[column].to_numpy(zero_copy_only=False).astype(float)
    if min(int(i.min()) for i in idx) < 0:
        ok = np.logical_and.reduce([i >= 0 for i in idx])
        idx, weights = [i[ok] for i in idx], weights[ok]
    flat = np.ravel_multi_index(tuple(idx), shape)
    return np.bincount(flat, weights=weights, minlength=int(np.prod(shape))).reshape(shape)


def _positions(
    col: pa.ChunkedArray, values: list, code_list: Sequence[str] | None = None
) -> np.ndarray:
    """Index of each value of `col` in `values` (-1 where it isn't listed, or null)."""
    if code_list is not None and pa.types.is_integer(col.type):
        return by_code(col, code_list, values)
    if pa.types.is_dictionary(col.type):
        # Look the (few) dictionary entries up once, then index by the codes.
        chunks = col.chunks
        if not chunks:
            return np.zeros(0, dtype=np.int64)
        if any(not c.dictionary.equals(chunks[0].dictionary) for c in chunks[1:]):
            chunks = col.unify_dictionaries().chunks
        lookup = _positions(pa.chunked_array([chunks[0].dictionary]), values)
        indices = np.concatenate(
            [pc.fill_null(c.indices, -1).to_numpy(zero_copy_only=False) for c in chunks]
        ).astype(np.int64)
        return np.where(indices >= 0, lookup[indices], -1)
    value_set = pa.array(values, type=col.type) if values else pa.array([], type=col.type)
    pos = pc.fill_null(pc.index_in(col, value_set=value_set), -1)
    return pos.to_numpy().astype(np.int64)


def by_code(col: pa.ChunkedArray, code_list: Sequence[str], values: list) -> np.ndarray:
    """Index in `values` of each code of an integer column (`code_list[code]` is its value;
    -1 for nulls, codes out of range and values not listed)."""
    raw = _integers(col)
    out_of_range = raw.size and (raw.min() < 0 or raw.max() >= len(code_list))
    if not out_of_range and len(code_list) == len(values) and list(code_list) == list(values):
        return raw  # the codes are the positions (the base units, as the file was loaded)
    where = {v: i for i, v in enumerate(values)}
    # One more slot at the end for nulls and codes out of range.
    lookup = np.array([where.get(v, -1) for v in code_list] + [-1], dtype=np.int64)
    if out_of_range:
        raw = np.where((raw < 0) | (raw >= len(code_list)), len(code_list), raw)
    return lookup[raw]


def _integers(col: pa.ChunkedArray) -> np.ndarray:
    """An integer column as int64, with -1 for nulls."""
    if col.null_count:
        col = pc.fill_null(col, -1)
    return col.to_numpy().astype(np.int64)


def codes_present(col: pa.ChunkedArray, code_list: Sequence[str] | None) -> set[str]:
    """The distinct values of a key column: decoded through `code_list` if it holds codes."""
    if code_list is not None and pa.types.is_integer(col.type):
        raw = _integers(col)
        raw = raw[(raw >= 0) & (raw < len(code_list))]
        return {code_list[int(c)] for c in np.flatnonzero(np.bincount(raw))}
    return set(pc.unique(col).to_pylist())


def with_totals(arr: np.ndarray, axes: list[Axis]) -> np.ndarray:
    """Append each axis's total (sum over its values) as its last index, where it has one.

    `arr` has one more trailing axis (age bins) than `axes`; the axes' `values` already
    include the TOTAL label.
    """
    for i, axis in enumerate(axes):
        if axis.with_total and arr.shape[i] == len(axis.values) - 1:
            arr = np.concatenate([arr, arr.sum(axis=i, keepdims=True)], axis=i)
    return arr


@dataclass
class Stats:
    """Flat per-cell statistics (one entry per cell of the cube, C order)."""

    count: np.ndarray
    denominator: np.ndarray
    rate: np.ndarray
    rate_lower: np.ndarray
    rate_upper: np.ndarray
    adjusted: np.ndarray
    adjusted_lower: np.ndarray
    adjusted_upper: np.ndarray
    variance: np.ndarray  # of the headline estimate (adjusted rate, or the proportion)
    rse: np.ndarray
    undefined: np.ndarray
    #: The adjusted rates' limits while they are computed in the background (see `finish`).
    pending: Callable[[], tuple[np.ndarray, np.ndarray]] | None = field(default=None, repr=False)
    #: True where the adjusted rate's standard weights were renormalized over the age groups
    #: with population (the policy's `empty_age_groups`).
    renormalized: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def finish(self) -> Stats:
        """Wait for limits computed in the background (`rate_stats(background=True)`)."""
        if self.pending is not None:
            self.adjusted_lower, self.adjusted_upper = self.pending()
            self.pending = None
        return self

    @property
    def headline(self) -> np.ndarray:
        """The estimate compared against the reference: adjusted rate or proportion."""
        return np.where(np.isnan(self.adjusted), self.rate, self.adjusted)


def rate_stats(
    counts: np.ndarray,
    pops: np.ndarray,
    weights: np.ndarray,
    per: float,
    conf: float,
    method: str,
    background: bool = False,
    totals: np.ndarray | None = None,
    empty: str = "refuse",
    crude_ci: str = "exact",
) -> Stats:
    """Crude (Garwood CI) and directly age-adjusted rates for every cell; bins on the last axis.

    With `background`, the adjusted rates' limits (the costly gamma inversions) are computed
    on a thread while the caller goes on (suppression needs none of them); `Stats.finish`
    waits for them. `totals` replaces each cell's count (the sum of its bins), as under
    perturbation, where a cell's count is perturbed on its own. `empty` is the policy's
    `empty_age_groups`; `crude_ci` "byar" takes PHE's crude limits (exact below 10 events,
    Byar's from 10) instead of exact ones.
    """
    n = (counts.sum(axis=-1) if totals is None else totals).ravel()
    p = pops.sum(axis=-1).ravel()
    no_pop = p <= 0
    sums = adjusted_sums(counts, pops, weights, empty)

    def limits() -> tuple[np.ndarray, np.ndarray]:
        lower, upper = adjusted_limits(sums, conf, method)
        return (
            np.where(no_pop, np.nan, lower.ravel()) * per,
            np.where(no_pop, np.nan, upper.ravel()) * per,
        )

    pending = in_background(limits, n.size) if background else None
    lo, hi = count_limits(n, conf, crude_ci)
    with np.errstate(divide="ignore", invalid="ignore"):
        crude = np.where(p > 0, n / p, np.nan)
        crude_lo = np.where(p > 0, lo / p, np.nan)
        crude_hi = np.where(p > 0, hi / p, np.nan)
    a_rate, a_var = sums.rate.ravel(), sums.variance.ravel()
    a_rate = np.where(no_pop, np.nan, a_rate)
    nothing = np.empty(0)
    adjusted_lower, adjusted_upper = (nothing, nothing) if pending else limits()
    return Stats(
        count=n,
        denominator=p,
        rate=crude * per,
        rate_lower=crude_lo * per,
        rate_upper=crude_hi * per,
        adjusted=a_rate * per,
        adjusted_lower=adjusted_lower,
        adjusted_upper=adjusted_upper,
        variance=np.where(no_pop, np.nan, a_var) * per * per,
        rse=relative_standard_error(a_rate, a_var),
        undefined=sums.undefined.ravel() | no_pop,
        pending=pending,
        renormalized=(
            np.zeros(n.shape, dtype=bool)
            if sums.renormalized is None
            else np.broadcast_to(sums.renormalized, sums.rate.shape).ravel() & ~no_pop
        ),
    )


def proportion_stats(
    num: np.ndarray,
    den: np.ndarray,
    per: float,
    conf: float,
    totals: tuple[np.ndarray, np.ndarray] | None = None,
) -> Stats:
    """Proportions with Wilson score intervals (no age adjustment); `totals` replaces each
    cell's numerator and denominator (see `rate_stats`)."""
    if totals is None:
        x, d = num.sum(axis=-1).ravel(), den.sum(axis=-1).ravel()
    else:
        x, d = (np.asarray(t, dtype=float).ravel() for t in totals)
    lo, hi = wilson_ci(x, d, conf)
    with np.errstate(divide="ignore", invalid="ignore"):
        prop = np.where(d > 0, x / d, np.nan)
        var = prop * (1 - prop) / d
    nan = np.full_like(prop, np.nan)
    return Stats(
        count=x,
        denominator=d,
        rate=prop * per,
        rate_lower=lo * per,
        rate_upper=hi * per,
        adjusted=nan,
        adjusted_lower=nan,
        adjusted_upper=nan,
        variance=var * per * per,
        rse=relative_standard_error(prop, var),
        undefined=d <= 0,
    )


def ratios(stats: Stats, ref_index: np.ndarray, conf: float) -> tuple[np.ndarray, ...]:
    """Ratio of each cell's headline estimate to its reference cell's, with CI and significance.

    `ref_index[i]` is the flat index of cell i's reference, or -1 for none.
    """
    has = ref_index >= 0
    ref = np.where(has, ref_index, 0)
    est = stats.headline
    ratio, lo, hi = ratio_ci(est, stats.variance, est[ref], stats.variance[ref], conf)
    self_ref = ref_index == np.arange(len(ref_index))
    ratio = np.where(has, ratio, np.nan)
    lo = np.where(has & ~self_ref, lo, np.nan)
    hi = np.where(has & ~self_ref, hi, np.nan)
    significant = (lo > 1) | (hi < 1)
    return ratio, lo, hi, significant
