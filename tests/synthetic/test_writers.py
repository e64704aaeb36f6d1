"""Writers round-trip every table with its row count and OpenDental's 0001-01-01 sentinel."""

from __future__ import annotations

import os
from datetime import date

import pytest

from ibis_models.synthetic import GeneratorConfig, generate, write_duckdb, write_parquet, write_postgres


@pytest.fixture(scope="module")
def small():
    return generate(GeneratorConfig(patients=300, seed=11))


def test_write_duckdb_round_trips_counts_and_sentinel(small, tmp_path):
    import duckdb

    path = tmp_path / "od.duckdb"
    counts = write_duckdb(path, small.tables)
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA keep; CREATE TABLE keep.t AS SELECT 1 AS x")
    con.close()
    write_duckdb(path, small.tables)  # replaces raw tables, leaves other schemas alone
    con = duckdb.connect(str(path))
    for name, n in counts.items():
        assert con.execute(f'SELECT count(*) FROM raw."{name}"').fetchone()[0] == n == small.tables[name].num_rows
    assert con.execute("SELECT count(*) FROM raw.procedurelog WHERE DateComplete = DATE '0001-01-01'").fetchone()[0] > 0
    assert con.execute("SELECT x FROM keep.t").fetchone()[0] == 1
    assert (
        con.execute(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'procedurelog' AND column_name = 'ProcStatus'"
        ).fetchone()[0]
        == "SMALLINT"
    )
    con.close()


def test_write_parquet_writes_one_file_per_table(small, tmp_path):
    counts = write_parquet(tmp_path, small.tables)
    assert len(list(tmp_path.glob("*.parquet"))) == len(small.tables) == len(counts)


@pytest.mark.postgres
def test_write_postgres_round_trips_counts_and_sentinel(small):
    url = os.environ.get("IBIS_MODELS_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("IBIS_MODELS_TEST_POSTGRES_URL is not set")
    import psycopg

    counts = write_postgres(url, small.tables, schema="raw_synthetic_test")
    with psycopg.connect(url) as con:
        for name, n in counts.items():
            assert con.execute(f'SELECT count(*) FROM raw_synthetic_test."{name}"').fetchone()[0] == n
        sentinel = con.execute('SELECT min("DateComplete") FROM raw_synthetic_test.procedurelog').fetchone()[0]
        assert sentinel == date(1, 1, 1)
        con.execute("DROP SCHEMA raw_synthetic_test CASCADE")
