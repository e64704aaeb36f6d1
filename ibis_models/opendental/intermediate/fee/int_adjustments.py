"""``int_adjustments``: every account adjustment with its business category, procedure context and payments."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
from ibis_models.framework.errors import ModelDefinitionError
from ibis_models.opendental.expressions import days_between, ratio, zero_to_null
from ibis_models.opendental.intermediate.fee._common import ADJUSTMENT_CATEGORIES, DISCOUNT_CATEGORIES

__all__ = ["int_adjustments"]

_CATEGORY_ADJ_TYPES = 1  # DefCat AdjTypes (FAC §2.2)

_CATEGORY_SOURCES = ("override", "discount_plan", "name_rule", "default")
_FLAGS = (
    "is_procedure_adjustment",
    "is_retroactive_adjustment",
    "is_discount",
    "is_insurance_writeoff",
    "is_employee_discount",
    "is_family_discount",
    "is_provider_discount",
    "is_military_discount",
    "is_courtesy_adjustment",
    "is_no_charge",
    "is_provider_discretion",
)

# FAC §7.5 rule 4.3: first matching row wins. Whole phrases on purpose ("late" alone would match
# "template").
_NAME_RULES: tuple[tuple[tuple[tuple[str, ...], ...], str], ...] = (
    ((("refund",),), "patient_refund"),
    ((("write", "off"), ("w/o",)), "insurance_writeoff"),
    ((("senior",),), "senior_discount"),
    ((("employee",), ("staff",)), "employee_discount"),
    ((("family",),), "family_discount"),
    ((("military",), ("veteran",)), "military_discount"),
    ((("cash",),), "cash_discount"),
    ((("new patient",), ("new pt",)), "new_patient_discount"),
    ((("referral",),), "referral_credit"),
    ((("per dr",), ("dr.",), ("doctor",), ("provider",)), "provider_discount"),
    ((("realloc",), ("transfer",)), "reallocation"),
    (
        (("finance charge",), ("late charge",), ("late fee",), ("billing charge",), ("broken",), ("missed",), ("no show",)),
        "fee_charge",
    ),
    ((("correct",), ("error",)), "admin_correction"),
    ((("admin",),), "admin_adjustment"),
)


def name_rule_category(type_name: ir.StringValue) -> ir.StringValue:
    """Category the name rules give an AdjTypes item name, NULL when none matches (FAC §7.5 rule 4.3)."""
    name_lc = type_name.strip().lower()
    branches = []
    for alternatives, category in _NAME_RULES:
        # each alternative is a group of phrases that must all occur ("write" and "off")
        hit = ibis.or_(*(ibis.and_(*(name_lc.contains(p) for p in group)) for group in alternatives))
        branches.append((hit.fill_null(False), category))
    return ibis.cases(*branches, else_=ibis.null("string"))


def _overrides(ctx: BuildContext) -> dict[int, str]:
    """The ``adjustment_type_overrides`` parameter with integer keys (``--var`` JSON gives strings)."""
    raw: Mapping[Any, Any] = getattr(ctx, "adjustment_type_overrides", None) or {}
    try:
        mapping = {int(k): str(v) for k, v in raw.items()}
    except (TypeError, ValueError, AttributeError) as exc:
        raise ModelDefinitionError(
            f"int_adjustments: adjustment_type_overrides must map definition ids to categories, got {raw!r} ({exc})",
            model="int_adjustments",
        ) from None
    unknown = sorted(set(mapping.values()) - set(ADJUSTMENT_CATEGORIES))
    if unknown:
        raise ModelDefinitionError(
            f"int_adjustments: adjustment_type_overrides uses unknown categories {unknown} "
            f"(allowed: {', '.join(ADJUSTMENT_CATEGORIES)})",
            model="int_adjustments",
        )
    return mapping


def _amount_mismatch(t: ir.Table, stg_opendental__adjustment: ir.Table) -> ir.Table:
    """Sum of adjustment_amount differs from staging by more than 0.01 (FAC §7.6)."""
    mine = t.aggregate(model_sum=t.adjustment_amount.sum().cast("decimal(18,2)").fill_null(0))
    src = stg_opendental__adjustment
    theirs = src.aggregate(source_sum=src.adjustment_amount.sum().cast("decimal(18,2)").fill_null(0))
    both = mine.cross_join(theirs)
    return both.filter((both.model_sum - both.source_sum).abs() > 0.01)


def _type_not_in_category(t: ir.Table, stg_opendental__definition: ir.Table) -> ir.Table:
    """Adjustment type ids that are not category-1 definitions (FAC §7.6)."""
    defs = stg_opendental__definition.filter(stg_opendental__definition.category_id == _CATEGORY_ADJ_TYPES)
    rows = t.filter(t.adjustment_type_id.notnull())
    return rows.anti_join(defs, rows.adjustment_type_id == defs.definition_id)


def _too_many_other(t: ir.Table) -> ir.Table:
    """More than 20% of rows fall in ``other``: the name rules need tuning for this clinic (FAC §7.6)."""
    share = t.aggregate(rows=t.count(), other_rows=(t.adjustment_category == "other").sum())
    return share.filter(share.other_rows * 5 > share.rows)


def _override_disagrees(t: ir.Table) -> ir.Table:
    """Overrides whose category differs from the name rules' (when those give one) (FAC §7.6)."""
    rows = t.filter(t.adjustment_category_source == "override").mutate(_by_name=name_rule_category(t.adjustment_type_name))
    return rows.filter(rows._by_name.notnull() & (rows._by_name != rows.adjustment_category))


