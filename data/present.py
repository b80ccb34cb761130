"""How a result reads: table rows with plain-language marks and the headline sentence (the
charts and the map are drawn from these rows by `data.charts`).

A suppressed cell carries no number here at all: not its count, rate, interval, ratio or
population. Templates, CSV, Excel and the fact sheet all read these rows.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from data import portal
from data.queries import Outcome, race_labels

SEX_LABELS = {"F": "Female", "M": "Male", "U": "Unknown", "total": "All"}


def _sex_label(code: str) -> str:
    return {"F": _("Female"), "M": _("Male"), "U": _("Unknown"), "total": _("All")}.get(code, code)


def fmt(value: float | None, digits: int = 1) -> str:
    """A number for people: grouped thousands, ``digits`` decimals; '' for None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if digits == 0 or float(value).is_integer() and digits == 0:
        return number_format(round(value), 0, use_l10n=True, force_grouping=True)
    return number_format(round(value, digits), digits, use_l10n=True, force_grouping=True)


def fmt_count(value: float | None) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return number_format(int(value), 0, use_l10n=True, force_grouping=True)
    return fmt(value, 1)


def explain_missing_rate(reason: str | None) -> str:
    """Why a shown cell has no rate (the engine's note), in plain words ("" if it has one)."""
    if not reason:
        return ""
    if reason == "events but no population: no rate":
        return _("No rate: there are events but no population for this group.")
    if reason == "no population: no rate":
        return _("No rate: the population has no one in this group.")
    match = re.match(r"events in ages without population \((.*)\): no age-adjusted rate", reason)
    if match:
        return _("No age-adjusted rate: the population has no one aged %(ages)s in this group.") % {
            "ages": match.group(1)
        }
    return ""


def explain_suppression(reason: str | None) -> str:
    """The engine's reason in plain words."""
    if not reason:
        return ""
    if reason.startswith("published: "):  # a published estimate its publisher withheld
        return _("Withheld by the publisher: %(footnote)s") % {
            "footnote": reason.removeprefix("published: ")
        }
    match = re.match(r"(count|population|denominator|complement) below (\d+)", reason)
    if match:
        what, n = match.group(1), match.group(2)
        texts = {
            "count": _(
                "Hidden: fewer than %(n)s events. Numbers this small could identify someone."
            ),
            "population": _("Hidden: fewer than %(n)s residents, too few for a stable rate."),
            "denominator": _("Hidden: fewer than %(n)s events in the denominator."),
            "complement": _("Hidden: fewer than %(n)s events outside the numerator."),
        }
        return texts[what] % {"n": n}
    match = re.match(r"perturbed count below (\d+)", reason)
    if match:
        return _(
            "Hidden: with its noise, the count is under %(n)s. Numbers this small could "
            "identify someone."
        ) % {"n": match.group(1)}
    match = re.match(r"protected below (\d+)", reason)
    if match:
        return _(
            "Hidden: a count under %(n)s, or a number that would let one be worked out from "
            "this table or any other."
        ) % {"n": match.group(1)}
    if reason == "complementary":
        return _("Hidden so that another hidden number can't be worked out from the totals.")
    return _("Hidden to protect privacy.")


@dataclass
class Cell:
    area: str
    area_name: str
    strata: list[str]
    strata_codes: dict[str, str]
    suppressed: bool
    reason: str = ""
    count: str = ""
    population: str = ""
    rate: str = ""
    rate_ci: str = ""
    adjusted: str = ""
    adjusted_ci: str = ""
    ratio: str = ""
    ratio_ci: str = ""
    significant: bool = False
    difference: str = ""  # rate difference against the reference, with its CI
    smr: str = ""  # standardized ratio (observed/expected), with its CI
    unreliable: bool = False
    note: str = ""  # why a shown cell has no rate
    is_total: bool = False
    is_reference_area: bool = False
    value: float | None = None  # the charted value (adjusted or crude)
    lower: float | None = None
    upper: float | None = None
    raw: dict[str, Any] = field(default_factory=dict)


def _comparisons(row: dict[str, Any], is_reference: bool) -> tuple[str, str]:
    """The rate difference and the SMR of a shown row, each with its CI ("" when none)."""
    if is_reference:
        return "", ""
    out = []
    for value, lower, upper, digits in (
        ("rate_difference", "difference_lower", "difference_upper", 1),
        ("smr", "smr_lower", "smr_upper", 2),
    ):
        text = fmt(row[value], digits) if row.get(value) is not None else ""
        if text and row.get(lower) is not None:
            text += f" ({fmt(row[lower], digits)}–{fmt(row[upper], digits)})"
        out.append(text)
    return out[0], out[1]


def stratum_value_label(stratum: str, code: str) -> str:
    if stratum == "race":
        return str(race_labels().get(code, code))
    if stratum == "sex":
        return str(_sex_label(code))
    if code == "total":
        return _("All")
    return code


