"""Tests of ``int_procedure_complete`` (FAC §6) on hand-made OpenDental rows, on both backends."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

AS_OF = dt.date(2025, 6, 30)


def _proc(num: int, code: int, status: int, **overrides) -> dict:
    row = {
        "ProcNum": num,
        "PatNum": 10,
        "ProvNum": 3,
        "CodeNum": code,
        "ProcStatus": status,
        "ProcFee": 100.0,
        "UnitQty": 1,
        "BaseUnits": 0,
    }
    return {**row, **overrides}


RAW = {
    "procedurelog": [
        # completed prophy with two note versions, a category and a priority
        _proc(
            1,
            101,
            2,
            ProcFee=80.0,
            ProcDate=dt.date(2025, 2, 1),
            DateTP=dt.date(2025, 1, 10),
            DateEntryC=dt.date(2025, 2, 1),
            Priority=201,
            ClinicNum=5,
            AptNum=77,
            SecUserNumEntry=9,
            ToothNum="",
            Surf="",
        ),
        # treatment-planned denture whose priority id belongs to another category (counts as not found)
        _proc(2, 102, 1, Priority=202, Discount=10.0, ProcDate=dt.date(2025, 3, 1)),
        # messy completed row: no units, no provider, no note, dated after as_of
        _proc(3, 103, 2, ProvNum=0, UnitQty=0, BaseUnits=0, ProcDate=dt.date(2025, 7, 5)),
        # existing work by another provider with base units; two notes with the same timestamp
        _proc(4, 104, 4, ProcFee=100.5, UnitQty=2, BaseUnits=1),
        # inactive treatment plan without any date
        _proc(5, 105, 8),
        # deleted maxillofacial prosthesis
        _proc(6, 106, 6, ProcDate=dt.date(2025, 1, 1)),
    ],
    "procedurecode": [
        {
            "CodeNum": 101,
            "ProcCode": "D1110",
            "Descript": "Prophylaxis - adult",
            "AbbrDesc": "Pro",
            "ProcCat": 111,
            "TreatArea": 3,
            "IsHygiene": 1,
        },
        {"CodeNum": 102, "ProcCode": " d5110 ", "Descript": "Complete denture", "TreatArea": 6, "IsProsth": 1},
        {"CodeNum": 103, "ProcCode": "00000", "Descript": "Placeholder", "TreatArea": 0},
        {"CodeNum": 104, "ProcCode": "D6010", "Descript": "Implant", "TreatArea": 2},
        {"CodeNum": 105, "ProcCode": "D6240", "Descript": "Pontic", "TreatArea": 9, "IsRadiology": 1},
        {"CodeNum": 106, "ProcCode": "D5950", "Descript": "Maxillofacial", "TreatArea": 7, "NoBillIns": 1},
    ],
    "definition": [
        {"DefNum": 111, "Category": 11, "ItemName": "Cleanings"},
        {"DefNum": 201, "Category": 20, "ItemName": "Urgent"},
        {"DefNum": 202, "Category": 1, "ItemName": "Not a priority"},
    ],
    "procnote": [
        {"ProcNoteNum": 1, "ProcNum": 1, "EntryDateTime": dt.datetime(2025, 2, 1, 10, 0), "Note": "first", "UserNum": 4},
        {
            "ProcNoteNum": 2,
            "ProcNum": 1,
            "EntryDateTime": dt.datetime(2025, 2, 1, 11, 0),
            "Note": "second",
            "UserNum": 7,
            "Signature": "3045022100abc",
        },
        {"ProcNoteNum": 3, "ProcNum": 4, "EntryDateTime": dt.datetime(2025, 3, 1, 9, 0), "Note": "tie low", "Signature": "sig"},
        {
            "ProcNoteNum": 4,
            "ProcNum": 4,
            "EntryDateTime": dt.datetime(2025, 3, 1, 9, 0),
            "Note": "tie high",
            "UserNum": 0,
            "Signature": "   ",
        },
    ],
}


def test_int_procedure_complete_decodes_codes_units_notes_and_flags(build):
    built = build("int_procedure_complete", RAW, as_of=AS_OF)
    assert list(built.frame.procedure_id) == [1, 2, 3, 4, 5, 6]

    prophy = built.row(procedure_id=1)
    assert prophy["procedure_code"] == "D1110"
    assert prophy["cdt_category"] == "Preventive"
    assert prophy["procedure_category_name"] == "Cleanings"
    assert prophy["priority_id"] == 201 and prophy["priority_name"] == "Urgent"
    assert prophy["treatment_area_description"] == "Mouth"
    assert prophy["is_hygiene"] and not prophy["is_prosthetic"]
    assert prophy["procedure_status_description"] == "Complete"
    assert prophy["is_completed"] and not prophy["is_treatment_planned"]
    assert prophy["procedure_fee_total"] == Decimal("80.00")
    assert prophy["note_count"] == 2
    assert prophy["latest_note"] == "second"
    assert prophy["latest_note_user_id"] == 7
    assert prophy["latest_note_at"] == pd.Timestamp("2025-02-01 11:00")
    assert prophy["is_note_signed"]
    assert prophy["days_tp_to_complete"] == 22
    assert prophy["clinic_id"] == 5 and prophy["appointment_id"] == 77
    assert pd.isna(prophy["planned_appointment_id"])
    assert pd.isna(prophy["tooth_number"])  # '' -> NULL
    assert prophy["_created_at"] == pd.Timestamp("2025-02-01")
    assert prophy["_created_by"] == 9
    assert not (prophy["is_zero_fee_completed"] or prophy["is_missing_provider"] or prophy["is_missing_code"])
    assert not (prophy["is_completed_without_note"] or prophy["is_future_dated_completed"])
    assert pd.Timestamp(prophy["as_of_date"]) == pd.Timestamp(AS_OF)

    denture = built.row(procedure_id=2)
    assert denture["cdt_category"] == "Prosthodontics, removable"
    assert denture["priority_id"] == 202 and pd.isna(denture["priority_name"])
    assert denture["is_treatment_planned"] and denture["is_prosthetic"]
    assert denture["procedure_discount"] == Decimal("10.00")
    assert pd.isna(denture["days_tp_to_complete"])
    assert denture["note_count"] == 0 and not denture["is_note_signed"]
    assert pd.isna(denture["latest_note_at"])

    messy = built.row(procedure_id=3)
    assert messy["cdt_category"] == "Non-CDT"
    assert pd.isna(messy["provider_id"]) and messy["is_missing_provider"]
    assert messy["procedure_fee"] == Decimal("100.00") and messy["procedure_fee_total"] == Decimal("0.00")
    assert messy["is_zero_fee_completed"]
    assert messy["is_completed_without_note"]
    assert messy["is_future_dated_completed"]
    assert pd.isna(messy["days_tp_to_complete"])  # no treatment-plan date

    existing = built.row(procedure_id=4)
    assert existing["cdt_category"] == "Implant Services"
    assert existing["procedure_fee_total"] == Decimal("301.50")
    assert existing["is_existing"] and existing["procedure_status_description"] == "Existing Other Provider"
    assert existing["latest_note"] == "tie high"  # same time: the higher ProcNoteNum wins
    assert pd.isna(existing["latest_note_user_id"])
    assert not existing["is_note_signed"]  # blank signature
    assert not existing["is_completed_without_note"]

    inactive = built.row(procedure_id=5)
    assert inactive["procedure_status_description"] == "Treatment Planned Inactive"
    assert inactive["cdt_category"] == "Prosthodontics, fixed"
    assert inactive["treatment_area_description"] == "Unknown"
    assert inactive["is_radiology"]
    assert pd.isna(inactive["procedure_date"])
    assert not any(inactive[f] for f in ("is_completed", "is_treatment_planned", "is_existing", "is_deleted"))

    deleted = built.row(procedure_id=6)
    assert deleted["cdt_category"] == "Maxillofacial Prosthetics"
    assert deleted["is_deleted"] and deleted["no_bill_insurance"]
    assert deleted["treatment_area_description"] == "ToothRange"


def test_int_procedure_complete_covers_every_cdt_section(build):
    codes = ["D0120", "D2391", "D3310", "D4341", "D7140", "D8080", "D9999", "D12", "X1110"]
    raw = {
        "procedurelog": [_proc(i + 1, 500 + i, 1) for i in range(len(codes))],
        "procedurecode": [{"CodeNum": 500 + i, "ProcCode": c} for i, c in enumerate(codes)],
    }
    built = build("int_procedure_complete", raw, as_of=AS_OF)
    assert list(built.frame.cdt_category) == [
        "Diagnostic",
        "Restorative",
        "Endodontics",
        "Periodontics",
        "Oral and Maxillofacial Surgery",
        "Orthodontics",
        "Adjunctive General Services",
        "Non-CDT",
        "Non-CDT",
    ]
