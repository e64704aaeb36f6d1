"""Tests of ``int_ar_analysis`` (DE §3.5) on the DE §6 worked example, on both backends."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from tests.opendental.intermediate.ar._data import AS_OF, worked_example

MODEL = "int_ar_analysis"


def test_int_ar_analysis_worked_example_patient_rows(build):
    built = build(MODEL, worked_example(), as_of=AS_OF)
    # every patient (deleted and no-activity included) plus the orphan
    assert list(built.frame.patient_id) == [1, 2, 3, 99]

    p1 = built.row(patient_id=1)
    assert (p1["total_ar_balance"], p1["balance_over_90_days"], p1["balance_61_90_days"], p1["balance_0_30_days"]) == (
        Decimal("580.00"),
        Decimal("80.00"),
        Decimal("300.00"),
        Decimal("200.00"),
    )
    assert (p1["estimated_insurance_ar"], p1["patient_responsibility"]) == (Decimal("150.00"), Decimal("430.00"))
    assert (
        p1["total_production"],
        p1["total_adjustments"],
        p1["total_patient_payments"],
        p1["total_insurance_payments"],
        p1["total_writeoffs"],
    ) == (Decimal("1000.00"), Decimal("-20.00"), Decimal("100.00"), Decimal("250.00"), Decimal("50.00"))
    assert p1["unattached_balance"] == Decimal("-120.00")  # R4: 700.00 on procedures
    assert (p1["discount_count"], p1["total_discounts"]) == (1, Decimal("-20.00"))
    assert (p1["patient_payment_count"], p1["insurance_payment_count"]) == (1, 1)
    assert pd.Timestamp(p1["last_payment_date"]) == pd.Timestamp("2025-03-25") and p1["days_since_last_payment"] == 6
    assert p1["last_patient_payment_type"] == "Visa/MC" and p1["payment_recency"] == "Recent"
    assert (p1["pending_claims_count"], p1["pending_claims_amount"]) == (1, Decimal("120.00"))
    assert pd.Timestamp(p1["last_pending_claim_date"]) == pd.Timestamp("2025-03-21") and p1["denied_claims_count"] == 0
    assert p1["procedures_with_primary_insurance"] == 3  # 10, 11 (zero-amount line on claim 80) and 12
    assert p1["aging_risk_category"] == "Moderate Risk" and p1["balance_category"] == "Large"
    # 14.5 (580 / 40) + 25 (no active primary coverage) = 39.5, rounded half away from zero
    assert p1["collection_priority_score"] == 40 and not p1["has_active_primary_insurance"]
    assert p1["is_guarantor"] and p1["patient_status_description"] == "Patient"
    assert pd.Timestamp(p1["last_visit_date"]) == pd.Timestamp("2025-03-20")

    p2 = built.row(patient_id=2)
    assert p2["total_ar_balance"] == Decimal("120.02") and p2["patient_status_description"] == "Deleted"
    assert not p2["is_guarantor"] and p2["patient_payment_count"] == 1  # the refund; the income transfer is not counted

    p3 = built.row(patient_id=3)
    assert p3["total_ar_balance"] == Decimal("0.00") and p3["aging_risk_category"] == "No Balance"
    assert p3["collection_priority_score"] == 0 and p3["payment_recency"] == "Very Old"

    orphan = built.row(patient_id=99)
    assert orphan["is_orphan_patient"] and pd.isna(orphan["patient_status"]) and orphan["guarantor_id"] == 99
    assert orphan["credit_balance"] == Decimal("-10.00") and orphan["balance_category"] == "Credit Balance"
    # R1: the practice total equals the staging formula
    assert built.frame.total_ar_balance.sum() == Decimal("690.02")
