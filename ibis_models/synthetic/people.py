"""Patients grouped in families under a guarantor, with each patient's span of activity.

Family money columns (BalTotal, Bal_0_30, ...) are filled later by ``balances`` from the transactions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ibis_models.synthetic._columns import (
    SENTINEL_DAY,
    Rows,
    blank_where,
    child_rng,
    group_index,
    join,
    num_str,
    take,
)
from ibis_models.synthetic.staff import Staff

__all__ = ["People", "build_people"]

_LAST = (
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Chen",
    "Patel",
    "Kim",
    "Olson",
    "Larson",
    "Peterson",
    "Hansen",
    "Schmidt",
    "Weber",
    "Novak",
)
_FEMALE = (
    "Mary",
    "Patricia",
    "Jennifer",
    "Linda",
    "Elizabeth",
    "Barbara",
    "Susan",
    "Jessica",
    "Sarah",
    "Karen",
    "Lisa",
    "Nancy",
    "Emily",
    "Emma",
    "Olivia",
    "Ava",
    "Sophia",
    "Isabella",
    "Mia",
    "Abigail",
    "Grace",
    "Chloe",
    "Hannah",
    "Madison",
    "Ashley",
    "Megan",
    "Rachel",
    "Laura",
    "Amy",
    "Nicole",
)
_MALE = (
    "James",
    "Robert",
    "John",
    "Michael",
    "David",
    "William",
    "Richard",
    "Joseph",
    "Thomas",
    "Charles",
    "Daniel",
    "Matthew",
    "Anthony",
    "Mark",
    "Steven",
    "Andrew",
    "Joshua",
    "Kevin",
    "Brian",
    "Ryan",
    "Liam",
    "Noah",
    "Oliver",
    "Elijah",
    "Lucas",
    "Mason",
    "Ethan",
    "Logan",
    "Jacob",
    "Tyler",
)
_STREETS = (
    "Main St",
    "Oak Ave",
    "Maple Dr",
    "Cedar Ln",
    "Pine St",
    "Elm St",
    "Washington Blvd",
    "Lake Rd",
    "Hill St",
    "Park Ave",
    "River Rd",
    "Sunset Blvd",
    "Broadway",
    "Highland Ave",
    "Willow Way",
)
_CITIES = (
    ("Portland", "97201"),
    ("Beaverton", "97005"),
    ("Hillsboro", "97123"),
    ("Gresham", "97030"),
    ("Lake Oswego", "97034"),
    ("Tigard", "97223"),
    ("Tualatin", "97062"),
    ("Milwaukie", "97222"),
)


@dataclass(frozen=True, slots=True)
class People:
    """Per-patient arrays (index = PatNum - 1)."""

    guarantor: np.ndarray  # PatNum of the family head
    status: np.ndarray
    birth: np.ndarray
    gender: np.ndarray
    start: np.ndarray  # first visit day (may precede the history window)
    end: np.ndarray  # last day of activity
    payer: np.ndarray  # 0 prompt, 1 slow, 2 never pays the tail (per family)
    dentist: np.ndarray
    hygienist: np.ndarray
    perio: np.ndarray
    compliance: np.ndarray
    relation: np.ndarray  # 0 self/head, 1 spouse, 2 child
    rows: Rows

    @property
    def n(self) -> int:
        return self.guarantor.size


def build_people(seed: int, n: int, staff: Staff, start: int, end: int) -> People:
    """``n`` patient rows in families; history window is [start, end] as day numbers."""
    rng = child_rng(seed, "people")
    sizes = rng.choice(np.arange(1, 7), size=n, p=[0.40, 0.22, 0.16, 0.13, 0.07, 0.02])
    sizes = sizes[: np.searchsorted(np.cumsum(sizes), n) + 1]
    sizes[-1] -= sizes.sum() - n
    fam, member = group_index(sizes)
    head = (np.cumsum(sizes) - sizes)[fam]
    n_fam = sizes.size
    guarantor = head + 1
    relation = np.where(member == 0, 0, np.where((member == 1) & (rng.random(n) < 0.7), 1, 2))

    senior = rng.random(n) < 0.24
    adult_age = np.where(senior, rng.integers(65, 92, n), rng.integers(20, 65, n)) * 365.25
    child_age = rng.integers(1, 23, n) * 365.25
    age_days = np.where(relation == 2, np.minimum(child_age, adult_age[head] - 18 * 365), adult_age)
    age_days = np.where(relation == 1, adult_age[head] + rng.normal(0, 4 * 365, n), age_days)
    birth = (end - np.maximum(age_days, 200) - rng.integers(0, 365, n)).astype(np.int64)
    gender = rng.choice([0, 1, 2], size=n, p=[0.445, 0.545, 0.01])
    gender = np.where(relation == 1, 1 - np.clip(gender[head], 0, 1), gender)

    fam_state = rng.choice(5, size=n_fam, p=[0.57, 0.28, 0.10, 0.035, 0.015])  # active/inactive/archived/nonpat/prosp
    state = fam_state[fam]
    status = np.select([state == 0, state == 1, state == 2], [0, 2, 3], 0)
    status = np.where((state == 3) & (member == 0) & (sizes[fam] > 1), 1, status)
    status = np.where(state == 4, 6, status)
    status = np.where(rng.random(n) < 0.012, 4, status)
    status = np.where((adult_age > 75 * 365) & (rng.random(n) < 0.04) & (relation != 2), 5, status)

    established = rng.random(n_fam) < 0.62
    fam_start = np.where(
        established, start - rng.integers(30, 15 * 365, n_fam), start + (rng.random(n_fam) * (end - start - 20)).astype(np.int64)
    )
    p_start = fam_start[fam] + np.where(member == 0, 0, rng.integers(0, 60, n))
    p_start = np.maximum(p_start, birth + 365 * 2)
    inactive_end = p_start + (rng.random(n) * np.maximum(end - 540 - p_start, 1)).astype(np.int64)
    archived_end = start - rng.integers(-120, 1500, n)
    p_end = np.select(
        [status == 0, status == 2, status == 3, status == 5],
        [np.full(n, end + 400), inactive_end, archived_end, p_start + (rng.random(n) * (end - p_start)).astype(int)],
        p_start - 1,
    )
    p_end = np.maximum(p_end, np.minimum(p_start, end))
    p_end = np.where(np.isin(status, [1, 4, 6]), p_start - 1, p_end)  # never treated in the window

    payer = rng.choice(3, size=n_fam, p=[0.86, 0.10, 0.04])[fam]
    dentist = rng.choice(staff.dentists, size=n_fam)[fam]
    hygienist = rng.choice(staff.hygienists, size=n_fam)[fam]
    perio = ((rng.random(n) < 0.16) & (relation != 2)).astype(np.int64)
    compliance = rng.beta(3.0, 1.2, n)

    last = take(_LAST, rng.integers(0, len(_LAST), n_fam)[fam])
    first = take(_FEMALE + _MALE, np.where(gender == 1, rng.integers(0, 30, n), rng.integers(30, 60, n)))
    city = rng.integers(0, len(_CITIES), n_fam)[fam]
    street_no = num_str(rng.integers(100, 9999, n_fam)[fam])
    address = join(street_no, " ", take(_STREETS, rng.integers(0, len(_STREETS), n_fam)[fam]))
    phone = join("(503) ", num_str(rng.integers(200, 999, n)), "-", num_str(rng.integers(0, 9999, n), 4))
    home = join("(503) ", num_str(rng.integers(200, 999, n_fam)[fam]), "-", num_str(rng.integers(0, 9999, n_fam)[fam], 4))
    email_user = join(first, ".", last, num_str(rng.integers(1, 99, n)))
    has_email = rng.random(n) < 0.75
    has_cell = rng.random(n) < 0.85
    position = np.select([relation == 2, relation == 1], [2, 1], rng.choice([0, 1, 3, 4], size=n, p=[0.55, 0.37, 0.04, 0.04]))
    patnum = np.arange(1, n + 1)
    entered = np.where(p_start < start - 3_650, SENTINEL_DAY, np.minimum(p_start, end) - rng.integers(0, 20, n))
    creator = np.where(entered == SENTINEL_DAY, 0, rng.choice(staff.front_desk, n))
    stamp = (np.maximum(np.minimum(p_end, end), np.minimum(p_start, end)) * 86_400 + rng.integers(28_800, 64_800, n)).astype(
        np.int64
    )

    rows = Rows(
        n,
        {
            "PatNum": patnum,
            "LName": last,
            "FName": first,
            "MiddleI": take(("", "", "", "A", "J", "M", "L", "R"), rng.integers(0, 8, n)),
            "Preferred": "",
            "PatStatus": status,
            "Gender": gender,
            "Position": position,
            "Birthdate": birth,
            "SSN": num_str(rng.integers(100_000_000, 899_999_999, n)),
            "Address": address,
            "City": take([c[0] for c in _CITIES], city),
            "State": "OR",
            "Zip": take([c[1] for c in _CITIES], city),
            "HmPhone": home,
            "WirelessPhone": blank_where(phone, ~has_cell),
            "Guarantor": guarantor,
            "Email": blank_where(join(email_user, "@example.com"), ~has_email),
            "PriProv": dentist,
            "SecProv": np.where(rng.random(n) < 0.3, hygienist, 0),
            "FeeSched": np.where(rng.random(n) < 0.004, 6, 0),
            "ImageFolder": join(last, first, num_str(patnum)),
            "StudentStatus": np.where((relation == 2) & (age_days > 18 * 365), "F", ""),
            "ChartNumber": "",
            "ClinicNum": 0,
            "PreferConfirmMethod": rng.choice([8, 5, 4, 0], size=n, p=[0.6, 0.15, 0.05, 0.2]),
            "PreferContactMethod": rng.choice([8, 4, 2, 5, 0], size=n, p=[0.45, 0.2, 0.1, 0.1, 0.15]),
            "PreferRecallMethod": rng.choice([8, 5, 7, 0], size=n, p=[0.55, 0.2, 0.05, 0.2]),
            "Language": np.where(rng.random(n) < 0.07, "spa", "eng"),
            "DateTStamp": stamp,
            "ResponsParty": 0,
            "TxtMsgOk": rng.choice([0, 1, 2], size=n, p=[0.2, 0.7, 0.1]),
            "Country": "",
            "BillingCycleDay": 1,
            "SecUserNumEntry": creator,
            "SecDateEntry": entered,
            "ShortCodeOptIn": rng.choice([0, 1, 2], size=n, p=[0.5, 0.4, 0.1]),
            "SecurityHash": "",
        },
    )
    return People(
        guarantor=guarantor,
        status=status,
        birth=birth,
        gender=gender,
        start=p_start,
        end=p_end,
        payer=payer,
        dentist=dentist,
        hygienist=hygienist,
        perio=perio,
        compliance=compliance,
        relation=relation,
        rows=rows,
    )
