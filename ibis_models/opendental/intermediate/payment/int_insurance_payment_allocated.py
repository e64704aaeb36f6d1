"""``int_insurance_payment_allocated``: every received or supplemental insurance payment line."""

from __future__ import annotations

import datetime as dt

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
    unique,
)
from ibis_models.opendental.expressions import MONEY_TOLERANCE, decode, definitions_of, money, nb, zero_to_null

__all__ = ["int_insurance_payment_allocated"]

_PAID_STATUSES = (1, 4)  # ClaimProcStatus Received, Supplemental
_UNATTACHED_DAYS = 30


def _is_paid_line(claimproc: ir.Table) -> ir.BooleanValue:
    return claimproc.status.isin(_PAID_STATUSES)


def _sums_equal_staging(t: ir.Table, stg_opendental__claimproc: ir.Table) -> ir.Table:
    """Failing row when InsPayAmt or WriteOff totals differ from staging (status 1, 4) by 0.01 or more."""
    paid = stg_opendental__claimproc.filter(_is_paid_line(stg_opendental__claimproc))
    sums = ibis.memtable({"one": [1]}).select(
        model_paid=t.split_amount.sum().fill_null(0).as_scalar(),
        staging_paid=paid.insurance_payment_amount.sum().fill_null(0).as_scalar(),
        model_write_off=t.write_off.sum().fill_null(0).as_scalar(),
        staging_write_off=paid.write_off.sum().fill_null(0).as_scalar(),
    )
    return sums.filter(
        ((sums.model_paid - sums.staging_paid).abs() >= MONEY_TOLERANCE)
        | ((sums.model_write_off - sums.staging_write_off).abs() >= MONEY_TOLERANCE)
    )


def _unbalanced_checks(t: ir.Table) -> ir.Table:
    """Finalized checks whose amount differs from the sum of their attached lines.

    Partial checks are skipped: OpenDental marks a batch payment partial (IsPartial) while its
    attached lines do not yet add up to the check, and finalizes it once they do.
    """
    rows = t.filter(t.claim_payment_id.notnull() & ~t.is_partial)
    checks = rows.group_by("claim_payment_id").aggregate(
        check_amount=rows.check_amount.max(), lines_amount=rows.split_amount.sum()
    )
    return checks.filter(checks.check_amount.isnull() | ((checks.lines_amount - checks.check_amount).abs() >= MONEY_TOLERANCE))


def _other_status_on_check(t: ir.Table, stg_opendental__claimproc: ir.Table) -> ir.Table:
    """Claimprocs of another status attached to an insurance check (they would unbalance it)."""
    cp = stg_opendental__claimproc
    return cp.filter(~_is_paid_line(cp) & cp.claim_payment_id.nullif(0).notnull())


def _expected_include_in_ar(t: ir.Table) -> ir.BooleanValue:
    dated = t.payment_date.isnull() | (t.payment_date <= t.as_of_date)
    on_completed = t.procedure_id.isnull() | (t.procedure_status == 2).fill_null(False)
    return dated & on_completed


def _expected_ar_effect(t: ir.Table) -> ir.NumericValue:
    paid = ibis.ifelse(t.is_payment_plan_payment, money(0, 10), t.split_amount)
    return ibis.ifelse(t.include_in_ar, -paid - t.write_off, money(0, 10))


def _unattached_too_long(t: ir.Table, ctx) -> ir.Table:
    """Lines not attached to a check whose payment date is more than 30 days before as_of_date."""
    cutoff = ctx.as_of - dt.timedelta(days=_UNATTACHED_DAYS)
    return t.filter(~t.is_claim_payment_attached & (t.payment_date < cutoff))


