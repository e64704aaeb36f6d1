"""int_insurance_coverage (B §3): enrollment chain, status as of the build date, verification, benefit slots."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

AS_OF = dt.date(2025, 6, 30)
MODEL = "int_insurance_coverage"


def _benefit(num: int, **overrides) -> dict:
    row = {"BenefitNum": num, "PlanNum": 100, "Percent": -1, "MonetaryAmt": -1.0}
    return {**row, **overrides}


RAW = {
    "patient": [
        {"PatNum": 1, "Guarantor": 1, "LName": "Head"},
        {"PatNum": 2, "Guarantor": 1, "LName": "Spouse"},
        {"PatNum": 3, "Guarantor": 3, "LName": "Other"},
    ],
    "carrier": [
        {"CarrierNum": 10, "CarrierName": "Delta Dental", "ElectID": "DDCA1"},
        {"CarrierNum": 11, "CarrierName": "Cigna"},
    ],
    "employer": [{"EmployerNum": 20, "EmpName": "Acme Corp", "City": "Springfield", "State": "IL"}],
    "insplan": [
        {
            "PlanNum": 100,
            "CarrierNum": 10,
            "EmployerNum": 20,
            "PlanType": "p",
            "FeeSched": 5,
            "GroupName": "ACME PPO",
            "GroupNum": "G1",
            "MonthRenew": 7,
            "SecDateTEdit": dt.datetime(2024, 12, 1, 9, 0),
        },
        # category percentage ('' in OpenDental), no employer
        {"PlanNum": 101, "CarrierNum": 10, "PlanType": "", "IsMedical": 1, "IsHidden": 1},
        # capitation stored upper-case; its carrier row is missing
        {"PlanNum": 102, "CarrierNum": 99, "PlanType": "C"},
    ],
    "inssub": [
        {
            "InsSubNum": 500,
            "PlanNum": 100,
            "Subscriber": 1,
            "DateEffective": dt.date(2024, 1, 1),
            "AssignBen": 1,
            "SecDateTEdit": dt.datetime(2025, 2, 1, 8, 30),
        },
        {"InsSubNum": 501, "PlanNum": 101, "Subscriber": 2, "DateEffective": dt.date(2025, 7, 15)},
        {"InsSubNum": 502, "PlanNum": 100, "Subscriber": 3, "DateTerm": dt.date(2025, 6, 29)},
        {"InsSubNum": 503, "PlanNum": 100, "Subscriber": 1, "DateTerm": dt.date(2025, 6, 30)},
        {"InsSubNum": 504, "PlanNum": 102, "Subscriber": 1},
    ],
    "patplan": [
        {
            "PatPlanNum": 1000,
            "PatNum": 1,
            "InsSubNum": 500,
            "Ordinal": 1,
            "Relationship": 0,
            "SecDateTEntry": dt.datetime(2024, 1, 2, 10, 0),
            "SecDateTEdit": dt.datetime(2025, 1, 1, 10, 0),
        },
        {"PatPlanNum": 1001, "PatNum": 2, "InsSubNum": 500, "Ordinal": 1, "Relationship": 1, "IsPending": 1},
        {"PatPlanNum": 1002, "PatNum": 2, "InsSubNum": 501, "Ordinal": 2, "Relationship": 0},
        {"PatPlanNum": 1003, "PatNum": 3, "InsSubNum": 502, "Ordinal": 1, "Relationship": 0},
        {"PatPlanNum": 1004, "PatNum": 3, "InsSubNum": 503, "Ordinal": 2, "Relationship": 2},
        # messy: no subscriber link at all
        {"PatPlanNum": 1005, "PatNum": 3, "InsSubNum": 0, "Ordinal": 3, "Relationship": 7},
        # plan whose carrier is missing
        {"PatPlanNum": 1006, "PatNum": 1, "InsSubNum": 504, "Ordinal": 4, "Relationship": 8},
    ],
    "definition": [
        {"DefNum": 70, "Category": 38, "ItemName": "Verified"},
        {"DefNum": 71, "Category": 36, "ItemName": "Not a verification status"},
    ],
    "insverify": [
        {"InsVerifyNum": 1, "VerifyType": 2, "FKey": 1000, "DateLastVerified": dt.date(2025, 6, 1), "DefNum": 70},
        {"InsVerifyNum": 2, "VerifyType": 2, "FKey": 1000, "DateLastVerified": dt.date(2025, 5, 1), "DefNum": 71},
        {"InsVerifyNum": 3, "VerifyType": 2, "FKey": 1000},  # never verified: ranks last
        {"InsVerifyNum": 4, "VerifyType": 1, "FKey": 100, "DateLastVerified": dt.date(2025, 3, 1)},
        # plan-benefit verification whose FKey equals a PatPlanNum: must not verify enrollment 1002
        {"InsVerifyNum": 5, "VerifyType": 1, "FKey": 1002, "DateLastVerified": dt.date(2025, 4, 1)},
        {"InsVerifyNum": 6, "VerifyType": 2, "FKey": 1003, "DateLastVerified": dt.date(2025, 1, 1), "DefNum": 71},
    ],
    # CovCatNums deliberately differ from the X12 categories: slots go through EbenefitCat
    "covcat": [
        {"CovCatNum": 31, "Description": "Diagnostic", "EbenefitCat": 2},
        {"CovCatNum": 32, "Description": "Restorative", "EbenefitCat": 4},
        {"CovCatNum": 33, "Description": "Orthodontics", "EbenefitCat": 9},
        {"CovCatNum": 34, "Description": "General", "EbenefitCat": 1},
    ],
    "benefit": [
        _benefit(1, BenefitType=5, TimePeriod=2, CoverageLevel=1, MonetaryAmt=1500.0),  # annual max, individual
        _benefit(2, BenefitType=5, CovCatNum=34, TimePeriod=1, CoverageLevel=2, MonetaryAmt=3000.0),  # family
        _benefit(3, BenefitType=2, TimePeriod=2, CoverageLevel=1, MonetaryAmt=50.0),  # deductible, individual
        _benefit(4, BenefitType=2, TimePeriod=2, CoverageLevel=1, MonetaryAmt=75.0, CodeNum=9),  # code-specific
        _benefit(5, BenefitType=5, CovCatNum=33, TimePeriod=3, CoverageLevel=0, MonetaryAmt=1000.0),  # ortho max
        _benefit(6, BenefitType=1, CovCatNum=31, Percent=100),
        _benefit(7, BenefitType=1, CovCatNum=32, Percent=80),
        _benefit(8, PlanNum=0, PatPlanNum=1000, BenefitType=1, CovCatNum=32, Percent=50),  # override
        _benefit(9, BenefitType=1, CovCatNum=32, Percent=70),  # higher BenefitNum wins among plan rows
        _benefit(10, BenefitType=2, TimePeriod=2, CoverageLevel=2, MonetaryAmt=-1.0),  # blank amount: no slot
    ],
}


def _null(value) -> bool:
    return value is None or pd.isna(value)


def _assert_resolves_enrollment_chain_and_status(built) -> None:
    frame = built.frame
    assert list(frame.patient_plan_id) == [1000, 1001, 1002, 1003, 1004, 1005, 1006]
    assert list(frame.columns)[-1] == "as_of_date"

    head = built.row(patient_plan_id=1000)
    assert head["insurance_subscriber_id"] == 500
    assert head["subscriber_patient_id"] == 1 and head["is_subscriber_self"]
    assert head["insurance_plan_id"] == 100  # the real PlanNum, not the PatPlanNum
    assert (head["carrier_id"], head["employer_id"], head["fee_schedule_id"]) == (10, 20, 5)
    assert (head["carrier_name"], head["carrier_electronic_id"]) == ("Delta Dental", "DDCA1")
    assert (head["group_name"], head["group_number"]) == ("ACME PPO", "G1")
    assert (head["plan_type"], head["plan_type_code"]) == ("ppo_percentage", "p")
    assert (head["employer_name"], head["employer_city"], head["employer_state"]) == ("Acme Corp", "Springfield", "IL")
    assert head["benefit_renewal_month"] == 7
    assert head["coverage_priority"] == "primary" and head["patient_relationship"] == "self"
    assert head["is_assign_benefits"] and head["coverage_status"] == "active" and head["is_active"]
    assert head["effective_date"] == pd.Timestamp(2024, 1, 1) and _null(head["termination_date"])
    assert not head["is_incomplete_record"]
    assert head["_created_at"] == pd.Timestamp(2024, 1, 2, 10, 0)
    assert head["_updated_at"] == pd.Timestamp(2025, 2, 1, 8, 30)  # inssub edit is the latest

    spouse = built.row(patient_plan_id=1001)
    assert spouse["coverage_status"] == "pending" and not spouse["is_active"] and spouse["is_pending"]
    assert spouse["patient_relationship"] == "spouse" and not spouse["is_subscriber_self"]

    future = built.row(patient_plan_id=1002)
    assert future["coverage_status"] == "not_yet_effective" and future["coverage_priority"] == "secondary"
    assert (future["plan_type"], future["plan_type_code"]) == ("category_percentage", "")
    assert future["is_medical"] and future["is_plan_hidden"] and _null(future["employer_id"])

    assert built.row(patient_plan_id=1003)["coverage_status"] == "terminated"
    inclusive = built.row(patient_plan_id=1004)
    assert inclusive["coverage_status"] == "active"  # DateTerm = as_of_date is the last covered day
    assert inclusive["patient_relationship"] == "child"

    unlinked = built.row(patient_plan_id=1005)
    assert unlinked["is_incomplete_record"] and unlinked["coverage_priority"] == "tertiary"
    for col in (
        "insurance_subscriber_id",
        "subscriber_patient_id",
        "insurance_plan_id",
        "carrier_id",
        "plan_type",
        "plan_type_code",
        "carrier_name",
    ):
        assert _null(unlinked[col]), col
    assert not unlinked["is_subscriber_self"] and unlinked["patient_relationship"] == "life_partner"

    no_carrier = built.row(patient_plan_id=1006)
    assert no_carrier["is_incomplete_record"] and no_carrier["coverage_priority"] == "other"
    assert no_carrier["insurance_plan_id"] == 102 and _null(no_carrier["carrier_id"])
    assert no_carrier["plan_type"] == "capitation" and no_carrier["plan_type_code"] == "c"
    assert no_carrier["patient_relationship"] == "dependent"


def _assert_verification_uses_type_and_key(built) -> None:
    head = built.row(patient_plan_id=1000)
    assert head["verification_date"] == pd.Timestamp(2025, 6, 1)  # latest of three, the undated one last
    assert head["verification_status"] == "Verified"
    assert head["is_verified"] and head["days_since_verification"] == 29
    assert head["benefits_verification_date"] == pd.Timestamp(2025, 3, 1)

    future = built.row(patient_plan_id=1002)  # type-1 row with FKey 1002 is a PlanNum, not this enrollment
    assert _null(future["verification_date"]) and not future["is_verified"]
    assert _null(future["days_since_verification"]) and _null(future["benefits_verification_date"])

    wrong_category = built.row(patient_plan_id=1003)
    assert wrong_category["verification_date"] == pd.Timestamp(2025, 1, 1)
    assert _null(wrong_category["verification_status"])  # DefNum 71 is category 36, not 38


def _assert_fills_benefit_slots(built) -> None:
    head = built.row(patient_plan_id=1000)
    assert head["annual_max_individual"] == Decimal("1500.00")
    assert head["annual_max_family"] == Decimal("3000.00")
    assert head["deductible_individual"] == Decimal("50.00")
    assert _null(head["deductible_family"])  # its only candidate has a blank (-1) amount
    assert head["ortho_lifetime_max"] == Decimal("1000.00")
    assert head["coinsurance_diagnostic_pct"] == 100
    assert head["coinsurance_restorative_pct"] == 50  # the patient override beats plan rows
    assert _null(head["coinsurance_preventive_pct"])
    assert head["benefit_count"] == 10 and head["has_patient_benefit_overrides"]

    spouse = built.row(patient_plan_id=1001)  # same plan, no override
    assert spouse["coinsurance_restorative_pct"] == 70 and spouse["annual_max_individual"] == Decimal("1500.00")
    assert spouse["benefit_count"] == 9 and not spouse["has_patient_benefit_overrides"]

    other_plan = built.row(patient_plan_id=1002)
    assert other_plan["benefit_count"] == 0 and not other_plan["has_patient_benefit_overrides"]
    assert _null(other_plan["annual_max_individual"]) and _null(other_plan["coinsurance_restorative_pct"])


def test_int_insurance_coverage_chain_status_verification_and_benefits(build):
    built = build(MODEL, RAW, as_of=AS_OF)
    _assert_resolves_enrollment_chain_and_status(built)
    _assert_verification_uses_type_and_key(built)
    _assert_fills_benefit_slots(built)


def test_int_insurance_coverage_plan_type_codes_decode_case_insensitively():
    import ibis

    from ibis_models.opendental.intermediate.insurance._common import plan_type_code, plan_type_description

    raw = ibis.memtable({"plan_type": ["", None, " P ", "ppo", "f", "C", "x"]}, schema={"plan_type": "string"})
    frame = raw.select(code=plan_type_code(raw.plan_type), label=plan_type_description(raw.plan_type)).to_pandas()
    assert list(frame.code) == ["", "", "p", "p", "f", "c", "x"]
    assert list(frame.label) == [
        "category_percentage",
        "category_percentage",
        "ppo_percentage",
        "ppo_percentage",
        "flat_copay",
        "capitation",
        "unknown",
    ]
