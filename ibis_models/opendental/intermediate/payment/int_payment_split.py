"""``int_payment_split``: every patient-payment split with its payment header and a classification."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ibis_models import accepted_values, custom, equal_row_count, expression_is_true, model, not_null, relationships
from ibis_models.opendental.expressions import MONEY_TOLERANCE, definitions_of, money, zero_to_null
from ibis_models.opendental.intermediate.fee._common import DISCOUNT_CATEGORIES

__all__ = ["int_payment_split"]

_SPLIT_TYPES = ("INCOME_TRANSFER", "TREATMENT_PLAN_PREPAYMENT", "UNEARNED_REVENUE", "DISCOUNT", "NORMAL_PAYMENT")
_AMOUNT_CATEGORIES = ("NEGATIVE", "ZERO", "SMALL", "MEDIUM", "LARGE", "VERY_LARGE")
_SPLIT_IMPACTS = ("major", "moderate", "minor", "not_applicable")
_FLAGS = (
    "is_unearned",
    "is_hidden_unearned",
    "is_recurring_cc",
    "is_cc_completed",
    "is_income_transfer",
    "is_unallocated",
    "is_payment_plan_split",
    "is_zero_amount",
    "is_refund",
    "split_sum_matches_payment",
    "is_high_split_payment",
)


def _split_sum_matches_staging(t: ir.Table, stg_opendental__paysplit: ir.Table) -> ir.Table:
    """Failing row when the model's split total differs from staging's by 0.01 or more."""
    mine = t.split_amount.sum().fill_null(0)
    theirs = stg_opendental__paysplit.split_amount.sum().fill_null(0)
    sums = ibis.memtable({"one": [1]}).select(model_sum=mine.as_scalar(), staging_sum=theirs.as_scalar())
    return sums.filter((sums.model_sum - sums.staging_sum).abs() >= MONEY_TOLERANCE)


def _unearned_type_in_category_29(t: ir.Table, stg_opendental__definition: ir.Table) -> ir.Table:
    """Splits whose unearned type is not a PaySplitUnearnedType definition."""
    types = stg_opendental__definition.filter(stg_opendental__definition.category_id == 29)
    rows = t.filter(t.unearned_type.notnull())
    return rows.anti_join(types, rows.unearned_type == types.definition_id)


def _unbalanced_payments(t: ir.Table) -> ir.Table:
    """Payments whose splits do not add up to PayAmt (orphan splits fail the relationship test)."""
    rows = t.filter(t.payment_amount.notnull() & ~t.split_sum_matches_payment)
    return rows.group_by("payment_id").aggregate(
        payment_amount=rows.payment_amount.max(), total_split_amount=rows.total_split_amount.max()
    )


def _split_date_differs_from_payment(t: ir.Table, stg_opendental__payment: ir.Table) -> ir.Table:
    """Splits whose DatePay differs from the parent payment's PayDate."""
    pay = stg_opendental__payment.select(pay_id=stg_opendental__payment.payment_id, pay_date=stg_opendental__payment.payment_date)
    joined = t.inner_join(pay, t.payment_id == pay.pay_id)
    return joined.filter(~joined.payment_date.identical_to(joined.pay_date))


