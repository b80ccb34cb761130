"""Published indicators: estimates that someone else computed, kept exactly as published.

CDC PLACES (and state indicator files in its layout) give, per area and year, a measure's
estimate with its own 95% confidence limits, a value type (crude or age-adjusted
prevalence), the area's population and a footnote where the estimate is withheld. A
department loads such a file as an *indicator* dataset: each row is checked, the values are
kept as the text that was published (and as numbers, for maps and charts), and nothing is
ever recomputed: no rates from counts, no suppression of our own. An estimate that the
publisher withheld stays withheld, with the publisher's footnote as the reason.

Rows whose `LocationID` is not an area of the loaded geography (a national PLACES file
holds every tract of the country) are left out and counted; a file none of whose areas is
in the geography is refused.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from .geography import Geography, load_current
from .loading import LoadReport, Progress, _already_loaded, _commit, _connect, _hash_async
from .result import VALUE_COLUMNS, Result
from .store import Store
from .validation import LoadError, RowError, _quote, _reader, _source_columns

KIND = "indicators"

#: The columns every file in PLACES layout has, by their published names.
REQUIRED = (
    "Year",
    "StateAbbr",
    "LocationName",
    "LocationID",
    "Measure",
    "MeasureId",
    "Data_Value_Type",
    "Data_Value",
    "Low_Confidence_Limit",
    "High_Confidence_Limit",
    "TotalPopulation",
    "Data_Value_Footnote",
)
#: Kept when the file has them (PLACES has all of them; state files often don't).
OPTIONAL = (
    "DataSource",
    "Category",
    "Data_Value_Unit",
    "DataValueTypeID",
    "Data_Value_Footnote_Symbol",
    "Short_Question_Text",
)

_NUMBER = r"^\s*-?[0-9]+(\.[0-9]+)?\s*$"
_WHOLE = r"^\s*[0-9]+(\.0+)?\s*$"
_MEASURE_ID = r"^[A-Za-z][A-Za-z0-9_]{0,39}$"


@dataclass(frozen=True)
class Indicator:
    """One published measure of an indicator dataset, in one value type."""

    dataset: str
    measure_id: str
    measure: str
    value_type_id: str
    value_type: str
    unit: str
    source: str
    category: str
    years: tuple[int, ...]
    levels: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"{self.measure_id}:{self.value_type_id}"


def _checks(cols: set[str]) -> list[tuple[str, str, str]]:
    """(column, SQL true when the text value is bad, reason), in the file's own names."""
    out = [
        ("Year", "NOT regexp_full_match(coalesce(v, ''), '^\\s*[0-9]{4}\\s*$')", "not a year"),
        ("LocationID", "coalesce(trim(v), '') = ''", "no area code"),
        (
            "MeasureId",
            f"NOT regexp_full_match(coalesce(v, ''), '{_MEASURE_ID}')",
            "not a measure id",
        ),
        ("Measure", "coalesce(trim(v), '') = ''", "no measure name"),
        ("Data_Value_Type", "coalesce(trim(v), '') = ''", "no value type"),
    ]
    for col in ("Data_Value", "Low_Confidence_Limit", "High_Confidence_Limit"):
        out.append(
            (
                col,
                f"coalesce(trim(v), '') <> '' AND NOT regexp_full_match(v, '{_NUMBER}')",
                "not a number",
            )
        )
    out.append(
        (
            "TotalPopulation",
            f"coalesce(trim(v), '') <> '' AND NOT regexp_full_match(replace(v, ',', ''), '{_WHOLE}')",
            "not a whole number of people",
        )
    )
    return out


def _text(col: str) -> str:
    return f"nullif(trim({_quote(col)}), '')"


def _num(col: str) -> str:
    return f"TRY_CAST(nullif(trim({_quote(col)}), '') AS DOUBLE)"


