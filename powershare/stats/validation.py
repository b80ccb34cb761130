"""Validation rules for loaded files, and the error report of a rejected file.

Rules are SQL over the *text* of a value, so the same rule both finds errors on the slow
path (reading the source as text, with row numbers) and documents what is checked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    ages_text,
)

EVENT_COLUMNS = ("year", "date", "geo", "age", "sex", "race", "cause", "count")

POPULATION_COLUMNS = ("year", "geo", "age_group", "sex", "race", "population")

YEAR_MIN, YEAR_MAX = 1900, 2100

CAUSE_PATTERN = r"[A-Z0-9][A-Z0-9._-]{0,15}"

#: The column of age-group labels ("0", "1-4", "85+") in population files and in files of
#: counts by age group; a label the loader can't read is refused with this reason.
AGE_GROUP = "age_group"
NOT_A_GROUP = "not an age group such as 0, 1-4, 85+"


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


def _reader(path: Path, all_varchar: bool, text: Sequence[str] = ()) -> str:
    """The DuckDB table function reading a source; `text` names CSV columns read as text
    whatever they look like (a sex column of F only is not a column of booleans)."""
    suffix = path.suffix.lower()
    p = str(path).replace("'", "''")
    if suffix in {".parquet", ".pq"}:
        return f"read_parquet('{p}')"
    if suffix in {".csv", ".txt", ".gz"} or path.name.endswith(".csv.gz"):
        extra = ", all_varchar=true" if all_varchar else ""
        if text and not all_varchar:
            types = ", ".join(f"'{c.replace(chr(39), chr(39) * 2)}': 'VARCHAR'" for c in text)
            extra += f", types={{{types}}}"
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
    grouped = AGE_GROUP in cols
    checks = []
    for c in ("geo", "sex", "race", AGE_GROUP if grouped else "age"):
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
    if grouped:
        checks.append(_Check(AGE_GROUP, "trim({v}) NOT IN (SELECT label FROM ages)", NOT_A_GROUP))
    else:
        checks += [
            _Check(
                "age",
                "TRY_CAST({v} AS SMALLINT) IS NULL AND trim({v}) <> ''",
                "not a whole number of years",
            ),
            _Check("age", "TRY_CAST({v} AS SMALLINT) NOT BETWEEN 0 AND 120", "age outside 0-120"),
        ]
    checks += [
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


def _check_age_scheme(path: Path, found: Mapping[AgeGroup, tuple[str, int]], fix: str) -> None:
    """A file's age groups (each with its label and first row) must not overlap or leave a
    gap between them; they may cover only some ages. `fix` says how to fill a gap."""
    errors = []
    reach: tuple[AgeGroup, str, int] | None = None  # the group reaching the highest age so far
    for group, (label, row) in sorted(found.items()):
        if reach is not None:
            held, held_label, held_row = reach
            if group.lo <= held.hi:
                errors.append(
                    RowError(
                        row,
                        AGE_GROUP,
                        label,
                        f"age group {group.label} overlaps {held.label} ({held_label!r}, row "
                        f"{held_row}): each age must fall in one group only",
                    )
                )
            elif group.lo > held.hi + 1:
                errors.append(
                    RowError(
                        row,
                        AGE_GROUP,
                        label,
                        f"no age group holds {ages_text(held.hi + 1, group.lo - 1)}, between "
                        f"{held.label} (row {held_row}) and {group.label}: {fix}",
                    )
                )
        if reach is None or group.hi > reach[0].hi:
            reach = (group, label, row)
    if errors:
        raise LoadError(path, errors, len(errors))


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
        _Check(AGE_GROUP, "trim({v}) NOT IN (SELECT label FROM ages)", NOT_A_GROUP),
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