def cells(outcome: Outcome, result: Any = None, by: tuple[str, ...] | None = None) -> list[Cell]:
    """Rows of a result for display; suppressed cells keep their labels and reason only."""
    result = result or outcome.result
    if result is None:
        return []
    by = outcome.spec.by if by is None else by
    adjusted = outcome.spec.adjusted and outcome.spec.measure.kind == "rate"
    published = outcome.spec.measure.kind == "indicator"
    geo = portal.geography()
    county_codes = set(geo.codes(geo.levels[-1])) if geo else set()
    out = []
    for row in result.rows():
        codes = {s: str(row.get(s)) for s in by}
        cell = Cell(
            area=str(row["area"]),
            area_name=str(row["area_name"]),
            strata=[stratum_value_label(s, codes[s]) for s in by],
            strata_codes=codes,
            suppressed=bool(row["suppressed"]),
            is_total=all(v == "total" for v in codes.values()),
            is_reference_area=str(row["area"]) in county_codes,
        )
        if cell.suppressed:
            cell.reason = explain_suppression(row.get("suppression_reason"))
            out.append(cell)
            continue
        cell.raw = row
        cell.count = fmt_count(row["count"])
        cell.population = fmt_count(row["denominator"])
        cell.rate = fmt(row["rate"])
        if row["rate_lower"] is not None:
            cell.rate_ci = f"{fmt(row['rate_lower'])}–{fmt(row['rate_upper'])}"
        cell.adjusted = fmt(row.get("adjusted_rate"))
        if row.get("adjusted_lower") is not None:
            cell.adjusted_ci = f"{fmt(row['adjusted_lower'])}–{fmt(row['adjusted_upper'])}"
        if row.get("rate_ratio") is not None and not cell.is_reference_area:
            cell.ratio = fmt(row["rate_ratio"], 2)
            if row.get("ratio_lower") is not None:
                cell.ratio_ci = f"{fmt(row['ratio_lower'], 2)}–{fmt(row['ratio_upper'], 2)}"
            cell.significant = bool(row.get("ratio_significant"))
        cell.difference, cell.smr = _comparisons(row, cell.is_reference_area)
        cell.unreliable = bool(row.get("unreliable"))
        cell.note = "" if published else explain_missing_rate(row.get("suppression_reason"))
        if published:  # the publisher's own text: never rounded or recomputed here
            cell.rate = row["published_value"] or ""
            if row.get("published_lower") and row.get("published_upper"):
                cell.rate_ci = f"{row['published_lower']}–{row['published_upper']}"
        key = "adjusted" if adjusted and row.get("adjusted_rate") is not None else "rate"
        cell.value = row.get(f"{key}_rate" if key == "adjusted" else "rate")
        cell.lower = row.get(f"{key}_lower" if key == "adjusted" else "rate_lower")
        cell.upper = row.get(f"{key}_upper" if key == "adjusted" else "rate_upper")
        out.append(cell)
    return out


def focus_cell(outcome: Outcome, table: list[Cell]) -> Cell | None:
    """The area the headline and the trend speak about (totals across strata)."""
    totals = [c for c in table if c.is_total and not c.is_reference_area]
    if not totals:
        return None
    wanted = outcome.spec.focus
    for c in totals:
        if c.area == wanted:
            return c
    return totals[0]


def headline(outcome: Outcome, table: list[Cell]) -> str:
    """One plain sentence comparing the focus area with the county."""
    spec = outcome.spec
    cell = focus_cell(outcome, table)
    if cell is None or spec.compare != "county":
        return ""
    if spec.measure.kind == "indicator":
        return _published_headline(outcome, cell, table)
    subject = measure_subject(spec.measure)
    if cell.suppressed:
        return _("There are too few %(subject)s in %(area)s to show a number safely.") % {
            "subject": subject.lower(),
            "area": cell.area_name,
        }
    ratio = cell.raw.get("rate_ratio")
    if ratio is None:
        return ""
    if not cell.significant:
        return _(
            "%(subject)s in %(area)s are about the same as the county rate; the difference "
            "could be due to chance."
        ) % {"subject": subject, "area": cell.area_name}
    if ratio >= 1.1:
        return _("%(subject)s in %(area)s are %(ratio)s times the county rate.") % {
            "subject": subject,
            "area": cell.area_name,
            "ratio": fmt(ratio, 1),
        }
    if ratio > 1:
        return _("%(subject)s in %(area)s are %(percent)s%% higher than the county rate.") % {
            "subject": subject,
            "area": cell.area_name,
            "percent": fmt((ratio - 1) * 100, 0),
        }
    return _("%(subject)s in %(area)s are %(percent)s%% lower than the county rate.") % {
        "subject": subject,
        "area": cell.area_name,
        "percent": fmt((1 - ratio) * 100, 0),
    }


def measure_subject(measure: Any) -> str:
    from django.utils.translation import get_language

    if (get_language() or "").startswith("es") and measure.short_label_es:
        return str(measure.short_label_es)
    return str(measure.short_label or measure.label)


def measure_label(measure: Any) -> str:
    from django.utils.translation import get_language

    if (get_language() or "").startswith("es") and measure.label_es:
        return str(measure.label_es)
    return str(measure.label)


def _published_headline(outcome: Outcome, cell: Cell, table: list[Cell]) -> str:
    """The focus area's published estimate beside the county's, as the publisher gives them
    (no ratio or test of our own: the estimates are not ours to recompute)."""
    meta = outcome.result.meta if outcome.result else {}
    subject = measure_subject(outcome.spec.measure)
    if cell.suppressed:
        return _("%(publisher)s withheld the estimate of %(subject)s for %(area)s.") % {
            "publisher": outcome.spec.measure.dataset.title or _("The publisher"),
            "subject": subject.lower(),
            "area": cell.area_name,
        }
    county = next((c for c in table if c.is_reference_area and not c.suppressed), None)
    values = {
        "subject": subject,
        "area": cell.area_name,
        "value": f"{cell.rate}{meta.get('unit') or ''}",
        "ci": cell.rate_ci,
        "type": str(meta.get("value_type", "")).lower(),
        "year": meta.get("year", ""),
    }
    if county is None:
        return (
            _("%(subject)s in %(area)s: %(value)s (%(type)s, %(year)s; 95%% CI %(ci)s).") % values
        )
    values["county"] = f"{county.rate}{meta.get('unit') or ''}"
    values["county_name"] = county.area_name
    return (
        _(
            "%(subject)s in %(area)s: %(value)s (95%% CI %(ci)s); %(county_name)s: "
            "%(county)s (%(type)s, %(year)s)."
        )
        % values
    )
