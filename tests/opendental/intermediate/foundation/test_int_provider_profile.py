"""int_provider_profile on hand-made provider rows, on DuckDB and Postgres (FAC §4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from tests.opendental.harness import data_test_statuses

AS_OF = dt.date(2025, 6, 30)
D = dt.date

DEFINITIONS = [
    dict(DefNum=351, Category=35, ItemName="Orthodontics"),
    dict(DefNum=352, Category=35, ItemName="General"),
    dict(DefNum=30, Category=3, ItemName="Quick add: exam"),  # not a specialty
]


def _null(value) -> bool:
    return value is None or bool(pd.isna(value))


def test_int_provider_profile_classifies_roles_and_capabilities(build):
    providers = [
        # active dentist with specialty, licenses, fee schedule and a future term date
        dict(
            ProvNum=1,
            Abbr="DOC1",
            FName="Ann",
            LName="Lee",
            Specialty=351,
            FeeSched=53,
            DEANum=" AB123 ",
            StateLicense="L-1",
            ProvStatus=0,
            DateTerm=D(2026, 1, 1),
            HourlyProdGoalAmt=450.5,
            IsErxEnabled=2,
            ProvColor=-16776961,
            ItemOrder=3,
            AnesthProvType=1,
            Birthdate=D(1980, 5, 5),
        ),
        # hygienist, no specialty, blank licenses, billed under provider 1
        dict(ProvNum=2, Abbr="HYG1", IsSecondary=1, ProvNumBillingOverride=1, DEANum="   ", IsErxEnabled=1),
        # billing entity: active but not a person, specialty id of another category
        dict(ProvNum=3, Abbr="CLINIC", IsNotPerson=1, Specialty=30),
        # terminated on the as-of date
        dict(ProvNum=4, Abbr="OLD", DateTerm=D(2025, 6, 30), SchoolClassNum=0),
        # hidden provider and a deleted one
        dict(ProvNum=5, Abbr="HID", IsHidden=1, IsSecondary=1),
        dict(ProvNum=6, Abbr="DEL", ProvStatus=1, Specialty=352),
    ]
    built = build("int_provider_profile", {"provider": providers, "definition": DEFINITIONS}, as_of=AS_OF)
    frame = built.frame
    assert list(frame.provider_id) == [1, 2, 3, 4, 5, 6]
    assert list(frame.columns)[-1] == "as_of_date"

    doc = built.row(provider_id=1)
    assert doc["provider_role"] == "primary" and doc["provider_abbreviation"] == "DOC1"
    assert doc["specialty_id"] == 351 and doc["specialty_description"] == "Orthodontics"
    assert doc["fee_schedule_id"] == 53 and _null(doc["school_class_id"]) and _null(doc["billing_override_provider_id"])
    assert doc["provider_status_description"] == "Active"
    assert not doc["is_terminated_provider"] and doc["is_active_provider"]  # future term date blocks nothing yet
    assert doc["can_treat_patients"] and doc["can_bill_procedures"]
    assert doc["can_prescribe_controlled_substances"] and doc["has_state_license"]
    assert doc["hourly_production_goal_amount"] == Decimal("450.50") and doc["erx_enabled_status"] == 2
    assert doc["provider_color"] == -16776961 and doc["display_order"] == 3 and doc["anesthesia_provider_type"] == 1
    assert not doc["is_system_provider"]

    hyg = built.row(provider_id=2)
    assert hyg["provider_role"] == "hygienist" and hyg["is_secondary"] and _null(hyg["specialty_id"])
    assert hyg["billing_override_provider_id"] == 1 and hyg["can_treat_patients"] and not hyg["can_bill_procedures"]
    assert not hyg["can_prescribe_controlled_substances"] and not hyg["has_state_license"]
    assert _null(hyg["fee_schedule_id"]) and hyg["erx_enabled_status"] == 1

    clinic = built.row(provider_id=3)
    assert clinic["provider_role"] == "non_person" and clinic["is_non_person_provider"]
    assert clinic["is_active_provider"] and not clinic["can_treat_patients"] and clinic["can_bill_procedures"]
    assert clinic["specialty_id"] == 30 and _null(clinic["specialty_description"])  # wrong category: not found

    old = built.row(provider_id=4)
    assert old["is_terminated_provider"] and not old["is_active_provider"]
    assert not old["can_treat_patients"] and not old["can_bill_procedures"]
    assert pd.Timestamp(old["termination_date"]) == pd.Timestamp("2025-06-30")

    hidden = built.row(provider_id=5)
    assert hidden["provider_role"] == "hygienist" and not hidden["is_active_provider"] and not hidden["can_treat_patients"]

    deleted = built.row(provider_id=6)
    assert deleted["provider_status_description"] == "Deleted" and not deleted["is_active_provider"]
    assert deleted["specialty_description"] == "General"


def test_int_provider_profile_data_tests_pass_on_clean_rows_and_warn_on_bad_specialty(build, target_url):
    providers = [
        dict(ProvNum=1, Abbr="DOC1", Specialty=351),
        dict(ProvNum=2, Abbr="ODD", Specialty=30),  # category 3, not a specialty
    ]
    build("int_provider_profile", {"provider": providers, "definition": DEFINITIONS}, as_of=AS_OF)
    statuses = data_test_statuses(target_url, "int_provider_profile", AS_OF)
    assert statuses["specialty_is_a_specialty_definition"] == "warn"
    assert statuses["specialty_has_description"] == "warn"
    assert statuses["has_an_active_provider"] == "pass"
    assert statuses["relationships(billing_override_provider_id -> int_provider_profile.provider_id)"] == "pass"
    assert not {name for name, status in statuses.items() if status == "fail"}


def test_int_provider_profile_without_active_provider_or_with_unknown_status_fails_the_build(build):
    providers = [
        dict(ProvNum=1, Abbr="GONE", IsHidden=1),
        dict(ProvNum=2, Abbr="DEL", ProvStatus=1),
        dict(ProvNum=3, Abbr="ODD", ProvStatus=3),  # not a ProviderStatus code
    ]
    try:
        build("int_provider_profile", {"provider": providers}, as_of=AS_OF)
    except AssertionError as exc:
        assert "has_an_active_provider" in str(exc) and "accepted_values(provider_status)" in str(exc)
    else:
        raise AssertionError("the build should fail without an active provider")
