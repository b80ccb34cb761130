"""Indirect standardization: standardized ratios (SMR, SIR) of observed to expected events,
with exact Poisson or PHE's Byar limits. References in docs/stats.md ("Methods")."""

from __future__ import annotations

import numpy as np

from .methods import count_limits

Array = np.ndarray


def expected_events(pops: Array, ref_counts: Array, ref_pops: Array) -> Array:
    """Σ nᵢ Dᵢ/Nᵢ: the events an area's age groups (population nᵢ) would have at the
    reference's age-specific rates (events Dᵢ over population Nᵢ); age groups last. NaN where
    the area has people in an age group the reference has no population for."""
    n = np.asarray(pops, dtype=float)
    d = np.asarray(ref_counts, dtype=float)
    big = np.asarray(ref_pops, dtype=float)
    shape = np.broadcast_shapes(n.shape, d.shape, big.shape)
    rate = np.divide(d, big, out=np.zeros(shape), where=big > 0)
    unknown = ((n > 0) & ~(big > 0)).any(axis=-1)
    return np.where(unknown, np.nan, (n * rate).sum(axis=-1))


def standardized_ratio(
    observed: Array,
    expected: Array,
    conf_level: float = 0.95,
    method: str = "exact",
) -> tuple[Array, Array, Array]:
    """Observed / expected with the observed count's Poisson limits over the expected count:
    "exact" (Garwood; Breslow & Day vol. II, 2.2) or "byar" (PHE's convention: exact below
    10 events, Byar's from 10, as PHEindicatormethods' calculate_ISRatio). NaN where the
    expected count is 0 or unknown."""
    o = np.asarray(observed, dtype=float)
    e = np.asarray(expected, dtype=float)
    lower, upper = count_limits(o, conf_level, method)
    ok = np.isfinite(e) & (e > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio, lo, hi = o / e, lower / e, upper / e
    return (
        np.where(ok, ratio, np.nan),
        np.where(ok, lo, np.nan),
        np.where(ok, hi, np.nan),
    )
