"""int_claim_snapshot: each frozen claim-line estimate beside what was actually paid and written off (B §8)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ibis_models import (
    accepted_values,
    custom,
    equal_row_count,
    expression_is_true,
    model,
    not_null,
    relationships,
)
from ibis_models.framework.context import BuildContext
from ibis_models.opendental.expressions import days_between, decode, money, nb, nz

__all__ = ["int_claim_snapshot"]

# ClaimSnapshotTrigger (B §2.4).
SNAPSHOT_TRIGGERS = {0: "claim_created", 1: "service", 2: "insurance_payment"}
_RECEIVED_STATUSES = (1, 4)  # ClaimProcStatus Received, Supplemental: the actuals (B §8.5 R4)
_SNAPSHOT_CLAIM_TYPES = ("P", "S", "OTHER", "CAP")


def _actuals_by_claim_procedure(int_claim_details: ir.Table) -> ir.Table:
    """Paid and written-off totals of the received and supplemental lines per (claim, procedure)."""
    d = int_claim_details
    lines = d.filter(d.claim_procedure_status.isin(_RECEIVED_STATUSES) & d.procedure_id.notnull())
    return lines.group_by(a_claim_id=lines.claim_id, a_procedure_id=lines.procedure_id).aggregate(
        actual_payment_amount=lines.paid_amount.sum().round(2).cast("decimal(18,2)"),
        actual_write_off=lines.write_off_amount.sum().round(2).cast("decimal(18,2)"),
    )


def _payment_dates_by_claim_procedure(int_claim_payments: ir.Table) -> ir.Table:
    """First and latest check date of the finalized payment lines per (claim, procedure)."""
    p = int_claim_payments
    lines = p.filter(p.claim_payment_id.notnull() & p.check_date.notnull() & p.procedure_id.notnull())
    return lines.group_by(p_claim_id=lines.claim_id, p_procedure_id=lines.procedure_id).aggregate(
        first_payment_date=lines.check_date.min(),
        most_recent_payment_date=lines.check_date.max(),
    )


def _variance_broken(t: ir.Table) -> ir.Table:
    def follows(variance: ir.Value, actual: ir.Value, estimate: ir.Value) -> ir.BooleanValue:
        return ibis.ifelse(actual.isnull(), variance.isnull(), variance == actual - estimate).fill_null(False)

    ok = follows(t.payment_variance, t.actual_payment_amount, t.insurance_payment_estimate) & follows(
        t.write_off_variance, t.actual_write_off, t.estimated_write_off
    )
    return t.filter(~ok).select(
        "claim_snapshot_id", "actual_payment_amount", "payment_variance", "actual_write_off", "write_off_variance"
    )


def _days_to_payment_broken(t: ir.Table) -> ir.Table:
    # A snapshot without an entry time (rows older than DateTEntry) has no day count even when paid.
    expected_null = t.first_payment_date.isnull() | t.snapshot_date.isnull()
    ok = (
        (t.days_to_payment.isnull() == expected_null)
        & (t.days_to_payment.isnull() | (t.days_to_payment >= 0))
        & (t.first_payment_date.isnull() == t.most_recent_payment_date.isnull())
        & (t.first_payment_date.isnull() | (t.first_payment_date <= t.most_recent_payment_date))
    )
    return t.filter(~ok.fill_null(False)).select(
        "claim_snapshot_id", "snapshot_date", "first_payment_date", "most_recent_payment_date", "days_to_payment"
    )


def _latest_snapshot_broken(t: ir.Table) -> ir.Table:
    rows = t.filter(t.claim_procedure_id.notnull())
    per_claimproc = rows.group_by("claim_procedure_id").aggregate(latest_rows=rows.is_latest_snapshot_for_claimproc.sum())
    broken = per_claimproc.filter(per_claimproc.latest_rows != 1).select("claim_procedure_id")
    stray = t.filter(t.claim_procedure_id.isnull() & t.is_latest_snapshot_for_claimproc).select("claim_procedure_id")
    return broken.union(stray, distinct=False)


@model(
    system="B",
    grain="one row per claim snapshot (claimsnapshot.ClaimSnapshotNum), orphans kept",
    key=["claim_snapshot_id"],
    columns={
        "claim_snapshot_id": ("bigint", "ClaimSnapshotNum"),
        "claim_procedure_id": ("bigint", "nz(ClaimProcNum)"),
        "procedure_id": ("bigint", "coalesce(nz(snapshot.ProcNum), nz(claimproc.ProcNum))"),
        "claim_id": ("bigint", "nz(claimproc.ClaimNum): the claim the line is on now; NULL for unattached estimates"),
        "patient_id": ("bigint", "nz(claimproc.PatNum)"),
        "insurance_plan_id": ("bigint", "nz(claimproc.PlanNum)"),
        "carrier_id": ("bigint", "From int_claim_details; NULL when the line is not on a claim"),
        "procedure_code": ("string", "procedurecode.ProcCode of the procedure"),
        "entry_timestamp": ("timestamp", "DateTEntry: when the snapshot was taken"),
        "snapshot_date": ("date", "Date part of entry_timestamp"),
        "snapshot_trigger": ("bigint", "ClaimSnapshotTrigger: 0 claim created, 1 service, 2 insurance payment"),
        "snapshot_trigger_name": ("string", "claim_created / service / insurance_payment"),
        "snapshot_claim_type": ("string", "Snapshot ClaimType trimmed; NULL when blank (always on trigger 1)"),
        "claim_type": ("string", "Current claim type, from int_claim_details"),
        "claim_status": ("string", "Current claim status, from int_claim_details"),
        "claim_procedure_status": ("bigint", "Current claimproc.Status"),
        "fee_amount": ("decimal(10,2)", "Snapshot Fee: the procedure fee at snapshot time"),
        "insurance_payment_estimate": ("decimal(10,2)", "Snapshot InsPayEst: the insurance estimate at snapshot time"),
        "estimated_write_off": ("decimal(10,2)", "coalesce(nb(snapshot Writeoff), 0)"),
        "actual_payment_amount": (
            "decimal(18,2)",
            "Sum of paid_amount of the received and supplemental lines of the claim and procedure; NULL until received",
        ),
        "actual_write_off": ("decimal(18,2)", "Sum of write_off_amount of the same lines; NULL until received"),
        "actual_allowed_amount": ("decimal(10,2)", "nb(AllowedOverride) of the snapshot's own claimproc"),
        "claim_adjustment_reason_codes": ("string", "ClaimAdjReasonCodes of the snapshot's own claimproc"),
        "payment_variance": ("decimal(18,2)", "actual_payment_amount - insurance_payment_estimate; NULL when no actual"),
        "write_off_variance": ("decimal(18,2)", "actual_write_off - estimated_write_off; NULL when no actual"),
        "first_payment_date": ("date", "Earliest check date of the claim and procedure's finalized payments"),
        "most_recent_payment_date": ("date", "Latest check date of those payments"),
        "days_to_payment": ("bigint", "max(0, first_payment_date - snapshot_date); NULL without payment"),
        "is_payment_before_snapshot": ("boolean", "first_payment_date < snapshot_date; NULL without payment"),
        "snapshot_sequence": ("bigint", "1-based order of the claimproc's snapshots (entry_timestamp, claim_snapshot_id)"),
        "is_latest_snapshot_for_claimproc": ("boolean", "Last snapshot of its claimproc; false without a claimproc id"),
        "is_orphaned_snapshot": ("boolean", "The snapshot's claimproc row is not in staging"),
        "_created_at": ("timestamp", "= entry_timestamp"),
        "as_of_date": ("date", "ctx.as_of"),
    },
    tests=[
        equal_row_count("stg_opendental__claimsnapshot"),
        accepted_values("snapshot_trigger", SNAPSHOT_TRIGGERS),
        not_null("snapshot_trigger", "is_orphaned_snapshot", "is_latest_snapshot_for_claimproc", "estimated_write_off"),
        expression_is_true(
            "snapshot_trigger_name_matches_code",
            lambda t: t.snapshot_trigger_name == decode(t.snapshot_trigger, SNAPSHOT_TRIGGERS, else_="unknown"),
        ),
        custom("variances_are_actual_minus_estimate_or_null", _variance_broken),
        custom("days_to_payment_follows_first_payment_date", _days_to_payment_broken),
        custom("one_latest_snapshot_per_claimproc", _latest_snapshot_broken),
        expression_is_true("snapshot_is_not_orphaned", lambda t: ~t.is_orphaned_snapshot, severity="warn"),
        not_null("claim_id", where=lambda t: t.snapshot_trigger.isin((0, 2)), severity="warn"),
        # OpenDental never snapshots pre-authorizations; the type is compared case-insensitively (B C8).
        expression_is_true(
            "snapshot_claim_type_is_p_s_other_or_cap",
            lambda t: t.snapshot_claim_type.isnull() | t.snapshot_claim_type.upper().isin(_SNAPSHOT_CLAIM_TYPES),
            severity="warn",
        ),
        expression_is_true(
            "snapshot_amounts_not_negative",
            lambda t: (
                (t.fee_amount.isnull() | (t.fee_amount >= 0))
                & (t.insurance_payment_estimate.isnull() | (t.insurance_payment_estimate >= 0))
                & (t.estimated_write_off >= 0)
            ),
            severity="warn",
        ),
        relationships("claim_id", to="stg_opendental__claim.claim_id", severity="warn"),
    ],
)
def int_claim_snapshot(
    stg_opendental__claimsnapshot: ir.Table,
    stg_opendental__claimproc: ir.Table,
    stg_opendental__procedurelog: ir.Table,
    stg_opendental__procedurecode: ir.Table,
    int_claim_details: ir.Table,
    int_claim_payments: ir.Table,
    ctx: BuildContext,
) -> ir.Table:
    """OpenDental's frozen fee, insurance and write-off estimates per primary claim line, with the actuals.

    - Every snapshot is kept; one whose claimproc is gone is flagged ``is_orphaned_snapshot`` (B §8.2).
      Enrichments join on primary keys or on (claim, procedure) aggregates, so nothing fans out.
    - Actuals add the received line and any supplemental payments on the same claim and procedure;
      before the line is received they and the variances are NULL, never "0 - estimate" (B §8.5 R4).
    - A write-off of -1 is OpenDental's blank and counts as 0, as in its write-off reports.
    - ``days_to_payment`` runs to the first check (processing time), floored at 0; a check dated before
      the snapshot shows in ``is_payment_before_snapshot`` (B §8.5 R5).
    - Snapshots without an entry time (rows older than DateTEntry) have no snapshot date, so no day
      count even when paid; the day-count test allows that case.
    """
    s = stg_opendental__claimsnapshot
    snapshots = s.select(
        claim_snapshot_id=s.claim_snapshot_id,
        claim_procedure_id=nz(s.claim_procedure_id),
        s_procedure_id=nz(s.procedure_id),
        entry_timestamp=s.entry_timestamp,
        snapshot_trigger=s.snapshot_trigger,
        snapshot_claim_type=s.claim_type.strip().nullif(""),
        fee_amount=s.fee_amount,
        insurance_payment_estimate=s.insurance_payment_estimate,
        estimated_write_off=nb(s.write_off_amount).fill_null(money(0, 10)).cast("decimal(10,2)"),
    )
    cp = stg_opendental__claimproc
    claimprocs = cp.select(
        cp_claim_procedure_id=cp.claim_procedure_id,
        cp_procedure_id=nz(cp.procedure_id),
        claim_id=nz(cp.claim_id),
        patient_id=nz(cp.patient_id),
        insurance_plan_id=nz(cp.plan_id),
        claim_procedure_status=cp.status,
        actual_allowed_amount=nb(cp.allowed_override),
        claim_adjustment_reason_codes=cp.claim_adjustment_reason_codes,
    )
    d = int_claim_details
    details = d.select(
        d_claim_procedure_id=d.claim_procedure_id,
        carrier_id=d.carrier_id,
        claim_type=d.claim_type,
        claim_status=d.claim_status,
    )
    procs = stg_opendental__procedurelog.select(
        pl_procedure_id=stg_opendental__procedurelog.procedure_id,
        pl_code_id=nz(stg_opendental__procedurelog.procedure_code_id),
    )
    codes = stg_opendental__procedurecode.select(
        pc_code_id=stg_opendental__procedurecode.procedure_code_id,
        procedure_code=stg_opendental__procedurecode.procedure_code,
    )
    actuals = _actuals_by_claim_procedure(int_claim_details)
    paid = _payment_dates_by_claim_procedure(int_claim_payments)

    j = snapshots.left_join(claimprocs, snapshots.claim_procedure_id == claimprocs.cp_claim_procedure_id)
    j = j.left_join(details, j.claim_procedure_id == details.d_claim_procedure_id)
    j = j.mutate(procedure_id=ibis.coalesce(j.s_procedure_id, j.cp_procedure_id))
    j = j.left_join(procs, j.procedure_id == procs.pl_procedure_id)
    j = j.left_join(codes, j.pl_code_id == codes.pc_code_id)
    j = j.left_join(actuals, (j.claim_id == actuals.a_claim_id) & (j.procedure_id == actuals.a_procedure_id))
    j = j.left_join(paid, (j.claim_id == paid.p_claim_id) & (j.procedure_id == paid.p_procedure_id))

    snapshot_date = j.entry_timestamp.date()
    days_to_first_payment = days_between(j.first_payment_date, snapshot_date)
    has_claimproc = j.claim_procedure_id.notnull()
    # NULL entry times sort last, explicitly, so the order never depends on engine defaults.
    by_claimproc = ibis.window(
        group_by=j.claim_procedure_id,
        order_by=[j.entry_timestamp.isnull(), j.entry_timestamp, j.claim_snapshot_id],
    )
    sequence = (ibis.row_number().over(by_claimproc) + 1).cast("int64")
    snapshots_of_claimproc = j.claim_snapshot_id.count().over(ibis.window(group_by=j.claim_procedure_id))

    return j.select(
        claim_snapshot_id=j.claim_snapshot_id,
        claim_procedure_id=j.claim_procedure_id,
        procedure_id=j.procedure_id,
        claim_id=j.claim_id,
        patient_id=j.patient_id,
        insurance_plan_id=j.insurance_plan_id,
        carrier_id=j.carrier_id,
        procedure_code=j.procedure_code,
        entry_timestamp=j.entry_timestamp,
        snapshot_date=snapshot_date,
        snapshot_trigger=j.snapshot_trigger,
        snapshot_trigger_name=decode(j.snapshot_trigger, SNAPSHOT_TRIGGERS, else_="unknown"),
        snapshot_claim_type=j.snapshot_claim_type,
        claim_type=j.claim_type,
        claim_status=j.claim_status,
        claim_procedure_status=j.claim_procedure_status,
        fee_amount=j.fee_amount,
        insurance_payment_estimate=j.insurance_payment_estimate,
        estimated_write_off=j.estimated_write_off,
        actual_payment_amount=j.actual_payment_amount,
        actual_write_off=j.actual_write_off,
        actual_allowed_amount=j.actual_allowed_amount,
        claim_adjustment_reason_codes=j.claim_adjustment_reason_codes,
        payment_variance=(j.actual_payment_amount - j.insurance_payment_estimate).cast("decimal(18,2)"),
        write_off_variance=(j.actual_write_off - j.estimated_write_off).cast("decimal(18,2)"),
        first_payment_date=j.first_payment_date,
        most_recent_payment_date=j.most_recent_payment_date,
        days_to_payment=ibis.ifelse(days_to_first_payment < 0, 0, days_to_first_payment).cast("int64"),
        is_payment_before_snapshot=j.first_payment_date < snapshot_date,
        snapshot_sequence=ibis.ifelse(has_claimproc, sequence, ibis.null("int64")),
        is_latest_snapshot_for_claimproc=(has_claimproc & (sequence == snapshots_of_claimproc)).fill_null(False),
        is_orphaned_snapshot=j.cp_claim_procedure_id.isnull(),
        _created_at=j.entry_timestamp,
        as_of_date=ibis.literal(ctx.as_of, type="date"),
    )
