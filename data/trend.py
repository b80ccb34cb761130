"""The trend beside the chart over the years: each charted area's annual percent change with
its CI, from the released rates only (a hidden year gives no trend)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from data.present import cells, fmt, focus_cell
from data.queries import Outcome
from powershare.stats.trend import annual_percent_change, compare_periods


@dataclass
class AnnualChange:
    """One area's annual percent change, as the page says it."""

    area_name: str
    text: str
    significant: bool = False


def annual_changes(outcome: Outcome, table: list) -> list[AnnualChange]:
    """The focus area's and the reference's APC over the trend's years (NCI's log-linear
    fit, weighted by each rate's variance)."""
    if outcome.trend is None or outcome.spec.is_indicator:
        return []
    focus = focus_cell(outcome, table)
    trend = cells(outcome, outcome.trend, by=("year",))
    wanted = [focus.area] if focus else []
    wanted += sorted({c.area for c in trend if c.is_reference_area} - set(wanted))
    level = outcome.spec.methods.get("conf_level", 0.95)
    out = []
    for code in wanted:
        series = [c for c in trend if c.area == code and c.strata_codes["year"] != "total"]
        if not series:
            continue
        name = series[0].area_name
        if any(c.suppressed or c.value is None for c in series):
            out.append(AnnualChange(name, _("a year is hidden or has no rate: no trend")))
            continue
        years, rates, variances = [], [], []
        for c in sorted(series, key=lambda c: c.strata_codes["year"]):
            first, _sep, last = c.strata_codes["year"].partition("-")
            years.append((int(first) + int(last or first)) / 2)
            rates.append(float(c.value or 0))
            rse = c.raw.get("rse")
            count = c.raw.get("count") or 0
            if rse:
                variances.append((rse / 100 * float(c.value or 0)) ** 2)
            else:
                variances.append(float(c.value or 0) ** 2 / count if count else 0.0)
        if len(years) == 2:  # two periods: the later one against the earlier
            if min(rates) <= 0 or min(variances) <= 0:
                out.append(AnnualChange(name, _("a rate is 0: no comparison of the periods")))
                continue
            p = compare_periods(rates[0], variances[0], rates[1], variances[1], level)
            text = _("%(ratio)s times the earlier period's rate (%(lower)s to %(upper)s)") % {
                "ratio": fmt(p.ratio, 2),
                "lower": fmt(p.ratio_lower, 2),
                "upper": fmt(p.ratio_upper, 2),
            }
            out.append(AnnualChange(name, text, p.ratio_lower > 1 or p.ratio_upper < 1))
            continue
        result = annual_percent_change(years, rates, variances, conf_level=level)
        if result.apc is None:
            out.append(AnnualChange(name, _("a year is 0 or has no rate: no trend")))
            continue
        text = _("%(apc)s%% a year (%(lower)s%% to %(upper)s%%)") % {
            "apc": fmt(result.apc, 1),
            "lower": fmt(result.lower, 1),
            "upper": fmt(result.upper, 1),
        }
        out.append(AnnualChange(name, text, result.significant))
    return out


def confidence_label(outcome: Outcome) -> str:
    """The confidence level chosen, as "90%" (with any further level: "95% and 99.8%"), or
    "" for the usual 95% alone."""
    methods = outcome.spec.methods or {}
    levels = [methods.get("conf_level", 0.95), *methods.get("conf_levels", ())]
    if levels == [0.95]:
        return ""
    labels = [f"{level * 100:g}%" for level in levels]
    if len(labels) == 1:
        return labels[0]
    return _("%(first)s and %(rest)s") % {"first": labels[0], "rest": ", ".join(labels[1:])}
