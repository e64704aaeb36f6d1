"""System D helpers: OpenDental's FIFO aging of the AR ledger, families and the staging balance formula.

``age_ledger`` is the one implementation of DE §2.3/§2.4 every AR and collections model uses;
``staging_balance`` is the independent, ledger-free formula of DE §6 R1 that the reconciliation
tests compare against. Both are set-based (conditional sums, no windows) and run on DuckDB and
Postgres alike.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from typing import Any

import ibis
import ibis.expr.types as ir

from ibis_models.framework.context import BuildContext
from ibis_models.opendental.expressions import add_months, days_between, unattached_or_in
from ibis_models.opendental.params import DEFAULT_PARAMS

__all__ = [
    "COMPLETE",
    "LEDGER_CLAIMPROC_STATUSES",
    "PAID_CLAIMPROC_STATUSES",
    "OLDEST",
    "param",
    "left_join_on",
    "dated_on_or_before",
    "is_pending_estimate",
    "age_ledger",
    "family_members",
    "snapshot_dates",
    "staging_balance",
]

COMPLETE = 2  # procedurelog.ProcStatus Complete
LEDGER_CLAIMPROC_STATUSES = (0, 1, 4, 5, 7)  # NotReceived, Received, Supplemental, CapClaim, CapComplete
PAID_CLAIMPROC_STATUSES = (1, 4, 5, 7)  # the ones that move money (DE §2.1)
UNEARNED_TYPES_CATEGORY = 29  # DefCat PaySplitUnearnedType
PAY_PLAN_VERSIONS_WITHOUT_PLAN_SPLITS = (1, 3)
# OpenDental's zero date: a NULL transaction date counts as older than any as-of date (DE §1.1).
OLDEST = dt.date(1, 1, 1)

_MONEY = "decimal(18,2)"


def param(ctx: BuildContext, name: str) -> Any:
    """Build parameter ``name``, falling back to its documented default (DE §1.4)."""
    return getattr(ctx, name, DEFAULT_PARAMS[name])


def left_join_on(left: ir.Table, right: ir.Table, keys: Sequence[str]) -> ir.Table:
    """``left`` left-joined to ``right`` on equal ``keys``, keeping only the left copies of the keys.

    Ibis keeps both copies of same-named keys on a left join (``<key>_right``), which collide when
    joins are chained.
    """
    renamed = right.rename({f"_rk_{k}": k for k in keys})
    j = left.left_join(renamed, [left[k] == renamed[f"_rk_{k}"] for k in keys])
    return j.drop(*(f"_rk_{k}" for k in keys))


def dated_on_or_before(date: ir.DateValue, day: ir.DateValue | dt.date) -> ir.BooleanValue:
    """``date <= day`` with a NULL ``date`` counting as OpenDental's oldest date (DE §1.1)."""
    return date.fill_null(ibis.literal(OLDEST)) <= day


def is_pending_estimate(
    status: ir.IntegerValue,
    procedure_date: ir.DateValue,
    transaction_date: ir.DateValue,
    day: ir.DateValue | dt.date,
) -> ir.BooleanValue:
    """DE §2.4: a claimproc still expected from insurance on ``day`` (historic rule).

    ProcDate (NULL = oldest) on or before ``day``, and either not received (status 0) or received
    (status 1) after ``day``. Never NULL.
    """
    received_later = (status == 1) & (transaction_date > day).fill_null(False)
    return (dated_on_or_before(procedure_date, day) & ((status == 0) | received_later)).fill_null(False)


def _clamp(x: ir.NumericValue, lo: ir.NumericValue, hi: ir.NumericValue) -> ir.NumericValue:
    # min(max(x, lo), hi) with ifelse: GREATEST/LEAST differ between engines on NULLs (DE §8)
    low = ibis.ifelse(x < lo, lo, x)
    return ibis.ifelse(low > hi, hi, low).cast(_MONEY)


