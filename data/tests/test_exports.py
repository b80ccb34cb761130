"""CSV and Excel downloads carry the suppression marks, the policy and the data version, and
never a number for a suppressed cell."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import load_workbook

from data.tests.conftest import story_query


def test_csv_marks_suppressed_cells_and_says_what_the_numbers_are(
    client: Any, catalog: dict
) -> None:
    response = client.get(f"/data/query.csv?{story_query()}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    data = [r for r in rows[1:] if r and not r[0].startswith("#")]
    suppressed = [r for r in data if r[header.index("Suppressed")] == "yes"]
    assert suppressed
    for row in suppressed:
        assert all(cell == "" for cell in row[2 : header.index("Suppressed")]), row
        assert row[-1].startswith("Hidden")
    notes = {r[0]: r[1] for r in rows if r and r[0].startswith("#")}
    assert "counts below 11" in notes["# Suppression policy"]
    assert "ed_visits" in notes["# Data version"]


def test_excel_has_the_table_and_the_policy(client: Any, catalog: dict) -> None:
    response = client.get(f"/data/query.xlsx?{story_query()}")
    book = load_workbook(io.BytesIO(response.content))
    table, about = book.worksheets
    header = [c.value for c in table[1]]
    hidden = [
        r
        for r in table.iter_rows(min_row=2, values_only=True)
        if r[header.index("Suppressed")] == "yes"
    ]
    assert hidden and all(
        v in (None, "") for r in hidden for v in r[2 : header.index("Suppressed")]
    )
    labels = [r[0] for r in about.iter_rows(values_only=True)]
    assert "Suppression policy" in labels and "Data version" in labels


def test_the_confidence_limit_headers_keep_their_percent_sign(client: Any, catalog: dict) -> None:
    limits = [
        "Rate, lower 95% limit",
        "Rate, upper 95% limit",
        "Age-adjusted, lower 95% limit",
        "Age-adjusted, upper 95% limit",
    ]
    response = client.get(f"/data/query.csv?{story_query()}")
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [h for h in header if "95" in h] == limits
    book = load_workbook(io.BytesIO(client.get(f"/data/query.xlsx?{story_query()}").content))
    assert [c.value for c in book.worksheets[0][1] if "95" in str(c.value)] == limits
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    response = client.get(f"/data/query.csv?{story_query()}")
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert "Tasa, límite inferior (95% de confianza)" in header
