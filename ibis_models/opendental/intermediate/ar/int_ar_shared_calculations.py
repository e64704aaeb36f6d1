"""``int_ar_shared_calculations``: the signed AR ledger of the practice, one row per source record (DE §3.1)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ibis_models import accepted_values, custom, expression_is_true, model, not_null, relationships, unique_combination
from ibis_models.framework.context import BuildContext
from ibis_models.opendental.expressions import days_between, unattached_or_in, zero_to_null
from ibis_models.opendental.intermediate.ar._common import (
    COMPLETE,
    LEDGER_CLAIMPROC_STATUSES,
    PAID_CLAIMPROC_STATUSES,
    PAY_PLAN_VERSIONS_WITHOUT_PLAN_SPLITS,
    UNEARNED_TYPES_CATEGORY,
    is_pending_estimate,
    param,
    staging_balance,
)

__all__ = ["int_ar_shared_calculations"]

_ADJ_TYPES_CATEGORY = 1  # DefCat AdjTypes
_PAYMENT_TYPES_CATEGORY = 10  # DefCat PaymentTypes
_INSURANCE_PAYMENT_TYPES_CATEGORY = 32  # DefCat InsurancePaymentType
_MONEY_ROW = "decimal(10,2)"
_MAX_ROW_AMOUNT = 1_000_000

SOURCE_TYPES = ("PROCEDURE", "ADJUSTMENT", "PAYSPLIT", "CLAIMPROC")
TRANSACTION_TYPES = ("PROCEDURE", "PROCEDURE_ADJUSTMENT", "GENERAL_ADJUSTMENT", "PATIENT_PAYMENT", "INSURANCE_CLAIMPROC")
AGING_BUCKETS = ("FUTURE", "0-30", "31-60", "61-90", "90+")
PAYMENT_TYPES = ("CHECK", "CREDIT_CARD", "ELECTRONIC", "CASH", "REFUND", "INCOME_TRANSFER", "INSURANCE", "OTHER")
ADJUSTMENT_TYPES = ("WRITEOFF", "DISCOUNT", "CREDIT", "ADMIN_CORRECTION", "ADMIN_ADJUSTMENT", "REALLOCATION", "OTHER")

_COMPONENTS = ("production_amount", "adjustment_amount", "patient_payment_amount", "insurance_payment_amount", "writeoff_amount")
# which components each source kind may carry (DE §3.1 component identity test)
_OWN_COMPONENTS = {
    "PROCEDURE": ("production_amount",),
    "ADJUSTMENT": ("adjustment_amount",),
    "PAYSPLIT": ("patient_payment_amount",),
    "CLAIMPROC": ("insurance_payment_amount", "writeoff_amount"),
}

# Output columns in order with their types; branches fill what they do not have with typed NULLs.
_COLUMNS: dict[str, tuple[str, str]] = {
    "ledger_entry_id": ("string", "Key: 'PROC-', 'ADJ-', 'SPLIT-' or 'CLAIMPROC-' || source_id"),
    "source_type": ("string", "PROCEDURE, ADJUSTMENT, PAYSPLIT or CLAIMPROC"),
    "source_id": ("bigint", "OpenDental primary key of the source row"),
    "transaction_type": ("string", "PROCEDURE, PROCEDURE_ADJUSTMENT, GENERAL_ADJUSTMENT, PATIENT_PAYMENT or INSURANCE_CLAIMPROC"),
    "patient_id": ("bigint", "Account whose balance moves (paysplit.PatNum for payments)"),
    "guarantor_id": ("bigint", "Family head from stg patient; = patient_id when the patient row is missing"),
    "is_orphan_patient": ("boolean", "patient_id not in stg patient"),
    "procedure_id": ("bigint", "Attached procedure (itself for PROCEDURE); NULL when not attached"),
    "provider_id": ("bigint", "Provider on the source row"),
    "clinic_id": ("bigint", "Clinic on the source row"),
    "transaction_date": ("date", "ProcDate / AdjDate / DatePay / DateCP; NULL for an OpenDental zero date"),
    "production_amount": ("decimal(10,2)", "PROCEDURE: round(ProcFee x (UnitQty + BaseUnits), 2); else 0"),
    "adjustment_amount": ("decimal(10,2)", "ADJUSTMENT: signed AdjAmt; else 0"),
    "patient_payment_amount": ("decimal(10,2)", "PAYSPLIT: SplitAmt; else 0"),
    "insurance_payment_amount": ("decimal(10,2)", "CLAIMPROC with status 1/4/5/7 and no payment plan: InsPayAmt; else 0"),
    "writeoff_amount": ("decimal(10,2)", "CLAIMPROC with status 1/4/5/7: WriteOff; else 0"),
    "amount": ("decimal(10,2)", "Balance impact: production + adjustment - patient payment - insurance payment - write-off"),
    "claim_id": ("bigint", "CLAIMPROC only"),
    "claim_payment_id": ("bigint", "CLAIMPROC only (insurance check)"),
    "claimproc_status": ("bigint", "CLAIMPROC only: claimproc.Status"),
    "claimproc_procedure_date": ("date", "CLAIMPROC: claimproc ProcDate (drives DE §2.4)"),
    "claimproc_insurance_estimate": ("decimal(10,2)", "CLAIMPROC: InsPayEst; else 0"),
    "claimproc_writeoff": ("decimal(10,2)", "CLAIMPROC: WriteOff whatever the status; else 0"),
    "insurance_estimate_as_of": ("decimal(10,2)", "CLAIMPROC pending at as_of (DE §2.4): estimate + write-off; else 0"),
    "payment_id": ("bigint", "PAYSPLIT only"),
    "paysplit_payplan_id": ("bigint", "PAYSPLIT only: PayPlanNum"),
    "unearned_type": ("bigint", "PAYSPLIT only: UnearnedType definition id"),
    "is_prepayment": ("boolean", "PAYSPLIT with an unearned type"),
    "is_income_transfer": ("boolean", "PAYSPLIT whose payment is an income transfer (PayType 0)"),
    "payment_type_id": ("bigint", "PAYSPLIT: payment PayType; CLAIMPROC: claimpayment PayType"),
    "payment_type_name": ("string", "Definition item_name (category 10 for patient, 32 for insurance payments)"),
    "payment_type": ("string", "CHECK, CREDIT_CARD, ELECTRONIC, CASH, REFUND, INCOME_TRANSFER, INSURANCE or OTHER"),
    "adjustment_type_id": ("bigint", "ADJUSTMENT only: AdjType"),
    "adjustment_type_name": ("string", "Definition item_name, category 1"),
    "adjustment_category": ("string", "From int_adjustments"),
    "adjustment_type": ("string", "WRITEOFF, DISCOUNT, CREDIT, ADMIN_CORRECTION, ADMIN_ADJUSTMENT, REALLOCATION or OTHER"),
    "is_procedure_adjustment": ("boolean", "ADJUSTMENT attached to a procedure"),
    "is_retroactive_adjustment": ("boolean", "Attached ADJUSTMENT dated after the adjustment's ProcDate"),
    "is_patient_payment": ("boolean", "source_type = PAYSPLIT"),
    "is_insurance_payment": ("boolean", "CLAIMPROC with a non-zero insurance_payment_amount"),
    "days_outstanding": ("bigint", "as_of - transaction_date in days; NULL for a NULL date; negative for future rows"),
    "aging_bucket": ("string", "FUTURE, 0-30, 31-60, 61-90 or 90+ (NULL date -> 90+)"),
    "is_after_as_of": ("boolean", "transaction_date > as_of"),
    "as_of_date": ("date", "ctx.as_of"),
}


def _branch(values: dict[str, ir.Value], table: ir.Table) -> ir.Table:
    """One source kind in the ledger's column order; columns it lacks are typed NULLs (or false)."""
    cols = {}
    for name, (type_text, _) in _COLUMNS.items():
        dtype = ibis.dtype({"bigint": "int64"}.get(type_text, type_text))
        if name in values:
            cols[name] = ibis.literal(values[name]) if not isinstance(values[name], ir.Value) else values[name]
        elif dtype.is_boolean():
            cols[name] = ibis.literal(False)
        elif dtype.is_decimal():
            cols[name] = ibis.literal(0)
        else:
            cols[name] = ibis.null(dtype)
        cols[name] = cols[name].cast(dtype)
    return table.select(**cols)