def age_ledger(
    ledger: ir.Table,
    evaluations: ir.Table,
    horizon_months: int,
    by: Sequence[str] = ("eval_id",),
) -> ir.Table:
    """OpenDental's aging (DE §2.3, FIFO credits) and insurance estimate (DE §2.4) per evaluation.

    Parameters
    ----------
    ledger
        ``int_ar_shared_calculations`` (patient_id, transaction_date, amount, source_type,
        claimproc_status, claimproc_procedure_date, claimproc_insurance_estimate, claimproc_writeoff).
    evaluations
        Columns ``by`` (the evaluation key), ``patient_id`` and ``eval_date``; several patients may
        share one evaluation (a family).
    horizon_months
        ``collection_horizon_months``: charges dated before ``eval_date`` minus this many calendar
        months are the ``balance_over_18_months`` part.
    by
        The evaluation key columns of ``evaluations``; the result has one row per distinct key.

    Returns
    -------
    Table
        ``by`` plus total_balance, the four buckets, credit_balance, balance_over_18_months,
        insurance_payment_estimate, insurance_writeoff_estimate, estimated_insurance_ar and
        patient_responsibility, all decimal(18,2); evaluations without ledger rows get zeros.
    """
    keys = list(by)
    lg = ledger.select(
        _patient_id=ledger.patient_id,
        _date=ledger.transaction_date,
        _amount=ledger.amount,
        _is_claimproc=ledger.source_type == "CLAIMPROC",
        _status=ledger.claimproc_status,
        _proc_date=ledger.claimproc_procedure_date,
        _estimate=ledger.claimproc_insurance_estimate,
        _writeoff=ledger.claimproc_writeoff,
    )
    ev = evaluations.select(*keys, _eval_patient_id=evaluations.patient_id, _eval_date=evaluations.eval_date)
    joined = ev.inner_join(lg, ev._eval_patient_id == lg._patient_id)

    # (2) balance part: rows dated on or before the evaluation date, conditional sums only
    bal = joined.filter(dated_on_or_before(joined._date, joined._eval_date))
    days = days_between(bal._eval_date, bal._date)
    charge = bal._amount > 0
    horizon = add_months(bal._eval_date, -int(horizon_months))

    def _sum(where: ir.BooleanValue) -> ir.Value:
        return bal._amount.sum(where=where).fill_null(0).cast(_MONEY)

    sums = bal.group_by(keys).aggregate(
        total_balance=bal._amount.sum().fill_null(0).cast(_MONEY),
        _c90=_sum(charge & (bal._date.isnull() | (days > 90))),
        _c61=_sum(charge & days.between(61, 90)),
        _c31=_sum(charge & days.between(31, 60)),
        _c0=_sum(charge & days.between(0, 30)),
        _ch=_sum(charge & (bal._date.isnull() | (bal._date < horizon))),
        _tc=(-bal._amount).sum(where=bal._amount < 0).fill_null(0).cast(_MONEY),
    )
    k1 = sums._c90
    k2 = k1 + sums._c61
    k3 = k2 + sums._c31
    k4 = k3 + sums._c0
    tc = sums._tc
    zero = ibis.literal(0).cast(_MONEY)
    aged = sums.select(
        *keys,
        total_balance=sums.total_balance,
        balance_0_30_days=_clamp(k4 - tc, zero, sums._c0),
        balance_31_60_days=_clamp(k3 - tc, zero, sums._c31),
        balance_61_90_days=_clamp(k2 - tc, zero, sums._c61),
        balance_over_90_days=_clamp(k1 - tc, zero, sums._c90),
        credit_balance=ibis.ifelse(sums.total_balance < 0, sums.total_balance, zero).cast(_MONEY),
        balance_over_18_months=ibis.ifelse(sums._ch - tc > 0, sums._ch - tc, zero).cast(_MONEY),
    )

    # (3) estimate part: same join, no date filter, DE §2.4 predicate at the evaluation date
    pending = joined.filter(
        joined._is_claimproc & is_pending_estimate(joined._status, joined._proc_date, joined._date, joined._eval_date)
    )
    est = pending.group_by(keys).aggregate(
        insurance_payment_estimate=pending._estimate.sum().fill_null(0).cast(_MONEY),
        insurance_writeoff_estimate=pending._writeoff.sum().fill_null(0).cast(_MONEY),
    )

    # (4) back onto every evaluation, zeros when nothing matched
    ids = ev.select(*keys).distinct()
    out = left_join_on(left_join_on(ids, aged, keys), est, keys)
    money = [
        "total_balance",
        "balance_0_30_days",
        "balance_31_60_days",
        "balance_61_90_days",
        "balance_over_90_days",
        "credit_balance",
        "balance_over_18_months",
        "insurance_payment_estimate",
        "insurance_writeoff_estimate",
    ]
    out = out.select(*keys, **{m: out[m].fill_null(0).cast(_MONEY) for m in money})
    estimated = (out.insurance_payment_estimate + out.insurance_writeoff_estimate).cast(_MONEY)
    return out.mutate(
        estimated_insurance_ar=estimated,
        patient_responsibility=(out.total_balance - estimated).cast(_MONEY),
    )


