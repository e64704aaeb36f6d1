"""int_patient_profile: who each patient is, one row per patient of every status (FAC §3)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ibis_models import (
    accepted_range,
    accepted_values,
    custom,
    equal_row_count,
    expression_is_true,
    model,
    not_null,
    relationships,
)
from ibis_models.framework.context import BuildContext
from ibis_models.opendental.expressions import completed_years, decode, sorted_list, zero_to_null

__all__ = ["int_patient_profile"]

# OpenDental enumerations, FAC §2.1.
PATIENT_STATUS = {0: "Patient", 1: "NonPatient", 2: "Inactive", 3: "Archived", 4: "Deleted", 5: "Deceased", 6: "Prospective"}
GENDER = {0: "Male", 1: "Female", 2: "Unknown", 3: "Other"}
MARITAL_STATUS = {0: "Single", 1: "Married", 2: "Child", 3: "Widowed", 4: "Divorced"}
CONTACT_METHOD = {
    0: "None",
    1: "DoNotCall",
    2: "HmPhone",
    3: "WkPhone",
    4: "WirelessPh",
    5: "Email",
    6: "SeeNotes",
    7: "Mail",
    8: "TextMessage",
}
PRONOUN = {0: "None", 1: "He-Him", 2: "She-Her", 3: "They-Them"}
PATIENT_LINK_TYPE = {0: "Undefined", 1: "Merge", 2: "Clone"}
_DELETED = 4
_DECEASED = 5
_PROBLEM_ACTIVE = 0

_FLAGS = (
    "is_guarantor",
    "is_active_patient",
    "is_deceased",
    "has_text_messaging_consent",
    "premedication_required",
    "has_insurance_flag",
)


def _active_problems_of_existing_patients(stg_opendental__disease: ir.Table, stg_opendental__patient: ir.Table) -> ir.Table:
    d = stg_opendental__disease
    active = d.filter(d.problem_status == _PROBLEM_ACTIVE)
    return active.semi_join(stg_opendental__patient, active.patient_id == stg_opendental__patient.patient_id)


def _disease_tie_out(t: ir.Table, stg_opendental__disease: ir.Table, stg_opendental__patient: ir.Table) -> ir.Table:
    expected = _active_problems_of_existing_patients(stg_opendental__disease, stg_opendental__patient).count()
    totals = t.aggregate(model_total=t.active_disease_count.sum().fill_null(0), expected=expected.as_scalar())
    return totals.filter(totals.model_total != totals.expected)


def _document_tie_out(t: ir.Table, stg_opendental__document: ir.Table, stg_opendental__patient: ir.Table) -> ir.Table:
    docs = stg_opendental__document
    expected = docs.semi_join(stg_opendental__patient, docs.patient_id == stg_opendental__patient.patient_id).count()
    totals = t.aggregate(model_total=t.document_count.sum().fill_null(0), expected=expected.as_scalar())
    return totals.filter(totals.model_total != totals.expected)


def _guarantors_head_their_family(t: ir.Table) -> ir.Table:
    heads = t.select(head_id=t.patient_id, head_guarantor_id=t.guarantor_id)
    guarantors = t.filter(t.guarantor_id.notnull()).select("guarantor_id").distinct()
    joined = guarantors.left_join(heads, guarantors.guarantor_id == heads.head_id)
    return joined.filter(
        joined.head_id.isnull() | joined.head_guarantor_id.isnull() | (joined.head_guarantor_id != joined.guarantor_id)
    ).select("guarantor_id", "head_id", "head_guarantor_id")


def _family_sizes_add_up(t: ir.Table) -> ir.Table:
    not_deleted = t.patient_status != _DELETED
    totals = t.aggregate(
        family_total=(t.is_guarantor & not_deleted).ifelse(t.family_member_count, 0).sum().fill_null(0),
        not_deleted_rows=not_deleted.ifelse(1, 0).sum().fill_null(0),
    )
    return totals.filter(totals.family_total != totals.not_deleted_rows)


@model(
    system="foundation",
    grain="one row per patient (patient.PatNum), every status",
    key=["patient_id"],
    columns={
        "patient_id": ("bigint", "OpenDental PatNum"),
        "guarantor_id": ("bigint", "PatNum of the family's guarantor (head of the account)"),
        "is_guarantor": ("boolean", "patient_id = guarantor_id"),
        "family_member_count": ("bigint", "Patients other than Deleted (4) sharing this guarantor_id; 0 when none"),
        "primary_provider_id": ("bigint", "Primary provider; NULL when 0"),
        "secondary_provider_id": ("bigint", "Secondary (usually hygiene) provider; NULL when 0"),
        "clinic_id": ("bigint", "Home clinic; NULL when 0"),
        "fee_schedule_id": ("bigint", "Patient-level fee schedule override; NULL when 0"),
        "first_name": ("string", "FName"),
        "last_name": ("string", "LName"),
        "middle_initial": ("string", "MiddleI"),
        "preferred_name": ("string", "Preferred"),
        "gender": ("bigint", "PatientGender code"),
        "gender_description": ("string", "Male / Female / Unknown / Other (codes outside 0-3 also give Unknown)"),
        "birth_date": ("date", "Birthdate; NULL when not entered"),
        "age": ("bigint", "Whole years completed at as_of_date; NULL without a birth date or when born after it"),
        "language": ("string", "Language"),
        "patient_status": ("bigint", "PatientStatus code"),
        "patient_status_description": (
            "string",
            "Patient / NonPatient / Inactive / Archived / Deleted / Deceased / Prospective / Unknown",
        ),
        "is_active_patient": ("boolean", "patient_status = 0"),
        "is_deceased": ("boolean", "patient_status = 5 or deceased_datetime is set"),
        "position_code": ("bigint", "PatientPosition code (marital status)"),
        "marital_status": ("string", "Single / Married / Child / Widowed / Divorced / Unknown"),
        "student_status": ("string", "Raw one-letter StudentStatus code"),
        "student_status_description": ("string", "Nonstudent / Part-time / Full-time / Unknown"),
        "preferred_confirmation_method": ("bigint", "ContactMethod code"),
        "preferred_confirmation_method_description": ("string", "Name from ContactMethod"),
        "preferred_contact_method": ("bigint", "ContactMethod code"),
        "preferred_contact_method_description": ("string", "Name from ContactMethod"),
        "preferred_recall_method": ("bigint", "ContactMethod code"),
        "preferred_recall_method_description": ("string", "Name from ContactMethod"),
        "text_messaging_consent": ("bigint", "YN code: 0 unknown, 1 yes, 2 no"),
        "has_text_messaging_consent": ("boolean", "Patient said yes to texts (text_messaging_consent = 1)"),
        "premedication_required": ("boolean", "Premed"),
        "has_insurance_flag": ("boolean", "OpenDental's has-insurance marker (HasIns 'I')"),
        "active_insurance_plan_count": ("bigint", "patplan rows (current coverages) of the patient"),
        "estimated_balance": ("decimal(10,2)", "OpenDental's cached patient balance (EstBalance)"),
        "total_balance": ("decimal(10,2)", "Cached family balance before insurance estimates; stored on the guarantor row only"),
        "balance_0_30_days": ("decimal(10,2)", "Cached aging bucket; stored on the guarantor row only"),
        "balance_31_60_days": ("decimal(10,2)", "Cached aging bucket; stored on the guarantor row only"),
        "balance_61_90_days": ("decimal(10,2)", "Cached aging bucket; stored on the guarantor row only"),
        "balance_over_90_days": ("decimal(10,2)", "Cached aging bucket; stored on the guarantor row only"),
        "insurance_estimate": ("decimal(10,2)", "Cached pending insurance estimate; guarantor row"),
        "payment_plan_due": ("decimal(10,2)", "Cached payment-plan amount due; guarantor row"),
        "billing_cycle_day": ("bigint", "Day of month (1-31) for repeating charges"),
        "first_visit_date": ("date", "DateFirstVisit"),
        "deceased_datetime": ("timestamp", "DateTimeDeceased"),
        "emergency_contact_name": ("string", "patientnote ICEName"),
        "emergency_contact_phone": ("string", "patientnote ICEPhone"),
        "medical_notes": ("string", "patientnote Medical"),
        "treatment_notes": ("string", "patientnote Treatment"),
        "pronoun": ("bigint", "PronounPreferred code; NULL without a patientnote row"),
        "pronoun_description": ("string", "None / He-Him / She-Her / They-Them / Unknown; NULL without a patientnote row"),
        "consent": ("bigint", "patientnote Consent bit flags (1 = share medication history with e-prescribing)"),
        "notes_created_at": ("timestamp", "patientnote creation time"),
        "notes_updated_at": ("timestamp", "patientnote last edit"),
        "patient_link_count": ("bigint", "Distinct other patients linked by merge or clone"),
        "linked_patient_ids": ("string", "Sorted distinct other-patient ids from merge/clone links, ','-separated"),
        "patient_link_types": ("string", "Sorted distinct link-type names (Clone, Merge, Undefined), ','-separated"),
        "latest_patient_link_at": ("timestamp", "Most recent linked_at"),
        "active_disease_count": ("bigint", "Problems with ProbStatus = Active"),
        "active_disease_ids": ("string", "Sorted distinct disease_def_id of active problems, ','-separated"),
        "active_disease_names": ("string", "Sorted distinct disease names of active problems, '; '-separated"),
        "document_count": ("bigint", "All documents of the patient"),
        "document_category_ids": ("string", "Sorted distinct document_category_id, ','-separated"),
        "latest_document_date": ("date", "Date part of the latest document date_created"),
        "_created_at": ("timestamp", "patient SecDateEntry (midnight)"),
        "_updated_at": ("timestamp", "patient DateTStamp"),
        "_created_by": ("bigint", "patient SecUserNumEntry; NULL when 0"),
        "as_of_date": ("date", "ctx.as_of"),
    },
    tests=[
        equal_row_count("stg_opendental__patient"),
        not_null("guarantor_id"),
        relationships("guarantor_id", to="int_patient_profile.patient_id"),
        relationships("primary_provider_id", to="int_provider_profile.provider_id"),
        relationships("secondary_provider_id", to="int_provider_profile.provider_id"),
        accepted_values("patient_status", range(7)),
        accepted_values("patient_status_description", PATIENT_STATUS.values()),
        accepted_values("marital_status", [*MARITAL_STATUS.values(), "Unknown"]),
        accepted_values("marital_status", MARITAL_STATUS.values(), severity="warn", label="Unknown"),
        accepted_values("gender_description", GENDER.values()),
        accepted_values("pronoun_description", PRONOUN.values()),
        accepted_values("preferred_confirmation_method_description", CONTACT_METHOD.values()),
        accepted_values("preferred_contact_method_description", CONTACT_METHOD.values()),
        accepted_values("preferred_recall_method_description", CONTACT_METHOD.values()),
        not_null(*_FLAGS),
        accepted_range("age", min=0, max=130, severity="warn"),
        expression_is_true(
            "birth_date_not_after_as_of", lambda t: t.birth_date.isnull() | (t.birth_date <= t.as_of_date), severity="warn"
        ),
        accepted_range("billing_cycle_day", min=1, max=31, severity="warn"),
        custom("guarantors_head_their_family", _guarantors_head_their_family, severity="warn"),
        custom("family_sizes_add_up", _family_sizes_add_up, severity="warn"),
        expression_is_true(
            "family_balance_only_on_guarantors", lambda t: t.is_guarantor | (t.total_balance.fill_null(0) == 0), severity="warn"
        ),
        expression_is_true(
            "active_patients_have_primary_provider",
            lambda t: ~t.is_active_patient | t.primary_provider_id.notnull(),
            severity="warn",
        ),
        custom("active_diseases_tie_out", _disease_tie_out),
        custom("documents_tie_out", _document_tie_out),
    ],
)
def int_patient_profile(
    stg_opendental__patient: ir.Table,
    stg_opendental__patientnote: ir.Table,
    stg_opendental__patientlink: ir.Table,
    stg_opendental__disease: ir.Table,
    stg_opendental__diseasedef: ir.Table,
    stg_opendental__document: ir.Table,
    stg_opendental__patplan: ir.Table,
    ctx: BuildContext,
) -> ir.Table:
    """Identity, family account, providers, contact preferences, cached balances and light clinical context.

    - Every patient row is kept; Deleted (4) and Archived (3) are flagged, not removed. Staging is
      assumed unique and tested, not deduplicated (FAC §3.2).
    - PatStatus 4 is Deleted and 5 Deceased (the reference swaps them); Position is the marital
      status (FAC §3.7).
    - ``family_member_count`` counts non-deleted patients per guarantor; every row, deleted ones
      included, shows its guarantor's family size (§3.5 rule 3).
    - patientlink holds merges and clones, not family: link types 0-2 in both directions, PaySimple
      (3) excluded because its "from" id is not a patient (§3.5 rule 7).
    - A problem is active by ProbStatus = 0, not by its stop date (§3.5 rule 8). Every patplan row
      is current coverage: OpenDental deletes the row when coverage is dropped (rule 10).
    - Balances are OpenDental's cached values from its last aging run, copied as-is; the family
      total and aging buckets are stored on the guarantor only (rule 11).
    """
    p = stg_opendental__patient

    members = p.filter(p.patient_status != _DELETED)
    families = members.group_by(family_guarantor_id=members.guarantor_id).aggregate(family_member_count=members.count())

    note = stg_opendental__patientnote.select(
        note_patient_id="patient_id",
        emergency_contact_name="ice_name",
        emergency_contact_phone="ice_phone",
        medical_notes="medical",
        treatment_notes="treatment",
        pronoun="pronoun",
        consent="consent",
        notes_created_at="date_created",
        notes_updated_at="date_updated",
    )

    # Links in both directions; PaySimple (3) is not a patient-to-patient link (§3.5 rule 7).
    link = stg_opendental__patientlink.filter(stg_opendental__patientlink.link_type.isin(tuple(PATIENT_LINK_TYPE)))
    both_ways = link.select(
        link_patient_id=zero_to_null(link.patient_id_from),
        other_patient_id=zero_to_null(link.patient_id_to),
        link_type_name=decode(link.link_type, PATIENT_LINK_TYPE),
        linked_at=link.linked_at,
    ).union(
        link.select(
            link_patient_id=zero_to_null(link.patient_id_to),
            other_patient_id=zero_to_null(link.patient_id_from),
            link_type_name=decode(link.link_type, PATIENT_LINK_TYPE),
            linked_at=link.linked_at,
        ),
        distinct=False,
    )
    both_ways = both_ways.filter(
        both_ways.link_patient_id.notnull(),
        both_ways.other_patient_id.notnull(),
        both_ways.other_patient_id != both_ways.link_patient_id,
    )
    link_stats = both_ways.group_by("link_patient_id").aggregate(
        patient_link_count=both_ways.other_patient_id.nunique(),
        latest_patient_link_at=both_ways.linked_at.max(),
    )
    link_ids = sorted_list(both_ways, "link_patient_id", "other_patient_id", ",", name="linked_patient_ids")
    link_types = sorted_list(both_ways, "link_patient_id", "link_type_name", ",", name="patient_link_types")

    # Active problems by status (§3.5 rule 8); the name comes from diseasedef when it exists.
    d = stg_opendental__disease
    active = d.filter(d.problem_status == _PROBLEM_ACTIVE)
    ddef = stg_opendental__diseasedef.select(def_id="disease_def_id", disease_name="disease_name")
    active = active.left_join(ddef, active.disease_def_id == ddef.def_id).select(
        disease_patient_id=d.patient_id, disease_def_id=d.disease_def_id, disease_name=ddef.disease_name
    )
    disease_stats = active.group_by("disease_patient_id").aggregate(active_disease_count=active.count())
    disease_ids = sorted_list(active, "disease_patient_id", "disease_def_id", ",", name="active_disease_ids")
    disease_names = sorted_list(active, "disease_patient_id", "disease_name", "; ", name="active_disease_names")

    doc = stg_opendental__document.rename(doc_patient_id="patient_id")
    doc_stats = doc.group_by("doc_patient_id").aggregate(document_count=doc.count(), latest_document_at=doc.date_created.max())
    doc_categories = sorted_list(doc, "doc_patient_id", "document_category_id", ",", name="document_category_ids")

    plans = stg_opendental__patplan.group_by(plan_patient_id=stg_opendental__patplan.patient_id).aggregate(
        active_insurance_plan_count=stg_opendental__patplan.count()
    )

    # Every side table is one row per patient, so no join fans out (FAC §1.7).
    j = p.left_join(families, p.guarantor_id == families.family_guarantor_id)
    j = j.left_join(note, p.patient_id == note.note_patient_id)
    j = j.left_join(link_stats, p.patient_id == link_stats.link_patient_id)
    j = j.left_join(link_ids, p.patient_id == link_ids.link_patient_id)
    j = j.left_join(link_types, p.patient_id == link_types.link_patient_id)
    j = j.left_join(disease_stats, p.patient_id == disease_stats.disease_patient_id)
    j = j.left_join(disease_ids, p.patient_id == disease_ids.disease_patient_id)
    j = j.left_join(disease_names, p.patient_id == disease_names.disease_patient_id)
    j = j.left_join(doc_stats, p.patient_id == doc_stats.doc_patient_id)
    j = j.left_join(doc_categories, p.patient_id == doc_categories.doc_patient_id)
    j = j.left_join(plans, p.patient_id == plans.plan_patient_id)

    guarantor_id = zero_to_null(j.guarantor_id)
    student = j.student_status.strip().upper()
    return j.select(
        patient_id=j.patient_id,
        guarantor_id=guarantor_id,
        is_guarantor=(j.patient_id == guarantor_id).fill_null(False),
        family_member_count=j.family_member_count.fill_null(0).cast("int64"),
        primary_provider_id=zero_to_null(j.primary_provider_id),
        secondary_provider_id=zero_to_null(j.secondary_provider_id),
        clinic_id=zero_to_null(j.clinic_id),
        fee_schedule_id=zero_to_null(j.fee_schedule_id),
        first_name=j.first_name,
        last_name=j.last_name,
        middle_initial=j.middle_initial,
        preferred_name=j.preferred_name,
        gender=j.gender,
        gender_description=decode(j.gender, GENDER),
        birth_date=j.birth_date,
        age=completed_years(j.birth_date, ctx.as_of),
        language=j.language,
        patient_status=j.patient_status,
        patient_status_description=decode(j.patient_status, PATIENT_STATUS),
        is_active_patient=(j.patient_status == 0).fill_null(False),
        is_deceased=((j.patient_status == _DECEASED) | j.deceased_datetime.notnull()).fill_null(False),
        position_code=j.position_code,
        marital_status=decode(j.position_code, MARITAL_STATUS),
        student_status=j.student_status,
        student_status_description=ibis.cases(
            (student.isnull() | (student == "") | (student == "N"), "Nonstudent"),
            (student == "P", "Part-time"),
            (student == "F", "Full-time"),
            else_="Unknown",
        ),
        preferred_confirmation_method=j.preferred_confirmation_method,
        preferred_confirmation_method_description=decode(j.preferred_confirmation_method, CONTACT_METHOD),
        preferred_contact_method=j.preferred_contact_method,
        preferred_contact_method_description=decode(j.preferred_contact_method, CONTACT_METHOD),
        preferred_recall_method=j.preferred_recall_method,
        preferred_recall_method_description=decode(j.preferred_recall_method, CONTACT_METHOD),
        text_messaging_consent=j.text_messaging_consent,
        has_text_messaging_consent=(j.text_messaging_consent == 1).fill_null(False),
        premedication_required=j.premedication_required.fill_null(False),
        has_insurance_flag=j.has_insurance_flag.fill_null(False),
        active_insurance_plan_count=j.active_insurance_plan_count.fill_null(0).cast("int64"),
        estimated_balance=j.estimated_balance,
        total_balance=j.total_balance,
        balance_0_30_days=j.balance_0_30_days,
        balance_31_60_days=j.balance_31_60_days,
        balance_61_90_days=j.balance_61_90_days,
        balance_over_90_days=j.balance_over_90_days,
        insurance_estimate=j.insurance_estimate,
        payment_plan_due=j.payment_plan_due,
        billing_cycle_day=j.billing_cycle_day,
        first_visit_date=j.first_visit_date,
        deceased_datetime=j.deceased_datetime,
        emergency_contact_name=j.emergency_contact_name,
        emergency_contact_phone=j.emergency_contact_phone,
        medical_notes=j.medical_notes,
        treatment_notes=j.treatment_notes,
        pronoun=j.pronoun,
        # No patientnote row means no pronoun recorded: NULL rather than a label.
        pronoun_description=ibis.ifelse(j.pronoun.isnull(), ibis.null("string"), decode(j.pronoun, PRONOUN)),
        consent=j.consent,
        notes_created_at=j.notes_created_at,
        notes_updated_at=j.notes_updated_at,
        patient_link_count=j.patient_link_count.fill_null(0).cast("int64"),
        linked_patient_ids=j.linked_patient_ids,
        patient_link_types=j.patient_link_types,
        latest_patient_link_at=j.latest_patient_link_at,
        active_disease_count=j.active_disease_count.fill_null(0).cast("int64"),
        active_disease_ids=j.active_disease_ids,
        active_disease_names=j.active_disease_names,
        document_count=j.document_count.fill_null(0).cast("int64"),
        document_category_ids=j.document_category_ids,
        latest_document_date=j.latest_document_at.date(),
        _created_at=j.date_created.cast("timestamp"),
        _updated_at=j.date_updated,
        _created_by=zero_to_null(j._created_by),
        as_of_date=ibis.literal(ctx.as_of, type="date"),
    )