def _word(text: ir.StringValue, word: str) -> ir.BooleanValue:
    return text.re_search(f"(^|[^a-z0-9]){word}([^a-z0-9]|$)")


def _payment_type(name: ir.StringValue, is_transfer: ir.BooleanValue, is_uncashed_claimproc: ir.BooleanValue) -> ir.StringValue:
    """DE §3.1 rule 3, first match wins; type names come from the definition table."""
    lc = name.lower().fill_null("")
    return ibis.cases(
        (is_transfer, "INCOME_TRANSFER"),
        (lc.contains("refund"), "REFUND"),
        (lc.contains("check") | lc.contains("cheque"), "CHECK"),
        (ibis.or_(*(lc.contains(w) for w in ("credit", "card", "visa", "mastercard", "amex", "discover"))), "CREDIT_CARD"),
        (lc.contains("electronic") | _word(lc, "eft") | _word(lc, "ach"), "ELECTRONIC"),
        (lc.contains("cash"), "CASH"),
        (is_uncashed_claimproc, "INSURANCE"),
        else_="OTHER",
    )


def _adjustment_type(category: ir.StringValue) -> ir.StringValue:
    """DE §3.1 rule 4: a reporting label from int_adjustments' category; never changes the amount."""
    c = category.fill_null("")
    return ibis.cases(
        (c == "insurance_writeoff", "WRITEOFF"),
        (c.contains("discount"), "DISCOUNT"),
        (c.contains("credit"), "CREDIT"),
        (c == "admin_correction", "ADMIN_CORRECTION"),
        (c == "admin_adjustment", "ADMIN_ADJUSTMENT"),
        (c == "reallocation", "REALLOCATION"),
        else_="OTHER",
    )


