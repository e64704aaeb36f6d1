from __future__ import annotations

import ibis
import pytest

from ibis_models.framework.errors import TargetError
from ibis_models.framework.target import DEFAULT_TARGET, Target


def test_create_table_overwrite_works(target_url):
    """ibis 12 + sqlglot >= 30.18 emits DROP TABLE IF EXISTS without a name; the pin keeps this green."""
    con = Target.from_url(target_url).connect()
    con.create_table("t", ibis.memtable({"a": [1]}), overwrite=True)
    con.create_table("t", ibis.memtable({"a": [2, 3]}), overwrite=True)
    assert con.table("t").count().execute() == 2


def test_default_target_is_a_duckdb_file(monkeypatch):
    monkeypatch.delenv("IBIS_MODELS_TARGET", raising=False)
    assert Target.from_url(None).url == DEFAULT_TARGET == "duckdb:///ibis_models.duckdb"
    monkeypatch.setenv("IBIS_MODELS_TARGET", "postgres://u:pw@h:5433/db")
    assert Target.from_url(None).backend == "postgres"


def test_password_never_appears_in_descriptions_or_errors():
    target = Target.from_url("postgres://analyst:s3cret-pw@127.0.0.1:1/warehouse")
    assert "s3cret-pw" not in target.redacted_url
    assert "s3cret-pw" not in str(target.describe())
    assert target.describe() == {
        "backend": "postgres",
        "host": "127.0.0.1",
        "port": 1,
        "database": "warehouse",
        "user": "analyst",
    }
    assert target.redact("failed: s3cret-pw and postgres://analyst:s3cret-pw@x/y") == "failed: *** and postgres://analyst:***@x/y"
    with pytest.raises(TargetError) as info:
        target.connect()  # nothing listens on port 1
    assert "s3cret-pw" not in str(info.value) and "analyst:***@" in str(info.value)


@pytest.mark.parametrize("url", [pytest.param("mysql://x/y", id="scheme"), pytest.param("postgres://u@host", id="no-db")])
def test_unsupported_target_is_a_clear_error(url):
    with pytest.raises(TargetError, match="duckdb:///|needs a host and a database"):
        Target.from_url(url)
