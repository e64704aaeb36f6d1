"""Synthetic OpenDental data: every raw table of ``ibis_models.opendental.schema``, one consistent
practice story, deliberate and documented mess, and writers for DuckDB, Postgres and Parquet."""

from ibis_models.synthetic.config import GeneratedData, GeneratorConfig, MessEntry
from ibis_models.synthetic.generator import generate
from ibis_models.synthetic.writers import write_duckdb, write_parquet, write_postgres

__all__ = [
    "GeneratedData",
    "GeneratorConfig",
    "MessEntry",
    "generate",
    "write_duckdb",
    "write_parquet",
    "write_postgres",
]