# ---- data tests -------------------------------------------------------------------------------


def _components_of_other_kinds(t: ir.Table) -> ir.BooleanValue:
    checks = []
    for kind, own in _OWN_COMPONENTS.items():
        others = [t[c] == 0 for c in _COMPONENTS if c not in own]
        checks.append((t.source_type == kind, ibis.and_(*others)))
    return ibis.cases(*checks, else_=False)


def _bucket_consistent(t: ir.Table) -> ir.BooleanValue:
    d = t.days_outstanding
    expected = ibis.cases(
        (d.isnull(), "90+"), (d < 0, "FUTURE"), (d <= 30, "0-30"), (d <= 60, "31-60"), (d <= 90, "61-90"), else_="90+"
    )
    return t.aging_bucket == expected


def _adjustments_not_unique(t: ir.Table, int_adjustments: ir.Table) -> ir.Table:
    counts = int_adjustments.group_by("adjustment_id").aggregate(n=int_adjustments.count())
    return counts.filter(counts.n > 1)


def _staging_counts(
    stg_opendental__procedurelog: ir.Table,
    stg_opendental__adjustment: ir.Table,
    stg_opendental__paysplit: ir.Table,
    stg_opendental__definition: ir.Table,
    stg_opendental__claimproc: ir.Table,
    ctx: BuildContext,
) -> dict[str, ir.IntegerScalar]:
    """Independent counts of the rows DE §2.1 includes, per source kind."""
    procs, adj, splits = stg_opendental__procedurelog, stg_opendental__adjustment, stg_opendental__paysplit
    defs, cps = stg_opendental__definition, stg_opendental__claimproc
    fee = (procs.procedure_fee * (procs.unit_quantity + procs.base_units)).round(2)
    n_proc = procs.filter(procs.procedure_status == COMPLETE, fee != 0, procs.patient_id.notnull()).count()
    n_adj = adj.filter(adj.adjustment_amount != 0, adj.patient_id.notnull()).count()
    hidden = defs.filter(defs.category_id == UNEARNED_TYPES_CATEGORY, defs.item_value.strip().length() > 0)
    s = splits.filter(splits.split_amount != 0, splits.patient_id.notnull())
    s = s.anti_join(hidden, s.unearned_type == hidden.definition_id)
    if param(ctx, "pay_plan_version") in PAY_PLAN_VERSIONS_WITHOUT_PLAN_SPLITS:
        s = s.filter(s.payplan_id.isnull())
    complete = procs.filter(procs.procedure_status == COMPLETE)
    c = cps.filter(cps.status.isin(LEDGER_CLAIMPROC_STATUSES), cps.patient_id.notnull())
    c = unattached_or_in(c, "procedure_id", complete.procedure_id)
    paid = c.status.isin(PAID_CLAIMPROC_STATUSES)
    ins = ibis.ifelse(paid & c.payment_plan_id.isnull(), c.insurance_payment_amount, 0)
    wo = ibis.ifelse(paid, c.write_off, 0)
    c = c.filter((ins + wo != 0) | (c.insurance_payment_estimate != 0) | (c.write_off != 0))
    return {"PROCEDURE": n_proc, "ADJUSTMENT": n_adj, "PAYSPLIT": s.count(), "CLAIMPROC": c.count()}


