"""Run-wide fixtures: one ``target_url`` over DuckDB and Postgres, each test in a fresh database.

Postgres comes from IBIS_MODELS_TEST_POSTGRES_URL (``.ci/start-postgres`` prints one). Without it the
Postgres cases are skipped, except under CI=true, where a skipped Postgres test fails the run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

POSTGRES_ENV = "IBIS_MODELS_TEST_POSTGRES_URL"


def _admin_url() -> str | None:
    return os.environ.get(POSTGRES_ENV)


def fresh_postgres_url() -> Iterator[str]:
    """Create a throwaway database on the test server; yields its URL, drops it afterwards."""
    admin = _admin_url()
    if not admin:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {POSTGRES_ENV} is not set: the Postgres tests must run in CI")
        pytest.skip(f"set {POSTGRES_ENV} to run the Postgres cases (.ci/start-postgres prints one)")
    name = f"ibm_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(admin)
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=[pytest.param("duckdb", id="duckdb"), pytest.param("postgres", id="postgres", marks=pytest.mark.postgres)])
def target_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A URL to an empty database on each backend."""
    if request.param == "duckdb":
        yield f"duckdb:///{tmp_path}/test.duckdb"
    else:
        yield from fresh_postgres_url()
