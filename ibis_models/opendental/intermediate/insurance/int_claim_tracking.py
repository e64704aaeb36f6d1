"""int_claim_tracking: the claim work log, one row per claimtracking entry, sequenced per claim (B §9)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ibis_models import (
    accepted_values,
    custom,
    expression_is_true,
    model,
    not_null,
    relationships,
)
from ibis_models.framework.context import BuildContext
from ibis_models.opendental.expressions import days_between, nz
from ibis_models.opendental.intermediate.insurance._common import claim_status_code

__all__ = ["int_claim_tracking"]

_STATUS_CATEGORY = 31  # DefCat ClaimCustomTracking (B §2.10)
_ERROR_CATEGORY = 43  # DefCat ClaimErrorCode
# ClaimTrackingType, stored as the enum name with this exact casing (B §2.5, §9.5 R3).
_STATUS_HISTORY = "StatusHistory"
_CLAIM_USER = "ClaimUser"
_TRACKING_TYPES = (_STATUS_HISTORY, "ClaimUser", "ClaimProcReceived")


def _tracked_claims(stg_opendental__claimtracking: ir.Table, stg_opendental__claim: ir.Table) -> ir.Table:
    ct = stg_opendental__claimtracking
    ct = ct.select(claim_tracking_id=ct.claim_tracking_id, ct_claim_id=nz(ct.claim_id))
    claims = stg_opendental__claim.select(c_claim_id=stg_opendental__claim.claim_id)
    return ct.semi_join(claims, ct.ct_claim_id == claims.c_claim_id)


def _row_count_differs(t: ir.Table, stg_opendental__claimtracking: ir.Table, stg_opendental__claim: ir.Table) -> ir.Table:
    """One failing row when the model's row count differs from the tracking rows whose claim exists."""
    expected = _tracked_claims(stg_opendental__claimtracking, stg_opendental__claim).count()
    counts = ibis.memtable({"one": [1]}).select(model_rows=t.count().as_scalar(), expected_rows=expected.as_scalar())
    return counts.filter(counts.model_rows != counts.expected_rows)


def _sequence_broken(t: ir.Table) -> ir.Table:
    """Claims whose sequence is not 1..entries_for_claim, or without exactly one latest entry, or
    with more than one current status entry or a current status entry that is not StatusHistory."""
    per_claim = t.group_by("claim_id").aggregate(
        rows=t.count(),
        min_sequence=t.entry_sequence.min(),
        max_sequence=t.entry_sequence.max(),
        distinct_sequences=t.entry_sequence.nunique(),
        missing_sequences=t.entry_sequence.isnull().sum(),
        min_entries=t.entries_for_claim.min(),
        max_entries=t.entries_for_claim.max(),
        latest_entries=t.is_latest_entry.sum(),
        current_status_entries=t.is_current_status_entry.sum(),
        current_other_types=(t.is_current_status_entry & (t.tracking_type != _STATUS_HISTORY)).sum(),
    )
    return per_claim.filter(
        (per_claim.min_sequence != 1)
        | (per_claim.max_sequence != per_claim.rows)
        | (per_claim.distinct_sequences != per_claim.rows)
        | (per_claim.missing_sequences != 0)
        | (per_claim.min_entries != per_claim.rows)
        | (per_claim.max_entries != per_claim.rows)
        | (per_claim.latest_entries != 1)
        | (per_claim.current_status_entries > 1)
        | (per_claim.current_other_types != 0)
    )


def _several_claim_users(t: ir.Table) -> ir.Table:
    users = t.filter(t.tracking_type == _CLAIM_USER)
    per_claim = users.group_by("claim_id").aggregate(claim_user_rows=users.count())
    return per_claim.filter(per_claim.claim_user_rows > 1)


def _definition_in_wrong_category(column: str, category_id: int):
    def query(t: ir.Table, stg_opendental__definition: ir.Table) -> ir.Table:
        d = stg_opendental__definition
        found = d.filter(d.category_id == category_id).select(def_id=d.definition_id)
        rows = t.filter(t[column].notnull())
        return rows.anti_join(found, rows[column] == found.def_id).select("claim_tracking_id", column)

    return query


