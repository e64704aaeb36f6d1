"""``int_ar_analysis``: one wide AR row per patient, enriched with claims, payments, coverage and risk (DE §3.5)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ibis_models import accepted_range, accepted_values, custom, expression_is_true, model, relationships
from ibis_models.framework.context import BuildContext
from ibis_models.opendental.expressions import add_days, days_between, decode, greatest
from ibis_models.opendental.intermediate.ar._common import (
    COMPLETE,
    OLDEST,
    dated_on_or_before,
    family_members,
    staging_balance,
)

__all__ = ["int_ar_analysis"]

_MONEY = "decimal(18,2)"
PATIENT_STATUS = {0: "Patient", 1: "NonPatient", 2: "Inactive", 3: "Archived", 4: "Deleted", 5: "Deceased", 6: "Prospective"}
_SNAPSHOT_COLUMNS = (
    "total_ar_balance",
    "balance_0_30_days",
    "balance_31_60_days",
    "balance_61_90_days",
    "balance_over_90_days",
    "credit_balance",
    "balance_over_18_months",
    "estimated_insurance_ar",
    "insurance_payment_estimate",
    "insurance_writeoff_estimate",
    "patient_responsibility",
    "insurance_responsibility",
)
_BUCKETS = ("balance_0_30_days", "balance_31_60_days", "balance_61_90_days", "balance_over_90_days")


def _m(col: ir.Value) -> ir.Value:
    return col.fill_null(0).cast(_MONEY)


def _n(col: ir.Value) -> ir.Value:
    return col.fill_null(0).cast("int64")


def _all_patients_present(t: ir.Table, stg_opendental__patient: ir.Table) -> ir.Table:
    pats = stg_opendental__patient.select("patient_id")
    return pats.anti_join(t, "patient_id")


def _practice_reconciliation(
    t: ir.Table,
    stg_opendental__procedurelog: ir.Table,
    stg_opendental__adjustment: ir.Table,
    stg_opendental__paysplit: ir.Table,
    stg_opendental__definition: ir.Table,
    stg_opendental__claimproc: ir.Table,
    ctx: BuildContext,
) -> ir.Table:
    """DE §6 R1: the practice total equals P + A - S - I - W from staging, to the cent."""
    formula = staging_balance(
        ctx,
        stg_opendental__procedurelog,
        stg_opendental__adjustment,
        stg_opendental__paysplit,
        stg_opendental__definition,
        stg_opendental__claimproc,
    )
    mine = t.aggregate(practice_total=t.total_ar_balance.sum().fill_null(0).cast(_MONEY))
    both = mine.cross_join(formula)
    return both.filter(both.practice_total != both.balance)


def _claim_payments_differ(t: ir.Table, int_ar_shared_calculations: ir.Table, ctx: BuildContext) -> ir.Table:
    lg = int_ar_shared_calculations
    lg = lg.filter(lg.claim_payment_id.notnull(), dated_on_or_before(lg.transaction_date, ctx.as_of))
    sums = lg.group_by(_pid=lg.patient_id).aggregate(ledger=lg.insurance_payment_amount.sum().cast(_MONEY))
    j = t.left_join(sums, t.patient_id == sums._pid)
    return j.filter(j.total_claim_payments != j.ledger.fill_null(0)).select("patient_id")


@model(
    system="D",
    grain="one row per patient (every stg patient row, any status) plus every orphan patient id of the ledger",
    key=["patient_id"],
    columns={
        "patient_id": ("bigint", "PatNum"),
        "guarantor_id": ("bigint", "Family head"),
        "is_guarantor": ("boolean", "patient_id = guarantor_id"),
        "is_orphan_patient": ("boolean", "Ledger patient missing from the patient table"),
        "patient_status": ("bigint", "PatStatus (current state)"),
        "patient_status_description": ("string", "Patient, NonPatient, Inactive, Archived, Deleted, Deceased, Prospective"),
        "is_active_patient": ("boolean", "patient_status = 0"),
        "marital_status": ("string", "From int_patient_profile"),
        "position_code": ("bigint", "Position: marital status code"),
        "primary_provider_id": ("bigint", "PriProv"),
        "clinic_id": ("bigint", "ClinicNum"),
        "birth_date": ("date", "Birthdate"),
        "preferred_name": ("string", "Preferred"),
        "middle_initial": ("string", "MiddleI"),
        "first_visit_date": ("date", "DateFirstVisit, capped at last_visit_date"),
        "last_visit_date": ("date", "Latest completed appointment or procedure <= as_of"),
        "total_ar_balance": ("decimal(18,2)", "as_of snapshot (0 when no row)"),
        "balance_0_30_days": ("decimal(18,2)", "as_of snapshot"),
        "balance_31_60_days": ("decimal(18,2)", "as_of snapshot"),
        "balance_61_90_days": ("decimal(18,2)", "as_of snapshot"),
        "balance_over_90_days": ("decimal(18,2)", "as_of snapshot"),
        "credit_balance": ("decimal(18,2)", "as_of snapshot"),
        "balance_over_18_months": ("decimal(18,2)", "as_of snapshot"),
        "estimated_insurance_ar": ("decimal(18,2)", "as_of snapshot"),
        "insurance_payment_estimate": ("decimal(18,2)", "as_of snapshot"),
        "insurance_writeoff_estimate": ("decimal(18,2)", "as_of snapshot"),
        "patient_responsibility": ("decimal(18,2)", "as_of snapshot"),
        "insurance_responsibility": ("decimal(18,2)", "as_of snapshot"),
        "open_procedures_count": ("bigint", "as_of snapshot"),
        "active_claims_count": ("bigint", "as_of snapshot"),
        "unattached_balance": ("decimal(18,2)", "total_ar_balance - sum of int_ar_balance.current_balance"),
        "total_production": ("decimal(18,2)", "Ledger production <= as_of"),
        "total_adjustments": ("decimal(18,2)", "Ledger adjustments <= as_of"),
        "total_patient_payments": ("decimal(18,2)", "Ledger patient payments <= as_of"),
        "total_insurance_payments": ("decimal(18,2)", "Ledger insurance payments <= as_of"),
        "total_writeoffs": ("decimal(18,2)", "Ledger claimproc write-offs <= as_of"),
        "writeoff_adjustment_count": ("bigint", "Adjustments <= as_of of category insurance_writeoff"),
        "writeoff_adjustment_total": ("decimal(18,2)", "Their amount"),
        "discount_count": ("bigint", "Adjustments <= as_of whose category contains 'discount'"),
        "total_discounts": ("decimal(18,2)", "Their amount"),
        "last_adjustment_date": ("date", "Latest adjustment <= as_of"),
        "patient_payment_count": ("bigint", "Distinct payments of non-transfer splits <= as_of"),
        "insurance_payment_count": ("bigint", "Distinct insurance checks of paying claimprocs <= as_of"),
        "last_patient_payment_date": ("date", "Latest non-transfer split <= as_of"),
        "last_insurance_payment_date": ("date", "Latest paying claimproc <= as_of"),
        "last_payment_date": ("date", "Later of the two"),
        "last_patient_payment_type": ("string", "payment_type_name of the latest such split"),
        "last_insurance_check_number": ("string", "Check number of the latest claim payment of the patient's insurance rows"),
        "total_merchant_fees": ("decimal(18,2)", "Merchant fees of payments by this payer <= as_of"),
        "pending_claims_count": ("bigint", "Claims sent (S, P), not PreAuth (current state)"),
        "unsent_claims_count": ("bigint", "Claims U, W, H, I, not PreAuth (current state)"),
        "pending_claims_amount": ("decimal(18,2)", "InsPayEst of status-0 claimprocs on pending claims"),
        "denied_claims_count": ("bigint", "Proxy: received claims with no insurance paid and fees billed"),
        "denied_claims_amount": ("decimal(18,2)", "Fees billed on those claims"),
        "last_pending_claim_date": ("date", "Latest sent_date of pending claims"),
        "last_denied_claim_date": ("date", "Latest received_date of denied-proxy claims"),
        "recent_status_changes": ("bigint", "Claims with a tracking entry in (as_of - 30 days, as_of]"),
        "last_status_change_date": ("date", "Latest tracking entry date <= as_of"),
        "total_claim_payments": ("decimal(18,2)", "int_claim_payments paid_amount with check_date <= as_of"),
        "claim_payment_count": ("bigint", "Distinct claim payments among those lines"),
        "normal_payment_count": ("bigint", "Lines with paid_amount > 0"),
        "zero_payment_count": ("bigint", "Lines with paid_amount = 0"),
        "reversal_count": ("bigint", "Lines with paid_amount < 0"),
        "normal_payment_amount": ("decimal(18,2)", "Sum of positive paid_amount"),
        "reversal_amount": ("decimal(18,2)", "Sum of negative paid_amount"),
        "procedures_with_primary_insurance": ("bigint", "Completed procedures <= as_of with a claimproc on a P claim"),
        "procedures_with_secondary_insurance": ("bigint", "Same for S claims"),
        "has_active_primary_insurance": ("boolean", "An active ordinal-1 coverage on as_of"),
        "primary_insurance_id": ("bigint", "insurance_plan_id of the chosen ordinal-1 coverage"),
        "secondary_insurance_id": ("bigint", "insurance_plan_id of the chosen ordinal-2 coverage"),
        "primary_carrier_name": ("string", "Of the ordinal-1 row"),
        "primary_insurance_group": ("string", "Of the ordinal-1 row"),
        "primary_insurance_type": ("string", "Of the ordinal-1 row"),
        "secondary_insurance_group": ("string", "Of the ordinal-2 row"),
        "secondary_insurance_type": ("string", "Of the ordinal-2 row"),
        "coverage_start_date": ("date", "effective_date of the ordinal-1 row"),
        "coverage_end_date": ("date", "termination_date of the ordinal-1 row"),
        "aging_risk_category": ("string", "No Balance, Credit Balance, High/Medium/Moderate/Low Risk"),
        "balance_category": ("string", "No Balance, Credit Balance, Small, Medium, Large, Very Large"),
        "payment_recency": ("string", "Recent, Moderate, Old, Very Old"),
        "days_since_last_payment": ("bigint", "as_of - last_payment_date"),
        "collection_priority_score": ("bigint", "0-100 (DE §3.5 rule 6)"),
        "is_beyond_collection_horizon": ("boolean", "balance_over_18_months > 0"),
        "as_of_date": ("date", "ctx.as_of"),
    },
    tests=[
        custom("every_stg_patient_present", _all_patients_present),
        relationships("patient_id", to="int_patient_profile.patient_id", where=lambda t: ~t.is_orphan_patient, severity="warn"),
        expression_is_true(
            "total_equals_components",
            lambda t: (
                t.total_ar_balance
                == t.total_production
                + t.total_adjustments
                - t.total_patient_payments
                - t.total_insurance_payments
                - t.total_writeoffs
            ),
        ),
        expression_is_true(
            "buckets_plus_credit_equal_total",
            lambda t: (
                t.total_ar_balance
                == t.balance_0_30_days + t.balance_31_60_days + t.balance_61_90_days + t.balance_over_90_days + t.credit_balance
            ),
        ),
        expression_is_true(
            "total_equals_patient_plus_insurance_responsibility",
            lambda t: t.total_ar_balance == t.patient_responsibility + t.insurance_responsibility,
        ),
        custom("practice_total_equals_staging_formula", _practice_reconciliation),
        accepted_values(
            "aging_risk_category", ("No Balance", "Credit Balance", "High Risk", "Medium Risk", "Moderate Risk", "Low Risk")
        ),
        accepted_values("balance_category", ("No Balance", "Credit Balance", "Small", "Medium", "Large", "Very Large")),
        accepted_values("payment_recency", ("Recent", "Moderate", "Old", "Very Old")),
        accepted_values("patient_status_description", (*PATIENT_STATUS.values(), "Unknown")),
        accepted_range("collection_priority_score", min=0, max=100),
        expression_is_true(
            "counts_non_negative",
            lambda t: ibis.and_(
                *(
                    t[c] >= 0
                    for c in (
                        "pending_claims_count",
                        "unsent_claims_count",
                        "denied_claims_count",
                        "claim_payment_count",
                        "patient_payment_count",
                        "insurance_payment_count",
                        "recent_status_changes",
                    )
                )
            ),
            severity="warn",
        ),
        expression_is_true("pending_claims_amount_non_negative", lambda t: t.pending_claims_amount >= 0, severity="warn"),
        expression_is_true("reversal_le_0_le_normal", lambda t: (t.reversal_amount <= 0) & (t.normal_payment_amount >= 0)),
        custom("claim_payments_equal_ledger", _claim_payments_differ, severity="warn"),
        expression_is_true(
            "first_visit_not_after_last_visit",
            lambda t: t.first_visit_date.isnull() | t.last_visit_date.isnull() | (t.first_visit_date <= t.last_visit_date),
        ),
        expression_is_true(
            "last_visit_not_after_as_of", lambda t: t.last_visit_date.isnull() | (t.last_visit_date <= t.as_of_date)
        ),
    ],
)
def int_ar_analysis(
    int_ar_aging_snapshot: ir.Table,
    int_ar_shared_calculations: ir.Table,
    int_ar_balance: ir.Table,
    stg_opendental__patient: ir.Table,
    int_patient_profile: ir.Table,
    stg_opendental__appointment: ir.Table,
    stg_opendental__procedurelog: ir.Table,
    stg_opendental__claim: ir.Table,
    stg_opendental__claimproc: ir.Table,
    int_claim_tracking: ir.Table,
    int_claim_payments: ir.Table,
    stg_opendental__payment: ir.Table,
    stg_opendental__claimpayment: ir.Table,
    int_insurance_coverage: ir.Table,
    ctx: BuildContext,
) -> ir.Table:
    """What each account owes, how old it is, who should pay it, what happened on it and how risky it is.

    - Every patient of any status plus orphan ledger patients (OpenDental ages them all, DE §3.5);
      every enrichment is aggregated to one row per patient before the join.
    - AR figures come from the as_of rows of int_ar_aging_snapshot; totals, counts and last dates
      from the ledger dated <= as_of. Claim status, coverage and patient status are current state.
    - Claims exclude PreAuth (any casing); OpenDental has no denied status, so "denied" is a proxy:
      received, nothing paid on status 1/4 lines, fees billed (DE §3.5).
    - Coverage: active rows in force on as_of; per ordinal the latest effective_date (NULLs last),
      then the largest insurance_plan_id.
    - Priority score in decimal, rounded half away from zero; never-paid accounts get the 25
      "no recent payment" points the reference withheld.
    """
    as_of = ibis.literal(ctx.as_of, type="date")
    oldest = ibis.literal(OLDEST)
    lg = int_ar_shared_calculations
    fam = family_members(stg_opendental__patient, lg)

    # AR from the as_of snapshot
    snap = int_ar_aging_snapshot.filter(int_ar_aging_snapshot.is_as_of_snapshot)
    snap = snap.select(*_SNAPSHOT_COLUMNS, "open_procedures_count", "active_claims_count", _s_pid=snap.patient_id)

    # ledger totals and last events <= as_of
    d = lg.filter(dated_on_or_before(lg.transaction_date, as_of))
    is_adj = d.source_type == "ADJUSTMENT"
    cat = d.adjustment_category.fill_null("")
    pay_rows = (d.source_type == "PAYSPLIT") & (d.patient_payment_amount != 0) & ~d.is_income_transfer
    ins_rows = (d.source_type == "CLAIMPROC") & (d.insurance_payment_amount != 0)
    totals = d.group_by(_l_pid=d.patient_id).aggregate(
        total_production=d.production_amount.sum(),
        total_adjustments=d.adjustment_amount.sum(),
        total_patient_payments=d.patient_payment_amount.sum(),
        total_insurance_payments=d.insurance_payment_amount.sum(),
        total_writeoffs=d.writeoff_amount.sum(),
        writeoff_adjustment_count=(is_adj & (cat == "insurance_writeoff")).sum(),
        writeoff_adjustment_total=d.adjustment_amount.sum(where=is_adj & (cat == "insurance_writeoff")),
        discount_count=(is_adj & cat.contains("discount")).sum(),
        total_discounts=d.adjustment_amount.sum(where=is_adj & cat.contains("discount")),
        last_adjustment_date=d.transaction_date.max(where=is_adj),
        patient_payment_count=d.payment_id.nunique(where=pay_rows),
        insurance_payment_count=d.claim_payment_id.nunique(where=ins_rows & d.claim_payment_id.notnull()),
        last_patient_payment_date=d.transaction_date.max(where=pay_rows),
        last_insurance_payment_date=d.transaction_date.max(where=ins_rows),
    )
    splits = d.filter(pay_rows)
    w = ibis.window(
        group_by=splits.patient_id,
        order_by=[splits.transaction_date.fill_null(oldest).desc(), splits.payment_id.desc(), splits.ledger_entry_id.desc()],
    )
    last_split = splits.mutate(_rn=ibis.row_number().over(w)).filter(lambda t: t._rn == 0)
    last_split = last_split.select(_ls_pid="patient_id", last_patient_payment_type="payment_type_name")

    checks = stg_opendental__claimpayment
    ins = d.filter((d.source_type == "CLAIMPROC") & d.claim_payment_id.notnull())
    ins = ins.inner_join(checks, ins.claim_payment_id == checks.claim_payment_id)
    ins = ins.select(_pid="patient_id", _cpid="claim_payment_id", _check_date="check_date", _check_number="check_number")
    w2 = ibis.window(group_by=ins._pid, order_by=[ins._check_date.fill_null(oldest).desc(), ins._cpid.desc()])
    last_check = ins.mutate(_rn=ibis.row_number().over(w2)).filter(lambda t: t._rn == 0)
    last_check = last_check.select(_lc_pid="_pid", last_insurance_check_number="_check_number")

    procedure_balances = int_ar_balance.group_by(_b_pid=int_ar_balance.patient_id).aggregate(
        _attached_total=int_ar_balance.current_balance.sum()
    )
    pay = stg_opendental__payment
    pay = pay.filter(pay.patient_id.notnull(), dated_on_or_before(pay.payment_date, as_of))
    fees = pay.group_by(_f_pid=pay.patient_id).aggregate(total_merchant_fees=pay.merchant_fee.sum())

    # visits
    appts = stg_opendental__appointment
    appts = appts.filter(appts.appointment_status == COMPLETE, appts.appointment_datetime.notnull())
    appts = appts.select(_pid="patient_id", _visit=appts.appointment_datetime.date())
    procs = stg_opendental__procedurelog
    procs_done = procs.filter(procs.procedure_status == COMPLETE, procs.procedure_date.notnull())
    visits = ibis.union(appts, procs_done.select(_pid="patient_id", _visit="procedure_date"), distinct=False)
    visits = visits.filter(visits._visit <= as_of)
    last_visit = visits.group_by(_v_pid=visits._pid).aggregate(last_visit_date=visits._visit.max())

    # claims at claim grain, not PreAuth; claimproc sums per claim first
    claims = stg_opendental__claim
    claims = claims.mutate(_status=claims.claim_status.strip().upper(), _type=claims.claim_type.strip().upper())
    claims = claims.filter(claims._type.fill_null("") != "PREAUTH")
    cp = stg_opendental__claimproc.filter(stg_opendental__claimproc.claim_id.notnull())
    cp_sums = cp.group_by(_cp_claim=cp.claim_id).aggregate(
        _est0=cp.insurance_payment_estimate.sum(where=cp.status == 0),
        _paid=cp.insurance_payment_amount.sum(where=cp.status.isin((1, 4))),
        _billed=cp.fee_billed.sum(),
    )
    cl = claims.left_join(cp_sums, claims.claim_id == cp_sums._cp_claim)
    pending = cl._status.isin(("S", "P"))
    denied = (cl._status == "R") & (cl._paid.fill_null(0) == 0) & (cl._billed.fill_null(0) > 0)
    claim_stats = cl.group_by(_c_pid=cl.patient_id).aggregate(
        pending_claims_count=cl.claim_id.nunique(where=pending),
        unsent_claims_count=cl.claim_id.nunique(where=cl._status.isin(("U", "W", "H", "I"))),
        pending_claims_amount=cl._est0.sum(where=pending),
        denied_claims_count=cl.claim_id.nunique(where=denied),
        denied_claims_amount=cl._billed.sum(where=denied),
        last_pending_claim_date=cl.sent_date.max(where=pending),
        last_denied_claim_date=cl.received_date.max(where=denied),
    )

    # claim tracking: the patient's claims
    tr = int_claim_tracking.filter(int_claim_tracking.claim_id.notnull())
    owners = stg_opendental__claim.select(_t_claim="claim_id", _t_pid="patient_id")
    tr = tr.inner_join(owners, tr.claim_id == owners._t_claim)
    tr = tr.mutate(_day=tr.entry_timestamp.date()).filter(lambda t: t._day <= as_of)
    tracking = tr.group_by(_tr_pid=tr._t_pid).aggregate(
        recent_status_changes=tr.claim_id.nunique(where=tr._day > add_days(as_of, -30)),
        last_status_change_date=tr._day.max(),
    )

    # claim payment lines
    cpl = int_claim_payments.filter(int_claim_payments.check_date <= as_of)
    claim_pay = cpl.group_by(_cpl_pid=cpl.patient_id).aggregate(
        total_claim_payments=cpl.paid_amount.sum(),
        claim_payment_count=cpl.claim_payment_id.nunique(),
        normal_payment_count=(cpl.paid_amount > 0).sum(),
        zero_payment_count=(cpl.paid_amount == 0).sum(),
        reversal_count=(cpl.paid_amount < 0).sum(),
        normal_payment_amount=cpl.paid_amount.sum(where=cpl.paid_amount > 0),
        reversal_amount=cpl.paid_amount.sum(where=cpl.paid_amount < 0),
    )

    # procedures with primary / secondary insurance
    done = procs_done.filter(procs_done.procedure_date <= as_of).select(_pp_id="procedure_id", _pp_pid="patient_id")
    ctype = claims.select(_ct_claim="claim_id", _ct_type="_type")
    pc = cp.filter(cp.procedure_id.notnull()).inner_join(ctype, cp.claim_id == ctype._ct_claim)
    pc = pc.inner_join(done, pc.procedure_id == done._pp_id)
    proc_ins = pc.group_by(_pi_pid=pc._pp_pid).aggregate(
        procedures_with_primary_insurance=pc.procedure_id.nunique(where=pc._ct_type == "P"),
        procedures_with_secondary_insurance=pc.procedure_id.nunique(where=pc._ct_type == "S"),
    )

    # coverage choice (rule 1)
    cov = int_insurance_coverage
    cov = cov.filter(
        cov.is_active.fill_null(False),
        cov.effective_date.isnull() | (cov.effective_date <= as_of),
        cov.termination_date.isnull() | (cov.termination_date >= as_of),
        cov.ordinal.isin((1, 2)),
    )
    w3 = ibis.window(
        group_by=[cov.patient_id, cov.ordinal],
        order_by=[cov.effective_date.isnull(), cov.effective_date.desc(), cov.insurance_plan_id.desc()],
    )
    cov = cov.mutate(_rn=ibis.row_number().over(w3)).filter(lambda t: t._rn == 0)
    prim = cov.filter(cov.ordinal == 1).select(
        _p1_pid="patient_id",
        primary_insurance_id="insurance_plan_id",
        primary_carrier_name="carrier_name",
        primary_insurance_group="group_name",
        primary_insurance_type="plan_type",
        coverage_start_date="effective_date",
        coverage_end_date="termination_date",
    )
    sec = cov.filter(cov.ordinal == 2).select(
        _p2_pid="patient_id",
        secondary_insurance_id="insurance_plan_id",
        secondary_insurance_group="group_name",
        secondary_insurance_type="plan_type",
    )

    pats = stg_opendental__patient.select(
        "patient_status",
        "position_code",
        "primary_provider_id",
        "clinic_id",
        "birth_date",
        "preferred_name",
        "middle_initial",
        _first_visit="first_visit_date",
        _pt_pid="patient_id",
    )
    profile = int_patient_profile.select(_pr_pid="patient_id", marital_status="marital_status")

    j = fam
    for table, key in (
        (pats, "_pt_pid"),
        (profile, "_pr_pid"),
        (snap, "_s_pid"),
        (totals, "_l_pid"),
        (last_split, "_ls_pid"),
        (last_check, "_lc_pid"),
        (procedure_balances, "_b_pid"),
        (fees, "_f_pid"),
        (last_visit, "_v_pid"),
        (claim_stats, "_c_pid"),
        (tracking, "_tr_pid"),
        (claim_pay, "_cpl_pid"),
        (proc_ins, "_pi_pid"),
        (prim, "_p1_pid"),
        (sec, "_p2_pid"),
    ):
        j = j.left_join(table, j.patient_id == table[key])

    total = _m(j.total_ar_balance)
    over90 = _m(j.balance_over_90_days)
    b61 = _m(j.balance_61_90_days)
    last_payment = greatest(j.last_patient_payment_date, j.last_insurance_payment_date)
    since = days_between(as_of, last_payment)
    has_primary = j.primary_insurance_id.notnull()
    # ratios multiplied out so they stay exact decimals
    risk = ibis.cases(
        (total == 0, "No Balance"),
        (total < 0, "Credit Balance"),
        (over90 * 2 >= total, "High Risk"),
        (over90 * 4 >= total, "Medium Risk"),
        (b61 * 2 >= total, "Moderate Risk"),
        else_="Low Risk",
    )
    share = ibis.ifelse(total > 0, total / 40, 0)
    points = (
        ibis.ifelse(share > 25, 25, share)
        + ibis.ifelse((over90 * 2 >= total) & (total > 0), 25, 0)
        + ibis.ifelse(last_payment.isnull() | (last_payment < add_days(as_of, -90)), 25, 0)
        + ibis.ifelse(~has_primary, 25, 0)
    ).cast("decimal(18,4)")
    score = ibis.ifelse(total <= 0, 0, points.round(0).cast("int64"))
    score = ibis.ifelse(score > 100, 100, ibis.ifelse(score < 0, 0, score)).cast("int64")
    last_visit_date = j.last_visit_date
    first_visit = ibis.ifelse(
        j._first_visit.notnull() & last_visit_date.notnull() & (j._first_visit > last_visit_date),
        last_visit_date,
        j._first_visit,
    )
    return j.select(
        patient_id=j.patient_id,
        guarantor_id=j.guarantor_id,
        is_guarantor=j.patient_id == j.guarantor_id,
        is_orphan_patient=j.is_orphan_patient,
        patient_status=j.patient_status,
        patient_status_description=ibis.ifelse(
            j.patient_status.isnull(), ibis.null("string"), decode(j.patient_status, PATIENT_STATUS)
        ),
        is_active_patient=(j.patient_status == 0).fill_null(False),
        marital_status=j.marital_status,
        position_code=j.position_code,
        primary_provider_id=j.primary_provider_id,
        clinic_id=j.clinic_id,
        birth_date=j.birth_date,
        preferred_name=j.preferred_name,
        middle_initial=j.middle_initial,
        first_visit_date=first_visit,
        last_visit_date=last_visit_date,
        **{c: _m(j[c]) for c in _SNAPSHOT_COLUMNS},
        open_procedures_count=_n(j.open_procedures_count),
        active_claims_count=_n(j.active_claims_count),
        unattached_balance=(total - _m(j._attached_total)).cast(_MONEY),
        total_production=_m(j.total_production),
        total_adjustments=_m(j.total_adjustments),
        total_patient_payments=_m(j.total_patient_payments),
        total_insurance_payments=_m(j.total_insurance_payments),
        total_writeoffs=_m(j.total_writeoffs),
        writeoff_adjustment_count=_n(j.writeoff_adjustment_count),
        writeoff_adjustment_total=_m(j.writeoff_adjustment_total),
        discount_count=_n(j.discount_count),
        total_discounts=_m(j.total_discounts),
        last_adjustment_date=j.last_adjustment_date,
        patient_payment_count=_n(j.patient_payment_count),
        insurance_payment_count=_n(j.insurance_payment_count),
        last_patient_payment_date=j.last_patient_payment_date,
        last_insurance_payment_date=j.last_insurance_payment_date,
        last_payment_date=last_payment,
        last_patient_payment_type=j.last_patient_payment_type,
        last_insurance_check_number=j.last_insurance_check_number,
        total_merchant_fees=_m(j.total_merchant_fees),
        pending_claims_count=_n(j.pending_claims_count),
        unsent_claims_count=_n(j.unsent_claims_count),
        pending_claims_amount=_m(j.pending_claims_amount),
        denied_claims_count=_n(j.denied_claims_count),
        denied_claims_amount=_m(j.denied_claims_amount),
        last_pending_claim_date=j.last_pending_claim_date,
        last_denied_claim_date=j.last_denied_claim_date,
        recent_status_changes=_n(j.recent_status_changes),
        last_status_change_date=j.last_status_change_date,
        total_claim_payments=_m(j.total_claim_payments),
        claim_payment_count=_n(j.claim_payment_count),
        normal_payment_count=_n(j.normal_payment_count),
        zero_payment_count=_n(j.zero_payment_count),
        reversal_count=_n(j.reversal_count),
        normal_payment_amount=_m(j.normal_payment_amount),
        reversal_amount=_m(j.reversal_amount),
        procedures_with_primary_insurance=_n(j.procedures_with_primary_insurance),
        procedures_with_secondary_insurance=_n(j.procedures_with_secondary_insurance),
        has_active_primary_insurance=has_primary,
        primary_insurance_id=j.primary_insurance_id,
        secondary_insurance_id=j.secondary_insurance_id,
        primary_carrier_name=j.primary_carrier_name,
        primary_insurance_group=j.primary_insurance_group,
        primary_insurance_type=j.primary_insurance_type,
        secondary_insurance_group=j.secondary_insurance_group,
        secondary_insurance_type=j.secondary_insurance_type,
        coverage_start_date=j.coverage_start_date,
        coverage_end_date=j.coverage_end_date,
        aging_risk_category=risk,
        balance_category=ibis.cases(
            (total == 0, "No Balance"),
            (total < 0, "Credit Balance"),
            (total < 100, "Small"),
            (total < 500, "Medium"),
            (total < 2000, "Large"),
            else_="Very Large",
        ),
        payment_recency=ibis.cases(
            (since.isnull(), "Very Old"),
            (since <= 30, "Recent"),
            (since <= 90, "Moderate"),
            (since <= 180, "Old"),
            else_="Very Old",
        ),
        days_since_last_payment=since,
        collection_priority_score=score,
        is_beyond_collection_horizon=_m(j.balance_over_18_months) > 0,
        as_of_date=as_of,
    )
