"""Loading events from CSV or Parquet (population: `population.py`): validated whole,
stored atomically.

The fast path converts the source to a typed Parquet file next to its final place in one
DuckDB pass, then checks every rule with one vectorized query over it. Only when a rule
fails does a second, slower pass read the source as text to name the first errors
(row, column, value, reason) and count them all. Nothing is kept from a rejected file.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
import uuid
from collections.abc import Mapping
from pathlib import Path

import duckdb
import pyarrow as pa

from . import agegroups
from .codes import (
    AGE_CODE,
    AGE_GRID,
    AGE_HI,
    CODES_KEY,
    COUNT,
    KEY_CODES,
    MAX_AGE,
    RACE_CODES,
    RECORD_KEY,
    SEX_CODES,
    AgeGroup,
)
from .geography import load_current
from .loading import (
    LoadReport,
    Progress,
    _already_loaded,
    _commit,
    _connect,
    _hash_async,
    _no_rows,
    _whole_file_errors,
)
from .store import Store
from .validation import (
    AGE_GROUP,
    CAUSE_PATTERN,
    EVENT_COLUMNS,
    YEAR_MAX,
    YEAR_MIN,
    LoadError,
    RowError,
    _check_age_scheme,
    _event_checks,
    _in_list,
    _quote,
    _reader,
    _report_errors,
    _resolve,
    _source_columns,
)


class _AgeLabels(Exception):
    """The age column holds age-group labels ("1-4", "85+"), not whole years."""


@_whole_file_errors
def load_events(
    store: Store,
    source: str | os.PathLike[str],
    *,
    dataset: str,
    mapping: Mapping[str, str] | None = None,
    replace: bool = False,
    max_errors: int = 20,
    progress: Progress | None = None,
) -> LoadReport:
    """Validate and store a file of record-level events or counts (see docs/stats.md).

    `mapping` maps engine columns to source columns, e.g. {"geo": "tract_id"}. A file with
    the same checksum already in the dataset is a no-op; `replace` drops earlier files.
    Ages are whole years, or age groups (an `age_group` column, or an age column of labels
    such as "1-4", "85+").
    """
    args = (store, Path(source), dataset, mapping, replace, max_errors, progress)
    try:
        return _load_events(*args, age_labels=False)
    except _AgeLabels:  # found only when whole years fail: no cost for a file of years
        return _load_events(*args, age_labels=True)


def _load_events(
    store: Store,
    path: Path,
    dataset: str,
    mapping: Mapping[str, str] | None,
    replace: bool,
    max_errors: int,
    progress: Progress | None,
    age_labels: bool,
) -> LoadReport:
    start = time.perf_counter()
    note = progress or (lambda _msg: None)
    geo = load_current(store)
    con = _connect(store)
    con.register("base_units", pa.table({"code": geo.base_codes}))
    names = _source_columns(con, path)
    cols = _resolve(names, mapping, (*EVENT_COLUMNS, AGE_GROUP), {"geo", "sex", "race", "cause"})
    cols = agegroups.age_columns(cols, mapping, age_labels, names)
    grouped = AGE_GROUP in cols
    if "year" not in cols and "date" not in cols:
        raise ValueError("events need a year or a date column")
    # Counts by age group: each label's group and first row (a rejected scheme names them).
    found = agegroups.read_labels(con, path, cols[AGE_GROUP]) if grouped else {}
    hasher, box = _hash_async(path)
    extras = [c for c in names if c not in cols.values()]
    select = []
    if "year" in cols:
        select.append(f"CAST({_quote(cols['year'])} AS SMALLINT) AS year")
    else:
        select.append(f"CAST(year(CAST({_quote(cols['date'])} AS DATE)) AS SMALLINT) AS year")
    if "date" in cols:
        select.append(f"CAST({_quote(cols['date'])} AS DATE) AS date")
    # ENUM casts check the codes on the way in and make the sort below about half as
    # hungry (one byte per value instead of a string); Parquet stores them as strings.
    select += [
        f"CAST({_quote(cols['geo'])} AS ENUM({_in_list(tuple(geo.base_codes))})) AS geo",
        *(
            [
                "CAST(CASE WHEN _ag_lo IS NULL THEN error('bad age group') ELSE _ag_lo END "
                f"AS SMALLINT) AS age, CAST(_ag_hi AS SMALLINT) AS {AGE_HI}"
            ]
            if grouped
            else [f"CAST({_quote(cols['age'])} AS SMALLINT) AS age"]
        ),
        f"CAST({_quote(cols['sex'])} AS ENUM({_in_list(SEX_CODES)})) AS sex",
        f"CAST({_quote(cols['race'])} AS ENUM({_in_list(RACE_CODES)})) AS race",
        f"CAST({_quote(cols['cause'])} AS VARCHAR) AS cause",
    ]
    if COUNT in cols:  # aggregated counts: whole, non-negative (anything else is listed)
        raw = f"CAST({_quote(cols[COUNT])} AS DOUBLE)"
        select.append(
            f"CAST(CASE WHEN {raw} >= 0 AND {raw} = floor({raw}) THEN {raw} "
            f"ELSE error('bad count') END AS INTEGER) AS {COUNT}"
        )
    kept = [
        c
        for c in extras
        if c.lower() not in EVENT_COLUMNS
        and c.lower() not in {*KEY_CODES.values(), AGE_CODE, RECORD_KEY, AGE_HI}
    ]
    select += [_quote(c) for c in kept]
    # Integer codes beside geo, race and sex: queries group by them (DuckDB's perfect hash
    # aggregate indexes an array instead of hashing strings). The code lists go in the
    # file's own metadata, so the codes stay readable whatever the geography becomes.
    # The same for the age group of the standard's 19 (most queries bin ages on them).
    ends = [*AGE_GRID[1:], MAX_AGE + 1]
    age_groups = [AgeGroup(a, b - 1) for a, b in zip(AGE_GRID, ends, strict=True)]
    key_codes = {
        "geo": list(geo.base_codes),
        "race": list(RACE_CODES),
        "sex": list(SEX_CODES),
        "age": [g.label for g in age_groups],
    }
    geo_type = "SMALLINT" if len(geo.base_codes) < 2**15 else "INTEGER"
    age_code = " ".join(f"WHEN age < {g.hi + 1} THEN {i}" for i, g in enumerate(age_groups[:-1]))
    coded = (
        f"*, CAST(enum_code(geo) AS {geo_type}) AS {KEY_CODES['geo']}, "
        f"CAST(enum_code(race) AS TINYINT) AS {KEY_CODES['race']}, "
        f"CAST(enum_code(sex) AS TINYINT) AS {KEY_CODES['sex']}, "
        f"CAST(CASE {age_code} ELSE {len(age_groups) - 1} END AS TINYINT) AS {AGE_CODE}"
    )
    # The record key: a hash of the store's secret and the whole record, so a record keeps
    # its key however often it is loaded, and nobody without the secret can compute it.
    # (DuckDB's 64-bit hash: SHA-256 would cost a second per 1.3 M rows, about 20x more.)
    content = ", ".join(
        ["year", *(["date"] if "date" in cols else []), "geo", "age", "sex", "race", "cause"]
        + ([AGE_HI] if grouped else [])
        + ([COUNT] if COUNT in cols else [])
        + [_quote(c) for c in kept]
    )
    secret = store.record_key_secret()
    coded += f", CAST(hash('{secret}', {content}) % 256 AS UTINYINT) AS {RECORD_KEY}"
    kv = json.dumps({"key_codes": key_codes}).replace("'", "''")
    final_dir = store.root / "events" / dataset
    final_dir.mkdir(parents=True, exist_ok=True)
    tmp = final_dir / f".{uuid.uuid4().hex}.parquet.tmp"
    checks = _event_checks(cols)
    codes = [cols[c] for c in ("geo", "sex", "race", "cause", AGE_GROUP) if c in cols]
    reader = _reader(path, False, text=codes)
    if grouped:  # each row's group from its label (an unknown label is an error above)
        label = f"trim(CAST({_quote(cols[AGE_GROUP])} AS VARCHAR))"
        reader += (
            " LEFT JOIN (SELECT label AS _ag_label, lo AS _ag_lo, hi AS _ag_hi FROM ages) "
            f"ON _ag_label = {label}"
        )
    try:
        note("reading and converting")
        try:
            # Sorted by year and geography: year filters skip row groups (min/max
            # statistics) and grouping by area sees few groups at a time.
            con.execute(
                f"COPY (SELECT {coded} FROM (SELECT {', '.join(select)} FROM {reader}) "
                f"ORDER BY year, geo) TO '{tmp}' "
                f"(FORMAT parquet, COMPRESSION snappy, KV_METADATA {{{CODES_KEY}: '{kv}'}})"
            )
        except duckdb.Error:
            if not grouped and agegroups.holds_labels(con, path, cols["age"]):
                raise _AgeLabels from None
            note("listing errors")
            raise _report_errors(con, path, cols, checks, max_errors) from None
        note("validating")
        bad = f"""
            SELECT count(*) AS bad FROM read_parquet('{tmp}') WHERE NOT (
                geo IS NOT NULL AND geo IN (SELECT code FROM base_units)
                AND age IS NOT NULL AND age BETWEEN 0 AND 120
                AND sex IS NOT NULL AND sex IN ({_in_list(SEX_CODES)})
                AND race IS NOT NULL AND race IN ({_in_list(RACE_CODES)})
                AND year IS NOT NULL AND year BETWEEN {YEAR_MIN} AND {YEAR_MAX}
                AND cause IS NOT NULL AND regexp_full_match(cause, '{CAUSE_PATTERN}')
                {"AND (date IS NULL OR year(date) = year)" if "date" in cols else ""}
            )"""
        n_bad, n_rows = con.execute(
            f"SELECT ({bad}), (SELECT count(*) FROM read_parquet('{tmp}'))"
        ).fetchone()  # type: ignore[misc]
        if n_bad:
            note("listing errors")
            raise _report_errors(con, path, cols, checks, max_errors)
        if not n_rows:
            raise _no_rows(path)
        if grouped:
            _check_age_scheme(path, found, agegroups.COUNTS_GAP_FIX)
        hasher.join()
        sha = box[0]
        columns = {
            d[0]: str(d[1])
            for d in con.sql(f"SELECT * FROM read_parquet('{tmp}') LIMIT 0").description
        }
        with store.lock():
            if (rows := _already_loaded(store, dataset, sha)) is not None and not replace:
                return LoadReport(
                    dataset, "events", path.name, sha, rows, True, time.perf_counter() - start
                )
            if not replace:
                _same_shape(store, dataset, path, COUNT in cols, con, list(found))
            note("committing")
            _commit(store, "events", dataset, tmp, sha, int(n_rows), path, columns, replace)
        return LoadReport(
            dataset,
            "events",
            path.name,
            sha,
            int(n_rows),
            False,
            time.perf_counter() - start,
            columns,
        )
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        con.close()


def _same_shape(
    store: Store,
    dataset: str,
    path: Path,
    counts: bool,
    con: duckdb.DuckDBPyConnection,
    groups: list[AgeGroup],
) -> None:
    """A dataset holds record-level events or aggregated counts, never both, and ages in
    whole years or in one set of age groups: a measure's query would mix them."""
    entry = store.manifest()["datasets"].get(dataset)
    if not entry or entry["kind"] != "events":
        return
    held_groups = (
        agegroups.stored_groups(con, store.paths(dataset, "events"))
        if AGE_HI in entry.get("columns", {})
        else None
    )
    agegroups.same_groups(path, dataset, held_groups, groups)
    if (COUNT in entry.get("columns", {})) == counts:
        return
    held, given = (
        ("aggregated counts", "record-level events")
        if not counts
        else ("record-level events", "aggregated counts")
    )
    reason = (
        f"the dataset {dataset!r} holds {held} and this file has {given}; load it into a "
        "dataset of its own, or replace the dataset's data"
    )
    raise LoadError(path, [RowError(0, COUNT, "", reason)], 1)
