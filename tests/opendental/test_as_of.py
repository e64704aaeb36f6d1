"""default_as_of: the latest ledger transaction date not after the run's date (DE §1.1, §2.1)."""

from __future__ import annotations

import datetime

import pytest

from ibis_models.framework.target import Target
from ibis_models.opendental.as_of import default_as_of
from ibis_models.opendental.schema import raw_table
from tests.opendental.harness import raw_arrow

TODAY = datetime.date(2025, 6, 30)
YEAR_ONE = datetime.date(1, 1, 1)


# --- a connection to a fresh database per backend (tests/conftest.py ``target_url``) with schema raw ---


@pytest.fixture
def con(target_url):
    target = Target.from_url(target_url)
    connection = target.connect()
    target.ensure_schema(connection, target.raw_schema)
    yield connection
    connection.disconnect()


def load_raw(con, table: str, *rows: dict) -> None:
    """Create raw.<table>: every column of the schema, OpenDental's empty values plus ``rows``' values."""
    con.create_table(table, raw_arrow(raw_table(table), rows), database="raw")


def load_empty_ledger(con, *, but: tuple[str, ...] = ()) -> None:
    for table in ("procedurelog", "adjustment", "paysplit", "claimproc", "definition"):
        if table not in but:
            load_raw(con, table)


def day(month: int, dom: int) -> datetime.date:
    return datetime.date(2025, month, dom)


# --- cases ---


def test_default_as_of_is_today_without_ledger_tables(con):
    assert default_as_of(con, "raw", TODAY) == TODAY


def test_default_as_of_is_today_when_ledger_tables_are_empty(con):
    load_empty_ledger(con)
    assert default_as_of(con, "raw", TODAY) == TODAY


@pytest.mark.parametrize(
    ("table", "row"),
    [
        pytest.param("procedurelog", {"ProcNum": 1, "ProcStatus": 2, "ProcFee": 90.0, "ProcDate": day(5, 2)}, id="procedure"),
        pytest.param("adjustment", {"AdjNum": 1, "AdjAmt": -15.0, "AdjDate": day(5, 2)}, id="adjustment"),
        pytest.param("paysplit", {"SplitNum": 1, "SplitAmt": 40.0, "DatePay": day(5, 2)}, id="paysplit"),
        pytest.param("claimproc", {"ClaimProcNum": 1, "Status": 1, "ProcNum": 0, "DateCP": day(5, 2)}, id="claimproc-total"),
    ],
)
def test_default_as_of_takes_each_ledger_kind_date(con, table, row):
    load_empty_ledger(con, but=(table,))
    load_raw(con, table, row)
    assert default_as_of(con, "raw", TODAY) == day(5, 2)


def test_default_as_of_ignores_future_dated_rows(con):
    load_empty_ledger(con, but=("procedurelog", "paysplit"))
    load_raw(
        con,
        "procedurelog",
        {"ProcNum": 1, "ProcStatus": 2, "ProcFee": 90.0, "ProcDate": day(6, 20)},
        {"ProcNum": 2, "ProcStatus": 2, "ProcFee": 90.0, "ProcDate": day(7, 1)},  # post-dated
    )
    load_raw(con, "paysplit", {"SplitNum": 1, "SplitAmt": 10.0, "DatePay": day(6, 30)})  # today counts
    assert default_as_of(con, "raw", TODAY) == TODAY
    assert default_as_of(con, "raw", day(6, 29)) == day(6, 20)


def test_default_as_of_ignores_sentinel_dates_and_falls_back_to_today(con):
    load_empty_ledger(con, but=("procedurelog", "adjustment"))
    load_raw(con, "procedurelog", {"ProcNum": 1, "ProcStatus": 2, "ProcFee": 90.0, "ProcDate": YEAR_ONE})
    load_raw(con, "adjustment", {"AdjNum": 1, "AdjAmt": 5.0, "AdjDate": datetime.date(1900, 1, 1)})
    assert default_as_of(con, "raw", TODAY) == TODAY