def _entry_after_as_of(t: ir.Table, ctx: BuildContext) -> ir.Table:
    return t.filter(t.entry_date > ctx.as_of).select("claim_tracking_id", "entry_date")


@model(
    system="B",
    grain="one row per claim tracking entry (claimtracking.ClaimTrackingNum) whose claim exists in stg claim",
    key=["claim_tracking_id"],
    columns={
        "claim_tracking_id": ("bigint", "ClaimTrackingNum"),
        "claim_id": ("bigint", "ClaimNum"),
        "patient_id": ("bigint", "claim.PatNum"),
        "user_id": ("bigint", "nz(UserNum): who made the entry, or the assigned user on ClaimUser rows"),
        "tracking_type": ("string", "StatusHistory / ClaimUser / ClaimProcReceived"),
        "entry_timestamp": ("timestamp", "DateTimeEntry (last insert or modification time)"),
        "entry_date": ("date", "Date part of entry_timestamp"),
        "tracking_note": ("string", "Note; NULL when blank"),
        "tracking_status_id": ("bigint", "nz(TrackingDefNum): custom tracking status (category 31)"),
        "tracking_status_name": ("string", "definition.ItemName of the status (category 31)"),
        "error_code_id": ("bigint", "nz(TrackingErrorDefNum): claim error code (category 43)"),
        "error_code_name": ("string", "definition.ItemName of the error code (category 43)"),
        "claim_status": ("string", "Current claim status letter, upper(trim(ClaimStatus))"),
        "claim_type": ("string", "claim.ClaimType as stored, trimmed"),
        "claim_sent_date": ("date", "claim.DateSent"),
        "entry_sequence": ("bigint", "1-based order within the claim (entry_timestamp, claim_tracking_id)"),
        "entries_for_claim": ("bigint", "Rows of this model for the claim"),
        "is_latest_entry": ("boolean", "entry_sequence = entries_for_claim"),
        "is_current_status_entry": ("boolean", "The latest StatusHistory row of the claim"),
        "previous_status_name": (
            "string",
            "tracking_status_name of the preceding StatusHistory row; NULL on other types and the first status",
        ),
        "days_since_previous_entry": ("bigint", "entry_date - entry_date of the preceding row of the claim (any type)"),
        "days_since_claim_sent": ("bigint", "entry_date - claim_sent_date"),
        "as_of_date": ("date", "ctx.as_of"),
    },
    tests=[
        custom("row_count_equals_tracking_rows_with_claim", _row_count_differs),
        not_null("claim_id"),
        relationships("claim_id", to="stg_opendental__claim.claim_id"),
        accepted_values("tracking_type", _TRACKING_TYPES),
        not_null("is_latest_entry", "is_current_status_entry", "entry_sequence", "entries_for_claim"),
        custom("entry_sequence_runs_1_to_entries_for_claim_with_one_latest", _sequence_broken),
        not_null("tracking_status_id", where=lambda t: t.tracking_type == _STATUS_HISTORY, severity="warn"),
        not_null("user_id", where=lambda t: t.tracking_type == _CLAIM_USER, severity="warn"),
        custom("at_most_one_claim_user_row_per_claim", _several_claim_users, severity="warn"),
        custom(
            "tracking_status_is_category_31",
            _definition_in_wrong_category("tracking_status_id", _STATUS_CATEGORY),
            severity="warn",
        ),
        custom(
            "error_code_is_category_43",
            _definition_in_wrong_category("error_code_id", _ERROR_CATEGORY),
            severity="warn",
        ),
        custom("entry_date_not_after_as_of", _entry_after_as_of, severity="warn"),
        expression_is_true(
            "is_latest_entry_matches_sequence",
            lambda t: t.is_latest_entry == (t.entry_sequence == t.entries_for_claim),
        ),
    ],
)
def int_claim_tracking(
    stg_opendental__claimtracking: ir.Table,
    stg_opendental__claim: ir.Table,
    stg_opendental__definition: ir.Table,
    ctx: BuildContext,
) -> ir.Table:
    """Claim work log: custom status changes, assigned user and claimproc receipts, ordered per claim.

    - Joined to the claim header (one row per claim), never to claim lines: the reference repeated
      every entry once per claim line (B §9.2, §9.7 #1).
    - Status and error-code definitions are looked up in categories 31 and 43 only; an id found in
      another category counts as not found (B §9.5 R2).
    - DateTimeEntry is MySQL's auto-updating timestamp, so it is the last edit time, not creation
      (B §2.5); ClaimUser rows are updated in place. Order within a claim is (entry_timestamp,
      claim_tracking_id), NULL times last.
    - ``is_current_status_entry`` and ``previous_status_name`` are ordered within the claim's
      StatusHistory rows and are false / NULL on the other types (B §9.5 R4).
    """
    ct = stg_opendental__claimtracking
    ct = ct.select(
        claim_tracking_id=ct.claim_tracking_id,
        ct_claim_id=nz(ct.claim_id),
        user_id=nz(ct.user_id),
        tracking_type=ct.tracking_type,
        entry_timestamp=ct.date_time_entry,
        tracking_note=ct.note.strip().nullif(""),
        tracking_status_id=nz(ct.tracking_definition_id),
        error_code_id=nz(ct.tracking_error_definition_id),
    )
    c = stg_opendental__claim
    claims = c.select(
        claim_id=c.claim_id,
        patient_id=nz(c.patient_id),
        claim_status=claim_status_code(c.claim_status),
        claim_type=c.claim_type.strip().nullif(""),
        claim_sent_date=c.sent_date,
    )
    d = stg_opendental__definition
    statuses = d.filter(d.category_id == _STATUS_CATEGORY).select(
        s_definition_id=d.definition_id, tracking_status_name=d.item_name
    )
    errors = d.filter(d.category_id == _ERROR_CATEGORY).select(e_definition_id=d.definition_id, error_code_name=d.item_name)

    j = ct.inner_join(claims, ct.ct_claim_id == claims.claim_id)
    j = j.left_join(statuses, j.tracking_status_id == statuses.s_definition_id)
    j = j.left_join(errors, j.error_code_id == errors.e_definition_id)
    j = j.mutate(entry_date=j.entry_timestamp.date())

    # NULL entry times sort last, explicitly, so the order never depends on engine defaults.
    order = [j.entry_timestamp.isnull(), j.entry_timestamp, j.claim_tracking_id]
    by_claim = ibis.window(group_by=j.claim_id, order_by=order)
    by_claim_type = ibis.window(group_by=[j.claim_id, j.tracking_type], order_by=order)
    j = j.mutate(
        entry_sequence=(ibis.row_number().over(by_claim) + 1).cast("int64"),
        entries_for_claim=j.claim_tracking_id.count().over(ibis.window(group_by=j.claim_id)).cast("int64"),
        type_sequence=ibis.row_number().over(by_claim_type),
        type_entries=j.claim_tracking_id.count().over(ibis.window(group_by=[j.claim_id, j.tracking_type])),
        previous_entry_date=j.entry_date.lag().over(by_claim),
        previous_type_status_name=j.tracking_status_name.lag().over(by_claim_type),
    )
    is_status_history = (j.tracking_type == _STATUS_HISTORY).fill_null(False)

    return j.select(
        claim_tracking_id=j.claim_tracking_id,
        claim_id=j.claim_id,
        patient_id=j.patient_id,
        user_id=j.user_id,
        tracking_type=j.tracking_type,
        entry_timestamp=j.entry_timestamp,
        entry_date=j.entry_date,
        tracking_note=j.tracking_note,
        tracking_status_id=j.tracking_status_id,
        tracking_status_name=j.tracking_status_name,
        error_code_id=j.error_code_id,
        error_code_name=j.error_code_name,
        claim_status=j.claim_status,
        claim_type=j.claim_type,
        claim_sent_date=j.claim_sent_date,
        entry_sequence=j.entry_sequence,
        entries_for_claim=j.entries_for_claim,
        is_latest_entry=j.entry_sequence == j.entries_for_claim,
        is_current_status_entry=is_status_history & (j.type_sequence + 1 == j.type_entries),
        previous_status_name=ibis.ifelse(is_status_history, j.previous_type_status_name, ibis.null("string")),
        days_since_previous_entry=days_between(j.entry_date, j.previous_entry_date),
        days_since_claim_sent=days_between(j.entry_date, j.claim_sent_date),
        as_of_date=ibis.literal(ctx.as_of, type="date"),
    )
