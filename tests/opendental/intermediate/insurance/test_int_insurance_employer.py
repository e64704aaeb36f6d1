"""int_insurance_employer (B §4): plans, carriers, subscribers and enrolled patients per employer."""

from __future__ import annotations

import datetime as dt

AS_OF = dt.date(2025, 6, 30)
MODEL = "int_insurance_employer"

RAW = {
    "patient": [
        {"PatNum": 1, "Guarantor": 1},
        {"PatNum": 2, "Guarantor": 1},
        {"PatNum": 3, "Guarantor": 3},
    ],
    "employer": [
        {
            "EmployerNum": 20,
            "EmpName": "Acme Corp",
            "Address": "1 Main St",
            "Address2": "Suite 2",
            "City": "Springfield",
            "State": "IL",
            "Zip": "62701",
            "Phone": "5551234",
        },
        {"EmployerNum": 21, "EmpName": "  acme corp "},  # duplicate spelling, no plans
        {"EmployerNum": 22, "EmpName": "Globex"},
    ],
    "carrier": [{"CarrierNum": 10, "CarrierName": "Delta"}, {"CarrierNum": 11, "CarrierName": "Cigna"}],
    "insplan": [
        {"PlanNum": 100, "CarrierNum": 10, "EmployerNum": 20},
        {"PlanNum": 101, "CarrierNum": 11, "EmployerNum": 20, "IsHidden": 1},
        {"PlanNum": 102, "CarrierNum": 10, "EmployerNum": 20},
        {"PlanNum": 103, "CarrierNum": 10, "EmployerNum": 22},
        {"PlanNum": 104, "CarrierNum": 10, "EmployerNum": 0},  # no employer
        {"PlanNum": 105, "CarrierNum": 10, "EmployerNum": 99},  # employer row missing
    ],
    "inssub": [
        {"InsSubNum": 500, "PlanNum": 100, "Subscriber": 1},
        {"InsSubNum": 501, "PlanNum": 101, "Subscriber": 3, "DateTerm": dt.date(2025, 1, 31)},
        {"InsSubNum": 502, "PlanNum": 104, "Subscriber": 2},
        {"InsSubNum": 503, "PlanNum": 0, "Subscriber": 2},
    ],
    "patplan": [
        {"PatPlanNum": 1000, "PatNum": 1, "InsSubNum": 500, "Ordinal": 1},
        {"PatPlanNum": 1001, "PatNum": 2, "InsSubNum": 500, "Ordinal": 1},
        {"PatPlanNum": 1002, "PatNum": 2, "InsSubNum": 500, "Ordinal": 2, "IsPending": 1},  # same patient again
        {"PatPlanNum": 1003, "PatNum": 3, "InsSubNum": 501, "Ordinal": 1},  # terminated
    ],
}


def test_int_insurance_employer_counts_plans_subscribers_and_patients(build):
    built = build(MODEL, RAW, as_of=AS_OF)
    assert list(built.frame.employer_id) == [20, 21, 22]
    assert list(built.frame.columns)[-1] == "as_of_date"

    acme = built.row(employer_id=20)
    assert (acme["employer_name"], acme["normalized_employer_name"]) == ("Acme Corp", "ACME CORP")
    assert (acme["address"], acme["address2"], acme["city"], acme["state"], acme["zip"], acme["phone"]) == (
        "1 Main St",
        "Suite 2",
        "Springfield",
        "IL",
        "62701",
        "5551234",
    )
    assert (acme["plan_count"], acme["visible_plan_count"], acme["carrier_count"]) == (3, 2, 2)
    assert acme["subscriber_count"] == 2
    assert (acme["enrolled_patient_count"], acme["active_enrolled_patient_count"]) == (3, 2)
    assert acme["has_plans"]

    duplicate = built.row(employer_id=21)
    assert duplicate["normalized_employer_name"] == "ACME CORP"
    for col in (
        "plan_count",
        "visible_plan_count",
        "carrier_count",
        "subscriber_count",
        "enrolled_patient_count",
        "active_enrolled_patient_count",
    ):
        assert duplicate[col] == 0, col
    assert not duplicate["has_plans"]

    globex = built.row(employer_id=22)
    assert (globex["plan_count"], globex["carrier_count"], globex["subscriber_count"]) == (1, 1, 0)
    assert globex["has_plans"] and globex["enrolled_patient_count"] == 0
