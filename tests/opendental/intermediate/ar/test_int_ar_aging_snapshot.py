"""Tests of ``int_ar_aging_snapshot`` (DE §3.3): FIFO aging, the month-end series, and history equivalence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from tests.opendental.intermediate.ar._data import AS_OF, worked_example

MODEL = "int_ar_aging_snapshot"
PARAMS = {"aging_snapshot_months": 2, "collection_horizon_months": 4}
AGING = [
    "total_ar_balance",
    "balance_0_30_days",
    "balance_31_60_days",
    "balance_61_90_days",
    "balance_over_90_days",
    "credit_balance",
    "balance_over_18_months",
    "estimated_insurance_ar",
    "patient_responsibility",
    "open_procedures_count",
    "active_claims_count",
]


def _m(*values: str) -> tuple[Decimal, ...]:
    return tuple(Decimal(v) for v in values)


def test_int_ar_aging_snapshot_ages_opendentals_way_on_each_date(build):
    built = build(MODEL, worked_example(), as_of=AS_OF, params=PARAMS)
    dates = sorted(built.frame.snapshot_date.unique())
    assert [pd.Timestamp(d).date() for d in dates] == [dt.date(2025, 1, 31), dt.date(2025, 2, 28), AS_OF]
    now = built.frame[built.frame.is_as_of_snapshot]
    # patient 3 has no activity: no row
    assert sorted(now.patient_id) == [1, 2, 99]

    p1 = built.row(snapshot_date=pd.Timestamp(AS_OF), patient_id=1)
    # DE §6 worked example: credits of 420 applied to the oldest charges first
    assert tuple(p1[c] for c in AGING[:7]) == _m("580.00", "200.00", "0.00", "300.00", "80.00", "0.00", "80.00")
    assert (p1["estimated_insurance_ar"], p1["insurance_responsibility"], p1["patient_responsibility"]) == _m(
        "150.00", "150.00", "430.00"
    )
    assert (p1["open_procedures_count"], p1["active_claims_count"]) == (3, 1)
    assert pd.Timestamp(p1["previous_snapshot_date"]) == pd.Timestamp("2025-02-28")
    assert (p1["previous_total_ar_balance"], p1["ar_balance_change"]) == _m("500.00", "80.00")
    assert p1["ar_balance_change_percentage"] == 16.0
    assert (p1["payments_30_days"], p1["payments_60_days"], p1["payments_90_days"]) == _m("100.00", "350.00", "350.00")
    assert p1["collection_efficiency_30_days"] == 0.1471 and p1["collection_efficiency_60_days"] == 0.3763

    # patient 2: charges of 115.02 (over 90, one with a zero date), 5 (61-90) and 40 (0-30); credit 40
    p2 = built.row(snapshot_date=pd.Timestamp(AS_OF), patient_id=2)
    assert tuple(p2[c] for c in AGING[:6]) == _m("120.02", "40.00", "0.00", "5.00", "75.02", "0.00")
    # only the zero-dated refund (15) is older than the 4-month horizon, and credits of 40 cover it
    assert p2["balance_over_18_months"] == Decimal("0.00") and p2["guarantor_id"] == 1
    # the orphan holds a credit: every bucket 0
    p99 = built.row(snapshot_date=pd.Timestamp(AS_OF), patient_id=99)
    assert tuple(p99[c] for c in AGING[:6]) == _m("-10.00", "0.00", "0.00", "0.00", "0.00", "-10.00")
    assert p99["guarantor_id"] == 99 and p99["collection_efficiency_30_days"] == 1.0  # 10 / (10 + max(-10, 0))

    # earliest date: insurance received later is still an estimate; previous values are NULL
    jan = built.row(snapshot_date=pd.Timestamp("2025-01-31"), patient_id=1)
    assert (jan["total_ar_balance"], jan["balance_61_90_days"], jan["balance_0_30_days"]) == _m("800.00", "500.00", "300.00")
    assert (jan["insurance_payment_estimate"], jan["insurance_writeoff_estimate"]) == _m("260.00", "50.00")
    assert jan["active_claims_count"] == 1 and pd.isna(jan["previous_snapshot_date"])
    assert pd.isna(jan["previous_total_ar_balance"]) and pd.isna(jan["ar_balance_change_percentage"])
    assert jan["ar_balance_change"] == Decimal("800.00")

    # every row: buckets + credit = total (R3)
    f = built.frame
    assert (
        f.balance_0_30_days + f.balance_31_60_days + f.balance_61_90_days + f.balance_over_90_days + f.credit_balance
        == f.total_ar_balance
    ).all()


def test_int_ar_aging_snapshot_month_ends_equal_separate_builds_at_those_dates(build):
    raw = worked_example()
    series = build(MODEL, raw, as_of=AS_OF, params=PARAMS).frame
    for month_end in (dt.date(2025, 1, 31), dt.date(2025, 2, 28)):
        in_series = series[series.snapshot_date == pd.Timestamp(month_end)].set_index("patient_id")
        # the ledger built at the month-end: rows after it are flagged and ignored
        ledger = build("int_ar_shared_calculations", raw, as_of=month_end).frame
        dated = ledger[~ledger.is_after_as_of]
        totals = dated.groupby("patient_id").amount.sum()
        totals = totals[totals != 0]
        assert in_series.total_ar_balance[in_series.total_ar_balance != 0].to_dict() == totals.to_dict()
        # a separate snapshot build at the month-end gives the same aging on its as_of rows
        alone = build(MODEL, raw, as_of=month_end, params={**PARAMS, "aging_snapshot_months": 0}).frame
        alone = alone.set_index("patient_id")
        assert alone.is_as_of_snapshot.all()
        nonzero = in_series[(in_series.total_ar_balance != 0) | (in_series.estimated_insurance_ar != 0)]
        pd.testing.assert_frame_equal(nonzero[AGING].sort_index(), alone[AGING].sort_index())
