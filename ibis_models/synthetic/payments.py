"""Patient money: adjustments, payments and paysplits, including prepayments moved to procedures by
income transfers (PayType 0), refunds of credits and the unpaid tail that makes the aging buckets."""

from __future__ import annotations

import numpy as np

from ibis_models.synthetic._columns import Rows, child_rng, money, unique_inverse
from ibis_models.synthetic.claims import Insurance
from ibis_models.synthetic.clinical import Procedures
from ibis_models.synthetic.mess import MessLog
from ibis_models.synthetic.people import People
from ibis_models.synthetic.reference import Reference
from ibis_models.synthetic.staff import Staff

__all__ = ["build_money"]

_DISCOUNTS = (
    "Professional Courtesy",
    "Senior Discount",
    "Cash Discount",
    "Family Discount",
    "Employee Discount",
    "New Patient Discount",
    "Insurance Write Off",
)


def build_money(
    seed: int, people: People, procs: Procedures, ins: Insurance, ref: Reference, staff: Staff, end: int, mess: MessLog
) -> dict[str, Rows]:
    rng = child_rng(seed, "payments")
    done = np.flatnonzero((procs.status == 2) & (procs.fee > 0))
    units = procs.rows.get("UnitQty")[done] + procs.rows.get("BaseUnits")[done]
    charge = money(procs.fee[done] * units)
    day = procs.day[done]
    pat = procs.pat[done]
    payer = people.payer[pat]
    n = done.size

    # Adjustments: about 8% of completed procedures get a discount (volumes §6); bad payers get late charges.
    disc = rng.random(n) < 0.08
    disc_amt = np.where(disc, -money(np.round(charge * rng.uniform(0.05, 0.2, n))), 0.0)
    disc_amt = np.where(disc & (disc_amt == 0), -5.0, disc_amt)
    disc_type = rng.choice(np.array([ref.defnum(1, d) for d in _DISCOUNTS]), n)
    hidden_adj = (~np.full(n, mess.clean)) & disc & (rng.random(n) < 0.03)
    disc_type = np.where(hidden_adj, ref.defnum(1, "Old Courtesy"), disc_type)
    portion = money(charge - ins.paid[done] - ins.writeoff[done] + disc_amt)
    estimate = money(charge - ins.expected[done] + disc_amt)

    # Payment behaviour is decided per visit, so one visit yields at most one payment at the desk and
    # one after insurance settles (volumes §6: 50-60% pay on the day of service).
    visit = procs.apt[done]
    n_visit = int(visit.max(initial=0)) + 1
    visit_draw = rng.random((4, n_visit))
    settled = np.zeros(n_visit, np.int64)
    np.maximum.at(settled, visit, np.maximum(ins.settled_day[done], day))
    at_visit = visit_draw[0][visit] < np.where(payer == 2, 0.25, 0.6)
    now_amt = np.where(at_visit, np.maximum(estimate, 0), 0.0)
    prepaid = at_visit & (charge >= 200) & (now_amt > 0) & (visit_draw[1][visit] < 0.6)
    remaining = money(portion - now_amt)
    delay = np.where(payer == 0, 15 + (visit_draw[2][visit] * 45).astype(int), 45 + (visit_draw[2][visit] * 115).astype(int))
    follow_day = settled[visit] + delay
    pays_later = (remaining > 0.005) & (follow_day <= end) & ~((payer == 2) & (visit_draw[3][visit] < 0.75))
    later_amt = np.where(pays_later, np.where(visit_draw[3][visit] > 0.92, money(remaining * 0.5), remaining), 0.0)
    refund = (remaining < -0.005) & (follow_day <= end) & (visit_draw[1][visit] < 0.9)
    late = (payer == 2) & ~pays_later & (remaining > 20) & (day + 60 <= end) & (rng.random(n) < 0.5)

    # Splits: (patient, procedure, day, amount, payment group, unearned type, kind)
    prepay_type = np.where(rng.random(n) < 0.35, ref.defnum(29, "Treat Plan Prepayment"), ref.defnum(29, "Prepayment"))
    pre_day = np.maximum(day - rng.integers(3, 30, n), people.start[pat])
    i_vis, i_later = np.flatnonzero(at_visit & ~prepaid), np.flatnonzero(pays_later)
    i_ref, i_pre = np.flatnonzero(refund), np.flatnonzero(prepaid)
    s_i = np.concatenate([i_vis, i_later, i_ref, i_pre, i_pre, i_pre])
    s_day = np.concatenate([day[i_vis], follow_day[i_later], follow_day[i_ref], pre_day[i_pre], day[i_pre], day[i_pre]])
    s_amt = np.concatenate(
        [now_amt[i_vis], later_amt[i_later], remaining[i_ref], now_amt[i_pre], -now_amt[i_pre], now_amt[i_pre]]
    )
    s_proc = np.concatenate(
        [
            done[i_vis],
            done[i_later],
            done[i_ref],
            np.zeros(i_pre.size, np.int64) - 1,
            np.zeros(i_pre.size, np.int64) - 1,
            done[i_pre],
        ]
    )
    s_unearned = np.concatenate(
        [
            np.zeros(i_vis.size + i_later.size + i_ref.size, np.int64),
            prepay_type[i_pre],
            prepay_type[i_pre],
            np.zeros(i_pre.size, np.int64),
        ]
    )
    # kind: 0 ordinary, 1 refund, 2 prepayment, 3 income transfer
    s_kind = np.concatenate(
        [np.zeros(i_vis.size + i_later.size, int), np.ones(i_ref.size, int), np.full(i_pre.size, 2), np.full(2 * i_pre.size, 3)]
    )
    keep = np.abs(s_amt) >= 0.01
    s_i, s_day, s_amt, s_proc, s_unearned, s_kind = (a[keep] for a in (s_i, s_day, s_amt, s_proc, s_unearned, s_kind))
    s_pat = pat[s_i]
    s_fam = people.guarantor[s_pat]
    pay_key = (s_fam * 1_000_003 + (s_day - s_day.min())) * 4 + s_kind
    keys, s_pay = unique_inverse(pay_key)
    n_pay = keys.size
    p_kind = keys % 4
    p_day = np.zeros(n_pay, np.int64)
    p_day[s_pay] = s_day
    p_fam = np.zeros(n_pay, np.int64)
    p_fam[s_pay] = s_fam
    amount = money(np.bincount(s_pay, weights=s_amt, minlength=n_pay))
    amount = np.where(p_kind == 3, 0.0, amount)
    types = np.array([ref.defnum(10, t) for t in ("Credit Card", "Check", "Cash", "Care Credit", "Online Payment")])
    pay_type = rng.choice(types, n_pay, p=[0.62, 0.15, 0.08, 0.05, 0.10])
    pay_type = np.where(p_kind == 1, ref.defnum(10, "Refund"), np.where(p_kind == 3, 0, pay_type))
    hidden_pay = np.zeros(n_pay, bool) if mess.clean else (p_kind == 0) & (rng.random(n_pay) < 0.01)
    pay_type = np.where(hidden_pay, ref.defnum(10, "Old Visa"), pay_type)
    mess.add(
        "hidden_definition_refs",
        int(hidden_pay.sum()),
        "payment",
        "PayType",
        description="payments whose PayType is a hidden (retired) payment type",
    )
    mess.add(
        "hidden_definition_refs_adjustment",
        int(hidden_adj.sum()),
        "adjustment",
        "AdjType",
        description="adjustments whose AdjType is a hidden (retired) adjustment type",
    )

    # Look-alike duplicates: a payment keyed twice (same family, day, amount) with its splits.
    dup = np.zeros(n_pay, bool) if mess.clean else (p_kind == 0) & (rng.random(n_pay) < 0.004)
    mess.add(
        "duplicate_payments",
        int(dup.sum()),
        "payment",
        "PayAmt",
        description="look-alike duplicate payments: same patient, date and amount entered twice",
    )
    dup_pay = np.flatnonzero(dup)
    dup_split = np.flatnonzero(dup[s_pay])
    remap = np.full(n_pay, -1)
    remap[dup_pay] = n_pay + np.arange(dup_pay.size)
    all_pay_src = np.concatenate([np.arange(n_pay), dup_pay])
    s_src = np.concatenate([np.arange(s_pay.size), dup_split])
    s_pay_all = np.concatenate([s_pay, remap[s_pay[dup_split]]])
    entry_day = np.minimum(p_day[all_pay_src] + (rng.random(all_pay_src.size) < 0.1), end)
    order = np.lexsort((all_pay_src, entry_day))
    new_num = np.empty(order.size, np.int64)
    new_num[order] = np.arange(1, order.size + 1)
    n_all = all_pay_src.size
    user = rng.choice(staff.front_desk, n_all)
    pay_src = all_pay_src[order]
    tables: dict[str, Rows] = {}
    tables["payment"] = Rows(
        n_all,
        {
            "PayNum": np.arange(1, n_all + 1),
            "PayType": pay_type[pay_src],
            "PayDate": p_day[pay_src],
            "PayAmt": amount[pay_src],
            "CheckNum": np.where(pay_type[pay_src] == ref.defnum(10, "Check"), rng.integers(1_000, 9_999, n_all).astype(str), ""),
            "BankBranch": "",
            "PayNote": np.where(
                p_kind[pay_src] == 3, "Income transfer", np.where(p_kind[pay_src] == 2, "Prepayment for treatment", "")
            ),
            "IsSplit": 1,
            "PatNum": p_fam[pay_src],
            "ClinicNum": 0,
            "DateEntry": entry_day[order],
            "DepositNum": 0,
            "Receipt": "",
            "IsRecurringCC": 0,
            "SecUserNumEntry": user,
            "SecDateTEdit": np.minimum(entry_day[order] * 86_400 + rng.integers(28_800, 64_800, n_all), end * 86_400 + 64_800),
            "PaymentSource": 0,
            "ProcessStatus": np.where(pay_type[pay_src] == ref.defnum(10, "Online Payment"), 1, 0),
            "RecurringChargeDate": -719_162,
            "ExternalId": "",
            "PaymentStatus": 0,
            "IsCcCompleted": 0,
            "MerchantFee": 0.0,
        },
    )
    split_pay_num = new_num[s_pay_all]
    s_ord = np.lexsort((s_src, split_pay_num))
    src = s_src[s_ord]
    n_split = src.size
    proc = s_proc[src]
    tables["paysplit"] = Rows(
        n_split,
        {
            "SplitNum": np.arange(1, n_split + 1),
            "SplitAmt": money(s_amt[src]),
            "PatNum": s_pat[src] + 1,
            "ProcDate": np.where(proc >= 0, procs.day[np.maximum(proc, 0)], s_day[src]),
            "PayNum": split_pay_num[s_ord],
            "ProvNum": np.where(proc >= 0, procs.prov[np.maximum(proc, 0)], people.dentist[s_pat[src]]),
            "DatePay": s_day[src],
            "ProcNum": proc + 1,
            "DateEntry": s_day[src],
            "UnearnedType": s_unearned[src],
            "ClinicNum": 0,
            "SecUserNumEntry": tables["payment"].get("SecUserNumEntry")[split_pay_num[s_ord] - 1],
            "SecDateTEdit": tables["payment"].get("SecDateTEdit")[split_pay_num[s_ord] - 1],
            "SecurityHash": "",
        },
    )

    a_i = np.concatenate([np.flatnonzero(disc), np.flatnonzero(late)])
    a_amt = np.concatenate([disc_amt[disc], np.full(late.sum(), 15.0)])
    a_day = np.concatenate([day[disc], day[late] + 60])
    a_type = np.concatenate([disc_type[disc], np.full(late.sum(), ref.defnum(1, "Late Charge"))])
    a_proc = np.concatenate([np.where(rng.random(disc.sum()) < 0.4, done[disc] + 1, 0), np.zeros(late.sum(), np.int64)])
    order = np.lexsort((a_i, a_day))
    a_i, a_amt, a_day, a_type, a_proc = (a[order] for a in (a_i, a_amt, a_day, a_type, a_proc))
    n_adj = a_i.size
    tables["adjustment"] = Rows(
        n_adj,
        {
            "AdjNum": np.arange(1, n_adj + 1),
            "AdjDate": a_day,
            "AdjAmt": money(a_amt),
            "PatNum": pat[a_i] + 1,
            "AdjType": a_type,
            "ProvNum": procs.prov[done[a_i]],
            "AdjNote": np.where(a_amt > 0, "Late charge on past-due balance", ""),
            "ProcDate": np.where(a_proc > 0, day[a_i], a_day),
            "ProcNum": a_proc,
            "DateEntry": a_day,
            "ClinicNum": 0,
            "StatementNum": 0,
            "SecUserNumEntry": rng.choice(staff.front_desk, n_adj),
            "SecDateTEdit": np.minimum(a_day * 86_400 + rng.integers(28_800, 64_800, n_adj), end * 86_400 + 64_800),
            "TaxTransID": 0,
        },
    )
    return tables