def family_members(patient: ir.Table, ledger: ir.Table | None = None) -> ir.Table:
    """Rows (guarantor_id, patient_id, is_orphan_patient): every patient plus orphan ledger patients.

    A patient without a guarantor (Guarantor 0) heads its own family; a ledger patient id missing
    from the patient table is its own family, flagged orphan (DE §1.3).
    """
    known = patient.select(
        guarantor_id=patient.guarantor_id.fill_null(patient.patient_id),
        patient_id=patient.patient_id,
        is_orphan_patient=ibis.literal(False),
    )
    if ledger is None:
        return known
    ids = ledger.select(_pid=ledger.patient_id).filter(lambda t: t._pid.notnull()).distinct()
    orphans = ids.anti_join(patient, ids._pid == patient.patient_id)
    orphans = orphans.select(guarantor_id=orphans._pid, patient_id=orphans._pid, is_orphan_patient=ibis.literal(True))
    return ibis.union(known, orphans, distinct=False)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def snapshot_dates(as_of: dt.date, months: int) -> list[dt.date]:
    """DE §3.3: ``as_of`` plus the last day of each of the ``months`` calendar months before its month, ascending.

    Examples
    --------
    >>> snapshot_dates(dt.date(2025, 3, 15), 2)
    [datetime.date(2025, 1, 31), datetime.date(2025, 2, 28), datetime.date(2025, 3, 15)]
    """
    if months < 0:
        raise ValueError(f"aging_snapshot_months must be >= 0, got {months}")
    dates = {as_of}
    year, month = as_of.year, as_of.month
    for _ in range(months):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        dates.add(_month_end(year, month))
    return sorted(dates)


def staging_balance(
    ctx: BuildContext,
    stg_opendental__procedurelog: ir.Table,
    stg_opendental__adjustment: ir.Table,
    stg_opendental__paysplit: ir.Table,
    stg_opendental__definition: ir.Table,
    stg_opendental__claimproc: ir.Table,
    days: ir.Table | None = None,
) -> ir.Table:
    """DE §6 R1 straight from staging, not from the ledger: P, A, S, I, W and ``balance`` per ``day``.

    ``days`` has one column ``day`` (date); by default the single day ``ctx.as_of``. Rows with a NULL
    patient are left out; NULL dates count as oldest. Used by the reconciliation tests only.
    """
    if days is None:
        days = ibis.memtable({"day": [ctx.as_of]}, schema={"day": "date"})
    pay_plan_version = param(ctx, "pay_plan_version")
    procs = stg_opendental__procedurelog
    adj = stg_opendental__adjustment
    splits = stg_opendental__paysplit
    defs = stg_opendental__definition
    cps = stg_opendental__claimproc

    p = procs.filter(procs.procedure_status == COMPLETE, procs.patient_id.notnull())
    p = p.select(
        _date=p.procedure_date,
        _p=(p.procedure_fee * (p.unit_quantity + p.base_units)).round(2).cast(_MONEY),
        _a=ibis.literal(0).cast(_MONEY),
        _s=ibis.literal(0).cast(_MONEY),
        _i=ibis.literal(0).cast(_MONEY),
        _w=ibis.literal(0).cast(_MONEY),
    )
    a = adj.filter(adj.patient_id.notnull())
    a = a.select(
        _date=a.adjustment_date,
        _p=ibis.literal(0).cast(_MONEY),
        _a=a.adjustment_amount.cast(_MONEY),
        _s=ibis.literal(0).cast(_MONEY),
        _i=ibis.literal(0).cast(_MONEY),
        _w=ibis.literal(0).cast(_MONEY),
    )
    hidden = defs.filter(defs.category_id == UNEARNED_TYPES_CATEGORY, defs.item_value.strip().length() > 0)
    s = splits.filter(splits.patient_id.notnull())
    s = s.anti_join(hidden, s.unearned_type == hidden.definition_id)
    if pay_plan_version in PAY_PLAN_VERSIONS_WITHOUT_PLAN_SPLITS:
        s = s.filter(s.payplan_id.isnull())
    s = s.select(
        _date=s.payment_date,
        _p=ibis.literal(0).cast(_MONEY),
        _a=ibis.literal(0).cast(_MONEY),
        _s=s.split_amount.cast(_MONEY),
        _i=ibis.literal(0).cast(_MONEY),
        _w=ibis.literal(0).cast(_MONEY),
    )
    complete = procs.filter(procs.procedure_status == COMPLETE)
    c = cps.filter(cps.status.isin(PAID_CLAIMPROC_STATUSES), cps.patient_id.notnull())
    c = unattached_or_in(c, "procedure_id", complete.procedure_id)
    c = c.select(
        _date=c.claim_procedure_date,
        _p=ibis.literal(0).cast(_MONEY),
        _a=ibis.literal(0).cast(_MONEY),
        _s=ibis.literal(0).cast(_MONEY),
        _i=ibis.ifelse(c.payment_plan_id.isnull(), c.insurance_payment_amount, 0).cast(_MONEY),
        _w=c.write_off.cast(_MONEY),
    )
    rows = ibis.union(p, a, s, c, distinct=False)
    j = days.cross_join(rows)
    j = j.filter(dated_on_or_before(j._date, j.day))
    sums = j.group_by("day").aggregate(**{k: j[f"_{k.lower()}"].sum().cast(_MONEY) for k in ("P", "A", "S", "I", "W")})
    out = left_join_on(days, sums, ["day"])
    out = out.select("day", **{k: out[k].fill_null(0).cast(_MONEY) for k in ("P", "A", "S", "I", "W")})
    return out.mutate(balance=(out.P + out.A - out.S - out.I - out.W).cast(_MONEY))