def load_indicators(
    store: Store,
    source: str | Path,
    *,
    dataset: str,
    replace: bool = False,
    max_errors: int = 20,
    progress: Progress | None = None,
) -> LoadReport:
    """Check and store a file of published indicators in PLACES layout (see module doc).

    The file replaces what the dataset held (a new release of PLACES is a new file); the same
    file again is a no-op. A file with a missing column, a bad value, an estimate outside its
    own limits, an estimate missing without a footnote, a repeated area/measure/year, or no
    area of this geography is refused whole, and the store is unchanged.
    """
    start = time.perf_counter()
    path = Path(source)
    note = progress or (lambda _msg: None)
    geo = load_current(store)
    con = _connect(store)
    try:
        columns = _source_columns(con, path)
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            raise LoadError(path, [_missing(c, columns) for c in missing], len(missing))
        have = set(columns)
        hasher, box = _hash_async(path)
        note("reading and checking")
        con.execute(
            f"CREATE TEMP TABLE src AS SELECT row_number() OVER () AS _row, * "
            f"FROM {_reader(path, True)}"
        )
        total = con.execute("SELECT count(*) FROM src").fetchone()[0]  # type: ignore[index]
        if not total:
            raise LoadError(path, [RowError(0, "", None, "the file has a header but no rows")], 1)
        errors, count = _row_errors(con, have, max_errors)
        if count:
            raise LoadError(path, errors, count)
        levels = _levels(geo)
        con.register("areas", pa.table({"code": list(levels), "level": list(levels.values())}))
        kept = con.execute(
            "SELECT count(*) FROM src JOIN areas ON areas.code = trim(src.LocationID)"
        ).fetchone()[0]  # type: ignore[index]
        if not kept:
            sample = [
                r[0]
                for r in con.execute("SELECT DISTINCT trim(LocationID) FROM src LIMIT 5").fetchall()
            ]
            reason = (
                f"no LocationID is an area of the loaded geography (the file has "
                f"{', '.join(sample)}, ...; the geography's {geo.base_level} codes look like "
                f"{', '.join(geo.base_codes[:3])})"
            )
            raise LoadError(path, [RowError(0, "LocationID", None, reason)], 1)
        type_id = (
            _text("DataValueTypeID")
            if "DataValueTypeID" in have
            else "regexp_replace(lower(trim(Data_Value_Type)), '[^a-z0-9]+', '_', 'g')"
        )
        select = f"""
            CAST(trim(Year) AS SMALLINT) AS year,
            trim(LocationID) AS area,
            areas.level AS level,
            {_text("LocationName")} AS location_name,
            {_text("StateAbbr")} AS state,
            trim(MeasureId) AS measure_id,
            trim(Measure) AS measure,
            {_text("Category") if "Category" in have else "NULL"} AS category,
            {type_id} AS value_type_id,
            trim(Data_Value_Type) AS value_type,
            {_text("Data_Value_Unit") if "Data_Value_Unit" in have else "'%'"} AS unit,
            {_text("Data_Value")} AS value_text,
            {_text("Low_Confidence_Limit")} AS low_text,
            {_text("High_Confidence_Limit")} AS high_text,
            {_num("Data_Value")} AS value,
            {_num("Low_Confidence_Limit")} AS low,
            {_num("High_Confidence_Limit")} AS high,
            CAST(TRY_CAST(replace(nullif(trim(TotalPopulation), ''), ',', '') AS DOUBLE) AS BIGINT)
                AS population,
            {_text("Data_Value_Footnote_Symbol") if "Data_Value_Footnote_Symbol" in have else "NULL"}
                AS footnote_symbol,
            {_text("Data_Value_Footnote")} AS footnote,
            {_text("DataSource") if "DataSource" in have else "NULL"} AS source,
            _row
        """
        con.execute(
            f"CREATE TEMP TABLE rows AS SELECT {select} FROM src "
            "JOIN areas ON areas.code = trim(src.LocationID)"
        )
        errors, count = _value_errors(con, max_errors)
        if count:
            raise LoadError(path, errors, count)
        note("storing")
        meta = {"left_out": int(total - kept), "columns": columns}
        kv = json.dumps(meta).replace("'", "''")
        final_dir = store.root / KIND / dataset
        final_dir.mkdir(parents=True, exist_ok=True)
        tmp = final_dir / f".{uuid.uuid4().hex}.parquet.tmp"
        try:
            con.execute(
                f"COPY (SELECT * EXCLUDE (_row) FROM rows ORDER BY measure_id, value_type_id, "
                f"year, level, area) TO '{tmp}' (FORMAT parquet, KV_METADATA {{powershare: '{kv}'}})"
            )
            hasher.join()
            sha = box[0]
            stored = {
                d[0]: str(d[1])
                for d in con.sql("SELECT * EXCLUDE (_row) FROM rows LIMIT 0").description
            }
            with store.lock():
                if (rows := _already_loaded(store, dataset, sha)) is not None:
                    return LoadReport(
                        dataset, KIND, path.name, sha, rows, True, time.perf_counter() - start
                    )
                entry = store.manifest()["datasets"].get(dataset)
                if entry and entry["kind"] != KIND:
                    raise ValueError(f"dataset {dataset!r} already exists as {entry['kind']}")
                _commit(store, KIND, dataset, tmp, sha, int(kept), path, stored, True)
        finally:
            tmp.unlink(missing_ok=True)
        return LoadReport(
            dataset, KIND, path.name, sha, int(kept), False, time.perf_counter() - start, stored
        )
    finally:
        con.close()


