"""Trend across years: the annual percent change (APC) of a rate and the comparison of two
periods. These work on released rates only (a year that isn't shown gives no trend).
References in docs/stats.md ("Methods")."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats as sps

from .methods import _z
from .ratios import rate_difference_ci

Array = np.ndarray


@dataclass(frozen=True)
class Trend:
    """An annual percent change with its CI; `None` values where it can't be computed."""

    apc: float | None
    lower: float | None
    upper: float | None
    years: int
    #: Why there is no APC ("" when there is one).
    reason: str = ""

    @property
    def significant(self) -> bool:
        """The CI excludes 0 (a rising or falling trend)."""
        return (
            self.lower is not None and self.upper is not None and (self.lower > 0 or self.upper < 0)
        )


def annual_percent_change(
    years: Array,
    rates: Array,
    variances: Array | None = None,
    conf_level: float = 0.95,
) -> Trend:
    """APC = 100 (e^b − 1) from the log-linear fit log(rate) = a + b·year, with a CI from
    b ± t(n−2) SE(b) (NCI SEER*Stat and Joinpoint's APC). With `variances` the fit is
    weighted by the inverse variance of each log rate (rate²/var, the delta method), as
    Joinpoint's weighted least squares; without, it is ordinary least squares."""
    x = np.asarray(years, dtype=float)
    y = np.asarray(rates, dtype=float)
    _z(conf_level)
    if x.size < 3:
        return Trend(
            None, None, None, int(x.size), "an annual percent change needs 3 years or more"
        )
    if not np.all(np.isfinite(y)) or np.any(y <= 0):
        return Trend(None, None, None, int(x.size), "a year without a rate above 0: no trend")
    logy = np.log(y)
    if variances is None:
        w = np.ones_like(x)
    else:
        v = np.asarray(variances, dtype=float)
        if np.any(~np.isfinite(v)) or np.any(v <= 0):
            return Trend(None, None, None, int(x.size), "a year without a variance: no trend")
        w = y * y / v
    xm = np.sum(w * x) / np.sum(w)
    ym = np.sum(w * logy) / np.sum(w)
    sxx = np.sum(w * (x - xm) ** 2)
    b = np.sum(w * (x - xm) * (logy - ym)) / sxx
    resid = logy - (ym + b * (x - xm))
    df = x.size - 2
    sigma2 = np.sum(w * resid * resid) / df
    se = np.sqrt(sigma2 / sxx)
    t = sps.t.ppf(1 - (1 - conf_level) / 2, df)
    return Trend(
        apc=float(100 * np.expm1(b)),
        lower=float(100 * np.expm1(b - t * se)),
        upper=float(100 * np.expm1(b + t * se)),
        years=int(x.size),
    )


@dataclass(frozen=True)
class PeriodComparison:
    """A later period's rate against an earlier one's: ratio and difference with CIs."""

    ratio: float
    ratio_lower: float
    ratio_upper: float
    difference: float
    difference_lower: float
    difference_upper: float


def compare_periods(
    rate1: float, var1: float, rate2: float, var2: float, conf_level: float = 0.95
) -> PeriodComparison:
    """Period 2 against period 1 (independent: different years, different events): the
    ratio with a log-normal CI and the difference with a Wald CI."""
    z = _z(conf_level)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = rate2 / rate1
        se = np.sqrt(var1 / rate1**2 + var2 / rate2**2)
    diff, d_lo, d_hi = rate_difference_ci(rate2, var2, rate1, var1, conf_level)
    return PeriodComparison(
        ratio=float(ratio),
        ratio_lower=float(ratio * np.exp(-z * se)),
        ratio_upper=float(ratio * np.exp(z * se)),
        difference=float(diff),
        difference_lower=float(d_lo),
        difference_upper=float(d_hi),
    )
