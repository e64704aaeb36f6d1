"""Procedures charted at visits (complete, planned, existing, conditions, deleted), their notes and group
items, treatment plans (with saved-plan copies) and recalls."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ibis_models.synthetic._columns import SENTINEL_DAY, Rows, child_rng, group_index, money, take
from ibis_models.synthetic.catalog import Catalog
from ibis_models.synthetic.mess import MessLog
from ibis_models.synthetic.people import People
from ibis_models.synthetic.reference import Reference
from ibis_models.synthetic.scheduling import EMERGENCY, HYGIENE, NEW_PATIENT, PLANNED, RESTORATIVE, Visits
from ibis_models.synthetic.staff import Staff

__all__ = ["Procedures", "build_procedures", "build_notes"]

_RESTORATIVE = {
    "D2391": 16,
    "D2392": 16,
    "D2393": 8,
    "D2394": 2,
    "D2140": 2,
    "D2150": 3,
    "D2330": 5,
    "D2331": 4,
    "D2332": 2,
    "D2740": 9,
    "D2750": 3,
    "D2950": 6,
    "D2954": 1,
    "D2920": 1,
    "D2930": 1,
    "D2940": 1,
    "D3330": 2,
    "D3320": 1.5,
    "D3310": 1,
    "D3220": 0.5,
    "D4341": 6,
    "D4342": 3,
    "D4346": 1,
    "D4355": 0.5,
    "D4249": 0.3,
    "D7140": 4,
    "D7210": 3,
    "D7240": 1,
    "D7953": 0.5,
    "D5213": 0.5,
    "D5110": 0.5,
    "D5750": 0.3,
    "D6010": 1,
    "D6065": 0.6,
    "D6056": 0.4,
    "D6750": 0.4,
    "D6240": 0.4,
    "D9944": 1,
    "D9972": 0.5,
    "D1351": 3,
    "D9230": 1.5,
    "D2962": 0.3,
}
_NOTES = (
    "Pt tolerated procedure well. No complications.",
    "Reviewed medical history, no changes. OHI given.",
    "Anesthetic: 1 carp 2% lido 1:100k epi. Isolation with cotton rolls.",
    "Pt presented for recall visit.",
    "Discussed treatment options and fees; pt to schedule.",
    "Impression taken, shade A2. Temp cemented.",
    "Radiographs reviewed with pt.",
    "Post-op instructions given verbally and in writing.",
)
_SURF = ("O", "MO", "MOD", "MODL")
_TEETH = ("", *(str(t) for t in range(1, 33)))


@dataclass(frozen=True, slots=True)
class Procedures:
    """Per procedure (index = ProcNum - 1)."""

    pat: np.ndarray
    day: np.ndarray
    code: np.ndarray  # CodeNum
    fee: np.ndarray
    status: np.ndarray
    apt: np.ndarray  # AptNum (0 = none)
    prov: np.ndarray
    rows: Rows


def _codes(ref: Reference, names) -> np.ndarray:
    return np.array([ref.codenum(c) for c in names])


def build_procedures(
    seed: int, people: People, visits: Visits, ref: Reference, cat: Catalog, staff: Staff, start: int, end: int, mess: MessLog
) -> Procedures:
    rng = child_rng(seed, "procedures")
    done = visits.status == 2
    vi = np.flatnonzero(done | (visits.status == 1) | (visits.status == 6) | (visits.status == 3))
    kind = visits.kind[vi]
    pat = visits.pat[vi]
    age = (visits.day[vi] - people.birth[pat]) / 365.25
    child = age < 14
    perio = people.perio[pat] == 1
    seq = visits.seq[vi]
    parts_v, parts_c = [], []

    def add(mask: np.ndarray, codes: np.ndarray) -> None:
        parts_v.append(vi[mask])
        parts_c.append(codes[mask] if codes.ndim else np.full(mask.sum(), codes))

    hyg = kind == HYGIENE
    newp = kind == NEW_PATIENT
    prophy = np.where(child, ref.codenum("D1120"), np.where(perio, ref.codenum("D4910"), ref.codenum("D1110")))
    add(hyg | newp, prophy)
    add(hyg, np.where(perio & (rng.random(vi.size) < 0.3), ref.codenum("D0180"), ref.codenum("D0120")))
    add(hyg & (seq % 2 == 0), np.where(child, ref.codenum("D0272"), ref.codenum("D0274")))
    add((hyg | newp) & (child | (rng.random(vi.size) < 0.12)), np.array(ref.codenum("D1206")))
    add(hyg & (seq % 6 == 3) & ~child, np.array(ref.codenum("D0330")))
    add(hyg & (rng.random(vi.size) < 0.05), np.array(ref.codenum("D0431")))
    add(newp, np.where(child, ref.codenum("D0145"), ref.codenum("D0150")))
    add(newp, np.where(rng.random(vi.size) < 0.7, ref.codenum("D0210"), ref.codenum("D0330")))
    emer = kind == EMERGENCY
    add(emer, np.array(ref.codenum("D0140")))
    add(emer, np.array(ref.codenum("D0220")))
    add(emer, rng.choice(_codes(ref, ["D9110", "D7140", "D3330", "D2940"]), vi.size))
    work = (kind == RESTORATIVE) | (kind == PLANNED)
    names = list(_RESTORATIVE)
    weights = np.array([_RESTORATIVE[c] for c in names], dtype=float)
    n_work = np.where(work, rng.choice([1, 2, 3], vi.size, p=[0.5, 0.33, 0.17]), 0)
    w_vis, _ = group_index(n_work)
    parts_v.append(vi[w_vis])
    parts_c.append(_codes(ref, names)[rng.choice(len(names), w_vis.size, p=weights / weights.sum())])
    add(work & (rng.random(vi.size) < 0.25), np.array(ref.codenum("D0220")))
    broken = np.flatnonzero((visits.status == 5) & (rng.random(visits.status.size) < 0.1))
    parts_v.append(broken)
    parts_c.append(np.full(broken.size, ref.codenum("D9986")))

    p_vis = np.concatenate(parts_v)
    p_code = np.concatenate(parts_c)
    p_pat = visits.pat[p_vis]
    p_day = visits.day[p_vis]
    v_status = visits.status[p_vis]
    # A planned appointment's procedures stay TP; a restorative visit copied from a plan completes them.
    p_status = np.select([v_status == 2, v_status == 5], [2, 2], 1)
    p_apt = np.where(v_status == 6, 0, p_vis + 1)
    p_planned = np.where(v_status == 6, p_vis + 1, visits.planned[p_vis])
    # Visit-less charting: existing work, conditions, referrals, inactive TP at the first visit.
    has_hist = people.end >= np.maximum(people.start, start)
    extra_n = rng.poisson(np.array([1.1, 0.15, 0.9, 0.3, 0.03, 0.8])[:, None] * has_hist[None, :])
    extra_status = np.array([3, 4, 7, 5, 8, 1])
    e_pat, e_status, e_code = [], [], []
    for k, st in enumerate(extra_status):
        pp, _ = group_index(extra_n[k])
        e_pat.append(pp)
        e_status.append(np.full(pp.size, st))
        e_code.append(_codes(ref, names)[rng.choice(len(names), pp.size, p=weights / weights.sum())])
    e_pat = np.concatenate(e_pat)
    e_status = np.concatenate(e_status)
    e_day = np.minimum(np.maximum(people.start[e_pat], start) + rng.integers(0, 30, e_pat.size), end)
    e_day = np.where(e_status == 1, np.clip(people.end[e_pat], start, end) - rng.integers(0, 200, e_pat.size), e_day)
    e_day = np.maximum(e_day, np.minimum(people.start[e_pat], end))

    pat = np.concatenate([p_pat, e_pat])
    day = np.concatenate([p_day, e_day])
    code = np.concatenate([p_code, np.concatenate(e_code)])
    status = np.concatenate([p_status, e_status])
    apt = np.concatenate([p_apt, np.zeros(e_pat.size, np.int64)])
    planned = np.concatenate([p_planned, np.zeros(e_pat.size, np.int64)])
    n_del = 0 if mess.clean else int(status.size * 0.16)
    d_src = rng.integers(0, p_pat.size, n_del)  # procedures charted by mistake and deleted (ProcStatus 6)
    pat, day, apt = (
        np.concatenate([pat, p_pat[d_src]]),
        np.concatenate([day, p_day[d_src]]),
        np.concatenate([apt, np.zeros(n_del, np.int64)]),
    )
    code = np.concatenate([code, _codes(ref, names)[rng.choice(len(names), n_del, p=weights / weights.sum())]])
    status = np.concatenate([status, np.full(n_del, 6)])
    planned = np.concatenate([planned, np.zeros(n_del, np.int64)])
    mess.add(
        "deleted_procedures",
        n_del,
        "procedurelog",
        "ProcStatus",
        description="procedures set to ProcStatus 6 (deleted); never production",
    )

    entry = np.where(status == 2, day, np.minimum(day, end))
    order = np.argsort((entry * (pat.max(initial=0) + 1) + pat) * (code.max(initial=0) + 1) + code, kind="stable")
    pat, day, code, status, apt, planned = (a[order] for a in (pat, day, code, status, apt, planned))
    n = pat.size
    cidx = code - 1
    factor = rng.choice(3, n, p=[0.29, 0.37, 0.34])
    scale = np.select([factor == 1, factor == 2], [rng.uniform(1.02, 1.2, n), rng.uniform(0.8, 0.98, n)], 1.0)
    fee = money(np.round(ref.code_fee[cidx] * scale))
    fee = np.where(np.isin(status, [3, 4, 7]), 0.0, fee)
    zero = np.zeros(n, bool) if mess.clean else (status == 2) & (fee > 0) & (rng.random(n) < 0.01)
    fee = np.where(zero, 0.0, fee)
    mess.add(
        "zero_fee_procedures",
        int(zero.sum()),
        "procedurelog",
        "ProcFee",
        description="completed procedures charted with ProcFee 0 although the code has a fee",
    )
    is_hyg_code = np.asarray(ref.tables["procedurecode"].cols["IsHygiene"])[cidx] == 1
    prov = np.where(is_hyg_code & (apt > 0), people.hygienist[pat], people.dentist[pat])
    treat_area = np.asarray(ref.tables["procedurecode"].cols["TreatArea"])[cidx]
    n_surf = rng.choice(4, n, p=[0.35, 0.35, 0.22, 0.08])
    tooth = np.where(np.isin(treat_area, [1, 2]), rng.integers(1, 33, n), 0)
    entered = np.where(status == 2, day, np.minimum(day, end)) * 86_400 + rng.integers(28_800, 64_800, n)
    completed_at = np.where(status == 2, day * 86_400 + rng.integers(30_000, 68_000, n), SENTINEL_DAY * 86_400)
    stamp = np.minimum(np.maximum(entered, completed_at) + rng.integers(0, 3, n) * 86_400, end * 86_400 + 64_800)
    user = np.where(rng.random(n) < 0.1, 0, rng.choice(staff.users, n))
    date_tp = np.where(
        status == 1, day, np.where((status == 2) & (apt > 0) & (planned > 0), day - rng.integers(7, 60, n), SENTINEL_DAY)
    )
    rows = Rows(
        n,
        {
            "ProcNum": np.arange(1, n + 1),
            "PatNum": pat + 1,
            "AptNum": apt,
            "ProcDate": day,
            "ProcFee": fee,
            "Surf": take(("", *_SURF, "UR"), np.select([treat_area == 1, treat_area == 4], [n_surf + 1, len(_SURF) + 1], 0)),
            "ToothNum": take(_TEETH, tooth),
            "ToothRange": "",
            "Priority": np.where(status == 1, rng.choice(ref.defnums(20), n), 0),
            "ProcStatus": status,
            "ProvNum": prov,
            "Dx": np.where(np.isin(status, [1, 2]) & (treat_area <= 2) & (treat_area > 0), rng.choice(ref.defnums(16), n), 0),
            "PlannedAptNum": planned,
            "PlaceService": 0,
            "Prosthesis": "",
            "DateOriginalProsth": SENTINEL_DAY,
            "ClaimNote": "",
            "DateEntryC": entered // 86_400,
            "ClinicNum": 0,
            "CodeNum": code,
            "UnitQty": np.where(rng.random(n) < 0.005, 2, 1),
            "BaseUnits": 0,
            "DateTP": date_tp,
            "DateTStamp": stamp,
            "Prognosis": 0,
            "UnitQtyType": 0,
            "IsLocked": 0,
            "BillingNote": "",
            "Discount": 0.0,
            "IcdVersion": 10,
            "SecUserNumEntry": user,
            "SecDateEntry": entered // 86_400,
            "DateComplete": np.where(status == 2, day, SENTINEL_DAY),
            "TaxAmt": 0.0,
            "DiscountPlanAmt": 0.0,
        },
    )
    return Procedures(pat=pat, day=day, code=code, fee=fee, status=status, apt=apt, prov=prov, rows=rows)


def build_notes(seed: int, procs: Procedures, visits: Visits, end: int) -> tuple[Rows, Rows]:
    """procnote (about 1.3 per completed procedure, 0.85 per procedure row) and procgroupitem."""
    rng = child_rng(seed, "procnotes")
    n = procs.pat.size
    count = np.where(procs.status == 2, 1 + (rng.random(n) < 0.35), (rng.random(n) < 0.15).astype(int))
    idx, pos = group_index(count)
    base = procs.rows.get("DateEntryC")[idx] * 86_400 + rng.integers(30_000, 68_000, idx.size)
    when = np.minimum(base + pos * rng.integers(600, 86_400 * 3, idx.size), end * 86_400 + 64_800)
    user = procs.rows.get("SecUserNumEntry")[idx]
    notes = Rows(
        idx.size,
        {
            "ProcNoteNum": np.arange(1, idx.size + 1),
            "PatNum": procs.pat[idx] + 1,
            "ProcNum": idx + 1,
            "EntryDateTime": when,
            "UserNum": np.where(user == 0, 1, user),
            "Note": take(_NOTES, rng.integers(0, len(_NOTES), idx.size)),
            "SigIsTopaz": 0,
            "Signature": "",
        },
    )
    order = np.argsort(when, kind="stable")
    notes = notes.take(order)
    notes.cols["ProcNoteNum"] = np.arange(1, idx.size + 1)
    grouped_visit = (procs.apt > 0) & (procs.status == 2) & (rng.random(visits.day.size + 1)[procs.apt] < 0.02)
    members = np.flatnonzero(grouped_visit)
    first_of_visit = np.zeros(visits.day.size + 1, np.int64)
    first_of_visit[procs.apt[members][::-1]] = members[::-1] + 1
    groups = Rows(
        members.size,
        {
            "ProcGroupItemNum": np.arange(1, members.size + 1),
            "ProcNum": members + 1,
            "GroupNum": first_of_visit[procs.apt[members]],
        },
    )
    return notes, groups
