"""Default build parameters (specs/README §4.1). Each model documents the ones it reads; a user
overrides them with ``--var name=value``."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

__all__ = ["DEFAULT_PARAMS"]

DEFAULT_PARAMS: MappingProxyType[str, Any] = MappingProxyType(
    {
        # FAC §1.1/§7.5, read by int_adjustments: AdjTypes definition id (DefNum, category 1) ->
        # adjustment category, applied before the ItemValue "dp" and name rules. Definition ids are
        # numbered by each OpenDental database, so the default is empty and categories come from the
        # definition table. The reference clinic's ids are an example of a value, e.g.
        # --var 'adjustment_type_overrides={"188": "insurance_writeoff", "186": "senior_discount"}'
        # (JSON keys may be strings; they are read as integers).
        "adjustment_type_overrides": MappingProxyType({}),
        # DE §1.4, read by the AR ledger (int_ar_shared_calculations): OpenDental's PayPlansVersion
        # preference. 1 and 3 leave splits attached to a payment plan out of the ledger; 2 (the
        # current OpenDental default) and 4 keep them.
        "pay_plan_version": 2,
        # DE §1.4, read by int_ar_balance, int_ar_aging_snapshot and int_ar_analysis: balances older
        # than this many calendar months count as beyond the collection horizon.
        "collection_horizon_months": 18,
        # DE §1.4, read by int_ar_aging_snapshot: month-ends before the month of as_of in the series.
        "aging_snapshot_months": 12,
    }
)
