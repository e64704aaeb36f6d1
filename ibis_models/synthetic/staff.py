"""The office: providers, users and their groups, operatories and appointment views.

Single location: the Clinics feature is off, so ``clinic`` is empty and every ClinicNum is 0, like the
reference clinic (volumes §1). Staff size scales with the patient count.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from ibis_models.synthetic._columns import Rows, child_rng, join, num_str, pick
from ibis_models.synthetic.reference import Reference

__all__ = ["Staff", "build_staff"]

_LAST = (
    "Nguyen",
    "Patel",
    "Smith",
    "Garcia",
    "Johnson",
    "Kim",
    "Brown",
    "Lee",
    "Miller",
    "Davis",
    "Wilson",
    "Martinez",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Jackson",
    "White",
    "Harris",
    "Clark",
)
_FIRST = (
    "Sarah",
    "Michael",
    "Jennifer",
    "David",
    "Emily",
    "James",
    "Maria",
    "Robert",
    "Linda",
    "Daniel",
    "Jessica",
    "Chris",
    "Ashley",
    "Kevin",
    "Amanda",
    "Brian",
    "Megan",
    "Jason",
    "Laura",
    "Eric",
)


@dataclass(frozen=True, slots=True)
class Staff:
    dentists: np.ndarray  # ProvNum
    hygienists: np.ndarray
    dentist_ops: np.ndarray  # OperatoryNum per dentist
    hygienist_ops: np.ndarray
    users: np.ndarray  # UserNum of visible staff users
    front_desk: np.ndarray  # UserNum of front-desk/billing users (most entries)
    user_of_provider: dict[int, int]
    tables: dict[str, Rows]


def build_staff(seed: int, ref: Reference, active_patients: int, start_day: int) -> Staff:
    rng = child_rng(seed, "staff")
    tables: dict[str, Rows] = {}
    n_dent = int(np.clip(round(active_patients / 1_400), 2, 40))
    n_hyg = int(np.clip(round(n_dent * 1.3), 2, 52))
    n_former = 2 + n_dent // 4
    n_prov = n_dent + n_hyg + n_former + 1  # + one billing entity (IsNotPerson)
    kind = np.concatenate([np.zeros(n_dent), np.ones(n_hyg), np.full(n_former, 2), [3]]).astype(int)
    prov = np.arange(1, n_prov + 1)
    specialty = np.where(kind == 1, ref.defnum(35, "Hygienist"), ref.defnum(35, "General"))
    if n_dent >= 3:
        specialty[2] = ref.defnum(35, "Endodontics")
    last = pick(rng, _LAST, n_prov)
    first = pick(rng, _FIRST, n_prov)
    abbr = join(pa.array(np.where(kind == 1, "HYG", np.where(kind == 3, "BILL", "DR")).tolist()), num_str(prov))
    edit = start_day * 86_400 - rng.integers(0, 700, n_prov) * 86_400 - rng.integers(0, 86_400, n_prov)
    tables["provider"] = Rows(
        n_prov,
        {
            "ProvNum": prov,
            "Abbr": abbr,
            "ItemOrder": np.arange(n_prov),
            "LName": np.where(kind == 3, "Family Dental Group", np.asarray(last.to_pylist(), dtype=object)),
            "FName": np.where(kind == 3, "", np.asarray(first.to_pylist(), dtype=object)),
            "MI": "",
            "Suffix": np.where(kind == 0, "DDS", np.where(kind == 1, "RDH", "")),
            "FeeSched": 1,
            "Specialty": specialty,
            "SSN": num_str(rng.integers(100_000_000, 899_999_999, n_prov)),
            "StateLicense": num_str(rng.integers(10_000, 99_999, n_prov)),
            "DEANum": np.where(kind == 0, "B" + np.char.zfill(rng.integers(0, 9_999_999, n_prov).astype(str), 7), ""),
            "IsSecondary": (kind == 1).astype(int),
            "ProvColor": rng.integers(-16_777_216, -1, n_prov),
            "IsHidden": (kind == 2).astype(int),
            "SigOnFile": 1,
            "NationalProvID": num_str(rng.integers(1_000_000_000, 1_999_999_999, n_prov)),
            "DateTStamp": edit,
            "IsNotPerson": (kind == 3).astype(int),
            "StateWhereLicensed": "OR",
            "ProvStatus": 0,
            "Birthdate": start_day - rng.integers(28 * 365, 62 * 365, n_prov),
            "DateTerm": np.where(kind == 2, start_day - rng.integers(30, 2_000, n_prov), -719_162),
            "HourlyProdGoalAmt": np.where(kind == 0, 650.0, np.where(kind == 1, 220.0, 0.0)),
            "PreferredName": "",
        },
    )

    n_front = 3 + active_patients // 2_500
    n_clin = n_dent + n_hyg
    n_users = 1 + n_clin + n_front + 2  # admin + clinicians + front desk + 2 former staff (hidden)
    user = np.arange(1, n_users + 1)
    role = np.concatenate([[0], np.ones(n_clin), np.full(n_front, 2), [3, 3]]).astype(int)
    user_prov = np.zeros(n_users, dtype=np.int64)
    user_prov[1 : 1 + n_clin] = prov[:n_clin]
    names = join(pick(rng, tuple(f.lower() for f in _FIRST), n_users), num_str(user))
    tables["usergroup"] = Rows(
        4,
        {
            "UserGroupNum": np.arange(1, 5),
            "Description": np.array(["Admin", "Clinical", "Front Desk", "Billing"]),
        },
    )
    group = np.where(role == 0, 1, np.where(role == 1, 2, np.where(user % 3 == 0, 4, 3)))
    tables["userod"] = Rows(
        n_users,
        {
            "UserNum": user,
            "UserName": names,
            "Password": join("SHA3-512$", num_str(rng.integers(10**9, 10**10, n_users))),
            "UserGroupNum": group,
            "EmployeeNum": np.where(role >= 2, user, 0),
            "ProvNum": user_prov,
            "IsHidden": (role == 3).astype(int),
            "TaskListInBox": 0,
            "PasswordIsStrong": 1,
            "DateTFail": -719_162 * 86_400,
            "DateTLastLogin": start_day * 86_400 - rng.integers(0, 60, n_users) * 86_400,
            "BadgeId": "",
        },
    )
    extra = user[role == 0]
    ug_user = np.concatenate([user, extra])
    ug_group = np.concatenate([group, np.full(extra.size, 4)])
    tables["usergroupattach"] = Rows(
        ug_user.size,
        {
            "UserGroupAttachNum": np.arange(1, ug_user.size + 1),
            "UserNum": ug_user,
            "UserGroupNum": ug_group,
        },
    )

    n_ops = n_dent + 1 + n_hyg
    op_dent = np.concatenate([prov[:n_dent], [prov[0]], np.zeros(n_hyg, dtype=np.int64)])
    op_hyg = np.concatenate([np.zeros(n_dent + 1, dtype=np.int64), prov[n_dent : n_dent + n_hyg]])
    is_hyg_op = (op_hyg > 0).astype(int)
    op_num = np.arange(1, n_ops + 1)
    tables["operatory"] = Rows(
        n_ops,
        {
            "OperatoryNum": op_num,
            "OpName": join(np.where(is_hyg_op == 1, "Hygiene ", "Doctor "), num_str(op_num)),
            "Abbrev": join(np.where(is_hyg_op == 1, "H", "D"), num_str(op_num)),
            "ItemOrder": np.arange(n_ops),
            "IsHidden": 0,
            "ProvDentist": op_dent,
            "ProvHygienist": op_hyg,
            "IsHygiene": is_hyg_op,
            "DateTStamp": start_day * 86_400 - rng.integers(100, 900, n_ops) * 86_400,
            "IsWebSched": is_hyg_op,
            "IsNewPatAppt": (op_num == 1).astype(int),
            "OperatoryType": np.where(is_hyg_op == 1, ref.defnum(55, "Hygiene"), ref.defnum(55, "Restorative")),
        },
    )

    views = ("All Ops", "Doctors", "Hygiene", "Front Desk")
    tables["apptview"] = Rows(
        len(views),
        {
            "ApptViewNum": np.arange(1, len(views) + 1),
            "Description": np.array(views),
            "ItemOrder": np.arange(len(views)),
            "RowsPerIncr": 1,
            "OnlyScheduledProvs": np.array([0, 1, 1, 0]),
            "ApptTimeScrollStart": 7 * 3600,
            "WidthOpMinimum": 0,
        },
    )
    tables["userodapptview"] = Rows(
        n_users,
        {
            "UserodApptViewNum": user,
            "UserNum": user,
            "ApptViewNum": np.where(role == 1, np.where(np.isin(user_prov, prov[n_dent : n_dent + n_hyg]), 3, 2), 1),
        },
    )
    prefs_per_user = rng.integers(50, 150, n_users)
    pref_user = np.repeat(user, prefs_per_user)
    n_pref = pref_user.size
    fkey_type = rng.choice([0, 3, 4, 5, 8, 13, 16, 17, 23], size=n_pref)
    tables["userodpref"] = Rows(
        n_pref,
        {
            "UserOdPrefNum": np.arange(1, n_pref + 1),
            "UserNum": pref_user,
            "Fkey": np.where(fkey_type == 0, rng.choice(ref.defnums(18), n_pref), 0),
            "FkeyType": fkey_type,
            "ValueString": np.where(rng.random(n_pref) < 0.5, "1", "0"),
        },
    )
    tables["clinic"] = Rows(0, {"ClinicNum": np.zeros(0, dtype=np.int64)})

    return Staff(
        dentists=prov[:n_dent],
        hygienists=prov[n_dent : n_dent + n_hyg],
        dentist_ops=op_num[:n_dent],
        hygienist_ops=op_num[n_dent + 1 :],
        users=user[role < 3],
        front_desk=user[role == 2],
        user_of_provider={int(p): int(u) for p, u in zip(user_prov, user, strict=True) if p},
        tables=tables,
    )
