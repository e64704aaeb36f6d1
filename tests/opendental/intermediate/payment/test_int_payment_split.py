"""int_payment_split (FAC §9): every split kept, payment header, classification, payment totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import ibis
import pandas as pd
import pyarrow as pa

from ibis_models.framework.context import BuildContext
from ibis_models.opendental.intermediate.payment.int_payment_split import int_payment_split

AS_OF = dt.date(2025, 6, 30)
MODEL = "int_payment_split"


def _payment(num: int, pay_type: int, amount: float, date: dt.date, **overrides) -> dict:
    return {"PayNum": num, "PayType": pay_type, "PayAmt": amount, "PayDate": date, "PatNum": 1, "DateEntry": date, **overrides}


def _split(num: int, pay: int, amount: float, date: dt.date, **overrides) -> dict:
    return {
        "SplitNum": num,
        "PayNum": pay,
        "SplitAmt": amount,
        "DatePay": date,
        "PatNum": 1,
        "ProvNum": 5,
        "ClinicNum": 4,
        "DateEntry": date,
        **overrides,
    }


MAY2, JUN1, JUN10 = dt.date(2025, 5, 2), dt.date(2025, 6, 1), dt.date(2025, 6, 10)

#: Shared with the allocation tests: one family (guarantor 1, child 2), two procedures, two adjustments.
RAW = {
    "patient": [
        {"PatNum": 1, "Guarantor": 1, "LName": "Guarantor", "PriProv": 5},
        {"PatNum": 2, "Guarantor": 1, "LName": "Child", "PriProv": 5},
    ],
    "provider": [{"ProvNum": 5, "Abbr": "DOC"}, {"ProvNum": 6, "Abbr": "HYG"}],
    "procedurecode": [{"CodeNum": 1, "ProcCode": "D2391", "Descript": "Resin one surface"}],
    "procedurelog": [
        {
            "ProcNum": 10,
            "PatNum": 1,
            "ProvNum": 5,
            "CodeNum": 1,
            "ProcStatus": 2,
            "ProcFee": 200.0,
            "UnitQty": 1,
            "ProcDate": dt.date(2025, 5, 1),
        },
        {
            "ProcNum": 11,
            "PatNum": 1,
            "ProvNum": 5,
            "CodeNum": 1,
            "ProcStatus": 2,
            "ProcFee": 0.0,
            "UnitQty": 1,
            "ProcDate": dt.date(2025, 5, 1),
        },
    ],
    "adjustment": [
        {"AdjNum": 20, "PatNum": 1, "ProcNum": 10, "AdjType": 400, "AdjAmt": -20.0, "AdjDate": dt.date(2025, 5, 1)},
        {"AdjNum": 21, "PatNum": 1, "AdjType": 402, "AdjAmt": 5.0, "AdjDate": dt.date(2025, 5, 1)},
    ],
    "definition": [
        {"DefNum": 100, "Category": 10, "ItemName": "Check"},
        {"DefNum": 101, "Category": 10, "ItemName": "Patient Refund"},
        {"DefNum": 200, "Category": 29, "ItemName": "Prepayment"},
        {"DefNum": 201, "Category": 29, "ItemName": "Treat Plan Prepayment", "ItemValue": "X"},
        {"DefNum": 400, "Category": 1, "ItemName": "Senior Discount", "ItemValue": "-"},
        {"DefNum": 402, "Category": 1, "ItemName": "Finance Charge", "ItemValue": "+"},
    ],
    "payment": [
        _payment(
            1,
            100,
            300.0,
            MAY2,
            ClinicNum=3,
            CheckNum="1234",
            BankBranch="First Bank",
            DepositNum=55,
            PayNote="thanks",
            MerchantFee=1.5,
            SecUserNumEntry=9,
        ),
        _payment(2, 0, 0.0, JUN1, PayNote=""),  # income transfer with an empty note
        _payment(3, 100, 2500.0, JUN1),
        _payment(4, 101, -50.0, JUN10, PaymentSource=3, PaymentStatus=2, ProcessStatus=1, IsCcCompleted=1),
        _payment(5, 100, 6000.0, JUN10, IsRecurringCC=1, RecurringChargeDate=JUN10),
        _payment(6, 100, 0.0, JUN10),
        _payment(7, 100, 40.0, dt.date(2025, 7, 5)),  # after as_of
        _payment(8, 100, 10.0, dt.date(1, 1, 1)),  # zero date
    ],
    "paysplit": [
        _split(1001, 1, 150.0, MAY2, ProcNum=10, SecUserNumEntry=9, SecDateTEdit=dt.datetime(2025, 5, 2, 9, 30)),
        _split(1002, 1, 15.0, MAY2, AdjNum=20),
        _split(1003, 1, 5.0, MAY2, AdjNum=21, ProvNum=6),
        _split(1004, 1, 100.0, MAY2, UnearnedType=200, ProvNum=0, ClinicNum=0),
        _split(1005, 1, 30.0, MAY2, PatNum=2),
        _split(2001, 2, -100.0, JUN1, UnearnedType=200, ProvNum=0),
        _split(2002, 2, 100.0, JUN1, ProcNum=10),
        _split(3001, 3, 2500.0, JUN1, UnearnedType=201, ProvNum=0),
        _split(4001, 4, -50.0, JUN10, ProcNum=11),
        _split(5001, 5, 6000.0, JUN10, PayPlanNum=70, PayPlanDebitType=1),
        _split(6001, 6, 0.0, JUN10),
        _split(7001, 7, 40.0, dt.date(2025, 7, 5)),
        _split(8001, 8, 10.0, dt.date(1, 1, 1)),
    ],
}


def test_int_payment_split_keeps_every_split_and_classifies_it(build):
    built = build(MODEL, RAW, as_of=AS_OF)
    frame = built.frame.set_index("paysplit_id")
    assert frame.index.tolist() == [s["SplitNum"] for s in RAW["paysplit"]]
    assert frame.split_type.to_dict() == {
        1001: "NORMAL_PAYMENT",
        1002: "DISCOUNT",
        1003: "NORMAL_PAYMENT",
        1004: "UNEARNED_REVENUE",
        1005: "NORMAL_PAYMENT",
        2001: "INCOME_TRANSFER",
        2002: "INCOME_TRANSFER",
        3001: "TREATMENT_PLAN_PREPAYMENT",
        4001: "NORMAL_PAYMENT",
        5001: "NORMAL_PAYMENT",
        6001: "NORMAL_PAYMENT",
        7001: "NORMAL_PAYMENT",
        8001: "NORMAL_PAYMENT",
    }
    assert frame.amount_category.to_dict() == {
        1001: "MEDIUM",
        1002: "SMALL",
        1003: "SMALL",
        1004: "SMALL",
        1005: "SMALL",
        2001: "NEGATIVE",
        2002: "SMALL",
        3001: "LARGE",
        4001: "NEGATIVE",
        5001: "VERY_LARGE",
        6001: "ZERO",
        7001: "SMALL",
        8001: "SMALL",
    }
    # 150/200 > 0.5 major; 100/200 = 0.5 is moderate; no procedure or a 0 fee is not_applicable
    impacts = frame.split_impact.to_dict()
    assert (impacts[1001], impacts[2002], impacts[4001], impacts[1002]) == (
        "major",
        "moderate",
        "not_applicable",
        "not_applicable",
    )
    flags = [
        "is_unearned",
        "is_hidden_unearned",
        "is_income_transfer",
        "is_unallocated",
        "is_payment_plan_split",
        "is_zero_amount",
        "is_refund",
    ]
    assert frame.loc[1004, flags].tolist() == [True, False, False, False, False, False, False]
    assert frame.loc[2001, flags].tolist() == [True, False, True, False, False, False, False]
    assert frame.loc[3001, flags].tolist() == [True, True, False, False, False, False, False]
    assert frame.loc[4001, flags].tolist() == [False, False, False, False, False, False, True]
    assert frame.loc[5001, flags].tolist() == [False, False, False, False, True, False, False]
    assert frame.loc[6001, flags].tolist() == [False, False, False, True, False, True, False]
    assert frame.loc[1005, flags].tolist() == [False, False, False, True, False, False, False]

    normal = built.row(paysplit_id=1001)
    assert (normal["payment_id"], normal["patient_id"], normal["provider_id"]) == (1, 1, 5)
    assert (normal["clinic_id"], normal["payment_clinic_id"]) == (4, 3)
    assert normal["split_amount"] == Decimal("150.00")
    assert normal["payment_date"] == pd.Timestamp(MAY2)
    assert normal["payment_amount"] == Decimal("300.00")
    assert (normal["payment_type_id"], normal["payment_type_description"]) == (100, "Check")
    assert (normal["check_number"], normal["bank_branch"], normal["deposit_id"]) == ("1234", "First Bank", 55)
    assert (normal["payment_notes"], normal["merchant_fee"]) == ("thanks", Decimal("1.50"))
    assert (normal["procedure_code"], normal["procedure_description"], normal["procedure_status"]) == (
        "D2391",
        "Resin one surface",
        2,
    )
    assert normal["procedure_date"] == pd.Timestamp(dt.date(2025, 5, 1))
    assert normal["procedure_fee"] == Decimal("200.00")
    assert (normal["total_splits"], normal["unique_procedures"], normal["unique_providers"]) == (5, 1, 2)
    assert normal["total_split_amount"] == Decimal("300.00")
    assert normal["split_sum_matches_payment"] and not normal["is_high_split_payment"]
    assert normal["_created_at"] == pd.Timestamp(MAY2)
    assert normal["_updated_at"] == pd.Timestamp(2025, 5, 2, 9, 30)
    assert normal["_created_by"] == 9
    assert normal["as_of_date"] == pd.Timestamp(AS_OF)

    discount = built.row(paysplit_id=1002)
    assert (discount["adjustment_id"], discount["adjustment_type_id"]) == (20, 400)
    assert (discount["adjustment_type_name"], discount["adjustment_category"]) == ("Senior Discount", "senior_discount")
    assert discount["adjustment_amount"] == Decimal("-20.00")
    assert built.row(paysplit_id=1003)["adjustment_category"] == "fee_charge"

    prepay = built.row(paysplit_id=1004)
    assert pd.isna(prepay["provider_id"]) and pd.isna(prepay["clinic_id"]) and pd.isna(prepay["_created_by"])
    assert (prepay["unearned_type"], prepay["unearned_type_name"]) == (200, "Prepayment")

    transfer = built.row(paysplit_id=2001)
    assert pd.isna(transfer["payment_type_id"])
    assert transfer["payment_type_description"] == "Income Transfer"
    assert transfer["total_split_amount"] == Decimal("0.00") and transfer["split_sum_matches_payment"]

    card = built.row(paysplit_id=4001)
    assert card["payment_type_description"] == "Patient Refund"
    assert (card["payment_source"], card["payment_status"], card["process_status"]) == (3, 2, 1)
    assert card["is_cc_completed"] and not card["is_recurring_cc"]
    plan = built.row(paysplit_id=5001)
    assert (plan["payplan_id"], plan["payplan_debit_type"]) == (70, 1)
    assert pd.isna(plan["payplan_charge_id"])
    assert plan["is_recurring_cc"] and plan["recurring_charge_date"] == pd.Timestamp(JUN10)
    assert pd.isna(built.row(paysplit_id=8001)["payment_date"])


def _failing(test_name: str, table: ibis.Table, **refs) -> pd.DataFrame:
    test = next(t for t in int_payment_split.__ibis_model__.tests if t.name == test_name)
    return test.failing_rows(table, refs, BuildContext(as_of=AS_OF)).to_pandas()


def test_int_payment_split_balance_test_reports_unbalanced_payments():
    money = pa.decimal128(10, 2)
    rows = ibis.memtable(
        pa.table(
            {
                "payment_id": pa.array([1, 1, 2, 3], pa.int64()),
                "payment_amount": pa.array([Decimal("300"), Decimal("300"), Decimal("80"), None], money),
                "total_split_amount": pa.array(
                    [Decimal("300"), Decimal("300"), Decimal("79.50"), Decimal("5")], pa.decimal128(18, 2)
                ),
                "split_sum_matches_payment": pa.array([True, True, False, False]),
            }
        )
    )
    failing = _failing("payment_equals_sum_of_splits", rows)
    assert failing.payment_id.tolist() == [2]
