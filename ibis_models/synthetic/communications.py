"""Communications and office work: commlog (reminders, confirmations, notes, billing calls), billing
statements with the procedures printed on them, and the task system."""

from __future__ import annotations

import numpy as np

from ibis_models.synthetic._columns import SENTINEL_SEC, Rows, child_rng, group_index, take, unique, unique_inverse
from ibis_models.synthetic.clinical import Procedures
from ibis_models.synthetic.people import People
from ibis_models.synthetic.reference import Reference
from ibis_models.synthetic.scheduling import Visits
from ibis_models.synthetic.staff import Staff

__all__ = ["build_commlog", "build_statements", "build_tasks"]

_NOTES = (
    "Appointment reminder sent",
    "Patient confirmed via text",
    "Left voicemail to confirm",
    "Patient called to reschedule",
    "Discussed insurance benefits",
    "Balance reminder call",
    "Recall reminder sent",
    "Thank you for visiting",
    "Patient asked about treatment estimate",
    "Sent post-op instructions",
    "Patient requested records",
    "",
)


def build_commlog(seed: int, visits: Visits, people: People, ref: Reference, staff: Staff, end: int) -> Rows:
    """About 4-5 entries per booked appointment: reminders, confirmations, in-person notes, recalls."""
    rng = child_rng(seed, "commlog")
    booked = np.flatnonzero(np.isin(visits.status, [1, 2, 5]))
    per = 2 + (rng.random(booked.size) < 0.9) + (rng.random(booked.size) < 0.8) + (rng.random(booked.size) < 0.35)
    idx, pos = group_index(per)
    v = booked[idx]
    n = v.size
    # pos 0 reminder text (auto), 1 confirmation reply, 2 in-person note, 3 thank-you, 4 misc phone
    mode = np.select(
        [pos == 0, pos == 1, pos == 2, pos == 3],
        [rng.choice([5, 1], n, p=[0.6, 0.4]), np.full(n, 5), np.full(n, 4), rng.choice([1, 5], n)],
        rng.choice([3, 0, 2], n, p=[0.85, 0.12, 0.03]),
    )
    sent = np.select([pos == 0, pos == 1, pos == 2, pos == 3], [1, 2, 2, 1], rng.choice([1, 2, 0], n, p=[0.4, 0.45, 0.15]))
    auto = np.isin(pos, [0, 1, 3])
    apt_sec = visits.rows.get("AptDateTime")[v]
    when = np.select(
        [pos == 0, pos == 1, pos == 2, pos == 3],
        [
            apt_sec - rng.integers(2, 4, n) * 86_400,
            apt_sec - 86_400 - rng.integers(0, 40_000, n),
            apt_sec + 1_800,
            apt_sec + 86_400 + 3_600,
        ],
        apt_sec - rng.integers(1, 30, n) * 86_400,
    )
    when = np.where(visits.status[v] == 1, np.minimum(when, end * 86_400 + 60_000), when)
    keep = when <= end * 86_400 + 64_800
    v, pos, mode, sent, auto, when = v[keep], pos[keep], mode[keep], sent[keep], auto[keep], when[keep]
    n = v.size
    ctype = np.select(
        [pos <= 1, pos == 3], [ref.defnum(27, "Appointment Related"), ref.defnum(27, "Texting")], rng.choice(ref.defnums(27), n)
    )
    order = np.argsort(when, kind="stable")
    v, pos, mode, sent, auto, when, ctype = (a[order] for a in (v, pos, mode, sent, auto, when, ctype))
    return Rows(
        n,
        {
            "CommlogNum": np.arange(1, n + 1),
            "PatNum": visits.pat[v] + 1,
            "CommDateTime": when,
            "CommType": ctype,
            "Note": take(_NOTES, np.where(pos == 0, 0, np.where(pos == 1, 1, rng.integers(2, len(_NOTES), n)))),
            "Mode_": mode,
            "SentOrReceived": sent,
            "UserNum": np.where(auto, 0, rng.choice(staff.users, n)),
            "Signature": "",
            "SigIsTopaz": 0,
            "DateTStamp": when + rng.integers(0, 600, n),
            "DateTimeEnd": np.where(mode == 3, when + rng.integers(60, 600, n), SENTINEL_SEC),
            "CommSource": np.where(auto, 2, 0),
            "ProgramNum": np.where(auto, 6, 0),
            "DateTEntry": when,
            "ReferralNum": 0,
            "CommReferralBehavior": 0,
        },
    )


