"""Visits and the appointment book: appointments, their history and entry log, provider schedules and
recalls. Hygiene recalls every 6 months (3-4 for perio), restorative and emergency visits in between."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ibis_models.synthetic._columns import SENTINEL_SEC, Rows, child_rng, group_index, take, weekday
from ibis_models.synthetic.coverage import Coverage
from ibis_models.synthetic.people import People
from ibis_models.synthetic.reference import Reference
from ibis_models.synthetic.staff import Staff

__all__ = ["Visits", "build_visits", "build_schedule", "HYGIENE", "NEW_PATIENT", "RESTORATIVE", "EMERGENCY", "PLANNED"]

HYGIENE, NEW_PATIENT, RESTORATIVE, EMERGENCY, PLANNED = 0, 1, 2, 3, 4
_PATTERNS = ("//XXXXXXXX//", "//XXXXXXXXXXXX//", "/XXXXXX/", "/XXXX/", "/XXXXXX/")
_DESCRIPT = ("PerEx, Pro, 4BW", "CompEx, FMX, Pro", "Restorative", "LimEx, PA", "Planned treatment")


@dataclass(frozen=True, slots=True)
class Visits:
    """One entry per appointment row (index = AptNum - 1)."""

    pat: np.ndarray  # patient index
    day: np.ndarray
    status: np.ndarray  # AptStatus
    kind: np.ndarray
    seq: np.ndarray  # hygiene visit number of the patient (0 = first in window)
    planned: np.ndarray  # AptNum of the planned appointment it came from (0 = none)
    prov: np.ndarray
    deleted: np.ndarray  # hard-deleted appointment (mess): only histappointment keeps it
    rows: Rows


def build_visits(
    seed: int, people: People, cov: Coverage, ref: Reference, staff: Staff, start: int, end: int, clean: bool
) -> Visits:
    rng = child_rng(seed, "visits")
    n = people.n
    lo = np.maximum(people.start, start)
    hi = np.minimum(people.end, end + 200)
    treated = hi >= lo
    interval = np.where(people.perio == 1, 120, 182)
    phase = np.where(people.start >= start, 0, (rng.random(n) * interval).astype(int))
    first = lo + phase
    slots = np.where(treated & (hi >= first), (hi - first) // interval + 1, 0)
    h_pat, h_seq = group_index(slots)
    h_day = first[h_pat] + h_seq * interval[h_pat] + rng.integers(-10, 35, h_pat.size)
    new_patient = (people.start[h_pat] >= start) & (h_seq == 0)
    attended = new_patient | (rng.random(h_pat.size) < people.compliance[h_pat])
    future = h_day > end
    first_future = future & ~np.concatenate([[False], future[:-1] & (h_pat[1:] == h_pat[:-1])])
    book_future = first_future & (people.status[h_pat] == 0) & (rng.random(h_pat.size) < 0.65)
    keep = attended & (~future | book_future) & (h_day <= hi[h_pat] + 200)
    h_pat, h_seq, h_day, new_patient = h_pat[keep], h_seq[keep], h_day[keep], new_patient[keep]
    h_kind = np.where(new_patient, NEW_PATIENT, HYGIENE)

    span_years = np.clip(np.minimum(hi, end) - lo, 0, None) / 365.25
    rate = rng.gamma(1.2, 0.42, n)
    r_count = rng.poisson(rate * span_years * treated)
    r_pat, _ = group_index(r_count)
    r_day = lo[r_pat] + (rng.random(r_pat.size) * np.maximum(np.minimum(hi, end)[r_pat] - lo[r_pat], 1)).astype(int)
    e_count = rng.poisson(0.07 * span_years * treated)
    e_pat, _ = group_index(e_count)
    e_day = lo[e_pat] + (rng.random(e_pat.size) * np.maximum(np.minimum(hi, end)[e_pat] - lo[e_pat], 1)).astype(int)
    # Planned appointments: most restorative visits were planned at an earlier exam; active patients
    # also carry planned work that is not booked yet (volumes §3: 13.8% of appointments).
    r_planned = rng.random(r_pat.size) < 0.6
    active = np.flatnonzero((people.status == 0) & treated)
    open_plan = active[rng.random(active.size) < 0.3]

    pat = np.concatenate([h_pat, r_pat, e_pat, r_pat[r_planned], open_plan])
    day = np.concatenate(
        [h_day, r_day, e_day, r_day[r_planned] - rng.integers(7, 60, r_planned.sum()), end - rng.integers(0, 300, open_plan.size)]
    )
    kind = np.concatenate(
        [
            h_kind,
            np.full(r_pat.size, RESTORATIVE),
            np.full(e_pat.size, EMERGENCY),
            np.full(r_planned.sum() + open_plan.size, PLANNED),
        ]
    )
    seq = np.concatenate([h_seq, np.full(r_pat.size + e_pat.size + r_planned.sum() + open_plan.size, -1)])
    src = np.concatenate(
        [
            np.full(h_pat.size, -1),
            np.arange(r_pat.size),
            np.full(e_pat.size, -1),
            -2 - np.flatnonzero(r_planned),
            np.full(open_plan.size, -1),
        ]
    )
    day = weekday(np.maximum(day, np.minimum(people.start[pat], end)))
    m = pat.size
    past = day <= end
    status = np.where(kind == PLANNED, 6, np.where(past, 2, 1))
    broken = past & (kind != PLANNED) & (rng.random(m) < 0.04)
    status = np.where(broken, 5, status)
    # Cancelled without a new time: the unscheduled list (volumes §3: about 6.6% of appointments).
    unsched = (
        (np.isin(kind, [RESTORATIVE, HYGIENE])) & past & (people.status[pat] == 0) & (day > end - 365) & (rng.random(m) < 0.24)
    )
    status = np.where(unsched, 3, status)
    deleted = np.zeros(m, bool) if clean else ((status == 1) & (rng.random(m) < 0.05))

    lead = np.select(
        [kind == HYGIENE, kind == EMERGENCY, kind == PLANNED],
        [rng.integers(60, 190, m), rng.integers(0, 2, m), np.zeros(m, int)],
        rng.integers(5, 40, m),
    )
    created_day = np.maximum(day - lead, np.minimum(people.start[pat], end) - 30)
    created_day = np.minimum(created_day, end)
    order = np.lexsort((pat, created_day))
    pat, day, kind, seq, src, status, created_day, deleted = (
        a[order] for a in (pat, day, kind, seq, src, status, created_day, deleted)
    )
    apt = np.arange(1, m + 1)
    # Link each restorative visit that was planned to its planned appointment (NextAptNum, conventions §13).
    planned_for = np.zeros(r_pat.size + 1, np.int64)
    is_plan_copy = src <= -2
    planned_for[-2 - src[is_plan_copy]] = apt[is_plan_copy]
    visit_of_r = np.where(src >= 0, src, r_pat.size)
    planned = np.where((src >= 0), planned_for[visit_of_r], 0)

    is_hyg = np.isin(kind, [HYGIENE, NEW_PATIENT])
    prov = people.dentist[pat]
    hyg = np.where(is_hyg, people.hygienist[pat], 0)
    dent_idx = np.searchsorted(staff.dentists, prov)
    hyg_idx = np.searchsorted(staff.hygienists, np.where(is_hyg, hyg, staff.hygienists[0]))
    op = np.where(is_hyg, staff.hygienist_ops[hyg_idx], staff.dentist_ops[dent_idx])
    op = np.where(np.isin(status, [3, 6]), 0, op)
    minute = rng.integers(0, 54, m) * 10 + 7 * 60
    apt_sec = day * 86_400 + minute * 60
    length = np.array([len(p) for p in _PATTERNS])[kind] * 300
    completed = status == 2
    arrived = completed & (rng.random(m) < 0.35)
    midnight = day * 86_400
    confirmed_defs = np.array(
        [
            ref.defnum(2, "Confirmed"),
            ref.defnum(2, "AppointmentConfirmed"),
            ref.defnum(2, "Arrived"),
            ref.defnum(2, "Checked Out"),
        ]
    )
    unconfirmed = np.array([ref.defnum(2, "Unconfirmed"), ref.defnum(2, "Not Called"), ref.defnum(2, "Left Message")])
    confirm = np.where(rng.random(m) < 0.85, rng.choice(confirmed_defs, m), rng.choice(unconfirmed, m))
    confirm = np.where(
        status == 1,
        rng.choice(np.array([ref.defnum(2, "eConfirmSent"), ref.defnum(2, "Unconfirmed"), ref.defnum(2, "Confirmed")]), m),
        confirm,
    )
    confirm = np.where(np.isin(status, [3, 6]), ref.defnum(2, "Not Called"), confirm)
    entry_sec = created_day * 86_400 + rng.integers(28_800, 61_200, m)
    entry_sec = np.minimum(entry_sec, np.where(status == 6, entry_sec, apt_sec - 600))
    edit_sec = np.where(completed, apt_sec + length + rng.integers(300, 7_200, m), np.maximum(entry_sec, apt_sec - 2 * 86_400))
    edit_sec = np.clip(edit_sec, entry_sec, end * 86_400 + 64_800)
    creator = np.where(kind == HYGIENE, rng.choice(staff.front_desk, m), rng.choice(staff.users, m))
    creator = np.where(rng.random(m) < 0.08, 0, creator)  # Web Sched and automation
    plan1 = np.where(cov.term[pat] >= day, cov.pri_plan[pat], 0)
    rows = Rows(
        m,
        {
            "AptNum": apt,
            "PatNum": pat + 1,
            "AptStatus": status,
            "Pattern": take(_PATTERNS, kind),
            "Confirmed": confirm,
            "TimeLocked": 0,
            "Op": op,
            "Note": take(("", "", "", "Pt prefers mornings", "Running late - called", "Needs premed"), rng.integers(0, 6, m)),
            "ProvNum": prov,
            "ProvHyg": hyg,
            "AptDateTime": apt_sec,
            "NextAptNum": planned,
            "UnschedStatus": np.where(status == 3, rng.choice(ref.defnums(13), m), 0),
            "IsNewPatient": (kind == NEW_PATIENT).astype(int),
            "ProcDescript": take(_DESCRIPT, kind),
            "Assistant": 0,
            "ClinicNum": 0,
            "IsHygiene": is_hyg.astype(int),
            "DateTStamp": edit_sec,
            "DateTimeArrived": np.where(arrived, apt_sec - rng.integers(0, 900, m), midnight),
            "DateTimeSeated": np.where(arrived & (rng.random(m) < 0.6), apt_sec + rng.integers(0, 600, m), midnight),
            "DateTimeDismissed": np.where(arrived & (rng.random(m) < 0.5), apt_sec + length, midnight),
            "InsPlan1": plan1,
            "InsPlan2": np.where(plan1 > 0, cov.sec_plan[pat], 0),
            "DateTimeAskedToArrive": SENTINEL_SEC,
            "ColorOverride": 0,
            "AppointmentTypeNum": np.select(
                [kind == HYGIENE, kind == NEW_PATIENT, kind == EMERGENCY], [1, 4, 10], rng.choice([5, 6, 7, 8, 9, 11], m)
            ),
            "SecUserNumEntry": creator,
            "SecDateTEntry": entry_sec,
            "Priority": (rng.random(m) < 0.02).astype(int),
            "ProvBarText": "",
            "PatternSecondary": "",
            "SecurityHash": "",
            "ItemOrderPlanned": np.where(status == 6, 1, 0),
            "IsMirrored": 0,
        },
    )
    return Visits(pat=pat, day=day, status=status, kind=kind, seq=seq, planned=planned, prov=prov, deleted=deleted, rows=rows)


def build_history(seed: int, visits: Visits, end: int) -> tuple[Rows, Rows]:
    """histappointment (created, changed, broken/deleted rows) and the entry log of created appointments."""
    rng = child_rng(seed, "history")
    apt = visits.rows
    m = apt.n
    status = visits.status
    n_changes = (status == 2).astype(int) + (rng.random(m) < 0.6) + (rng.random(m) < 0.25)
    n_rows = 1 + n_changes + (status == 5) + visits.deleted
    idx, pos = group_index(n_rows)
    hist = apt.take(idx)
    entry = apt.get("SecDateTEntry")[idx]
    edited = apt.get("DateTStamp")[idx]
    last = pos == n_rows[idx] - 1
    action = np.where(pos == 0, 0, 1)
    action = np.where(last & (status[idx] == 5) & (pos > 0), rng.choice([2, 3], idx.size, p=[0.6, 0.4]), action)
    action = np.where(last & visits.deleted[idx], 4, action)
    frac = pos / np.maximum(n_rows[idx] - 1, 1)
    stamp = (entry + (edited - entry) * frac).astype(np.int64)
    stamp = np.where(action == 4, np.maximum(stamp, entry + 86_400), stamp)
    stamp = np.minimum(stamp, end * 86_400 + 64_800)
    n_h = idx.size
    hist.cols.update(
        {
            "HistApptNum": np.arange(1, n_h + 1),
            "HistUserNum": np.where(
                pos == 0,
                apt.get("SecUserNumEntry")[idx],
                rng.choice(np.unique(apt.get("SecUserNumEntry")[apt.get("SecUserNumEntry") > 0]), n_h),
            ),
            "HistDateTStamp": stamp,
            "HistApptAction": action,
            "ApptSource": 0,
            "DateTStamp": stamp,
        }
    )
    created = apt.get("SecDateTEntry")
    entrylog = Rows(
        m,
        {
            "EntryLogNum": np.arange(1, m + 1),
            "UserNum": apt.get("SecUserNumEntry"),
            "FKeyType": 0,
            "FKey": apt.get("AptNum"),
            "LogSource": np.where(apt.get("SecUserNumEntry") == 0, 19, 0),
            "EntryDateTime": created,
        },
    )
    order = np.argsort(created, kind="stable")
    entrylog = entrylog.take(order)
    entrylog.cols["EntryLogNum"] = np.arange(1, m + 1)
    return hist, entrylog


def build_schedule(seed: int, staff: Staff, ref: Reference, start: int, end: int) -> tuple[Rows, Rows]:
    """Provider hours on working days (type 1), blockouts (2), holidays (0) and scheduleop links."""
    rng = child_rng(seed, "schedule")
    days = np.arange(start, end + 91)
    days = days[(days + 3) % 7 < 5]
    provs = np.concatenate([staff.dentists, staff.hygienists])
    ops = np.concatenate([staff.dentist_ops, staff.hygienist_ops])
    d_idx = np.repeat(np.arange(days.size), provs.size)
    p_idx = np.tile(np.arange(provs.size), days.size)
    works = rng.random(d_idx.size) < 0.88
    d_idx, p_idx = d_idx[works], p_idx[works]
    n_work = d_idx.size
    n_block = int(n_work * 0.25)
    b_idx = rng.integers(0, n_work, n_block)
    holidays = days[rng.random(days.size) < 8 / 260]
    sched_day = np.concatenate([days[d_idx], days[d_idx[b_idx]], holidays])
    kind = np.concatenate([np.ones(n_work, int), np.full(n_block, 2), np.zeros(holidays.size, int)])
    prov = np.concatenate([provs[p_idx], np.zeros(n_block, np.int64), np.zeros(holidays.size, np.int64)])
    op_of = np.concatenate([ops[p_idx], ops[p_idx[b_idx]], np.zeros(holidays.size, np.int64)])
    start_t = np.where(kind == 2, rng.choice([12, 13, 9, 15], kind.size) * 3_600, np.where(kind == 0, 0, 7 * 3_600))
    stop_t = np.where(kind == 2, start_t + 3_600, np.where(kind == 0, 0, rng.choice([16, 17], kind.size) * 3_600))
    order = np.lexsort((kind, sched_day))
    sched_day, kind, prov, op_of, start_t, stop_t = (a[order] for a in (sched_day, kind, prov, op_of, start_t, stop_t))
    n = sched_day.size
    num = np.arange(1, n + 1)
    schedule = Rows(
        n,
        {
            "ScheduleNum": num,
            "SchedDate": sched_day,
            "StartTime": start_t,
            "StopTime": stop_t,
            "SchedType": kind,
            "ProvNum": prov,
            "BlockoutType": np.where(kind == 2, rng.choice(ref.defnums(25), n), 0),
            "Note": np.where(kind == 0, "Office closed - holiday", ""),
            "Status": np.where(kind == 0, 2, 0),
            "EmployeeNum": 0,
            "DateTStamp": np.minimum(sched_day - rng.integers(14, 120, n), end) * 86_400 + rng.integers(28_800, 64_800, n),
            "ClinicNum": 0,
        },
    )
    has_op = op_of > 0
    scheduleop = Rows(
        int(has_op.sum()),
        {
            "ScheduleOpNum": np.arange(1, has_op.sum() + 1),
            "ScheduleNum": num[has_op],
            "OperatoryNum": op_of[has_op],
        },
    )
    return schedule, scheduleop