def _allocated_mismatch(t: ir.Table, stg_opendental__paysplit: ir.Table, stg_opendental__adjustment: ir.Table) -> ir.Table:
    """Allocated payments differ from staging splits on existing adjustments (FAC §7.6)."""
    splits = stg_opendental__paysplit.filter(stg_opendental__paysplit.adjustment_id.notnull())
    adj = stg_opendental__adjustment.select(_adj_id=stg_opendental__adjustment.adjustment_id)
    splits = splits.semi_join(adj, splits.adjustment_id == adj._adj_id)
    theirs = splits.aggregate(source_sum=splits.split_amount.sum().cast("decimal(18,2)").fill_null(0))
    mine = t.aggregate(model_sum=t.allocated_payment_amount.sum().cast("decimal(18,2)").fill_null(0))
    both = mine.cross_join(theirs)
    return both.filter(both.model_sum != both.source_sum)


@model(
    system="A",
    grain="one row per adjustment (adjustment.AdjNum)",
    key=["adjustment_id"],
    columns={
        "adjustment_id": ("bigint", "AdjNum"),
        "patient_id": ("bigint", "PatNum"),
        "procedure_id": ("bigint", "Procedure the adjustment is attached to; NULL when unattached"),
        "provider_id": ("bigint", "Provider credited or debited; NULL when 0"),
        "clinic_id": ("bigint", "ClinicNum; NULL when 0"),
        "statement_id": ("bigint", "Invoice statement; NULL when 0"),
        "adjustment_type_id": ("bigint", "AdjType definition id (category 1)"),
        "adjustment_type_name": (
            "string",
            "Definition item_name (e.g. 'Senior Discount'); NULL when not a category-1 definition",
        ),
        "adjustment_type_value": ("string", "Definition item_value: '+', '-', 'dp' or NULL"),
        "adjustment_category": ("string", "Business category (FAC §7.5 rule 4)"),
        "adjustment_category_source": ("string", "override / discount_plan / name_rule / default: which rule set the category"),
        "adjustment_amount": ("decimal(10,2)", "AdjAmt: positive adds to the balance (charge), negative reduces it (credit)"),
        "adjustment_direction": ("string", "positive / negative / zero"),
        "adjustment_size": ("string", "On |amount|: large >= 1000, medium >= 500, small >= 100, else minimal"),
        "adjustment_date": ("date", "AdjDate: date shown on the account"),
        "procedure_date": ("date", "Linked procedure's procedure_date, else the adjustment's own ProcDate"),
        "date_entry": ("date", "DateEntry"),
        "adjustment_note": ("string", "AdjNote"),
        "is_procedure_adjustment": ("boolean", "procedure_id is not NULL"),
        "is_retroactive_adjustment": ("boolean", "Attached and adjustment_date later than procedure_date"),
        "days_after_procedure": ("bigint", "adjustment_date - procedure_date in days, when attached and both dates exist"),
        "is_discount": ("boolean", "Category is a discount category (FAC §7.5)"),
        "is_insurance_writeoff": ("boolean", "Category insurance_writeoff"),
        "is_employee_discount": ("boolean", "Category employee_discount"),
        "is_family_discount": ("boolean", "Category family_discount"),
        "is_provider_discount": ("boolean", "Category provider_discount"),
        "is_military_discount": ("boolean", "Category military_discount, or the note mentions 'military'"),
        "is_courtesy_adjustment": ("boolean", "Type name or note mentions 'courtesy' or 'warranty'"),
        "is_no_charge": ("boolean", "Note says 'no charge', 'n/c' or the standalone token 'nc'"),
        "is_provider_discretion": ("boolean", "Category provider_discount, or the note says 'per dr' / 'dr.'"),
        "procedure_code": ("string", "From int_procedure_complete"),
        "procedure_description": ("string", "From int_procedure_complete"),
        "procedure_status": ("bigint", "From int_procedure_complete"),
        "procedure_fee": ("decimal(10,2)", "Per-unit fee of the linked procedure"),
        "procedure_fee_total": ("decimal(10,2)", "Unit-adjusted charge of the linked procedure"),
        "adjustment_pct_of_fee": (
            "float64",
            "100 x adjustment_amount / procedure_fee_total, 2 places; NULL when unattached or the total is 0",
        ),
        "adjustment_impact": ("string", "major / moderate / minor / not_applicable (FAC §7.5 rule 10)"),
        "allocated_split_count": ("bigint", "Payment splits whose adjustment_id is this adjustment"),
        "allocated_payment_amount": ("decimal(18,2)", "Sum of those splits' split_amount"),
        "_created_at": ("timestamp", "DateEntry at midnight"),
        "_updated_at": ("timestamp", "SecDateTEdit"),
        "_created_by": ("bigint", "SecUserNumEntry; NULL when 0"),
        "as_of_date": ("date", "ctx.as_of"),
    },
    tests=[
        equal_row_count("stg_opendental__adjustment"),
        custom("amount_sum_matches_staging", _amount_mismatch),
        not_null("patient_id", "adjustment_type_id", "adjustment_category", *_FLAGS),
        relationships("patient_id", to="int_patient_profile.patient_id"),
        # warn, not the spec's error: OpenDental hard-deletes procedures and keeps their adjustments
        # (conventions §1, §7), so an orphan procedure_id is real data, not a broken build.
        relationships("procedure_id", to="int_procedure_complete.procedure_id", severity="warn"),
        relationships("provider_id", to="int_provider_profile.provider_id", severity="warn"),
        custom("adjustment_type_is_adjtypes_definition", _type_not_in_category),
        accepted_values("adjustment_category", ADJUSTMENT_CATEGORIES),
        accepted_values("adjustment_category_source", _CATEGORY_SOURCES),
        custom("other_share_at_most_20pct", _too_many_other, severity="warn"),
        custom("override_agrees_with_name_rules", _override_disagrees, severity="warn"),
        expression_is_true(
            "sign_matches_type_value",
            lambda t: ibis.cases(
                (t.adjustment_type_value == "+", t.adjustment_amount >= 0),
                (t.adjustment_type_value == "-", t.adjustment_amount <= 0),
                else_=True,
            ),
            severity="warn",
        ),
        accepted_values("adjustment_direction", ("positive", "negative", "zero")),
        accepted_values("adjustment_size", ("large", "medium", "small", "minimal")),
        accepted_values("adjustment_impact", ("major", "moderate", "minor", "not_applicable")),
        custom("allocated_payments_match_staging", _allocated_mismatch),
    ],
)
def int_adjustments(
    stg_opendental__adjustment: ir.Table,
    stg_opendental__definition: ir.Table,
    stg_opendental__paysplit: ir.Table,
    int_procedure_complete: ir.Table,
    ctx: BuildContext,
) -> ir.Table:
    """Every adjustment with a business category, size, procedure context and the payments applied to it.

    Sign (OpenDental's account logic): a positive AdjAmt adds to the balance, a negative one
    reduces it; the reference's staging documentation states it backwards (FAC §7.7 item 5).

    - Type: the AdjType definition only in category 1; an id found elsewhere counts as not found
      (FAC §7.5 rule 3).
    - Category, first match wins: ``adjustment_type_overrides`` (definition ids, only for ids that
      are category-1 definitions); ItemValue "dp" -> discount_plan; name rules on the lower-cased
      item name; else other. The parameter's default is empty (definition ids belong to one
      database); the reference clinic's ids are only an example value (FAC §7.5 rule 4, §2.4).
    - Note flags use whole tokens ("nc", "dr.") so words like "sync" do not match (FAC §7.5 rule 9).
    - Impact compares |amount| with the unit-adjusted procedure charge: > 50% major, > 10% moderate;
      unattached or a charge <= 0 is not_applicable (FAC §7.5 rule 10).
    - Payment splits are aggregated per adjustment before the join, so nothing fans out (FAC §7.2).
    - The procedure_id relationship test is a warning, not the spec's error (FAC §7.6): OpenDental
      deletes procedure rows outright and leaves their adjustments pointing at them, so a real
      database has such orphans and they must not stop the build.
    """
    adj = stg_opendental__adjustment
    defs = stg_opendental__definition.filter(stg_opendental__definition.category_id == _CATEGORY_ADJ_TYPES)
    types = defs.select(
        type_definition_id=defs.definition_id,
        adjustment_type_name=defs.item_name,
        adjustment_type_value=defs.item_value,
    )
    splits = stg_opendental__paysplit.filter(stg_opendental__paysplit.adjustment_id.notnull())
    allocated = splits.group_by(split_adjustment_id=splits.adjustment_id).aggregate(
        allocated_split_count=splits.count(),
        allocated_payment_amount=splits.split_amount.sum().cast("decimal(18,2)"),
    )
    proc = int_procedure_complete.select(
        proc_procedure_id=int_procedure_complete.procedure_id,
        proc_procedure_date=int_procedure_complete.procedure_date,
        procedure_code=int_procedure_complete.procedure_code,
        procedure_description=int_procedure_complete.procedure_description,
        procedure_status=int_procedure_complete.procedure_status,
        procedure_fee=int_procedure_complete.procedure_fee,
        procedure_fee_total=int_procedure_complete.procedure_fee_total,
    )

    base = adj.mutate(attached_procedure_id=zero_to_null(adj.procedure_id))
    j = base.left_join(types, base.adjustment_type_id == types.type_definition_id)
    j = j.left_join(proc, j.attached_procedure_id == proc.proc_procedure_id)
    j = j.left_join(allocated, j.adjustment_id == allocated.split_adjustment_id)

    type_found = j.type_definition_id.notnull()
    overrides = _overrides(ctx)
    override = j.adjustment_type_id.cases(*overrides.items(), else_=ibis.null("string")) if overrides else ibis.null("string")
    override = ibis.ifelse(type_found, override, ibis.null("string"))
    is_dp = (j.adjustment_type_value.strip().lower() == "dp").fill_null(False)
    by_name = name_rule_category(j.adjustment_type_name)
    category = ibis.cases(
        (override.notnull(), override),
        (is_dp, "discount_plan"),
        (by_name.notnull(), by_name),
        else_="other",
    )
    source = ibis.cases(
        (override.notnull(), "override"),
        (is_dp, "discount_plan"),
        (by_name.notnull(), "name_rule"),
        else_="default",
    )

    amount = j.adjustment_amount
    magnitude = amount.abs()
    is_attached = j.attached_procedure_id.notnull()
    joined = j.proc_procedure_id.notnull()
    procedure_date = ibis.ifelse(joined, j.proc_procedure_date, j.procedure_date)
    both_dates = j.adjustment_date.notnull() & procedure_date.notnull()
    note = j.adjustment_note.lower().fill_null("")
    type_lc = j.adjustment_type_name.lower().fill_null("")
    fee_total = j.procedure_fee_total
    has_fee = is_attached & (fee_total > 0).fill_null(False)

    return j.select(
        adjustment_id=j.adjustment_id,
        patient_id=j.patient_id,
        procedure_id=j.attached_procedure_id,
        provider_id=zero_to_null(j.provider_id),
        clinic_id=zero_to_null(j.clinic_id),
        statement_id=zero_to_null(j.statement_id),
        adjustment_type_id=j.adjustment_type_id,
        adjustment_type_name=j.adjustment_type_name,
        adjustment_type_value=j.adjustment_type_value,
        adjustment_category=category,
        adjustment_category_source=source,
        adjustment_amount=amount,
        adjustment_direction=ibis.cases((amount > 0, "positive"), (amount < 0, "negative"), else_="zero"),
        adjustment_size=ibis.cases(
            (magnitude >= 1000, "large"), (magnitude >= 500, "medium"), (magnitude >= 100, "small"), else_="minimal"
        ),
        adjustment_date=j.adjustment_date,
        procedure_date=procedure_date,
        date_entry=j.date_entry,
        adjustment_note=j.adjustment_note,
        is_procedure_adjustment=is_attached,
        is_retroactive_adjustment=is_attached & (j.adjustment_date > procedure_date).fill_null(False),
        days_after_procedure=ibis.ifelse(
            is_attached & both_dates, days_between(j.adjustment_date, procedure_date), ibis.null("int64")
        ),
        is_discount=category.isin(DISCOUNT_CATEGORIES),
        is_insurance_writeoff=category == "insurance_writeoff",
        is_employee_discount=category == "employee_discount",
        is_family_discount=category == "family_discount",
        is_provider_discount=category == "provider_discount",
        is_military_discount=(category == "military_discount") | note.contains("military"),
        is_courtesy_adjustment=ibis.or_(*(s.contains(w) for s in (type_lc, note) for w in ("courtesy", "warranty"))),
        is_no_charge=note.contains("no charge") | note.contains("n/c") | note.re_search("(^|[^a-z0-9])nc([^a-z0-9]|$)"),
        is_provider_discretion=(category == "provider_discount") | note.contains("per dr") | note.re_search(r"(^|[^a-z])dr\."),
        procedure_code=j.procedure_code,
        procedure_description=j.procedure_description,
        procedure_status=j.procedure_status,
        procedure_fee=j.procedure_fee,
        procedure_fee_total=fee_total,
        adjustment_pct_of_fee=ibis.ifelse(
            is_attached & (fee_total != 0).fill_null(False),
            ratio(amount, fee_total, 2, scale=100),
            ibis.null("float64"),
        ),
        adjustment_impact=ibis.cases(
            (~has_fee, "not_applicable"),
            # |amount| / total > 0.5 and > 0.1, multiplied out to stay exact decimals
            (magnitude * 2 > fee_total, "major"),
            (magnitude * 10 > fee_total, "moderate"),
            else_="minor",
        ),
        allocated_split_count=j.allocated_split_count.fill_null(0),
        allocated_payment_amount=j.allocated_payment_amount.fill_null(0).cast("decimal(18,2)"),
        _created_at=j.date_entry.cast("timestamp"),
        _updated_at=j._updated_at,
        _created_by=zero_to_null(j._created_by),
        as_of_date=ibis.literal(ctx.as_of, type="date"),
    )
