"""Downloads of a result: CSV, Excel, a zip (the CSV and a README) and the JSON twin, built from
the presented cells, so a suppressed cell has no number in any format.

The CSV is a plain table (one header row, one row per cell, nothing after it) that pandas, R and
csvkit read without options; what the numbers are (measure, policy, sources, data version, the
notes, what each column means) goes in the Excel "About" sheet, the zip's README and the JSON
`meta`. Each row carries the area's code beside its name, the key that joins it to the shapes of
its level (`/data/shapes/<level>.geojson`) in QGIS or R.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from data.models import Measure
from data.present import Cell, explain_suppression, measure_label
from data.queries import Outcome, standard_population_label, stratum_label
from powershare.exports import csv_response, safe_cell
from powershare.stats import Result
from powershare.stats.comparisons import level_suffix

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def columns(outcome: Outcome) -> list[tuple[str, str]]:
    """The table's columns in order, each with what it holds (the README and the About sheet)."""
    spec = outcome.spec
    if spec.is_custom:
        code = _("The area's code; a custom area's code is the name it was given.")
    else:
        code = _(
            "The area's code: the key that joins this table to the areas' shapes (the "
            "“code” field of %(path)s) in QGIS or R."
        ) % {"path": reverse("data:shapes_geojson", args=[spec.level])}
    if spec.is_rate:
        adjusted = _("The rate as if every area had the same age mix (%(standard)s).") % {
            "standard": standard_line(outcome)
        }
    else:
        adjusted = _("Empty: proportions are not age-adjusted.")
    if spec.is_indicator:
        return _published_columns(outcome, code)
    # The headers name 95%; another level chosen in the builder replaces it (in either language).
    chosen = f"{(spec.methods or {}).get('conf_level', 0.95) * 100:g}%"

    def at(header: str) -> str:
        return header.replace("95%", chosen)

    return [
        (_("Area"), _("The area's name.")),
        (_("Area code"), code),
        *[(stratum_label(s), _("The group the row counts; “All” is everyone.")) for s in spec.by],
        (_("Count"), _("The number of events.")),
        (
            _("Population"),
            _("The denominator: the residents, or for a proportion the events it is a share of."),
        ),
        (_("Rate"), _("The rate, in %(unit)s.") % {"unit": spec.measure.unit}),
        # "95% l" reads to xgettext as a format directive; these headers are never formatted.
        # xgettext:no-python-format
        (at(_("Rate, lower 95% limit")), _lower(_("the rate"))),
        # xgettext:no-python-format
        (at(_("Rate, upper 95% limit")), _upper(_("the rate"))),
        (_("Age-adjusted rate"), adjusted),
        # xgettext:no-python-format
        (at(_("Age-adjusted, lower 95% limit")), _lower(_("the age-adjusted rate"))),
        # xgettext:no-python-format
        (at(_("Age-adjusted, upper 95% limit")), _upper(_("the age-adjusted rate"))),
        (
            _("Rate ratio"),
            _(
                "The rate divided by the reference's (the county, or White residents of the same "
                "area): 1 is the same. Empty for the reference itself."
            ),
        ),
        (
            _("Unreliable"),
            _("“yes” when the rate rests on fewer than 20 events or has a large relative error."),
        ),
        (
            _("Suppressed"),
            _("“yes” when the cell is hidden to protect privacy: its numbers are then empty."),
        ),
        (_("Note"), _("Why a cell is hidden, or a caution about it.")),
        *[(name, meaning) for name, meaning, _key in method_columns(outcome)],
    ]


