"""Where aggregation runs: Ibis expressions over DuckDB (default) or any Ibis backend.

The engine pushes one GROUP BY per dataset into the backend (events by base unit, strata
and age bin; population likewise) and gets back a small Arrow table; areas, margins and
statistics are then computed in NumPy. Because the expressions are Ibis, the same query
runs on PostgreSQL, Trino, Spark or BigQuery when a department outgrows one machine.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import duckdb
import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .codes import AGE_CODE, CODES_KEY, COUNT, KEY_CODES, RECORD_KEY, AgeGroup
from .measures import Measure
from .ptable import KEYS
from .store import Store

#: DuckDB's perfect_ht_threshold on the engine's connection (see Source.duckdb).
PERFECT_HASH_BITS = 20


class QueryTimeout(Exception):
    """Aggregation ran past the policy's time limit and was interrupted."""


class Source:
    """Tables for datasets on one Ibis backend, with a way to run expressions under a limit."""

    def __init__(
        self,
        con: Any,
        tables: Mapping[str, ir.Table],
        versions: Mapping[str, str] | None = None,
        name: str = "",
    ) -> None:
        self.con = con
        self._tables = dict(tables)
        self.versions = dict(versions or {})
        self.name = name or getattr(con, "name", "ibis")
        self._exprs: dict[tuple, ir.Table] = {}

    def expression(self, key: tuple, build: Callable[[], ir.Table]) -> ir.Table:
        """An aggregation expression, built once per key (which must include data versions)."""
        expr = self._exprs.get(key)
        if expr is None:
            if len(self._exprs) > 256:
                self._exprs.clear()
            expr = self._exprs[key] = build()
        return expr

    def derived(self, key: tuple, build: Callable[[], Any]) -> Any:
        """A value computed from kept results (see `execute(cache=True)`), kept as long as
        they are; the key must include the data versions. Other sources compute it afresh."""
        return build()

    @classmethod
    def duckdb(cls, store: Store, threads: int | None = None) -> Source:
        """DuckDB over the store's Parquet files (views are created lazily per dataset)."""
        con = ibis.duckdb.connect(threads=threads) if threads else ibis.duckdb.connect()
        # Group by integer keys with an array instead of a hash table up to 2^20 slots
        # (tract x race x age bin of a large county); the default stops at 2^12.
        con.raw_sql(f"SET perfect_ht_threshold = {PERFECT_HASH_BITS}")
        return _StoreSource(con, store)

    def key_codes(self, dataset: str) -> dict[str, list[str]] | None:
        """Code lists of the dataset's integer key columns (codes.KEY_CODES), if it has them."""
        return None

    @classmethod
    def from_backend(
        cls, con: Any, tables: Mapping[str, str], database: str | None = None
    ) -> Source:
        """Datasets already in another backend's tables, e.g. {"ed_visits": "ed_visits"}."""
        return cls(con, {k: con.table(v, database=database) for k, v in tables.items()})

    def table(self, dataset: str) -> ir.Table:
        """The Ibis table of a dataset."""
        try:
            return self._tables[dataset]
        except KeyError:
            raise KeyError(f"dataset {dataset!r} is not available on this engine") from None

    def execute(
        self, expr: ir.Table, time_limit: float | None = None, cache: bool = False
    ) -> pa.Table:
        """Run an expression to Arrow, interrupting it after `time_limit` seconds.

        `cache=True` keeps the result for an identical expression on this Source (tables are
        named by data version, so a reload never returns stale results).
        """
        raw = getattr(self.con, "con", None)
        interrupt = getattr(raw, "interrupt", None)
        if time_limit and getattr(self.con, "name", "") == "postgres":
            self.con.raw_sql(f"SET statement_timeout = {int(time_limit * 1000)}")
            interrupt = None
        timer = None
        fired = threading.Event()
        if time_limit and interrupt is not None:

            def stop() -> None:
                fired.set()
                interrupt()

            timer = threading.Timer(time_limit, stop)
            timer.start()
        try:
            return expr.to_pyarrow()
        except Exception as exc:
            if fired.is_set():
                raise QueryTimeout(
                    f"the query ran past the time limit of {time_limit:g} s"
                ) from exc
            raise
        finally:
            if timer:
                timer.cancel()


