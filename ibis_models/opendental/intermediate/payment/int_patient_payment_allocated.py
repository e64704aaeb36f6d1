"""``int_patient_payment_allocated``: patient money as allocations, with its effect on receivables."""

from __future__ import annotations

from decimal import Decimal

import ibis
import ibis.expr.types as ir

from ibis_models import accepted_values, custom, equal_row_count, expression_is_true, model, not_null, unique
from ibis_models.opendental.expressions import MONEY_TOLERANCE, money
from ibis_models.opendental.intermediate.payment._common import allocation_union

__all__ = ["int_patient_payment_allocated"]

# Family ledger check (FAC §10.6): a guarantor differs when off by more than 1.00, and the check
# warns when more than 5% of guarantors differ.
_LEDGER_TOLERANCE = Decimal("1.00")
_LEDGER_SHARE_PCT = 5


def _split_sum_equals_payment_split(t: ir.Table, int_payment_split: ir.Table) -> ir.Table:
    """Failing row when this model's split total differs from int_payment_split's by 0.01 or more."""
    mine = t.split_amount.sum().fill_null(0)
    theirs = int_payment_split.split_amount.sum().fill_null(0)
    sums = ibis.memtable({"one": [1]}).select(model_sum=mine.as_scalar(), upstream_sum=theirs.as_scalar())
    return sums.filter((sums.model_sum - sums.upstream_sum).abs() >= MONEY_TOLERANCE)


def _unbalanced_payments(t: ir.Table, int_payment_split: ir.Table) -> ir.Table:
    """Payments whose allocated splits do not add up to PayAmt (re-check of FAC §9.6)."""
    rows = t.filter(t.payment_id.notnull())
    sums = rows.group_by("payment_id").aggregate(total_split_amount=rows.split_amount.sum())
    headers = int_payment_split.filter(int_payment_split.payment_amount.notnull())
    headers = headers.group_by(h_payment_id=headers.payment_id).aggregate(payment_amount=headers.payment_amount.max())
    joined = sums.inner_join(headers, sums.payment_id == headers.h_payment_id)
    return joined.filter((joined.total_split_amount - joined.payment_amount).abs() >= MONEY_TOLERANCE).select(
        "payment_id", "payment_amount", "total_split_amount"
    )


def _allocation_id_unique_across_union(t: ir.Table, int_insurance_payment_allocated: ir.Table) -> ir.Table:
    """payment_allocation_id values that occur more than once in the stacked allocations (§12.1)."""
    union = allocation_union(t, int_insurance_payment_allocated)
    counts = union.group_by("payment_allocation_id").aggregate(occurrences=union.count())
    return counts.filter(counts.occurrences > 1)


def _family_ledger_differs(
    t: ir.Table,
    int_fee_model: ir.Table,
    int_adjustments: ir.Table,
    int_insurance_payment_allocated: ir.Table,
    int_patient_profile: ir.Table,
    ctx,
) -> ir.Table:
    """Guarantors whose recomputed ledger differs from the cached family balance, when too many do.

    Rows are returned only when more than 5% of guarantors differ by more than 1.00; NULL dates
    count as older than any as-of date (specs README §4.5).
    """
    as_of = ctx.as_of
    family = int_patient_profile.select(
        f_patient_id=int_patient_profile.patient_id, f_guarantor_id=int_patient_profile.guarantor_id
    )

    def per_guarantor(rows: ir.Table, amount: ir.NumericValue, name: str) -> ir.Table:
        tagged = rows.select(patient_id=rows.patient_id, amount=amount)
        joined = tagged.inner_join(family, tagged.patient_id == family.f_patient_id)
        return joined.group_by(guarantor_id=joined.f_guarantor_id).aggregate(**{name: joined.amount.sum().cast("decimal(18,2)")})

    fees = int_fee_model.filter(
        int_fee_model.is_completed & (int_fee_model.procedure_date.isnull() | (int_fee_model.procedure_date <= as_of))
    )
    adjustments = int_adjustments.filter(int_adjustments.adjustment_date.isnull() | (int_adjustments.adjustment_date <= as_of))
    parts = [
        per_guarantor(fees, fees.applied_fee_total, "charges"),
        per_guarantor(adjustments, adjustments.adjustment_amount, "adjustments"),
        per_guarantor(t, t.ar_effect_amount, "patient_payments"),
        per_guarantor(int_insurance_payment_allocated, int_insurance_payment_allocated.ar_effect_amount, "insurance"),
    ]
    guarantors = int_patient_profile.filter(int_patient_profile.patient_id == int_patient_profile.guarantor_id)
    ledger = guarantors.select(guarantor_id=guarantors.patient_id, cached_balance=guarantors.total_balance)
    for part in parts:
        ledger = ledger.left_join(part, "guarantor_id").drop("guarantor_id_right")
    computed = (
        ledger.charges.fill_null(0)
        + ledger.adjustments.fill_null(0)
        + ledger.patient_payments.fill_null(0)
        + ledger.insurance.fill_null(0)
    )
    ledger = ledger.mutate(computed_balance=computed.cast("decimal(18,2)"))
    ledger = ledger.mutate(differs=((ledger.computed_balance - ledger.cached_balance.fill_null(0)).abs() > _LEDGER_TOLERANCE))
    differing = ibis.ifelse(ledger.differs, 1, 0).sum().as_scalar()
    total = ledger.count().as_scalar()
    flagged = ledger.filter(ledger.differs)
    return flagged.filter(differing * 100 > total * _LEDGER_SHARE_PCT)


