"""The geometry of a result's bar chart, trend chart and map, drawn as SVG by templates.

Built from the presented cells (`data.present.cells`): a suppressed cell is a hatched bar or
area with its reason, never a number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from data import portal
from data.present import Cell, cells, fmt, focus_cell
from data.queries import Outcome


@dataclass
class Bar:
    label: str
    y: float
    width: float = 0
    lo: float = 0
    hi: float = 0
    text: str = ""
    suppressed: bool = False
    unreliable: bool = False
    reason: str = ""


@dataclass
class BarChart:
    bars: list[Bar]
    height: int
    ref_x: float | None
    ref_label: str
    ticks: list[tuple[float, str]]
    left: int = 170
    width: int = 640
    plot_width: int = 400


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 2.5, 5, 10):
        if value <= m * exp:
            return m * exp
    return 10 * exp


def bar_chart(outcome: Outcome, table: list[Cell]) -> BarChart | None:
    """One bar per area (totals), or per stratum value when there is a single area."""
    spec = outcome.spec
    items = [c for c in table if c.is_total and not c.is_reference_area]
    if len(items) <= 1 and spec.by:
        area = items[0].area if items else None
        items = [
            c
            for c in table
            if not c.is_total
            and all(v != "total" for v in c.strata_codes.values())
            and (area is None or c.area == area)
        ]
    if not items:
        return None
    reference = next((c for c in table if c.is_total and c.is_reference_area), None)
    values = [c.upper or c.value or 0 for c in items if not c.suppressed]
    if reference and reference.value:
        values.append(reference.value)
    top = _nice_max(max(values, default=1))
    chart = BarChart([], 0, None, "", [])
    scale = chart.plot_width / top
    row = 28
    for i, c in enumerate(items):
        label = c.area_name if c.is_total else " · ".join(c.strata)
        if c.is_total is False and len(items) and items[0].area != c.area:
            label = f"{c.area_name} · {label}"
        bar = Bar(label=label, y=30 + i * row, suppressed=c.suppressed, reason=c.reason)
        if not c.suppressed and c.value is not None:
            bar.width = round(c.value * scale, 1)
            bar.lo = round((c.lower or c.value) * scale, 1)
            bar.hi = round((c.upper or c.value) * scale, 1)
            bar.text = fmt(c.value) + (" *" if c.unreliable else "")
            bar.unreliable = c.unreliable
        chart.bars.append(bar)
    chart.height = 30 + len(items) * row + 40
    if reference and reference.value is not None:
        chart.ref_x = round(reference.value * scale, 1)
        chart.ref_label = _("County: %(value)s") % {"value": fmt(reference.value)}
    chart.ticks = [(round(top * k / 4 * scale, 1), fmt(top * k / 4, 0)) for k in range(5)]
    return chart


@dataclass
class Line:
    label: str
    points: list[tuple[float, float, str, str]]  # x, y, year, value text
    path: str
    dash: str
    marker: str
    gaps: list[str]
    label_y: float = 0.0  # where the line's name is written, by its last point


@dataclass
class TrendChart:
    lines: list[Line]
    xticks: list[tuple[float, str]]
    yticks: list[tuple[float, str]]
    width: int = 640
    height: int = 300


def trend_chart(outcome: Outcome, table: list[Cell]) -> TrendChart | None:
    """The focus area of `table` (the result's cells) and the county over the years or blocks
    of years (a gap where one is suppressed)."""
    if outcome.trend is None:
        return None
    focus = focus_cell(outcome, table)
    table = cells(outcome, outcome.trend, by=("year",))
    years = sorted({c.strata_codes["year"] for c in table if c.strata_codes["year"] != "total"})
    if len(years) < 2:
        return None
    present_areas = {c.area for c in table}
    wanted = [focus.area] if focus and focus.area in present_areas else []
    wanted += sorted({c.area for c in table if c.is_reference_area} - set(wanted))
    series = []
    for code in wanted:
        by_year = {c.strata_codes["year"]: c for c in table if c.area == code}
        name = next(c.area_name for c in table if c.area == code)
        series.append((name, by_year))
    values = [
        c.upper or c.value or 0
        for _name, by_year in series
        for y, c in by_year.items()
        if y != "total" and not c.suppressed
    ]
    top = _nice_max(max(values, default=1))
    left, right, top_pad, bottom = 60, 600, 20, 250
    step = (right - left) / (len(years) - 1)
    xs = {y: left + i * step for i, y in enumerate(years)}

    def ypos(v: float) -> float:
        return round(bottom - v / top * (bottom - top_pad), 1)

    styles = [("", "circle"), ("6 4", "square")]
    lines = []
    for (name, by_year), (dash, marker) in zip(series, styles, strict=False):
        points, segments, current, gaps = [], [], [], []
        for y in years:
            c = by_year.get(y)
            if c is None or c.suppressed or c.value is None:
                gaps.append(y)
                if current:
                    segments.append(current)
                current = []
                continue
            pt = (round(xs[y], 1), ypos(c.value), y, fmt(c.value))
            points.append(pt)
            current.append(pt)
        if current:
            segments.append(current)
        path = " ".join("M" + " L".join(f"{p[0]},{p[1]}" for p in seg) for seg in segments if seg)
        lines.append(Line(name, points, path, dash, marker, gaps))
    _place_labels([line for line in lines if line.points])
    return TrendChart(
        lines,
        [(round(xs[y], 1), y) for y in years],
        [(ypos(top * k / 4), fmt(top * k / 4, 0)) for k in range(5)],
    )


def _place_labels(lines: list[Line]) -> None:
    """Names above their lines' last points; where two end close together, the lower line's
    name goes below its point so the two don't overprint."""
    for line in lines:
        line.label_y = line.points[-1][1] - 10
    if len(lines) == 2:
        upper, lower = sorted(lines, key=lambda line: line.points[-1][1])
        if lower.points[-1][1] - upper.points[-1][1] < 16:
            lower.label_y = lower.points[-1][1] + 20


# -- map ---------------------------------------------------------------------------------

# A sequential palette (light to dark) that also differs in lightness for grey-scale print;
# every shape also carries its value as text, so colour is never the only cue.
PALETTE = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
TEXT_ON = ["#1b1b1b", "#1b1b1b", "#1b1b1b", "#ffffff", "#ffffff"]


@dataclass
class MapShape:
    code: str
    name: str
    path: str
    cx: float
    cy: float
    fill: str
    text_fill: str
    text: str
    suppressed: bool
    selected: bool = True


@dataclass
class ChoroplethMap:
    shapes: list[MapShape]
    legend: list[tuple[str, str]]
    show_labels: bool
    width: int = portal.MAP_WIDTH
    height: int = portal.MAP_HEIGHT
    scale_px: float = 0.0  # a scale bar this long, in viewBox units (0: none)
    scale_label: str = ""

    @property
    def scale_end(self) -> float:
        """Where the scale bar, drawn from x = 10, ends."""
        return round(10 + self.scale_px, 1)


def scale_bar(metres_per_unit: float | None, longest: float = 120) -> tuple[float, str]:
    """The longest round distance (1, 2 or 5 times a power of ten) whose bar fits in
    `longest` viewBox units, as (length, label)."""
    if not metres_per_unit:
        return 0.0, ""
    fits = longest * metres_per_unit
    step = 10 ** math.floor(math.log10(fits))
    metres = max(m * step for m in (1, 2, 5) if m * step <= fits)
    label = f"{fmt(metres / 1000)} km" if metres >= 1000 else f"{fmt(metres)} m"
    return round(metres / metres_per_unit, 1), label


def choropleth(outcome: Outcome, table: list[Cell]) -> ChoroplethMap | None:
    """Shapes of the queried level filled by class of the value, with values as labels."""
    spec = outcome.spec
    totals = {c.area: c for c in table if c.is_total and not c.is_reference_area}
    if not totals:
        return None
    if spec.is_custom:
        level = spec.units[0].partition(":")[0] if spec.units else "neighborhood"
        area_cell = next(iter(totals.values()))
        chosen = {u.partition(":")[2] for u in spec.units if u.startswith(level + ":")}
        by_code = {code: area_cell for code in chosen}
    else:
        level = spec.level
        by_code = totals
    frame = portal.frame(level)
    shapes = frame.shapes
    if not shapes:
        return None
    values = sorted({c.value for c in by_code.values() if not c.suppressed and c.value is not None})
    breaks = _breaks(values)
    out = []
    for s in shapes:
        c = by_code.get(s.code)
        if c is None:
            out.append(
                MapShape(s.code, s.name, s.path, s.cx, s.cy, "#f0f0f0", "#1b1b1b", "", False, False)
            )
            continue
        if c.suppressed or c.value is None:
            out.append(
                MapShape(
                    s.code,
                    s.name,
                    s.path,
                    s.cx,
                    s.cy,
                    "url(#ps-hatch)",
                    "#1b1b1b",
                    _("hidden"),
                    True,
                )
            )
            continue
        k = sum(1 for b in breaks if c.value > b)
        out.append(
            MapShape(
                s.code, s.name, s.path, s.cx, s.cy, PALETTE[k], TEXT_ON[k], fmt(c.value), False
            )
        )
    legend = []
    lower = values[0] if values else 0
    for k, b in enumerate([*breaks, values[-1] if values else 0]):
        if values:
            legend.append((PALETTE[k], f"{fmt(lower)}–{fmt(b)}"))
        lower = b
    scale_px, scale_label = scale_bar(frame.metres_per_unit)
    return ChoroplethMap(out, legend, len(shapes) <= 24, scale_px=scale_px, scale_label=scale_label)


def _breaks(values: list[float], classes: int = 5) -> list[float]:
    """Upper bounds of the first classes-1 classes (quantiles of the values shown)."""
    if len(values) < 2:
        return []
    n = min(classes, len(values))
    return [values[min(len(values) - 1, round(len(values) * k / n) - 1)] for k in range(1, n)]
