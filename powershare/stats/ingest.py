"""Loading events and population from CSV or Parquet: validated whole, stored atomically.

The fast path converts the source to a typed Parquet file next to its final place in one
DuckDB pass, then checks every rule with one vectorized query over it. Only when a rule
fails does a second, slower pass read the source as text to name the first errors
(row, column, value, reason) and count them all. Nothing is kept from a rejected file.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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
from .store import Store, fsync_dir, fsync_file, sha256_file
from .validation import (
    AGE_GROUP,
    CAUSE_PATTERN,
    EVENT_COLUMNS,
    POPULATION_COLUMNS,
    YEAR_MAX,
    YEAR_MIN,
    LoadError,
    RowError,
    _Check,
    _check_age_scheme,
    _event_checks,
    _in_list,
    _population_checks,
    _quote,
    _reader,
    _report_errors,
    _resolve,
    _source_columns,
)

Progress = Callable[[str], None]

MEMORY_LIMIT = "1500MB"


@dataclass(frozen=True)
class LoadReport:
    """What a load did: rows stored, the checksum, and whether it was a no-op re-load."""

    dataset: str
    kind: str
    source: str
    sha256: str
    rows: int
    unchanged: bool
    seconds: float
    columns: dict[str, str] = field(default_factory=dict)


def _connect(store: Store) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    # Bounded memory: the sort of a large file spills to the store's own temp directory.
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute(f"SET temp_directory = '{store.root / '.tmp'}'")
    con.execute("SET enable_progress_bar = false")
    return con


def _hash_async(path: Path) -> tuple[threading.Thread, list[str]]:
    box: list[str] = []
    thread = threading.Thread(target=lambda: box.append(sha256_file(path)), daemon=True)
    thread.start()
    return thread, box


def _already_loaded(store: Store, dataset: str, sha: str) -> int | None:
    data = store.manifest()["datasets"].get(dataset)
    for f in (data or {}).get("files", []):
        if f["sha256"] == sha:
            return int(f["rows"])
    return None


def _commit(
    store: Store,
    kind: str,
    dataset: str,
    tmp: Path,
    sha: str,
    rows: int,
    source: Path,
    columns: dict[str, str],
    replace: bool,
) -> None:
    final_dir = store.root / kind / dataset
    final = final_dir / f"{sha[:16]}.parquet"
    fsync_file(tmp)
    os.replace(tmp, final)
    fsync_dir(final_dir)
    manifest = store.manifest()
    entry = manifest["datasets"].get(dataset)
    if entry and entry["kind"] != kind:
        raise ValueError(f"dataset {dataset!r} already exists as {entry['kind']}")
    old_files = entry["files"] if entry and not replace else []
    record = {
        "path": str(final.relative_to(store.root)),
        "sha256": sha,
        "rows": rows,
        "source": source.name,
        "loaded_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    manifest["datasets"][dataset] = {
        "kind": kind,
        "files": [*old_files, record],
        "columns": columns,
    }
    store.write_manifest(manifest)
    if entry and replace:  # the manifest no longer names them: remove the replaced files
        for f in entry["files"]:
            if f["path"] != record["path"]:
                with contextlib.suppress(FileNotFoundError):
                    (store.root / f["path"]).unlink()


def _whole_file_errors(load: Callable[..., LoadReport]) -> Callable[..., LoadReport]:
    """Turn a file the reader cannot parse at all (not UTF-8, a line too long, no rows)
    into a LoadError that names the file and says why, like any other rejected file."""

    def wrapped(store: Store, source: str | os.PathLike[str], **kwargs: Any) -> LoadReport:
        try:
            return load(store, source, **kwargs)
        except duckdb.Error as error:
            raise LoadError(Path(source), [RowError(0, "", None, _unreadable(error))], 1) from None

    wrapped.__doc__, wrapped.__name__ = load.__doc__, load.__name__
    return wrapped


def _unreadable(error: duckdb.Error) -> str:
    text = str(error)
    if "unicode" in text.lower() or "utf-8" in text.lower() or "utf8" in text.lower():
        return "the file is not UTF-8 text; save it as a UTF-8 CSV and load it again"
    if "line size" in text.lower() or "maximum line" in text.lower():
        return "a line is longer than the reader accepts; is this really a CSV of records?"
    first = text.strip().splitlines()[0] if text.strip() else type(error).__name__
    return f"the file could not be read as a table ({first[:200]})"


def _no_rows(path: Path) -> LoadError:
    return LoadError(path, [RowError(0, "", None, "the file has a header but no data rows")], 1)


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


@_whole_file_errors
def load_population(
    store: Store,
    source: str | os.PathLike[str],
    *,
    dataset: str = "population",
    mapping: Mapping[str, str] | None = None,
    replace: bool = False,
    max_errors: int = 20,
    progress: Progress | None = None,
) -> LoadReport:
    """Validate and store population denominators (geo x year x age group x sex x race)."""
    start = time.perf_counter()
    path = Path(source)
    note = progress or (lambda _msg: None)
    geo = load_current(store)
    con = _connect(store)
    con.register("base_units", pa.table({"code": geo.base_codes}))
    cols = _resolve(
        _source_columns(con, path), mapping, POPULATION_COLUMNS, set(POPULATION_COLUMNS)
    )
    sha = sha256_file(path)
    if not replace and (rows := _already_loaded(store, dataset, sha)) is not None:
        return LoadReport(
            dataset, "population", path.name, sha, rows, True, time.perf_counter() - start
        )
    note("reading")
    con.execute(
        "CREATE TEMP TABLE src AS SELECT row_number() OVER () AS _row, "
        + ", ".join(f"CAST({_quote(s)} AS VARCHAR) AS {_quote(t)}" for t, s in cols.items())
        + f" FROM {_reader(path, True)}"
    )
    labels = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT trim(age_group) FROM src WHERE age_group IS NOT NULL"
        ).fetchall()
    ]
    parsed = {}
    for label in labels:
        with contextlib.suppress(ValueError):
            parsed[label] = AgeGroup.parse(label)
    con.register(
        "ages",
        pa.table(
            {
                "label": list(parsed),
                "lo": [g.lo for g in parsed.values()],
                "hi": [g.hi for g in parsed.values()],
            }
        ),
    )
    checks = _population_checks()
    parts = [
        f"SELECT _row, {i} AS _k, {_quote(c.column)} AS value FROM src WHERE "
        + c.condition.replace("{v}", _quote(c.column))
        for i, c in enumerate(checks)
    ]
    # duplicates: the second and later rows of a key are errors
    parts.append(
        f"SELECT _row, {len(checks)} AS _k, geo AS value FROM (SELECT _row, geo, row_number() OVER "
        "(PARTITION BY year, geo, trim(age_group), sex, race ORDER BY _row) AS n FROM src) WHERE n > 1"
    )
    checks.append(
        _Check("geo", "", "duplicate row for this year, geography, age group, sex and race")
    )
    union = " UNION ALL ".join(parts)
    total = con.execute(f"SELECT count(*) FROM ({union})").fetchone()[0]  # type: ignore[index]
    if total:
        found = con.execute(
            f"SELECT * FROM ({union}) ORDER BY _row, _k LIMIT {int(max_errors)}"
        ).fetchall()
        raise LoadError(
            path,
            [RowError(int(r), checks[k].column, v, checks[k].reason) for r, k, v in found],
            int(total),
        )
    first = {
        AgeGroup(lo, hi): (label, int(row))
        for lo, hi, label, row in con.execute(
            "SELECT a.lo, a.hi, arg_min(trim(src.age_group), _row), min(_row) "
            "FROM src JOIN ages a ON a.label = trim(src.age_group) GROUP BY ALL"
        ).fetchall()
    }
    # Groups may cover only the ages a measure needs (mothers 10-54), without gaps.
    _check_age_scheme(path, first, "add rows for those ages, or merge the groups around them")
    groups = sorted(first)
    note("writing")
    final_dir = store.root / "population" / dataset
    final_dir.mkdir(parents=True, exist_ok=True)
    tmp = final_dir / f".{uuid.uuid4().hex}.parquet.tmp"
    try:
        con.execute(
            "COPY (SELECT CAST(year AS SMALLINT) AS year, geo, CAST(a.lo AS SMALLINT) AS age_lo, "
            "CAST(a.hi AS SMALLINT) AS age_hi, sex, race, CAST(population AS DOUBLE) AS population "
            f"FROM src JOIN ages a ON a.label = trim(src.age_group) ORDER BY year, geo, _row) TO '{tmp}' (FORMAT parquet)"
        )
        n_rows = con.execute("SELECT count(*) FROM src").fetchone()[0]  # type: ignore[index]
        if not n_rows:
            raise _no_rows(path)
        with store.lock():
            _check_existing(store, dataset, con, tmp, groups, replace)
            _commit(
                store,
                "population",
                dataset,
                tmp,
                sha,
                int(n_rows),
                path,
                {"age_groups": ",".join(g.label for g in groups)},
                replace,
            )
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        con.close()
    return LoadReport(
        dataset, "population", path.name, sha, int(n_rows), False, time.perf_counter() - start
    )


def _check_existing(
    store: Store,
    dataset: str,
    con: duckdb.DuckDBPyConnection,
    tmp: Path,
    groups: list[AgeGroup],
    replace: bool,
) -> None:
    if replace:
        return
    try:
        info = store.dataset(dataset, "population")
    except KeyError:
        return
    have = info.columns.get("age_groups")
    new = ",".join(g.label for g in groups)
    if have and have != new:
        raise ValueError(f"{dataset}: age groups {new} differ from the loaded {have}; use replace")
    files = ", ".join(f"'{store.root / f.path}'" for f in info.files)
    overlap = con.execute(
        f"SELECT DISTINCT year FROM read_parquet('{tmp}') INTERSECT SELECT DISTINCT year FROM read_parquet([{files}])"
    ).fetchall()
    if overlap:
        years = ", ".join(str(y[0]) for y in sorted(overlap))
        raise ValueError(f"{dataset}: years {years} are already loaded; use replace to reload them")
