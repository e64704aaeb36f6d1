"""``int_insurance_coverage``: each patient's insurance enrollments with plan, carrier, verification and benefits."""

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
    unique_combination,
)
from ibis_models.opendental.expressions import days_between, decode, definitions_of, greatest, nb, nz
from ibis_models.opendental.intermediate.insurance._common import (
    PATIENT_RELATIONSHIPS,
    first_per_key,
    plan_type_code,
    plan_type_description,
)

__all__ = ["int_insurance_coverage"]

_VERIFICATION_STATUS_CATEGORY = 38  # DefCat InsuranceVerificationStatus, B §2.10
_VERIFY_PLAN_BENEFITS = 1  # VerifyType InsuranceBenefit: FKey = PlanNum, B §2.6
_VERIFY_ENROLLMENT = 2  # VerifyType PatientEnrollment: FKey = PatPlanNum

# Benefit enumerations, B §2.9.
_COINSURANCE, _DEDUCTIBLE, _LIMITATIONS = 1, 2, 5
_SERVICE_YEAR, _CALENDAR_YEAR, _LIFETIME = 1, 2, 3
_INDIVIDUAL, _FAMILY = 1, 2
_GENERAL, _ORTHODONTICS = 1, 9

#: Money slots (B §3.5 R7), filled from plan-level rows only.
_MONEY_SLOTS = (
    "annual_max_individual",
    "annual_max_family",
    "deductible_individual",
    "deductible_family",
    "ortho_lifetime_max",
)
#: Coinsurance slot -> covcat.EbenefitCat (B §2.9); never a CovCatNum, which differs per database.
_COINSURANCE_SLOTS = {
    "coinsurance_diagnostic_pct": 2,
    "coinsurance_xray_pct": 13,
    "coinsurance_preventive_pct": 12,
    "coinsurance_restorative_pct": 4,
    "coinsurance_endodontics_pct": 5,
    "coinsurance_periodontics_pct": 3,
    "coinsurance_oral_surgery_pct": 11,
    "coinsurance_crowns_pct": 7,
    "coinsurance_prosthodontics_pct": 10,
    "coinsurance_orthodontics_pct": 9,
}
_COVERAGE_STATUSES = ("pending", "terminated", "not_yet_effective", "active")


def _coverage_priority(ordinal: ir.IntegerValue) -> ir.StringValue:
    return ibis.cases(
        (ordinal.isnull() | (ordinal <= 0), "unknown"),
        (ordinal == 1, "primary"),
        (ordinal == 2, "secondary"),
        (ordinal == 3, "tertiary"),
        else_="other",
    )


def _prepared_benefits(benefit: ir.Table, covcat: ir.Table) -> ir.Table:
    """Benefit rows with their keys and the slot each one can fill (B §3.5 R6, R7)."""
    cats = covcat.select(cat_covcat_id=covcat.covcat_id, cat=covcat.ebenefit_category)
    b = benefit.left_join(cats, nz(benefit.coverage_category_id) == cats.cat_covcat_id)
    category_id = nz(b.coverage_category_id)
    cat = b.cat
    patplan_key = nz(b.patient_plan_id)
    no_code = nz(b.procedure_code_id).isnull() & nz(b.code_group_id).isnull()
    plain = no_code & (b.quantity_qualifier == 0) & (b.quantity == 0)
    amount = nb(b.monetary_amount)
    percent = nb(b.coverage_percent)
    money_row = plain & patplan_key.isnull() & (amount >= 0)
    yearly_general = (category_id.isnull() | (cat == _GENERAL)) & b.time_period.isin([_SERVICE_YEAR, _CALENDAR_YEAR])
    annual_max = money_row & (b.benefit_type == _LIMITATIONS) & yearly_general
    deductible = money_row & (b.benefit_type == _DEDUCTIBLE) & yearly_general
    coinsurance = no_code & (b.benefit_type == _COINSURANCE) & percent.between(0, 100)
    slot = ibis.cases(
        (annual_max & (b.coverage_level == _INDIVIDUAL), "annual_max_individual"),
        (annual_max & (b.coverage_level == _FAMILY), "annual_max_family"),
        (deductible & (b.coverage_level == _INDIVIDUAL), "deductible_individual"),
        (deductible & (b.coverage_level == _FAMILY), "deductible_family"),
        (
            money_row
            & (b.benefit_type == _LIMITATIONS)
            & (cat == _ORTHODONTICS)
            & (b.time_period == _LIFETIME)
            & b.coverage_level.isin([0, _INDIVIDUAL])
            & percent.isnull(),
            "ortho_lifetime_max",
        ),
        *((coinsurance & (cat == code), name) for name, code in _COINSURANCE_SLOTS.items()),
        else_=ibis.null("string"),
    )
    return b.select(
        benefit_id=b.benefit_id,
        plan_key=nz(b.insurance_plan_id),
        patplan_key=patplan_key,
        slot=slot,
        slot_amount=amount,
        slot_percent=percent,
    )


