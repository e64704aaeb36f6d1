"""Claims and claimprocs (estimates, lines, supplementals, preauths), insurance checks and what hangs off
them: EOB attachments, snapshots, tracking and blue-book history (conventions §10)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ibis_models.synthetic._columns import SENTINEL_DAY, Rows, child_rng, group_index, money, take, unique_inverse
from ibis_models.synthetic.catalog import Catalog
from ibis_models.synthetic.clinical import Procedures
from ibis_models.synthetic.coverage import Coverage
from ibis_models.synthetic.mess import MessLog
from ibis_models.synthetic.reference import Reference
from ibis_models.synthetic.staff import Staff

__all__ = ["Insurance", "build_claims"]


@dataclass(frozen=True, slots=True)
class Insurance:
    """Per procedure totals that patient payments react to."""

    paid: np.ndarray  # InsPayAmt of status 1/4 rows
    writeoff: np.ndarray  # WriteOff of status 1/4 rows
    expected: np.ndarray  # InsPayEst + write-off estimate of every claim line (what the front desk expected)
    settled_day: np.ndarray  # last DateCP (or procedure day when no claim)
    tables: dict[str, Rows]


def build_claims(
    seed: int, procs: Procedures, cov: Coverage, ref: Reference, cat: Catalog, staff: Staff, start: int, end: int, mess: MessLog
) -> Insurance:
    rng = child_rng(seed, "claims")
    n_proc = procs.pat.size
    cidx = procs.code - 1
    no_bill = np.asarray(ref.tables["procedurecode"].cols["NoBillIns"])[cidx] == 1
    pat = procs.pat
    covered = (cov.pri_sub[pat] > 0) & (procs.day <= cov.term[pat])
    billable = (procs.status == 2) & (procs.fee > 0) & ~no_bill & covered & (procs.apt > 0)
    p1 = np.flatnonzero(billable)
    p2 = p1[cov.sec_sub[pat[p1]] > 0]
    l_proc = np.concatenate([p1, p2])
    l_ord = np.concatenate([np.ones(p1.size, int), np.full(p2.size, 2)])
    l_sub = np.where(l_ord == 1, cov.pri_sub[pat[l_proc]], cov.sec_sub[pat[l_proc]])
    l_plan = np.where(l_ord == 1, cov.pri_plan[pat[l_proc]], cov.sec_plan[pat[l_proc]])
    fee = procs.fee[l_proc]
    code = cidx[l_proc]
    covcat = cat.covcat_of_code[code]
    pct = np.where(covcat > 0, cov.plan_percent[l_plan - 1, np.maximum(covcat, 1) - 1], 0.0)
    ppo = cov.plan_is_ppo[l_plan - 1]
    sched_fee = cat.fees[np.maximum(cov.plan_fee_sched[l_plan - 1], 1) - 1, code]
    allowed = np.where(ppo & ~np.isnan(sched_fee), np.minimum(np.nan_to_num(sched_fee, nan=0.0), fee), fee)
    wo_est = money(np.where(ppo & (l_ord == 1), fee - allowed, 0.0))
    year = (procs.day[l_proc] + 0) // 365
    key = np.lexsort((procs.day[l_proc], year, l_plan, pat[l_proc]))
    first = np.ones(key.size, bool)
    same = (
        (pat[l_proc][key][1:] == pat[l_proc][key][:-1])
        & (l_plan[key][1:] == l_plan[key][:-1])
        & (year[key][1:] == year[key][:-1])
    )
    first[1:] = ~same
    deductible = np.zeros(key.size)
    deductible[key] = np.where(first & (pct[key] < 100), np.minimum(50.0, allowed[key]), 0.0)
    ins_est = money(np.maximum(allowed - deductible, 0) * pct / 100)
    sec = l_ord == 2
    ins_est[sec] = money(np.minimum(ins_est[sec], np.maximum(fee[sec] - allowed[sec] * 0.6, 0) * 0.5))

    # One claim per visit and ordinal.
    claim_key = procs.apt[l_proc] * 2 + (l_ord - 1)
    keys, l_claim = unique_inverse(claim_key)
    n_claim = keys.size
    c_line = np.zeros(n_claim, np.int64)
    c_line[l_claim] = np.arange(l_claim.size)
    c_proc = l_proc[c_line]
    c_ord = l_ord[c_line]
    c_day = procs.day[c_proc]
    c_sent = c_day + rng.integers(0, 4, n_claim)
    c_recv = c_sent + np.clip(rng.gamma(3.0, 6.5, n_claim).astype(int), 6, 90)
    primary_recv = np.zeros(keys.max() // 2 + 2, np.int64)
    pri = c_ord == 1
    primary_recv[keys[pri] // 2] = c_recv[pri]
    c_sent = np.where(c_ord == 2, primary_recv[keys // 2] + rng.integers(1, 10, n_claim), c_sent)
    c_recv = np.where(c_ord == 2, c_sent + np.clip(rng.gamma(3.0, 6.0, n_claim).astype(int), 5, 80), c_recv)
    status = np.where(c_recv <= end, "R", np.where(c_sent <= end, "S", "U"))
    status = np.where((c_ord == 2) & (primary_recv[keys // 2] > end), "H", status)
    status = np.where((status == "U") & (rng.random(n_claim) < 0.2), "W", status)
    never = np.zeros(n_claim, bool) if mess.clean else (status == "R") & (c_day < end - 120) & (rng.random(n_claim) < 0.012)
    status = np.where(never, "S", status)
    mess.add(
        "claims_never_paid",
        int(never.sum()),
        "claim",
        "ClaimStatus",
        description="claims sent long ago and never received (status S, lines NotReceived)",
    )
    received = status == "R"
    c_sent = np.where(np.isin(status, ["U", "W", "H"]), SENTINEL_DAY, c_sent)
    l_recv = received[l_claim]
    outcome = rng.choice(4, l_proc.size, p=[0.86, 0.08, 0.04, 0.02])
    paid = np.select(
        [outcome == 1, outcome == 2, outcome == 3],
        [
            money(ins_est * rng.uniform(0.5, 0.95, l_proc.size)),
            np.zeros(l_proc.size),
            money(np.minimum(ins_est * rng.uniform(1.02, 1.15, l_proc.size), allowed)),
        ],
        ins_est,
    )
    paid = np.where(l_recv, paid, 0.0)
    l_status = np.where(l_recv, 1, 0)
    carrier = cov.plan_carrier[l_plan - 1]
    c_carrier = carrier[c_line]
    check_day = np.maximum(c_recv - (c_recv + c_carrier) % 3, c_sent + 1)
    l_cp_day = np.where(l_recv, check_day[l_claim], SENTINEL_DAY)

    # Supplemental payments: a later extra amount on 1.5% of received primary lines.
    sup = np.flatnonzero(l_recv & (l_ord == 1) & (rng.random(l_proc.size) < 0.015))
    sup_day = l_cp_day[sup] + rng.integers(20, 70, sup.size)
    sup = sup[sup_day <= end]
    sup_day = sup_day[sup_day <= end]
    sup_amt = money(rng.uniform(8, 90, sup.size))

    # Checks: received lines of one carrier in the same few days share a claimpayment.
    pay_carrier = np.concatenate([carrier[l_recv], carrier[sup]])
    pay_day = np.concatenate([l_cp_day[l_recv], sup_day])
    pay_key = pay_carrier * 1_000_000 + (pay_day - SENTINEL_DAY)
    check_keys, check_of = unique_inverse(pay_key)
    n_check = check_keys.size
    check_amt = money(np.bincount(check_of, weights=np.concatenate([paid[l_recv], sup_amt]), minlength=n_check))
    check_carrier = check_keys // 1_000_000
    check_date = check_keys % 1_000_000 + SENTINEL_DAY
    l_cpn = np.zeros(l_proc.size, np.int64)
    l_cpn[l_recv] = check_of[: l_recv.sum()] + 1
    sup_cpn = check_of[l_recv.sum() :] + 1

    n_s = sup.size
    # Pre-authorizations for planned major work and estimates for every planned procedure of the insured.
    tp = np.flatnonzero((procs.status == 1) & (cov.pri_sub[pat] > 0) & (procs.fee > 0) & ~no_bill)
    tp_pct = np.where(
        cat.covcat_of_code[cidx[tp]] > 0,
        cov.plan_percent[cov.pri_plan[pat[tp]] - 1, np.maximum(cat.covcat_of_code[cidx[tp]], 1) - 1],
        0,
    )
    tp_est = money(procs.fee[tp] * tp_pct / 100)
    pre = tp[(procs.fee[tp] >= 800) & (rng.random(tp.size) < 0.5)]
    pre_claim = n_claim + np.arange(pre.size)

    tables: dict[str, Rows] = {}
    line_cols = _line_rows(
        rng,
        procs,
        staff,
        end,
        proc=np.concatenate([l_proc, l_proc[sup], pre, tp]),
        claim=np.concatenate([l_claim + 1, l_claim[sup] + 1, pre_claim + 1, np.zeros(tp.size, np.int64)]),
        status=np.concatenate([l_status, np.full(n_s, 4), np.full(pre.size, 2), np.full(tp.size, 6)]),
        fee_billed=np.concatenate([fee, np.zeros(n_s), procs.fee[pre], np.zeros(tp.size)]),
        ins_est=np.concatenate([ins_est, np.zeros(n_s), money(procs.fee[pre] * 0.5), tp_est]),
        ded=np.concatenate([deductible, np.zeros(n_s), np.zeros(pre.size), np.zeros(tp.size)]),
        paid=np.concatenate([paid, sup_amt, np.zeros(pre.size), np.zeros(tp.size)]),
        writeoff=np.concatenate([wo_est, np.zeros(n_s), np.zeros(pre.size), np.zeros(tp.size)]),
        wo_est=np.concatenate([np.where(ppo, wo_est, -1.0), np.full(n_s, -1.0), np.full(pre.size, -1.0), np.full(tp.size, -1.0)]),
        pct=np.concatenate([pct, np.full(n_s, -1), np.full(pre.size, -1), tp_pct]),
        plan=np.concatenate([l_plan, l_plan[sup], cov.pri_plan[pat[pre]], cov.pri_plan[pat[tp]]]),
        sub=np.concatenate([l_sub, l_sub[sup], cov.pri_sub[pat[pre]], cov.pri_sub[pat[tp]]]),
        cp_day=np.concatenate([l_cp_day, sup_day, np.full(pre.size, SENTINEL_DAY), np.full(tp.size, SENTINEL_DAY)]),
        cpn=np.concatenate([l_cpn, sup_cpn, np.zeros(pre.size + tp.size, np.int64)]),
        denied=np.concatenate([(outcome == 2) & l_recv, np.zeros(n_s + pre.size + tp.size, bool)]),
        ref=ref,
    )
    tables["claimproc"] = line_cols
    cp = line_cols
    cp_status = cp.get("Status")
    cp_claim = cp.get("ClaimNum")
    n_all = n_claim + pre.size
    sums = {}
    for column in ("FeeBilled", "InsPayEst", "InsPayAmt", "WriteOff", "DedApplied"):
        rows = np.isin(cp_status, [0, 1, 4] if column == "InsPayAmt" else [0, 1])  # claim totals, conventions §10
        sums[column] = money(np.bincount(cp_claim[rows], weights=cp.get(column)[rows], minlength=n_all + 1)[1:])
    pre_fee = money(np.bincount(pre_claim, weights=procs.fee[pre], minlength=n_all))
    c_all_proc = np.concatenate([c_proc, pre])
    c_all_day = np.concatenate([c_day, procs.day[pre]])
    c_all_status = np.concatenate([status, np.where(rng.random(pre.size) < 0.8, "R", "S")])
    c_type = np.concatenate([np.where(c_ord == 1, "P", "S"), np.full(pre.size, "PreAuth")])
    c_plan = np.concatenate([l_plan[c_line], cov.pri_plan[pat[pre]]])
    c_sub = np.concatenate([l_sub[c_line], cov.pri_sub[pat[pre]]])
    c_sent_all = np.concatenate([c_sent, procs.day[pre] + 2])
    c_recv_all = np.concatenate(
        [np.where(received, c_recv, SENTINEL_DAY), np.where(c_all_status[n_claim:] == "R", procs.day[pre] + 20, SENTINEL_DAY)]
    )
    c_recv_all = np.where(c_recv_all > end, SENTINEL_DAY, c_recv_all)
    entry = np.minimum(c_all_day + rng.integers(0, 2, n_all), end)
    tables["claim"] = Rows(
        n_all,
        {
            "ClaimNum": np.arange(1, n_all + 1),
            "PatNum": pat[c_all_proc] + 1,
            "DateService": c_all_day,
            "DateSent": c_sent_all,
            "ClaimStatus": c_all_status,
            "DateReceived": c_recv_all,
            "PlanNum": c_plan,
            "ProvTreat": procs.prov[c_all_proc],
            "ClaimFee": np.where(c_type == "PreAuth", pre_fee, sums["FeeBilled"]),
            "InsPayEst": sums["InsPayEst"],
            "InsPayAmt": sums["InsPayAmt"],
            "DedApplied": sums["DedApplied"],
            "IsProsthesis": "N",
            "ClaimType": c_type,
            "ProvBill": procs.prov[c_all_proc],
            "PlaceService": 0,
            "AccidentRelated": "",
            "AccidentDate": SENTINEL_DAY,
            "PatRelat": cov.relat[pat[c_all_proc]],
            "PlanNum2": np.where(c_type == "P", cov.sec_plan[pat[c_all_proc]], 0),
            "InsSubNum2": np.where(c_type == "P", cov.sec_sub[pat[c_all_proc]], 0),
            "WriteOff": sums["WriteOff"],
            "Radiographs": 0,
            "ClinicNum": 0,
            "ClaimForm": 1,
            "InsSubNum": c_sub,
            "CustomTracking": np.where(rng.random(n_all) < 0.1, rng.choice(ref.defnums(31), n_all), 0),
            "MedType": 0,
            "CorrectionType": 0,
            "SecUserNumEntry": rng.choice(staff.front_desk, n_all),
            "SecDateEntry": entry,
            "SecDateTEdit": np.minimum(
                np.maximum(c_recv_all, entry) * 86_400 + rng.integers(28_800, 64_800, n_all), end * 86_400 + 64_800
            ),
            "DateSentOrig": np.where(c_sent_all > 0, c_sent_all, SENTINEL_DAY),
            "SecurityHash": "",
            "Narrative": "",
        },
    )
    _claim_extras(
        tables,
        rng,
        ref,
        staff,
        cov,
        end,
        check_amt=check_amt,
        check_carrier=check_carrier,
        check_date=check_date,
        claim_entry=entry,
        claim_status=c_all_status,
        code_of_proc=procs.code,
    )

    l_paid = np.bincount(
        cp.get("ProcNum"), weights=np.where(np.isin(cp_status, [1, 4]), cp.get("InsPayAmt"), 0), minlength=n_proc + 1
    )[1:]
    l_wo = np.bincount(
        cp.get("ProcNum"), weights=np.where(np.isin(cp_status, [1, 4]), cp.get("WriteOff"), 0), minlength=n_proc + 1
    )[1:]
    expect = np.bincount(l_proc, weights=ins_est + wo_est, minlength=n_proc)
    settled = procs.day.copy()
    np.maximum.at(settled, cp.get("ProcNum")[cp_status == 1] - 1, cp.get("DateCP")[cp_status == 1])
    pending = np.zeros(n_proc, bool)
    pending[cp.get("ProcNum")[cp_status == 0] - 1] = True
    settled = np.where(pending, end + 30, settled)
    return Insurance(paid=money(l_paid), writeoff=money(l_wo), expected=money(expect), settled_day=settled, tables=tables)


def _line_rows(
    rng,
    procs: Procedures,
    staff: Staff,
    end: int,
    *,
    proc,
    claim,
    status,
    fee_billed,
    ins_est,
    ded,
    paid,
    writeoff,
    wo_est,
    pct,
    plan,
    sub,
    cp_day,
    cpn,
    denied,
    ref: Reference,
) -> Rows:
    n = proc.size
    day = procs.day[proc]
    entry = np.where(status == 6, np.minimum(day, end), np.where(cp_day > SENTINEL_DAY, cp_day, np.minimum(day + 1, end)))
    order = np.lexsort((proc, entry))
    cols = dict(
        proc=proc,
        claim=claim,
        status=status,
        fee_billed=fee_billed,
        ins_est=ins_est,
        ded=ded,
        paid=paid,
        writeoff=writeoff,
        wo_est=wo_est,
        pct=pct,
        plan=plan,
        sub=sub,
        cp_day=cp_day,
        cpn=cpn,
        denied=denied,
        entry=entry,
        day=day,
    )
    c = {k: v[order] for k, v in cols.items()}
    estimate = c["status"] == 6
    return Rows(
        n,
        {
            "ClaimProcNum": np.arange(1, n + 1),
            "ProcNum": c["proc"] + 1,
            "ClaimNum": c["claim"],
            "PatNum": procs.pat[c["proc"]] + 1,
            "ProvNum": procs.prov[c["proc"]],
            "FeeBilled": c["fee_billed"],
            "InsPayEst": np.where(estimate, 0.0, c["ins_est"]),
            "DedApplied": c["ded"],
            "Status": c["status"],
            "InsPayAmt": c["paid"],
            "Remarks": np.where(c["denied"], "Denied: frequency limitation", ""),
            "ClaimPaymentNum": c["cpn"],
            "PlanNum": c["plan"],
            "DateCP": c["cp_day"],
            "WriteOff": np.where(estimate, 0.0, c["writeoff"]),
            "CodeSent": take(list(ref.code_num), procs.code[c["proc"]] - 1),
            "AllowedOverride": -1.0,
            "Percentage": c["pct"],
            "PercentOverride": -1,
            "CopayAmt": -1.0,
            "NoBillIns": 0,
            "PaidOtherIns": -1.0,
            "BaseEst": c["ins_est"],
            "CopayOverride": -1.0,
            "ProcDate": c["day"],
            "DateEntry": c["entry"],
            "LineNumber": 0,
            "DedEst": np.where(estimate, 0.0, -1.0),
            "DedEstOverride": -1.0,
            "InsEstTotal": c["ins_est"],
            "InsEstTotalOverride": -1.0,
            "PaidOtherInsOverride": -1.0,
            "EstimateNote": "",
            "WriteOffEst": c["wo_est"],
            "WriteOffEstOverride": -1.0,
            "ClinicNum": 0,
            "InsSubNum": c["sub"],
            "PaymentRow": 0,
            "ClaimPaymentTracking": np.where(c["denied"], ref.defnum(36, "Denied - Frequency"), 0),
            "SecUserNumEntry": rng.choice(staff.front_desk, n),
            "SecDateEntry": c["entry"],
            "SecDateTEdit": np.minimum(c["entry"] * 86_400 + rng.integers(28_800, 64_800, n), end * 86_400 + 64_800),
            "DateSuppReceived": np.where(c["status"] == 4, c["cp_day"], SENTINEL_DAY),
            "DateInsFinalized": np.where(c["status"] == 1, c["cp_day"], SENTINEL_DAY),
            "IsTransfer": 0,
            "ClaimAdjReasonCodes": "",
            "IsOverpay": 0,
            "SecurityHash": "",
        },
    )


def _claim_extras(
    tables: dict[str, Rows],
    rng,
    ref: Reference,
    staff: Staff,
    cov: Coverage,
    end: int,
    *,
    check_amt,
    check_carrier,
    check_date,
    claim_entry,
    claim_status,
    code_of_proc,
) -> None:
    """claimpayment, eobattach, claimsnapshot, claimtracking, insbluebook and insbluebooklog."""
    n_check = check_amt.size
    check_num = np.arange(1, n_check + 1)
    tables["claimpayment"] = Rows(
        n_check,
        {
            "ClaimPaymentNum": check_num,
            "CheckDate": check_date,
            "CheckAmt": check_amt,
            "CheckNum": np.asarray(rng.integers(100_000, 9_999_999, n_check)).astype(str),
            "BankBranch": "",
            "Note": "",
            "ClinicNum": 0,
            "DepositNum": 0,
            "CarrierName": take(cov.carrier_names, check_carrier - 1),
            "DateIssued": check_date - rng.integers(2, 8, n_check),
            "IsPartial": 0,
            "PayType": rng.choice(ref.defnums(32), n_check, p=[0.45, 0.5, 0.05]),
            "SecUserNumEntry": rng.choice(staff.front_desk, n_check),
            "SecDateEntry": check_date,
            "SecDateTEdit": np.minimum(check_date * 86_400 + rng.integers(28_800, 64_800, n_check), end * 86_400 + 64_800),
            "PayGroup": ref.defnum(40, "Default"),
        },
    )
    has_eob = rng.random(n_check) < 0.95
    eob_check = check_num[has_eob]
    tables["eobattach"] = Rows(
        eob_check.size,
        {
            "EobAttachNum": np.arange(1, eob_check.size + 1),
            "ClaimPaymentNum": eob_check,
            "DateTCreated": np.minimum(check_date[has_eob] + 1, end) * 86_400 + 40_000,
            "FileName": np.char.add(np.char.add("EOB_", eob_check.astype(str)), ".pdf"),
            "RawBase64": "",
            "ClaimNumPreAuth": 0,
        },
    )
    cp = tables["claimproc"]
    status = cp.get("Status")
    lines = np.flatnonzero(np.isin(status, [0, 1]))
    claim = cp.get("ClaimNum")[lines]
    tables["claimsnapshot"] = Rows(
        lines.size,
        {
            "ClaimSnapshotNum": np.arange(1, lines.size + 1),
            "ProcNum": cp.get("ProcNum")[lines],
            "ClaimType": np.where(cp.get("PlanNum")[lines] == cov.pri_plan[cp.get("PatNum")[lines] - 1], "P", "S"),
            "Writeoff": cp.get("WriteOff")[lines],
            "InsPayEst": cp.get("InsPayEst")[lines],
            "Fee": cp.get("FeeBilled")[lines],
            "DateTEntry": claim_entry[claim - 1] * 86_400 + 45_000,
            "ClaimProcNum": cp.get("ClaimProcNum")[lines],
            "SnapshotTrigger": 0,
        },
    )
    n_claim = claim_entry.size
    extra = rng.random(n_claim) < 0.12
    t_claim = np.concatenate([np.arange(1, n_claim + 1), np.flatnonzero(extra) + 1])
    n_t = t_claim.size
    is_user = np.arange(n_t) >= n_claim
    tables["claimtracking"] = Rows(
        n_t,
        {
            "ClaimTrackingNum": np.arange(1, n_t + 1),
            "ClaimNum": t_claim,
            "TrackingType": np.where(
                is_user, "ClaimUser", np.where(claim_status[t_claim - 1] == "R", "ClaimProcReceived", "StatusHistory")
            ),
            "UserNum": rng.choice(staff.front_desk, n_t),
            "DateTimeEntry": np.minimum(claim_entry[t_claim - 1] + rng.integers(0, 30, n_t), end) * 86_400
            + rng.integers(28_800, 64_800, n_t),
            "Note": "",
            "TrackingDefNum": np.where(is_user, 0, rng.choice(ref.defnums(31), n_t)),
            "TrackingErrorDefNum": np.where(rng.random(n_t) < 0.03, rng.choice(ref.defnums(43), n_t), 0),
        },
    )
    plan = cp.get("PlanNum")
    blue = np.flatnonzero((status == 1) & (cp.get("ProcNum") > 0) & ~cov.plan_is_ppo[plan - 1])
    n_b = blue.size
    b_day = cp.get("DateCP")[blue]
    tables["insbluebook"] = Rows(
        n_b,
        {
            "InsBlueBookNum": np.arange(1, n_b + 1),
            "ProcCodeNum": code_of_proc[cp.get("ProcNum")[blue] - 1],
            "CarrierNum": cov.plan_carrier[plan[blue] - 1],
            "PlanNum": plan[blue],
            "GroupNum": "",
            "InsPayAmt": cp.get("InsPayAmt")[blue],
            "AllowedOverride": -1.0,
            "DateTEntry": b_day * 86_400 + 50_000,
            "ProcNum": cp.get("ProcNum")[blue],
            "ProcDate": cp.get("ProcDate")[blue],
            "ClaimType": np.where(plan[blue] == cov.pri_plan[cp.get("PatNum")[blue] - 1], "P", "S"),
            "ClaimNum": cp.get("ClaimNum")[blue],
        },
    )
    per = 1 + rng.poisson(2.7, n_b)
    parent, pos = group_index(per)
    tables["insbluebooklog"] = Rows(
        parent.size,
        {
            "InsBlueBookLogNum": np.arange(1, parent.size + 1),
            "ClaimProcNum": cp.get("ClaimProcNum")[blue][parent],
            "AllowedFee": money(cp.get("FeeBilled")[blue][parent] * rng.uniform(0.6, 1.0, parent.size)),
            "DateTEntry": np.minimum(b_day[parent] * 86_400 + 50_000 + pos * 86_400 * 30, end * 86_400 + 64_800),
            "Description": take(
                (
                    "Allowed fee calculated from blue book.",
                    "Allowed fee from manual blue book fee.",
                    "Allowed fee from out of network fee schedule.",
                ),
                rng.integers(0, 3, parent.size),
            ),
        },
    )
