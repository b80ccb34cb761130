"""Downloads of a result: CSV and Excel carrying the suppression marks, the policy and the data
version. Built from the presented cells, so a suppressed cell has no number in any format."""

from __future__ import annotations

import io
import json
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from data.present import Cell, explain_suppression
from data.queries import Outcome, standard_population_label, stratum_label
from powershare.exports import csv_response, safe_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def header(outcome: Outcome) -> list[str]:
    return [
        _("Area"),
        *[stratum_label(s) for s in outcome.spec.by],
        _("Count"),
        _("Population"),
        _("Rate"),
        # "95% l" reads to xgettext as a format directive; these headers are never formatted.
        # xgettext:no-python-format
        _("Rate, lower 95% limit"),
        # xgettext:no-python-format
        _("Rate, upper 95% limit"),
        _("Age-adjusted rate"),
        # xgettext:no-python-format
        _("Age-adjusted, lower 95% limit"),
        # xgettext:no-python-format
        _("Age-adjusted, upper 95% limit"),
        _("Rate ratio"),
        _("Unreliable"),
        _("Suppressed"),
        _("Note"),
    ]


def _row(cell: Cell) -> list[Any]:
    if cell.suppressed:
        return [
            cell.area_name,
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
        ]
    raw = cell.raw
    note = (
        _("Fewer than 20 events or a large relative error: read with care.")
        if cell.unreliable
        else ""
    )
    return [
        cell.area_name,
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
        (_("Data version"), json.dumps(versions, sort_keys=True)),
        (_("Computed"), str(meta.get("created_at", ""))),
        (_("Source"), measure.dataset.source or measure.dataset.title),
    ]


def csv_export(outcome: Outcome, cells: list[Cell], filename: str) -> HttpResponse:
    rows: list[list[Any]] = [_row(c) for c in cells]
    rows.append([])
    rows += [[f"# {label}", value] for label, value in provenance(outcome)]
    return csv_response(filename, header(outcome), rows)


def xlsx_export(outcome: Outcome, cells: list[Cell], filename: str) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Table")[:31]
    sheet.append(header(outcome))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for c in cells:
        sheet.append([safe_cell(v) for v in _row(c)])
    about = book.create_sheet(_("About these numbers")[:31])
    for label, value in provenance(outcome):
        about.append([label, safe_cell(value)])
    about.append([])
    min_count = outcome.result.meta["policy"]["min_count"] if outcome.result else 11
    about.append([_("Marks"), explain_suppression(f"count below {min_count}")])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
