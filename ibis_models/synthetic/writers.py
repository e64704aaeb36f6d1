"""Load generated tables into DuckDB (from Arrow), Postgres (CSV COPY) or Parquet files.

Each writer replaces only the raw tables it writes and leaves other tables and schemas alone. Column
types come from the MySQL raw type (``sql_type``); timestamps are naive and 0001-01-01 survives.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ibis_models.opendental.schema import raw_tables

__all__ = ["sql_type", "write_duckdb", "write_postgres", "write_parquet"]

_DUCKDB = {
    "bigint": "BIGINT",
    "int": "INTEGER",
    "mediumint": "INTEGER",
    "smallint": "SMALLINT",
    "tinyint": "SMALLINT",
    "double": "DOUBLE",
    "decimal": "DOUBLE",
    "float": "REAL",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "timestamp": "TIMESTAMP",
    "time": "TIME",
}
_POSTGRES = {**_DUCKDB, "double": "DOUBLE PRECISION", "decimal": "DOUBLE PRECISION"}


def sql_type(raw_type: str, dialect: str = "duckdb") -> str:
    """The column type a MySQL type is created as (strings become VARCHAR / TEXT)."""
    base = raw_type.lower().split("(")[0].replace(" unsigned", "").strip()
    if dialect == "postgres":
        return _POSTGRES.get(base, "TEXT")
    return _DUCKDB.get(base, "VARCHAR")


def _create_sql(schema: str, name: str, dialect: str) -> str:
    cols = ", ".join(f'"{c.name}" {sql_type(c.raw_type, dialect)}' for c in raw_tables()[name].columns)
    return f'CREATE TABLE "{schema}"."{name}" ({cols})'


def write_duckdb(path: str | Path, tables: Mapping[str, pa.Table], schema: str = "raw", replace: bool = True) -> dict[str, int]:
    """Write ``tables`` into the DuckDB file ``path`` (created if missing); returns rows per table.

    One transaction; each table is created straight from its Arrow data (``CREATE TABLE AS SELECT`` with an
    explicit cast per column), which DuckDB loads in parallel without holding the GIL.
    """
    import duckdb

    counts: dict[str, int] = {}
    con = duckdb.connect(str(path))
    try:
        con.execute("SET enable_progress_bar = false")
        # Parallel load; row order in the database is then unspecified (query with ORDER BY the key).
        con.execute("SET preserve_insertion_order = false")
        con.execute("BEGIN")
        con.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        for name, table in tables.items():
            if replace:
                con.execute(f'DROP TABLE IF EXISTS "{schema}"."{name}"')
            casts = ", ".join(f'CAST("{c.name}" AS {sql_type(c.raw_type)}) AS "{c.name}"' for c in raw_tables()[name].columns)
            con.register("_incoming", table)
            con.execute(f'CREATE TABLE "{schema}"."{name}" AS SELECT {casts} FROM _incoming')
            con.unregister("_incoming")
            counts[name] = table.num_rows
        con.execute("COMMIT")
    finally:
        con.close()
    return counts


def write_postgres(url: str, tables: Mapping[str, pa.Table], schema: str = "raw") -> dict[str, int]:
    """Write ``tables`` into Postgres with COPY (CSV encoded by Arrow); returns rows per table."""
    import psycopg

    counts: dict[str, int] = {}
    with psycopg.connect(url) as con:
        with con.cursor() as cur:
            cur.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            for name, table in tables.items():
                cur.execute(f'DROP TABLE IF EXISTS "{schema}"."{name}"')
                cur.execute(_create_sql(schema, name, "postgres"))
                cols = ", ".join(f'"{c}"' for c in table.column_names)
                with cur.copy(f'COPY "{schema}"."{name}" ({cols}) FROM STDIN WITH (FORMAT csv)') as copy:
                    for batch in table.to_batches(max_chunksize=200_000):
                        buffer = io.BytesIO()
                        pacsv.write_csv(
                            pa.Table.from_batches([batch]),
                            buffer,
                            pacsv.WriteOptions(include_header=False, quoting_style="needed"),
                        )
                        copy.write(buffer.getvalue())
                counts[name] = table.num_rows
        con.commit()
    return counts


def write_parquet(directory: str | Path, tables: Mapping[str, pa.Table]) -> dict[str, int]:
    """Write one ``<table>.parquet`` per table into ``directory``; returns rows per table."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for name, table in tables.items():
        pq.write_table(table, out / f"{name}.parquet")
        counts[name] = table.num_rows
    return counts