def _missing(column: str, columns: list[str]) -> RowError:
    near = [c for c in columns if c.lower().replace(" ", "_") == column.lower()]
    hint = (
        f" (the file has {near[0]!r}: names must be spelled as PLACES publishes them)"
        if near
        else ""
    )
    return RowError(
        0,
        column,
        None,
        f"the file has no {column!r} column{hint}; a PLACES file has {', '.join(REQUIRED)}",
    )


def _row_errors(con: Any, have: set[str], limit: int) -> tuple[list[RowError], int]:
    parts = [
        f"SELECT _row, '{col}' AS col, {_quote(col)} AS v, '{reason}' AS reason FROM src "
        f"WHERE {_sub(condition, col)}"
        for col, condition, reason in _checks(have)
    ]
    sql = " UNION ALL ".join(parts)
    count = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
    rows = con.execute(f"SELECT * FROM ({sql}) ORDER BY _row, col LIMIT {limit}").fetchall()
    return [RowError(int(r[0]), r[1], r[2], r[3]) for r in rows], int(count)


def _sub(condition: str, col: str) -> str:
    """The check with its placeholder `v` standing for the column."""
    return re.sub(r"\bv\b", _quote(col), condition)


def _value_errors(con: Any, limit: int) -> tuple[list[RowError], int]:
    sql = """
        SELECT _row, 'Data_Value' AS col, value_text AS v,
               'the estimate lies outside its own confidence limits' AS reason
        FROM rows WHERE value IS NOT NULL AND (low > value OR high < value)
        UNION ALL
        SELECT _row, 'Data_Value', NULL,
               'no estimate and no footnote saying why it was withheld'
        FROM rows WHERE value IS NULL AND footnote IS NULL
        UNION ALL
        SELECT _row, 'LocationID', area,
               'this area, measure, value type and year appear on an earlier row too'
        FROM (SELECT *, row_number() OVER (PARTITION BY year, area, measure_id, value_type_id
                                           ORDER BY _row) AS n FROM rows) WHERE n > 1
    """
    count = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
    rows = con.execute(f"SELECT * FROM ({sql}) ORDER BY _row LIMIT {limit}").fetchall()
    return [RowError(int(r[0]), r[1], r[2], r[3]) for r in rows], int(count)


def _levels(geo: Geography) -> dict[str, str]:
    """Every area code of the geography and its level (the finest, where codes repeat; the
    county's own levels before comparison levels)."""
    out: dict[str, str] = {}
    for level in (*reversed(geo.comparison_levels), *reversed(geo.levels)):
        for code in geo.codes(level):
            out[code] = level
    return out


# -- reading ------------------------------------------------------------------------------


def _table(store: Store, dataset: str) -> pa.Table:
    import pyarrow.parquet as pq

    paths = store.paths(dataset, KIND)
    return pq.ParquetFile(paths[-1]).read()


def indicators(store: Store, dataset: str) -> list[Indicator]:
    """The measures of an indicator dataset, one per value type, in the file's order."""
    con = _connect(store)
    try:
        con.register("t", _table(store, dataset))
        return _indicators_in(con, dataset)
    finally:
        con.close()


def _indicators_in(con: Any, dataset: str) -> list[Indicator]:
    """The measures of the dataset's table, registered as `t` on `con`."""
    rows = con.execute(
        """
        SELECT measure_id, any_value(measure), value_type_id, any_value(value_type),
               any_value(unit), coalesce(any_value(source), ''),
               coalesce(any_value(category), ''),
               list(DISTINCT year ORDER BY year), list(DISTINCT level)
        FROM t GROUP BY measure_id, value_type_id ORDER BY measure_id, value_type_id
        """
    ).fetchall()
    return [
        Indicator(dataset, r[0], r[1], r[2], r[3], r[4] or "", r[5], r[6], tuple(r[7]), tuple(r[8]))
        for r in rows
    ]


