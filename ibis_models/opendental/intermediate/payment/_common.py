"""System C helpers: the allocation contract shared by the two allocation models (FAC §12.1) and
small expressions private to the payment models (definition lookups, money tolerances)."""

from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType

import ibis
import ibis.expr.types as ir

__all__ = [
    "ALLOCATION_COLUMNS",
    "DISCOUNT_CATEGORIES",
    "MONEY_TOLERANCE",
    "allocation_union",
    "definitions_of",
    "money",
]

#: Columns both allocation models expose with identical names and types, in this order (FAC §12.1).
ALLOCATION_COLUMNS: MappingProxyType[str, str] = MappingProxyType(
    {
        "payment_allocation_id": "string",
        "payment_source_type": "string",
        "payment_id": "int64",
        "claim_payment_id": "int64",
        "patient_id": "int64",
        "guarantor_id": "int64",
        "provider_id": "int64",
        "clinic_id": "int64",
        "procedure_id": "int64",
        "split_amount": "decimal(10,2)",
        "payment_date": "date",
        "procedure_date": "date",
        "payment_type_id": "int64",
        "payment_type_description": "string",
        "include_in_ar": "boolean",
        "ar_effect_amount": "decimal(10,2)",
        "_updated_at": "timestamp",
        "as_of_date": "date",
    }
)

#: int_adjustments categories that count as discounts (FAC §7.5); they make a split a DISCOUNT (§9.5).
DISCOUNT_CATEGORIES: tuple[str, ...] = (
    "provider_discount",
    "senior_discount",
    "employee_discount",
    "family_discount",
    "military_discount",
    "cash_discount",
    "new_patient_discount",
    "discount_plan",
)

#: Allowed difference between a total OpenDental stores and the sum of its lines (FAC §1.5).
MONEY_TOLERANCE = Decimal("0.01")


def money(value: Decimal | int | str, precision: int = 18) -> ir.DecimalScalar:
    """An exact decimal literal (``decimal(precision, 2)``), so comparisons never go through float."""
    return ibis.literal(Decimal(str(value)), type=f"decimal({precision},2)")


def definitions_of(definition: ir.Table, category_id: int, prefix: str) -> ir.Table:
    """Definitions of one category, one row per id, columns prefixed ``<prefix>_``.

    A definition id found in another category counts as not found (FAC §2.2).
    """
    rows = definition.filter(definition.category_id == category_id)
    return rows.select(
        **{
            f"{prefix}_definition_id": rows.definition_id,
            f"{prefix}_item_name": rows.item_name,
            f"{prefix}_item_value": rows.item_value,
        }
    )


def allocation_union(patient: ir.Table, insurance: ir.Table) -> ir.Table:
    """Patient and insurance allocations stacked on the shared contract columns (FAC §12.1).

    Examples
    --------
    >>> import ibis
    >>> cols = {name: ibis.dtype(kind) for name, kind in ALLOCATION_COLUMNS.items()}
    >>> pat = ibis.table(cols, name="int_patient_payment_allocated")
    >>> ins = ibis.table(cols, name="int_insurance_payment_allocated")
    >>> allocation_union(pat, ins).columns == tuple(ALLOCATION_COLUMNS)
    True
    """
    names = list(ALLOCATION_COLUMNS)
    return patient.select(*names).union(insurance.select(*names), distinct=False)