def _benefit_candidates(enrollments: ir.Table, benefit: ir.Table, covcat: ir.Table) -> ir.Table:
    """Benefit rows that apply to each enrollment: its plan's plan-level rows plus its own overrides.

    ``enrollments`` has ``patient_plan_id`` and ``insurance_plan_id``; one row per (enrollment, benefit).
    """
    prepared = _prepared_benefits(benefit, covcat)
    enr = enrollments.select("patient_plan_id", "insurance_plan_id")
    columns = ("benefit_id", "slot", "slot_amount", "slot_percent")
    plan_rows = prepared.filter(prepared.patplan_key.isnull() & prepared.plan_key.notnull())
    by_plan = enr.join(plan_rows, enr.insurance_plan_id == plan_rows.plan_key)
    by_plan = by_plan.select("patient_plan_id", *columns, is_patient_level=ibis.literal(False))
    patient_rows = prepared.filter(prepared.patplan_key.notnull())
    by_patient = enr.join(patient_rows, enr.patient_plan_id == patient_rows.patplan_key)
    by_patient = by_patient.select("patient_plan_id", *columns, is_patient_level=ibis.literal(True))
    return by_plan.union(by_patient, distinct=False)


def _benefit_pivot(candidates: ir.Table) -> ir.Table:
    """One row per enrollment: the winning value of each slot, the candidate count and override flag."""
    slotted = candidates.filter(candidates.slot.notnull())
    winners = first_per_key(
        slotted,
        ["patient_plan_id", "slot"],
        [slotted.is_patient_level.ifelse(0, 1), slotted.benefit_id.desc()],
    )
    values = {name: winners.slot_amount.max(where=winners.slot == name) for name in _MONEY_SLOTS}
    values |= {name: winners.slot_percent.max(where=winners.slot == name) for name in _COINSURANCE_SLOTS}
    pivot = winners.group_by(winners.patient_plan_id.name("pivot_patient_plan_id")).aggregate(**values)
    counts = candidates.group_by(candidates.patient_plan_id.name("count_patient_plan_id")).aggregate(
        benefit_count=candidates.count(),
        has_overrides=candidates.is_patient_level.any(),
    )
    return counts.left_join(pivot, counts.count_patient_plan_id == pivot.pivot_patient_plan_id).drop("pivot_patient_plan_id")


def _latest_verifications(insverify: ir.Table) -> ir.Table:
    """One insverify row per (verify_type, foreign_key_id): latest verified date, NULLs last (B §3.5 R5)."""
    iv = insverify.mutate(fkey=nz(insverify.foreign_key_id))
    iv = iv.filter(iv.fkey.notnull())
    return first_per_key(
        iv,
        ["verify_type", "fkey"],
        [
            iv.last_verified_date.isnull(),
            iv.last_verified_date.desc(),
            iv.date_updated.isnull(),
            iv.date_updated.desc(),
            iv.insurance_verify_id.desc(),
        ],
    )


def _incomplete_has_all_keys(t: ir.Table) -> ir.BooleanValue:
    complete_keys = (
        t.insurance_subscriber_id.notnull() & t.insurance_plan_id.notnull() & t.carrier_id.notnull() & t.carrier_name.notnull()
    )
    return t.is_incomplete_record | complete_keys


def _priority_matches_ordinal(t: ir.Table) -> ir.BooleanValue:
    return t.coverage_priority == _coverage_priority(t.ordinal)


def _duplicate_insverify(t: ir.Table, stg_opendental__insverify: ir.Table) -> ir.Table:
    iv = stg_opendental__insverify
    counts = iv.group_by(["verify_type", "foreign_key_id"]).aggregate(rows=iv.count())
    return counts.filter(counts.rows > 1)


