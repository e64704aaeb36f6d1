"""``int_fee_model``: per procedure, the charged fee against OpenDental's scheduled fee, net of adjustments."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ibis_models import (
    accepted_values,
    custom,
    equal_row_count,
    expression_is_true,
    model,
    relationships,
)
from ibis_models.framework.context import BuildContext
from ibis_models.opendental.expressions import decode, ratio, round_half_away, sorted_list, zero_to_null

__all__ = ["int_fee_model"]

_FEE_SCHEDULE_TYPE = {0: "Normal", 1: "CoPay", 2: "OutNetwork", 3: "FixedBenefit", 4: "ManualBlueBook"}
_MATCH_LEVELS = ((1, "clinic_and_provider"), (2, "provider"), (3, "clinic"), (4, "default"))
# ClaimProcStatus whose write-offs OpenDental's aging counts: Received, Supplemental, CapClaim,
# CapComplete (FAC §2.3). NotReceived write-offs are estimates.
_WRITEOFF_STATUSES = (1, 4, 5, 7)
_ADJUSTMENT_FLAGS = {
    "has_provider_discretion": "is_provider_discretion",
    "has_employee_discount": "is_employee_discount",
    "has_military_discount": "is_military_discount",
    "has_courtesy_adjustment": "is_courtesy_adjustment",
    "has_insurance_writeoff_adjustment": "is_insurance_writeoff",
}


def _primary_plans(patplan: ir.Table, inssub: ir.Table, insplan: ir.Table) -> ir.Table:
    """One row per patient: the plan of its first ordinal-1 patplan (FAC §8.5 step 2)."""
    primary = patplan.filter(patplan.ordinal == 1, patplan.patient_id.notnull())
    primary = primary.mutate(_rank=ibis.row_number().over(group_by=primary.patient_id, order_by=primary.patplan_id))
    primary = primary.filter(primary._rank == 0)
    subs = inssub.select(sub_id=inssub.inssub_id, sub_plan_id=zero_to_null(inssub.insurance_plan_id))
    plans = insplan.select(
        plan_id=insplan.insurance_plan_id,
        plan_fee_schedule_id=zero_to_null(insplan.fee_schedule_id),
        plan_type=insplan.plan_type,
    )
    j = primary.left_join(subs, primary.insurance_subscriber_id == subs.sub_id)
    j = j.left_join(plans, j.sub_plan_id == plans.plan_id)
    return j.select(
        plan_patient_id=j.patient_id,
        primary_insurance_plan_id=j.sub_plan_id,
        plan_fee_schedule_id=j.plan_fee_schedule_id,
        # Lower-case 'p' in OpenDental; 'ppo' covers the reference's relabelled staging (FAC §0.19 item 5).
        is_ppo_plan=j.plan_type.strip().lower().isin(("p", "ppo")).fill_null(False),
    )


def _fee_lookup(wanted: ir.Table, fees: ir.Table, prefix: str) -> ir.Table:
    """OpenDental's fee of each procedure on one schedule (FAC §8.5 step 3).

    ``wanted`` has ``w_procedure_id``, ``w_schedule_id``, ``w_code_id``, ``w_clinic`` and ``w_provider``
    (0 for none). The lowest override level wins, then the highest fee_id. A hidden schedule or a
    blank (-1/NULL) or negative amount on the winning row gives no fee: OpenDental does not fall back.
    """
    j = wanted.inner_join(fees, (wanted.w_schedule_id == fees.f_schedule_id) & (wanted.w_code_id == fees.f_code_id))
    # 0 on the fee row means "any"; a procedure without clinic (0) matches only clinic-0 rows as the
    # default, never as a clinic override (else a global schedule's default row would be excluded).
    clinic_match = (j.f_clinic != 0) & (j.f_clinic == j.w_clinic)
    provider_match = (j.f_provider != 0) & (j.f_provider == j.w_provider)
    level = ibis.cases(
        (clinic_match & provider_match, 1),
        ((j.f_clinic == 0) & provider_match, 2),
        (clinic_match & (j.f_provider == 0), 3),
        ((j.f_clinic == 0) & (j.f_provider == 0), 4),
        else_=ibis.null("int64"),
    )
    cands = j.mutate(_level=level)
    cands = cands.filter(cands._level.notnull(), ~cands.f_is_global | (cands._level == 4))
    cands = cands.mutate(
        _rank=ibis.row_number().over(group_by=cands.w_procedure_id, order_by=[cands._level, cands.f_fee_id.desc()])
    )
    best = cands.filter(cands._rank == 0)
    usable = best.filter(~best.f_is_hidden, best.f_amount.notnull(), best.f_amount >= 0)
    return usable.select(
        **{
            f"{prefix}_procedure_id": usable.w_procedure_id,
            f"{prefix}_fee_id": usable.f_fee_id,
            f"{prefix}_fee": usable.f_amount,
            f"{prefix}_level": usable._level.cases(*_MATCH_LEVELS, else_=ibis.null("string")),
        }
    )


def _applied_total_mismatch(t: ir.Table, int_procedure_complete: ir.Table) -> ir.Table:
    """Completed applied_fee_total differs from int_procedure_complete's procedure_fee_total (FAC §12.2)."""
    done = t.filter(t.is_completed)
    mine = done.aggregate(model_sum=done.applied_fee_total.sum().cast("decimal(18,2)").fill_null(0))
    pc = int_procedure_complete.filter(int_procedure_complete.is_completed)
    theirs = pc.aggregate(source_sum=pc.procedure_fee_total.sum().cast("decimal(18,2)").fill_null(0))
    both = mine.cross_join(theirs)
    return both.filter(both.model_sum != both.source_sum)


