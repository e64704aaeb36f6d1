from __future__ import annotations

import datetime as dt

import ibis
import pytest

from ibis_models.framework.compare import compare_targets, content_checksum
from ibis_models.framework.plan import plan_run
from ibis_models.framework.runner import execute
from ibis_models.framework.target import Target
from tests.conftest import fresh_postgres_url
from tests.framework.resources.toy import toy_project
from tests.framework.test_runner import _load_raw


def _build(url: str) -> tuple[Target, object]:
    target = Target.from_url(url)
    _load_raw(target)
    con = target.connect()
    execute(plan_run(toy_project(), target, con, as_of=dt.date(2024, 6, 1)), con)
    return target, con


@pytest.mark.postgres
def test_duckdb_and_postgres_builds_are_identical(tmp_path):
    duck = _build(f"duckdb:///{tmp_path}/a.duckdb")
    for url in fresh_postgres_url():
        pg = _build(url)
        graph = toy_project().graph
        results = compare_targets(graph, graph.order, duck[0], duck[1], pg[0], pg[1])
        assert [(r.model, r.differences) for r in results if not r.is_same] == []
        assert {r.model: r.rows_a for r in results}["int_customer_totals"] == 2


def test_compare_detects_changed_content_and_missing_models(tmp_path):
    a = _build(f"duckdb:///{tmp_path}/a.duckdb")
    b = _build(f"duckdb:///{tmp_path}/b.duckdb")
    b[1].raw_sql('UPDATE "intermediate"."int_customer_totals" SET total_amount = 15.51 WHERE customer_id = 1')
    b[0].drop(b[1], "intermediate", "int_channel_orders")
    graph = toy_project().graph
    found = {r.model: r.differences for r in compare_targets(graph, graph.order, a[0], a[1], b[0], b[1])}
    assert found["int_customer_totals"] == ("content differs (checksum)",)
    assert found["int_channel_orders"] == ("not built in --against",)
    assert found["stg_shop__orders"] == ()


def test_checksum_ignores_row_order():
    con = ibis.duckdb.connect()
    one = ibis.memtable({"a": [1, 2, 3], "b": ["x", None, "z"]})
    two = ibis.memtable({"a": [3, 1, 2], "b": ["z", "x", None]})
    target = Target.from_url("duckdb://")
    assert content_checksum(target, con, one) == content_checksum(target, con, two)
    changed = ibis.memtable({"a": [1, 2, 4], "b": ["x", None, "z"]})
    assert content_checksum(target, con, one) != content_checksum(target, con, changed)
    empty_string = ibis.memtable({"a": [1, 2, 3], "b": ["x", "", "z"]})  # '' is not NULL
    assert content_checksum(target, con, one) != content_checksum(target, con, empty_string)