@model(
    system="C",
    grain="one row per payment split (paysplit.SplitNum) of every patient payment",
    key=["payment_allocation_id"],
    columns={
        "payment_allocation_id": ("string", "'PAT-' + paysplit_id"),
        "payment_source_type": ("string", "Always PATIENT"),
        "paysplit_id": ("bigint", "SplitNum"),
        "payment_id": ("bigint", "PayNum"),
        "claim_payment_id": ("bigint", "Always NULL (insurance checks only; FAC §12.1)"),
        "patient_id": ("bigint", "Patient whose account the split affects"),
        "guarantor_id": ("bigint", "Patient's guarantor (family account)"),
        "provider_id": ("bigint", "Provider credited (the split's provider)"),
        "clinic_id": ("bigint", "The split's clinic"),
        "procedure_id": ("bigint", "Procedure paid; NULL when unattached"),
        "adjustment_id": ("bigint", "Adjustment paid; NULL when unattached"),
        "payplan_id": ("bigint", "Payment plan; NULL when unattached"),
        "payplan_charge_id": ("bigint", "Payment-plan charge; NULL when unattached"),
        "split_amount": ("decimal(10,2)", "As stored; positive = money applied"),
        "payment_date": ("date", "DatePay"),
        "procedure_date": ("date", "Linked procedure's date"),
        "payment_type_id": ("bigint", "PayType definition id; NULL for an income transfer"),
        "payment_type_description": ("string", "Payment type name; 'Income Transfer' for transfers"),
        "is_refund_payment_type": ("boolean", "lower(payment_type_description) contains 'refund'"),
        "split_type": ("string", "From int_payment_split"),
        "unearned_type": ("bigint", "PaySplitUnearnedType definition id; NULL when not unearned"),
        "unearned_type_name": ("string", "The unearned type's name"),
        "is_income_transfer": ("boolean", "The payment is an income transfer (PayType 0)"),
        "is_unearned": ("boolean", "The split carries an unearned type"),
        "is_hidden_unearned": ("boolean", "The unearned type is hidden (Do Not Show on Account)"),
        "is_payment_plan_split": ("boolean", "Attached to a payment plan or plan charge"),
        "is_refund": ("boolean", "Negative split that is not an income transfer"),
        "payplan_debit_type": ("bigint", "PayPlanDebitTypes code"),
        "payment_source": ("bigint", "CreditCardSource code"),
        "payment_status": ("bigint", "PaymentStatus code"),
        "process_status": ("bigint", "ProcessStat code"),
        "merchant_fee": ("decimal(10,2)", "Payment-level; do not sum across rows"),
        "payment_notes": ("string", "PayNote"),
        "check_number": ("string", "Payment CheckNum"),
        "bank_branch": ("string", "Payment BankBranch"),
        "deposit_id": ("bigint", "Deposit; NULL when not deposited"),
        "external_id": ("string", "Payment ExternalId"),
        "is_cc_completed": ("boolean", "Payment's card transaction completed"),
        "is_recurring_cc": ("boolean", "Payment is a recurring card charge"),
        "recurring_charge_date": ("date", "Payment RecurringChargeDate"),
        "created_by_user_id": ("bigint", "The split's creator; NULL when 0"),
        "entry_date": ("date", "The split's entry date"),
        "include_in_ar": ("boolean", "Counts toward the account balance as of as_of_date (FAC §10.5)"),
        "ar_effect_amount": ("decimal(10,2)", "Signed effect on the balance: -split_amount when include_in_ar, else 0"),
        "_updated_at": ("timestamp", "Split SecDateTEdit"),
        "as_of_date": ("date", "ctx.as_of"),
    },
    tests=[
        not_null("paysplit_id"),
        unique("paysplit_id"),
        equal_row_count("int_payment_split"),
        custom("split_amount_sum_equals_int_payment_split", _split_sum_equals_payment_split),
        accepted_values("payment_source_type", ["PATIENT"]),
        not_null("guarantor_id"),
        not_null("include_in_ar"),
        expression_is_true(
            "include_in_ar_excludes_hidden_zero_and_future",
            lambda t: (
                ~(
                    t.include_in_ar
                    & (t.is_hidden_unearned | (t.split_amount == 0) | (t.payment_date > t.as_of_date).fill_null(False))
                )
            ),
        ),
        expression_is_true(
            "ar_effect_amount_is_minus_split_when_included",
            lambda t: t.ar_effect_amount == ibis.ifelse(t.include_in_ar, -t.split_amount, money(0, 10)),
        ),
        custom("payment_equals_sum_of_splits", _unbalanced_payments),
        custom("allocation_id_unique_across_patient_and_insurance", _allocation_id_unique_across_union),
        custom("family_ledger_matches_cached_balance", _family_ledger_differs, severity="warn"),
    ],
)
def int_patient_payment_allocated(int_payment_split, int_patient_profile, ctx):
    """Patient (non-insurance) money as allocations to patient, family, provider and procedure (FAC §10).

    Every split is kept with its stored sign; classification comes from int_payment_split alone.
    ``include_in_ar`` follows OpenDental's aging (§10.5): a non-zero split dated on or before
    as_of_date, or undated (the zero date ages as oldest), unless its unearned type is hidden ("Do
    Not Show on Account"). Income transfers are included: their splits net to zero per payment and
    move money between procedures, providers, family members and the unearned bucket. Payment-plan
    splits are included and flagged (``is_payment_plan_split``). The provider is the split's own,
    the one OpenDental credits, not the procedure's.
    """
    s = int_payment_split
    profile = int_patient_profile.select(
        g_patient_id=int_patient_profile.patient_id, guarantor_id=int_patient_profile.guarantor_id
    )
    j = s.left_join(profile, s.patient_id == profile.g_patient_id)
    include_in_ar = (
        (j.split_amount != 0) & ~j.is_hidden_unearned & (j.payment_date.isnull() | (j.payment_date <= ctx.as_of))
    ).fill_null(False)
    return j.select(
        payment_allocation_id=ibis.literal("PAT-") + j.paysplit_id.cast("string"),
        payment_source_type=ibis.literal("PATIENT"),
        paysplit_id=j.paysplit_id,
        payment_id=j.payment_id,
        claim_payment_id=ibis.null("int64"),
        patient_id=j.patient_id,
        guarantor_id=j.guarantor_id,
        provider_id=j.provider_id,
        clinic_id=j.clinic_id,
        procedure_id=j.procedure_id,
        adjustment_id=j.adjustment_id,
        payplan_id=j.payplan_id,
        payplan_charge_id=j.payplan_charge_id,
        split_amount=j.split_amount,
        payment_date=j.payment_date,
        procedure_date=j.procedure_date,
        payment_type_id=j.payment_type_id,
        payment_type_description=j.payment_type_description,
        is_refund_payment_type=j.payment_type_description.lower().contains("refund").fill_null(False),
        split_type=j.split_type,
        unearned_type=j.unearned_type,
        unearned_type_name=j.unearned_type_name,
        is_income_transfer=j.is_income_transfer,
        is_unearned=j.is_unearned,
        is_hidden_unearned=j.is_hidden_unearned,
        is_payment_plan_split=j.is_payment_plan_split,
        is_refund=j.is_refund,
        payplan_debit_type=j.payplan_debit_type,
        payment_source=j.payment_source,
        payment_status=j.payment_status,
        process_status=j.process_status,
        merchant_fee=j.merchant_fee,
        payment_notes=j.payment_notes,
        check_number=j.check_number,
        bank_branch=j.bank_branch,
        deposit_id=j.deposit_id,
        external_id=j.external_id,
        is_cc_completed=j.is_cc_completed,
        is_recurring_cc=j.is_recurring_cc,
        recurring_charge_date=j.recurring_charge_date,
        created_by_user_id=j._created_by,
        entry_date=j.entry_date,
        include_in_ar=include_in_ar,
        ar_effect_amount=ibis.ifelse(include_in_ar, -j.split_amount, money(0, 10)).cast("decimal(10,2)"),
        _updated_at=j._updated_at,
        as_of_date=ibis.literal(ctx.as_of),
    )
