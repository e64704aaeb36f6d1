"""Every data-test kind passes on good rows and counts the bad ones (a check must be able to fail)."""

from __future__ import annotations

import datetime as dt

import ibis
import pytest

from ibis_models import (
    accepted_range,
    accepted_values,
    custom,
    equal_row_count,
    expression_is_true,
    not_null,
    relationships,
    unique,
    unique_combination,
)
from ibis_models.framework.context import BuildContext
from ibis_models.framework.quality import key_tests, run_test

CTX = BuildContext(as_of=dt.date(2024, 1, 1))


@pytest.fixture
def con():
    return ibis.duckdb.connect()


def _failing(con, test, rows, refs=None):
    table = ibis.memtable(rows)
    result = run_test(test, model="m", table=table, refs=refs or {}, ctx=CTX, execute=con.execute)
    return result.failing_rows, result.samples


ROWS = {"id": [1, 2, 2, None], "kind": ["a", "b", "z", None], "amount": [5, -1, 7, 3]}


@pytest.mark.parametrize(
    ("test", "failing"),
    [
        pytest.param(unique("id"), 1, id="unique"),
        pytest.param(unique_combination(["id", "kind"]), 0, id="unique_combination"),
        pytest.param(not_null("id", "kind"), 1, id="not_null"),
        pytest.param(accepted_values("kind", ["a", "b"]), 1, id="accepted_values"),
        pytest.param(accepted_range("amount", min=0, max=6), 2, id="accepted_range"),
        pytest.param(expression_is_true("positive", lambda t: t.amount > 0), 1, id="expression"),
        pytest.param(expression_is_true("null_fails", lambda t: t.id > 0), 1, id="expression-null"),
        pytest.param(relationships("id", to="parent.parent_id"), 2, id="relationships"),
        pytest.param(equal_row_count("parent"), 1, id="equal_row_count"),
        pytest.param(
            custom("sum_is_14", lambda t, parent: t.aggregate(s=t.amount.sum()).filter(lambda a: a.s != 14)), 0, id="custom"
        ),
    ],
)
def test_data_test_counts_failing_rows(con, test, failing):
    refs = {"parent": ibis.memtable({"parent_id": [1, 3]})}
    assert _failing(con, test, ROWS, refs)[0] == failing


def test_failing_test_reports_sample_keys(con):
    count, samples = _failing(con, unique("id"), ROWS)
    assert (count, samples) == (1, ("id=2",))


def test_composite_key_gets_combination_uniqueness():
    names = [t.name for t in key_tests(["patient_id", "snapshot_date"])]
    assert names == ["not_null(patient_id, snapshot_date)", "unique_combination(patient_id, snapshot_date)"]