def _source_completeness(
    t: ir.Table,
    stg_opendental__procedurelog: ir.Table,
    stg_opendental__adjustment: ir.Table,
    stg_opendental__paysplit: ir.Table,
    stg_opendental__definition: ir.Table,
    stg_opendental__claimproc: ir.Table,
    ctx: BuildContext,
) -> ir.Table:
    """Per source kind, ledger rows differ from the staging rows DE §2.1 includes."""
    expected = _staging_counts(
        stg_opendental__procedurelog,
        stg_opendental__adjustment,
        stg_opendental__paysplit,
        stg_opendental__definition,
        stg_opendental__claimproc,
        ctx,
    )
    one = ibis.memtable({"_one": [1]})
    rows = [
        one.select(
            source_type=ibis.literal(kind),
            ledger_rows=t.filter(t.source_type == kind).count().as_scalar(),
            staging_rows=n.as_scalar(),
        )
        for kind, n in expected.items()
    ]
    both = ibis.union(*rows, distinct=False)
    return both.filter(both.ledger_rows != both.staging_rows)


def _component_sums_differ(
    t: ir.Table,
    stg_opendental__procedurelog: ir.Table,
    stg_opendental__adjustment: ir.Table,
    stg_opendental__paysplit: ir.Table,
    stg_opendental__definition: ir.Table,
    stg_opendental__claimproc: ir.Table,
    ctx: BuildContext,
) -> ir.Table:
    """DE §6 R1a-e: each ledger component dated <= as_of equals the staging formula's, to the cent."""
    formula = staging_balance(
        ctx,
        stg_opendental__procedurelog,
        stg_opendental__adjustment,
        stg_opendental__paysplit,
        stg_opendental__definition,
        stg_opendental__claimproc,
    )
    rows = t.filter(t.transaction_date.isnull() | (t.transaction_date <= ctx.as_of))
    mine = rows.aggregate(**{f"ledger_{c}": rows[c].sum().fill_null(0).cast("decimal(18,2)") for c in _COMPONENTS})
    both = mine.cross_join(formula)
    pairs = zip(_COMPONENTS, ("P", "A", "S", "I", "W"), strict=True)
    return both.filter(ibis.or_(*(both[f"ledger_{c}"] != both[k] for c, k in pairs)))


def _plan_attached(t: ir.Table, stg_opendental__claimproc: ir.Table) -> ir.Table:
    """Ledger rows attached to a payment plan (not staged; balances differ from OpenDental, DE §2.6)."""
    splits = t.filter(t.paysplit_payplan_id.notnull()).select("ledger_entry_id")
    cps = t.filter(t.source_type == "CLAIMPROC").select("ledger_entry_id", "source_id")
    stg = stg_opendental__claimproc.filter(stg_opendental__claimproc.payment_plan_id.notnull())
    cps = cps.semi_join(stg, cps.source_id == stg.claim_procedure_id).select("ledger_entry_id")
    return ibis.union(splits, cps, distinct=False)


def _staging_null_patients(
    t: ir.Table,
    stg_opendental__procedurelog: ir.Table,
    stg_opendental__adjustment: ir.Table,
    stg_opendental__paysplit: ir.Table,
    stg_opendental__claimproc: ir.Table,
) -> ir.Table:
    """Staging money rows without a patient: left out of the ledger and of R1 (DE §3.1)."""
    parts = [
        s.filter(s.patient_id.isnull()).select(source=ibis.literal(name), source_id=s[key])
        for name, s, key in (
            ("procedurelog", stg_opendental__procedurelog, "procedure_id"),
            ("adjustment", stg_opendental__adjustment, "adjustment_id"),
            ("paysplit", stg_opendental__paysplit, "paysplit_id"),
            ("claimproc", stg_opendental__claimproc, "claim_procedure_id"),
        )
    ]
    return ibis.union(*parts, distinct=False)


