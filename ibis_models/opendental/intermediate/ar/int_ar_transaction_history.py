"""``int_ar_transaction_history``: each money movement up to as_of with the patient's running balance (DE §3.4)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ibis_models import accepted_values, custom, expression_is_true, model, unique_combination
from ibis_models.framework.context import BuildContext
from ibis_models.opendental.expressions import days_between
from ibis_models.opendental.intermediate.ar._common import OLDEST, dated_on_or_before
from ibis_models.opendental.intermediate.ar.int_ar_shared_calculations import ADJUSTMENT_TYPES, PAYMENT_TYPES

__all__ = ["int_ar_transaction_history"]

_MONEY = "decimal(18,2)"
TRANSACTION_TYPES = ("PROCEDURE", "ADJUSTMENT", "PATIENT_PAYMENT", "INSURANCE_PAYMENT", "WRITEOFF")
# (component code, transaction_type, sort order within a day, signed amount)
_COMPONENTS = (
    ("CHG", "PROCEDURE", 0, lambda t: t.production_amount),
    ("ADJ", "ADJUSTMENT", 1, lambda t: t.adjustment_amount),
    ("INS", "INSURANCE_PAYMENT", 2, lambda t: -t.insurance_payment_amount),
    ("WO", "WRITEOFF", 3, lambda t: -t.writeoff_amount),
    ("PAY", "PATIENT_PAYMENT", 4, lambda t: -t.patient_payment_amount),
)


def _history_sum_differs(t: ir.Table, int_ar_shared_calculations: ir.Table, ctx: BuildContext) -> ir.Table:
    """DE §6 R5: history amounts sum to the ledger amount dated <= as_of."""
    lg = int_ar_shared_calculations
    lg = lg.filter(dated_on_or_before(lg.transaction_date, ctx.as_of))
    mine = t.aggregate(history=t.amount.sum().fill_null(0).cast(_MONEY))
    theirs = lg.aggregate(ledger=lg.amount.sum().fill_null(0).cast(_MONEY))
    both = mine.cross_join(theirs)
    return both.filter(both.history != both.ledger)


def _last_running_balance(t: ir.Table) -> ir.Table:
    last = t.group_by("patient_id").aggregate(_last_seq=t.transaction_sequence.max())
    j = t.inner_join(last, (t.patient_id == last.patient_id) & (t.transaction_sequence == last._last_seq))
    return j.select("patient_id", "running_patient_balance")


def _last_balance_differs_from_ledger(t: ir.Table, int_ar_shared_calculations: ir.Table, ctx: BuildContext) -> ir.Table:
    """Per patient, the last running balance equals the ledger balance at as_of (R5, build-time form)."""
    lg = int_ar_shared_calculations
    lg = lg.filter(dated_on_or_before(lg.transaction_date, ctx.as_of))
    bal = lg.group_by(_lg_patient_id=lg.patient_id).aggregate(balance=lg.amount.sum().cast(_MONEY))
    last = _last_running_balance(t)
    j = last.outer_join(bal, last.patient_id == bal._lg_patient_id)
    j = j.select(
        patient_id=j.patient_id.fill_null(j._lg_patient_id),
        last_balance=j.running_patient_balance.fill_null(0),
        balance=j.balance.fill_null(0),
    )
    return j.filter(j.last_balance != j.balance)


def _last_balance_differs_from_analysis(t: ir.Table, int_ar_analysis: ir.Table) -> ir.Table:
    """DE §6 R5: per patient, the last running balance equals int_ar_analysis.total_ar_balance."""
    last = _last_running_balance(t)
    a = int_ar_analysis.select(_a_pid="patient_id", total_ar_balance="total_ar_balance")
    j = a.left_join(last, a._a_pid == last.patient_id)
    return j.filter(j.running_patient_balance.fill_null(0) != j.total_ar_balance).select(patient_id="_a_pid")


@model(
    system="D",
    grain="one row per non-zero component (CHG, ADJ, INS, WO, PAY) of a ledger row dated on or before as_of",
    key=["ar_transaction_id"],
    columns={
        "ar_transaction_id": ("string", "ledger_entry_id || ':' || component code"),
        "ledger_entry_id": ("string", "Parent ledger row"),
        "patient_id": ("bigint", "From the ledger row"),
        "guarantor_id": ("bigint", "From the ledger row"),
        "procedure_id": ("bigint", "From the ledger row"),
        "provider_id": ("bigint", "From the ledger row"),
        "clinic_id": ("bigint", "From the ledger row"),
        "claim_id": ("bigint", "From the ledger row (claimprocs)"),
        "claim_payment_id": ("bigint", "From the ledger row (claimprocs)"),
        "payment_id": ("bigint", "From the ledger row (pay splits)"),
        "transaction_date": ("date", "Ledger transaction_date; NULL for a zero date (sorted first)"),
        "transaction_type": ("string", "PROCEDURE, ADJUSTMENT, PATIENT_PAYMENT, INSURANCE_PAYMENT or WRITEOFF"),
        "amount": ("decimal(10,2)", "Signed effect on the balance"),
        "balance_impact": ("string", "INCREASE or DECREASE"),
        "transaction_category": ("string", "PROCEDURE_FEE, adjustment_type, payment_type or WRITEOFF"),
        "payment_method": ("string", "payment_type for PAY and INS rows"),
        "adjustment_type": ("string", "ADJ rows only"),
        "is_insurance_transaction": ("boolean", "INSURANCE_PAYMENT or WRITEOFF"),
        "is_income_transfer": ("boolean", "From the ledger row"),
        "days_outstanding": ("bigint", "as_of - transaction_date (NULL for a NULL date)"),
        "aging_bucket": ("string", "0-30, 31-60, 61-90 or 90+ (NULL date -> 90+)"),
        "transaction_sequence": ("bigint", "1-based position in the patient's ordered history"),
        "running_patient_balance": ("decimal(18,2)", "Cumulative amount over the patient's rows up to this one"),
        "as_of_date": ("date", "ctx.as_of"),
    },
    tests=[
        unique_combination(["patient_id", "transaction_sequence"]),
        expression_is_true("amount_not_zero", lambda t: t.amount != 0),
        expression_is_true(
            "balance_impact_matches_sign",
            lambda t: ibis.ifelse(t.amount > 0, t.balance_impact == "INCREASE", t.balance_impact == "DECREASE"),
        ),
        expression_is_true(
            "is_insurance_transaction_matches_type",
            lambda t: t.is_insurance_transaction == t.transaction_type.isin(("INSURANCE_PAYMENT", "WRITEOFF")),
        ),
        accepted_values("transaction_type", TRANSACTION_TYPES),
        accepted_values("balance_impact", ("INCREASE", "DECREASE")),
        accepted_values("aging_bucket", ("0-30", "31-60", "61-90", "90+")),
        accepted_values("transaction_category", tuple(dict.fromkeys(("PROCEDURE_FEE", *PAYMENT_TYPES, *ADJUSTMENT_TYPES)))),
        custom("history_sum_equals_ledger_sum", _history_sum_differs),
        custom("last_running_balance_equals_ledger_balance", _last_balance_differs_from_ledger),
        custom("last_running_balance_equals_int_ar_analysis", _last_balance_differs_from_analysis),
    ],
)
def int_ar_transaction_history(int_ar_shared_calculations: ir.Table, ctx: BuildContext) -> ir.Table:
    """Chronological account history: each ledger component up to as_of and the running balance after it.

    - An insurance claimproc becomes an INS row and a WO row; zero components are not emitted;
      income-transfer splits are emitted and flagged (DE §3.4).
    - Order within a patient (total): transaction date (NULL first, as OpenDental's zero date),
      then CHG, ADJ, INS, WO, PAY, then ar_transaction_id. The running balance is a ROWS frame
      from the first row to the current one.
    """
    as_of = ibis.literal(ctx.as_of, type="date")
    lg = int_ar_shared_calculations
    lg = lg.filter(dated_on_or_before(lg.transaction_date, as_of))

    parts = []
    for code, kind, order, signed in _COMPONENTS:
        amount = signed(lg).cast("decimal(10,2)")
        category = {
            "CHG": ibis.literal("PROCEDURE_FEE"),
            "ADJ": lg.adjustment_type,
            "INS": lg.payment_type,
            "WO": ibis.literal("WRITEOFF"),
            "PAY": lg.payment_type,
        }[code]
        part = lg.select(
            ar_transaction_id=lg.ledger_entry_id + f":{code}",
            ledger_entry_id=lg.ledger_entry_id,
            patient_id=lg.patient_id,
            guarantor_id=lg.guarantor_id,
            procedure_id=lg.procedure_id,
            provider_id=lg.provider_id,
            clinic_id=lg.clinic_id,
            claim_id=lg.claim_id,
            claim_payment_id=lg.claim_payment_id,
            payment_id=lg.payment_id,
            transaction_date=lg.transaction_date,
            transaction_type=ibis.literal(kind),
            amount=amount,
            transaction_category=category.cast("string"),
            payment_method=(lg.payment_type if code in ("INS", "PAY") else ibis.null("string")),
            adjustment_type=(lg.adjustment_type if code == "ADJ" else ibis.null("string")),
            is_income_transfer=lg.is_income_transfer,
            _order=ibis.literal(order),
        )
        parts.append(part.filter(part.amount != 0))
    rows = ibis.union(*parts, distinct=False)

    order_by = [rows.transaction_date.fill_null(ibis.literal(OLDEST)), rows._order, rows.ar_transaction_id]
    sequence = ibis.window(group_by=rows.patient_id, order_by=order_by)
    running = ibis.window(group_by=rows.patient_id, order_by=order_by, preceding=None, following=0)
    days = days_between(as_of, rows.transaction_date)
    return rows.select(
        "ar_transaction_id",
        "ledger_entry_id",
        "patient_id",
        "guarantor_id",
        "procedure_id",
        "provider_id",
        "clinic_id",
        "claim_id",
        "claim_payment_id",
        "payment_id",
        "transaction_date",
        "transaction_type",
        "amount",
        balance_impact=ibis.ifelse(rows.amount > 0, "INCREASE", "DECREASE"),
        transaction_category=rows.transaction_category,
        payment_method=rows.payment_method,
        adjustment_type=rows.adjustment_type,
        is_insurance_transaction=rows.transaction_type.isin(("INSURANCE_PAYMENT", "WRITEOFF")),
        is_income_transfer=rows.is_income_transfer,
        days_outstanding=days,
        aging_bucket=ibis.cases(
            (days.isnull(), "90+"), (days <= 30, "0-30"), (days <= 60, "31-60"), (days <= 90, "61-90"), else_="90+"
        ),
        transaction_sequence=(ibis.row_number().over(sequence) + 1).cast("int64"),
        running_patient_balance=rows.amount.sum().over(running).cast(_MONEY),
        as_of_date=as_of,
    )
