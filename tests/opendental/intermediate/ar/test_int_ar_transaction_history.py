"""Tests of ``int_ar_transaction_history`` (DE §3.4) on the DE §6 worked example, on both backends."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from tests.opendental.intermediate.ar._data import AS_OF, worked_example

MODEL = "int_ar_transaction_history"


def test_int_ar_transaction_history_orders_components_and_runs_the_balance(build):
    built = build(MODEL, worked_example(), as_of=AS_OF)
    p1 = built.frame[built.frame.patient_id == 1].sort_values("transaction_sequence")
    assert list(p1.ar_transaction_id) == [
        "PROC-10:CHG",
        "PROC-11:CHG",
        "CLAIMPROC-60:INS",
        "CLAIMPROC-60:WO",
        "ADJ-30:ADJ",
        "PROC-12:CHG",
        "SPLIT-50:PAY",
    ]
    assert list(p1.transaction_sequence) == [1, 2, 3, 4, 5, 6, 7]
    assert list(p1.running_patient_balance) == [
        Decimal(v) for v in ("500.00", "800.00", "550.00", "500.00", "480.00", "680.00", "580.00")
    ]
    assert list(p1.transaction_type) == [
        "PROCEDURE",
        "PROCEDURE",
        "INSURANCE_PAYMENT",
        "WRITEOFF",
        "ADJUSTMENT",
        "PROCEDURE",
        "PATIENT_PAYMENT",
    ]
    assert list(p1.transaction_category) == [
        "PROCEDURE_FEE",
        "PROCEDURE_FEE",
        "CHECK",
        "WRITEOFF",
        "DISCOUNT",
        "PROCEDURE_FEE",
        "CREDIT_CARD",
    ]
    ins = built.row(ar_transaction_id="CLAIMPROC-60:INS")
    assert ins["amount"] == Decimal("-250.00") and ins["balance_impact"] == "DECREASE" and ins["is_insurance_transaction"]
    assert ins["payment_method"] == "CHECK" and ins["claim_payment_id"] == 70 and ins["days_outstanding"] == 49
    assert ins["aging_bucket"] == "31-60"
    adj = built.row(ar_transaction_id="ADJ-30:ADJ")
    assert adj["adjustment_type"] == "DISCOUNT" and pd.isna(adj["payment_method"]) and not adj["is_insurance_transaction"]
    # the zero-amount estimate row and the post-dated procedure are not emitted
    assert not built.frame.ar_transaction_id.str.startswith("CLAIMPROC-61").any()
    assert "PROC-21:CHG" not in set(built.frame.ar_transaction_id)

    p2 = built.frame[built.frame.patient_id == 2].sort_values("transaction_sequence")
    # the zero-dated refund sorts first; the income transfer's two splits are emitted, flagged, and net to 0
    assert list(p2.ar_transaction_id) == ["SPLIT-51:PAY", "PROC-20:CHG", "ADJ-31:ADJ", "SPLIT-52:PAY", "SPLIT-53:PAY"]
    refund = built.row(ar_transaction_id="SPLIT-51:PAY")
    assert refund["amount"] == Decimal("15.00") and refund["balance_impact"] == "INCREASE" and refund["aging_bucket"] == "90+"
    assert pd.isna(refund["days_outstanding"]) and refund["transaction_category"] == "REFUND"
    assert p2.is_income_transfer.tolist() == [False, False, False, True, True]
    assert p2.running_patient_balance.iloc[-1] == Decimal("120.02")
    assert built.row(ar_transaction_id="SPLIT-56:PAY")["running_patient_balance"] == Decimal("-10.00")
