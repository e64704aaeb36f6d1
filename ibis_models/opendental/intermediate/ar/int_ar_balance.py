"""``int_ar_balance``: the open balance of every completed procedure as of ``as_of`` (DE §3.2)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ibis_models import accepted_values, custom, expression_is_true, model, relationships
from ibis_models.framework.context import BuildContext
from ibis_models.opendental.expressions import add_days, add_months, days_between, greatest, zero_to_null
from ibis_models.opendental.intermediate.ar._common import COMPLETE, dated_on_or_before, is_pending_estimate, param

__all__ = ["int_ar_balance"]

_MONEY = "decimal(18,2)"
CLAIM_STATUS_DESCRIPTIONS = {
    "U": "unsent",
    "H": "hold_until_primary_received",
    "W": "waiting_to_send",
    "S": "sent",
    "R": "received",
    "I": "hold_in_process",
    "A": "legacy",
    "P": "legacy",
}
_SUMS = ("total_adjustment_amount", "patient_payment_amount", "insurance_payment_amount", "writeoff_amount")


def _attached(ledger: ir.Table, procedures: ir.Table) -> ir.Table:
    """Ledger rows whose procedure is a listed procedure of the same patient (DE §3.2 rule 1)."""
    keys = procedures.select(_att_proc_id=procedures.procedure_id, _att_patient_id=procedures.patient_id)
    return ledger.semi_join(keys, (ledger.procedure_id == keys._att_proc_id) & (ledger.patient_id == keys._att_patient_id))


def _patient_tie_out(t: ir.Table, int_ar_shared_calculations: ir.Table, ctx: BuildContext) -> ir.Table:
    """DE §6 R4 against the ledger: per patient, procedure balances + unattached rows = balance."""
    lg = int_ar_shared_calculations
    lg = lg.filter(dated_on_or_before(lg.transaction_date, ctx.as_of))
    attached = _attached(lg, t)
    unattached = lg.anti_join(attached, "ledger_entry_id")
    parts = ibis.union(
        t.select("patient_id", amount=t.current_balance.cast(_MONEY)),
        unattached.select("patient_id", amount=unattached.amount.cast(_MONEY)),
        distinct=False,
    )
    explained = parts.group_by("patient_id").aggregate(explained=parts.amount.sum())
    total = lg.group_by("patient_id").aggregate(balance=lg.amount.sum().cast(_MONEY))
    both = explained.outer_join(total, explained.patient_id == total.patient_id)
    both = both.select(
        patient_id=both.patient_id.fill_null(both.patient_id_right),
        explained=both.explained.fill_null(0),
        balance=both.balance.fill_null(0),
    )
    return both.filter(both.explained != both.balance)


def _tie_out_to_analysis(
    t: ir.Table, int_ar_shared_calculations: ir.Table, int_ar_analysis: ir.Table, ctx: BuildContext
) -> ir.Table:
    """DE §6 R4: per patient, procedure balances + unattached ledger rows = int_ar_analysis.total_ar_balance."""
    lg = int_ar_shared_calculations
    lg = lg.filter(dated_on_or_before(lg.transaction_date, ctx.as_of))
    unattached = lg.anti_join(_attached(lg, t), "ledger_entry_id")
    parts = ibis.union(
        t.select("patient_id", amount=t.current_balance.cast(_MONEY)),
        unattached.select("patient_id", amount=unattached.amount.cast(_MONEY)),
        distinct=False,
    )
    explained = parts.group_by(_e_pid=parts.patient_id).aggregate(explained=parts.amount.sum())
    a = int_ar_analysis.select("patient_id", "total_ar_balance")
    j = a.left_join(explained, a.patient_id == explained._e_pid)
    return j.filter(j.explained.fill_null(0) != j.total_ar_balance).select("patient_id")


def _other_patient_rows(t: ir.Table, int_ar_shared_calculations: ir.Table) -> ir.Table:
    """Ledger rows on a listed procedure but booked to another patient (they stay unattached)."""
    lg = int_ar_shared_calculations
    procs = t.select(_p_proc_id=t.procedure_id, _p_patient_id=t.patient_id)
    j = lg.inner_join(procs, lg.procedure_id == procs._p_proc_id)
    return j.filter(j.patient_id != j._p_patient_id).select("ledger_entry_id", "procedure_id", "patient_id")


@model(
    system="D",
    grain="one row per completed procedure (procedurelog.ProcNum, ProcStatus 2) dated on or before as_of",
    key=["procedure_id"],
    columns={
        "procedure_id": ("bigint", "ProcNum"),
        "patient_id": ("bigint", "PatNum"),
        "guarantor_id": ("bigint", "Family head (stg patient); = patient_id when the patient row is missing"),
        "provider_id": ("bigint", "ProvNum; NULL when 0"),
        "clinic_id": ("bigint", "ClinicNum; NULL when 0"),
        "procedure_date": ("date", "ProcDate"),
        "procedure_code": ("string", "From int_procedure_complete (NULL if missing)"),
        "procedure_description": ("string", "From int_procedure_complete (NULL if missing)"),
        "procedure_fee": ("decimal(10,2)", "Per-unit ProcFee"),
        "unit_quantity": ("bigint", "UnitQty"),
        "base_units": ("bigint", "BaseUnits"),
        "production_amount": ("decimal(10,2)", "The PROCEDURE ledger row's production_amount (0 for zero-fee)"),
        "total_adjustment_amount": ("decimal(18,2)", "Sum of attached adjustment_amount (signed)"),
        "patient_payment_amount": ("decimal(18,2)", "Sum of attached patient_payment_amount"),
        "insurance_payment_amount": ("decimal(18,2)", "Sum of attached insurance_payment_amount"),
        "writeoff_amount": ("decimal(18,2)", "Sum of attached writeoff_amount"),
        "total_payment_amount": ("decimal(18,2)", "patient_payment_amount + insurance_payment_amount"),
        "current_balance": ("decimal(18,2)", "Sum of attached ledger amount"),
        "insurance_estimate": ("decimal(18,2)", "Attached claimprocs pending at as_of (DE §2.4): sum of InsPayEst"),
        "insurance_writeoff_estimate": ("decimal(18,2)", "Same claimprocs: sum of WriteOff"),
        "insurance_pending_amount": ("decimal(18,2)", "= insurance_estimate (reference compatibility)"),
        "patient_responsibility": ("decimal(18,2)", "current_balance - insurance_estimate - insurance_writeoff_estimate"),
        "has_pending_claim": ("boolean", "At least one attached claimproc pending at as_of"),
        "responsible_party": ("string", "INSURANCE if has_pending_claim else PATIENT"),
        "days_outstanding": ("bigint", "as_of - procedure_date"),
        "aging_bucket": ("string", "0-30, 31-60, 61-90 or 90+ by the charge's age (NULL date -> 90+)"),
        "payment_due_date": ("date", "procedure_date + 30 days"),
        "days_overdue": ("bigint", "as_of - payment_due_date"),
        "pbn_aging_bucket": ("string", "CURRENT, 30-60, 60-90 or OVER_90 (Practice-by-Numbers style)"),
        "claim_id": ("bigint", "Primary claim: largest attached claim of type P"),
        "claim_status": ("string", "ClaimStatus of the primary claim (current state)"),
        "claim_status_description": ("string", "Label of claim_status; NULL when no primary claim"),
        "claim_sent_date": ("date", "DateSent of the primary claim"),
        "received_date": ("date", "DateReceived of the primary claim"),
        "carrier_name": ("string", "Primary claim plan -> insplan.carrier_id -> carrier name"),
        "secondary_claim_id": ("bigint", "Largest attached claim of type S"),
        "claim_count": ("bigint", "Distinct attached claims"),
        "last_insurance_payment_date": ("date", "Latest attached row with an insurance payment"),
        "last_patient_payment_date": ("date", "Latest attached row with a patient payment"),
        "last_payment_date": ("date", "Later of the two"),
        "has_open_balance": ("boolean", "current_balance <> 0"),
        "is_beyond_collection_horizon": (
            "boolean",
            "current_balance > 0 and procedure dated before as_of - collection_horizon_months",
        ),
        "as_of_date": ("date", "ctx.as_of"),
    },
    tests=[
        relationships("procedure_id", to="stg_opendental__procedurelog.procedure_id"),
        relationships("patient_id", to="stg_opendental__patient.patient_id", severity="warn"),
        expression_is_true(
            "current_balance_equals_components",
            lambda t: (
                t.current_balance
                == t.production_amount
                + t.total_adjustment_amount
                - t.patient_payment_amount
                - t.insurance_payment_amount
                - t.writeoff_amount
            ),
        ),
        expression_is_true(
            "total_payment_equals_parts",
            lambda t: t.total_payment_amount == t.patient_payment_amount + t.insurance_payment_amount,
        ),
        expression_is_true(
            "responsible_party_insurance_iff_pending_claim",
            lambda t: (t.responsible_party == "INSURANCE") == t.has_pending_claim,
        ),
        accepted_values("responsible_party", ("INSURANCE", "PATIENT")),
        accepted_values("aging_bucket", ("0-30", "31-60", "61-90", "90+")),
        accepted_values("pbn_aging_bucket", ("CURRENT", "30-60", "60-90", "OVER_90")),
        accepted_values("claim_status_description", (*sorted(set(CLAIM_STATUS_DESCRIPTIONS.values())), "unknown")),
        expression_is_true(
            "insurance_estimates_non_negative",
            lambda t: (t.insurance_estimate >= 0) & (t.insurance_writeoff_estimate >= 0),
            severity="warn",
        ),
        custom("patient_tie_out_to_ledger", _patient_tie_out),
        custom("patient_tie_out_to_int_ar_analysis", _tie_out_to_analysis),
        custom("ledger_rows_on_another_patients_procedure", _other_patient_rows, severity="warn"),
    ],
)
def int_ar_balance(
    int_ar_shared_calculations: ir.Table,
    stg_opendental__procedurelog: ir.Table,
    int_procedure_complete: ir.Table,
    stg_opendental__patient: ir.Table,
    stg_opendental__claim: ir.Table,
    stg_opendental__insplan: ir.Table,
    stg_opendental__carrier: ir.Table,
    ctx: BuildContext,
) -> ir.Table:
    """Open balance, insurance still expected and age of every completed procedure as of ``as_of``.

    - Attached ledger rows: dated on or before as_of (NULL = oldest), on this procedure **and** this
      procedure's patient; rows on another patient's or an incomplete procedure stay unattached and
      count only in the patient balance (DE §3.2 rule 1). Money is aggregated per procedure before
      the join, so no row fans out.
    - Insurance still expected: attached claimprocs pending at as_of by the historic rule (DE §2.4),
      with no transaction-date filter. Claims are those of attached claimproc rows dated on or
      before as_of or pending at as_of; primary/secondary = the largest claim of type P/S.
    - The procedure ``aging_bucket`` is the charge's own age, for work lists; OpenDental's FIFO aging
      is in int_ar_aging_snapshot (DE §3.2 rule 3). No 18-month exclusion (rule 4).
    """
    as_of = ibis.literal(ctx.as_of, type="date")
    horizon = int(param(ctx, "collection_horizon_months"))
    procs = stg_opendental__procedurelog
    procs = procs.filter(
        procs.procedure_status == COMPLETE, procs.patient_id.notnull(), dated_on_or_before(procs.procedure_date, as_of)
    )
    lg = _attached(int_ar_shared_calculations, procs)
    dated = lg.filter(dated_on_or_before(lg.transaction_date, as_of))
    pending = is_pending_estimate(lg.claimproc_status, lg.claimproc_procedure_date, lg.transaction_date, as_of)
    is_cp = lg.source_type == "CLAIMPROC"

    money = dated.group_by(_m_proc_id=dated.procedure_id).aggregate(
        _production=dated.production_amount.sum(),
        total_adjustment_amount=dated.adjustment_amount.sum(),
        patient_payment_amount=dated.patient_payment_amount.sum(),
        insurance_payment_amount=dated.insurance_payment_amount.sum(),
        writeoff_amount=dated.writeoff_amount.sum(),
        current_balance=dated.amount.sum(),
        last_insurance_payment_date=dated.transaction_date.max(where=dated.insurance_payment_amount != 0),
        last_patient_payment_date=dated.transaction_date.max(where=dated.patient_payment_amount != 0),
    )
    est_rows = lg.filter(is_cp & pending)
    estimates = est_rows.group_by(_e_proc_id=est_rows.procedure_id).aggregate(
        insurance_estimate=est_rows.claimproc_insurance_estimate.sum(),
        insurance_writeoff_estimate=est_rows.claimproc_writeoff.sum(),
        _pending_rows=est_rows.count(),
    )

    # claims of the attached claimproc rows, reduced to one row per procedure before the join
    claim_rows = lg.filter(is_cp & lg.claim_id.notnull() & (dated_on_or_before(lg.transaction_date, as_of) | pending))
    claims = stg_opendental__claim.select(
        _c_claim_id=stg_opendental__claim.claim_id, _c_type=stg_opendental__claim.claim_type.strip().upper()
    )
    cj = claim_rows.left_join(claims, claim_rows.claim_id == claims._c_claim_id)
    per_proc_claims = cj.group_by(_cl_proc_id=cj.procedure_id).aggregate(
        claim_id=cj.claim_id.max(where=cj._c_type == "P"),
        secondary_claim_id=cj.claim_id.max(where=cj._c_type == "S"),
        claim_count=cj.claim_id.nunique(),
    )
    carriers = stg_opendental__insplan.inner_join(
        stg_opendental__carrier, stg_opendental__insplan.carrier_id == stg_opendental__carrier.carrier_id
    ).select(_plan_id="insurance_plan_id", _carrier_name="carrier_name")
    claim_info = stg_opendental__claim.left_join(carriers, stg_opendental__claim.plan_id == carriers._plan_id).select(
        _pc_claim_id="claim_id",
        _pc_status="claim_status",
        _pc_sent="sent_date",
        _pc_received="received_date",
        _pc_carrier="_carrier_name",
    )
    profile = int_procedure_complete.select(
        _pp_proc_id="procedure_id", _pp_code="procedure_code", _pp_description="procedure_description"
    )
    pats = stg_opendental__patient.select(_pat_id="patient_id", _guarantor="guarantor_id")

    j = procs.left_join(money, procs.procedure_id == money._m_proc_id)
    j = j.left_join(estimates, j.procedure_id == estimates._e_proc_id)
    j = j.left_join(per_proc_claims, j.procedure_id == per_proc_claims._cl_proc_id)
    j = j.left_join(claim_info, j.claim_id == claim_info._pc_claim_id)
    j = j.left_join(profile, j.procedure_id == profile._pp_proc_id)
    j = j.left_join(pats, j.patient_id == pats._pat_id)

    def m(col: ir.Value) -> ir.Value:
        return col.fill_null(0).cast(_MONEY)

    production = j._production.fill_null(0).cast("decimal(10,2)")
    current = m(j.current_balance)
    ins_est, wo_est = m(j.insurance_estimate), m(j.insurance_writeoff_estimate)
    has_pending = j._pending_rows.fill_null(0) > 0
    days = days_between(as_of, j.procedure_date)
    due = add_days(j.procedure_date, 30)
    overdue = days_between(as_of, due)
    status = j._pc_status.strip().upper()
    return j.select(
        procedure_id=j.procedure_id,
        patient_id=j.patient_id,
        guarantor_id=j._guarantor.fill_null(j.patient_id),
        provider_id=zero_to_null(j.provider_id),
        clinic_id=zero_to_null(j.clinic_id),
        procedure_date=j.procedure_date,
        procedure_code=j._pp_code,
        procedure_description=j._pp_description,
        procedure_fee=j.procedure_fee,
        unit_quantity=j.unit_quantity,
        base_units=j.base_units,
        production_amount=production,
        total_adjustment_amount=m(j.total_adjustment_amount),
        patient_payment_amount=m(j.patient_payment_amount),
        insurance_payment_amount=m(j.insurance_payment_amount),
        writeoff_amount=m(j.writeoff_amount),
        total_payment_amount=(m(j.patient_payment_amount) + m(j.insurance_payment_amount)).cast(_MONEY),
        current_balance=current,
        insurance_estimate=ins_est,
        insurance_writeoff_estimate=wo_est,
        insurance_pending_amount=ins_est,
        patient_responsibility=(current - ins_est - wo_est).cast(_MONEY),
        has_pending_claim=has_pending,
        responsible_party=ibis.ifelse(has_pending, "INSURANCE", "PATIENT"),
        days_outstanding=days,
        aging_bucket=ibis.cases(
            (days.isnull(), "90+"), (days <= 30, "0-30"), (days <= 60, "31-60"), (days <= 90, "61-90"), else_="90+"
        ),
        payment_due_date=due,
        days_overdue=overdue,
        pbn_aging_bucket=ibis.cases(
            (overdue.isnull(), "OVER_90"),
            (overdue < 0, "CURRENT"),
            (overdue <= 60, "30-60"),
            (overdue <= 90, "60-90"),
            else_="OVER_90",
        ),
        claim_id=j.claim_id,
        claim_status=j._pc_status,
        claim_status_description=ibis.ifelse(
            j.claim_id.isnull(),
            ibis.null("string"),
            status.cases(*CLAIM_STATUS_DESCRIPTIONS.items(), else_="unknown"),
        ),
        claim_sent_date=j._pc_sent,
        received_date=j._pc_received,
        carrier_name=j._pc_carrier,
        secondary_claim_id=j.secondary_claim_id,
        claim_count=j.claim_count.fill_null(0).cast("int64"),
        last_insurance_payment_date=j.last_insurance_payment_date,
        last_patient_payment_date=j.last_patient_payment_date,
        last_payment_date=greatest(j.last_insurance_payment_date, j.last_patient_payment_date),
        has_open_balance=current != 0,
        is_beyond_collection_horizon=(current > 0)
        & (j.procedure_date.isnull() | (j.procedure_date < add_months(as_of, -horizon))).fill_null(False),
        as_of_date=as_of,
    )
