"""``int_ar_aging_snapshot``: OpenDental's FIFO aging per patient on as_of and the previous month-ends (DE §3.3)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ibis_models import custom, expression_is_true, model, relationships
from ibis_models.framework.context import BuildContext
from ibis_models.opendental.expressions import days_between, ratio, round_half_away
from ibis_models.opendental.intermediate.ar._common import (
    COMPLETE,
    age_ledger,
    dated_on_or_before,
    is_pending_estimate,
    left_join_on,
    param,
    snapshot_dates,
    staging_balance,
)

__all__ = ["int_ar_aging_snapshot"]

_MONEY = "decimal(18,2)"
_CARRIED = (
    "total_ar_balance",
    "balance_0_30_days",
    "balance_31_60_days",
    "balance_61_90_days",
    "balance_over_90_days",
    "estimated_insurance_ar",
    "patient_responsibility",
    "insurance_responsibility",
    "open_procedures_count",
    "active_claims_count",
)
_BUCKETS = ("balance_0_30_days", "balance_31_60_days", "balance_61_90_days", "balance_over_90_days")


def _dates_table(ctx: BuildContext) -> ir.Table:
    """The snapshot series (computed in Python from ctx.as_of) with each date's predecessor."""
    dates = snapshot_dates(ctx.as_of, int(param(ctx, "aging_snapshot_months")))
    previous = [None, *dates[:-1]]
    return ibis.memtable(
        {"snapshot_date": dates, "previous_snapshot_date": previous},
        schema={"snapshot_date": "date", "previous_snapshot_date": "date"},
    )


def _practice_reconciliation(
    t: ir.Table,
    stg_opendental__procedurelog: ir.Table,
    stg_opendental__adjustment: ir.Table,
    stg_opendental__paysplit: ir.Table,
    stg_opendental__definition: ir.Table,
    stg_opendental__claimproc: ir.Table,
    ctx: BuildContext,
) -> ir.Table:
    """DE §6 R7: on every snapshot date, the practice total equals the staging formula to the cent."""
    formula = staging_balance(
        ctx,
        stg_opendental__procedurelog,
        stg_opendental__adjustment,
        stg_opendental__paysplit,
        stg_opendental__definition,
        stg_opendental__claimproc,
        days=_dates_table(ctx).select(day="snapshot_date"),
    )
    mine = t.group_by(day=t.snapshot_date).aggregate(snapshot_total=t.total_ar_balance.sum().cast(_MONEY))
    j = left_join_on(formula, mine, ["day"])
    j = j.select("day", "balance", snapshot_total=j.snapshot_total.fill_null(0))
    return j.filter(j.snapshot_total != j.balance)


def _as_of_rows_differ_from_analysis(t: ir.Table, int_ar_analysis: ir.Table) -> ir.Table:
    """DE §6 R6: as_of rows equal int_ar_analysis on total and buckets; non-zero patients have a row."""
    mine = t.filter(t.is_as_of_snapshot)
    cols = ("total_ar_balance", *_BUCKETS, "credit_balance", "estimated_insurance_ar")
    a = int_ar_analysis.select("patient_id", *(int_ar_analysis[c].name(f"a_{c}") for c in cols))
    j = a.left_join(mine, a.patient_id == mine.patient_id)
    zero = ibis.literal(0).cast(_MONEY)
    differs = ibis.or_(*(j[f"a_{c}"] != j[c].fill_null(zero) for c in cols))
    missing = j.snapshot_date.isnull() & ((j.a_total_ar_balance != 0) | (j.a_estimated_insurance_ar != 0))
    return j.filter(differs | missing).select(patient_id=a.patient_id)