class _StoreSource(Source):
    def __init__(self, con: Any, store: Store) -> None:
        super().__init__(con, {}, name="duckdb")
        self.store = store
        self._relations: dict[Any, duckdb.DuckDBPyRelation] = {}
        self._results: dict[Any, pa.Table] = {}
        self._codes: dict[tuple[str, str], dict[str, list[str]] | None] = {}
        self._limit_ms = 0
        self._derived: dict[tuple, Any] = {}

    def execute(
        self, expr: ir.Table, time_limit: float | None = None, cache: bool = False
    ) -> pa.Table:
        """Compile and bind once per expression (a prepared relation on the raw DuckDB
        connection), then run it each time.

        Fetching through the raw connection's Arrow path is about twice as fast as Ibis's
        `to_pyarrow()` for the same SQL, and a kept relation skips parsing and binding (which
        reads the Parquet files' footers). Expressions name their tables by data version, so
        a reload gets new relations. The time limit is DuckDB's own `max_execution_time`, set
        only when it changes (no timer thread per query).
        """
        op = expr.op()
        if cache and op in self._results:
            return self._results[op]
        raw = self.con.con
        relation = self._relations.get(op)
        if relation is None:
            if len(self._relations) > 256:
                self._relations.clear()
            sql = str(ibis.to_sql(expr, dialect="duckdb"))
            relation = self._relations[op] = raw.sql(sql)
        limit_ms = max(1, round(time_limit * 1000)) if time_limit else 0
        if limit_ms != self._limit_ms:
            raw.execute(f"SET max_execution_time = {limit_ms}")
            self._limit_ms = limit_ms
        try:
            table = relation.to_arrow_table()
        except duckdb.InterruptException as exc:
            if "maximum execution time" in str(exc):
                raise QueryTimeout(
                    f"the query ran past the time limit of {time_limit:g} s"
                ) from exc
            raise
        if cache:
            if len(self._results) > 64:
                self._results.clear()
                self._derived.clear()
            # Kept results are read again and again: dictionary-encode their text columns
            # once, so that every later lookup of their values is by integer code.
            table = _dictionary_encoded(table)
            self._results[op] = table
        return table

    def derived(self, key: tuple, build: Callable[[], Any]) -> Any:
        if key not in self._derived:
            if len(self._derived) > 64:
                self._derived.clear()
            self._derived[key] = build()
        return self._derived[key]

    def key_codes(self, dataset: str) -> dict[str, list[str]] | None:
        """The code lists stored in the files' metadata, when every file has the same ones."""
        version = self.store.dataset(dataset).version
        if (dataset, version) not in self._codes:
            found = set()
            for path in self.store.paths(dataset):
                meta = pq.read_schema(path).metadata or {}
                found.add(meta.get(CODES_KEY.encode()))
            codes = None
            if len(found) == 1 and (raw := found.pop()) is not None:
                codes = json.loads(raw).get("key_codes")
            self._codes[(dataset, version)] = codes
        return self._codes[(dataset, version)]

    def table(self, dataset: str) -> ir.Table:
        info = self.store.dataset(dataset)
        if self.versions.get(dataset) != info.version:  # new or reloaded: a view on its files
            paths = [str(self.store.root / f.path) for f in info.files]
            self._tables[dataset] = self.con.read_parquet(
                paths, table_name=f"ds_{dataset}_{info.version}"
            )
            self.versions[dataset] = info.version
        return self._tables[dataset]


def _years(t: ir.Table, years: Sequence[int]) -> ir.BooleanValue:
    ys = sorted(set(years))
    if ys == list(range(ys[0], ys[-1] + 1)):
        return t.year.between(ys[0], ys[-1])
    return t.year.isin(ys)


def _year_blocks(t: ir.Table, strata: Sequence[str], year_block: tuple[int, int]) -> ir.Table:
    """A year stratum as the first year of its block (blocks of `size` years from `origin`)."""
    size, origin = year_block
    if "year" not in strata or size <= 1:
        return t
    return t.mutate(year=origin + ((t.year - origin) // size) * size)


def _age_lookup(bounds: Sequence[int]) -> list[int | None]:
    """Bin index of each age 0..120 (None outside the bins)."""
    lookup: list[int | None] = [None] * 121
    for i, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False)):
        for age_ in range(a, min(b, 121)):
            lookup[age_] = i
    return lookup