def _adjustments_mismatch(t: ir.Table, int_adjustments: ir.Table) -> ir.Table:
    """Adjustment totals and counts differ from int_adjustments on this model's procedures (FAC §8.6, §12.2)."""
    ids = t.select(_pid=t.procedure_id)
    adj = int_adjustments.filter(int_adjustments.procedure_id.notnull())
    adj = adj.semi_join(ids, adj.procedure_id == ids._pid)
    theirs = adj.aggregate(source_sum=adj.adjustment_amount.sum().cast("decimal(18,2)").fill_null(0), source_count=adj.count())
    mine = t.aggregate(
        model_sum=t.total_adjustments.sum().cast("decimal(18,2)").fill_null(0),
        model_count=t.adjustment_count.sum().fill_null(0),
    )
    both = mine.cross_join(theirs)
    return both.filter((both.model_sum != both.source_sum) | (both.model_count != both.source_count))


def _writeoff_mismatch(t: ir.Table, stg_opendental__claimproc: ir.Table) -> ir.Table:
    """Write-offs differ from claimproc statuses 1, 4, 5, 7 on this model's procedures (FAC §8.6)."""
    ids = t.select(_pid=t.procedure_id)
    cp = stg_opendental__claimproc.filter(stg_opendental__claimproc.status.isin(_WRITEOFF_STATUSES))
    cp = cp.semi_join(ids, cp.procedure_id == ids._pid)
    theirs = cp.aggregate(source_sum=cp.write_off.sum().cast("decimal(18,2)").fill_null(0))
    mine = t.aggregate(model_sum=t.insurance_writeoff_amount.sum().cast("decimal(18,2)").fill_null(0))
    both = mine.cross_join(theirs)
    return both.filter(both.model_sum != both.source_sum)


