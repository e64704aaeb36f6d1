"""int_patient_profile on hand-made patient rows, on DuckDB and Postgres (FAC §3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from tests.opendental.harness import data_test_statuses

AS_OF = dt.date(2025, 6, 30)
D = dt.date
TS = dt.datetime


def _null(value) -> bool:
    return value is None or bool(pd.isna(value))


def test_int_patient_profile_decodes_codes_families_and_ages(build):
    patients = [
        # guarantor, active, married woman, insured ('I'), texts ok; balances on the guarantor
        dict(
            PatNum=1,
            Guarantor=1,
            PatStatus=0,
            Gender=1,
            Position=1,
            Birthdate=D(1990, 7, 1),
            PriProv=5,
            StudentStatus="N",
            TxtMsgOk=1,
            HasIns="I",
            Premed=1,
            PreferConfirmMethod=5,
            PreferContactMethod=8,
            PreferRecallMethod=7,
            EstBalance=12.5,
            BalTotal=100.5,
            Bal_0_30=60.25,
            Bal_31_60=40.25,
            InsEst=30.0,
            BillingCycleDay=15,
            FName="Ann",
            LName="Smith",
            SecDateEntry=D(2020, 1, 2),
            DateTStamp=TS(2025, 5, 1, 8, 30),
            SecUserNumEntry=0,
        ),
        # deleted child of family 1, zero birth date, lower-case padded student code, no insurance
        dict(
            PatNum=2, Guarantor=1, PatStatus=4, Gender=0, Position=2, StudentStatus="f ", TxtMsgOk=2, HasIns="", SecUserNumEntry=7
        ),
        # deceased (status 5), unknown gender and position codes, birthday on the as-of date
        dict(
            PatNum=3,
            Guarantor=1,
            PatStatus=5,
            Gender=9,
            Position=7,
            Birthdate=D(2000, 6, 30),
            StudentStatus="P",
            DateTimeDeceased=TS(2025, 1, 5, 14, 0),
        ),
        # prospective guarantor born after the as-of date, unknown student code, messy HasIns
        dict(PatNum=4, Guarantor=4, PatStatus=6, Birthdate=D(2025, 7, 1), StudentStatus="X", HasIns=" i "),
        # non-patient born on a leap day; deceased date set with an Inactive status
        dict(
            PatNum=5,
            Guarantor=4,
            PatStatus=2,
            Birthdate=D(2000, 2, 29),
            ClinicNum=3,
            FeeSched=0,
            SecProv=6,
            DateTimeDeceased=TS(2024, 12, 1),
        ),
        # deleted patient who is alone in the family: the family has no countable member
        dict(PatNum=6, Guarantor=6, PatStatus=4),
    ]
    built = build("int_patient_profile", {"patient": patients}, as_of=AS_OF)
    frame = built.frame
    assert list(frame.patient_id) == [1, 2, 3, 4, 5, 6]
    assert list(frame.columns)[-1] == "as_of_date"

    g = built.row(patient_id=1)
    assert g["is_guarantor"] and g["guarantor_id"] == 1 and g["family_member_count"] == 2
    assert g["age"] == 34 and g["gender_description"] == "Female" and g["marital_status"] == "Married"
    assert g["patient_status_description"] == "Patient" and g["is_active_patient"] and not g["is_deceased"]
    assert g["student_status_description"] == "Nonstudent"
    assert g["has_text_messaging_consent"] and g["has_insurance_flag"] and g["premedication_required"]
    assert g["preferred_confirmation_method_description"] == "Email"
    assert g["preferred_contact_method_description"] == "TextMessage"
    assert g["preferred_recall_method_description"] == "Mail"
    assert g["primary_provider_id"] == 5 and _null(g["secondary_provider_id"])
    assert _null(g["clinic_id"]) and _null(g["fee_schedule_id"]) and _null(g["_created_by"])
    assert g["estimated_balance"] == Decimal("12.50") and g["total_balance"] == Decimal("100.50")
    assert g["balance_0_30_days"] == Decimal("60.25") and g["balance_31_60_days"] == Decimal("40.25")
    assert g["insurance_estimate"] == Decimal("30.00") and g["balance_over_90_days"] == Decimal("0.00")
    assert g["billing_cycle_day"] == 15 and g["first_name"] == "Ann"
    assert g["_created_at"] == pd.Timestamp("2020-01-02 00:00:00")
    assert g["_updated_at"] == pd.Timestamp("2025-05-01 08:30:00")
    assert pd.Timestamp(g["as_of_date"]) == pd.Timestamp(AS_OF)

    deleted = built.row(patient_id=2)
    assert deleted["patient_status_description"] == "Deleted" and not deleted["is_active_patient"]
    assert deleted["family_member_count"] == 2 and not deleted["is_guarantor"]  # shows its family's size
    assert _null(deleted["birth_date"]) and _null(deleted["age"])
    assert deleted["marital_status"] == "Child" and deleted["gender_description"] == "Male"
    assert deleted["student_status_description"] == "Full-time"
    assert not deleted["has_text_messaging_consent"] and not deleted["has_insurance_flag"]
    assert deleted["preferred_contact_method_description"] == "None" and deleted["_created_by"] == 7

    deceased = built.row(patient_id=3)
    assert deceased["patient_status_description"] == "Deceased" and deceased["is_deceased"]
    assert deceased["gender_description"] == "Unknown" and deceased["marital_status"] == "Unknown"
    assert deceased["age"] == 25 and deceased["student_status_description"] == "Part-time"

    prospect = built.row(patient_id=4)
    assert prospect["patient_status_description"] == "Prospective" and _null(prospect["age"])
    assert prospect["student_status_description"] == "Unknown" and prospect["has_insurance_flag"]
    assert prospect["family_member_count"] == 2 and prospect["is_guarantor"]

    leap = built.row(patient_id=5)
    assert leap["age"] == 25 and leap["is_deceased"] and leap["patient_status_description"] == "Inactive"
    assert leap["clinic_id"] == 3 and leap["secondary_provider_id"] == 6

    alone = built.row(patient_id=6)
    assert alone["family_member_count"] == 0 and alone["is_guarantor"]

    # no patient side rows: counts are 0, lists NULL
    assert (frame.active_insurance_plan_count == 0).all() and (frame.patient_link_count == 0).all()
    assert (frame.document_count == 0).all() and frame.linked_patient_ids.isna().all()


def test_int_patient_profile_aggregates_links_problems_documents_plans_and_notes(build):
    raw = {
        "patient": [dict(PatNum=n, Guarantor=1, PatStatus=0, PriProv=1) for n in (1, 2, 3, 4)],
        "patientlink": [
            dict(PatientLinkNum=1, PatNumFrom=1, PatNumTo=2, LinkType=1, DateTimeLink=TS(2024, 1, 1, 9, 0)),  # merge
            dict(PatientLinkNum=2, PatNumFrom=3, PatNumTo=1, LinkType=2, DateTimeLink=TS(2025, 2, 1, 10, 0)),  # clone
            dict(PatientLinkNum=3, PatNumFrom=99999, PatNumTo=1, LinkType=3, DateTimeLink=TS(2025, 6, 1)),  # PaySimple
            dict(PatientLinkNum=4, PatNumFrom=1, PatNumTo=1, LinkType=0, DateTimeLink=TS(2025, 6, 2)),  # self link
            dict(PatientLinkNum=5, PatNumFrom=10, PatNumTo=1, LinkType=0, DateTimeLink=TS(2023, 5, 5)),  # undefined
            dict(PatientLinkNum=6, PatNumFrom=0, PatNumTo=2, LinkType=1, DateTimeLink=TS(2025, 6, 3)),  # no "from"
        ],
        "disease": [
            dict(DiseaseNum=1, PatNum=1, DiseaseDefNum=10, ProbStatus=0),
            dict(DiseaseNum=2, PatNum=1, DiseaseDefNum=9, ProbStatus=0),
            dict(DiseaseNum=3, PatNum=1, DiseaseDefNum=10, ProbStatus=0),  # same problem twice
            dict(DiseaseNum=4, PatNum=1, DiseaseDefNum=11, ProbStatus=1),  # resolved
            dict(DiseaseNum=5, PatNum=2, DiseaseDefNum=12, ProbStatus=0, DateStop=D(2024, 1, 1)),  # status decides
            dict(DiseaseNum=6, PatNum=2, DiseaseDefNum=99, ProbStatus=0),  # definition missing
            dict(DiseaseNum=7, PatNum=777, DiseaseDefNum=9, ProbStatus=0),  # patient missing
            dict(DiseaseNum=8, PatNum=3, DiseaseDefNum=11, ProbStatus=2),  # inactive
        ],
        "diseasedef": [
            dict(DiseaseDefNum=9, DiseaseName="Asthma"),
            dict(DiseaseDefNum=10, DiseaseName="Diabetes"),
            dict(DiseaseDefNum=11, DiseaseName="Hypertension"),
            dict(DiseaseDefNum=12, DiseaseName="Allergy - Penicillin"),
        ],
        "document": [
            dict(DocNum=1, PatNum=1, DocCategory=50, DateCreated=TS(2024, 3, 1, 10, 0)),
            dict(DocNum=2, PatNum=1, DocCategory=7, DateCreated=TS(2025, 1, 15, 8, 0)),
            dict(DocNum=3, PatNum=1, DocCategory=50, DateCreated=TS(2023, 1, 1)),
            dict(DocNum=4, PatNum=3, DocCategory=0),  # no category, zero date
        ],
        "patplan": [
            dict(PatPlanNum=1, PatNum=1, Ordinal=1),
            dict(PatPlanNum=2, PatNum=1, Ordinal=2),
            dict(PatPlanNum=3, PatNum=2, Ordinal=1),
        ],
        "patientnote": [
            dict(
                PatNum=1,
                ICEName="Jane Doe",
                ICEPhone="555-1234",
                Medical="Penicillin allergy",
                Treatment="",
                Pronoun=2,
                Consent=1,
                SecDateTEntry=TS(2024, 1, 1, 9, 0),
                SecDateTEdit=TS(2025, 2, 2, 11, 0),
            ),
            dict(PatNum=2, Pronoun=0),
        ],
    }
    built = build("int_patient_profile", raw, as_of=AS_OF)

    one = built.row(patient_id=1)
    assert one["patient_link_count"] == 3
    assert one["linked_patient_ids"] == "2,3,10"  # numeric order, PaySimple and self link left out
    assert one["patient_link_types"] == "Clone,Merge,Undefined"
    assert one["latest_patient_link_at"] == pd.Timestamp("2025-02-01 10:00:00")
    assert one["active_disease_count"] == 3 and one["active_disease_ids"] == "9,10"
    assert one["active_disease_names"] == "Asthma; Diabetes"
    assert one["document_count"] == 3 and one["document_category_ids"] == "7,50"
    assert pd.Timestamp(one["latest_document_date"]) == pd.Timestamp("2025-01-15")
    assert one["active_insurance_plan_count"] == 2
    assert one["emergency_contact_name"] == "Jane Doe" and one["emergency_contact_phone"] == "555-1234"
    assert one["medical_notes"] == "Penicillin allergy" and _null(one["treatment_notes"])
    assert one["pronoun"] == 2 and one["pronoun_description"] == "She-Her" and one["consent"] == 1
    assert one["notes_created_at"] == pd.Timestamp("2024-01-01 09:00:00")
    assert one["notes_updated_at"] == pd.Timestamp("2025-02-02 11:00:00")

    two = built.row(patient_id=2)  # the "to" side of a merge sees the link too
    assert two["patient_link_count"] == 1 and two["linked_patient_ids"] == "1" and two["patient_link_types"] == "Merge"
    assert two["latest_patient_link_at"] == pd.Timestamp("2024-01-01 09:00:00")
    assert two["active_disease_count"] == 2 and two["active_disease_ids"] == "12,99"
    assert two["active_disease_names"] == "Allergy - Penicillin"
    assert two["active_insurance_plan_count"] == 1 and two["pronoun_description"] == "None"

    three = built.row(patient_id=3)
    assert three["patient_link_types"] == "Clone" and three["active_disease_count"] == 0
    assert _null(three["active_disease_ids"]) and _null(three["active_disease_names"])
    assert three["document_count"] == 1 and _null(three["document_category_ids"]) and _null(three["latest_document_date"])
    assert _null(three["pronoun"]) and _null(three["pronoun_description"]) and _null(three["emergency_contact_name"])

    four = built.row(patient_id=4)
    assert four["patient_link_count"] == 0 and _null(four["linked_patient_ids"]) and _null(four["patient_link_types"])
    assert _null(four["latest_patient_link_at"]) and four["document_count"] == 0
    assert four["active_insurance_plan_count"] == 0


def test_int_patient_profile_data_tests_flag_broken_families_and_misplaced_balances(build, target_url):
    patients = [
        dict(PatNum=1, Guarantor=1, PatStatus=0, PriProv=1, BillingCycleDay=1),  # healthy guarantor
        dict(PatNum=2, Guarantor=3, PatStatus=0, BalTotal=25.0, BillingCycleDay=0),  # guarantor 3 is not its own head
        dict(PatNum=3, Guarantor=1, PatStatus=0, Birthdate=D(1880, 1, 1), PriProv=1),  # 145 years old
        dict(PatNum=4, Guarantor=1, PatStatus=2, Birthdate=D(2026, 1, 1), PriProv=1),  # born after as-of
    ]
    build("int_patient_profile", {"patient": patients, "disease": [dict(DiseaseNum=1, PatNum=1, ProbStatus=0)]}, as_of=AS_OF)
    statuses = data_test_statuses(target_url, "int_patient_profile", AS_OF)
    assert statuses["guarantors_head_their_family"] == "warn"
    assert statuses["family_sizes_add_up"] == "warn"
    assert statuses["family_balance_only_on_guarantors"] == "warn"
    assert statuses["active_patients_have_primary_provider"] == "warn"
    assert statuses["accepted_range(age, 0..130)"] == "warn"
    assert statuses["birth_date_not_after_as_of"] == "warn"
    assert statuses["accepted_range(billing_cycle_day, 1..31)"] == "warn"
    assert statuses["active_diseases_tie_out"] == "pass" and statuses["documents_tie_out"] == "pass"
    assert statuses["accepted_values(marital_status) [Unknown]"] == "pass"
    failing = {name for name, status in statuses.items() if status == "fail"}
    assert not failing