@model(
    system="D",
    grain="one row per ledger source record: completed procedure, adjustment, pay split or claimproc (DE §2.1)",
    key=["ledger_entry_id"],
    columns=_COLUMNS,
    tests=[
        unique_combination(["source_type", "source_id"]),
        not_null("patient_id", "source_type", "transaction_type", "amount", "aging_bucket"),
        accepted_values("source_type", SOURCE_TYPES),
        accepted_values("transaction_type", TRANSACTION_TYPES),
        accepted_values("aging_bucket", AGING_BUCKETS),
        accepted_values("payment_type", PAYMENT_TYPES),
        accepted_values("adjustment_type", ADJUSTMENT_TYPES),
        expression_is_true(
            "amount_equals_components",
            lambda t: (
                t.amount
                == t.production_amount
                + t.adjustment_amount
                - t.patient_payment_amount
                - t.insurance_payment_amount
                - t.writeoff_amount
            ),
        ),
        expression_is_true("components_of_other_kinds_are_zero", _components_of_other_kinds),
        expression_is_true("aging_bucket_matches_days_outstanding", _bucket_consistent),
        relationships("patient_id", to="stg_opendental__patient.patient_id", severity="warn"),
        relationships("procedure_id", to="stg_opendental__procedurelog.procedure_id", severity="warn"),
        relationships(
            "source_id",
            to="int_adjustments.adjustment_id",
            where=lambda t: t.source_type == "ADJUSTMENT",
            severity="warn",
            label="adjustments",
        ),
        custom("int_adjustments_adjustment_id_unique", _adjustments_not_unique),
        custom("source_completeness", _source_completeness),
        custom("component_sums_equal_staging_formula", _component_sums_differ),
        custom("payment_plan_rows_absent", _plan_attached, severity="warn"),
        custom("staging_rows_without_patient_absent", _staging_null_patients, severity="warn"),
        expression_is_true("row_amount_within_1m", lambda t: t.amount.abs() <= _MAX_ROW_AMOUNT),
    ],
)
def int_ar_shared_calculations(
    stg_opendental__procedurelog: ir.Table,
    stg_opendental__adjustment: ir.Table,
    stg_opendental__paysplit: ir.Table,
    stg_opendental__payment: ir.Table,
    stg_opendental__claimproc: ir.Table,
    stg_opendental__claimpayment: ir.Table,
    stg_opendental__definition: ir.Table,
    stg_opendental__patient: ir.Table,
    int_adjustments: ir.Table,
    ctx: BuildContext,
) -> ir.Table:
    """The signed AR ledger: every record OpenDental's aging reads, with its balance impact by component.

    - Rows (OpenDental ``Ledgers``, DE §2.1): completed procedures with a non-zero extended fee;
      non-zero adjustments of any procedure status; non-zero pay splits except hidden unearned
      types (category 29 with an ItemValue, hidden definitions included) and, when
      ``pay_plan_version`` is 1 or 3, plan splits; claimprocs of status 0/1/4/5/7 that are
      unattached or on a completed procedure, unless amount, estimate and write-off are all 0.
      Rows without a patient are left out. No date filter: rows after as_of are kept and flagged.
    - Payments move ``paysplit.PatNum``, not the payer. Insurance paid onto a payment plan is not
      an insurance payment (its write-off still is). Adjustments keep their own sign.
    - ``payment_type`` reads definition names (categories 10 and 32), never hard-coded ids; word
      matches for "eft"/"ach" use explicit character classes (DE §1.2).
    """
    as_of = ctx.as_of
    as_of_lit = ibis.literal(as_of, type="date")
    zero = ibis.literal(0).cast(_MONEY_ROW)
    procs = stg_opendental__procedurelog
    defs = stg_opendental__definition

    # procedures (DE §2.1 row 1)
    p = procs.filter(procs.procedure_status == COMPLETE, procs.patient_id.notnull())
    p = p.mutate(_fee=(p.procedure_fee * (p.unit_quantity + p.base_units)).round(2).cast(_MONEY_ROW))
    p = p.filter(p._fee != 0)
    proc_rows = _branch(
        {
            "ledger_entry_id": ibis.literal("PROC-") + p.procedure_id.cast("string"),
            "source_type": "PROCEDURE",
            "source_id": p.procedure_id,
            "transaction_type": "PROCEDURE",
            "patient_id": p.patient_id,
            "procedure_id": p.procedure_id,
            "provider_id": zero_to_null(p.provider_id),
            "clinic_id": zero_to_null(p.clinic_id),
            "transaction_date": p.procedure_date,
            "production_amount": p._fee,
        },
        p,
    )

    # adjustments (row 2), labelled from int_adjustments and the AdjTypes definitions
    adj_types = defs.filter(defs.category_id == _ADJ_TYPES_CATEGORY).select(
        _adj_def_id=defs.definition_id, _adj_type_name=defs.item_name
    )
    cats = int_adjustments.select(_cat_adj_id=int_adjustments.adjustment_id, _category=int_adjustments.adjustment_category)
    a = stg_opendental__adjustment
    a = a.filter(a.adjustment_amount != 0, a.patient_id.notnull())
    a = a.left_join(adj_types, a.adjustment_type_id == adj_types._adj_def_id)
    a = a.left_join(cats, a.adjustment_id == cats._cat_adj_id)
    attached = zero_to_null(a.procedure_id).notnull()
    adj_rows = _branch(
        {
            "ledger_entry_id": ibis.literal("ADJ-") + a.adjustment_id.cast("string"),
            "source_type": "ADJUSTMENT",
            "source_id": a.adjustment_id,
            "transaction_type": ibis.ifelse(attached, "PROCEDURE_ADJUSTMENT", "GENERAL_ADJUSTMENT"),
            "patient_id": a.patient_id,
            "procedure_id": zero_to_null(a.procedure_id),
            "provider_id": zero_to_null(a.provider_id),
            "clinic_id": zero_to_null(a.clinic_id),
            "transaction_date": a.adjustment_date,
            "adjustment_amount": a.adjustment_amount,
            "adjustment_type_id": a.adjustment_type_id,
            "adjustment_type_name": a._adj_type_name,
            "adjustment_category": a._category,
            "adjustment_type": _adjustment_type(a._category),
            "is_procedure_adjustment": attached,
            "is_retroactive_adjustment": attached & (a.adjustment_date > a.procedure_date).fill_null(False),
        },
        a,
    )

    # pay splits (row 3)
    hidden = defs.filter(defs.category_id == UNEARNED_TYPES_CATEGORY, defs.item_value.strip().length() > 0)
    pay_types = defs.filter(defs.category_id == _PAYMENT_TYPES_CATEGORY).select(
        _pay_def_id=defs.definition_id, _pay_type_name=defs.item_name
    )
    pay = stg_opendental__payment.select(
        _pay_payment_id=stg_opendental__payment.payment_id,
        _pay_type_id=stg_opendental__payment.payment_type_id,
        _pay_transfer=stg_opendental__payment.is_income_transfer,
    )
    s = stg_opendental__paysplit
    s = s.filter(s.split_amount != 0, s.patient_id.notnull())
    s = s.anti_join(hidden, s.unearned_type == hidden.definition_id)
    if param(ctx, "pay_plan_version") in PAY_PLAN_VERSIONS_WITHOUT_PLAN_SPLITS:
        s = s.filter(s.payplan_id.isnull())
    s = s.left_join(pay, s.payment_id == pay._pay_payment_id)
    s = s.left_join(pay_types, s._pay_type_id == pay_types._pay_def_id)
    is_transfer = s._pay_transfer.fill_null(False)
    split_rows = _branch(
        {
            "ledger_entry_id": ibis.literal("SPLIT-") + s.paysplit_id.cast("string"),
            "source_type": "PAYSPLIT",
            "source_id": s.paysplit_id,
            "transaction_type": "PATIENT_PAYMENT",
            "patient_id": s.patient_id,
            "procedure_id": zero_to_null(s.procedure_id),
            "provider_id": zero_to_null(s.provider_id),
            "clinic_id": zero_to_null(s.clinic_id),
            "transaction_date": s.payment_date,
            "patient_payment_amount": s.split_amount,
            "payment_id": zero_to_null(s.payment_id),
            "paysplit_payplan_id": zero_to_null(s.payplan_id),
            "unearned_type": zero_to_null(s.unearned_type),
            "is_prepayment": zero_to_null(s.unearned_type).notnull(),
            "is_income_transfer": is_transfer,
            "payment_type_id": s._pay_type_id,
            "payment_type_name": s._pay_type_name,
            "payment_type": _payment_type(s._pay_type_name, is_transfer, ibis.literal(False)),
            "is_patient_payment": True,
        },
        s,
    )

    # claimprocs (row 4): unattached or on a completed procedure
    ins_types = defs.filter(defs.category_id == _INSURANCE_PAYMENT_TYPES_CATEGORY).select(
        _ins_def_id=defs.definition_id, _ins_type_name=defs.item_name
    )
    checks = stg_opendental__claimpayment.select(
        _cpay_id=stg_opendental__claimpayment.claim_payment_id, _cpay_type_id=stg_opendental__claimpayment.payment_type_id
    )
    complete = procs.filter(procs.procedure_status == COMPLETE).select(_complete_proc_id=procs.procedure_id)
    c = stg_opendental__claimproc
    c = c.filter(c.status.isin(LEDGER_CLAIMPROC_STATUSES), c.patient_id.notnull())
    c = c.mutate(_proc_id=zero_to_null(c.procedure_id))
    c = c.left_join(complete, c._proc_id == complete._complete_proc_id)
    c = c.filter(c._proc_id.isnull() | c._complete_proc_id.notnull())
    paid = c.status.isin(PAID_CLAIMPROC_STATUSES)
    ins_paid = ibis.ifelse(paid & zero_to_null(c.payment_plan_id).isnull(), c.insurance_payment_amount, zero)
    wo = ibis.ifelse(paid, c.write_off, zero)
    c = c.mutate(_ins=ins_paid.fill_null(0).cast(_MONEY_ROW), _wo=wo.fill_null(0).cast(_MONEY_ROW))
    c = c.filter((c._ins + c._wo != 0) | (c.insurance_payment_estimate != 0) | (c.write_off != 0))
    c = c.left_join(checks, zero_to_null(c.claim_payment_id) == checks._cpay_id)
    c = c.left_join(ins_types, c._cpay_type_id == ins_types._ins_def_id)
    claim_payment_id = zero_to_null(c.claim_payment_id)
    pending = is_pending_estimate(c.status, c.procedure_date, c.claim_procedure_date, as_of_lit)
    estimate = c.insurance_payment_estimate.fill_null(0)
    cp_writeoff = c.write_off.fill_null(0)
    cp_rows = _branch(
        {
            "ledger_entry_id": ibis.literal("CLAIMPROC-") + c.claim_procedure_id.cast("string"),
            "source_type": "CLAIMPROC",
            "source_id": c.claim_procedure_id,
            "transaction_type": "INSURANCE_CLAIMPROC",
            "patient_id": c.patient_id,
            "procedure_id": c._proc_id,
            "provider_id": zero_to_null(c.provider_id),
            "clinic_id": zero_to_null(c.clinic_id),
            "transaction_date": c.claim_procedure_date,
            "insurance_payment_amount": c._ins,
            "writeoff_amount": c._wo,
            "claim_id": zero_to_null(c.claim_id),
            "claim_payment_id": claim_payment_id,
            "claimproc_status": c.status,
            "claimproc_procedure_date": c.procedure_date,
            "claimproc_insurance_estimate": estimate,
            "claimproc_writeoff": cp_writeoff,
            "insurance_estimate_as_of": ibis.ifelse(pending, estimate + cp_writeoff, zero),
            "payment_type_id": c._cpay_type_id,
            "payment_type_name": c._ins_type_name,
            "payment_type": _payment_type(c._ins_type_name, ibis.literal(False), claim_payment_id.isnull()),
            "is_insurance_payment": c._ins != 0,
        },
        c,
    )

    ledger = ibis.union(proc_rows, adj_rows, split_rows, cp_rows, distinct=False)

    # family, amount and as-of age on the unioned rows
    pats = stg_opendental__patient.select(
        _pat_id=stg_opendental__patient.patient_id, _guarantor=stg_opendental__patient.guarantor_id
    )
    j = ledger.left_join(pats, ledger.patient_id == pats._pat_id)
    amount = (
        j.production_amount + j.adjustment_amount - j.patient_payment_amount - j.insurance_payment_amount - j.writeoff_amount
    ).cast(_MONEY_ROW)
    days = days_between(as_of_lit, j.transaction_date)
    bucket = ibis.cases(
        (days.isnull(), "90+"),
        (days < 0, "FUTURE"),
        (days <= 30, "0-30"),
        (days <= 60, "31-60"),
        (days <= 90, "61-90"),
        else_="90+",
    )
    overrides = {
        "guarantor_id": j._guarantor.fill_null(j.patient_id),
        "is_orphan_patient": j._pat_id.isnull(),
        "amount": amount,
        "days_outstanding": days,
        "aging_bucket": bucket,
        "is_after_as_of": (j.transaction_date > as_of_lit).fill_null(False),
        "as_of_date": as_of_lit,
    }
    return j.select(*(overrides.get(name, j[name]).name(name) for name in _COLUMNS))