def _age_bin(age: ir.IntegerValue, bounds: Sequence[int]) -> ir.IntegerValue:
    """Age bin index by lookup in a literal array (ages outside the bins give NULL).

    An array index is about twice as fast as the CASE chain `bucket()` compiles to, and
    cheaper to compile; arrays are 0-based in Ibis on every backend.
    """
    return ibis.literal(_age_lookup(bounds), type="array<int8>")[age.cast("int16")]


@ibis.udf.scalar.builtin(name="array_extract")
def _array_extract(arr: dt.Array(dt.int8, length=121), index: dt.int64) -> dt.int8:  # type: ignore[valid-type]
    """DuckDB's 1-based array_extract on a fixed-size array."""


def _duckdb_age_bin(age: ir.IntegerValue, bounds: Sequence[int]) -> ir.IntegerValue:
    """`_age_bin` for DuckDB: a fixed-size TINYINT[121] indexed by age + 1 (ages are 0-120).

    Skips the guard for negative indexes that Ibis's portable indexing adds (about 10 ms
    per 10 million rows), and lets DuckDB know the bin's range (for its perfect hash
    aggregate).
    """
    # One text constant cast once at bind time: cheaper to parse than 121 literals. Ages
    # outside the bins get -1 rather than NULL (a NULL in the array hides its range from
    # DuckDB); `cube.dense` drops negative bins as it drops NULL ones.
    text = "[" + ",".join("-1" if b is None else str(b) for b in _age_lookup(bounds)) + "]"
    lookup = ibis.literal(text).cast(dt.Array(dt.int8, length=121))
    return _array_extract(lookup, age + 1)


def event_aggregate(
    t: ir.Table,
    measure: Measure,
    years: Sequence[int],
    strata: Sequence[str],
    bounds: Sequence[int],
    coded: bool = False,
    year_block: tuple[int, int] = (0, 0),
    by_age_code: bool = False,
    record_keys: bool = False,
) -> ir.Table:
    """Events grouped by base unit, strata and age bin: n (and d for proportions).

    `coded=True` (DuckDB over the store only) groups by the integer code columns stored
    beside geo, race and sex (codes.KEY_CODES) and bins ages with DuckDB's array_extract;
    the key columns then hold codes, which `cube.dense` looks up by the code lists
    (`Source.key_codes`). `by_age_code=True` groups by the stored age group (codes.AGE_CODE)
    instead of binning ages: `ab` then holds that code (`age_code_bins` maps it to bins).
    `year_block` (size, origin) groups a year stratum by block. `record_keys` adds the
    sums of the record keys (kn, and kd for proportions' denominators), modulo 256.
    """
    t = t.filter(_years(t, years), *measure.denominator_filter(t))
    t = _year_blocks(t, strata, year_block)
    names = ["geo", *strata]
    if coded:
        t = t.mutate(**{k: t[KEY_CODES[k]] for k in names if k in KEY_CODES})
    if by_age_code:
        t = t.mutate(ab=t[AGE_CODE])
    else:
        t = t.mutate(ab=_duckdb_age_bin(t.age, bounds) if coded else _age_bin(t.age, bounds))
    keys = [*names, "ab"]
    # A file of aggregated counts: each row stands for `count` events (and its record key
    # for each of them, so the same counts always give the same noise).
    weight = t[COUNT].cast("int64") if COUNT in t.columns else None
    sums: dict[str, ir.Value] = {}
    if record_keys:  # the sums of the record keys, modulo 256 (cell key perturbation)
        k = t[RECORD_KEY].cast("int64")
        if weight is not None:
            k = k * weight
        sums["kn"] = k.sum() % KEYS
    # (A sum of BIGINT is a HUGEINT in DuckDB, which arrives as Python decimals: ibis takes
    # it for an int64, so only a cast to float makes DuckDB convert it.)
    total = t.count() if weight is None else weight.sum().cast("float64")
    if measure.kind == "proportion":
        hit = measure.numerator_filter(t)
        if record_keys:
            sums["kd"], sums["kn"] = sums["kn"], hit.ifelse(k, 0).sum() % KEYS
        n = hit.ifelse(1 if weight is None else weight, 0).sum().cast("float64")
        return t.group_by(keys).aggregate(n=n, d=total, **sums)
    return t.group_by(keys).aggregate(n=total, **sums)


