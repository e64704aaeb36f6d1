"""Tests of ``int_ar_shared_calculations`` (DE §3.1) on hand-made OpenDental rows, on both backends."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from tests.opendental.intermediate.ar._data import AS_OF, worked_example

MODEL = "int_ar_shared_calculations"


def _none(value) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and value != value)


def test_int_ar_shared_calculations_includes_exactly_opendentals_ledger_rows(build):
    built = build(MODEL, worked_example(), as_of=AS_OF)
    assert sorted(built.frame.ledger_entry_id) == sorted(
        [
            "PROC-10",
            "PROC-11",
            "PROC-12",
            "PROC-20",
            "PROC-21",
            "ADJ-30",
            "ADJ-31",
            "SPLIT-50",
            "SPLIT-51",
            "SPLIT-52",
            "SPLIT-53",
            "SPLIT-56",
            "CLAIMPROC-60",
            "CLAIMPROC-61",
        ]
    )
    # balance per patient up to as_of (DE §2.2): 580.00 (worked example), 120.02, -10.00 (orphan)
    dated = built.frame[~built.frame.is_after_as_of]
    totals = dated.groupby("patient_id").amount.sum().to_dict()
    assert totals == {1: Decimal("580.00"), 2: Decimal("120.02"), 99: Decimal("-10.00")}


def test_int_ar_shared_calculations_signs_components_and_labels_each_kind(build):
    built = build(MODEL, worked_example(), as_of=AS_OF)

    proc = built.row(ledger_entry_id="PROC-10")
    assert (proc["source_type"], proc["source_id"], proc["transaction_type"]) == ("PROCEDURE", 10, "PROCEDURE")
    assert proc["production_amount"] == Decimal("500.00") and proc["amount"] == Decimal("500.00")
    assert proc["procedure_id"] == 10 and proc["provider_id"] == 7 and proc["guarantor_id"] == 1
    assert proc["days_outstanding"] == 136 and proc["aging_bucket"] == "90+"
    assert _none(proc["payment_type"]) and _none(proc["adjustment_type"]) and not proc["is_patient_payment"]

    # units x fee rounded to cents
    units = built.row(ledger_entry_id="PROC-20")
    assert units["production_amount"] == Decimal("100.02") and units["guarantor_id"] == 1
    assert units["days_outstanding"] == 120 and units["aging_bucket"] == "90+"
    future = built.row(ledger_entry_id="PROC-21")
    assert future["is_after_as_of"] and future["days_outstanding"] == -10 and future["aging_bucket"] == "FUTURE"

    discount = built.row(ledger_entry_id="ADJ-30")
    assert discount["transaction_type"] == "GENERAL_ADJUSTMENT" and discount["amount"] == Decimal("-20.00")
    assert discount["adjustment_amount"] == Decimal("-20.00") and discount["production_amount"] == Decimal("0.00")
    assert discount["adjustment_type_name"] == "Senior Discount"
    assert discount["adjustment_category"] == "senior_discount" and discount["adjustment_type"] == "DISCOUNT"
    assert not discount["is_procedure_adjustment"] and not discount["is_retroactive_adjustment"]
    assert discount["days_outstanding"] == 30 and discount["aging_bucket"] == "0-30"
    retro = built.row(ledger_entry_id="ADJ-31")
    assert retro["transaction_type"] == "PROCEDURE_ADJUSTMENT" and retro["procedure_id"] == 20
    assert retro["is_procedure_adjustment"] and retro["is_retroactive_adjustment"]
    assert retro["adjustment_type"] == "ADMIN_CORRECTION" and retro["aging_bucket"] == "61-90"

    pay = built.row(ledger_entry_id="SPLIT-50")
    assert (pay["patient_payment_amount"], pay["amount"]) == (Decimal("100.00"), Decimal("-100.00"))
    assert pay["payment_id"] == 40 and pay["payment_type_name"] == "Visa/MC" and pay["payment_type"] == "CREDIT_CARD"
    assert pay["is_patient_payment"] and not pay["is_income_transfer"] and not pay["is_prepayment"]
    refund = built.row(ledger_entry_id="SPLIT-51")
    assert refund["amount"] == Decimal("15.00") and refund["payment_type"] == "REFUND"
    # a zero date is NULL, aged as oldest and never after as_of
    assert _none(refund["transaction_date"]) and _none(refund["days_outstanding"]) and refund["aging_bucket"] == "90+"
    assert not refund["is_after_as_of"]
    transfer_in, transfer_out = built.row(ledger_entry_id="SPLIT-52"), built.row(ledger_entry_id="SPLIT-53")
    assert transfer_in["is_income_transfer"] and transfer_in["payment_type"] == "INCOME_TRANSFER"
    assert _none(transfer_in["payment_type_id"])
    assert transfer_out["is_prepayment"] and transfer_out["unearned_type"] == 601
    assert transfer_in["amount"] + transfer_out["amount"] == 0
    orphan = built.row(ledger_entry_id="SPLIT-56")
    assert orphan["is_orphan_patient"] and orphan["guarantor_id"] == 99 and orphan["payment_type"] == "ELECTRONIC"
    assert not built.row(ledger_entry_id="PROC-10")["is_orphan_patient"]

    ins = built.row(ledger_entry_id="CLAIMPROC-60")
    assert ins["transaction_type"] == "INSURANCE_CLAIMPROC" and ins["claimproc_status"] == 1
    assert (ins["insurance_payment_amount"], ins["writeoff_amount"], ins["amount"]) == (
        Decimal("250.00"),
        Decimal("50.00"),
        Decimal("-300.00"),
    )
    assert ins["claim_id"] == 80 and ins["claim_payment_id"] == 70 and ins["procedure_id"] == 10
    assert ins["payment_type_name"] == "Insurance Check" and ins["payment_type"] == "CHECK"
    assert ins["is_insurance_payment"] and ins["insurance_estimate_as_of"] == Decimal("0.00")
    estimate = built.row(ledger_entry_id="CLAIMPROC-61")
    assert estimate["amount"] == Decimal("0.00") and estimate["writeoff_amount"] == Decimal("0.00")
    assert (estimate["claimproc_insurance_estimate"], estimate["claimproc_writeoff"]) == (Decimal("120.00"), Decimal("30.00"))
    assert estimate["insurance_estimate_as_of"] == Decimal("150.00")
    assert estimate["payment_type"] == "INSURANCE" and not estimate["is_insurance_payment"]
    assert (built.frame.as_of_date == pd.Timestamp(AS_OF)).all()


def test_int_ar_shared_calculations_pay_plan_version_and_estimates_follow_as_of(build):
    raw = worked_example()
    raw["paysplit"].append(
        {"SplitNum": 57, "PayNum": 40, "PatNum": 1, "SplitAmt": 25.0, "DatePay": dt.date(2025, 3, 25), "PayPlanNum": 5}
    )
    # insurance paid onto a payment plan: the payment is not a ledger credit, the write-off is
    raw["claimproc"].append(
        {
            "ClaimProcNum": 65,
            "ProcNum": 11,
            "ClaimNum": 80,
            "PatNum": 1,
            "Status": 4,
            "InsPayAmt": 40.0,
            "WriteOff": 5.0,
            "DateCP": dt.date(2025, 3, 3),
            "ProcDate": dt.date(2025, 1, 20),
            "PayPlanNum": 5,
        }
    )
    # received after an earlier as_of: still an estimate on 2025-02-01, historic rule DE §2.4
    v1 = build(MODEL, raw, as_of=dt.date(2025, 2, 1), params={"pay_plan_version": 1})
    assert "SPLIT-57" not in set(v1.frame.ledger_entry_id)
    plan_ins = v1.row(ledger_entry_id="CLAIMPROC-65")
    assert (plan_ins["insurance_payment_amount"], plan_ins["amount"]) == (Decimal("0.00"), Decimal("-5.00"))
    assert v1.row(ledger_entry_id="CLAIMPROC-60")["insurance_estimate_as_of"] == Decimal("310.00")  # 260 + 50
    assert v1.row(ledger_entry_id="CLAIMPROC-61")["insurance_estimate_as_of"] == Decimal("0.00")  # ProcDate later
    v2 = build(MODEL, raw, as_of=AS_OF)
    assert v2.row(ledger_entry_id="SPLIT-57")["paysplit_payplan_id"] == 5
