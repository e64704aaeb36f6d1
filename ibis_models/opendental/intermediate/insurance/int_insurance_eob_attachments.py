"""int_insurance_eob_attachments: every scanned or imported EOB file with the insurance check it documents (B §5)."""

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
from ibis_models.opendental.expressions import days_between, nz

__all__ = ["int_insurance_eob_attachments"]

_PAYMENT_TYPE_CATEGORY = 32  # DefCat InsurancePaymentType (B §2.10)
_TARGETS = ("claim_payment", "preauth_claim", "unlinked")
_FILE_TYPES = ("pdf", "image", "other")
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".gif")


def _file_type(file_name: ir.StringValue) -> ir.StringValue:
    # endswith compiles to suffix() on DuckDB and right() on Postgres; no regex (B §5.8).
    name = file_name.strip().lower()
    is_image = ibis.or_(*(name.endswith(suffix) for suffix in _IMAGE_SUFFIXES))
    return ibis.cases(
        ((name.isnull() | (name == "")), ibis.null("string")),
        (name.endswith(".pdf"), "pdf"),
        (is_image, "image"),
        else_="other",
    )


def _target_inconsistent(t: ir.Table) -> ir.Table:
    expected = ibis.cases(
        (t.claim_payment_id.notnull(), "claim_payment"),
        (t.claim_preauth_id.notnull(), "preauth_claim"),
        else_="unlinked",
    )
    return t.filter((t.attachment_target != expected).fill_null(True)).select(
        "eob_attach_id", "claim_payment_id", "claim_preauth_id", "attachment_target"
    )


def _sequence_broken(t: ir.Table) -> ir.Table:
    """Checks whose attachment_sequence is not exactly 1..attachments_on_payment, and stray windows."""
    linked = t.filter(t.claim_payment_id.notnull())
    per_check = linked.group_by("claim_payment_id").aggregate(
        rows=linked.count(),
        min_sequence=linked.attachment_sequence.min(),
        max_sequence=linked.attachment_sequence.max(),
        distinct_sequences=linked.attachment_sequence.nunique(),
        missing_sequences=linked.attachment_sequence.isnull().sum(),
        min_count=linked.attachments_on_payment.min(),
        max_count=linked.attachments_on_payment.max(),
    )
    broken = per_check.filter(
        (per_check.min_sequence != 1)
        | (per_check.max_sequence != per_check.rows)
        | (per_check.distinct_sequences != per_check.rows)
        | (per_check.missing_sequences != 0)
        | (per_check.min_count != per_check.rows)
        | (per_check.max_count != per_check.rows)
    ).select(claim_payment_id="claim_payment_id", eob_attach_id=ibis.null("int64"))
    stray = t.filter(t.claim_payment_id.isnull() & (t.attachment_sequence.notnull() | t.attachments_on_payment.notnull())).select(
        "claim_payment_id", "eob_attach_id"
    )
    return broken.union(stray, distinct=False)


def _payment_type_not_category_32(t: ir.Table, stg_opendental__definition: ir.Table) -> ir.Table:
    d = stg_opendental__definition
    types = d.filter(d.category_id == _PAYMENT_TYPE_CATEGORY).select(pt_id=d.definition_id)
    rows = t.filter(t.payment_type_id.notnull())
    return rows.anti_join(types, rows.payment_type_id == types.pt_id).select("eob_attach_id", "payment_type_id")


