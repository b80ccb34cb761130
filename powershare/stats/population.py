"""Loading population denominators (geo x year x age group x sex x race) from CSV or
Parquet: every row checked, the age groups contiguous (they may cover only the ages the
measures need), stored atomically beside the events."""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections.abc import Mapping
from pathlib import Path

import duckdb
import pyarrow as pa

from .codes import AgeGroup
from .geography import load_current
from .loading import (
    LoadReport,
    Progress,
    _already_loaded,
    _commit,
    _connect,
    _no_rows,
    _whole_file_errors,
)
from .store import Store, sha256_file
from .validation import (
    POPULATION_COLUMNS,
    LoadError,
    RowError,
    _Check,
    _check_age_scheme,
    _population_checks,
    _quote,
    _reader,
    _resolve,
    _source_columns,
)


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