@model(
    system="D",
    grain="one row per (snapshot_date, patient_id): as_of and the aging_snapshot_months previous month-ends, "
    "patients with a non-zero balance or estimate then or on the previous date",
    key=["snapshot_date", "patient_id"],
    columns={
        "snapshot_date": ("date", "Key part: as_of or a previous month-end"),
        "patient_id": ("bigint", "Key part"),
        "guarantor_id": ("bigint", "Family head; = patient_id for a patient missing from the patient table"),
        "is_as_of_snapshot": ("boolean", "snapshot_date = as_of"),
        "total_ar_balance": ("decimal(18,2)", "DE §2.2 at snapshot_date"),
        "balance_0_30_days": ("decimal(18,2)", "FIFO bucket 0-30 days (DE §2.3)"),
        "balance_31_60_days": ("decimal(18,2)", "FIFO bucket 31-60 days"),
        "balance_61_90_days": ("decimal(18,2)", "FIFO bucket 61-90 days"),
        "balance_over_90_days": ("decimal(18,2)", "FIFO bucket over 90 days"),
        "credit_balance": ("decimal(18,2)", "min(total_ar_balance, 0)"),
        "balance_over_18_months": ("decimal(18,2)", "Part of the over-90 bucket older than collection_horizon_months"),
        "insurance_payment_estimate": ("decimal(18,2)", "DE §2.4 InsPayEst still expected"),
        "insurance_writeoff_estimate": ("decimal(18,2)", "DE §2.4 write-off estimate"),
        "estimated_insurance_ar": ("decimal(18,2)", "Sum of the two (OpenDental InsEst)"),
        "insurance_responsibility": ("decimal(18,2)", "= estimated_insurance_ar"),
        "patient_responsibility": ("decimal(18,2)", "total_ar_balance - estimated_insurance_ar"),
        "open_procedures_count": ("bigint", "Completed procedures dated <= snapshot_date with attached ledger sum > 0"),
        "active_claims_count": ("bigint", "Distinct claims among the patient's claimprocs pending at snapshot_date"),
        "previous_snapshot_date": ("date", "Previous date of the series; NULL for the earliest"),
        "previous_total_ar_balance": ("decimal(18,2)", "At previous_snapshot_date (0 when nothing then)"),
        "previous_balance_0_30_days": ("decimal(18,2)", "At previous_snapshot_date"),
        "previous_balance_31_60_days": ("decimal(18,2)", "At previous_snapshot_date"),
        "previous_balance_61_90_days": ("decimal(18,2)", "At previous_snapshot_date"),
        "previous_balance_over_90_days": ("decimal(18,2)", "At previous_snapshot_date"),
        "previous_estimated_insurance_ar": ("decimal(18,2)", "At previous_snapshot_date"),
        "previous_patient_responsibility": ("decimal(18,2)", "At previous_snapshot_date"),
        "previous_insurance_responsibility": ("decimal(18,2)", "At previous_snapshot_date"),
        "previous_open_procedures_count": ("bigint", "At previous_snapshot_date"),
        "previous_active_claims_count": ("bigint", "At previous_snapshot_date"),
        "ar_balance_change": ("decimal(18,2)", "total_ar_balance - coalesce(previous_total_ar_balance, 0)"),
        "ar_balance_change_percentage": ("float64", "100 x change / previous total, 2 places; NULL when previous is NULL or 0"),
        "payments_30_days": ("decimal(18,2)", "Patient + insurance payments dated in (snapshot_date - 30, snapshot_date]"),
        "payments_60_days": ("decimal(18,2)", "Same over 60 days"),
        "payments_90_days": ("decimal(18,2)", "Same over 90 days"),
        "collection_efficiency_30_days": (
            "float64",
            "payments_30 / (payments_30 + max(total, 0)), 4 places; NULL when denominator <= 0",
        ),
        "collection_efficiency_60_days": ("float64", "Same over 60 days"),
        "collection_efficiency_90_days": ("float64", "Same over 90 days"),
        "as_of_date": ("date", "ctx.as_of"),
    },
    tests=[
        relationships("patient_id", to="stg_opendental__patient.patient_id", severity="warn"),
        expression_is_true(
            "buckets_plus_credit_equal_total",
            lambda t: (
                t.total_ar_balance
                == t.balance_0_30_days + t.balance_31_60_days + t.balance_61_90_days + t.balance_over_90_days + t.credit_balance
            ),
        ),
        expression_is_true(
            "buckets_non_negative_credit_only_without_buckets",
            lambda t: (
                ibis.and_(*(t[b] >= 0 for b in _BUCKETS))
                & (t.credit_balance <= 0)
                & ((t.credit_balance == 0) | ibis.and_(*(t[b] == 0 for b in _BUCKETS)))
            ),
        ),
        expression_is_true(
            "over_18_months_within_over_90",
            lambda t: (t.balance_over_18_months >= 0) & (t.balance_over_18_months <= t.balance_over_90_days),
        ),
        expression_is_true(
            "total_equals_patient_plus_insurance_responsibility",
            lambda t: t.total_ar_balance == t.patient_responsibility + t.insurance_responsibility,
        ),
        expression_is_true(
            "ar_balance_change_identity",
            lambda t: t.ar_balance_change == t.total_ar_balance - t.previous_total_ar_balance.fill_null(0),
        ),
        custom("practice_total_equals_staging_formula_each_date", _practice_reconciliation),
        custom("as_of_rows_equal_int_ar_analysis", _as_of_rows_differ_from_analysis),
        expression_is_true(
            "collection_efficiency_between_0_and_1",
            lambda t: ibis.and_(
                *(
                    t[c].isnull() | t[c].between(0, 1)
                    for c in ("collection_efficiency_30_days", "collection_efficiency_60_days", "collection_efficiency_90_days")
                )
            ),
            severity="warn",
        ),
    ],
)
def int_ar_aging_snapshot(
    int_ar_shared_calculations: ir.Table,
    stg_opendental__procedurelog: ir.Table,
    stg_opendental__patient: ir.Table,
    ctx: BuildContext,
) -> ir.Table:
    """OpenDental's historic aging of each patient on as_of and on each previous month-end.

    - Every snapshot is recomputed from the dated ledger with ``age_ledger`` (charges aged from their
      own dates, credits applied oldest first, DE §2.3; estimate by the historic rule, DE §2.4), so
      a snapshot equals a separate build at that date. Evaluations = snapshot dates x patients with
      a ledger row dated on or before as_of; the existence rule is applied after aging and after
      the previous values are taken from the previous month-end of the same grid.
    - open_procedures_count reads the completed procedures from stg procedurelog (not listed among
      the spec's inputs) so zero-fee procedures with attached charges count as in int_ar_balance.
    """
    as_of = ibis.literal(ctx.as_of, type="date")
    lg = int_ar_shared_calculations
    dates = _dates_table(ctx)

    patients = lg.filter(dated_on_or_before(lg.transaction_date, as_of)).select("patient_id").distinct()
    evals = dates.cross_join(patients).select("snapshot_date", "patient_id", eval_date=dates.snapshot_date)
    aged = age_ledger(lg, evals, int(param(ctx, "collection_horizon_months")), by=("snapshot_date", "patient_id"))

    # open procedures per date: attached ledger sum (rows dated <= the date) > 0
    procs = stg_opendental__procedurelog.filter(stg_opendental__procedurelog.procedure_status == COMPLETE)
    procs = procs.select(_op_proc_id="procedure_id", _op_patient_id="patient_id", _op_date="procedure_date")
    att = lg.inner_join(procs, (lg.procedure_id == procs._op_proc_id) & (lg.patient_id == procs._op_patient_id))
    att = att.select("patient_id", "procedure_id", "transaction_date", "amount", "_op_date")
    da = dates.select(_d="snapshot_date").cross_join(att)
    da = da.filter(dated_on_or_before(da.transaction_date, da._d), dated_on_or_before(da._op_date, da._d))
    per_proc = da.group_by([da._d, da.patient_id, da.procedure_id]).aggregate(_sum=da.amount.sum())
    per_proc = per_proc.filter(per_proc._sum > 0)
    open_counts = per_proc.group_by(["_d", "patient_id"]).aggregate(_open=per_proc.count())
    open_counts = open_counts.select(snapshot_date="_d", patient_id="patient_id", _open="_open")

    # active claims per date: claimprocs pending at the date (DE §2.4)
    cps = lg.filter((lg.source_type == "CLAIMPROC") & lg.claim_id.notnull())
    dc = dates.select(_d="snapshot_date").cross_join(cps)
    dc = dc.filter(is_pending_estimate(dc.claimproc_status, dc.claimproc_procedure_date, dc.transaction_date, dc._d))
    claim_counts = dc.group_by(snapshot_date=dc._d, patient_id=dc.patient_id).aggregate(_claims=dc.claim_id.nunique())

    keys = ["snapshot_date", "patient_id"]
    aged = aged.rename(total_ar_balance="total_balance")
    full = left_join_on(left_join_on(aged, open_counts, keys), claim_counts, keys)
    full = full.mutate(
        insurance_responsibility=full.estimated_insurance_ar,
        open_procedures_count=full._open.fill_null(0).cast("int64"),
        active_claims_count=full._claims.fill_null(0).cast("int64"),
    ).drop("_open", "_claims")
    full = full.inner_join(dates, "snapshot_date")

    # ``full`` holds every (date, patient) of the grid, so the previous snapshot is the previous row:
    # a window, not a self-join, which Postgres would answer by aging the whole ledger twice.
    by_patient = ibis.window(group_by=full.patient_id, order_by=full.snapshot_date)
    j = full.mutate(**{f"previous_{c}": full[c].lag().over(by_patient) for c in _CARRIED})
    j = j.filter(
        (j.total_ar_balance != 0)
        | (j.estimated_insurance_ar != 0)
        | (j.previous_total_ar_balance.fill_null(0) != 0)
        | (j.previous_estimated_insurance_ar.fill_null(0) != 0)
    )

    # payments in the trailing windows
    pay = lg.filter(lg.transaction_date.notnull()).select(
        "patient_id", "transaction_date", _paid=lg.patient_payment_amount + lg.insurance_payment_amount
    )
    dp = dates.select(_d="snapshot_date").cross_join(pay)
    dp = dp.filter(dp.transaction_date <= dp._d)
    age = days_between(dp._d, dp.transaction_date)
    windows = dp.group_by(snapshot_date=dp._d, patient_id=dp.patient_id).aggregate(
        **{f"_pay{n}": dp._paid.sum(where=age < n) for n in (30, 60, 90)}
    )
    j = left_join_on(j, windows, keys)

    pats = stg_opendental__patient.select(_pat_id="patient_id", _guarantor="guarantor_id")
    j = j.left_join(pats, j.patient_id == pats._pat_id)

    def efficiency(paid: ir.NumericValue) -> ir.FloatingValue:
        positive = ibis.ifelse(j.total_ar_balance > 0, j.total_ar_balance, 0)
        denominator = (paid + positive).cast("float64")
        return ibis.ifelse(denominator > 0, round_half_away(paid.cast("float64") / denominator, 4), ibis.null("float64"))

    payments = {n: j[f"_pay{n}"].fill_null(0).cast(_MONEY) for n in (30, 60, 90)}
    earliest = j.previous_snapshot_date.isnull()

    def previous(col: str) -> ir.Value:
        value = j[f"previous_{col}"]
        filled = value.fill_null(0)
        return ibis.ifelse(earliest, ibis.null(value.type()), filled).cast(value.type())

    change = (j.total_ar_balance - j.previous_total_ar_balance.fill_null(0)).cast(_MONEY)
    prev_total = previous("total_ar_balance")
    return j.select(
        snapshot_date=j.snapshot_date,
        patient_id=j.patient_id,
        guarantor_id=j._guarantor.fill_null(j.patient_id),
        is_as_of_snapshot=j.snapshot_date == as_of,
        total_ar_balance=j.total_ar_balance,
        balance_0_30_days=j.balance_0_30_days,
        balance_31_60_days=j.balance_31_60_days,
        balance_61_90_days=j.balance_61_90_days,
        balance_over_90_days=j.balance_over_90_days,
        credit_balance=j.credit_balance,
        balance_over_18_months=j.balance_over_18_months,
        insurance_payment_estimate=j.insurance_payment_estimate,
        insurance_writeoff_estimate=j.insurance_writeoff_estimate,
        estimated_insurance_ar=j.estimated_insurance_ar,
        insurance_responsibility=j.insurance_responsibility,
        patient_responsibility=j.patient_responsibility,
        open_procedures_count=j.open_procedures_count,
        active_claims_count=j.active_claims_count,
        previous_snapshot_date=j.previous_snapshot_date,
        **{f"previous_{c}": previous(c) for c in _CARRIED},
        ar_balance_change=change,
        ar_balance_change_percentage=ratio(change, prev_total, 2, scale=100),
        payments_30_days=payments[30],
        payments_60_days=payments[60],
        payments_90_days=payments[90],
        collection_efficiency_30_days=efficiency(payments[30]),
        collection_efficiency_60_days=efficiency(payments[60]),
        collection_efficiency_90_days=efficiency(payments[90]),
        as_of_date=as_of,
    )
