"""Chart records around the visits: documents, problems, patient notes and links, treatment plans
(active, saved with proctp copies), recalls, and the security audit log."""

from __future__ import annotations

import numpy as np

from ibis_models.synthetic._columns import SENTINEL_DAY, Rows, child_rng, group_index, join, num_str, take, unique
from ibis_models.synthetic.clinical import Procedures
from ibis_models.synthetic.people import People
from ibis_models.synthetic.reference import Reference
from ibis_models.synthetic.scheduling import HYGIENE, NEW_PATIENT, Visits
from ibis_models.synthetic.staff import Staff

__all__ = ["build_records", "build_securitylog"]


def build_records(
    seed: int,
    people: People,
    visits: Visits,
    procs: Procedures,
    ref: Reference,
    staff: Staff,
    n_disease_defs: int,
    start: int,
    end: int,
) -> dict[str, Rows]:
    rng = child_rng(seed, "records")
    tables: dict[str, Rows] = {}
    n = people.n
    treated = people.end >= np.maximum(people.start, start)

    done = np.flatnonzero(visits.status == 2)
    per = (rng.random(done.size) < 0.55).astype(int) + (visits.kind[done] == NEW_PATIENT) * 2
    idx, pos = group_index(per)
    v = done[idx]
    n_doc = v.size
    img = np.where(pos == 0, rng.choice([1, 2, 0], n_doc, p=[0.6, 0.15, 0.25]), rng.choice([0, 3], n_doc))
    cat = np.select(
        [img == 1, img == 2],
        [ref.defnum(18, "X-Rays"), ref.defnum(18, "Clinical Photos")],
        rng.choice([ref.defnum(18, "Patient Forms"), ref.defnum(18, "Insurance Cards")], n_doc),
    )
    created = visits.rows.get("AptDateTime")[v] + rng.integers(300, 5_000, n_doc)
    tables["document"] = Rows(
        n_doc,
        {
            "DocNum": np.arange(1, n_doc + 1),
            "Description": take(("Form", "Radiograph", "Photo", "File"), img),
            "DateCreated": created,
            "DocCategory": cat,
            "PatNum": visits.pat[v] + 1,
            "FileName": join("doc", num_str(np.arange(1, n_doc + 1)), ".jpg"),
            "ImgType": img,
            "ToothNumbers": "",
            "Note": "",
            "Signature": "",
            "DateTStamp": np.minimum(created + rng.integers(0, 3, n_doc) * 86_400, end * 86_400 + 64_800),
            "RawBase64": "",
            "Thumbnail": "",
            "ExternalGUID": "",
            "ExternalSource": "None",
            "ProvNum": visits.prov[v],
            "OcrResponseData": "",
            "PrintHeading": 0,
        },
    )

    d_count = rng.poisson(0.7 * treated)
    d_pat, _ = group_index(d_count)
    n_dis = d_pat.size
    d_start = np.minimum(np.maximum(people.start[d_pat], start), end) - rng.integers(0, 2_000, n_dis)
    tables["disease"] = Rows(
        n_dis,
        {
            "DiseaseNum": np.arange(1, n_dis + 1),
            "PatNum": d_pat + 1,
            "DiseaseDefNum": rng.integers(1, n_disease_defs + 1, n_dis),
            "PatNote": "",
            "DateTStamp": np.minimum(np.maximum(people.start[d_pat], start), end) * 86_400 + 40_000,
            "ProbStatus": rng.choice([0, 1, 2], n_dis, p=[0.8, 0.12, 0.08]),
            "DateStart": np.where(rng.random(n_dis) < 0.5, d_start, SENTINEL_DAY),
            "DateStop": SENTINEL_DAY,
            "SnomedProblemType": "",
            "FunctionStatus": 0,
        },
    )

    has_note = rng.random(n) < 0.9
    note_pat = np.flatnonzero(has_note)
    note_entry = np.minimum(np.maximum(people.start[note_pat], start - 3_000), end) * 86_400 + 30_000
    is_head = people.guarantor[note_pat] == note_pat + 1
    tables["patientnote"] = Rows(
        note_pat.size,
        {
            "PatNum": note_pat + 1,
            "FamFinancial": np.where(
                is_head & (people.payer[note_pat] > 0), "Slow payer - call before sending to collections", ""
            ),
            "ApptPhone": "",
            "Medical": take(
                ("", "", "NKDA", "Premed for joint replacement", "HBP - controlled"), rng.integers(0, 5, note_pat.size)
            ),
            "Service": "",
            "MedicalComp": "",
            "Treatment": "",
            "ICEName": "",
            "ICEPhone": "",
            "OrthoMonthsTreatOverride": -1,
            "DateOrthoPlacementOverride": SENTINEL_DAY,
            "SecDateTEntry": note_entry,
            "SecDateTEdit": np.minimum(note_entry + rng.integers(0, 700, note_pat.size) * 86_400, end * 86_400 + 64_800),
            "Consent": 0,
            "UserNumOrthoLocked": 0,
            "Pronoun": 0,
        },
    )

    deleted = np.flatnonzero(people.status == 4)
    merged = deleted[rng.random(deleted.size) < 0.2]
    targets = rng.integers(1, n + 1, merged.size)
    clones = rng.integers(1, n + 1, max(1, n // 3_000))
    frm = np.concatenate([merged + 1, clones])
    to = np.concatenate([targets, rng.integers(1, n + 1, clones.size)])
    tables["patientlink"] = Rows(
        frm.size,
        {
            "PatientLinkNum": np.arange(1, frm.size + 1),
            "PatNumFrom": frm,
            "PatNumTo": to,
            "LinkType": np.concatenate([np.ones(merged.size, int), np.full(clones.size, 2)]),
            "DateTimeLink": (end - rng.integers(1, 900, frm.size)) * 86_400 + 43_200,
        },
    )

    tp = np.flatnonzero(np.isin(procs.status, [1, 8]))
    tp_pat = unique(procs.pat[tp])
    saved_pat = tp_pat[rng.random(tp_pat.size) < 0.25]
    plan_pat = np.concatenate([tp_pat, saved_pat])
    plan_status = np.concatenate([np.ones(tp_pat.size, int), np.zeros(saved_pat.size, int)])
    last_tp = np.zeros(n, np.int64)
    np.maximum.at(last_tp, procs.pat[tp], procs.day[tp])
    plan_day = np.minimum(last_tp[plan_pat] - np.where(plan_status == 0, rng.integers(0, 60, plan_pat.size), 0), end)
    n_plan = plan_pat.size
    plan_num = np.arange(1, n_plan + 1)
    tables["treatplan"] = Rows(
        n_plan,
        {
            "TreatPlanNum": plan_num,
            "PatNum": plan_pat + 1,
            "DateTP": plan_day,
            "Heading": np.where(plan_status == 1, "Active Treatment Plan", "Treatment Plan"),
            "Note": "",
            "Signature": "",
            "ResponsParty": 0,
            "DocNum": 0,
            "TPStatus": plan_status,
            "SecUserNumEntry": rng.choice(staff.users, n_plan),
            "SecDateEntry": plan_day,
            "SecDateTEdit": plan_day * 86_400 + rng.integers(28_800, 64_800, n_plan),
            "UserNumPresenter": np.where(plan_status == 0, rng.choice(staff.users, n_plan), 0),
            "TPType": 0,
            "DateTSigned": -719_162 * 86_400,
            "DateTPracticeSigned": -719_162 * 86_400,
            "SignatureText": "",
            "SignaturePracticeText": "",
        },
    )
    active_of = np.zeros(n, np.int64)
    active_of[tp_pat] = plan_num[: tp_pat.size]
    tables["treatplanattach"] = Rows(
        tp.size,
        {
            "TreatPlanAttachNum": np.arange(1, tp.size + 1),
            "TreatPlanNum": active_of[procs.pat[tp]],
            "ProcNum": tp + 1,
            "Priority": procs.rows.get("Priority")[tp],
        },
    )
    saved_of = np.zeros(n, np.int64)
    saved_of[saved_pat] = plan_num[tp_pat.size :]
    copy = tp[saved_of[procs.pat[tp]] > 0]
    tables["proctp"] = Rows(
        copy.size,
        {
            "ProcTPNum": np.arange(1, copy.size + 1),
            "TreatPlanNum": saved_of[procs.pat[copy]],
            "PatNum": procs.pat[copy] + 1,
            "ProcNumOrig": copy + 1,
            "DateTP": np.minimum(procs.day[copy], end),
            "ProcCode": take(list(ref.code_num), procs.code[copy] - 1),
            "FeeAmt": procs.fee[copy],
        },
    )

    hyg = np.flatnonzero(np.isin(visits.kind, [HYGIENE, NEW_PATIENT]) & (visits.status == 2))
    last = np.full(n, SENTINEL_DAY, np.int64)
    np.maximum.at(last, visits.pat[hyg], visits.day[hyg])
    booked = np.full(n, SENTINEL_DAY, np.int64)
    fut = np.flatnonzero(np.isin(visits.kind, [HYGIENE]) & (visits.status == 1))
    np.maximum.at(booked, visits.pat[fut], visits.day[fut])
    r_pat = np.flatnonzero(last > SENTINEL_DAY)
    child = (end - people.birth[r_pat]) < 14 * 365
    rtype = np.where(people.perio[r_pat] == 1, 2, np.where(child, 3, 1))
    bw = r_pat[rng.random(r_pat.size) < 0.45]
    rec_pat = np.concatenate([r_pat, bw])
    rec_type = np.concatenate([rtype, np.full(bw.size, 4)])
    months = np.select([rec_type == 2, rec_type == 4], [4, 12], 6)
    interval = np.where(months == 12, 16_777_216, months * 65_536)
    due = last[rec_pat] + months * 30 + months // 2
    n_rec = rec_pat.size
    tables["recall"] = Rows(
        n_rec,
        {
            "RecallNum": np.arange(1, n_rec + 1),
            "PatNum": rec_pat + 1,
            "DateDueCalc": due,
            "DateDue": due,
            "DatePrevious": last[rec_pat],
            "RecallInterval": interval,
            "RecallStatus": np.where(
                (due < end) & (booked[rec_pat] == SENTINEL_DAY) & (rng.random(n_rec) < 0.5), rng.choice(ref.defnums(13), n_rec), 0
            ),
            "Note": "",
            "IsDisabled": ((people.status[rec_pat] != 0) & (rng.random(n_rec) < 0.3)).astype(int),
            "DateTStamp": np.minimum(last[rec_pat], end) * 86_400 + 60_000,
            "RecallTypeNum": rec_type,
            "DisableUntilBalance": 0.0,
            "DisableUntilDate": SENTINEL_DAY,
            "DateScheduled": np.where(rec_type != 4, booked[rec_pat], SENTINEL_DAY),
            "Priority": 0,
            "TimePatternOverride": "",
        },
    )
    return tables


def build_securitylog(
    seed: int, events: list[tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]], staff: Staff, end: int
) -> Rows:
    """One audit row per logged action: (PermType, when, PatNum, FKey, UserNum) per event kind."""
    rng = child_rng(seed, "securitylog")
    perm = np.concatenate([np.full(e[1].size, e[0]) for e in events])
    when = np.concatenate([e[1] for e in events])
    pat = np.concatenate([e[2] for e in events])
    fkey = np.concatenate([e[3] for e in events])
    user = np.concatenate([e[4] for e in events])
    when = np.minimum(when + rng.integers(0, 60, when.size), end * 86_400 + 64_800)
    order = np.argsort(when, kind="stable")
    n = when.size
    user = user[order]
    return Rows(
        n,
        {
            "SecurityLogNum": np.arange(1, n + 1),
            "PermType": perm[order],
            "UserNum": np.where(user == 0, rng.choice(staff.front_desk, n), user),
            "LogDateTime": when[order],
            "LogText": take(("", "Edited", "Created", "Viewed"), perm[order] % 4),
            "PatNum": pat[order],
            "CompName": take(("FRONT1", "FRONT2", "OP1", "OP2", "BILLING"), rng.integers(0, 5, n)),
            "FKey": fkey[order],
            "LogSource": 0,
            "DefNum": 0,
            "DefNumError": 0,
            "DateTPrevious": -719_162 * 86_400,
        },
    )