def test_default_as_of_counts_only_ledger_rows(con):
    load_raw(
        con,
        "procedurelog",
        {"ProcNum": 1, "ProcStatus": 2, "ProcFee": 90.0, "ProcDate": day(3, 1)},  # the only ledger row
        {"ProcNum": 2, "ProcStatus": 1, "ProcFee": 90.0, "ProcDate": day(6, 1)},  # treatment planned
        {"ProcNum": 3, "ProcStatus": 2, "ProcFee": 0.0, "ProcDate": day(6, 2)},  # no charge
    )
    load_raw(con, "adjustment", {"AdjNum": 1, "AdjAmt": 0.0, "AdjDate": day(6, 3)})  # no amount
    load_raw(
        con,
        "claimproc",
        {"ClaimProcNum": 1, "Status": 6, "ProcNum": 1, "DateCP": day(6, 4)},  # estimate
        {"ClaimProcNum": 2, "Status": 1, "ProcNum": 2, "DateCP": day(6, 5)},  # on a planned procedure
        {"ClaimProcNum": 3, "Status": 1, "ProcNum": 404, "DateCP": day(6, 6)},  # orphan procedure
    )
    load_raw(
        con,
        "definition",
        {"DefNum": 288, "Category": 29, "ItemName": "Prepayment", "ItemValue": ""},
        {"DefNum": 289, "Category": 29, "ItemName": "TP prepayment", "ItemValue": "X"},  # hidden
        {"DefNum": 290, "Category": 10, "ItemName": "Cash", "ItemValue": "X"},  # other category
    )
    load_raw(
        con,
        "paysplit",
        {"SplitNum": 1, "SplitAmt": 50.0, "UnearnedType": 289, "DatePay": day(6, 7)},  # hidden unearned
        {"SplitNum": 2, "SplitAmt": 0.0, "DatePay": day(6, 8)},  # no amount
    )
    assert default_as_of(con, "raw", TODAY) == day(3, 1)


def test_default_as_of_counts_visible_unearned_and_completed_claim_rows(con):
    load_raw(con, "procedurelog", {"ProcNum": 1, "ProcStatus": 2, "ProcFee": 90.0, "ProcDate": day(3, 1)})
    load_raw(con, "adjustment")
    load_raw(
        con,
        "definition",
        {"DefNum": 288, "Category": 29, "ItemValue": ""},
        {"DefNum": 290, "Category": 10, "ItemValue": "X"},
    )
    load_raw(
        con,
        "paysplit",
        {"SplitNum": 1, "SplitAmt": 50.0, "UnearnedType": 288, "DatePay": day(4, 1)},  # visible prepayment
        {"SplitNum": 2, "SplitAmt": 50.0, "UnearnedType": 290, "DatePay": day(4, 2)},  # id of another category
    )
    sent = {"ClaimProcNum": 1, "Status": 0, "ProcNum": 1, "DateCP": day(4, 9)}  # sent, not received yet
    load_raw(con, "claimproc", sent)
    assert default_as_of(con, "raw", TODAY) == day(4, 9)


@pytest.mark.parametrize(
    ("version", "expected"),
    [pytest.param(2, day(4, 1), id="v2-counts-plan-splits"), pytest.param(1, day(3, 1), id="v1-leaves-them-out")],
)
def test_default_as_of_follows_pay_plan_version(con, version, expected):
    load_empty_ledger(con, but=("paysplit",))
    load_raw(
        con,
        "paysplit",
        {"SplitNum": 1, "SplitAmt": 20.0, "DatePay": day(3, 1)},
        {"SplitNum": 2, "SplitAmt": 20.0, "PayPlanNum": 5, "DatePay": day(4, 1)},
    )
    assert default_as_of(con, "raw", TODAY, pay_plan_version=version) == expected