def _duplicate_money_benefits(t: ir.Table, stg_opendental__benefit: ir.Table, stg_opendental__covcat: ir.Table) -> ir.Table:
    """Enrollments with more than one plan-level candidate for the same money slot (duplicated setup)."""
    cands = _benefit_candidates(t, stg_opendental__benefit, stg_opendental__covcat)
    money = cands.filter(cands.slot.isin(_MONEY_SLOTS) & ~cands.is_patient_level)
    counts = money.group_by(["patient_plan_id", "slot"]).aggregate(candidates=money.count())
    return counts.filter(counts.candidates > 1)


@model(
    system="B",
    grain="one row per patient plan enrollment (patplan.PatPlanNum), pending ones included",
    key=["patient_plan_id"],
    columns={
        "patient_plan_id": ("bigint", "patplan.PatPlanNum"),
        "patient_id": ("bigint", "Covered patient (patplan.PatNum)"),
        "insurance_subscriber_id": ("bigint", "nz(patplan.InsSubNum): the subscriber-plan link (inssub row)"),
        "subscriber_patient_id": ("bigint", "nz(inssub.Subscriber): PatNum of the policy holder"),
        "is_subscriber_self": ("boolean", "subscriber_patient_id = patient_id"),
        "insurance_plan_id": ("bigint", "nz(inssub.PlanNum) when that insplan row exists, else NULL"),
        "carrier_id": ("bigint", "nz(insplan.CarrierNum) when that carrier row exists, else NULL"),
        "employer_id": ("bigint", "nz(insplan.EmployerNum) when that employer row exists, else NULL"),
        "fee_schedule_id": ("bigint", "nz(insplan.FeeSched)"),
        "ordinal": ("bigint", "1 = primary, 2 = secondary, ..."),
        "coverage_priority": ("string", "primary (1), secondary (2), tertiary (3), other (>= 4), unknown (NULL or 0)"),
        "is_pending": ("boolean", "patplan.IsPending"),
        "patient_relationship_code": ("bigint", "patplan.Relationship"),
        "patient_relationship": ("string", "Relationship label (B §2.7), else unknown"),
        "is_assign_benefits": ("boolean", "inssub.AssignBen: carrier pays the office"),
        "effective_date": ("date", "inssub.DateEffective (NULL when unset)"),
        "termination_date": ("date", "inssub.DateTerm (NULL when unset); the last covered day"),
        "coverage_status": ("string", "pending, terminated, not_yet_effective or active as of as_of_date"),
        "is_active": ("boolean", "coverage_status = 'active'"),
        "carrier_name": ("string", "carrier.CarrierName"),
        "carrier_electronic_id": ("string", "carrier.ElectID (payer id)"),
        "group_name": ("string", "insplan.GroupName"),
        "group_number": ("string", "insplan.GroupNum"),
        "plan_type": ("string", "Decoded insplan.PlanType (B §2.8)"),
        "plan_type_code": ("string", "Normalised insplan.PlanType code (B §2.8)"),
        "is_medical": ("boolean", "insplan.IsMedical"),
        "is_plan_hidden": ("boolean", "insplan.IsHidden"),
        "benefit_renewal_month": ("bigint", "insplan.MonthRenew (0 = calendar year, 1-12 = renewal month)"),
        "employer_name": ("string", "employer.EmpName"),
        "employer_city": ("string", "employer.City"),
        "employer_state": ("string", "employer.State"),
        "verification_date": ("date", "Last patient-enrollment verification (VerifyType 2)"),
        "verification_status": ("string", "definition.ItemName (category 38) of that verification"),
        "benefits_verification_date": ("date", "Last plan-benefit verification (VerifyType 1)"),
        "is_verified": ("boolean", "verification_date is not null"),
        "days_since_verification": ("bigint", "as_of_date - verification_date in days (NULL if never verified)"),
        "annual_max_individual": ("decimal(10,2)", "Individual annual maximum (benefit slot)"),
        "annual_max_family": ("decimal(10,2)", "Family annual maximum (benefit slot)"),
        "deductible_individual": ("decimal(10,2)", "Individual deductible (benefit slot)"),
        "deductible_family": ("decimal(10,2)", "Family deductible (benefit slot)"),
        "ortho_lifetime_max": ("decimal(10,2)", "Orthodontic lifetime maximum (benefit slot)"),
        "coinsurance_diagnostic_pct": ("bigint", "Coinsurance percent, EbenefitCat 2 Diagnostic"),
        "coinsurance_xray_pct": ("bigint", "Coinsurance percent, EbenefitCat 13 DiagnosticXRay"),
        "coinsurance_preventive_pct": ("bigint", "Coinsurance percent, EbenefitCat 12 RoutinePreventive"),
        "coinsurance_restorative_pct": ("bigint", "Coinsurance percent, EbenefitCat 4 Restorative"),
        "coinsurance_endodontics_pct": ("bigint", "Coinsurance percent, EbenefitCat 5 Endodontics"),
        "coinsurance_periodontics_pct": ("bigint", "Coinsurance percent, EbenefitCat 3 Periodontics"),
        "coinsurance_oral_surgery_pct": ("bigint", "Coinsurance percent, EbenefitCat 11 OralSurgery"),
        "coinsurance_crowns_pct": ("bigint", "Coinsurance percent, EbenefitCat 7 Crowns"),
        "coinsurance_prosthodontics_pct": ("bigint", "Coinsurance percent, EbenefitCat 10 Prosthodontics"),
        "coinsurance_orthodontics_pct": ("bigint", "Coinsurance percent, EbenefitCat 9 Orthodontics"),
        "benefit_count": ("bigint", "Benefit rows that apply: the plan's plan-level rows plus this enrollment's overrides"),
        "has_patient_benefit_overrides": ("boolean", "At least one benefit row with PatPlanNum = patient_plan_id"),
        "is_incomplete_record": ("boolean", "No inssub, insplan or carrier row found"),
        "_created_at": ("timestamp", "patplan.SecDateTEntry: when the coverage was added"),
        "_updated_at": ("timestamp", "Greatest of patplan, inssub and insplan SecDateTEdit, ignoring NULLs"),
        "as_of_date": ("date", "ctx.as_of, the build's reporting date"),
    },
    tests=[
        equal_row_count("stg_opendental__patplan"),
        not_null("patient_id"),
        relationships("patient_id", to="stg_opendental__patient.patient_id"),
        relationships("insurance_plan_id", to="stg_opendental__insplan.insurance_plan_id"),
        relationships("carrier_id", to="stg_opendental__carrier.carrier_id"),
        relationships("employer_id", to="stg_opendental__employer.employer_id"),
        relationships("insurance_subscriber_id", to="stg_opendental__inssub.inssub_id", severity="warn"),
        expression_is_true("complete_record_has_subscriber_plan_and_carrier", _incomplete_has_all_keys),
        expression_is_true("ordinal_at_least_1", lambda t: t.ordinal >= 1),
        expression_is_true("coverage_priority_matches_ordinal", _priority_matches_ordinal),
        unique_combination(["patient_id", "ordinal"], severity="warn"),
        unique_combination(
            ["patient_id", "insurance_subscriber_id"],
            where=lambda t: t.insurance_subscriber_id.notnull(),
            severity="warn",
        ),
        accepted_values("coverage_status", _COVERAGE_STATUSES),
        not_null("coverage_status"),
        expression_is_true("is_active_means_status_active", lambda t: t.is_active == (t.coverage_status == "active")),
        *(accepted_range(name, min=0, max=100) for name in _COINSURANCE_SLOTS),
        *(accepted_range(name, min=0) for name in _MONEY_SLOTS),
        expression_is_true(
            "termination_not_before_effective",
            lambda t: t.termination_date >= t.effective_date,
            where=lambda t: t.termination_date.notnull() & t.effective_date.notnull(),
            severity="warn",
        ),
        expression_is_true(
            "verification_not_after_as_of",
            lambda t: t.verification_date <= t.as_of_date,
            where=lambda t: t.verification_date.notnull(),
            severity="warn",
        ),
        accepted_values("patient_relationship_code", range(9), severity="warn"),
        custom("stg_insverify_unique_per_type_and_key", _duplicate_insverify, severity="warn"),
        custom("one_plan_level_candidate_per_money_slot", _duplicate_money_benefits, severity="warn"),
    ],
)
def int_insurance_coverage(
    stg_opendental__patplan,
    stg_opendental__inssub,
    stg_opendental__insplan,
    stg_opendental__carrier,
    stg_opendental__employer,
    stg_opendental__insverify,
    stg_opendental__benefit,
    stg_opendental__covcat,
    stg_opendental__definition,
    ctx,
):
    """Each patient's current insurance enrollments: subscriber, plan, carrier, verification, benefits (B §3).

    Keyed on PatPlanNum; ``insurance_plan_id`` is the real PlanNum reached through inssub, so many
    enrollments share it (the reference joined PatPlanNum to PlanNum, B §3.7). Enrollment
    verification is VerifyType 2 keyed by PatPlanNum; plan-benefit verification is VerifyType 1 keyed
    by PlanNum; both are reduced to the latest row per key before joining. Benefit slots follow
    OpenDental's classification (R7): money slots from plan-level rows, coinsurance from plan- or
    patient-level rows, a patient override winning, then the highest BenefitNum. Coverage status is
    evaluated as of ``as_of_date``; the termination date is the last covered day.
    Plan, carrier and employer ids are NULL when their row is missing, with every plan attribute
    (R9): a dangling id would otherwise break the error-level relationship tests of §3.6.
    """
    as_of = ibis.literal(ctx.as_of)
    pp = stg_opendental__patplan
    base = pp.select(
        patient_plan_id=pp.patplan_id,
        patient_id=pp.patient_id,
        insurance_subscriber_id=nz(pp.insurance_subscriber_id),
        ordinal=pp.ordinal,
        is_pending=pp.is_pending.fill_null(False),
        patient_relationship_code=pp.relationship,
        _created_at=pp.date_created,
        patplan_updated=pp.date_updated,
    )
    sub = stg_opendental__inssub.select(
        sub_inssub_id=stg_opendental__inssub.inssub_id,
        sub_plan_id=nz(stg_opendental__inssub.insurance_plan_id),
        subscriber_patient_id=nz(stg_opendental__inssub.subscriber_id),
        is_assign_benefits=stg_opendental__inssub.is_assign_benefits,
        effective_date=stg_opendental__inssub.effective_date,
        termination_date=stg_opendental__inssub.termination_date,
        inssub_updated=stg_opendental__inssub.date_updated,
    )
    ip = stg_opendental__insplan
    plan = ip.select(
        plan_id=ip.insurance_plan_id,
        plan_carrier_id=nz(ip.carrier_id),
        plan_employer_id=nz(ip.employer_id),
        fee_schedule_id=nz(ip.fee_schedule_id),
        group_name=ip.group_name,
        group_number=ip.group_number,
        plan_type_raw=ip.plan_type,
        is_medical=ip.is_medical,
        is_plan_hidden=ip.is_hidden,
        benefit_renewal_month=ip.month_renew,
        insplan_updated=ip.date_updated,
    )
    carrier = stg_opendental__carrier.select(
        carrier_id=stg_opendental__carrier.carrier_id,
        carrier_name=stg_opendental__carrier.carrier_name,
        carrier_electronic_id=stg_opendental__carrier.electronic_id,
    )
    emp = stg_opendental__employer.select(
        employer_id=stg_opendental__employer.employer_id,
        employer_name=stg_opendental__employer.employer_name,
        employer_city=stg_opendental__employer.city,
        employer_state=stg_opendental__employer.state,
    )
    verified = _latest_verifications(stg_opendental__insverify)
    enrollment_ver = verified.filter(verified.verify_type == _VERIFY_ENROLLMENT)
    enrollment_ver = enrollment_ver.select(
        ev_patplan_id=enrollment_ver.fkey,
        verification_date=enrollment_ver.last_verified_date,
        ev_definition_id=nz(enrollment_ver.definition_id),
    )
    statuses = definitions_of(stg_opendental__definition, _VERIFICATION_STATUS_CATEGORY, "vs")
    benefit_ver = verified.filter(verified.verify_type == _VERIFY_PLAN_BENEFITS)
    benefit_ver = benefit_ver.select(bv_plan_id=benefit_ver.fkey, benefits_verification_date=benefit_ver.last_verified_date)

    j = base.left_join(sub, base.insurance_subscriber_id == sub.sub_inssub_id)
    j = j.left_join(plan, j.sub_plan_id == plan.plan_id)
    j = j.left_join(carrier, j.plan_carrier_id == carrier.carrier_id)
    j = j.left_join(emp, j.plan_employer_id == emp.employer_id)
    j = j.left_join(enrollment_ver, j.patient_plan_id == enrollment_ver.ev_patplan_id)
    j = j.left_join(statuses, j.ev_definition_id == statuses.vs_definition_id)
    j = j.left_join(benefit_ver, j.plan_id == benefit_ver.bv_plan_id)
    t = j.select(
        *base.columns,
        "sub_inssub_id",
        "subscriber_patient_id",
        "is_assign_benefits",
        "effective_date",
        "termination_date",
        "inssub_updated",
        "plan_id",
        "fee_schedule_id",
        "group_name",
        "group_number",
        "plan_type_raw",
        "is_medical",
        "is_plan_hidden",
        "benefit_renewal_month",
        "insplan_updated",
        "carrier_id",
        "carrier_name",
        "carrier_electronic_id",
        "employer_id",
        "employer_name",
        "employer_city",
        "employer_state",
        "verification_date",
        "benefits_verification_date",
        verification_status=j.vs_name,
    )

    benefits = _benefit_pivot(
        _benefit_candidates(t.rename(insurance_plan_id="plan_id"), stg_opendental__benefit, stg_opendental__covcat)
    )
    t = t.left_join(benefits, t.patient_plan_id == benefits.count_patient_plan_id)

    status = ibis.cases(
        (t.is_pending, "pending"),
        (t.termination_date < as_of, "terminated"),
        (t.effective_date > as_of, "not_yet_effective"),
        else_="active",
    )
    plan_found = t.plan_id.notnull()
    return t.select(
        patient_plan_id=t.patient_plan_id,
        patient_id=t.patient_id,
        insurance_subscriber_id=t.insurance_subscriber_id,
        subscriber_patient_id=t.subscriber_patient_id,
        is_subscriber_self=(t.subscriber_patient_id == t.patient_id).fill_null(False),
        insurance_plan_id=t.plan_id,
        carrier_id=t.carrier_id,
        employer_id=t.employer_id,
        fee_schedule_id=t.fee_schedule_id,
        ordinal=t.ordinal,
        coverage_priority=_coverage_priority(t.ordinal),
        is_pending=t.is_pending,
        patient_relationship_code=t.patient_relationship_code,
        patient_relationship=decode(t.patient_relationship_code, dict(PATIENT_RELATIONSHIPS), else_="unknown"),
        is_assign_benefits=t.is_assign_benefits.fill_null(False),
        effective_date=t.effective_date,
        termination_date=t.termination_date,
        coverage_status=status,
        is_active=status == "active",
        carrier_name=t.carrier_name,
        carrier_electronic_id=t.carrier_electronic_id,
        group_name=t.group_name,
        group_number=t.group_number,
        plan_type=ibis.ifelse(plan_found, plan_type_description(t.plan_type_raw), ibis.null("string")),
        plan_type_code=ibis.ifelse(plan_found, plan_type_code(t.plan_type_raw), ibis.null("string")),
        is_medical=t.is_medical.fill_null(False),
        is_plan_hidden=t.is_plan_hidden.fill_null(False),
        benefit_renewal_month=t.benefit_renewal_month,
        employer_name=t.employer_name,
        employer_city=t.employer_city,
        employer_state=t.employer_state,
        verification_date=t.verification_date,
        verification_status=t.verification_status,
        benefits_verification_date=t.benefits_verification_date,
        is_verified=t.verification_date.notnull(),
        days_since_verification=days_between(as_of, t.verification_date),
        **{name: t[name].cast("decimal(10,2)") for name in _MONEY_SLOTS},
        **{name: t[name].cast("int64") for name in _COINSURANCE_SLOTS},
        benefit_count=t.benefit_count.fill_null(0).cast("int64"),
        has_patient_benefit_overrides=t.has_overrides.fill_null(False),
        is_incomplete_record=t.sub_inssub_id.isnull() | t.plan_id.isnull() | t.carrier_id.isnull(),
        _created_at=t._created_at,
        _updated_at=greatest(t.patplan_updated, t.inssub_updated, t.insplan_updated),
        as_of_date=as_of,
    )