def method_columns(outcome: Outcome) -> list[tuple[str, str, str]]:
    """The comparison columns the query chose (name, meaning, the result's column): ratio
    limits, the rate difference, the SMR, and limits at a further confidence level."""
    spec = outcome.spec
    if spec.is_indicator or spec.compare == "none":
        return []
    methods = spec.methods or {}
    level = f"{methods.get('conf_level', 0.95) * 100:g}%"
    out = [
        (
            _("Rate ratio, lower %(level)s limit") % {"level": level},
            _lower(_("the rate ratio")),
            "ratio_lower",
        ),
        (
            _("Rate ratio, upper %(level)s limit") % {"level": level},
            _upper(_("the rate ratio")),
            "ratio_upper",
        ),
        (
            _("Rate difference"),
            _("The rate minus the reference's, in %(unit)s: 0 is the same.")
            % {"unit": spec.measure.unit},
            "rate_difference",
        ),
        (
            _("Rate difference, lower %(level)s limit") % {"level": level},
            _lower(_("the rate difference")),
            "difference_lower",
        ),
        (
            _("Rate difference, upper %(level)s limit") % {"level": level},
            _upper(_("the rate difference")),
            "difference_upper",
        ),
    ]
    if methods.get("indirect"):
        out += [
            (
                _("Expected events"),
                _("The events the area would have at the reference's rates for each age group."),
                "expected",
            ),
            (
                _("Standardized ratio (SMR)"),
                _("Observed events over expected events: 1 is the same as the reference."),
                "smr",
            ),
            (_("SMR, lower %(level)s limit") % {"level": level}, _lower(_("the SMR")), "smr_lower"),
            (_("SMR, upper %(level)s limit") % {"level": level}, _upper(_("the SMR")), "smr_upper"),
        ]
    for extra in methods.get("conf_levels", ()):
        more = f"{extra * 100:g}%"
        suffix = level_suffix(extra)
        out += [
            (
                _("Rate, lower %(level)s limit") % {"level": more},
                _lower(_("the rate")),
                f"rate_lower_{suffix}",
            ),
            (
                _("Rate, upper %(level)s limit") % {"level": more},
                _upper(_("the rate")),
                f"rate_upper_{suffix}",
            ),
        ]
        if spec.is_rate:
            out += [
                (
                    _("Age-adjusted, lower %(level)s limit") % {"level": more},
                    _lower(_("the age-adjusted rate")),
                    f"adjusted_lower_{suffix}",
                ),
                (
                    _("Age-adjusted, upper %(level)s limit") % {"level": more},
                    _upper(_("the age-adjusted rate")),
                    f"adjusted_upper_{suffix}",
                ),
            ]
    return out


def _published_columns(outcome: Outcome, code: str) -> list[tuple[str, str]]:
    """The same columns for published estimates: what they hold, or that they are empty."""
    meta = outcome.result.meta if outcome.result else {}
    empty = _("Empty: published estimates come without it.")
    estimate = _("The publisher's estimate (%(type)s, %(unit)s), as published.") % {
        "type": str(meta.get("value_type", "")).lower(),
        "unit": meta.get("unit") or "%",
    }
    return [
        (_("Area"), _("The area's name.")),
        (_("Area code"), code),
        (_("Count"), empty),
        (_("Population"), _("The population the publisher gives for the area.")),
        (_("Rate"), estimate),
        # xgettext:no-python-format
        (_("Rate, lower 95% limit"), _("The publisher's lower confidence limit (95%).")),
        # xgettext:no-python-format
        (_("Rate, upper 95% limit"), _("The publisher's upper confidence limit (95%).")),
        (_("Age-adjusted rate"), empty),
        # xgettext:no-python-format
        (_("Age-adjusted, lower 95% limit"), empty),
        # xgettext:no-python-format
        (_("Age-adjusted, upper 95% limit"), empty),
        (_("Rate ratio"), empty),
        (_("Unreliable"), empty),
        (_("Suppressed"), _("“yes” when the publisher withheld the estimate.")),
        (_("Note"), _("The publisher's footnote.")),
    ]


def _lower(what: str) -> str:
    return _("The lower limit of the %(level)s%% confidence interval of %(what)s.") % {
        "level": 95,
        "what": what,
    }


def _upper(what: str) -> str:
    return _("The upper limit of the %(level)s%% confidence interval of %(what)s.") % {
        "level": 95,
        "what": what,
    }


def header(outcome: Outcome) -> list[str]:
    return [name for name, _meaning in columns(outcome)]


