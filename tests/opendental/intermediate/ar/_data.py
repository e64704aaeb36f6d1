"""Hand-made OpenDental rows shared by the System D tests: the DE §6 worked example plus messy cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

AS_OF = dt.date(2025, 3, 31)
D = dt.date
ZERO_DATE = dt.date(1, 1, 1)


def worked_example() -> dict[str, list[dict[str, Any]]]:
    """Patient 1 of DE §6 (total 580.00) and a family member, an orphan and rows every rule excludes.

    Patient 1 (family head): procedures A 500 (2024-11-15), B 300 (2025-01-20), C 200 (2025-03-20);
    insurance on A 250 + write-off 50 (2025-02-10); discount -20 (2025-03-01); estimate on C 120 +
    30 (unreceived); payment 100 (2025-03-25). Patient 2 (child of 1): a procedure, a refund with a zero date,
    an income transfer and a post-dated charge. Patient 99 has no patient row.
    """
    return {
        "patient": [
            {"PatNum": 1, "Guarantor": 1, "PatStatus": 0, "LName": "Head"},
            {"PatNum": 2, "Guarantor": 1, "PatStatus": 4, "LName": "Child"},
            {"PatNum": 3, "Guarantor": 3, "PatStatus": 0, "LName": "NoActivity"},
        ],
        "procedurecode": [{"CodeNum": 1, "ProcCode": "D2391", "Descript": "Resin"}],
        "procedurelog": [
            {
                "ProcNum": 10,
                "PatNum": 1,
                "CodeNum": 1,
                "ProcStatus": 2,
                "ProcFee": 500.0,
                "UnitQty": 1,
                "ProcDate": D(2024, 11, 15),
                "ProvNum": 7,
            },
            {
                "ProcNum": 11,
                "PatNum": 1,
                "CodeNum": 1,
                "ProcStatus": 2,
                "ProcFee": 300.0,
                "UnitQty": 1,
                "ProcDate": D(2025, 1, 20),
            },
            {
                "ProcNum": 12,
                "PatNum": 1,
                "CodeNum": 1,
                "ProcStatus": 2,
                "ProcFee": 200.0,
                "UnitQty": 1,
                "ProcDate": D(2025, 3, 20),
            },
            # treatment-planned: not a charge, and its claimproc is not a ledger row
            {
                "ProcNum": 13,
                "PatNum": 1,
                "CodeNum": 1,
                "ProcStatus": 1,
                "ProcFee": 900.0,
                "UnitQty": 1,
                "ProcDate": D(2025, 3, 1),
            },
            # zero fee: no ledger row
            {"ProcNum": 14, "PatNum": 1, "CodeNum": 1, "ProcStatus": 2, "ProcFee": 0.0, "UnitQty": 1, "ProcDate": D(2025, 2, 1)},
            # patient 2: 2 units + 1 base unit of 33.34 -> 100.02
            {
                "ProcNum": 20,
                "PatNum": 2,
                "CodeNum": 1,
                "ProcStatus": 2,
                "ProcFee": 33.34,
                "UnitQty": 2,
                "BaseUnits": 1,
                "ProcDate": D(2024, 12, 1),
            },
            # patient 2: after as_of
            {
                "ProcNum": 21,
                "PatNum": 2,
                "CodeNum": 1,
                "ProcStatus": 2,
                "ProcFee": 75.0,
                "UnitQty": 1,
                "ProcDate": D(2025, 4, 10),
            },
        ],
        "adjustment": [
            {"AdjNum": 30, "PatNum": 1, "AdjType": 301, "AdjAmt": -20.0, "AdjDate": D(2025, 3, 1)},
            # attached to procedure 20, dated after its own ProcDate: retroactive
            {
                "AdjNum": 31,
                "PatNum": 2,
                "AdjType": 302,
                "AdjAmt": 5.0,
                "AdjDate": D(2025, 1, 1),
                "ProcNum": 20,
                "ProcDate": D(2024, 12, 1),
            },
            # zero amount: dropped
            {"AdjNum": 32, "PatNum": 2, "AdjType": 302, "AdjAmt": 0.0, "AdjDate": D(2025, 1, 1)},
        ],
        "definition": [
            {"DefNum": 301, "Category": 1, "ItemName": "Senior Discount"},
            {"DefNum": 302, "Category": 1, "ItemName": "Correction"},
            {"DefNum": 401, "Category": 10, "ItemName": "Visa/MC"},
            {"DefNum": 402, "Category": 10, "ItemName": "Patient Refund Check"},
            {"DefNum": 403, "Category": 10, "ItemName": "ACH transfer"},
            {"DefNum": 501, "Category": 32, "ItemName": "Insurance Check"},
            {"DefNum": 601, "Category": 29, "ItemName": "Prepayment"},
            {"DefNum": 602, "Category": 29, "ItemName": "TP Prepayment", "ItemValue": "X"},
        ],
        "payment": [
            {"PayNum": 40, "PatNum": 1, "PayType": 401, "PayDate": D(2025, 3, 25), "PayAmt": 100.0},
            {"PayNum": 41, "PatNum": 1, "PayType": 402, "PayDate": D(2025, 2, 15), "PayAmt": -15.0},
            {"PayNum": 42, "PatNum": 2, "PayType": 0, "PayDate": D(2025, 3, 5), "PayAmt": 0.0},
            {"PayNum": 43, "PatNum": 99, "PayType": 403, "PayDate": D(2025, 3, 30), "PayAmt": 10.0},
        ],
        "paysplit": [
            {"SplitNum": 50, "PayNum": 40, "PatNum": 1, "SplitAmt": 100.0, "DatePay": D(2025, 3, 25)},
            # refund booked on patient 2 (negative split raises the balance), zero date: aged as oldest
            {"SplitNum": 51, "PayNum": 41, "PatNum": 2, "SplitAmt": -15.0, "DatePay": ZERO_DATE},
            # income transfer: +40 / -40 on patient 2, nets to zero
            {"SplitNum": 52, "PayNum": 42, "PatNum": 2, "SplitAmt": 40.0, "DatePay": D(2025, 3, 5)},
            {"SplitNum": 53, "PayNum": 42, "PatNum": 2, "SplitAmt": -40.0, "DatePay": D(2025, 3, 5), "UnearnedType": 601},
            # hidden unearned type: not on the account
            {"SplitNum": 54, "PayNum": 40, "PatNum": 1, "SplitAmt": 60.0, "DatePay": D(2025, 3, 25), "UnearnedType": 602},
            # zero split: dropped
            {"SplitNum": 55, "PayNum": 40, "PatNum": 1, "SplitAmt": 0.0, "DatePay": D(2025, 3, 25)},
            # orphan patient 99
            {"SplitNum": 56, "PayNum": 43, "PatNum": 99, "SplitAmt": 10.0, "DatePay": D(2025, 3, 30)},
        ],
        "insplan": [{"PlanNum": 90, "CarrierNum": 5}],
        "carrier": [{"CarrierNum": 5, "CarrierName": "Delta Dental"}],
        "claimpayment": [{"ClaimPaymentNum": 70, "CheckDate": D(2025, 2, 10), "CheckAmt": 250.0, "PayType": 501}],
        "claim": [
            {
                "ClaimNum": 80,
                "PatNum": 1,
                "PlanNum": 90,
                "ClaimStatus": "R",
                "ClaimType": "P",
                "DateSent": D(2024, 11, 20),
                "DateReceived": D(2025, 2, 10),
            },
            {"ClaimNum": 81, "PatNum": 1, "PlanNum": 90, "ClaimStatus": "S", "ClaimType": "P", "DateSent": D(2025, 3, 21)},
        ],
        "claimproc": [
            {
                "ClaimProcNum": 60,
                "ProcNum": 10,
                "ClaimNum": 80,
                "PatNum": 1,
                "Status": 1,
                "InsPayAmt": 250.0,
                "WriteOff": 50.0,
                "InsPayEst": 260.0,
                "DateCP": D(2025, 2, 10),
                "ProcDate": D(2024, 11, 15),
                "ClaimPaymentNum": 70,
                "PlanNum": 90,
            },
            {
                "ClaimProcNum": 61,
                "ProcNum": 12,
                "ClaimNum": 81,
                "PatNum": 1,
                "Status": 0,
                "InsPayEst": 120.0,
                "WriteOff": 30.0,
                "DateCP": D(2025, 3, 20),
                "ProcDate": D(2025, 3, 20),
                "PlanNum": 90,
            },
            # on the treatment-planned procedure: excluded
            {
                "ClaimProcNum": 62,
                "ProcNum": 13,
                "ClaimNum": 81,
                "PatNum": 1,
                "Status": 1,
                "InsPayAmt": 500.0,
                "DateCP": D(2025, 3, 2),
                "ProcDate": D(2025, 3, 1),
            },
            # status 6 (estimate): excluded
            {"ClaimProcNum": 63, "ProcNum": 11, "PatNum": 1, "Status": 6, "InsPayEst": 90.0, "ProcDate": D(2025, 1, 20)},
            # all-zero received row: dropped
            {
                "ClaimProcNum": 64,
                "ProcNum": 11,
                "ClaimNum": 80,
                "PatNum": 1,
                "Status": 1,
                "DateCP": D(2025, 2, 10),
                "ProcDate": D(2025, 1, 20),
            },
        ],
    }