@model(
    system="B",
    grain="one row per EOB attachment (eobattach.EobAttachNum), no date filter",
    key=["eob_attach_id"],
    columns={
        "eob_attach_id": ("bigint", "EobAttachNum"),
        "claim_payment_id": ("bigint", "nz(ClaimPaymentNum): the insurance check"),
        "claim_preauth_id": (
            "bigint",
            "nz(ClaimNumPreAuth): the pre-authorization claim the EOB belongs to; NULL on versions without the column",
        ),
        "attachment_target": ("string", "claim_payment / preauth_claim / unlinked"),
        "file_name": ("string", "FileName"),
        "file_type": ("string", "pdf / image / other from the file extension; NULL when no name"),
        "has_embedded_file": ("boolean", "File bytes stored in the database (RawBase64 not empty)"),
        "created_at": ("timestamp", "DateTCreated"),
        "created_date": ("date", "Date part of created_at"),
        "check_date": ("date", "claimpayment.CheckDate: the date the check was entered"),
        "date_issued": ("date", "claimpayment.DateIssued: the date printed on the check"),
        "check_amount": ("decimal(10,2)", "claimpayment.CheckAmt"),
        "check_number": ("string", "claimpayment.CheckNum"),
        "payment_type_id": ("bigint", "nz(claimpayment.PayType)"),
        "payment_type_name": ("string", "definition.ItemName of the payment type (category 32)"),
        "is_partial": ("boolean", "claimpayment.IsPartial; false when no check"),
        "payer_name": ("string", "claimpayment.CarrierName (carrier name saved on the check)"),
        "days_check_to_attachment": ("bigint", "created_date - check_date in days"),
        "attachment_sequence": (
            "bigint",
            "1-based order among the check's attachments (created_at, eob_attach_id); NULL without a check",
        ),
        "attachments_on_payment": ("bigint", "Attachments with the same claim_payment_id; NULL without a check"),
        "as_of_date": ("date", "ctx.as_of"),
    },
    tests=[
        equal_row_count("stg_opendental__eobattach"),
        relationships("claim_payment_id", to="stg_opendental__claimpayment.claim_payment_id"),
        accepted_values("attachment_target", _TARGETS),
        not_null("attachment_target", "has_embedded_file", "is_partial"),
        custom("attachment_target_matches_ids", _target_inconsistent),
        accepted_values("file_type", _FILE_TYPES),
        custom("attachment_sequence_runs_1_to_attachments_on_payment", _sequence_broken),
        accepted_values("attachment_target", ("claim_payment", "preauth_claim"), severity="warn", label="linked"),
        expression_is_true(
            "days_check_to_attachment_not_negative",
            lambda t: t.days_check_to_attachment.isnull() | (t.days_check_to_attachment >= 0),
            severity="warn",
        ),
        custom("payment_type_is_category_32", _payment_type_not_category_32, severity="warn"),
    ],
)
def int_insurance_eob_attachments(
    stg_opendental__eobattach: ir.Table,
    stg_opendental__claimpayment: ir.Table,
    stg_opendental__definition: ir.Table,
    ctx: BuildContext,
) -> ir.Table:
    """Every EOB file (eobattach), with its insurance check decoded; no date filter (B §5.5, §5.7 #1).

    - Pre-authorization EOBs carry ClaimNumPreAuth and no check: they are ``preauth_claim`` targets.
    - RawBase64 is never copied: staging holds its md5, used only to tell whether the office stores
      the file in the database (no A-to-Z folder).
    - A payment type id found in another definition category counts as not found (README §4.6).
    - Attachment order and count are windows over rows with a check only (B §5.5).
    """
    e = stg_opendental__eobattach
    # Older OpenDental versions have no ClaimNumPreAuth; staging then reads NULL, or lacks the column.
    preauth = nz(e.claim_preauth_id) if "claim_preauth_id" in e.columns else ibis.null("int64")
    e = e.select(
        eob_attach_id=e.eob_attach_id,
        e_claim_payment_id=nz(e.claim_payment_id),
        claim_preauth_id=preauth,
        file_name=e.file_name,
        raw_base64=e.raw_base64,
        created_at=e._created_at,
    )
    c = stg_opendental__claimpayment
    checks = c.select(
        c_claim_payment_id=c.claim_payment_id,
        check_date=c.check_date,
        date_issued=c.date_issued,
        check_amount=c.check_amount,
        check_number=c.check_number,
        payment_type_id=nz(c.payment_type_id),
        c_is_partial=c.is_partial,
        payer_name=c.carrier_name,
    )
    d = stg_opendental__definition
    types = d.filter(d.category_id == _PAYMENT_TYPE_CATEGORY).select(
        pt_definition_id=d.definition_id, payment_type_name=d.item_name
    )

    j = e.left_join(checks, e.e_claim_payment_id == checks.c_claim_payment_id)
    j = j.left_join(types, j.payment_type_id == types.pt_definition_id)

    has_check = j.e_claim_payment_id.notnull()
    # NULL creation times sort last, explicitly, so the order never depends on engine defaults.
    by_check = ibis.window(
        group_by=j.e_claim_payment_id,
        order_by=[j.created_at.isnull(), j.created_at, j.eob_attach_id],
    )
    per_check = ibis.window(group_by=j.e_claim_payment_id)
    sequence = (ibis.row_number().over(by_check) + 1).cast("int64")
    count = j.eob_attach_id.count().over(per_check).cast("int64")
    created_date = j.created_at.date()

    return j.select(
        eob_attach_id=j.eob_attach_id,
        claim_payment_id=j.e_claim_payment_id,
        claim_preauth_id=j.claim_preauth_id,
        attachment_target=ibis.cases(
            (has_check, "claim_payment"), (j.claim_preauth_id.notnull(), "preauth_claim"), else_="unlinked"
        ),
        file_name=j.file_name,
        file_type=_file_type(j.file_name),
        has_embedded_file=(j.raw_base64.notnull() & (j.raw_base64.length() > 0)).fill_null(False),
        created_at=j.created_at,
        created_date=created_date,
        check_date=j.check_date,
        date_issued=j.date_issued,
        check_amount=j.check_amount,
        check_number=j.check_number,
        payment_type_id=j.payment_type_id,
        payment_type_name=j.payment_type_name,
        is_partial=j.c_is_partial.fill_null(False),
        payer_name=j.payer_name,
        days_check_to_attachment=days_between(created_date, j.check_date),
        attachment_sequence=ibis.ifelse(has_check, sequence, ibis.null("int64")),
        attachments_on_payment=ibis.ifelse(has_check, count, ibis.null("int64")),
        as_of_date=ibis.literal(ctx.as_of, type="date"),
    )