def age_code_bins(
    codes: Mapping[str, Sequence[str]] | None, bounds: Sequence[int]
) -> np.ndarray | None:
    """The bin of each stored age group (codes.AGE_CODE; -1 outside the bins), or None when
    the dataset stores none or the bins cut through one of its groups."""
    labels = (codes or {}).get("age")
    if not labels:
        return None
    groups = [AgeGroup.parse(label) for label in labels]
    edges = {g.lo for g in groups} | {groups[-1].hi + 1}
    if not set(bounds) <= edges:
        return None
    los = np.array([g.lo for g in groups])
    bins = np.searchsorted(np.asarray(bounds), los, side="right") - 1
    return np.where((los >= bounds[0]) & (los < bounds[-1]), bins, -1)


def _dictionary_encoded(table: pa.Table) -> pa.Table:
    table = table.combine_chunks()
    for i, field in enumerate(table.schema):
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            table = table.set_column(i, field.name, table[i].dictionary_encode())
    return table


def population_aggregate(
    t: ir.Table,
    years: Sequence[int],
    strata: Sequence[str],
    bounds: Sequence[int],
    year_block: tuple[int, int] = (0, 0),
) -> ir.Table:
    """Population summed by base unit, strata and age bin over the measure's age range."""
    t = t.filter(_years(t, years) & (t.age_lo >= bounds[0]) & (t.age_hi < bounds[-1]))
    t = _year_blocks(t, strata, year_block)
    t = t.mutate(ab=_age_bin(t.age_lo, bounds))
    return t.group_by(["geo", *strata, "ab"]).aggregate(n=t.population.sum())


def base_population(t: ir.Table, years: Sequence[int] | None) -> ir.Table:
    """Average annual population per base unit over the years (all years if None)."""
    if years:
        t = t.filter(_years(t, years))
    return t.group_by("geo").aggregate(n=t.population.sum() / t.year.nunique())


_PG_TYPES = {
    "int8": "SMALLINT",
    "int16": "SMALLINT",
    "int32": "INTEGER",
    "int64": "BIGINT",
    "float": "REAL",
    "double": "DOUBLE PRECISION",
    "bool": "BOOLEAN",
    "date32[day]": "DATE",
    "string": "TEXT",
    "large_string": "TEXT",
}


def copy_to_postgres(
    store: Store, dsn: str, schema: str, datasets: Sequence[str]
) -> dict[str, int]:
    """Copy datasets from the store into PostgreSQL tables `schema.<dataset>` (replacing them).

    For departments moving aggregation to a server: afterwards
    `Source.from_backend(ibis.postgres.connect(...), {name: name}, database=schema)` runs
    the same queries there. Streams Parquet batches through COPY ... FROM STDIN (CSV).
    """
    import io

    import psycopg
    import pyarrow.csv as pacsv

    counts: dict[str, int] = {}
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        for name in datasets:
            files = store.paths(name)
            arrow_schema = pq.read_schema(files[0])
            cols = []
            for f in arrow_schema:
                t = f.type.value_type if pa.types.is_dictionary(f.type) else f.type
                cols.append(f'"{f.name}" {_PG_TYPES.get(str(t), "TEXT")}')
            table = f'"{schema}"."{name}"'
            conn.execute(f"DROP TABLE IF EXISTS {table}")
            conn.execute(f"CREATE TABLE {table} ({', '.join(cols)})")
            names = ", ".join(f'"{f.name}"' for f in arrow_schema)
            n = 0
            with (
                conn.cursor() as cur,
                cur.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT csv)") as copy,
            ):
                for path in files:
                    for batch in pq.ParquetFile(path).iter_batches(batch_size=200_000):
                        sink = io.BytesIO()
                        pacsv.write_csv(batch, sink, pacsv.WriteOptions(include_header=False))
                        copy.write(sink.getvalue())
                        n += batch.num_rows
            counts[name] = n
    return counts
