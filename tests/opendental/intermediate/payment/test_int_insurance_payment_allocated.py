"""int_insurance_payment_allocated (FAC §11): received/supplemental lines, checks, A/R effect."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import ibis
import pandas as pd
import pyarrow as pa

from ibis_models.framework.context import BuildContext
from ibis_models.opendental.intermediate.payment.int_insurance_payment_allocated import (
    int_insurance_payment_allocated,
)

AS_OF = dt.date(2025, 6, 30)
MODEL = "int_insurance_payment_allocated"


def _claimproc(num: int, status: int, **overrides) -> dict:
    row = {
        "ClaimProcNum": num,
        "Status": status,
        "PatNum": 1,
        "ClaimNum": 900,
        "ProvNum": 5,
        "ClinicNum": 2,
        "PlanNum": 7,
        "InsSubNum": 8,
        "ProcDate": dt.date(2025, 5, 1),
        "FeeBilled": 120.0,
        "AllowedOverride": -1.0,
        "CopayAmt": -1.0,
        "PaidOtherIns": -1.0,
        "Percentage": -1,
    }
    return {**row, **overrides}


RAW = {
    "patient": [
        {"PatNum": 1, "Guarantor": 1, "LName": "Guarantor"},
        {"PatNum": 2, "Guarantor": 1, "LName": "Child"},
    ],
    "procedurecode": [{"CodeNum": 1, "ProcCode": "D2391"}],
    "procedurelog": [
        {
            "ProcNum": 10,
            "PatNum": 1,
            "CodeNum": 1,
            "ProcStatus": 2,
            "ProcFee": 150.0,
            "UnitQty": 1,
            "ProcDate": dt.date(2025, 5, 1),
        },
        {"ProcNum": 11, "PatNum": 1, "CodeNum": 1, "ProcStatus": 1, "ProcFee": 150.0, "UnitQty": 1},
    ],
    "definition": [
        {"DefNum": 300, "Category": 32, "ItemName": "EFT"},
        {"DefNum": 301, "Category": 40, "ItemName": "Default"},
        {"DefNum": 302, "Category": 1, "ItemName": "Senior Discount"},
    ],
    "claimpayment": [
        # finalized EFT: lines 1000 + 1001 = 130.00
        {
            "ClaimPaymentNum": 500,
            "CheckDate": dt.date(2025, 5, 10),
            "DateIssued": dt.date(2025, 5, 8),
            "CheckAmt": 130.0,
            "CheckNum": "EFT123",
            "CarrierName": "Delta Dental",
            "PayType": 300,
            "PayGroup": 301,
            "DepositNum": 0,
            "Note": "May EOB",
        },
        # partial batch payment: only 25.00 of 40.00 allocated so far; PayType from the wrong category
        {
            "ClaimPaymentNum": 501,
            "CheckDate": dt.date(2025, 6, 1),
            "CheckAmt": 40.0,
            "IsPartial": 1,
            "PayType": 302,
            "DepositNum": 77,
        },
    ],
    "claimproc": [
        _claimproc(
            1000,
            1,
            ProcNum=10,
            ClaimPaymentNum=500,
            DateCP=dt.date(2025, 5, 10),
            InsPayAmt=80.0,
            WriteOff=20.0,
            DedApplied=25.0,
            InsPayEst=85.0,
            Percentage=80,
            AllowedOverride=105.0,
            Remarks="Paid per fee schedule",
            CodeSent="D2391",
            SecUserNumEntry=9,
        ),
        # supplemental "by total" with an empty DateCP: dated by its check
        _claimproc(1001, 4, ProcNum=0, ClaimPaymentNum=500, InsPayAmt=50.0, ProvNum=0, ClinicNum=0),
        # received on a treatment-planned procedure, not yet attached to a check
        _claimproc(1002, 1, ProcNum=11, DateCP=dt.date(2025, 5, 1), InsPayAmt=30.0, WriteOff=5.0),
        # received after the as-of date
        _claimproc(1003, 1, ProcNum=10, DateCP=dt.date(2025, 7, 15), InsPayAmt=10.0, WriteOff=1.0),
        # attached to an insurance payment plan: only the write-off moves the account
        _claimproc(
            1004,
            1,
            ProcNum=10,
            PayPlanNum=44,
            ClaimPaymentNum=501,
            DateCP=dt.date(2025, 6, 1),
            InsPayAmt=25.0,
            WriteOff=3.0,
            PatNum=2,
        ),
        # out of scope: benefit adjustment (3), estimate (6), not received (0), capitation complete (7)
        _claimproc(1005, 3, ProcNum=0, ClaimNum=0, InsPayAmt=999.0),
        _claimproc(1006, 6, ProcNum=10, ClaimNum=0, InsPayEst=85.0, WriteOff=20.0),
        _claimproc(1007, 0, ProcNum=10, WriteOff=15.0),
        _claimproc(1008, 7, ProcNum=10, WriteOff=40.0),
    ],
}


def test_int_insurance_payment_allocated_lines_checks_and_ar_effect(build):
    built = build(MODEL, RAW, as_of=AS_OF)
    _assert_grain(built)
    _assert_received_line_on_check(built)
    _assert_by_total_line_with_blanks(built)
    _assert_ar_rules(built)
    _assert_wrong_category_type_and_partial_check(built)


def _assert_grain(built):
    """Statuses 1 and 4 only; 3 (benefit adjustment), 6, 0 and 7 are out of scope."""
    assert built.frame.claim_procedure_id.tolist() == [1000, 1001, 1002, 1003, 1004]
    assert built.frame.payment_allocation_id.tolist() == ["INS-1000", "INS-1001", "INS-1002", "INS-1003", "INS-1004"]
    assert set(built.frame.payment_source_type) == {"INSURANCE"}
    assert built.frame.payment_id.isna().all()
    assert built.row(claim_procedure_id=1000)["claimproc_status_description"] == "received"
    assert built.row(claim_procedure_id=1001)["claimproc_status_description"] == "supplemental"


def _assert_received_line_on_check(built):
    row = built.row(claim_procedure_id=1000)
    assert row["claim_payment_id"] == 500
    assert row["claim_id"] == 900
    assert row["guarantor_id"] == 1
    assert (row["provider_id"], row["clinic_id"]) == (5, 2)
    assert (row["insurance_plan_id"], row["insurance_subscriber_id"]) == (7, 8)
    assert row["split_amount"] == Decimal("80.00")
    assert row["write_off"] == Decimal("20.00")
    assert row["deductible_applied"] == Decimal("25.00")
    assert row["insurance_payment_estimate"] == Decimal("85.00")
    assert row["fee_billed"] == Decimal("120.00")
    assert row["allowed_override"] == Decimal("105.00")
    assert row["percentage"] == 80
    assert row["payment_date"] == pd.Timestamp(dt.date(2025, 5, 10))
    assert row["procedure_date"] == pd.Timestamp(dt.date(2025, 5, 1))
    assert row["check_date"] == pd.Timestamp(dt.date(2025, 5, 10))
    assert row["date_issued"] == pd.Timestamp(dt.date(2025, 5, 8))
    assert row["check_amount"] == Decimal("130.00")
    assert (row["check_number"], row["carrier_name"], row["payment_notes"]) == ("EFT123", "Delta Dental", "May EOB")
    assert (row["payment_type_id"], row["payment_type_description"]) == (300, "EFT")
    assert (row["payment_group_id"], row["payment_group_description"]) == (301, "Default")
    assert pd.isna(row["deposit_id"])
    assert (row["remarks"], row["code_sent"]) == ("Paid per fee schedule", "D2391")
    assert (row["procedure_code"], row["procedure_status"]) == ("D2391", 2)
    assert row["created_by_user_id"] == 9
    assert row["is_claim_payment_attached"] and not row["is_by_total_payment"] and not row["is_partial"]
    assert row["include_in_ar"]
    assert row["ar_effect_amount"] == Decimal("-100.00")
    assert row["as_of_date"] == pd.Timestamp(AS_OF)


def _assert_by_total_line_with_blanks(built):
    """-1 blanks and 0 keys are NULL; an empty DateCP falls back to the check date."""
    row = built.row(claim_procedure_id=1001)
    for column in (
        "allowed_override",
        "copay_amount",
        "paid_other_insurance",
        "percentage",
        "procedure_id",
        "provider_id",
        "clinic_id",
        "created_by_user_id",
        "procedure_code",
    ):
        assert pd.isna(row[column]), column
    assert row["is_by_total_payment"]
    assert row["payment_date"] == pd.Timestamp(dt.date(2025, 5, 10))
    assert row["include_in_ar"]
    assert row["ar_effect_amount"] == Decimal("-50.00")


def _assert_ar_rules(built):
    expected = {
        1002: (False, Decimal("0.00")),  # treatment-planned procedure
        1003: (False, Decimal("0.00")),  # dated after as_of
        1004: (True, Decimal("-3.00")),  # payment plan: write-off only
    }
    for claimproc, (include, effect) in expected.items():
        row = built.row(claim_procedure_id=claimproc)
        assert (bool(row["include_in_ar"]), row["ar_effect_amount"]) == (include, effect), claimproc


def _assert_wrong_category_type_and_partial_check(built):
    row = built.row(claim_procedure_id=1004)
    assert row["patient_id"] == 2 and row["guarantor_id"] == 1
    assert row["is_payment_plan_payment"] and row["is_partial"]
    assert row["payment_type_id"] == 302
    assert pd.isna(row["payment_type_description"])
    assert row["deposit_id"] == 77
    unattached = built.row(claim_procedure_id=1002)
    assert pd.isna(unattached["claim_payment_id"]) and not unattached["is_claim_payment_attached"]
    assert pd.isna(unattached["check_amount"]) and not unattached["is_partial"]


def _failing(test_name: str, table: ibis.Table, **refs) -> pd.DataFrame:
    test = next(t for t in int_insurance_payment_allocated.__ibis_model__.tests if t.name == test_name)
    return test.failing_rows(table, refs, BuildContext(as_of=AS_OF)).to_pandas()


def test_int_insurance_payment_allocated_check_balance_test_catches_unbalanced_finalized_check():
    money = pa.decimal128(10, 2)
    lines = ibis.memtable(
        pa.table(
            {
                "claim_payment_id": pa.array([500, 500, 501, 502, None], pa.int64()),
                "split_amount": pa.array([Decimal(v) for v in ("80", "50", "25", "60", "9")], money),
                "check_amount": pa.array([Decimal("130"), Decimal("130"), Decimal("40"), Decimal("60.50"), None], money),
                "is_partial": pa.array([False, False, True, False, False]),
            }
        )
    )
    failing = _failing("check_equals_sum_of_lines", lines)
    assert failing.claim_payment_id.tolist() == [502]
