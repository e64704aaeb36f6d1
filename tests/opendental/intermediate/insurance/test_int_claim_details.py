"""int_claim_details (B §6): claim lines with claim, plan, carrier, coverage, coding and timing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

AS_OF = dt.date(2025, 6, 30)
MODEL = "int_claim_details"


def _claimproc(num: int, claim: int, status: int, **overrides) -> dict:
    row = {
        "ClaimProcNum": num,
        "ClaimNum": claim,
        "Status": status,
        "PatNum": 1,
        "PlanNum": 100,
        "InsSubNum": 500,
        "ProvNum": 7,
        "ClinicNum": 3,
        "ProcDate": dt.date(2025, 3, 1),
        "AllowedOverride": -1.0,
        "CopayAmt": -1.0,
        "PaidOtherIns": -1.0,
        "Percentage": -1,
        "PercentOverride": -1,
    }
    return {**row, **overrides}


def _claim(num: int, status: str, claim_type: str, **overrides) -> dict:
    row = {
        "ClaimNum": num,
        "PatNum": 1,
        "PlanNum": 100,
        "InsSubNum": 500,
        "ClaimStatus": status,
        "ClaimType": claim_type,
        "ProvTreat": 7,
        "ProvBill": 8,
        "DateService": dt.date(2025, 3, 1),
    }
    return {**row, **overrides}


RAW = {
    "patient": [{"PatNum": 1, "Guarantor": 1, "LName": "Head"}],
    "carrier": [{"CarrierNum": 10, "CarrierName": "Delta Dental"}, {"CarrierNum": 11, "CarrierName": "Cigna"}],
    "insplan": [
        {"PlanNum": 100, "CarrierNum": 10, "PlanType": "p", "GroupName": "ACME PPO", "GroupNum": "G1"},
        {"PlanNum": 101, "CarrierNum": 11, "PlanType": "f"},
    ],
    "inssub": [
        {"InsSubNum": 500, "PlanNum": 100, "Subscriber": 1},
        {"InsSubNum": 501, "PlanNum": 101, "Subscriber": 1},
    ],
    "patplan": [
        {"PatPlanNum": 1000, "PatNum": 1, "InsSubNum": 500, "Ordinal": 1},
        {"PatPlanNum": 1001, "PatNum": 1, "InsSubNum": 501, "Ordinal": 2},
    ],
    "insverify": [{"InsVerifyNum": 1, "VerifyType": 2, "FKey": 1000, "DateLastVerified": dt.date(2025, 6, 1)}],
    "definition": [
        {"DefNum": 71, "Category": 36, "ItemName": "Frequency denial"},
        {"DefNum": 72, "Category": 32, "ItemName": "EFT"},
    ],
    "procedurecode": [
        {
            "CodeNum": 1,
            "ProcCode": "D0120",
            "Descript": "periodic oral evaluation",
            "AbbrDesc": "PerEx",
            "ProcCat": 40,
            "IsHygiene": 1,
        },
        {"CodeNum": 2, "ProcCode": "D6010", "Descript": "implant body", "IsProsth": 1},
        {"CodeNum": 3, "ProcCode": "D6750", "Descript": "crown PFM", "IsProsth": 1, "TreatArea": 2},
        {"CodeNum": 4, "ProcCode": " d2391 ", "Descript": "resin one surface"},
        {"CodeNum": 5, "ProcCode": "N4102", "Descript": "not a CDT code"},
    ],
    "procedurelog": [
        {"ProcNum": 11, "PatNum": 1, "CodeNum": 1, "ProcFee": 60.0, "ToothNum": ""},
        {"ProcNum": 12, "PatNum": 1, "CodeNum": 2, "ProcFee": 2000.0, "ToothNum": "30"},
        {"ProcNum": 13, "PatNum": 1, "CodeNum": 3, "ProcFee": 1200.0},
        {"ProcNum": 14, "PatNum": 1, "CodeNum": 4, "ProcFee": 150.0},
        {"ProcNum": 15, "PatNum": 1, "CodeNum": 5, "ProcFee": 10.0},
    ],
    "claim": [
        _claim(
            900,
            "R",
            "P",
            DateSent=dt.date(2025, 3, 2),
            DateSentOrig=dt.date(2025, 3, 2),
            DateReceived=dt.date(2025, 3, 20),
            SecDateTEdit=dt.datetime(2025, 3, 21, 9, 0),
        ),
        _claim(901, " s", "S", PlanNum=101, InsSubNum=501, DateSent=dt.date(2025, 5, 1)),  # messy status
        _claim(902, "U", "PreAuth", DateService=dt.date(1, 1, 1)),
        _claim(903, "S", "Cap", DateSent=dt.date(2025, 2, 1)),
        _claim(904, "S", "Other", DateSent=dt.date(2025, 7, 5)),  # sent after as_of_date
    ],
    "claimproc": [
        _claimproc(
            1,
            900,
            1,
            ProcNum=11,
            FeeBilled=60.0,
            InsPayEst=48.0,
            InsPayAmt=48.0,
            WriteOff=5.0,
            DedApplied=0.0,
            Percentage=80,
            ClaimPaymentNum=300,
            DateCP=dt.date(2025, 3, 20),
            ClaimPaymentTracking=71,
            Remarks="EOB ok",
            CodeSent="D0120",
            ClaimAdjReasonCodes="45,CO",
            SecDateEntry=dt.date(2025, 3, 1),
            SecDateTEdit=dt.datetime(2025, 3, 20, 12, 0),
        ),
        _claimproc(
            2,
            900,
            1,
            ProcNum=12,
            FeeBilled=2000.0,
            InsPayEst=1200.0,
            InsPayAmt=1000.0,
            WriteOff=200.0,
            AllowedOverride=1500.0,
            Percentage=80,
            PercentOverride=50,
            CopayAmt=20.0,
            ClaimPaymentTracking=72,
        ),
        _claimproc(3, 900, 4, ProcNum=11, InsPayAmt=10.0),
        # by-total payment with zero keys: patient, plan and subscriber fall back to the claim's
        _claimproc(4, 900, 1, ProcNum=0, PatNum=0, PlanNum=0, InsSubNum=0, InsPayAmt=25.0),
        _claimproc(5, 901, 0, ProcNum=13, PlanNum=101, InsSubNum=501, InsPayEst=300.0, FeeBilled=1200.0),
        _claimproc(6, 902, 2, ProcNum=14, InsPayEst=90.0),
        _claimproc(7, 0, 6, ProcNum=11, InsPayEst=48.0),  # estimate, not a claim line
        _claimproc(8, 999, 0, ProcNum=11),  # its claim is missing: dropped
        _claimproc(9, 903, 0, ProcNum=15, InsPayEst=5.0),
        _claimproc(10, 904, 0, ProcNum=13),
    ],
}


def _null(value) -> bool:
    return value is None or pd.isna(value)


def _assert_keeps_claim_lines_and_finds_coverage(built) -> None:
    frame = built.frame
    assert list(frame.claim_procedure_id) == [1, 2, 3, 4, 5, 6, 9, 10]
    assert list(frame.columns)[-1] == "as_of_date"
    # every line finds its plan, carrier and enrollment (the reference joined coverage on PatPlanNum)
    assert frame.patient_plan_id.notna().all() and frame.carrier_id.notna().all()

    received = built.row(claim_procedure_id=1)
    assert (received["claim_id"], received["procedure_id"], received["patient_id"]) == (900, 11, 1)
    assert (received["provider_id"], received["clinic_id"]) == (7, 3)
    assert (received["treating_provider_id"], received["billing_provider_id"]) == (7, 8)
    assert (received["insurance_plan_id"], received["insurance_subscriber_id"], received["carrier_id"]) == (100, 500, 10)
    assert (received["patient_plan_id"], received["coverage_ordinal"]) == (1000, 1)
    assert received["verification_date"] == pd.Timestamp(2025, 6, 1) and received["is_coverage_active"]
    assert (received["carrier_name"], received["group_name"], received["group_number"]) == ("Delta Dental", "ACME PPO", "G1")
    assert (received["plan_type"], received["plan_type_code"]) == ("ppo_percentage", "p")
    assert received["claim_payment_id"] == 300 and received["procedure_code_id"] == 1
    assert (received["claim_status"], received["claim_status_description"]) == ("R", "received")
    assert (received["claim_type"], received["claim_type_description"]) == ("P", "primary")
    assert not received["is_preauth"]
    assert received["claim_procedure_status_description"] == "received" and not received["is_supplemental"]
    assert received["claim_payment_tracking_id"] == 71
    assert received["claim_payment_tracking_reason"] == "Frequency denial"
    assert (received["remarks"], received["code_sent"], received["claim_adjustment_reason_codes"]) == ("EOB ok", "D0120", "45,CO")
    assert received["payment_date"] == pd.Timestamp(2025, 3, 20)
    assert received["claim_date"] == pd.Timestamp(2025, 3, 1)
    assert (received["procedure_code"], received["procedure_description"], received["abbreviated_description"]) == (
        "D0120",
        "periodic oral evaluation",
        "PerEx",
    )
    assert received["procedure_category_id"] == 40 and received["is_hygiene"] and not received["is_prosthetic"]
    assert received["procedure_fee"] == Decimal("60.00") and _null(received["tooth_number"])
    assert received["_created_at"] == pd.Timestamp(2025, 3, 1)
    assert received["_updated_at"] == pd.Timestamp(2025, 3, 21, 9, 0)  # claim edit is later

    by_total = built.row(claim_procedure_id=4)
    assert by_total["is_by_total_payment"] and _null(by_total["procedure_id"])
    assert (by_total["patient_id"], by_total["insurance_plan_id"], by_total["insurance_subscriber_id"]) == (1, 100, 500)
    assert by_total["carrier_id"] == 10 and by_total["patient_plan_id"] == 1000
    assert by_total["cdt_service_category"] == "non_cdt" and _null(by_total["procedure_code"])

    secondary = built.row(claim_procedure_id=5)
    assert (secondary["patient_plan_id"], secondary["coverage_ordinal"], secondary["carrier_id"]) == (1001, 2, 11)
    assert (secondary["claim_status"], secondary["claim_status_description"]) == ("S", "sent")
    assert secondary["plan_type"] == "flat_copay" and secondary["claim_type_description"] == "secondary"

    preauth = built.row(claim_procedure_id=6)
    assert preauth["is_preauth"] and preauth["claim_type_description"] == "preauth"
    assert preauth["claim_status_description"] == "unsent" and preauth["claim_procedure_status_description"] == "preauth"
    assert preauth["claim_date"] == pd.Timestamp(2025, 3, 1)  # no service date: the procedure date

    assert built.row(claim_procedure_id=3)["is_supplemental"]
    assert built.row(claim_procedure_id=9)["claim_type_description"] == "capitation"
    assert built.row(claim_procedure_id=10)["claim_type_description"] == "other"


def _assert_money_coding_and_timing(built) -> None:
    received = built.row(claim_procedure_id=1)
    assert received["billed_amount"] == Decimal("60.00") and received["paid_amount"] == Decimal("48.00")
    assert received["insurance_estimate_amount"] == Decimal("48.00")
    assert received["write_off_amount"] == Decimal("5.00") and received["deductible_applied"] == Decimal("0.00")
    assert _null(received["allowed_amount"]) and _null(received["copay_amount"])  # -1 blanks
    assert _null(received["paid_other_insurance"])
    assert received["coverage_percent"] == 80 and received["outstanding_insurance_amount"] == Decimal("0.00")
    assert (received["procedure_code_prefix"], received["cdt_service_category"]) == ("D0", "diagnostic")
    assert received["days_to_receive"] == 18
    assert _null(received["days_outstanding"]) and _null(received["claim_aging_bucket"])

    implant = built.row(claim_procedure_id=2)
    assert implant["allowed_amount"] == Decimal("1500.00") and implant["copay_amount"] == Decimal("20.00")
    assert implant["coverage_percent"] == 50  # PercentOverride wins over Percentage
    assert (implant["procedure_code_prefix"], implant["cdt_service_category"]) == ("D6", "implant_services")
    assert _null(implant["claim_payment_tracking_reason"])  # DefNum 72 is category 32, not 36
    assert implant["tooth_number"] == "30"

    open_line = built.row(claim_procedure_id=5)
    assert open_line["outstanding_insurance_amount"] == Decimal("300.00")
    assert (open_line["cdt_service_category"], open_line["treatment_area"]) == ("prosthodontics_fixed", 2)
    assert open_line["days_outstanding"] == 60 and open_line["claim_aging_bucket"] == "31-60"
    assert _null(open_line["days_to_receive"])

    restorative = built.row(claim_procedure_id=6)
    assert (restorative["procedure_code_prefix"], restorative["cdt_service_category"]) == ("D2", "restorative")
    assert _null(restorative["days_outstanding"])  # unsent claim

    old = built.row(claim_procedure_id=9)
    assert _null(old["procedure_code_prefix"])
    assert old["cdt_service_category"] == "non_cdt"
    assert old["days_outstanding"] == 149 and old["claim_aging_bucket"] == "91+"

    future = built.row(claim_procedure_id=10)
    assert future["days_outstanding"] == 0 and future["claim_aging_bucket"] == "0-30"


def test_int_claim_details_lines_coverage_money_coding_and_timing(build):
    built = build(MODEL, RAW, as_of=AS_OF)
    _assert_keeps_claim_lines_and_finds_coverage(built)
    _assert_money_coding_and_timing(built)


def test_int_claim_details_code_labels_cover_legacy_and_unknown_codes():
    import ibis

    from ibis_models.opendental.intermediate.insurance._common import (
        claim_procedure_status_description,
        claim_status_description,
        claim_type_description,
    )

    raw = ibis.memtable(
        {"status": ["A", " p", "Z", None], "kind": ["preauth", " cap ", "X", None], "cp": [7, 9, 3, 12]},
        schema={"status": "string", "kind": "string", "cp": "int64"},
    )
    frame = raw.select(
        s=claim_status_description(raw.status),
        k=claim_type_description(raw.kind),
        c=claim_procedure_status_description(raw.cp),
    ).to_pandas()
    assert list(frame.s) == ["legacy", "legacy", "unknown", "unknown"]
    assert list(frame.k) == ["preauth", "capitation", "unknown", "unknown"]
    assert list(frame.c) == ["cap_complete", "ins_hist", "adjustment", "unknown"]
