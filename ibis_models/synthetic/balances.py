"""Account balances computed from the transactions with OpenDental's aging rules, written into the
patient cache columns (BalTotal and the aging buckets on the guarantor, EstBalance per patient).

Rules: conventions §12 and the authoritative ledger of DE §2 (first-in-first-out credit application).
"""

from __future__ import annotations

import numpy as np

from ibis_models.synthetic._columns import Rows, money
from ibis_models.synthetic.reference import Reference

__all__ = ["ledger", "apply_balances"]


def ledger(rows: dict[str, Rows], ref: Reference) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(PatNum, day, signed amount) of every ledger row: charges positive, credits negative."""
    p = rows["procedurelog"]
    done = p.get("ProcStatus") == 2
    charge = money(p.get("ProcFee") * (p.get("UnitQty") + p.get("BaseUnits")))
    status_of = np.zeros(int(p.get("ProcNum").max(initial=0)) + 2, np.int64)
    status_of[p.get("ProcNum")] = p.get("ProcStatus")
    c = rows["claimproc"]
    cproc = np.minimum(c.get("ProcNum"), status_of.size - 1)
    ins = np.isin(c.get("Status"), [1, 4, 5, 7]) & ((c.get("ProcNum") == 0) | (status_of[cproc] == 2))
    a = rows["adjustment"]
    s = rows["paysplit"]
    hidden = np.array(
        [num for (cat, _), num in ref.def_num.items() if cat == 29 and ref.tables["definition"].get("ItemValue")[num - 1] != ""]
    )
    counted = ~np.isin(s.get("UnearnedType"), hidden)
    pat = np.concatenate([p.get("PatNum")[done], c.get("PatNum")[ins], a.get("PatNum"), s.get("PatNum")[counted]])
    day = np.concatenate([p.get("ProcDate")[done], c.get("DateCP")[ins], a.get("AdjDate"), s.get("DatePay")[counted]])
    amount = np.concatenate(
        [charge[done], -(c.get("InsPayAmt")[ins] + c.get("WriteOff")[ins]), a.get("AdjAmt"), -s.get("SplitAmt")[counted]]
    )
    return pat, day, amount


def apply_balances(rows: dict[str, Rows], ref: Reference, end: int) -> None:
    """Fill EstBalance, BalTotal, Bal_0_30, Bal_31_60, Bal_61_90, BalOver90 and InsEst on ``patient``."""
    patient = rows["patient"]
    n = patient.n
    pat, day, amount = ledger(rows, ref)
    known = (pat >= 1) & (pat <= n)
    pat, day, amount = pat[known] - 1, day[known], amount[known]
    guarantor = patient.get("Guarantor") - 1
    fam = guarantor[pat]
    age = end - day
    charge = np.where(amount > 0, amount, 0.0)
    buckets = [
        np.bincount(fam, weights=charge * m, minlength=n)
        for m in (age > 90, (age >= 61) & (age <= 90), (age >= 31) & (age <= 60), age <= 30)
    ]
    credits = -np.bincount(fam, weights=np.where(amount < 0, amount, 0.0), minlength=n)
    cumulative = np.cumsum(np.vstack(buckets), axis=0)
    aged = [np.clip(cumulative[i] - credits, 0, buckets[i]) for i in range(4)]
    total = np.bincount(fam, weights=amount, minlength=n)
    per_patient = np.bincount(pat, weights=amount, minlength=n)
    c = rows["claimproc"]
    pending = c.get("Status") == 0
    est_pat = c.get("PatNum")[pending] - 1
    ins_pat = np.bincount(est_pat, weights=c.get("InsPayEst")[pending] + c.get("WriteOff")[pending], minlength=n)
    ins_fam = np.bincount(guarantor, weights=ins_pat, minlength=n)
    is_head = guarantor == np.arange(n)
    on_head = lambda values: np.where(is_head, money(values), 0.0)  # noqa: E731 - family money lives on the guarantor
    patient.cols.update(
        {
            "EstBalance": money(per_patient - ins_pat),
            "BalOver90": on_head(aged[0]),
            "Bal_61_90": on_head(aged[1]),
            "Bal_31_60": on_head(aged[2]),
            "Bal_0_30": on_head(aged[3]),
            "BalTotal": on_head(total),
            "InsEst": on_head(ins_fam),
            "PayPlanDue": 0.0,
        }
    )
