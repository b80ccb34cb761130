"""Validation rules for loaded files, and the error report of a rejected file.

Rules are SQL over the *text* of a value, so the same rule both finds errors on the slow
path (reading the source as text, with row numbers) and documents what is checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .codes import (
    COUNT,
    POPULATION_RACE_CODES,
    POPULATION_SEX_CODES,
    RACE_CODES,
    SEX_CODES,
    AgeGroup,
)

EVENT_COLUMNS = ("year", "date", "geo", "age", "sex", "race", "cause", "count")

POPULATION_COLUMNS = ("year", "geo", "age_group", "sex", "race", "population")

YEAR_MIN, YEAR_MAX = 1900, 2100

CAUSE_PATTERN = r"[A-Z0-9][A-Z0-9._-]{0,15}"


@dataclass(frozen=True)
class RowError:
    """One problem in a source file. Row 1 is the first data row (line 2 of a CSV)."""

    row: int
    column: str
    value: str | None
    reason: str


class LoadError(Exception):
    """A source file rejected whole; `errors` holds the first problems, `total` all of them."""

    def __init__(self, source: Path, errors: list[RowError], total: int) -> None:
        self.source, self.errors, self.total = source, errors, total
        lines = [f"{source.name}: rejected, {total:,} problem(s); nothing was stored"]
        for e in errors:
            lines.append(f"  row {e.row}, column {e.column!r}, value {e.value!r}: {e.reason}")
        if total > len(errors):
            lines.append(f"  ... and {total - len(errors):,} more")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class _Check:
    column: str  # target column name
    condition: str  # SQL over the *text* value `v` that is TRUE when the value is bad
    reason: str


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _in_list(values: Mapping[str, str] | tuple[str, ...]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _reader(path: Path, all_varchar: bool) -> str:
    suffix = path.suffix.lower()
    p = str(path).replace("'", "''")
    if suffix in {".parquet", ".pq"}:
        return f"read_parquet('{p}')"
    if suffix in {".csv", ".txt", ".gz"} or path.name.endswith(".csv.gz"):
        extra = ", all_varchar=true" if all_varchar else ""
        return f"read_csv('{p}', header=true{extra})"
    raise ValueError(f"{path.name}: only CSV and Parquet sources are supported")


def _source_columns(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    return [d[0] for d in con.sql(f"SELECT * FROM {_reader(path, True)} LIMIT 0").description]


def _resolve(
    columns: list[str],
    mapping: Mapping[str, str] | None,
    targets: tuple[str, ...],
    required: set[str],
) -> dict[str, str]:
    """target -> source column name, from the mapping or by identical (case-insensitive) name."""
    mapping = dict(mapping or {})
    by_lower = {c.lower(): c for c in columns}
    out: dict[str, str] = {}
    for target in targets:
        src = mapping.get(target, target)
        if src in columns:
            out[target] = src
        elif src.lower() in by_lower:
            out[target] = by_lower[src.lower()]
    unknown = set(mapping) - set(targets)
    if unknown:
        raise ValueError(f"mapping names unknown target columns: {', '.join(sorted(unknown))}")
    missing = sorted(required - set(out))
    if missing:
        raise ValueError(
            f"source has no column for: {', '.join(missing)} (columns: {', '.join(columns)})"
        )
    return out


def _report_errors(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    cols: dict[str, str],
    checks: list[_Check],
    max_errors: int,
) -> LoadError:
    """The slow path: read the source as text and name the first errors, count all."""
    reader = _reader(path, all_varchar=True)
    select = ", ".join(f"CAST({_quote(src)} AS VARCHAR) AS {_quote(t)}" for t, src in cols.items())
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE raw AS SELECT row_number() OVER () AS _row, {select} FROM {reader}"
    )
    parts = []
    for i, check in enumerate(checks):
        v = _quote(check.column)
        cond = check.condition.replace("{v}", v)
        parts.append(f"SELECT _row, {i} AS _k, {v} AS value FROM raw WHERE {cond}")
    union = " UNION ALL ".join(parts)
    total = con.execute(f"SELECT count(*) FROM ({union})").fetchone()[0]  # type: ignore[index]
    rows = con.execute(
        f"SELECT * FROM ({union}) ORDER BY _row, _k LIMIT {int(max_errors)}"
    ).fetchall()
    errors = [RowError(int(r), checks[k].column, v, checks[k].reason) for r, k, v in rows]
    return LoadError(path, errors, int(total))


def _event_checks(cols: dict[str, str]) -> list[_Check]:
    checks = []
    for c in ("geo", "sex", "race", "age"):
        checks.append(_Check(c, "({v} IS NULL OR trim({v}) = '')", "missing"))
    if "year" in cols:
        checks.append(_Check("year", "({v} IS NULL OR trim({v}) = '')", "missing"))
        checks.append(
            _Check(
                "year",
                "TRY_CAST({v} AS SMALLINT) IS NULL AND trim({v}) <> ''",
                "not a whole number",
            )
        )
        checks.append(
            _Check(
                "year",
                f"TRY_CAST({{v}} AS SMALLINT) NOT BETWEEN {YEAR_MIN} AND {YEAR_MAX}",
                f"year outside {YEAR_MIN}-{YEAR_MAX}",
            )
        )
    if "date" in cols:
        checks.append(
            _Check(
                "date",
                "TRY_CAST({v} AS DATE) IS NULL AND trim({v}) <> ''",
                "not a date (YYYY-MM-DD)",
            )
        )
        checks.append(
            _Check(
                "date",
                f"year(TRY_CAST({{v}} AS DATE)) NOT BETWEEN {YEAR_MIN} AND {YEAR_MAX}",
                f"date outside {YEAR_MIN}-{YEAR_MAX}",
            )
        )
        if "year" not in cols:
            checks.append(
                _Check("date", "({v} IS NULL OR trim({v}) = '')", "missing (no year column)")
            )
        else:
            checks.append(
                _Check(
                    "date",
                    "year(TRY_CAST({v} AS DATE)) <> TRY_CAST(year AS SMALLINT)",
                    "date is not in the row's year",
                )
            )
    checks += [
        _Check(
            "age",
            "TRY_CAST({v} AS SMALLINT) IS NULL AND trim({v}) <> ''",
            "not a whole number of years",
        ),
        _Check("age", "TRY_CAST({v} AS SMALLINT) NOT BETWEEN 0 AND 120", "age outside 0-120"),
        _Check(
            "sex",
            f"{{v}} NOT IN ({_in_list(SEX_CODES)})",
            f"unknown sex code (allowed: {', '.join(SEX_CODES)})",
        ),
        _Check("race", f"{{v}} NOT IN ({_in_list(RACE_CODES)})", "unknown race/ethnicity code"),
        _Check("geo", "{v} NOT IN (SELECT code FROM base_units)", "unknown geography code"),
        _Check("cause", "({v} IS NULL OR trim({v}) = '')", "missing"),
        *(_count_checks() if COUNT in cols else []),
        _Check(
            "cause",
            f"NOT regexp_full_match({{v}}, '{CAUSE_PATTERN}')",
            "not a cause code (capital letters, digits, '.', '-', '_'; at most 16)",
        ),
    ]
    return checks


def _count_checks() -> list[_Check]:
    number = "TRY_CAST({v} AS DOUBLE)"
    return [
        _Check(COUNT, "({v} IS NULL OR trim({v}) = '')", "missing"),
        _Check(COUNT, f"{number} IS NULL AND trim({{v}}) <> ''", "not a number"),
        _Check(COUNT, f"{number} <> floor({number})", "not a whole number of events"),
        _Check(COUNT, f"{number} < 0", "a negative count"),
    ]


def _check_partition(path: Path, groups: list[AgeGroup]) -> None:
    problem = None
    if not groups or groups[0].lo != 0 or groups[-1].hi != 120:
        problem = "age groups must start at 0 and end with an open group (e.g. 85+)"
    for a, b in zip(groups, groups[1:], strict=False):
        if b.lo != a.hi + 1:
            problem = f"age groups {a.label} and {b.label} overlap or leave a gap"
    if problem:
        raise LoadError(
            path, [RowError(0, "age_group", ",".join(g.label for g in groups), problem)], 1
        )


def _population_checks() -> list[_Check]:
    """Rules for population rows (the duplicate-key rule is a window query in the loader)."""
    return [
        *(_Check(c, "({v} IS NULL OR trim({v}) = '')", "missing") for c in POPULATION_COLUMNS),
        _Check(
            "year", "TRY_CAST({v} AS SMALLINT) IS NULL AND trim({v}) <> ''", "not a whole number"
        ),
        _Check(
            "year",
            f"TRY_CAST({{v}} AS SMALLINT) NOT BETWEEN {YEAR_MIN} AND {YEAR_MAX}",
            f"year outside {YEAR_MIN}-{YEAR_MAX}",
        ),
        _Check("geo", "{v} NOT IN (SELECT code FROM base_units)", "unknown geography code"),
        _Check(
            "age_group",
            "trim({v}) NOT IN (SELECT label FROM ages)",
            "not an age group such as 0, 1-4, 85+",
        ),
        _Check(
            "sex",
            f"{{v}} NOT IN ({_in_list(POPULATION_SEX_CODES)})",
            "population sex must be F or M",
        ),
        _Check(
            "race",
            f"{{v}} NOT IN ({_in_list(POPULATION_RACE_CODES)})",
            "unknown race/ethnicity code",
        ),
        _Check("population", "TRY_CAST({v} AS DOUBLE) IS NULL AND trim({v}) <> ''", "not a number"),
        _Check("population", "TRY_CAST({v} AS DOUBLE) < 0", "negative population"),
    ]