@model(
    system="A",
    grain="one row per procedure-log row (procedurelog.ProcNum), every status",
    key=["procedure_id"],
    columns={
        "procedure_id": ("bigint", "ProcNum"),
        "patient_id": ("bigint", "PatNum"),
        "provider_id": ("bigint", "Procedure provider; NULL when 0"),
        "clinic_id": ("bigint", "Procedure clinic; NULL when 0"),
        "procedure_code_id": ("bigint", "CodeNum"),
        "procedure_code": ("string", "ProcCode"),
        "procedure_description": ("string", "Descript"),
        "abbreviated_description": ("string", "AbbrDesc"),
        "procedure_date": ("date", "ProcDate"),
        "procedure_status": ("bigint", "ProcStat code"),
        "is_completed": ("boolean", "procedure_status = 2"),
        "is_hygiene_procedure": ("boolean", "Code is a hygiene procedure"),
        "is_prosthetic_procedure": ("boolean", "Code is a prosthesis"),
        "applied_fee": ("decimal(10,2)", "ProcFee charged, per unit"),
        "total_units": ("bigint", "unit_quantity + base_units (NULL as 0)"),
        "applied_fee_total": ("decimal(10,2)", "applied_fee x total_units (= procedure_fee_total)"),
        "fee_schedule_id": ("bigint", "Fee schedule OpenDental's rules select: plan, else patient, else provider"),
        "fee_schedule_source": ("string", "insurance_plan / patient / provider / NULL"),
        "fee_schedule_description": ("string", "feesched Description of fee_schedule_id"),
        "fee_schedule_type_id": ("bigint", "FeeScheduleType code"),
        "fee_schedule_type": (
            "string",
            "Normal / CoPay / OutNetwork / FixedBenefit / ManualBlueBook / Unknown; NULL without a schedule",
        ),
        "is_fee_schedule_hidden": ("boolean", "The selected schedule is hidden"),
        "is_global_fee_schedule": ("boolean", "The selected schedule is global"),
        "primary_insurance_plan_id": ("bigint", "Plan of the patient's primary coverage (ordinal 1), if any"),
        "is_ppo_plan": ("boolean", "That plan's type is PPO"),
        "scheduled_fee_id": ("bigint", "Fee row found on fee_schedule_id"),
        "scheduled_fee": ("decimal(10,2)", "Its amount; NULL when no fee is on file"),
        "scheduled_fee_match_level": ("string", "clinic_and_provider / provider / clinic / default"),
        "ucr_fee_schedule_id": ("bigint", "Fee schedule of the patient's primary provider (the office's usual fee)"),
        "ucr_fee": ("decimal(10,2)", "Fee found on ucr_fee_schedule_id"),
        "standard_fee_id": ("bigint", "Fee row behind standard_fee"),
        "standard_fee": ("decimal(10,2)", "Per-unit fee OpenDental would set today (FAC §8.5 step 4)"),
        "standard_fee_basis": ("string", "schedule / ucr_for_ppo / NULL"),
        "has_standard_fee": ("boolean", "standard_fee is not NULL"),
        "fee_matches_standard": ("boolean", "has_standard_fee and |applied_fee - standard_fee| < 0.01"),
        "fee_relationship": ("string", "no_standard_fee / matches_standard / above_standard / below_standard"),
        "fee_variance_amount": ("decimal(10,2)", "applied_fee - standard_fee"),
        "fee_variance_pct": (
            "float64",
            "100 x (applied_fee - standard_fee) / standard_fee, 2 places; NULL when standard_fee is NULL or 0",
        ),
        "available_fee_options": ("bigint", "Distinct visible fee schedules with a usable fee for this code"),
        "min_available_fee": ("decimal(10,2)", "Minimum usable fee for this code across those schedules"),
        "max_available_fee": ("decimal(10,2)", "Maximum"),
        "avg_fee_amount": ("decimal(10,2)", "Average, rounded to cents"),
        "adjustment_count": ("bigint", "Adjustments attached to the procedure"),
        "total_adjustments": ("decimal(18,2)", "Sum of their amounts (negative = discount)"),
        "adjustment_types": ("string", "Sorted distinct adjustment type names, '; '-separated"),
        "first_adjustment_date": ("date", "Earliest adjustment_date"),
        "last_adjustment_date": ("date", "Latest adjustment_date"),
        "has_provider_discretion": ("boolean", "Any attached adjustment has is_provider_discretion"),
        "has_employee_discount": ("boolean", "Any has is_employee_discount"),
        "has_military_discount": ("boolean", "Any has is_military_discount"),
        "has_courtesy_adjustment": ("boolean", "Any has is_courtesy_adjustment"),
        "has_insurance_writeoff_adjustment": ("boolean", "Any has is_insurance_writeoff"),
        "insurance_writeoff_amount": ("decimal(18,2)", "Write-offs on claimprocs of status 1, 4, 5, 7 for the procedure"),
        "effective_fee": ("decimal(18,2)", "applied_fee_total + total_adjustments"),
        "net_fee": ("decimal(18,2)", "effective_fee - insurance_writeoff_amount"),
        "overall_adjustment_impact": ("string", "none / increase / minor / moderate / major (FAC §8.5 step 8)"),
        "_updated_at": ("timestamp", "From int_procedure_complete"),
        "as_of_date": ("date", "ctx.as_of"),
    },
    tests=[
        equal_row_count("int_procedure_complete"),
        relationships("patient_id", to="int_patient_profile.patient_id"),  # FAC §12.2
        relationships("fee_schedule_id", to="stg_opendental__feesched.fee_schedule_id"),
        relationships("ucr_fee_schedule_id", to="stg_opendental__feesched.fee_schedule_id"),
        relationships("scheduled_fee_id", to="stg_opendental__fee.fee_id"),
        relationships("standard_fee_id", to="stg_opendental__fee.fee_id"),
        accepted_values("fee_schedule_source", ("insurance_plan", "patient", "provider")),
        accepted_values("scheduled_fee_match_level", [label for _, label in _MATCH_LEVELS]),
        accepted_values("standard_fee_basis", ("schedule", "ucr_for_ppo")),
        accepted_values("fee_relationship", ("no_standard_fee", "matches_standard", "above_standard", "below_standard")),
        accepted_values("overall_adjustment_impact", ("none", "increase", "minor", "moderate", "major")),
        accepted_values("fee_schedule_type", (*_FEE_SCHEDULE_TYPE.values(), "Unknown")),
        expression_is_true("has_standard_fee_iff_fee", lambda t: t.has_standard_fee == t.standard_fee.notnull()),
        expression_is_true("match_implies_standard_fee", lambda t: ~t.fee_matches_standard | t.has_standard_fee),
        expression_is_true(
            "effective_fee_identity",
            lambda t: (t.effective_fee - (t.applied_fee_total + t.total_adjustments)).abs() <= 0.01,
        ),
        expression_is_true(
            "net_fee_identity", lambda t: (t.net_fee - (t.effective_fee - t.insurance_writeoff_amount)).abs() <= 0.01
        ),
        custom("adjustments_reconcile", _adjustments_mismatch),
        custom("writeoffs_reconcile", _writeoff_mismatch),
        custom("completed_applied_total_reconciles", _applied_total_mismatch),
        expression_is_true(
            "available_fee_order",
            lambda t: (t.min_available_fee <= t.avg_fee_amount) & (t.avg_fee_amount <= t.max_available_fee),
            where=lambda t: t.available_fee_options > 0,
        ),
        expression_is_true("completed_has_standard_fee", lambda t: ~(t.is_completed & ~t.has_standard_fee), severity="warn"),
        expression_is_true(
            "completed_not_zero_charge", lambda t: ~(t.is_completed & (t.applied_fee_total == 0)), severity="warn"
        ),
        expression_is_true(
            "completed_variance_at_most_1000",
            lambda t: ~(t.is_completed & (t.fee_variance_amount.abs() > 1000).fill_null(False)),
            severity="warn",
        ),
        expression_is_true(
            "completed_effective_fee_not_negative", lambda t: ~(t.is_completed & (t.effective_fee < 0)), severity="warn"
        ),
    ],
)
def int_fee_model(
    int_procedure_complete: ir.Table,
    int_adjustments: ir.Table,
    int_patient_profile: ir.Table,
    int_provider_profile: ir.Table,
    stg_opendental__fee: ir.Table,
    stg_opendental__feesched: ir.Table,
    stg_opendental__patplan: ir.Table,
    stg_opendental__inssub: ir.Table,
    stg_opendental__insplan: ir.Table,
    stg_opendental__claimproc: ir.Table,
    ctx: BuildContext,
) -> ir.Table:
    """Each procedure's charged fee against the fee OpenDental's schedules give, net of adjustments and write-offs.

    - Schedule: the primary plan's (ordinal 1, lowest PatPlanNum), else the patient's, else the
      provider's (procedure provider, else the patient's primary provider) (FAC §8.5 step 2). It uses
      today's coverage and settings; OpenDental freezes a completed fee, so old work may show variance
      from later changes.
    - Fee inside a schedule: clinic+provider, provider, clinic, then default row (only default on a
      global schedule), ties to the highest FeeNum. Hidden schedules and blank (-1) or negative amounts
      give no fee, with no fallback. NULL (not OpenDental's 0) keeps "no fee on file" visible (step 3).
    - Standard fee: for a PPO plan the larger of the scheduled and UCR (primary provider's) fee, a
      missing one losing; otherwise the scheduled fee (step 4). The UCR schedule is NULL when the
      patient has no primary provider: the practice-default provider preference is not staged.
    - Adjustments are summed per procedure before the join (the reference kept one arbitrary type's
      total, FAC §8.7 item 1). Write-offs count claimproc statuses 1, 4, 5 and 7 only (step 7).
    - Impact on the net reduction r = -total_adjustments: r >= 50% of the charge (or a charge <= 0)
      major, >= 25% moderate, else minor; additions are "increase", no adjustment "none" (step 8).
    """
    pc = int_procedure_complete
    patients = int_patient_profile.select(
        pat_patient_id=int_patient_profile.patient_id,
        pat_fee_schedule_id=zero_to_null(int_patient_profile.fee_schedule_id),
        pat_primary_provider_id=zero_to_null(int_patient_profile.primary_provider_id),
    )
    schedule_providers = int_provider_profile.select(
        sp_provider_id=int_provider_profile.provider_id,
        provider_fee_schedule_id=zero_to_null(int_provider_profile.fee_schedule_id),
    )
    ucr_providers = int_provider_profile.select(
        ucr_provider_id=int_provider_profile.provider_id,
        ucr_fee_schedule_id=zero_to_null(int_provider_profile.fee_schedule_id),
    )
    plans = _primary_plans(stg_opendental__patplan, stg_opendental__inssub, stg_opendental__insplan)

    j = pc.left_join(patients, pc.patient_id == patients.pat_patient_id)
    j = j.left_join(plans, j.patient_id == plans.plan_patient_id)
    j = j.mutate(_schedule_provider_id=ibis.coalesce(zero_to_null(j.provider_id), j.pat_primary_provider_id))
    j = j.left_join(schedule_providers, j._schedule_provider_id == schedule_providers.sp_provider_id)
    j = j.left_join(ucr_providers, j.pat_primary_provider_id == ucr_providers.ucr_provider_id)
    j = j.mutate(
        fee_schedule_id=ibis.coalesce(j.plan_fee_schedule_id, j.pat_fee_schedule_id, j.provider_fee_schedule_id),
        fee_schedule_source=ibis.cases(
            (j.plan_fee_schedule_id.notnull(), "insurance_plan"),
            (j.pat_fee_schedule_id.notnull(), "patient"),
            (j.provider_fee_schedule_id.notnull(), "provider"),
            else_=ibis.null("string"),
        ),
    )
    # Each step-2 relation has one row per key, so ``j`` keeps one row per procedure.

    sched = stg_opendental__feesched
    fees = stg_opendental__fee.left_join(sched, stg_opendental__fee.fee_schedule_id == sched.fee_schedule_id)
    fees = fees.select(
        f_fee_id=fees.fee_id,
        f_schedule_id=fees.fee_schedule_id,
        f_code_id=fees.procedure_code_id,
        # 0 and NULL both mean "not clinic/provider specific" (FAC §8.8)
        f_clinic=fees.clinic_id.fill_null(0),
        f_provider=fees.provider_id.fill_null(0),
        f_amount=fees.fee_amount,
        f_is_hidden=fees.is_hidden.fill_null(False),
        f_is_global=fees.is_global_flag.fill_null(False),
    )

    def wanted(schedule: str) -> ir.Table:
        return j.select(
            w_procedure_id=j.procedure_id,
            w_schedule_id=j[schedule],
            w_code_id=j.procedure_code_id,
            w_clinic=j.clinic_id.fill_null(0),
            w_provider=j.provider_id.fill_null(0),
        ).filter(lambda w: w.w_schedule_id.notnull())

    scheduled = _fee_lookup(wanted("fee_schedule_id"), fees, "scheduled")
    ucr = _fee_lookup(wanted("ucr_fee_schedule_id"), fees, "ucr")

    usable = stg_opendental__fee.inner_join(sched, stg_opendental__fee.fee_schedule_id == sched.fee_schedule_id)
    usable = usable.filter(usable.fee_amount >= 0, ~usable.is_hidden)
    stats = usable.group_by(stat_code_id=usable.procedure_code_id).aggregate(
        available_fee_options=usable.fee_schedule_id.nunique(),
        min_available_fee=usable.fee_amount.min(),
        max_available_fee=usable.fee_amount.max(),
        avg_fee_amount=round_half_away(usable.fee_amount.sum().cast("float64") / usable.count(), 2).cast("decimal(10,2)"),
    )

    adj = int_adjustments.filter(int_adjustments.procedure_id.notnull())
    adj_totals = adj.group_by(adj_procedure_id=adj.procedure_id).aggregate(
        adjustment_count=adj.count(),
        total_adjustments=adj.adjustment_amount.sum().cast("decimal(18,2)"),
        first_adjustment_date=adj.adjustment_date.min(),
        last_adjustment_date=adj.adjustment_date.max(),
        **{flag: adj[source].any() for flag, source in _ADJUSTMENT_FLAGS.items()},
    )
    adj_types = sorted_list(adj, "procedure_id", "adjustment_type_name", "; ", name="adjustment_types").rename(
        types_procedure_id="procedure_id"
    )
    cp = stg_opendental__claimproc
    cp = cp.filter(cp.status.isin(_WRITEOFF_STATUSES), cp.procedure_id.notnull(), cp.procedure_id > 0)
    writeoffs = cp.group_by(wo_procedure_id=cp.procedure_id).aggregate(
        insurance_writeoff_amount=cp.write_off.sum().cast("decimal(18,2)")
    )
    schedules = sched.select(
        fs_id=sched.fee_schedule_id,
        fee_schedule_description=sched.fee_schedule_description,
        fee_schedule_type_id=sched.fee_schedule_type_id,
        fs_is_hidden=sched.is_hidden,
        fs_is_global=sched.is_global_flag,
    )

    j = j.left_join(schedules, j.fee_schedule_id == schedules.fs_id)
    j = j.left_join(scheduled, j.procedure_id == scheduled.scheduled_procedure_id)
    j = j.left_join(ucr, j.procedure_id == ucr.ucr_procedure_id)
    j = j.left_join(stats, j.procedure_code_id == stats.stat_code_id)
    j = j.left_join(adj_totals, j.procedure_id == adj_totals.adj_procedure_id)
    j = j.left_join(adj_types, j.procedure_id == adj_types.types_procedure_id)
    j = j.left_join(writeoffs, j.procedure_id == writeoffs.wo_procedure_id)

    # Step 4: for a PPO plan the office (UCR) fee wins when higher; a missing fee loses.
    use_ucr = j.is_ppo_plan & j.ucr_fee.notnull() & (j.scheduled_fee.isnull() | (j.ucr_fee > j.scheduled_fee))
    standard_fee = ibis.ifelse(use_ucr, j.ucr_fee, j.scheduled_fee)
    standard_fee_id = ibis.ifelse(use_ucr, j.ucr_fee_id, j.scheduled_fee_id)
    basis = ibis.cases((use_ucr, "ucr_for_ppo"), (j.scheduled_fee.notnull(), "schedule"), else_=ibis.null("string"))
    applied = j.procedure_fee
    has_standard = standard_fee.notnull()
    diff = applied - standard_fee
    matches = has_standard & (diff.abs() < 0.01).fill_null(False)
    total_adjustments = j.total_adjustments.fill_null(0).cast("decimal(18,2)")
    writeoff = j.insurance_writeoff_amount.fill_null(0).cast("decimal(18,2)")
    applied_total = j.procedure_fee_total
    effective = (applied_total + total_adjustments).cast("decimal(18,2)")
    reduction = -total_adjustments
    charge = applied_total.fill_null(0)

    return j.select(
        procedure_id=j.procedure_id,
        patient_id=j.patient_id,
        provider_id=zero_to_null(j.provider_id),
        clinic_id=zero_to_null(j.clinic_id),
        procedure_code_id=j.procedure_code_id,
        procedure_code=j.procedure_code,
        procedure_description=j.procedure_description,
        abbreviated_description=j.abbreviated_description,
        procedure_date=j.procedure_date,
        procedure_status=j.procedure_status,
        is_completed=j.is_completed,
        is_hygiene_procedure=j.is_hygiene,
        is_prosthetic_procedure=j.is_prosthetic,
        applied_fee=applied,
        total_units=(j.unit_quantity.fill_null(0) + j.base_units.fill_null(0)).cast("int64"),
        applied_fee_total=applied_total,
        fee_schedule_id=j.fee_schedule_id,
        fee_schedule_source=j.fee_schedule_source,
        fee_schedule_description=j.fee_schedule_description,
        fee_schedule_type_id=j.fee_schedule_type_id,
        fee_schedule_type=ibis.ifelse(j.fs_id.isnull(), ibis.null("string"), decode(j.fee_schedule_type_id, _FEE_SCHEDULE_TYPE)),
        is_fee_schedule_hidden=j.fs_is_hidden.fill_null(False),
        is_global_fee_schedule=j.fs_is_global.fill_null(False),
        primary_insurance_plan_id=j.primary_insurance_plan_id,
        is_ppo_plan=j.is_ppo_plan.fill_null(False),
        scheduled_fee_id=j.scheduled_fee_id,
        scheduled_fee=j.scheduled_fee,
        scheduled_fee_match_level=j.scheduled_level,
        ucr_fee_schedule_id=j.ucr_fee_schedule_id,
        ucr_fee=j.ucr_fee,
        standard_fee_id=standard_fee_id,
        standard_fee=standard_fee,
        standard_fee_basis=basis,
        has_standard_fee=has_standard,
        fee_matches_standard=matches,
        fee_relationship=ibis.cases(
            (~has_standard, "no_standard_fee"),
            (matches, "matches_standard"),
            (applied > standard_fee, "above_standard"),
            else_="below_standard",
        ),
        fee_variance_amount=diff.cast("decimal(10,2)"),
        fee_variance_pct=ratio(diff, standard_fee, 2, scale=100),
        available_fee_options=j.available_fee_options.fill_null(0).cast("int64"),
        min_available_fee=j.min_available_fee,
        max_available_fee=j.max_available_fee,
        avg_fee_amount=j.avg_fee_amount,
        adjustment_count=j.adjustment_count.fill_null(0),
        total_adjustments=total_adjustments,
        adjustment_types=j.adjustment_types,
        first_adjustment_date=j.first_adjustment_date,
        last_adjustment_date=j.last_adjustment_date,
        **{flag: j[flag].fill_null(False) for flag in _ADJUSTMENT_FLAGS},
        insurance_writeoff_amount=writeoff,
        effective_fee=effective,
        net_fee=(effective - writeoff).cast("decimal(18,2)"),
        overall_adjustment_impact=ibis.cases(
            (total_adjustments == 0, "none"),
            (total_adjustments > 0, "increase"),
            # r >= 50% / 25% of the charge, multiplied out to stay exact decimals
            ((charge <= 0) | (reduction * 2 >= charge), "major"),
            (reduction * 4 >= charge, "moderate"),
            else_="minor",
        ),
        _updated_at=j._updated_at,
        as_of_date=ibis.literal(ctx.as_of, type="date"),
    )