def _row(cell: Cell, keys: tuple[str, ...] = ()) -> list[Any]:
    """One cell's row; `keys` are the result's columns of `method_columns`, at the end."""
    if cell.suppressed:
        return [
            cell.area_name,
            cell.area,
            *cell.strata,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            _("yes"),
            cell.reason,
            *["" for _key in keys],
        ]
    raw = cell.raw
    note = (
        _("Fewer than 20 events or a large relative error: read with care.")
        if cell.unreliable
        else cell.note
    )
    return [
        cell.area_name,
        cell.area,
        *cell.strata,
        raw["count"],
        raw["denominator"],
        raw["rate"],
        raw["rate_lower"],
        raw["rate_upper"],
        raw.get("adjusted_rate"),
        raw.get("adjusted_lower"),
        raw.get("adjusted_upper"),
        "" if cell.is_reference_area else raw.get("rate_ratio"),
        _("yes") if cell.unreliable else "",
        "",
        note,
        *["" if cell.is_reference_area else raw.get(key) for key in keys],
    ]


def standard_line(outcome: Outcome) -> str:
    """The standard population that adjusted the rates, as the engine used it."""
    used = (outcome.result.meta.get("standard") if outcome.result else None) or {}
    name = used.get("name") or outcome.spec.standard_name
    if not name:
        return _("None: proportions are not age-adjusted")
    return standard_population_label(name)


def provenance(outcome: Outcome) -> list[tuple[str, str]]:
    """Lines saying what the numbers are: measure, years, policy, data versions, time."""
    meta = outcome.result.meta if outcome.result else {}
    policy = meta.get("policy", {})
    versions = meta.get("data_versions", {})
    measure = outcome.spec.measure
    if outcome.spec.is_indicator:
        return [
            (_("Measure"), f"{measure.label} ({measure.unit})"),
            (_("Year"), str(meta.get("year", ""))),
            (_("Value type"), str(meta.get("value_type", ""))),
            (_("Published by"), measure.dataset.source or measure.dataset.title),
            (_("Survey or model"), str(meta.get("data_source") or "—")),
            (
                _("How the numbers are shown"),
                _("As published, with the publisher's confidence limits; never recomputed."),
            ),
            (_("Data version"), str(meta.get("data_version", ""))),
        ]
    return [
        (_("Measure"), f"{measure.label} ({measure.unit})"),
        (_("Years"), f"{min(outcome.spec.years)}–{max(outcome.spec.years)}"),
        (_("Standard population"), standard_line(outcome)),
        (
            _("Suppression policy"),
            _(
                "counts below %(count)s and populations below %(pop)s are hidden; complementary suppression %(comp)s"
            )
            % {
                "count": policy.get("min_count"),
                "pop": policy.get("min_population"),
                "comp": _("on") if policy.get("complementary") else _("off"),
            },
        ),
        *(
            [(_("Perturbation"), str(meta["release"].get("note", "")))]
            if meta.get("release", {}).get("method") == "perturbation"
            else []
        ),
        (_("Data version"), data_version(versions)),
        (_("Computed"), computed_on(meta)),
        (_("Source"), measure.dataset.source or measure.dataset.title),
    ]


def data_version(versions: dict[str, Any]) -> str:
    """The versions of the files a result was computed from, in words: "events ed_visits
    3f2a…; population population 9b1c…; geography 41a0…"."""
    kinds = {"events": _("events"), "population": _("population")}
    parts = [
        f"{kinds[kind]} {name} {version}"
        for kind in kinds
        for name, version in sorted((versions.get(kind) or {}).items())
    ]
    if versions.get("geography"):
        parts.append(f"{_('geography')} {versions['geography']}")
    return "; ".join(parts) or "—"


def computed_on(meta: dict[str, Any]) -> str:
    """When the engine computed a result, as a date and time in the reader's language."""
    try:
        when = datetime.fromisoformat(str(meta.get("created_at", "")))
    except ValueError:
        return "—"
    return formats.date_format(timezone.localtime(when), "DATETIME_FORMAT")


