"""Practice set-up lists that are not definitions: fee schedules and fees, coverage categories, claim
forms, program links, problem definitions, recall types and appointment types."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ibis_models.synthetic._columns import Rows, child_rng, money
from ibis_models.synthetic.reference import CODES, Reference

__all__ = ["Catalog", "build_catalog", "FEE_OFFICE", "FEE_PPO1", "FEE_PPO2", "FEE_MEDICAID", "FEE_OON"]

# Fee schedules: (description, FeeSchedType, share of UCR, hidden). volumes.md §4: PPO 55-80%, Medicaid 35-60%.
_FEE_SCHEDULES = (
    ("Standard", 0, 1.00, 0),
    ("PPO Tier 1", 0, 0.72, 0),
    ("PPO Tier 2", 0, 0.63, 0),
    ("Medicaid", 0, 0.48, 0),
    ("Out of Network Allowed", 2, 0.85, 0),
    ("Cash Discount", 0, 0.90, 0),
    ("Staff Courtesy", 0, 0.50, 1),
)
FEE_OFFICE, FEE_PPO1, FEE_PPO2, FEE_MEDICAID, FEE_OON = 1, 2, 3, 4, 5

# Coverage categories (OpenDental's defaults) and the CODES categories they cover, with a percentage.
_COVCATS = (
    ("Diagnostic", 100, ("diag",)),
    ("X-Ray", 100, ("xray",)),
    ("Preventive", 100, ("prev",)),
    ("Restorative", 80, ("basic",)),
    ("Endo", 80, ("endo",)),
    ("Periodontics", 80, ("perio",)),
    ("Oral Surgery", 80, ("surg",)),
    ("Crowns", 50, ("major",)),
    ("Prosthodontics", 50, ("prosth", "implant")),
    ("Maxillofacial Prosth", 50, ()),
    ("Accident", 100, ()),
    ("Orthodontics", 50, ("ortho",)),
    ("Adjunctive General", 50, ("adj",)),
)

_DISEASES = (
    "High Blood Pressure",
    "Diabetes Type 2",
    "Asthma",
    "Heart Murmur",
    "Artificial Joint",
    "Penicillin Allergy",
    "Latex Allergy",
    "Codeine Allergy",
    "Pregnant",
    "Smoker",
    "Anxiety",
    "Thyroid Disease",
    "Osteoporosis",
    "Hepatitis C",
    "Acid Reflux",
    "Sleep Apnea",
    "Blood Thinners",
    "Kidney Disease",
    "Epilepsy",
    "Arthritis",
)

_PROGRAMS = (
    ("XVWeb", "XVWeb imaging bridge", 1),
    ("Dexis", "Dexis imaging", 1),
    ("PracticeWeb", "Practice website", 0),
    ("eRx", "DoseSpot e-prescribing", 1),
    ("PayConnect", "Credit card processing", 1),
    ("Podium", "Reviews and messaging", 1),
    ("DentalXChange", "Clearinghouse", 1),
    ("Apteryx", "Imaging", 0),
)

# Recall types: description, packed interval (conventions §4), time pattern, trigger codes.
_RECALL_TYPES = (
    ("Prophy", 393_216, "/XX/", ("D1110", "D1120", "D0120", "D0150")),
    ("Perio", 196_608, "/XXX/", ("D4910", "D4341", "D4342")),
    ("Child Prophy", 393_216, "/X/", ("D1120",)),
    ("Bitewings", 16_777_216, "", ("D0272", "D0274")),
    ("Pano", 83_886_080, "", ("D0330", "D0210")),
    ("Fluoride", 393_216, "", ("D1206", "D1208")),
)

_APPOINTMENT_TYPES = (
    ("Adult Prophy", "//XXXX//", "D1110,D0120,D0274"),
    ("Child Prophy", "/XXX/", "D1120,D0120,D1206"),
    ("Perio Maintenance", "//XXXXX//", "D4910"),
    ("New Patient", "//XXXXXXXX//", "D0150,D0210,D1110"),
    ("Filling", "/XXXX/", "D2391"),
    ("Crown Prep", "/XXXXXXXXXXX/", "D2740,D2950"),
    ("Crown Seat", "/XXX/", ""),
    ("Root Canal", "/XXXXXXXXX/", "D3330"),
    ("Extraction", "/XXXX/", "D7140"),
    ("Emergency", "/XX/", "D0140"),
    ("SRP", "//XXXXXXX//", "D4341"),
    ("Consult", "XXX", "D9310"),
    ("Old Type", "XX", ""),
)


@dataclass(frozen=True, slots=True)
class Catalog:
    """Fee matrix (schedule x code; NaN = no fee row) and ids used by the transactional steps."""

    fees: np.ndarray
    covcat_of_code: np.ndarray  # CovCatNum per CodeNum - 1 (0 = not billed)
    percent_of_code: np.ndarray  # default coinsurance percentage per CodeNum - 1
    recall_types: int
    appointment_types: int
    programs: int
    disease_defs: int
    tables: dict[str, Rows]


def build_catalog(seed: int, ref: Reference, start_day: int) -> Catalog:
    rng = child_rng(seed, "catalog")
    tables: dict[str, Rows] = {}
    setup_sec = start_day * 86_400 - 400 * 86_400

    n_sched = len(_FEE_SCHEDULES)
    tables["feesched"] = Rows(
        n_sched,
        {
            "FeeSchedNum": np.arange(1, n_sched + 1),
            "Description": np.array([s[0] for s in _FEE_SCHEDULES]),
            "FeeSchedType": np.array([s[1] for s in _FEE_SCHEDULES]),
            "ItemOrder": np.arange(n_sched),
            "IsHidden": np.array([s[3] for s in _FEE_SCHEDULES]),
            "IsGlobal": 1,
            "SecUserNumEntry": 1,
            "SecDateEntry": np.full(n_sched, setup_sec // 86_400),
            "SecDateTEdit": setup_sec + rng.integers(0, 300, n_sched) * 86_400,
        },
    )

    ucr = ref.code_fee
    n_code = ucr.size
    fees = np.full((n_sched, n_code), np.nan)
    for i, (_, _, share, _) in enumerate(_FEE_SCHEDULES):
        has = np.ones(n_code, bool) if i == 0 else rng.random(n_code) < 0.9
        fees[i, has] = np.round(ucr[has] * share)
    fees[:, ucr == 0] = np.where(np.isnan(fees[:, ucr == 0]), np.nan, 0.0)
    sched_idx, code_idx = np.nonzero(~np.isnan(fees))
    n_fee = sched_idx.size
    fee_edit = setup_sec + rng.integers(0, 500, n_fee) * 86_400 + rng.integers(28_800, 64_800, n_fee)
    tables["fee"] = Rows(
        n_fee,
        {
            "FeeNum": np.arange(1, n_fee + 1),
            "Amount": money(fees[sched_idx, code_idx]),
            "FeeSched": sched_idx + 1,
            "CodeNum": code_idx + 1,
            "SecUserNumEntry": 1,
            "SecDateEntry": np.full(n_fee, setup_sec // 86_400),
            "SecDateTEdit": np.minimum(fee_edit, start_day * 86_400),
        },
    )

    n_cov = len(_COVCATS)
    tables["covcat"] = Rows(
        n_cov,
        {
            "CovCatNum": np.arange(1, n_cov + 1),
            "Description": np.array([c[0] for c in _COVCATS]),
            "DefaultPercent": np.array([c[1] for c in _COVCATS]),
            "CovOrder": np.arange(n_cov),
            "EbenefitCat": np.arange(1, n_cov + 1) % 10,
        },
    )
    cov_of = {cat: i + 1 for i, c in enumerate(_COVCATS) for cat in c[2]}
    covcat_of_code = np.array([cov_of.get(c[4], 0) for c in CODES])
    percent_of_code = np.array([_COVCATS[k - 1][1] if k else 0 for k in covcat_of_code], dtype=float)

    tables["claimform"] = Rows(
        3,
        {
            "ClaimFormNum": np.arange(1, 4),
            "Description": np.array(["ADA 2019", "ADA 2012", "1500"]),
            "IsHidden": np.array([0, 1, 0]),
            "FontName": "Arial",
            "FontSize": 9.0,
            "UniqueID": np.array(["OD12", "OD9", "OD13"]),
            "PrintImages": 1,
            "Width": 850,
            "Height": 1100,
        },
    )

    n_prog = len(_PROGRAMS)
    tables["program"] = Rows(
        n_prog,
        {
            "ProgramNum": np.arange(1, n_prog + 1),
            "ProgName": np.array([p[0] for p in _PROGRAMS]),
            "ProgDesc": np.array([p[1] for p in _PROGRAMS]),
            "Enabled": np.array([p[2] for p in _PROGRAMS]),
        },
    )

    n_dis = len(_DISEASES)
    tables["diseasedef"] = Rows(
        n_dis,
        {
            "DiseaseDefNum": np.arange(1, n_dis + 1),
            "DiseaseName": np.array(_DISEASES),
            "ItemOrder": np.arange(n_dis),
            "IsHidden": (np.arange(n_dis) == n_dis - 3).astype(int),
            "DateTStamp": setup_sec + rng.integers(0, 200, n_dis) * 86_400,
        },
    )

    n_rt = len(_RECALL_TYPES)
    tables["recalltype"] = Rows(
        n_rt,
        {
            "RecallTypeNum": np.arange(1, n_rt + 1),
            "Description": np.array([r[0] for r in _RECALL_TYPES]),
            "DefaultInterval": np.array([r[1] for r in _RECALL_TYPES]),
            "TimePattern": np.array([r[2] for r in _RECALL_TYPES]),
            "Procedures": np.array([",".join(r[3]) for r in _RECALL_TYPES]),
            "AppendToSpecial": 0,
        },
    )
    triggers = [(i + 1, ref.codenum(code)) for i, r in enumerate(_RECALL_TYPES) for code in r[3]]
    tables["recalltrigger"] = Rows(
        len(triggers),
        {
            "RecallTriggerNum": np.arange(1, len(triggers) + 1),
            "RecallTypeNum": np.array([t[0] for t in triggers]),
            "CodeNum": np.array([t[1] for t in triggers]),
        },
    )

    n_at = len(_APPOINTMENT_TYPES)
    tables["appointmenttype"] = Rows(
        n_at,
        {
            "AppointmentTypeNum": np.arange(1, n_at + 1),
            "AppointmentTypeName": np.array([a[0] for a in _APPOINTMENT_TYPES]),
            "AppointmentTypeColor": rng.integers(-16_777_216, -1, n_at),
            "ItemOrder": np.arange(n_at),
            "IsHidden": (np.arange(n_at) == n_at - 1).astype(int),
            "Pattern": np.array([a[1] for a in _APPOINTMENT_TYPES]),
            "CodeStr": np.array([a[2] for a in _APPOINTMENT_TYPES]),
            "CodeStrRequired": "",
            "RequiredProcCodesNeeded": 0,
            "BlockoutTypes": np.where(np.arange(n_at) == 5, str(ref.defnum(25, "Crown Hold")), ""),
        },
    )
    return Catalog(
        fees=fees,
        covcat_of_code=covcat_of_code,
        percent_of_code=percent_of_code,
        recall_types=n_rt,
        appointment_types=n_at,
        programs=n_prog,
        disease_defs=n_dis,
        tables=tables,
    )
