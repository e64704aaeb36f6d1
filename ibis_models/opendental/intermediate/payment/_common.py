"""System C helpers: the allocation contract shared by the two allocation models (FAC §12.1)."""

from __future__ import annotations

from types import MappingProxyType

import ibis.expr.types as ir

__all__ = [
    "ALLOCATION_COLUMNS",
    "allocation_union",
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