def notes(measure: Measure, meta: dict[str, Any], reasons: Iterable[str]) -> list[str]:
    """What to know when reading the table: why cells are hidden (`reasons`, in words), what
    unreliable means, the measure's description and the dataset's caveats."""
    reasons = sorted(set(reasons))
    lines = []
    if measure.is_indicator:
        if reasons:
            lines.append(_("Withheld by the publisher, for the reason in its footnote."))
        return lines + [text for text in (measure.description, measure.dataset.caveats) if text]
    if reasons:
        lines.append(
            _(
                "Hidden to protect privacy. When a number is very small, someone could work out "
                "who it is about, so it is not shown anywhere."
            )
        )
        lines += reasons
    lines.append(
        _(
            "Unreliable: based on fewer than 20 events or with a large margin of error. The true "
            "rate could be quite different."
        )
    )
    if meta.get("release", {}).get("method") == "perturbation":
        lines.append(
            _(
                "Every count carries a small noise that protects the people counted; totals are "
                "perturbed on their own and need not add up."
            )
        )
    lines += [text for text in (measure.description, measure.dataset.caveats) if text]
    return lines


def _notes(outcome: Outcome, cells: list[Cell]) -> list[str]:
    meta = outcome.result.meta if outcome.result else {}
    return notes(outcome.spec.measure, meta, (c.reason for c in cells if c.suppressed))


def csv_export(outcome: Outcome, cells: list[Cell], filename: str) -> HttpResponse:
    """A plain table: one header row, one row per cell; what it is goes in the zip's README."""
    keys = tuple(key for _n, _m, key in method_columns(outcome))
    return csv_response(filename, header(outcome), (_row(c, keys) for c in cells))


def readme(outcome: Outcome, cells: list[Cell], csv_name: str) -> str:
    """The README beside the CSV in the zip: what the numbers are, the notes, the columns."""
    title = f"{measure_label(outcome.spec.measure)}, {outcome.spec.years_label}"
    lines = [title, "=" * len(title), "", _("About these numbers"), ""]
    lines += [f"{label}: {value}" for label, value in provenance(outcome)]
    lines += ["", _("Notes"), ""]
    lines += [f"- {text}" for text in _notes(outcome, cells)]
    lines += ["", _("Columns of %(file)s") % {"file": csv_name}, ""]
    lines += [f"{name}: {meaning}" for name, meaning in columns(outcome)]
    return "\n".join(lines) + "\n"


def zip_export(outcome: Outcome, cells: list[Cell], filename: str) -> HttpResponse:
    """A zip of the CSV and a README.txt saying what it is, for analysis and GIS tools."""
    stem = filename.removesuffix(".zip")
    csv_name = f"{stem}.csv"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(csv_name, csv_export(outcome, cells, csv_name).content)
        archive.writestr("README.txt", readme(outcome, cells, csv_name).encode())
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_export(result: Result, measure: Measure) -> dict[str, Any]:
    """The JSON twin of a result: the engine's meta with the dataset's source and the notes, and
    rows (`area` is the area's code, beside `area_name`) where a suppressed cell keeps its labels
    and reason only."""
    rows = result.rows()
    for row in rows:
        if row.get("suppressed"):
            row["denominator"] = None
            row["suppression_note"] = explain_suppression(row.get("suppression_reason"))
    dataset = measure.dataset
    meta = {
        **result.meta,
        "source": {
            "dataset": dataset.title,
            "source": dataset.source or dataset.title,
            "caveats": dataset.caveats,
        },
        "notes": notes(
            measure, result.meta, (r["suppression_note"] for r in rows if r["suppressed"])
        ),
    }
    return {"meta": meta, "rows": rows}


def xlsx_export(outcome: Outcome, cells: list[Cell], filename: str) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Table")[:31]
    sheet.append(header(outcome))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    keys = tuple(key for _n, _m, key in method_columns(outcome))
    for c in cells:
        sheet.append([safe_cell(v) for v in _row(c, keys)])
    about = book.create_sheet(_("About these numbers")[:31])
    for label, value in provenance(outcome):
        about.append([label, safe_cell(value)])
    about.append([])
    policy = outcome.result.meta.get("policy") if outcome.result else None
    if policy:  # published estimates come under the publisher's rules, not the policy
        about.append([_("Marks"), explain_suppression(f"count below {policy['min_count']}")])
    for text in _notes(outcome, cells):
        about.append([_("Note"), safe_cell(text)])
    about.append([])
    about.append([_("Columns")])
    about[about.max_row][0].font = Font(bold=True)
    for name, meaning in columns(outcome):
        about.append([safe_cell(name), safe_cell(meaning)])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