def indicator_result(
    store: Store,
    dataset: str,
    measure_id: str,
    value_type_id: str,
    *,
    level: str,
    years: Sequence[int] | None = None,
    reference: str | None = None,
) -> Result:
    """The published estimates at `level` for the latest published year among `years` (of
    all when None), with the
    reference level's rows after them (`reference`, e.g. the county), as a `Result` whose
    `rate` columns hold the estimates and whose `suppressed` rows are those the publisher
    withheld (the reason is the publisher's footnote).

    ValueError names what is not in the file: the measure, the value type, the level or
    the year (with what is there instead).
    """
    geo = load_current(store)
    table = _table(store, dataset)
    con = _connect(store)
    try:
        con.register("t", table)
        chosen = [
            i
            for i in _indicators_in(con, dataset)
            if (i.measure_id, i.value_type_id) == (measure_id, value_type_id)
        ]
        if not chosen:
            raise ValueError(f"{dataset} has no {measure_id} in value type {value_type_id}")
        ind = chosen[0]
        if level not in ind.levels:
            raise ValueError(
                f"{ind.measure} is published for {', '.join(ind.levels)}, not for {level}"
            )
        found = [y for y in ind.years if years is None or y in years]
        if not found:
            asked = "-".join(sorted({str(min(years or ())), str(max(years or ()))}))
            raise ValueError(
                f"{ind.measure} is published for {', '.join(map(str, ind.years))}, not {asked}"
            )
        year = max(found)
        levels = [level] + ([reference] if reference and reference != level else [])
        rows = con.execute(
            f"""
            SELECT level, area, location_name, value, low, high, population, footnote,
                   footnote_symbol, value_text, low_text, high_text
            FROM t WHERE measure_id = ? AND value_type_id = ? AND year = ?
              AND level IN ({", ".join("?" for _ in levels)})
            ORDER BY CASE WHEN level = ? THEN 0 ELSE 1 END, area
            """,
            [measure_id, value_type_id, year, *levels, level],
        ).fetchall()
    finally:
        con.close()
    n = len(rows)
    withheld = [r[3] is None for r in rows]
    cols: dict[str, pa.Array] = {
        "level": pa.array([r[0] for r in rows], pa.string()),
        "area": pa.array([r[1] for r in rows], pa.string()),
        "area_name": pa.array([geo.name(r[0], r[1]) for r in rows], pa.string()),
    }
    values = {
        "count": [None] * n,
        "denominator": [None if r[6] is None else float(r[6]) for r in rows],
        "rate": [r[3] for r in rows],
        "rate_lower": [r[4] for r in rows],
        "rate_upper": [r[5] for r in rows],
    }
    for name in VALUE_COLUMNS:
        if name in values:
            cols[name] = pa.array(values[name], pa.float64())
        elif name in {"unreliable", "ratio_significant"}:
            cols[name] = pa.array([False] * n)
        elif name == "suppressed":
            cols[name] = pa.array(withheld)
        elif name == "suppression_reason":
            cols[name] = pa.array(
                [
                    ("published: " + (r[7] or "no reason given")) if w else None
                    for r, w in zip(rows, withheld, strict=True)
                ],
                pa.string(),
            )
        else:
            cols[name] = pa.array([None] * n, pa.float64())
    cols["published_value"] = pa.array([r[9] for r in rows], pa.string())
    cols["published_lower"] = pa.array([r[10] for r in rows], pa.string())
    cols["published_upper"] = pa.array([r[11] for r in rows], pa.string())
    cols["footnote"] = pa.array([r[7] for r in rows], pa.string())
    meta = {
        "kind": "indicator",
        "dataset": dataset,
        "measure": ind.measure,
        "measure_id": measure_id,
        "value_type": ind.value_type,
        "value_type_id": value_type_id,
        "unit": ind.unit,
        "data_source": ind.source,
        "year": year,
        "level": level,
        "reference": reference,
        "note": "estimates as published, with the publisher's confidence limits; not recomputed",
        "data_version": store.paths(dataset, KIND)[-1].stem,
    }
    return Result(pa.table(cols), meta)