@model(
    system="C",
    grain="one row per payment split (paysplit.SplitNum), every split kept",
    key=["paysplit_id"],
    columns={
        "paysplit_id": ("bigint", "SplitNum"),
        "payment_id": ("bigint", "PayNum of the parent payment"),
        "patient_id": ("bigint", "Patient whose account the split affects"),
        "provider_id": ("bigint", "Provider credited with the income (the split's own ProvNum); NULL when 0"),
        "clinic_id": ("bigint", "The split's clinic; NULL when 0"),
        "payment_clinic_id": ("bigint", "The payment's clinic; NULL when 0 (informational: payments can span clinics)"),
        "procedure_id": ("bigint", "Procedure paid; NULL when unattached"),
        "adjustment_id": ("bigint", "Adjustment paid; NULL when unattached"),
        "payplan_id": ("bigint", "Payment plan; NULL when unattached"),
        "payplan_charge_id": ("bigint", "Payment-plan charge; NULL when unattached"),
        "split_amount": ("decimal(10,2)", "SplitAmt, sign as stored (positive = money applied to the account)"),
        "payment_date": ("date", "DatePay (kept equal to the payment date by OpenDental)"),
        "entry_date": ("date", "The split's DateEntry"),
        "unearned_type": ("bigint", "PaySplitUnearnedType definition id; NULL when 0 (not unearned)"),
        "unearned_type_name": ("string", "The unearned type's item_name (e.g. Prepayment)"),
        "is_unearned": ("boolean", "unearned_type is not NULL"),
        "is_hidden_unearned": ("boolean", "The unearned type's item_value is non-empty (Do Not Show on Account)"),
        "payplan_debit_type": ("bigint", "PayPlanDebitTypes code; meaningful only with a payment plan"),
        "payment_amount": ("decimal(10,2)", "Parent payment's PayAmt (repeated per split; do not sum across splits)"),
        "payment_type_id": ("bigint", "Parent PayType definition id; NULL for an income transfer"),
        "payment_type_description": ("string", "Definition item_name (category 10); 'Income Transfer' for transfers"),
        "payment_entry_date": ("date", "Payment DateEntry"),
        "check_number": ("string", "Payment CheckNum"),
        "bank_branch": ("string", "Payment BankBranch"),
        "deposit_id": ("bigint", "Deposit; NULL when not deposited"),
        "external_id": ("string", "Payment ExternalId"),
        "payment_notes": ("string", "PayNote"),
        "is_recurring_cc": ("boolean", "Payment is a recurring card charge"),
        "is_cc_completed": ("boolean", "Payment's card transaction completed"),
        "recurring_charge_date": ("date", "Payment RecurringChargeDate"),
        "payment_source": ("bigint", "CreditCardSource code (0 = not a card/API payment)"),
        "payment_status": ("bigint", "PaymentStatus code"),
        "process_status": ("bigint", "ProcessStat code"),
        "merchant_fee": ("decimal(10,2)", "Payment-level card fee (repeated per split; do not sum across splits)"),
        "procedure_code": ("string", "From int_fee_model"),
        "procedure_description": ("string", "From int_fee_model"),
        "procedure_status": ("bigint", "From int_fee_model"),
        "procedure_date": ("date", "From int_fee_model (the split's own ProcDate is deprecated)"),
        "procedure_fee": ("decimal(10,2)", "applied_fee_total from int_fee_model"),
        "adjustment_amount": ("decimal(10,2)", "From int_adjustments"),
        "adjustment_type_id": ("bigint", "From int_adjustments"),
        "adjustment_type_name": ("string", "From int_adjustments"),
        "adjustment_category": ("string", "From int_adjustments"),
        "split_type": ("string", "INCOME_TRANSFER / TREATMENT_PLAN_PREPAYMENT / UNEARNED_REVENUE / DISCOUNT / NORMAL_PAYMENT"),
        "is_income_transfer": ("boolean", "The parent payment is an income transfer (PayType 0)"),
        "is_unallocated": ("boolean", "No procedure, adjustment, payment plan, plan charge or unearned type"),
        "is_payment_plan_split": ("boolean", "payplan_id or payplan_charge_id is not NULL"),
        "is_zero_amount": ("boolean", "split_amount = 0"),
        "is_refund": ("boolean", "split_amount < 0 and not an income transfer"),
        "amount_category": ("string", "NEGATIVE / ZERO / SMALL / MEDIUM / LARGE / VERY_LARGE"),
        "split_impact": ("string", "major / moderate / minor / not_applicable: |split_amount| against procedure_fee"),
        "total_splits": ("bigint", "Splits in the same payment"),
        "unique_procedures": ("bigint", "Distinct non-NULL procedure_id in the payment"),
        "unique_providers": ("bigint", "Distinct non-NULL provider_id in the payment"),
        "total_split_amount": ("decimal(18,2)", "Sum of split_amount in the payment"),
        "split_sum_matches_payment": ("boolean", "|total_split_amount - payment_amount| < 0.01"),
        "is_high_split_payment": ("boolean", "total_splits > 20"),
        "_created_at": ("timestamp", "Split DateEntry"),
        "_updated_at": ("timestamp", "Split SecDateTEdit"),
        "_created_by": ("bigint", "Split SecUserNumEntry; NULL when 0"),
        "as_of_date": ("date", "ctx.as_of"),
    },
    tests=[
        equal_row_count("stg_opendental__paysplit"),
        custom("split_amount_sum_equals_staging", _split_sum_matches_staging),
        not_null("payment_id", "patient_id"),
        relationships("payment_id", to="stg_opendental__payment.payment_id"),
        relationships("patient_id", to="int_patient_profile.patient_id"),
        relationships("provider_id", to="int_provider_profile.provider_id"),
        relationships("procedure_id", to="int_fee_model.procedure_id", severity="warn"),
        relationships("adjustment_id", to="int_adjustments.adjustment_id", severity="warn"),
        custom("unearned_type_is_category_29_definition", _unearned_type_in_category_29),
        custom("payment_equals_sum_of_splits", _unbalanced_payments),
        expression_is_true(
            "income_transfer_nets_to_zero",
            lambda t: (t.payment_amount == 0) & (t.total_split_amount == 0),
            where=lambda t: t.is_income_transfer,
            severity="warn",
        ),
        accepted_values("split_type", _SPLIT_TYPES),
        accepted_values("amount_category", _AMOUNT_CATEGORIES),
        accepted_values("split_impact", _SPLIT_IMPACTS),
        not_null("split_type", "amount_category", "split_impact"),
        not_null(*_FLAGS),
        expression_is_true(
            "single_attachment",
            lambda t: ~(t.procedure_id.notnull() & t.adjustment_id.notnull()),
            severity="warn",
        ),
        custom("payment_date_equals_parent_pay_date", _split_date_differs_from_payment, severity="warn"),
    ],
)
def int_payment_split(
    stg_opendental__paysplit,
    stg_opendental__payment,
    stg_opendental__definition,
    int_fee_model,
    int_adjustments,
    ctx,
):
    """Every patient-payment split with its payment header and a business classification (FAC §9).

    Every split is kept; validation results are flags, never filters (§9.2). Income transfers are
    recognised by staging's ``is_income_transfer`` (PayType 0), never by note text, and win over
    every other split type (§9.5 rule 6). An unearned type is hidden ("Do Not Show on Account",
    e.g. treatment-plan prepayment) when its category-29 definition has a non-empty ItemValue (§9.5
    rule 4). DISCOUNT comes from the attached adjustment's category (§7.5), not from the
    treatment-plan-only procedure Discount column. The split keeps its own clinic and provider:
    OpenDental warns that a payment's clinic can not be used for clinic reporting (§9.7).
    """
    split = stg_opendental__paysplit
    pay = stg_opendental__payment
    payment = pay.select(
        p_payment_id=pay.payment_id,
        payment_clinic_id=zero_to_null(pay.clinic_id),
        payment_amount=pay.payment_amount,
        payment_type_id=zero_to_null(pay.payment_type_id),
        p_is_income_transfer=pay.is_income_transfer,
        payment_entry_date=pay.entry_date,
        check_number=pay.check_number,
        bank_branch=pay.bank_branch,
        deposit_id=zero_to_null(pay.deposit_id),
        external_id=pay.external_id,
        payment_notes=pay.payment_notes,
        p_is_recurring_cc=pay.is_recurring_cc,
        p_is_cc_completed=pay.is_cc_completed,
        recurring_charge_date=pay.recurring_charge_date,
        payment_source=pay.payment_source,
        payment_status=pay.payment_status,
        process_status=pay.process_status,
        merchant_fee=pay.merchant_fee,
    )
    payment_types = definitions_of(stg_opendental__definition, 10, "pt")
    unearned_types = definitions_of(stg_opendental__definition, 29, "ut")
    fee = int_fee_model.select(
        f_procedure_id=int_fee_model.procedure_id,
        procedure_code=int_fee_model.procedure_code,
        procedure_description=int_fee_model.procedure_description,
        procedure_status=int_fee_model.procedure_status,
        procedure_date=int_fee_model.procedure_date,
        procedure_fee=int_fee_model.applied_fee_total,
    )
    adj = int_adjustments.select(
        a_adjustment_id=int_adjustments.adjustment_id,
        adjustment_amount=int_adjustments.adjustment_amount,
        adjustment_type_id=int_adjustments.adjustment_type_id,
        adjustment_type_name=int_adjustments.adjustment_type_name,
        adjustment_category=int_adjustments.adjustment_category,
    )
    per_payment = split.group_by(g_payment_id=split.payment_id).aggregate(
        total_splits=split.count(),
        unique_procedures=split.procedure_id.nunique(),
        unique_providers=split.provider_id.nunique(),
        total_split_amount=split.split_amount.sum().cast("decimal(18,2)"),
    )

    base = split.select(
        paysplit_id=split.paysplit_id,
        payment_id=zero_to_null(split.payment_id),
        patient_id=split.patient_id,
        provider_id=zero_to_null(split.provider_id),
        clinic_id=zero_to_null(split.clinic_id),
        procedure_id=zero_to_null(split.procedure_id),
        adjustment_id=zero_to_null(split.adjustment_id),
        payplan_id=zero_to_null(split.payplan_id),
        payplan_charge_id=zero_to_null(split.payplan_charge_id),
        split_amount=split.split_amount,
        payment_date=split.payment_date,
        entry_date=split.entry_date,
        unearned_type=zero_to_null(split.unearned_type),
        payplan_debit_type=split.payplan_debit_type,
        s_updated_at=split.date_updated,
        s_created_by=zero_to_null(split._created_by),
    )
    j = base.left_join(payment, base.payment_id == payment.p_payment_id)
    j = j.left_join(payment_types, j.payment_type_id == payment_types.pt_definition_id)
    j = j.left_join(unearned_types, j.unearned_type == unearned_types.ut_definition_id)
    j = j.left_join(fee, j.procedure_id == fee.f_procedure_id)
    j = j.left_join(adj, j.adjustment_id == adj.a_adjustment_id)
    j = j.left_join(per_payment, j.payment_id == per_payment.g_payment_id)

    is_income_transfer = j.p_is_income_transfer.fill_null(False)
    is_unearned = j.unearned_type.notnull()
    is_hidden_unearned = is_unearned & (j.ut_item_value.strip().length() > 0).fill_null(False)
    is_discount = j.adjustment_id.notnull() & j.adjustment_category.isin(DISCOUNT_CATEGORIES).fill_null(False)
    amount = j.split_amount
    magnitude = amount.abs()
    total_split_amount = j.total_split_amount.fill_null(0).cast("decimal(18,2)")
    total_splits = j.total_splits.fill_null(0)

    return j.select(
        paysplit_id=j.paysplit_id,
        payment_id=j.payment_id,
        patient_id=j.patient_id,
        provider_id=j.provider_id,
        clinic_id=j.clinic_id,
        payment_clinic_id=j.payment_clinic_id,
        procedure_id=j.procedure_id,
        adjustment_id=j.adjustment_id,
        payplan_id=j.payplan_id,
        payplan_charge_id=j.payplan_charge_id,
        split_amount=amount,
        payment_date=j.payment_date,
        entry_date=j.entry_date,
        unearned_type=j.unearned_type,
        unearned_type_name=j.ut_name,
        is_unearned=is_unearned,
        is_hidden_unearned=is_hidden_unearned,
        payplan_debit_type=j.payplan_debit_type,
        payment_amount=j.payment_amount,
        payment_type_id=j.payment_type_id,
        payment_type_description=ibis.ifelse(is_income_transfer, "Income Transfer", j.pt_name),
        payment_entry_date=j.payment_entry_date,
        check_number=j.check_number,
        bank_branch=j.bank_branch,
        deposit_id=j.deposit_id,
        external_id=j.external_id,
        payment_notes=j.payment_notes,
        is_recurring_cc=j.p_is_recurring_cc.fill_null(False),
        is_cc_completed=j.p_is_cc_completed.fill_null(False),
        recurring_charge_date=j.recurring_charge_date,
        payment_source=j.payment_source,
        payment_status=j.payment_status,
        process_status=j.process_status,
        merchant_fee=j.merchant_fee,
        procedure_code=j.procedure_code,
        procedure_description=j.procedure_description,
        procedure_status=j.procedure_status,
        procedure_date=j.procedure_date,
        procedure_fee=j.procedure_fee,
        adjustment_amount=j.adjustment_amount,
        adjustment_type_id=j.adjustment_type_id,
        adjustment_type_name=j.adjustment_type_name,
        adjustment_category=j.adjustment_category,
        split_type=ibis.cases(
            (is_income_transfer, "INCOME_TRANSFER"),
            (is_hidden_unearned, "TREATMENT_PLAN_PREPAYMENT"),
            (is_unearned, "UNEARNED_REVENUE"),
            (is_discount, "DISCOUNT"),
            else_="NORMAL_PAYMENT",
        ),
        is_income_transfer=is_income_transfer,
        is_unallocated=(
            j.procedure_id.isnull()
            & j.adjustment_id.isnull()
            & j.payplan_id.isnull()
            & j.payplan_charge_id.isnull()
            & j.unearned_type.isnull()
        ),
        is_payment_plan_split=j.payplan_id.notnull() | j.payplan_charge_id.notnull(),
        is_zero_amount=(amount == 0).fill_null(False),
        is_refund=((amount < 0) & ~is_income_transfer).fill_null(False),
        amount_category=ibis.cases(
            (amount < 0, "NEGATIVE"),
            (amount == 0, "ZERO"),
            (amount <= money(100, 10), "SMALL"),
            (amount <= money(1000, 10), "MEDIUM"),
            (amount <= money(5000, 10), "LARGE"),
            else_="VERY_LARGE",
        ),
        # ratio = |split| / fee compared as |split| * k > fee: exact decimal arithmetic, no float.
        split_impact=ibis.cases(
            (j.procedure_id.isnull() | j.procedure_fee.isnull() | (j.procedure_fee <= 0), "not_applicable"),
            (magnitude * 2 > j.procedure_fee, "major"),
            (magnitude * 10 > j.procedure_fee, "moderate"),
            else_="minor",
        ),
        total_splits=total_splits,
        unique_procedures=j.unique_procedures.fill_null(0),
        unique_providers=j.unique_providers.fill_null(0),
        total_split_amount=total_split_amount,
        split_sum_matches_payment=((total_split_amount - j.payment_amount).abs() < MONEY_TOLERANCE).fill_null(False),
        is_high_split_payment=total_splits > 20,
        _created_at=j.entry_date.cast("timestamp"),
        _updated_at=j.s_updated_at,
        _created_by=j.s_created_by,
        as_of_date=ibis.literal(ctx.as_of),
    )
