"""Tests of ``int_ar_balance`` (DE §3.2) on the DE §6 worked example, on both backends."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from tests.opendental.intermediate.ar._data import AS_OF, worked_example

MODEL = "int_ar_balance"


def _raw() -> dict:
    return worked_example()


def test_int_ar_balance_worked_example_per_procedure(build):
    built = build(MODEL, _raw(), as_of=AS_OF, params={"collection_horizon_months": 4})
    # completed and dated <= as_of only; the zero-fee procedure is kept, the post-dated one is not
    assert list(built.frame.procedure_id) == [10, 11, 12, 14, 20]

    a = built.row(procedure_id=10)
    assert (a["production_amount"], a["insurance_payment_amount"], a["writeoff_amount"]) == (
        Decimal("500.00"),
        Decimal("250.00"),
        Decimal("50.00"),
    )
    assert a["current_balance"] == Decimal("200.00") and a["total_payment_amount"] == Decimal("250.00")
    assert a["responsible_party"] == "PATIENT" and not a["has_pending_claim"]
    assert (a["claim_id"], a["claim_status"], a["claim_status_description"]) == (80, "R", "received")
    assert a["carrier_name"] == "Delta Dental" and a["claim_count"] == 1 and pd.isna(a["secondary_claim_id"])
    assert a["days_outstanding"] == 136 and a["aging_bucket"] == "90+" and a["pbn_aging_bucket"] == "OVER_90"
    assert pd.Timestamp(a["payment_due_date"]) == pd.Timestamp("2024-12-15") and a["days_overdue"] == 106
    assert pd.Timestamp(a["last_payment_date"]) == pd.Timestamp("2025-02-10") and pd.isna(a["last_patient_payment_date"])
    assert a["is_beyond_collection_horizon"] and a["procedure_code"] == "D2391" and a["provider_id"] == 7

    b = built.row(procedure_id=11)
    assert b["current_balance"] == Decimal("300.00") and b["claim_count"] == 0 and pd.isna(b["claim_id"])
    assert pd.isna(b["claim_status_description"]) and b["aging_bucket"] == "61-90" and b["pbn_aging_bucket"] == "30-60"
    assert not b["is_beyond_collection_horizon"]

    c = built.row(procedure_id=12)
    assert (c["current_balance"], c["insurance_estimate"], c["insurance_writeoff_estimate"]) == (
        Decimal("200.00"),
        Decimal("120.00"),
        Decimal("30.00"),
    )
    assert c["insurance_pending_amount"] == Decimal("120.00") and c["patient_responsibility"] == Decimal("50.00")
    assert c["responsible_party"] == "INSURANCE" and c["has_pending_claim"]
    assert (c["claim_id"], c["claim_status_description"]) == (81, "sent") and c["pbn_aging_bucket"] == "CURRENT"

    zero = built.row(procedure_id=14)
    assert zero["production_amount"] == Decimal("0.00") and zero["current_balance"] == Decimal("0.00")
    assert not zero["has_open_balance"]

    child = built.row(procedure_id=20)
    assert child["current_balance"] == Decimal("105.02") and child["total_adjustment_amount"] == Decimal("5.00")
    assert child["guarantor_id"] == 1

    # R4: patient 1's procedures hold 700.00; the discount and the payment (-120.00) are unattached
    assert built.frame[built.frame.patient_id == 1].current_balance.sum() == Decimal("700.00")


def test_int_ar_balance_earlier_as_of_sees_the_ar_of_that_date(build):
    built = build(MODEL, _raw(), as_of=dt.date(2025, 1, 31))
    assert list(built.frame.procedure_id) == [10, 11, 20]
    a = built.row(procedure_id=10)
    # insurance received on 2025-02-10 is still expected on 2025-01-31 (historic rule, DE §2.4)
    assert a["current_balance"] == Decimal("500.00") and a["insurance_estimate"] == Decimal("260.00")
    assert a["responsible_party"] == "INSURANCE" and a["patient_responsibility"] == Decimal("190.00")
    assert pd.isna(a["last_payment_date"])
    assert built.row(procedure_id=20)["current_balance"] == Decimal("105.02")
