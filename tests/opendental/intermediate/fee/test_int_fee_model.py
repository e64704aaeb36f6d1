"""Tests of ``int_fee_model`` (FAC §8) on hand-made OpenDental rows, on both backends."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from tests.opendental.harness import data_test_statuses

AS_OF = dt.date(2025, 6, 30)


def _proc(num: int, pat: int, prov: int, code: int, fee: float, **overrides) -> dict:
    row = {
        "ProcNum": num,
        "PatNum": pat,
        "ProvNum": prov,
        "CodeNum": code,
        "ProcFee": fee,
        "ProcStatus": 2,
        "UnitQty": 1,
        "ProcDate": dt.date(2025, 1, 10),
    }
    return {**row, **overrides}


def _fee(num: int, sched: int, code: int, amount: float, clinic: int = 0, prov: int = 0) -> dict:
    return {"FeeNum": num, "FeeSched": sched, "CodeNum": code, "Amount": amount, "ClinicNum": clinic, "ProvNum": prov}


def _adj(num: int, proc: int, adj_type: int, amount: float, day: dt.date) -> dict:
    return {"AdjNum": num, "PatNum": 10, "ProcNum": proc, "AdjType": adj_type, "AdjAmt": amount, "AdjDate": day}


RAW = {
    "patient": [
        {"PatNum": 10, "Guarantor": 10, "PriProv": 3},  # PPO plan
        {"PatNum": 11, "Guarantor": 11, "PriProv": 3, "FeeSched": 3},  # patient schedule, hidden
        {"PatNum": 12, "Guarantor": 12},  # no primary provider: procedure provider's schedule, no UCR
        {"PatNum": 13, "Guarantor": 13, "PriProv": 3},  # provider schedule
    ],
    "provider": [{"ProvNum": 3, "Abbr": "DOC", "FeeSched": 1}, {"ProvNum": 4, "Abbr": "HYG", "FeeSched": 4}],
    "feesched": [
        {"FeeSchedNum": 1, "Description": "UCR", "FeeSchedType": 0},
        {"FeeSchedNum": 2, "Description": "PPO Plan", "FeeSchedType": 2},
        {"FeeSchedNum": 3, "Description": "Hidden", "FeeSchedType": 0, "IsHidden": 1},
        {"FeeSchedNum": 4, "Description": "Global", "FeeSchedType": 4, "IsGlobal": 1},
    ],
    "fee": [
        _fee(100, 1, 1, 150.0),
        _fee(101, 2, 1, 100.0),
        _fee(102, 2, 1, 90.0, clinic=5),
        _fee(103, 2, 1, -1.0, prov=3),  # blank on purpose: no fallback
        _fee(104, 3, 1, 80.0),  # hidden schedule
        _fee(105, 4, 1, 70.0, clinic=5),  # clinic row on a global schedule: not a candidate
        _fee(106, 4, 1, 60.0),
        _fee(107, 1, 2, 120.0),
        _fee(108, 1, 2, 125.0),  # same level: the higher FeeNum wins
    ],
    "patplan": [
        {"PatPlanNum": 40, "PatNum": 10, "Ordinal": 1, "InsSubNum": 50},
        {"PatPlanNum": 41, "PatNum": 10, "Ordinal": 1, "InsSubNum": 51},  # duplicate ordinal 1: later id loses
        {"PatPlanNum": 42, "PatNum": 13, "Ordinal": 2, "InsSubNum": 51},  # secondary only: ignored
    ],
    "inssub": [{"InsSubNum": 50, "PlanNum": 60}, {"InsSubNum": 51, "PlanNum": 61}],
    "insplan": [{"PlanNum": 60, "FeeSched": 2, "PlanType": "p"}, {"PlanNum": 61, "FeeSched": 1, "PlanType": ""}],
    "procedurecode": [{"CodeNum": 1, "ProcCode": "D2391", "IsHygiene": 0}, {"CodeNum": 2, "ProcCode": "D1110", "IsHygiene": 1}],
    "procedurelog": [
        _proc(1, 10, 3, 1, 150.0, ClinicNum=5),  # plan row for provider 3 is blank -> no scheduled fee
        _proc(2, 10, 4, 1, 80.0, ClinicNum=5),  # plan clinic row 90, UCR 150 higher for PPO
        _proc(3, 11, 3, 1, 80.0),  # hidden patient schedule
        _proc(4, 12, 4, 1, 60.0, ClinicNum=5),  # global provider schedule: default row only
        _proc(5, 13, 3, 2, 130.0, ProcStatus=1, UnitQty=2, BaseUnits=1),
        _proc(6, 13, 0, 1, 150.0),  # no procedure provider: the patient's primary provider
        _proc(7, 12, 4, 1, 60.0),  # no clinic (the single-location case) on a global schedule: default row
    ],
    "definition": [
        {"DefNum": 301, "Category": 1, "ItemName": "Senior Discount"},
        {"DefNum": 302, "Category": 1, "ItemName": "Employee Discount"},
        {"DefNum": 303, "Category": 1, "ItemName": "Finance Charge"},
    ],
    "adjustment": [
        _adj(1, 1, 301, -50.0, dt.date(2025, 2, 1)),
        _adj(2, 1, 302, -30.0, dt.date(2025, 1, 15)),
        _adj(3, 6, 303, 20.0, dt.date(2025, 3, 1)),
        _adj(4, 3, 301, -20.0, dt.date(2025, 3, 1)),
        _adj(5, 4, 301, -10.0, dt.date(2025, 3, 1)),
        _adj(6, 0, 301, -99.0, dt.date(2025, 3, 1)),  # unattached: not in any procedure total
    ],
    "claimproc": [
        {"ClaimProcNum": 1, "ProcNum": 1, "Status": 1, "WriteOff": 30.0},
        {"ClaimProcNum": 2, "ProcNum": 1, "Status": 4, "WriteOff": 5.0},
        {"ClaimProcNum": 3, "ProcNum": 1, "Status": 0, "WriteOff": 100.0},  # estimate only
        {"ClaimProcNum": 4, "ProcNum": 0, "Status": 7, "WriteOff": 9.0},  # by total
        {"ClaimProcNum": 5, "ProcNum": 3, "Status": 5, "WriteOff": 2.0},
    ],
}


def test_int_fee_model_selects_schedule_fee_and_nets_adjustments(build, target_url):
    built = build("int_fee_model", RAW, as_of=AS_OF)
    assert list(built.frame.procedure_id) == [1, 2, 3, 4, 5, 6, 7]

    blank = built.row(procedure_id=1)
    assert (blank["fee_schedule_id"], blank["fee_schedule_source"]) == (2, "insurance_plan")
    assert blank["fee_schedule_description"] == "PPO Plan" and blank["fee_schedule_type"] == "OutNetwork"
    assert blank["primary_insurance_plan_id"] == 60 and blank["is_ppo_plan"]
    assert pd.isna(blank["scheduled_fee_id"]) and pd.isna(blank["scheduled_fee"])
    assert pd.isna(blank["scheduled_fee_match_level"])
    assert (blank["ucr_fee_schedule_id"], blank["ucr_fee"]) == (1, Decimal("150.00"))
    assert (blank["standard_fee_id"], blank["standard_fee"], blank["standard_fee_basis"]) == (
        100,
        Decimal("150.00"),
        "ucr_for_ppo",
    )
    assert blank["fee_matches_standard"] and blank["fee_relationship"] == "matches_standard"
    assert blank["fee_variance_amount"] == Decimal("0.00") and blank["fee_variance_pct"] == 0.0
    assert blank["adjustment_count"] == 2 and blank["total_adjustments"] == Decimal("-80.00")
    assert blank["adjustment_types"] == "Employee Discount; Senior Discount"
    assert pd.Timestamp(blank["first_adjustment_date"]) == pd.Timestamp("2025-01-15")
    assert pd.Timestamp(blank["last_adjustment_date"]) == pd.Timestamp("2025-02-01")
    assert blank["has_employee_discount"] and not blank["has_military_discount"]
    assert blank["insurance_writeoff_amount"] == Decimal("35.00")
    assert blank["effective_fee"] == Decimal("70.00") and blank["net_fee"] == Decimal("35.00")
    assert blank["overall_adjustment_impact"] == "major"  # 80 >= 50% of 150
    assert blank["available_fee_options"] == 3
    assert (blank["min_available_fee"], blank["max_available_fee"], blank["avg_fee_amount"]) == (
        Decimal("60.00"),
        Decimal("150.00"),
        Decimal("94.00"),
    )

    clinic = built.row(procedure_id=2)
    assert (clinic["scheduled_fee_id"], clinic["scheduled_fee"], clinic["scheduled_fee_match_level"]) == (
        102,
        Decimal("90.00"),
        "clinic",
    )
    assert clinic["standard_fee"] == Decimal("150.00") and clinic["standard_fee_basis"] == "ucr_for_ppo"
    assert clinic["fee_relationship"] == "below_standard"
    assert clinic["fee_variance_amount"] == Decimal("-70.00") and clinic["fee_variance_pct"] == -46.67
    assert clinic["overall_adjustment_impact"] == "none" and clinic["adjustment_count"] == 0
    assert clinic["total_adjustments"] == Decimal("0.00") and clinic["insurance_writeoff_amount"] == Decimal("0.00")
    assert pd.isna(clinic["adjustment_types"]) and not clinic["has_employee_discount"]

    hidden = built.row(procedure_id=3)
    assert (hidden["fee_schedule_id"], hidden["fee_schedule_source"]) == (3, "patient")
    assert hidden["is_fee_schedule_hidden"] and not hidden["is_ppo_plan"]
    assert pd.isna(hidden["primary_insurance_plan_id"])
    assert pd.isna(hidden["scheduled_fee"]) and hidden["ucr_fee"] == Decimal("150.00")
    assert pd.isna(hidden["standard_fee"]) and pd.isna(hidden["standard_fee_basis"])
    assert not hidden["has_standard_fee"] and not hidden["fee_matches_standard"]
    assert hidden["fee_relationship"] == "no_standard_fee"
    assert pd.isna(hidden["fee_variance_amount"]) and pd.isna(hidden["fee_variance_pct"])
    assert hidden["overall_adjustment_impact"] == "moderate"  # 20 is 25% of 80
    assert hidden["insurance_writeoff_amount"] == Decimal("2.00") and hidden["net_fee"] == Decimal("58.00")

    global_ = built.row(procedure_id=4)
    assert (global_["fee_schedule_id"], global_["fee_schedule_source"]) == (4, "provider")
    assert global_["is_global_fee_schedule"] and global_["fee_schedule_type"] == "ManualBlueBook"
    assert (global_["scheduled_fee_id"], global_["scheduled_fee_match_level"]) == (106, "default")
    assert pd.isna(global_["ucr_fee_schedule_id"]) and pd.isna(global_["ucr_fee"])
    assert global_["standard_fee_basis"] == "schedule" and global_["fee_matches_standard"]
    assert global_["overall_adjustment_impact"] == "minor"

    units = built.row(procedure_id=5)
    assert not units["is_completed"] and units["is_hygiene_procedure"]
    assert units["total_units"] == 3 and units["applied_fee_total"] == Decimal("390.00")
    assert (units["scheduled_fee_id"], units["standard_fee"]) == (108, Decimal("125.00"))
    assert units["fee_relationship"] == "above_standard"
    assert units["fee_variance_amount"] == Decimal("5.00") and units["fee_variance_pct"] == 4.0
    assert units["available_fee_options"] == 1 and units["avg_fee_amount"] == Decimal("122.50")

    fallback = built.row(procedure_id=6)
    assert pd.isna(fallback["provider_id"])
    assert (fallback["fee_schedule_id"], fallback["fee_schedule_source"], fallback["scheduled_fee_id"]) == (1, "provider", 100)
    assert fallback["scheduled_fee_match_level"] == "default"  # clinic 0 on both sides is no clinic match

    single_location = built.row(procedure_id=7)
    assert (single_location["scheduled_fee_id"], single_location["scheduled_fee_match_level"]) == (106, "default")
    assert fallback["overall_adjustment_impact"] == "increase" and fallback["effective_fee"] == Decimal("170.00")
    assert pd.Timestamp(fallback["as_of_date"]) == pd.Timestamp(AS_OF)

    statuses = data_test_statuses(target_url, "int_fee_model", AS_OF)
    assert statuses.pop("completed_has_standard_fee") == "warn"  # procedure 3
    assert set(statuses.values()) == {"pass"}, statuses


def test_int_fee_model_builds_without_fees_plans_or_adjustments(build):
    raw = {
        "patient": [{"PatNum": 10, "Guarantor": 10}],
        "procedurelog": [_proc(1, 10, 0, 1, 0.0, UnitQty=0)],
        "procedurecode": [{"CodeNum": 1, "ProcCode": "D0120"}],
    }
    row = build("int_fee_model", raw, as_of=AS_OF).row(procedure_id=1)
    assert pd.isna(row["fee_schedule_id"]) and pd.isna(row["fee_schedule_source"]) and pd.isna(row["fee_schedule_type"])
    assert not row["is_fee_schedule_hidden"] and not row["is_global_fee_schedule"] and not row["is_ppo_plan"]
    assert row["available_fee_options"] == 0 and pd.isna(row["min_available_fee"])
    assert row["applied_fee_total"] == Decimal("0.00") and row["effective_fee"] == Decimal("0.00")
    assert row["overall_adjustment_impact"] == "none" and row["fee_relationship"] == "no_standard_fee"
