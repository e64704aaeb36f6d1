"""``int_claim_payments``: the insurance money posted, one row per payment line with its check."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ibis_models import (
    accepted_range,
    accepted_values,
    custom,
    expression_is_true,
    model,
    not_null,
    relationships,
)
from ibis_models.opendental.expressions import MONEY_TOLERANCE, days_between, definitions_of, greatest, money, nz
from ibis_models.opendental.intermediate.insurance._common import joinable

__all__ = ["int_claim_payments"]

_PAYMENT_TYPE_CATEGORY = 32  # DefCat InsurancePaymentType (Check, EFT, ...), B §2.10
_RECEIVED = 1
_PAYMENT_STATUSES = (1, 4, 5)  # Received, Supplemental, CapClaim: the statuses carrying income, B §2.3


def _is_payment_line(details: ir.Table) -> ir.BooleanValue:
    """B §7.5 R1: a paying status, or any line OpenDental attached to a check (so the check reconciles)."""
    return details.claim_procedure_status.isin(_PAYMENT_STATUSES) | details.claim_payment_id.notnull()


def _payment_category(paid: ir.NumericValue) -> ir.StringValue:
    cents = paid.round(2)
    return ibis.cases((cents > 0, "payment"), (cents == 0, "zero"), (cents < 0, "reversal"), else_=ibis.null("string"))


def _row_count_matches(t: ir.Table, int_claim_details: ir.Table) -> ir.Table:
    expected = int_claim_details.filter(_is_payment_line(int_claim_details))
    counts = ibis.memtable({"one": [1]}).select(model_rows=t.count().as_scalar(), expected_rows=expected.count().as_scalar())
    return counts.filter(counts.model_rows != counts.expected_rows)


def _paid_sum_matches(t: ir.Table, int_claim_details: ir.Table) -> ir.Table:
    expected = int_claim_details.filter(_is_payment_line(int_claim_details))
    sums = ibis.memtable({"one": [1]}).select(
        model_paid=t.paid_amount.sum().fill_null(0).as_scalar(),
        expected_paid=expected.paid_amount.sum().fill_null(0).as_scalar(),
    )
    return sums.filter((sums.model_paid - sums.expected_paid).abs() > money(MONEY_TOLERANCE))


def _unbalanced_checks(partial: bool):
    """Finalized lines of checks (partial or not) whose amount differs from their lines by more than 0.01.

    This is OpenDental's own database-maintenance rule: CheckAmt = sum of the attached InsPayAmt.
    """

    def query(t: ir.Table) -> ir.Table:
        rows = t.filter(t.is_finalized & (t.is_partial == partial) & t.check_unallocated_amount.notnull())
        return rows.filter(rows.check_unallocated_amount.abs() > money(MONEY_TOLERANCE)).select(
            "claim_payment_id", "claim_procedure_id", "check_amount", "check_allocated_amount"
        )

    return query


def _check_windows_wrong(t: ir.Table) -> ir.Table:
    """Checks without exactly one first line, or whose check_line_count differs from their rows."""
    rows = t.filter(t.claim_payment_id.notnull())
    checks = rows.group_by("claim_payment_id").aggregate(
        rows=rows.count(),
        first_lines=rows.is_first_line_of_check.ifelse(1, 0).sum(),
        min_count=rows.check_line_count.min(),
        max_count=rows.check_line_count.max(),
    )
    return checks.filter((checks.first_lines != 1) | (checks.min_count != checks.rows) | (checks.max_count != checks.rows))


def _missing_check_lines(t: ir.Table, stg_opendental__claimproc: ir.Table) -> ir.Table:
    cp = stg_opendental__claimproc
    on_check = cp.filter(nz(cp.claim_payment_id).notnull())
    return on_check.anti_join(t, on_check.claim_procedure_id == t.claim_procedure_id).select(
        "claim_procedure_id", "claim_payment_id"
    )


@model(
    system="B",
    grain="one row per insurance payment line: int_claim_details rows of status 1, 4 or 5, or attached to a check",
    key=["claim_procedure_id"],
    columns={
        "claim_procedure_id": ("bigint", "claimproc.ClaimProcNum"),
        "claim_payment_id": ("bigint", "The check (NULL = received but not yet finalized to a check)"),
        "claim_id": ("bigint", "claim.ClaimNum"),
        "procedure_id": ("bigint", "ProcNum; NULL for by-total payments"),
        "patient_id": ("bigint", "Patient"),
        "provider_id": ("bigint", "Provider credited with the income (claimproc.ProvNum)"),
        "clinic_id": ("bigint", "claimproc.ClinicNum"),
        "insurance_plan_id": ("bigint", "PlanNum"),
        "carrier_id": ("bigint", "Carrier of the plan"),
        "claim_type": ("string", "ClaimType as stored, trimmed"),
        "claim_procedure_status": ("bigint", "1, 4 or 5 (rarely something else when attached to a check)"),
        "is_supplemental": ("boolean", "Status 4 Supplemental"),
        "is_finalized": ("boolean", "claim_payment_id is not null"),
        "payment_date": ("date", "claimproc.DateCP"),
        "check_date": ("date", "claimpayment.CheckDate"),
        "date_issued": ("date", "claimpayment.DateIssued"),
        "check_number": ("string", "claimpayment.CheckNum"),
        "check_amount": ("decimal(10,2)", "CheckAmt, repeated on every line of the check: never sum it across lines"),
        "check_line_count": ("bigint", "Rows of this model on the same check"),
        "is_first_line_of_check": ("boolean", "True on exactly one row per check (lowest claim_procedure_id)"),
        "check_allocated_amount": ("decimal(18,2)", "Sum of paid_amount over the check's rows"),
        "check_unallocated_amount": ("decimal(18,2)", "check_amount - check_allocated_amount"),
        "payment_type_id": ("bigint", "nz(claimpayment.PayType)"),
        "payment_type_name": ("string", "definition.ItemName (category 32)"),
        "is_partial": ("boolean", "claimpayment.IsPartial"),
        "deposit_id": ("bigint", "nz(claimpayment.DepositNum)"),
        "is_deposited": ("boolean", "deposit_id is not null"),
        "check_carrier_name": ("string", "claimpayment.CarrierName"),
        "billed_amount": ("decimal(10,2)", "FeeBilled"),
        "allowed_amount": ("decimal(10,2)", "nb(AllowedOverride)"),
        "paid_amount": ("decimal(10,2)", "InsPayAmt"),
        "write_off_amount": ("decimal(10,2)", "WriteOff"),
        "deductible_applied": ("decimal(10,2)", "DedApplied"),
        "insurance_estimate_amount": ("decimal(10,2)", "InsPayEst"),
        "estimate_variance_amount": ("decimal(10,2)", "paid_amount - insurance_estimate_amount on status 1 rows, else NULL"),
        "payment_line_category": ("string", "payment (> 0), zero (= 0) or reversal (< 0) by paid_amount"),
        "days_service_to_payment": ("bigint", "check_date - procedure_date"),
        "days_sent_to_payment": ("bigint", "check_date - claim_sent_date"),
        "eob_attachment_count": ("bigint", "eobattach rows of the check (0 when none or not finalized)"),
        "has_eob_attachment": ("boolean", "eob_attachment_count > 0"),
        "_created_at": ("timestamp", "From int_claim_details (claimproc.SecDateEntry)"),
        "_updated_at": ("timestamp", "greatest(int_claim_details._updated_at, claimpayment.SecDateTEdit)"),
        "as_of_date": ("date", "ctx.as_of, the build's reporting date"),
    },
    tests=[
        relationships("claim_procedure_id", to="int_claim_details.claim_procedure_id"),
        custom("row_count_equals_payment_lines_of_claim_details", _row_count_matches),
        relationships("claim_payment_id", to="stg_opendental__claimpayment.claim_payment_id"),
        expression_is_true("is_finalized_means_on_a_check", lambda t: t.is_finalized == t.claim_payment_id.notnull()),
        custom("check_amount_equals_sum_of_lines", _unbalanced_checks(partial=False)),
        custom("partial_check_amount_equals_sum_of_lines", _unbalanced_checks(partial=True), severity="warn"),
        custom("one_first_line_and_line_count_per_check", _check_windows_wrong),
        custom("paid_sum_equals_claim_details", _paid_sum_matches),
        custom("every_claimproc_on_a_check_is_here", _missing_check_lines, severity="warn"),
        expression_is_true(
            "payment_date_equals_check_date",
            lambda t: t.payment_date == t.check_date,
            where=lambda t: t.is_finalized,
            severity="warn",
        ),
        not_null("payment_line_category"),
        accepted_values("payment_line_category", ("payment", "zero", "reversal")),
        expression_is_true(
            "payment_line_category_matches_sign",
            lambda t: t.payment_line_category == _payment_category(t.paid_amount),
        ),
        accepted_range("eob_attachment_count", min=0),
        not_null("eob_attachment_count"),
        expression_is_true(
            "paid_at_most_billed",
            lambda t: t.paid_amount <= t.billed_amount,
            where=lambda t: (t.claim_procedure_status == _RECEIVED) & (t.billed_amount > 0),
            severity="warn",
        ),
        accepted_range("days_service_to_payment", min=0, severity="warn"),
    ],
)
def int_claim_payments(
    int_claim_details,
    stg_opendental__claimpayment,
    stg_opendental__definition,
    stg_opendental__eobattach,
    ctx,
):
    """Insurance payment lines with their check, and check totals to reconcile each check (B §7).

    A line is here when it is received, supplemental or a cap claim, or attached to a check whatever
    its status (R1), so every check can be reconciled against its lines. ``check_amount`` repeats on
    each line of a check; count it once with ``is_first_line_of_check``. The check windows are
    aggregates over rows with a check only (R4): lines not yet finalized have NULL check figures.
    The error-level reconciliation test is OpenDental's own maintenance rule (CheckAmt equals the sum
    of the attached InsPayAmt within a cent); partial checks are only warned about.
    """
    as_of = ibis.literal(ctx.as_of)
    d = int_claim_details
    lines = d.filter(_is_payment_line(d))

    per_check = lines.filter(lines.claim_payment_id.notnull())
    per_check = per_check.group_by(per_check.claim_payment_id.name("pc_claim_payment_id")).aggregate(
        check_line_count=per_check.count(),
        check_allocated_amount=per_check.paid_amount.sum().cast("decimal(18,2)"),
        first_claim_procedure_id=per_check.claim_procedure_id.min(),
    )
    cpay = stg_opendental__claimpayment
    checks = cpay.select(
        ck_claim_payment_id=cpay.claim_payment_id,
        check_date=cpay.check_date,
        date_issued=cpay.date_issued,
        check_number=cpay.check_number,
        check_amount=cpay.check_amount,
        payment_type_id=nz(cpay.payment_type_id),
        is_partial=cpay.is_partial.fill_null(False),
        deposit_id=nz(cpay.deposit_id),
        check_carrier_name=cpay.carrier_name,
        check_updated=cpay.sec_date_t_edit,
    )
    checks = joinable(checks)
    pay_types = definitions_of(stg_opendental__definition, _PAYMENT_TYPE_CATEGORY, "paytype")
    eob = stg_opendental__eobattach
    eob = eob.select(eob_claim_payment_id=nz(eob.claim_payment_id))
    eob = eob.filter(eob.eob_claim_payment_id.notnull())
    eob_counts = eob.group_by("eob_claim_payment_id").aggregate(eob_count=eob.count())

    j = lines.left_join(checks, lines.claim_payment_id == checks.ck_claim_payment_id)
    j = j.left_join(pay_types, j.payment_type_id == pay_types.paytype_definition_id)
    j = j.left_join(per_check, j.claim_payment_id == per_check.pc_claim_payment_id)
    j = j.left_join(eob_counts, j.claim_payment_id == eob_counts.eob_claim_payment_id)
    t = j.select(
        *lines.columns,
        *(c for c in checks.columns if c != "ck_claim_payment_id"),
        "paytype_name",
        "check_line_count",
        "check_allocated_amount",
        "first_claim_procedure_id",
        "eob_count",
    )
    return t.select(
        claim_procedure_id=t.claim_procedure_id,
        claim_payment_id=t.claim_payment_id,
        claim_id=t.claim_id,
        procedure_id=t.procedure_id,
        patient_id=t.patient_id,
        provider_id=t.provider_id,
        clinic_id=t.clinic_id,
        insurance_plan_id=t.insurance_plan_id,
        carrier_id=t.carrier_id,
        claim_type=t.claim_type,
        claim_procedure_status=t.claim_procedure_status,
        is_supplemental=t.is_supplemental,
        is_finalized=t.claim_payment_id.notnull(),
        payment_date=t.payment_date,
        check_date=t.check_date,
        date_issued=t.date_issued,
        check_number=t.check_number,
        check_amount=t.check_amount.cast("decimal(10,2)"),
        check_line_count=t.check_line_count.cast("int64"),
        is_first_line_of_check=(t.claim_procedure_id == t.first_claim_procedure_id).fill_null(False),
        check_allocated_amount=t.check_allocated_amount,
        check_unallocated_amount=(t.check_amount - t.check_allocated_amount).cast("decimal(18,2)"),
        payment_type_id=t.payment_type_id,
        payment_type_name=t.paytype_name,
        is_partial=t.is_partial.fill_null(False),
        deposit_id=t.deposit_id,
        is_deposited=t.deposit_id.notnull(),
        check_carrier_name=t.check_carrier_name,
        billed_amount=t.billed_amount,
        allowed_amount=t.allowed_amount,
        paid_amount=t.paid_amount,
        write_off_amount=t.write_off_amount,
        deductible_applied=t.deductible_applied,
        insurance_estimate_amount=t.insurance_estimate_amount,
        estimate_variance_amount=ibis.ifelse(
            t.claim_procedure_status == _RECEIVED,
            t.paid_amount - t.insurance_estimate_amount,
            ibis.null("decimal(10,2)"),
        ).cast("decimal(10,2)"),
        payment_line_category=_payment_category(t.paid_amount),
        days_service_to_payment=days_between(t.check_date, t.procedure_date),
        days_sent_to_payment=days_between(t.check_date, t.claim_sent_date),
        eob_attachment_count=t.eob_count.fill_null(0).cast("int64"),
        has_eob_attachment=t.eob_count.fill_null(0) > 0,
        _created_at=t._created_at,
        _updated_at=greatest(t._updated_at, t.check_updated),
        as_of_date=as_of,
    )
