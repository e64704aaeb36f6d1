"""Tests of ``int_adjustments`` (FAC §7) on hand-made OpenDental rows, on both backends."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from ibis_models.framework.check import check_project
from ibis_models.framework.context import BuildContext
from ibis_models.framework.errors import ModelDefinitionError
from ibis_models.opendental.intermediate.fee.int_adjustments import _overrides
from ibis_models.opendental.project import opendental_project
from tests.opendental.harness import data_test_statuses

AS_OF = dt.date(2025, 6, 30)


def _adj(num: int, adj_type: int, amount: float, **overrides) -> dict:
    row = {
        "AdjNum": num,
        "PatNum": 10,
        "ProvNum": 3,
        "ClinicNum": 5,
        "AdjType": adj_type,
        "AdjAmt": amount,
        "AdjDate": dt.date(2025, 1, 20),
        "DateEntry": dt.date(2025, 1, 21),
        "SecUserNumEntry": 8,
    }
    return {**row, **overrides}


RAW = {
    "definition": [
        {"DefNum": 301, "Category": 1, "ItemName": "Senior Discount", "ItemValue": "-"},
        {"DefNum": 302, "Category": 1, "ItemName": "Insurance Write-Off", "ItemValue": "-"},
        {"DefNum": 303, "Category": 1, "ItemName": "Staff DP adj", "ItemValue": "dp"},
        {"DefNum": 304, "Category": 1, "ItemName": "Courtesy Template", "ItemValue": "+"},
        {"DefNum": 305, "Category": 1, "ItemName": "Finance Charge", "ItemValue": "+"},
        {"DefNum": 306, "Category": 1, "ItemName": "Dr. Smith Adj", "ItemValue": "-"},
        {"DefNum": 999, "Category": 10, "ItemName": "Senior payment type"},
    ],
    "procedurelog": [
        {
            "ProcNum": 1,
            "PatNum": 10,
            "CodeNum": 1,
            "ProcStatus": 2,
            "ProcFee": 200.0,
            "UnitQty": 1,
            "ProcDate": dt.date(2025, 1, 10),
        },
        {
            "ProcNum": 2,
            "PatNum": 10,
            "CodeNum": 1,
            "ProcStatus": 2,
            "ProcFee": 500.0,
            "UnitQty": 2,
            "ProcDate": dt.date(2025, 1, 20),
        },
        {
            "ProcNum": 3,
            "PatNum": 10,
            "CodeNum": 1,
            "ProcStatus": 2,
            "ProcFee": 0.0,
            "UnitQty": 1,
            "ProcDate": dt.date(2025, 3, 1),
        },
    ],
    "procedurecode": [{"CodeNum": 1, "ProcCode": "D2391", "Descript": "Resin"}],
    "adjustment": [
        # senior discount on procedure 1, entered ten days after it; note says "per dr"
        _adj(1, 301, -50.0, ProcNum=1, AdjNote="Per Dr Smith"),
        # insurance write-off larger than half the unit-adjusted charge, same day; token "NC"
        _adj(2, 302, -1200.0, ProcNum=2, AdjNote="NC per office"),
        # discount plan, unattached: the adjustment's own ProcDate; "sync" and "hydr." are not tokens
        _adj(3, 303, -500.0, ProcDate=dt.date(2025, 2, 2), AdjNote="data sync done; hydr. check"),
        # courtesy (name) on a $0 procedure; note mentions military; "template" is not "late fee"
        _adj(4, 304, 100.0, ProcNum=3, AdjDate=dt.date(2025, 2, 28), AdjNote="Military courtesy"),
        # zero finance charge with every optional key 0 and no dates
        _adj(5, 305, 0.0, ProvNum=0, ClinicNum=0, SecUserNumEntry=0, AdjDate=dt.date(1, 1, 1), DateEntry=dt.date(1, 1, 1)),
        # "Dr." type name: provider_discount by name, or the override; exactly half the charge
        _adj(6, 306, -100.0, ProcNum=1, AdjNote="N/C", StatementNum=44),
    ],
    "paysplit": [
        {"SplitNum": 1, "PayNum": 1, "PatNum": 10, "AdjNum": 1, "SplitAmt": 10.0},
        {"SplitNum": 2, "PayNum": 1, "PatNum": 10, "AdjNum": 1, "SplitAmt": 5.5},
        {"SplitNum": 3, "PayNum": 1, "PatNum": 10, "AdjNum": 0, "SplitAmt": 99.0},  # not on an adjustment
        {"SplitNum": 4, "PayNum": 1, "PatNum": 10, "AdjNum": 77, "SplitAmt": 7.0},  # unknown adjustment
    ],
}


def test_int_adjustments_categorises_and_measures_each_adjustment(build):
    built = build("int_adjustments", RAW, as_of=AS_OF)
    assert list(built.frame.adjustment_id) == [1, 2, 3, 4, 5, 6]

    senior = built.row(adjustment_id=1)
    assert (senior["adjustment_category"], senior["adjustment_category_source"]) == ("senior_discount", "name_rule")
    assert senior["adjustment_type_name"] == "Senior Discount" and senior["adjustment_type_value"] == "-"
    assert senior["is_discount"] and not senior["is_insurance_writeoff"]
    assert senior["adjustment_direction"] == "negative" and senior["adjustment_size"] == "minimal"
    assert pd.Timestamp(senior["procedure_date"]) == pd.Timestamp("2025-01-10")
    assert senior["is_retroactive_adjustment"] and senior["days_after_procedure"] == 10
    assert senior["procedure_fee_total"] == Decimal("200.00") and senior["procedure_code"] == "D2391"
    assert senior["adjustment_pct_of_fee"] == -25.0
    assert senior["adjustment_impact"] == "moderate"
    assert senior["is_provider_discretion"] and not senior["is_no_charge"]
    assert senior["allocated_split_count"] == 2 and senior["allocated_payment_amount"] == Decimal("15.50")
    assert senior["_created_at"] == pd.Timestamp("2025-01-21") and senior["_created_by"] == 8

    writeoff = built.row(adjustment_id=2)
    assert writeoff["adjustment_category"] == "insurance_writeoff" and writeoff["is_insurance_writeoff"]
    assert not writeoff["is_discount"]
    assert writeoff["adjustment_size"] == "large" and writeoff["adjustment_impact"] == "major"
    assert writeoff["procedure_fee"] == Decimal("500.00") and writeoff["procedure_fee_total"] == Decimal("1000.00")
    assert writeoff["adjustment_pct_of_fee"] == -120.0
    assert not writeoff["is_retroactive_adjustment"] and writeoff["days_after_procedure"] == 0
    assert writeoff["is_no_charge"]
    assert writeoff["allocated_split_count"] == 0 and writeoff["allocated_payment_amount"] == Decimal("0.00")

    plan = built.row(adjustment_id=3)
    assert (plan["adjustment_category"], plan["adjustment_category_source"]) == ("discount_plan", "discount_plan")
    assert plan["is_discount"] and not plan["is_employee_discount"]
    assert pd.isna(plan["procedure_id"]) and not plan["is_procedure_adjustment"]
    assert pd.Timestamp(plan["procedure_date"]) == pd.Timestamp("2025-02-02")
    assert pd.isna(plan["days_after_procedure"]) and not plan["is_retroactive_adjustment"]
    assert plan["adjustment_size"] == "medium" and plan["adjustment_impact"] == "not_applicable"
    assert pd.isna(plan["adjustment_pct_of_fee"]) and pd.isna(plan["procedure_fee_total"])
    assert not plan["is_no_charge"] and not plan["is_provider_discretion"]

    courtesy = built.row(adjustment_id=4)
    assert (courtesy["adjustment_category"], courtesy["adjustment_category_source"]) == ("other", "default")
    assert courtesy["is_courtesy_adjustment"] and courtesy["is_military_discount"]
    assert courtesy["adjustment_direction"] == "positive" and courtesy["adjustment_size"] == "small"
    assert courtesy["adjustment_impact"] == "not_applicable" and pd.isna(courtesy["adjustment_pct_of_fee"])
    assert not courtesy["is_retroactive_adjustment"] and courtesy["days_after_procedure"] == -1  # dated before

    zero = built.row(adjustment_id=5)
    assert zero["adjustment_category"] == "fee_charge"
    assert zero["adjustment_direction"] == "zero" and zero["adjustment_size"] == "minimal"
    assert pd.isna(zero["provider_id"]) and pd.isna(zero["clinic_id"]) and pd.isna(zero["_created_by"])
    assert pd.isna(zero["adjustment_date"]) and pd.isna(zero["_created_at"]) and pd.isna(zero["statement_id"])
    assert not any(zero[f] for f in ("is_discount", "is_courtesy_adjustment", "is_no_charge", "is_provider_discretion"))

    doctor = built.row(adjustment_id=6)
    assert (doctor["adjustment_category"], doctor["adjustment_category_source"]) == ("provider_discount", "name_rule")
    assert doctor["is_provider_discount"] and doctor["is_provider_discretion"] and doctor["is_no_charge"]
    assert doctor["adjustment_impact"] == "moderate"  # exactly 50% is not above 50%
    assert doctor["statement_id"] == 44


def test_int_adjustments_override_wins_for_adjtypes_definitions(build):
    # JSON from --var gives string keys; the override beats the "dr." name rule
    built = build("int_adjustments", RAW, as_of=AS_OF, params={"adjustment_type_overrides": {"306": "family_discount"}})
    doctor = built.row(adjustment_id=6)
    assert (doctor["adjustment_category"], doctor["adjustment_category_source"]) == ("family_discount", "override")
    assert doctor["is_family_discount"] and doctor["is_discount"] and not doctor["is_provider_discount"]
    assert not doctor["is_provider_discretion"]  # only the provider_discount category or the note gives it
    assert built.row(adjustment_id=1)["adjustment_category_source"] == "name_rule"


def test_int_adjustments_rejects_overrides_with_unknown_categories():
    with pytest.raises(ModelDefinitionError, match="unknown categories"):
        _overrides(BuildContext(as_of=AS_OF, params={"adjustment_type_overrides": {"1": "bogus"}}))
    assert _overrides(BuildContext(as_of=AS_OF, params={"adjustment_type_overrides": {"7": "cash_discount"}})) == {
        7: "cash_discount"
    }


def test_int_adjustments_and_fee_siblings_pass_static_check():
    violations = [
        v
        for v in check_project(opendental_project())
        if v.model in ("int_procedure_complete", "int_adjustments", "int_fee_model")
    ]
    assert violations == []


def test_int_adjustments_data_tests_pass_and_flag_a_disagreeing_override(build, target_url):
    params = {"adjustment_type_overrides": {"306": "family_discount"}}
    build("int_adjustments", RAW, as_of=AS_OF, params=params)
    statuses = data_test_statuses(target_url, "int_adjustments", AS_OF, params)
    assert statuses.pop("override_agrees_with_name_rules") == "warn"  # "Dr. Smith Adj" reads as provider_discount
    assert statuses.pop("relationships(patient_id -> int_patient_profile.patient_id)") == "skipped"
    assert statuses.pop("relationships(provider_id -> int_provider_profile.provider_id)") == "skipped"
    assert set(statuses.values()) == {"pass"}, statuses
