"""Insurance structure: carriers, employers, plans, subscribers, patient coverage, benefits, verifications.

About 60% of treated families are insured through the guarantor or spouse; 10% also have secondary
coverage. Dropped coverage keeps its inssub (with DateTerm) but loses its patplan rows (conventions §9).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ibis_models.synthetic._columns import SENTINEL_DAY, Rows, child_rng, join, num_str, take
from ibis_models.synthetic.catalog import FEE_OON, FEE_PPO1, FEE_PPO2, Catalog
from ibis_models.synthetic.people import People
from ibis_models.synthetic.reference import Reference
from ibis_models.synthetic.staff import Staff

__all__ = ["Coverage", "build_coverage"]

_CARRIERS = (
    "Delta Dental",
    "MetLife",
    "Cigna Dental",
    "Aetna Dental",
    "Guardian",
    "United Concordia",
    "Humana Dental",
    "Principal Financial",
    "Ameritas",
    "Sun Life",
    "Lincoln Financial",
    "Blue Cross",
    "Regence BlueCross BlueShield",
    "Moda Health",
    "Pacific Source",
    "GEHA",
    "Careington",
    "Renaissance",
    "Dentegra",
    "UnitedHealthcare Dental",
    "Anthem",
    "Kaiser Permanente Dental",
    "DentaQuest",
    "Liberty Dental",
    "Willamette Dental",
)
_EMPLOYER_WORDS = (
    "Acme",
    "Cascade",
    "Northwest",
    "Pioneer",
    "Summit",
    "Evergreen",
    "Columbia",
    "Rose City",
    "Pacific",
    "Timber",
    "Harbor",
    "Bridge",
    "Willamette",
    "Mt Hood",
    "Riverside",
    "Silver",
)
_EMPLOYER_KINDS = (
    "Manufacturing",
    "Health",
    "Schools",
    "Logistics",
    "Software",
    "Bank",
    "Foods",
    "Construction",
    "County",
    "Credit Union",
    "Engineering",
    "Retail",
)


@dataclass(frozen=True, slots=True)
class Coverage:
    """Per patient (index PatNum - 1): primary/secondary InsSubNum and PlanNum (0 = none) and dates."""

    pri_sub: np.ndarray
    pri_plan: np.ndarray
    sec_sub: np.ndarray
    sec_plan: np.ndarray
    relat: np.ndarray
    term: np.ndarray  # last covered day (large when active)
    plan_carrier: np.ndarray  # CarrierNum per PlanNum - 1
    plan_is_ppo: np.ndarray
    plan_fee_sched: np.ndarray
    plan_percent: np.ndarray  # plan x covcat coinsurance percentage
    carrier_names: tuple[str, ...]
    tables: dict[str, Rows]


def build_coverage(seed: int, people: People, ref: Reference, cat: Catalog, staff: Staff, start: int, end: int) -> Coverage:
    rng = child_rng(seed, "coverage")
    n = people.n
    pat = np.arange(n)
    head = people.guarantor - 1
    is_head = head == pat
    treated = people.end >= start
    fam_treated = np.bincount(head, weights=treated, minlength=n) > 0
    insured_fam = is_head & fam_treated & (rng.random(n) < 0.62)
    spouse = np.full(n, -1)
    sp = np.flatnonzero(people.relation == 1)
    spouse[head[sp]] = sp
    subscriber = np.where((spouse >= 0) & (rng.random(n) < 0.3), spouse, pat)
    subs1 = subscriber[insured_fam]
    fam1 = pat[insured_fam]
    has_sec = (spouse[fam1] >= 0) & (rng.random(fam1.size) < 0.2)
    subs2 = np.where(subs1[has_sec] == fam1[has_sec], spouse[fam1[has_sec]], fam1[has_sec])
    sub_pat = np.concatenate([subs1, subs2])
    sub_fam = np.concatenate([fam1, fam1[has_sec]])
    sub_ord = np.concatenate([np.ones(subs1.size, int), np.full(subs2.size, 2)])
    n_sub = sub_pat.size

    n_carrier = int(np.clip(n // 25, 40, 1_500))
    names = tuple(
        _CARRIERS[i] if i < len(_CARRIERS) else f"{_CARRIERS[i % len(_CARRIERS)]} Plan {i // len(_CARRIERS)}"
        for i in range(n_carrier)
    )
    popularity = 1.0 / np.arange(1, n_carrier + 1) ** 1.1
    n_plan = max(1, int(n_sub * 0.85))
    plan_carrier = rng.choice(n_carrier, size=n_plan, p=popularity / popularity.sum()) + 1
    n_emp = max(1, int(n_plan * 0.45))
    plan_emp = rng.integers(1, n_emp + 1, n_plan)
    plan_of_sub = np.where(np.arange(n_sub) < n_plan, np.arange(n_sub) % n_plan, rng.integers(0, n_plan, n_sub)) + 1
    rng.shuffle(plan_of_sub)
    kind = rng.choice(4, size=n_plan, p=[0.57, 0.25, 0.16, 0.02])  # '' , p tier1, p tier2, f
    plan_type = take(("", "p", "p", "f"), kind)
    is_ppo = (kind == 1) | (kind == 2)
    fee_sched = np.select([kind == 1, kind == 2], [FEE_PPO1, FEE_PPO2], 0)
    allowed = np.where((kind == 0) & (rng.random(n_plan) < 0.3), FEE_OON, 0)
    plan_made = start - rng.integers(0, 3_000, n_plan)
    edited = np.minimum(plan_made + rng.integers(0, 1_500, n_plan), end)
    plan_num = np.arange(1, n_plan + 1)

    default_pct = np.asarray(cat.tables["covcat"].cols["DefaultPercent"], dtype=float)
    plan_percent = np.tile(default_pct, (n_plan, 1))
    basic = default_pct == 80
    major = default_pct == 50
    plan_percent[:, basic] = rng.choice([70, 80, 80, 90], size=(n_plan, 1))
    plan_percent[:, major] = rng.choice([40, 50, 50, 60], size=(n_plan, 1))

    tables: dict[str, Rows] = {}
    carrier_num = np.arange(1, n_carrier + 1)
    tables["carrier"] = Rows(
        n_carrier,
        {
            "CarrierNum": carrier_num,
            "CarrierName": np.array(names),
            "Address": join(num_str(rng.integers(100, 9_999, n_carrier)), " Insurance Way"),
            "City": take(
                ("Chicago", "Atlanta", "Dallas", "Portland", "San Francisco", "Lexington"), rng.integers(0, 6, n_carrier)
            ),
            "State": take(("IL", "GA", "TX", "OR", "CA", "KY"), rng.integers(0, 6, n_carrier)),
            "Zip": num_str(rng.integers(10_000, 99_999, n_carrier)),
            "Phone": join(
                "(800) ", num_str(rng.integers(200, 999, n_carrier)), "-", num_str(rng.integers(0, 9_999, n_carrier), 4)
            ),
            "ElectID": num_str(rng.integers(10_000, 99_999, n_carrier)),
            "NoSendElect": rng.choice([0, 1, 2], size=n_carrier, p=[0.9, 0.07, 0.03]),
            "IsHidden": (rng.random(n_carrier) < 0.05).astype(int),
            "SecUserNumEntry": 0,
            "SecDateEntry": SENTINEL_DAY,
            "SecDateTEdit": (start - rng.integers(0, 2_000, n_carrier)) * 86_400 + rng.integers(0, 86_400, n_carrier),
            "CarrierGroupName": rng.choice(ref.defnums(46), n_carrier),
            "TIN": num_str(rng.integers(100_000_000, 999_999_999, n_carrier)),
        },
    )
    emp_num = np.arange(1, n_emp + 1)
    tables["employer"] = Rows(
        n_emp,
        {
            "EmployerNum": emp_num,
            "EmpName": join(
                take(_EMPLOYER_WORDS, rng.integers(0, 16, n_emp)),
                " ",
                take(_EMPLOYER_KINDS, rng.integers(0, 12, n_emp)),
                " ",
                num_str(emp_num),
            ),
            "Address": join(num_str(rng.integers(100, 9_999, n_emp)), " Commerce Dr"),
            "City": "Portland",
            "State": "OR",
            "Zip": num_str(rng.integers(97_000, 97_299, n_emp)),
            "Phone": join("(503) ", num_str(rng.integers(200, 999, n_emp)), "-", num_str(rng.integers(0, 9_999, n_emp), 4)),
        },
    )
    tables["insplan"] = Rows(
        n_plan,
        {
            "PlanNum": plan_num,
            "GroupName": join("Group ", num_str(plan_emp)),
            "GroupNum": num_str(rng.integers(100_000, 9_999_999, n_plan)),
            "FeeSched": fee_sched,
            "PlanType": plan_type,
            "ClaimFormNum": 1,
            "EmployerNum": plan_emp,
            "CarrierNum": plan_carrier,
            "AllowedFeeSched": allowed,
            "MonthRenew": np.where(rng.random(n_plan) < 0.85, 0, rng.integers(1, 13, n_plan)),
            "IsHidden": (rng.random(n_plan) < 0.02).astype(int),
            "CobRule": 0,
            "SecUserNumEntry": np.where(plan_made < start - 1_500, 0, rng.choice(staff.front_desk, n_plan)),
            "SecDateEntry": np.where(plan_made < start - 1_500, SENTINEL_DAY, plan_made),
            "SecDateTEdit": edited * 86_400 + rng.integers(28_800, 64_800, n_plan),
            "IsBlueBookEnabled": 1,
            "InsPlansZeroWriteOffsOnAnnualMaxOverride": 0,
            "InsPlansZeroWriteOffsOnFreqOrAgingOverride": 0,
        },
    )

    effective = np.minimum(people.start[sub_fam], start) - rng.integers(0, 900, n_sub)
    dropped = rng.random(n_sub) < 0.15
    term_day = np.where(dropped, start + 100 + (rng.random(n_sub) * max(end - start - 160, 1)).astype(int), SENTINEL_DAY)
    sub_num = np.arange(1, n_sub + 1)
    tables["inssub"] = Rows(
        n_sub,
        {
            "InsSubNum": sub_num,
            "PlanNum": plan_of_sub,
            "Subscriber": sub_pat + 1,
            "DateEffective": effective,
            "DateTerm": term_day,
            "ReleaseInfo": 1,
            "AssignBen": 1,
            "SubscriberID": num_str(rng.integers(100_000_000, 999_999_999, n_sub)),
            "SecUserNumEntry": rng.choice(staff.front_desk, n_sub),
            "SecDateEntry": effective,
            "SecDateTEdit": np.maximum(effective, np.where(dropped, term_day, effective + 30)) * 86_400 + 36_000,
            "SecurityHash": "",
        },
    )

    fam_pri = np.zeros(n, np.int64)
    fam_sec = np.zeros(n, np.int64)
    fam_pri[sub_fam[sub_ord == 1]] = sub_num[sub_ord == 1]
    fam_sec[sub_fam[sub_ord == 2]] = sub_num[sub_ord == 2]
    covered = (fam_pri[head] > 0) & (people.end >= start) & ~np.isin(people.status, [1, 4, 6])
    pri_sub = np.where(covered, fam_pri[head], 0)
    sec_sub = np.where(covered, fam_sec[head], 0)
    sub_pat_of = np.concatenate([[0], sub_pat])
    relat = np.where(sub_pat_of[pri_sub] == pat, 0, np.where(people.relation == 2, 2, 1))
    term_of = np.concatenate([[end + 1_000], np.where(dropped, term_day, end + 1_000)])
    plan_of = np.concatenate([[0], plan_of_sub])

    pp_pat = np.concatenate([pat[pri_sub > 0], pat[sec_sub > 0]])
    pp_sub = np.concatenate([pri_sub[pri_sub > 0], sec_sub[sec_sub > 0]])
    pp_ord = np.concatenate([np.ones((pri_sub > 0).sum(), int), np.full((sec_sub > 0).sum(), 2)])
    keep = ~dropped[pp_sub - 1]  # dropping coverage deletes the patplan row
    pp_pat, pp_sub, pp_ord = pp_pat[keep], pp_sub[keep], pp_ord[keep]
    n_pp = pp_pat.size
    pp_relat = np.where(sub_pat_of[pp_sub] == pp_pat, 0, np.where(people.relation[pp_pat] == 2, 2, 1))
    pp_entry = np.maximum(effective[pp_sub - 1], np.minimum(people.start[pp_pat], end)) * 86_400 + 40_000
    tables["patplan"] = Rows(
        n_pp,
        {
            "PatPlanNum": np.arange(1, n_pp + 1),
            "PatNum": pp_pat + 1,
            "Ordinal": pp_ord,
            "IsPending": 0,
            "Relationship": pp_relat,
            "PatID": "",
            "InsSubNum": pp_sub,
            "OrthoAutoFeeBilledOverride": -1.0,
            "SecDateTEntry": pp_entry,
            "SecDateTEdit": np.minimum(pp_entry + rng.integers(0, 400, n_pp) * 86_400, end * 86_400),
        },
    )

    _benefits(tables, rng, ref, plan_num, plan_percent, end)
    n_iv = n_plan + n_pp
    verified = end - rng.integers(0, 400, n_iv)
    tables["insverify"] = Rows(
        n_iv,
        {
            "InsVerifyNum": np.arange(1, n_iv + 1),
            "DateLastVerified": np.where(rng.random(n_iv) < 0.1, SENTINEL_DAY, verified),
            "UserNum": rng.choice(staff.front_desk, n_iv),
            "VerifyType": np.concatenate([np.ones(n_plan, int), np.full(n_pp, 2)]),
            "FKey": np.concatenate([plan_num, np.arange(1, n_pp + 1)]),
            "DefNum": rng.choice(ref.defnums(38), n_iv),
            "DateLastAssigned": verified - rng.integers(0, 10, n_iv),
            "DateTimeEntry": (verified - 400) * 86_400 + 30_000,
            "SecDateTEdit": verified * 86_400 + rng.integers(28_800, 64_800, n_iv),
            "SecurityHash": "",
        },
    )
    return Coverage(
        pri_sub=pri_sub,
        pri_plan=plan_of[pri_sub],
        sec_sub=sec_sub,
        sec_plan=plan_of[sec_sub],
        relat=relat,
        term=term_of[pri_sub],
        plan_carrier=plan_carrier,
        plan_is_ppo=is_ppo,
        plan_fee_sched=fee_sched,
        plan_percent=plan_percent,
        carrier_names=names,
        tables=tables,
    )


def _benefits(
    tables: dict[str, Rows], rng: np.random.Generator, ref: Reference, plan_num: np.ndarray, plan_percent: np.ndarray, end: int
) -> None:
    """Coinsurance per category, deductibles, annual maximum, frequency limits (volumes §5)."""
    n_plan, n_cov = plan_percent.shape
    cov = np.tile(np.arange(1, n_cov + 1), n_plan)
    bplan = np.repeat(plan_num, n_cov)
    pct = plan_percent.reshape(-1)
    keep = ~np.isin(cov, [10, 11])
    cov, bplan, pct = cov[keep], bplan[keep], pct[keep]
    n_co = cov.size
    annual_max = rng.choice([1_000.0, 1_500.0, 2_000.0], size=n_plan)
    parts = {
        "PlanNum": [bplan, plan_num, plan_num, plan_num, plan_num, plan_num],
        "CovCatNum": [cov, np.zeros(n_plan), np.zeros(n_plan), np.zeros(n_plan), np.zeros(n_plan), np.zeros(n_plan)],
        "BenefitType": [
            np.ones(n_co),
            np.full(n_plan, 2),
            np.full(n_plan, 2),
            np.full(n_plan, 5),
            np.full(n_plan, 5),
            np.full(n_plan, 5),
        ],
        "Percent": [pct, np.full(n_plan, -1), np.full(n_plan, -1), np.full(n_plan, -1), np.full(n_plan, -1), np.full(n_plan, -1)],
        "MonetaryAmt": [
            np.full(n_co, -1.0),
            np.full(n_plan, 50.0),
            np.full(n_plan, 150.0),
            annual_max,
            np.full(n_plan, -1.0),
            np.full(n_plan, -1.0),
        ],
        "TimePeriod": [
            np.full(n_co, 2),
            np.full(n_plan, 2),
            np.full(n_plan, 2),
            np.full(n_plan, 2),
            np.full(n_plan, 2),
            np.full(n_plan, 2),
        ],
        "QuantityQualifier": [
            np.zeros(n_co),
            np.zeros(n_plan),
            np.zeros(n_plan),
            np.zeros(n_plan),
            np.ones(n_plan),
            np.ones(n_plan),
        ],
        "Quantity": [np.zeros(n_co), np.zeros(n_plan), np.zeros(n_plan), np.zeros(n_plan), np.full(n_plan, 2), np.ones(n_plan)],
        "CodeNum": [
            np.zeros(n_co),
            np.zeros(n_plan),
            np.zeros(n_plan),
            np.zeros(n_plan),
            np.full(n_plan, ref.codenum("D1110")),
            np.full(n_plan, ref.codenum("D0274")),
        ],
        "CoverageLevel": [
            np.zeros(n_co),
            np.ones(n_plan),
            np.full(n_plan, 2),
            np.ones(n_plan),
            np.zeros(n_plan),
            np.zeros(n_plan),
        ],
    }
    cols = {k: np.concatenate(v).astype(np.float64 if k == "MonetaryAmt" else np.int64) for k, v in parts.items()}
    n_ben = cols["PlanNum"].size
    order = np.argsort(cols["PlanNum"], kind="stable")
    cols = {k: v[order] for k, v in cols.items()}
    entry = (end - 3_000 + rng.integers(0, 2_500, n_ben)) * 86_400
    tables["benefit"] = Rows(
        n_ben,
        {
            "BenefitNum": np.arange(1, n_ben + 1),
            "PatPlanNum": 0,
            **cols,
            "SecDateTEntry": entry,
            "SecDateTEdit": np.minimum(entry + rng.integers(0, 300, n_ben) * 86_400, end * 86_400),
            "CodeGroupNum": 0,
            "TreatArea": 0,
        },
    )
