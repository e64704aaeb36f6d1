"""int_claim_payments (B §7): payment lines, their check, check windows and the check reconciliation test."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

AS_OF = dt.date(2025, 6, 30)
MODEL = "int_claim_payments"


def _claimproc(num: int, status: int, **overrides) -> dict:
    row = {
        "ClaimProcNum": num,
        "ClaimNum": 900,
        "Status": status,
        "PatNum": 1,
        "PlanNum": 100,
        "InsSubNum": 500,
        "ProvNum": 7,
        "ClinicNum": 3,
        "ProcNum": 11,
        "ProcDate": dt.date(2025, 3, 1),
        "AllowedOverride": -1.0,
        "CopayAmt": -1.0,
        "PaidOtherIns": -1.0,
        "Percentage": -1,
        "PercentOverride": -1,
    }
    return {**row, **overrides}


def _raw(check_300_amount: float = 1048.0, check_302_partial: int = 1) -> dict:
    return {
        "patient": [{"PatNum": 1, "Guarantor": 1}],
        "carrier": [{"CarrierNum": 10, "CarrierName": "Delta Dental"}],
        "insplan": [{"PlanNum": 100, "CarrierNum": 10}],
        "inssub": [{"InsSubNum": 500, "PlanNum": 100, "Subscriber": 1}],
        "patplan": [{"PatPlanNum": 1000, "PatNum": 1, "InsSubNum": 500, "Ordinal": 1}],
        "procedurecode": [{"CodeNum": 1, "ProcCode": "D2391"}],
        "procedurelog": [{"ProcNum": 11, "PatNum": 1, "CodeNum": 1, "ProcFee": 150.0}],
        "definition": [
            {"DefNum": 80, "Category": 32, "ItemName": "EFT"},
            {"DefNum": 81, "Category": 36, "ItemName": "Not a payment type"},
        ],
        "claim": [
            {
                "ClaimNum": 900,
                "PatNum": 1,
                "PlanNum": 100,
                "InsSubNum": 500,
                "ClaimStatus": "R",
                "ClaimType": "P",
                "DateService": dt.date(2025, 3, 1),
                "DateSent": dt.date(2025, 3, 2),
                "DateReceived": dt.date(2025, 3, 20),
            },
        ],
        "claimpayment": [
            {
                "ClaimPaymentNum": 300,
                "CheckDate": dt.date(2025, 3, 20),
                "DateIssued": dt.date(2025, 3, 18),
                "CheckAmt": check_300_amount,
                "CheckNum": "EFT1",
                "PayType": 80,
                "CarrierName": "Delta Dental",
                "SecDateTEdit": dt.datetime(2025, 3, 22, 9, 0),
            },
            {"ClaimPaymentNum": 301, "CheckDate": dt.date(2025, 4, 1), "CheckAmt": 5.0, "PayType": 81, "DepositNum": 55},
            # a partial batch payment that does not add up yet: only a warning
            {"ClaimPaymentNum": 302, "CheckDate": dt.date(2025, 5, 1), "CheckAmt": 100.0, "IsPartial": check_302_partial},
        ],
        "eobattach": [
            {"EobAttachNum": 1, "ClaimPaymentNum": 300, "FileName": "eob1.pdf"},
            {"EobAttachNum": 2, "ClaimPaymentNum": 300, "FileName": "eob2.pdf"},
            {"EobAttachNum": 3, "ClaimPaymentNum": 0, "ClaimNumPreAuth": 900, "FileName": "preauth.pdf"},
        ],
        "claimproc": [
            _claimproc(
                1,
                1,
                FeeBilled=60.0,
                InsPayEst=48.0,
                InsPayAmt=48.0,
                WriteOff=5.0,
                ClaimPaymentNum=300,
                DateCP=dt.date(2025, 3, 20),
                SecDateTEdit=dt.datetime(2025, 3, 20, 12, 0),
            ),
            _claimproc(
                2,
                1,
                FeeBilled=2000.0,
                InsPayEst=1200.0,
                InsPayAmt=1000.0,
                AllowedOverride=1500.0,
                ClaimPaymentNum=300,
                DateCP=dt.date(2025, 3, 20),
            ),
            _claimproc(3, 4, InsPayAmt=10.0, ClaimPaymentNum=301, DateCP=dt.date(2025, 4, 1)),  # supplemental
            _claimproc(4, 1, ProcNum=0, InsPayAmt=25.0, DateCP=dt.date(2025, 4, 2)),  # received, no check yet
            _claimproc(5, 0, InsPayEst=300.0),  # not received: not a payment line
            _claimproc(6, 2, InsPayEst=90.0),  # pre-authorization: not a payment line
            _claimproc(11, 0, InsPayAmt=0.0, ClaimPaymentNum=301, DateCP=dt.date(2025, 4, 1)),  # attached anyway
            _claimproc(12, 4, InsPayAmt=-5.0, ClaimPaymentNum=301, DateCP=dt.date(2025, 4, 1)),  # recoupment
            _claimproc(13, 5, InsPayAmt=40.0, ClaimPaymentNum=302, DateCP=dt.date(2025, 5, 1)),  # cap claim
        ],
    }


def _null(value) -> bool:
    return value is None or pd.isna(value)


def test_int_claim_payments_lines_and_checks(build):
    built = build(MODEL, _raw(), as_of=AS_OF)
    frame = built.frame
    assert list(frame.claim_procedure_id) == [1, 2, 3, 4, 11, 12, 13]
    assert list(frame.columns)[-1] == "as_of_date"

    first = built.row(claim_procedure_id=1)
    assert (first["claim_payment_id"], first["claim_id"], first["procedure_id"], first["patient_id"]) == (300, 900, 11, 1)
    assert (first["provider_id"], first["clinic_id"], first["insurance_plan_id"], first["carrier_id"]) == (7, 3, 100, 10)
    assert first["claim_type"] == "P" and first["is_finalized"] and not first["is_supplemental"]
    assert first["check_date"] == pd.Timestamp(2025, 3, 20) and first["date_issued"] == pd.Timestamp(2025, 3, 18)
    assert first["payment_date"] == pd.Timestamp(2025, 3, 20)
    assert (first["check_number"], first["check_carrier_name"]) == ("EFT1", "Delta Dental")
    assert first["check_amount"] == Decimal("1048.00") and first["check_line_count"] == 2
    assert first["is_first_line_of_check"]
    assert first["check_allocated_amount"] == Decimal("1048.00")
    assert first["check_unallocated_amount"] == Decimal("0.00")
    assert (first["payment_type_id"], first["payment_type_name"]) == (80, "EFT")
    assert not first["is_partial"] and _null(first["deposit_id"]) and not first["is_deposited"]
    assert first["estimate_variance_amount"] == Decimal("0.00") and first["payment_line_category"] == "payment"
    assert first["days_service_to_payment"] == 19 and first["days_sent_to_payment"] == 18
    assert first["eob_attachment_count"] == 2 and first["has_eob_attachment"]
    assert first["_updated_at"] == pd.Timestamp(2025, 3, 22, 9, 0)  # the check's edit is the latest

    second = built.row(claim_procedure_id=2)
    assert not second["is_first_line_of_check"] and second["check_line_count"] == 2
    assert second["estimate_variance_amount"] == Decimal("-200.00")
    assert second["allowed_amount"] == Decimal("1500.00") and second["billed_amount"] == Decimal("2000.00")

    supplemental = built.row(claim_procedure_id=3)
    assert supplemental["is_supplemental"] and _null(supplemental["estimate_variance_amount"])
    assert supplemental["check_line_count"] == 3 and supplemental["is_first_line_of_check"]
    assert supplemental["check_allocated_amount"] == Decimal("5.00")
    assert supplemental["deposit_id"] == 55 and supplemental["is_deposited"]
    assert supplemental["payment_type_id"] == 81 and _null(supplemental["payment_type_name"])  # wrong category
    assert supplemental["eob_attachment_count"] == 0 and not supplemental["has_eob_attachment"]

    unfinalized = built.row(claim_procedure_id=4)
    assert not unfinalized["is_finalized"] and _null(unfinalized["claim_payment_id"])
    assert _null(unfinalized["check_line_count"]) and not unfinalized["is_first_line_of_check"]
    assert _null(unfinalized["check_allocated_amount"]) and _null(unfinalized["check_unallocated_amount"])
    assert _null(unfinalized["check_amount"]) and _null(unfinalized["days_service_to_payment"])
    assert not unfinalized["is_partial"] and unfinalized["eob_attachment_count"] == 0

    assert built.row(claim_procedure_id=11)["payment_line_category"] == "zero"
    assert built.row(claim_procedure_id=12)["payment_line_category"] == "reversal"
    cap = built.row(claim_procedure_id=13)
    assert cap["claim_procedure_status"] == 5 and cap["is_partial"]
    assert cap["check_unallocated_amount"] == Decimal("60.00")


def test_int_claim_payments_fails_when_check_differs_from_its_lines(build):
    # CheckAmt 1000.00 while its lines pay 48.00 + 1000.00: the error-level reconciliation blocks the build
    with pytest.raises(AssertionError, match="int_claim_payments"):
        build(MODEL, _raw(check_300_amount=1000.0), as_of=AS_OF)
