"""The same query on DuckDB and on PostgreSQL (through Ibis) gives identical counts."""

from __future__ import annotations

import os
import uuid

import pytest

from powershare.stats import Query, Source, SuppressionPolicy, run_query
from powershare.stats.engine import copy_to_postgres

URL = os.environ.get("DATABASE_URL", "")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not URL.startswith("postgres"), reason="DATABASE_URL is not a PostgreSQL URL"
    ),
]


def test_duckdb_and_postgres_agree(county):
    import ibis
    import psycopg

    schema = f"stats_test_{uuid.uuid4().hex[:8]}"  # never collides with Django's test_test database
    datasets = ["ed_visits", "births", "population"]
    copied = copy_to_postgres(county.store, URL, schema, datasets)
    try:
        assert copied["ed_visits"] == county.store.dataset("ed_visits").rows
        con = ibis.connect(URL)
        pg = Source.from_backend(con, {d: d for d in datasets}, database=schema)
        policy = SuppressionPolicy(
            min_count=1, min_population=0, complementary=False, record_releases=False
        )
        for q in (
            Query(
                "asthma_ed",
                years=(2020, 2021, 2022, 2023, 2024),
                level="neighborhood",
                by=("race",),
            ),
            Query("preterm_births", years=(2018, 2019), level="zip", by=("sex",)),
        ):
            on_duck = run_query(county.store, q, policy=policy).table
            on_pg = run_query(county.store, q, policy=policy, source=pg).table
            assert on_pg["count"].to_pylist() == on_duck["count"].to_pylist()
            assert on_pg["denominator"].to_pylist() == on_duck["denominator"].to_pylist()
            assert on_pg["adjusted_rate"].to_pylist() == on_duck["adjusted_rate"].to_pylist()
        con.disconnect()
    finally:
        with psycopg.connect(URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
