"""``int_procedure_complete``: every procedure-log row with its code, charge, current note and quality flags."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ibis_models import (
    accepted_values,
    custom,
    equal_row_count,
    expression_is_true,
    model,
    not_null,
    relationships,
)
from ibis_models.framework.context import BuildContext
from ibis_models.opendental.expressions import days_between, definitions_of

__all__ = ["int_procedure_complete"]

# ProcStat (FAC §2.1). 8 is an inactive treatment plan, not "in progress" (FAC §6.7 item 1).
_PROCEDURE_STATUS = (
    (1, "Treatment Planned"),
    (2, "Complete"),
    (3, "Existing Current Provider"),
    (4, "Existing Other Provider"),
    (5, "Referred Out"),
    (6, "Deleted"),
    (7, "Condition"),
    (8, "Treatment Planned Inactive"),
)
_TREATMENT_AREA = (
    (0, "None"),
    (1, "Surface"),
    (2, "Tooth"),
    (3, "Mouth"),
    (4, "Quadrant"),
    (5, "Sextant"),
    (6, "Arch"),
    (7, "ToothRange"),
)
_CATEGORY_PROC_CODE_CATS = 11
_CATEGORY_TX_PRIORITIES = 20

_STATUS_FLAGS = {
    "is_completed": (2,),
    "is_treatment_planned": (1,),
    "is_existing": (3, 4),
    "is_referred_out": (5,),
    "is_deleted": (6,),
    "is_condition": (7,),
}


def _cdt_category(code: ir.StringValue) -> ir.StringValue:
    """ADA CDT section of a procedure code (FAC §6.5 rule 4); practice-defined codes are Non-CDT."""
    c = code.strip().upper()
    n = c.substr(1, 4).try_cast("int64")
    section = ibis.cases(
        (n < 1000, "Diagnostic"),
        (n < 2000, "Preventive"),
        (n < 3000, "Restorative"),
        (n < 4000, "Endodontics"),
        (n < 5000, "Periodontics"),
        (n < 5900, "Prosthodontics, removable"),
        (n < 6000, "Maxillofacial Prosthetics"),
        (n < 6200, "Implant Services"),
        (n < 7000, "Prosthodontics, fixed"),
        (n < 8000, "Oral and Maxillofacial Surgery"),
        (n < 9000, "Orthodontics"),
        else_="Adjunctive General Services",
    )
    return ibis.ifelse(c.re_search("^D[0-9]{4}").fill_null(False), section, "Non-CDT")


def _latest_notes(procnote: ir.Table) -> ir.Table:
    """One row per procedure: version count and the latest note version (FAC §6.5 rule 7)."""
    notes = procnote.filter(procnote.procedure_id.notnull())
    ranked = notes.mutate(
        _rank=ibis.row_number().over(
            group_by=notes.procedure_id,
            order_by=[notes.entry_timestamp.desc(nulls_first=False), notes.procnote_id.desc()],
        ),
        _versions=notes.count().over(group_by=notes.procedure_id),
    )
    latest = ranked.filter(ranked._rank == 0)
    return latest.select(
        note_procedure_id=latest.procedure_id,
        note_count=latest._versions,
        latest_note=latest.note,
        latest_note_at=latest.entry_timestamp,
        latest_note_user_id=latest.user_id.nullif(0),
        # Staging hashes the signature blob; a present hash means a signature was saved.
        is_note_signed=latest.signature.strip().nullif("").notnull(),
    )


def _fee_total_mismatch(t: ir.Table, stg_opendental__procedurelog: ir.Table) -> ir.Table:
    """Completed charges summed here differ from the same product over staging (FAC §6.6)."""
    src = stg_opendental__procedurelog.filter(stg_opendental__procedurelog.procedure_status == 2)
    units = src.unit_quantity.fill_null(0) + src.base_units.fill_null(0)
    expected = (src.procedure_fee * units).sum().cast("decimal(18,2)").fill_null(0)
    done = t.filter(t.is_completed)
    actual = done.procedure_fee_total.sum().cast("decimal(18,2)").fill_null(0)
    totals = ibis.memtable({"_one": [1]}).mutate(actual=actual.as_scalar(), expected=expected.as_scalar())
    return totals.filter(totals.actual != totals.expected)


@model(
    system="A",
    grain="one row per procedure-log row (procedurelog.ProcNum), every status",
    key=["procedure_id"],
    columns={
        "procedure_id": ("bigint", "ProcNum"),
        "patient_id": ("bigint", "PatNum"),
        "provider_id": ("bigint", "Performing/assigned provider; NULL when 0"),
        "clinic_id": ("bigint", "ClinicNum; NULL when 0"),
        "appointment_id": ("bigint", "Scheduled appointment; NULL when 0"),
        "planned_appointment_id": ("bigint", "Planned appointment; NULL when 0"),
        "procedure_code_id": ("bigint", "CodeNum"),
        "procedure_code": ("string", "ProcCode (e.g. D1110)"),
        "procedure_description": ("string", "procedurecode Descript"),
        "abbreviated_description": ("string", "procedurecode AbbrDesc"),
        "procedure_category_id": ("bigint", "ProcCat definition id (category 11); NULL when 0"),
        "procedure_category_name": ("string", "Item name of the category-11 definition"),
        "cdt_category": ("string", "ADA CDT section derived from the code, or Non-CDT (FAC §6.5 rule 4)"),
        "treatment_area": ("bigint", "TreatmentArea code"),
        "treatment_area_description": (
            "string",
            "None / Surface / Tooth / Mouth / Quadrant / Sextant / Arch / ToothRange / Unknown",
        ),
        "is_hygiene": ("boolean", "Code is a hygiene procedure"),
        "is_prosthetic": ("boolean", "Code is a prosthesis"),
        "is_radiology": ("boolean", "Code is radiology"),
        "no_bill_insurance": ("boolean", "Code is normally not billed to insurance"),
        "tooth_number": ("string", "ToothNum"),
        "surface": ("string", "Surf"),
        "procedure_date": ("date", "ProcDate (date of service for completed work)"),
        "date_complete": ("date", "DateComplete (first time set complete)"),
        "date_entry": ("date", "DateEntryC"),
        "date_treatment_plan": ("date", "DateTP (first treatment-planned)"),
        "procedure_status": ("bigint", "ProcStat code"),
        "procedure_status_description": ("string", "ProcStat label (FAC §2.1), Unknown otherwise"),
        "is_completed": ("boolean", "procedure_status = 2"),
        "is_treatment_planned": ("boolean", "procedure_status = 1"),
        "is_existing": ("boolean", "procedure_status in (3, 4)"),
        "is_referred_out": ("boolean", "procedure_status = 5"),
        "is_deleted": ("boolean", "procedure_status = 6"),
        "is_condition": ("boolean", "procedure_status = 7"),
        "procedure_fee": ("decimal(10,2)", "ProcFee, the fee per unit"),
        "unit_quantity": ("bigint", "UnitQty"),
        "base_units": ("bigint", "BaseUnits"),
        "procedure_fee_total": (
            "decimal(10,2)",
            "procedure_fee x (unit_quantity + base_units), NULL units as 0: the charge when completed",
        ),
        "procedure_discount": (
            "decimal(10,2)",
            "Discount; only meaningful while treatment-planned (use int_adjustments for completed work)",
        ),
        "priority_id": ("bigint", "Treatment-plan priority definition id (category 20); NULL when 0"),
        "priority_name": ("string", "Item name of the category-20 definition"),
        "ordering_referral_id": ("bigint", "OrderingReferralNum; NULL when 0"),
        "is_locked": ("boolean", "IsLocked"),
        "note_count": ("bigint", "Number of saved versions of the procedure note"),
        "latest_note": ("string", "Text of the current (latest) note version"),
        "latest_note_at": ("timestamp", "Time of the latest version"),
        "latest_note_user_id": ("bigint", "Author of the latest version; NULL when 0"),
        "is_note_signed": ("boolean", "The latest version carries a signature"),
        "days_tp_to_complete": ("bigint", "Completed procedures: procedure_date - date_treatment_plan in days"),
        "is_zero_fee_completed": ("boolean", "Completed and procedure_fee_total = 0"),
        "is_missing_code": ("boolean", "procedure_code_id not found in procedurecode"),
        "is_missing_provider": ("boolean", "provider_id is NULL"),
        "is_completed_without_note": ("boolean", "Completed and note_count = 0"),
        "is_future_dated_completed": ("boolean", "Completed and procedure_date > as_of_date"),
        "_created_at": ("timestamp", "DateEntryC at midnight"),
        "_updated_at": ("timestamp", "DateTStamp"),
        "_created_by": ("bigint", "SecUserNumEntry; NULL when 0"),
        "as_of_date": ("date", "ctx.as_of"),
    },
    tests=[
        equal_row_count("stg_opendental__procedurelog"),
        not_null("patient_id", "procedure_code_id"),
        relationships("patient_id", to="int_patient_profile.patient_id"),
        relationships("procedure_code_id", to="stg_opendental__procedurecode.procedure_code_id"),
        expression_is_true("code_found", lambda t: ~t.is_missing_code),
        relationships("provider_id", to="int_provider_profile.provider_id"),
        accepted_values("procedure_status", range(1, 9)),
        expression_is_true("status_described", lambda t: t.procedure_status_description != "Unknown"),
        accepted_values("treatment_area", range(8), severity="warn"),
        not_null("procedure_date", where=lambda t: t.procedure_status == 2, label="completed"),
        expression_is_true("fee_non_negative", lambda t: t.procedure_fee >= 0, severity="warn"),
        expression_is_true(
            "fee_total_is_fee_times_units",
            lambda t: (
                t.procedure_fee_total
                == (t.procedure_fee * (t.unit_quantity.fill_null(0) + t.base_units.fill_null(0))).cast("decimal(10,2)")
            ),
        ),
        expression_is_true(
            "status_flags_agree",
            lambda t: ibis.and_(
                *((t[flag] == t.procedure_status.isin(codes).fill_null(False)) for flag, codes in _STATUS_FLAGS.items())
            ),
        ),
        expression_is_true("note_count_non_negative", lambda t: t.note_count >= 0),
        expression_is_true("latest_note_at_iff_notes", lambda t: t.latest_note_at.notnull() == (t.note_count > 0)),
        expression_is_true("no_zero_fee_completed", lambda t: ~t.is_zero_fee_completed, severity="warn"),
        expression_is_true("completed_has_provider", lambda t: ~(t.is_completed & t.is_missing_provider), severity="warn"),
        expression_is_true("completed_has_note", lambda t: ~t.is_completed_without_note, severity="warn"),
        expression_is_true("completed_not_future_dated", lambda t: ~t.is_future_dated_completed, severity="warn"),
        custom("completed_fee_total_reconciles", _fee_total_mismatch),
    ],
)
def int_procedure_complete(
    stg_opendental__procedurelog: ir.Table,
    stg_opendental__procedurecode: ir.Table,
    stg_opendental__procnote: ir.Table,
    stg_opendental__definition: ir.Table,
    ctx: BuildContext,
) -> ir.Table:
    """Every procedure (all statuses) with code attributes, unit-adjusted charge, current note and flags.

    "Complete" means a complete record, not ProcStatus 2: filter on ``is_completed`` (FAC §6.1).

    - The charge is ProcFee x (UnitQty + BaseUnits), as OpenDental's account and aging do; units that
      sum to 0 charge 0 (FAC §6.5 rule 5).
    - Discount is only meaningful while treatment-planned: OpenDental turns it into an adjustment on
      completion (FAC §6.5 rule 6).
    - OpenDental never edits a procedure note; the latest procnote row (by time, then ProcNoteNum) is
      the current note (FAC §6.5 rule 7).
    - Category and priority names are looked up in definition categories 11 and 20 only (FAC §2.2).
    """
    proc = stg_opendental__procedurelog
    code = stg_opendental__procedurecode.select(
        code_procedure_code_id=stg_opendental__procedurecode.procedure_code_id,
        procedure_code=stg_opendental__procedurecode.procedure_code,
        procedure_description=stg_opendental__procedurecode.description,
        abbreviated_description=stg_opendental__procedurecode.abbreviated_description,
        procedure_category_id=stg_opendental__procedurecode.procedure_category_id.nullif(0),
        treatment_area=stg_opendental__procedurecode.treatment_area,
        code_is_hygiene=stg_opendental__procedurecode.is_hygiene,
        code_is_prosthetic=stg_opendental__procedurecode.is_prosthetic,
        code_is_radiology=stg_opendental__procedurecode.is_radiology,
        code_no_bill_insurance=stg_opendental__procedurecode.no_bill_insurance,
    )
    categories = definitions_of(stg_opendental__definition, _CATEGORY_PROC_CODE_CATS, "category")
    priorities = definitions_of(stg_opendental__definition, _CATEGORY_TX_PRIORITIES, "priority")
    notes = _latest_notes(stg_opendental__procnote)

    base = proc.mutate(priority_id=proc.priority.nullif(0))
    j = base.left_join(code, base.procedure_code_id == code.code_procedure_code_id)
    j = j.left_join(categories, j.procedure_category_id == categories.category_definition_id)
    j = j.left_join(priorities, j.priority_id == priorities.priority_definition_id)
    j = j.left_join(notes, j.procedure_id == notes.note_procedure_id)

    status = j.procedure_status
    is_completed = (status == 2).fill_null(False)
    fee_total = (j.procedure_fee * (j.unit_quantity.fill_null(0) + j.base_units.fill_null(0))).cast("decimal(10,2)")
    note_count = j.note_count.fill_null(0)
    provider_id = j.provider_id.nullif(0)
    flags = {flag: status.isin(codes).fill_null(False) for flag, codes in _STATUS_FLAGS.items()}
    both_dates = j.procedure_date.notnull() & j.date_treatment_plan.notnull()

    return j.select(
        procedure_id=j.procedure_id,
        patient_id=j.patient_id,
        provider_id=provider_id,
        clinic_id=j.clinic_id.nullif(0),
        appointment_id=j.appointment_id.nullif(0),
        planned_appointment_id=j.planned_appointment_id.nullif(0),
        procedure_code_id=j.procedure_code_id,
        procedure_code=j.procedure_code,
        procedure_description=j.procedure_description,
        abbreviated_description=j.abbreviated_description,
        procedure_category_id=j.procedure_category_id,
        procedure_category_name=j.category_name,
        cdt_category=_cdt_category(j.procedure_code),
        treatment_area=j.treatment_area,
        treatment_area_description=j.treatment_area.cases(*_TREATMENT_AREA, else_="Unknown"),
        is_hygiene=j.code_is_hygiene.fill_null(False),
        is_prosthetic=j.code_is_prosthetic.fill_null(False),
        is_radiology=j.code_is_radiology.fill_null(False),
        no_bill_insurance=j.code_no_bill_insurance.fill_null(False),
        tooth_number=j.tooth_number,
        surface=j.surface,
        procedure_date=j.procedure_date,
        date_complete=j.date_complete,
        date_entry=j.date_entry,
        date_treatment_plan=j.date_treatment_plan,
        procedure_status=status,
        procedure_status_description=status.cases(*_PROCEDURE_STATUS, else_="Unknown"),
        **flags,
        procedure_fee=j.procedure_fee,
        unit_quantity=j.unit_quantity,
        base_units=j.base_units,
        procedure_fee_total=fee_total,
        procedure_discount=j.discount,
        priority_id=j.priority_id,
        priority_name=j.priority_name,
        ordering_referral_id=j.ordering_referral_id.nullif(0),
        is_locked=j.is_locked.fill_null(False),
        note_count=note_count,
        latest_note=j.latest_note,
        latest_note_at=j.latest_note_at,
        latest_note_user_id=j.latest_note_user_id,
        is_note_signed=j.is_note_signed.fill_null(False),
        days_tp_to_complete=ibis.ifelse(
            is_completed & both_dates,
            days_between(j.procedure_date, j.date_treatment_plan),
            ibis.null("int64"),
        ),
        is_zero_fee_completed=is_completed & (fee_total == 0).fill_null(False),
        is_missing_code=j.code_procedure_code_id.isnull(),
        is_missing_provider=provider_id.isnull(),
        is_completed_without_note=is_completed & (note_count == 0),
        is_future_dated_completed=is_completed & (j.procedure_date > ctx.as_of).fill_null(False),
        _created_at=j.date_entry.cast("timestamp"),
        _updated_at=j._updated_at,
        _created_by=j.sec_user_entry_id.nullif(0),
        as_of_date=ibis.literal(ctx.as_of, type="date"),
    )