@model(
    system="C",
    grain="one row per claimproc (claimproc.ClaimProcNum) of status 1 Received or 4 Supplemental",
    key=["payment_allocation_id"],
    columns={
        "payment_allocation_id": ("string", "'INS-' + claim_procedure_id"),
        "payment_source_type": ("string", "Always INSURANCE"),
        "claim_procedure_id": ("bigint", "ClaimProcNum"),
        "payment_id": ("bigint", "Always NULL (patient payments only; FAC §12.1)"),
        "claim_payment_id": ("bigint", "ClaimPaymentNum (the insurance check); NULL when not yet attached"),
        "claim_id": ("bigint", "ClaimNum"),
        "patient_id": ("bigint", "PatNum"),
        "guarantor_id": ("bigint", "Patient's guarantor"),
        "provider_id": ("bigint", "ProvNum; NULL when 0"),
        "clinic_id": ("bigint", "ClinicNum; NULL when 0"),
        "procedure_id": ("bigint", "ProcNum; NULL for payments by total"),
        "insurance_plan_id": ("bigint", "Insurance plan (claimproc PlanNum)"),
        "insurance_subscriber_id": ("bigint", "InsSubNum"),
        "claimproc_status": ("bigint", "ClaimProcStatus code: 1 or 4"),
        "claimproc_status_description": ("string", "received / supplemental"),
        "split_amount": ("decimal(10,2)", "InsPayAmt: amount insurance paid on this line"),
        "write_off": ("decimal(10,2)", "WriteOff on this line"),
        "deductible_applied": ("decimal(10,2)", "DedApplied"),
        "fee_billed": ("decimal(10,2)", "FeeBilled"),
        "insurance_payment_estimate": ("decimal(10,2)", "InsPayEst"),
        "allowed_override": ("decimal(10,2)", "Allowed amount entered from the EOB; NULL when -1"),
        "copay_amount": ("decimal(10,2)", "CopayAmt; NULL when -1"),
        "paid_other_insurance": ("decimal(10,2)", "PaidOtherIns; NULL when -1"),
        "percentage": ("bigint", "Coverage percentage; NULL when -1"),
        "payment_date": ("date", "DateCP, falling back to the check date"),
        "procedure_date": ("date", "claimproc ProcDate"),
        "insurance_finalized_date": ("date", "Date of the claim's first payment"),
        "entry_date": ("date", "Date the line was marked received/supplemental"),
        "check_date": ("date", "Check entry date"),
        "date_issued": ("date", "Date printed on the check"),
        "check_amount": ("decimal(10,2)", "Whole-check amount (repeated; do not sum across rows)"),
        "check_number": ("string", "Check number"),
        "bank_branch": ("string", "Check bank branch"),
        "carrier_name": ("string", "Carrier name on the check"),
        "is_partial": ("boolean", "Check is a batch payment still being entered"),
        "payment_type_id": ("bigint", "Insurance payment type definition (category 32); NULL when 0"),
        "payment_type_description": ("string", "Its item_name (e.g. Check, EFT)"),
        "payment_group_id": ("bigint", "Claim payment group definition (category 40); NULL when 0"),
        "payment_group_description": ("string", "Its item_name"),
        "deposit_id": ("bigint", "Deposit; NULL when 0"),
        "payment_notes": ("string", "Check note"),
        "remarks": ("string", "EOB remarks on the line"),
        "code_sent": ("string", "Procedure code sent to the carrier"),
        "claim_adjustment_reason_codes": ("string", "ERA reason codes"),
        "procedure_code": ("string", "From int_procedure_complete"),
        "procedure_status": ("bigint", "From int_procedure_complete"),
        "is_transfer": ("boolean", "Line is part of an insurance income transfer"),
        "is_payment_plan_payment": ("boolean", "Attached to an insurance payment plan"),
        "is_claim_payment_attached": ("boolean", "claim_payment_id is not NULL"),
        "is_by_total_payment": ("boolean", "procedure_id is NULL"),
        "include_in_ar": ("boolean", "Dated on or before as_of_date (or undated) and by total or on a completed procedure"),
        "ar_effect_amount": ("decimal(10,2)", "-(InsPayAmt unless on a payment plan) - WriteOff when include_in_ar, else 0"),
        "created_by_user_id": ("bigint", "SecUserNumEntry; NULL when 0"),
        "_updated_at": ("timestamp", "SecDateTEdit"),
        "as_of_date": ("date", "ctx.as_of"),
    },
    tests=[
        not_null("claim_procedure_id"),
        unique("claim_procedure_id"),
        equal_row_count("stg_opendental__claimproc", other_where=_is_paid_line),
        custom("paid_and_write_off_sums_equal_staging", _sums_equal_staging),
        accepted_values("payment_source_type", ["INSURANCE"]),
        accepted_values("claimproc_status", _PAID_STATUSES),
        not_null("claim_id"),
        relationships("patient_id", to="int_patient_profile.patient_id"),
        relationships("procedure_id", to="int_procedure_complete.procedure_id", severity="warn"),
        relationships("claim_payment_id", to="stg_opendental__claimpayment.claim_payment_id"),
        custom("check_equals_sum_of_lines", _unbalanced_checks),
        custom("no_other_claimproc_status_on_checks", _other_status_on_check, severity="warn"),
        not_null("payment_date", severity="warn"),
        accepted_range("percentage", min=0, max=100, severity="warn"),
        accepted_range("allowed_override", min=0, severity="warn"),
        not_null(
            "include_in_ar",
            "is_transfer",
            "is_payment_plan_payment",
            "is_claim_payment_attached",
            "is_by_total_payment",
            "is_partial",
        ),
        expression_is_true("include_in_ar_follows_rule", lambda t: t.include_in_ar == _expected_include_in_ar(t)),
        expression_is_true("ar_effect_amount_follows_rule", lambda t: t.ar_effect_amount == _expected_ar_effect(t)),
        custom("not_attached_to_check_after_30_days", _unattached_too_long, severity="warn"),
    ],
)
def int_insurance_payment_allocated(
    stg_opendental__claimproc,
    stg_opendental__claimpayment,
    stg_opendental__definition,
    int_procedure_complete,
    int_patient_profile,
    ctx,
):
    """Every insurance payment line (claimproc Received or Supplemental), with its check (FAC §11).

    Status 4 is Supplemental; status 3 is a benefit adjustment, never paid money (§11.7). Lines not
    yet attached to a check are kept, as OpenDental's account already counts them. The payment date
    is DateCP, which OpenDental sets to the check date when a line is attached and uses in its
    ledger; the check date only fills an empty DateCP (§11.5 rule 5). Capitation (statuses 5, 7) is
    out of scope although aging counts its write-offs (§11.2). ``include_in_ar`` follows OpenDental's
    aging: lines by total or on completed procedures, dated on or before as_of_date or undated.
    ``ar_effect_amount`` always applies the write-off but skips money attached to a payment plan,
    which OpenDental takes through the plan (§11.5 rule 8). The check-balance test skips partial
    checks: OpenDental keeps a batch payment partial until its lines add up to the check.
    """
    cp = stg_opendental__claimproc
    lines = cp.filter(_is_paid_line(cp))
    lines = lines.select(
        claim_procedure_id=lines.claim_procedure_id,
        claim_payment_id=zero_to_null(lines.claim_payment_id),
        claim_id=zero_to_null(lines.claim_id),
        patient_id=lines.patient_id,
        provider_id=zero_to_null(lines.provider_id),
        clinic_id=zero_to_null(lines.clinic_id),
        procedure_id=zero_to_null(lines.procedure_id),
        insurance_plan_id=zero_to_null(lines.plan_id),
        insurance_subscriber_id=zero_to_null(lines.insurance_subscriber_id),
        payment_plan_id=zero_to_null(lines.payment_plan_id),
        claimproc_status=lines.status,
        split_amount=lines.insurance_payment_amount,
        write_off=lines.write_off,
        deductible_applied=lines.deductible_applied,
        fee_billed=lines.fee_billed,
        insurance_payment_estimate=lines.insurance_payment_estimate,
        # -1 is OpenDental's blank marker; staging already nulls it, this is idempotent.
        allowed_override=nb(lines.allowed_override),
        copay_amount=nb(lines.copay_amount),
        paid_other_insurance=nb(lines.paid_other_insurance),
        percentage=nb(lines.percentage),
        claim_procedure_date=lines.claim_procedure_date,
        procedure_date=lines.procedure_date,
        insurance_finalized_date=lines.insurance_finalized_date,
        entry_date=lines.entry_date,
        remarks=lines.remarks,
        code_sent=lines.code_sent,
        claim_adjustment_reason_codes=lines.claim_adjustment_reason_codes,
        is_transfer=lines.is_transfer.fill_null(False),
        created_by_user_id=zero_to_null(lines.sec_user_num_entry),
        _updated_at=lines.sec_date_t_edit,
    )
    chk = stg_opendental__claimpayment
    checks = chk.select(
        c_claim_payment_id=chk.claim_payment_id,
        check_date=chk.check_date,
        date_issued=chk.date_issued,
        check_amount=chk.check_amount,
        check_number=chk.check_number,
        bank_branch=chk.bank_branch,
        carrier_name=chk.carrier_name,
        c_is_partial=chk.is_partial,
        payment_type_id=zero_to_null(chk.payment_type_id),
        payment_group_id=zero_to_null(chk.payment_group_id),
        deposit_id=zero_to_null(chk.deposit_id),
        payment_notes=chk.note,
    )
    types = definitions_of(stg_opendental__definition, 32, "pt")
    groups = definitions_of(stg_opendental__definition, 40, "pg")
    procs = int_procedure_complete.select(
        p_procedure_id=int_procedure_complete.procedure_id,
        procedure_code=int_procedure_complete.procedure_code,
        procedure_status=int_procedure_complete.procedure_status,
    )
    family = int_patient_profile.select(
        g_patient_id=int_patient_profile.patient_id, guarantor_id=int_patient_profile.guarantor_id
    )

    j = lines.left_join(checks, lines.claim_payment_id == checks.c_claim_payment_id)
    j = j.left_join(types, j.payment_type_id == types.pt_definition_id)
    j = j.left_join(groups, j.payment_group_id == groups.pg_definition_id)
    j = j.left_join(procs, j.procedure_id == procs.p_procedure_id)
    j = j.left_join(family, j.patient_id == family.g_patient_id)

    payment_date = j.claim_procedure_date.coalesce(j.check_date)
    is_payment_plan_payment = j.payment_plan_id.notnull()
    include_in_ar = (payment_date.isnull() | (payment_date <= ctx.as_of)) & (
        j.procedure_id.isnull() | (j.procedure_status == 2).fill_null(False)
    )
    paid_to_account = ibis.ifelse(is_payment_plan_payment, money(0, 10), j.split_amount)
    ar_effect_amount = ibis.ifelse(include_in_ar, -paid_to_account - j.write_off, money(0, 10))

    return j.select(
        payment_allocation_id=ibis.literal("INS-") + j.claim_procedure_id.cast("string"),
        payment_source_type=ibis.literal("INSURANCE"),
        claim_procedure_id=j.claim_procedure_id,
        payment_id=ibis.null("int64"),
        claim_payment_id=j.claim_payment_id,
        claim_id=j.claim_id,
        patient_id=j.patient_id,
        guarantor_id=j.guarantor_id,
        provider_id=j.provider_id,
        clinic_id=j.clinic_id,
        procedure_id=j.procedure_id,
        insurance_plan_id=j.insurance_plan_id,
        insurance_subscriber_id=j.insurance_subscriber_id,
        claimproc_status=j.claimproc_status,
        claimproc_status_description=decode(j.claimproc_status, {1: "received", 4: "supplemental"}, else_=None),
        split_amount=j.split_amount,
        write_off=j.write_off,
        deductible_applied=j.deductible_applied,
        fee_billed=j.fee_billed,
        insurance_payment_estimate=j.insurance_payment_estimate,
        allowed_override=j.allowed_override,
        copay_amount=j.copay_amount,
        paid_other_insurance=j.paid_other_insurance,
        percentage=j.percentage,
        payment_date=payment_date,
        procedure_date=j.procedure_date,
        insurance_finalized_date=j.insurance_finalized_date,
        entry_date=j.entry_date,
        check_date=j.check_date,
        date_issued=j.date_issued,
        check_amount=j.check_amount,
        check_number=j.check_number,
        bank_branch=j.bank_branch,
        carrier_name=j.carrier_name,
        is_partial=j.c_is_partial.fill_null(False),
        payment_type_id=j.payment_type_id,
        payment_type_description=j.pt_name,
        payment_group_id=j.payment_group_id,
        payment_group_description=j.pg_name,
        deposit_id=j.deposit_id,
        payment_notes=j.payment_notes,
        remarks=j.remarks,
        code_sent=j.code_sent,
        claim_adjustment_reason_codes=j.claim_adjustment_reason_codes,
        procedure_code=j.procedure_code,
        procedure_status=j.procedure_status,
        is_transfer=j.is_transfer,
        is_payment_plan_payment=is_payment_plan_payment,
        is_claim_payment_attached=j.claim_payment_id.notnull(),
        is_by_total_payment=j.procedure_id.isnull(),
        include_in_ar=include_in_ar,
        ar_effect_amount=ar_effect_amount.cast("decimal(10,2)"),
        created_by_user_id=j.created_by_user_id,
        _updated_at=j._updated_at,
        as_of_date=ibis.literal(ctx.as_of),
    )