def build_statements(
    seed: int, procs: Procedures, people: People, paysplit: Rows, owed: np.ndarray, end: int
) -> tuple[Rows, Rows]:
    """Monthly statements to the guarantor while the family owes on a visit, plus walkout receipts.

    ``owed`` is the patient portion per procedure (fee - insurance - write-off + adjustments).
    """
    rng = child_rng(seed, "statements")
    n_proc = procs.pat.size
    paid = np.bincount(np.maximum(paysplit.get("ProcNum"), 0), weights=paysplit.get("SplitAmt"), minlength=n_proc + 1)[1:]
    last_pay = np.zeros(n_proc + 1, np.int64)
    np.maximum.at(last_pay, paysplit.get("ProcNum"), paysplit.get("DatePay"))
    due = np.flatnonzero((procs.status == 2) & (owed > 0.005))
    first = procs.day[due] + 45
    stop = np.where(paid[due] >= owed[due] - 0.005, last_pay[due + 1], end)
    months = np.where(first > end, 0, np.clip((stop - first) // 30 + 1, 0, 2))
    idx, pos = group_index(months)
    proc = due[idx]
    guarantor = people.guarantor[procs.pat[proc]]
    month_day = (procs.day[proc] + 30 + 30 * pos) // 30 * 30 + 5  # statements go out on a monthly billing day
    receipts = np.flatnonzero((procs.status == 2) & (procs.apt > 0) & (rng.random(n_proc) < 0.02))
    key_fam = np.concatenate([guarantor, people.guarantor[procs.pat[receipts]]])
    key_day = np.concatenate([month_day, procs.day[receipts]])
    key_kind = np.concatenate([np.zeros(proc.size, np.int64), np.ones(receipts.size, np.int64)])
    item_proc = np.concatenate([proc, receipts])
    keep = key_day <= end
    key_fam, key_day, key_kind, item_proc = key_fam[keep], key_day[keep], key_kind[keep], item_proc[keep]
    keys, stmt_of = unique_inverse((key_day * 10_000_000 + key_fam) * 2 + key_kind)
    n = keys.size
    is_walkout = keys % 2 == 1
    guarantor = (keys // 2) % 10_000_000
    sent_day = keys // 2 // 10_000_000
    owed_on = np.bincount(stmt_of, weights=owed[item_proc], minlength=n)
    mode = np.where(is_walkout, 1, rng.choice([0, 2, 3], n, p=[0.5, 0.3, 0.2]))
    statement = Rows(
        n,
        {
            "StatementNum": np.arange(1, n + 1),
            "PatNum": guarantor,
            "DateSent": sent_day,
            "DateRangeFrom": sent_day - 45,
            "DateRangeTo": sent_day,
            "Note": "",
            "NoteBold": "",
            "Mode_": mode,
            "HidePayment": 0,
            "SinglePatient": 0,
            "Intermingled": 0,
            "IsSent": 1,
            "DocNum": 0,
            "DateTStamp": sent_day * 86_400 + rng.integers(28_800, 64_800, n),
            "IsReceipt": is_walkout.astype(int),
            "IsInvoice": 0,
            "IsInvoiceCopy": 0,
            "EmailSubject": np.where(mode == 2, "Your statement", ""),
            "EmailBody": "",
            "SuperFamily": 0,
            "IsBalValid": 1,
            "InsEst": 0.0,
            "BalTotal": np.round(owed_on, 2),
            "StatementType": "NotSet",
            "ShortGUID": "",
            "StatementShortURL": "",
            "StatementURL": "",
            "SmsSendStatus": np.where(mode == 2, 3, 0),
            "LimitedCustomFamily": 0,
        },
    )
    pairs = unique(stmt_of * (n_proc + 1) + item_proc)
    s_idx, item = pairs // (n_proc + 1), pairs % (n_proc + 1)
    statementprod = Rows(
        s_idx.size,
        {
            "StatementProdNum": np.arange(1, s_idx.size + 1),
            "StatementNum": s_idx + 1,
            "FKey": item + 1,
            "ProdType": 0,
            "LateChargeAdjNum": 0,
            "DocNum": 0,
        },
    )
    return statement, statementprod


def build_tasks(seed: int, people: People, visits: Visits, ref: Reference, staff: Staff, start: int, end: int) -> dict[str, Rows]:
    """A small task system: lists, patient/appointment tasks, history, notes, subscriptions, unread flags."""
    rng = child_rng(seed, "tasks")
    tables: dict[str, Rows] = {}
    n_list = 20 + staff.users.size
    list_num = np.arange(1, n_list + 1)
    parent = np.where(list_num <= 6, 0, rng.integers(1, 7, n_list))
    tables["tasklist"] = Rows(
        n_list,
        {
            "TaskListNum": list_num,
            "Descript": np.char.add(np.where(list_num <= 6, "Department ", "Inbox "), list_num.astype(str)),
            "Parent": parent,
            "DateTL": -719_162,
            "DateTimeEntry": (start - rng.integers(30, 900, n_list)) * 86_400,
            "GlobalTaskFilterType": 0,
            "TaskListStatus": (rng.random(n_list) < 0.05).astype(int),
        },
    )
    treated = np.flatnonzero(people.end >= start)
    years = (end - start) / 365.25
    n_task = max(5, int(treated.size * 0.15 * years))
    obj = rng.choice([1, 2, 0], n_task, p=[0.85, 0.06, 0.09])
    key = np.select([obj == 1, obj == 2], [rng.choice(treated, n_task) + 1, rng.integers(1, visits.day.size + 1, n_task)], 0)
    created = start * 86_400 + (rng.random(n_task) * (end - start) * 86_400).astype(np.int64)
    created = np.sort(created)
    status = rng.choice([2, 0, 1], n_task, p=[0.83, 0.16, 0.01])
    finished = np.where(
        status == 2, np.minimum(created + rng.integers(600, 20 * 86_400, n_task), end * 86_400 + 64_800), SENTINEL_SEC
    )
    task_num = np.arange(1, n_task + 1)
    task = Rows(
        n_task,
        {
            "TaskNum": task_num,
            "TaskListNum": rng.integers(1, n_list + 1, n_task),
            "DateTask": -719_162,
            "KeyNum": key,
            "Descript": take(
                (
                    "Call pt re: balance",
                    "Verify insurance before appt",
                    "Send records to specialist",
                    "Follow up on claim",
                    "Pt wants callback about estimate",
                    "Order crown from lab",
                ),
                rng.integers(0, 6, n_task),
            ),
            "TaskStatus": status,
            "IsRepeating": 0,
            "DateType": 0,
            "FromNum": 0,
            "ObjectType": obj,
            "DateTimeEntry": created,
            "UserNum": rng.choice(staff.users, n_task),
            "DateTimeFinished": finished,
            "PriorityDefNum": rng.choice(ref.defnums(33), n_task),
            "ReminderGroupId": "",
            "ReminderType": 0,
            "ReminderFrequency": 0,
            "DateTimeOriginal": created,
            "SecDateTEdit": np.maximum(created, finished),
            "DescriptOverride": "",
            "IsReadOnly": 0,
            "TriageCategory": 0,
        },
    )
    tables["task"] = task
    h_task = task_num[rng.random(n_task) < 0.6] - 1
    hist = task.take(h_task)
    hist.cols.update(
        {
            "TaskHistNum": np.arange(1, h_task.size + 1),
            "UserNumHist": task.get("UserNum")[h_task],
            "DateTStamp": task.get("SecDateTEdit")[h_task],
            "IsNoteChange": (rng.random(h_task.size) < 0.2).astype(int),
        }
    )
    tables["taskhist"] = hist
    n_note = int(n_task * 0.1)
    note_task = np.sort(rng.integers(1, n_task + 1, n_note))
    tables["tasknote"] = Rows(
        n_note,
        {
            "TaskNoteNum": np.arange(1, n_note + 1),
            "TaskNum": note_task,
            "UserNum": rng.choice(staff.users, n_note),
            "DateTimeNote": np.minimum(task.get("DateTimeEntry")[note_task - 1] + 3_600, end * 86_400 + 64_800),
            "Note": "Called and left message.",
        },
    )
    sub_list = np.concatenate([list_num, list_num[rng.random(n_list) < 0.5]])
    tables["tasksubscription"] = Rows(
        sub_list.size,
        {
            "TaskSubscriptionNum": np.arange(1, sub_list.size + 1),
            "UserNum": rng.choice(staff.users, sub_list.size),
            "TaskListNum": sub_list,
            "TaskNum": 0,
        },
    )
    unread = task_num[(status != 2) | (rng.random(n_task) < 0.3)]
    tables["taskunread"] = Rows(
        unread.size,
        {
            "TaskUnreadNum": np.arange(1, unread.size + 1),
            "TaskNum": unread,
            "UserNum": rng.choice(staff.users, unread.size),
        },
    )
    return tables
