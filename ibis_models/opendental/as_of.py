"""The default reporting date of a build: the latest ledger transaction not after the run's date.

Implements DE §1.1: without an explicit ``--as-of``, ``ctx.as_of`` is the latest transaction date of
the AR ledger's source rows (DE §2.1) that is not later than the calendar date of the run, or that
date itself when there are none. The rows are read through the staging models, so sentinel dates and
0 keys are cleaned by the same rules the ledger sees.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import ibis
import ibis.expr.types as ir

from ibis_models.framework.context import BuildContext
from ibis_models.framework.model import spec_of
from ibis_models.framework.sources import bind_source
from ibis_models.opendental.expressions import unattached_or_in
from ibis_models.opendental.staging import staging_models

__all__ = ["default_as_of"]

_LEDGER_TABLES = ("procedurelog", "adjustment", "paysplit", "claimproc", "definition")
_COMPLETE = 2  # ProcStatus Complete
_LEDGER_CLAIMPROC_STATUSES = (0, 1, 4, 5, 7)  # NotReceived, Received, Supplemental, CapClaim, CapComplete
_UNEARNED_TYPES_CATEGORY = 29  # DefCat PaySplitUnearnedType
_PAY_PLAN_VERSIONS_WITHOUT_PLAN_SPLITS = (1, 3)


def _staged(con: Any, raw_schema: str, today: datetime.date) -> dict[str, ir.Table]:
    """The staging expressions of the ledger tables present in ``raw_schema``, by raw table name."""
    present = set(con.list_tables(database=raw_schema))
    by_table: dict[str, Callable[..., ir.Table]] = {spec_of(fn).sources["raw"].table: fn for fn in staging_models()}
    ctx = BuildContext(as_of=today)
    staged = {}
    for table in _LEDGER_TABLES:
        if table not in present:
            continue
        fn = by_table[table]
        source = spec_of(fn).sources["raw"]
        raw = bind_source(source, con.table(table, database=raw_schema).schema(), raw_schema)
        staged[table] = fn(raw=raw, ctx=ctx)
    return staged


def _ledger_dates(staged: dict[str, ir.Table], pay_plan_version: int) -> list[ir.Table]:
    """One table of ``transaction_date`` per ledger row kind of DE §2.1 whose source is present."""
    dates = []
    procedures = staged.get("procedurelog")
    if procedures is not None:
        charges = procedures.filter(procedures.procedure_status == _COMPLETE, procedures.procedure_fee != 0)
        dates.append(charges.select(transaction_date=charges.procedure_date))
    adjustments = staged.get("adjustment")
    if adjustments is not None:
        rows = adjustments.filter(adjustments.adjustment_amount != 0)
        dates.append(rows.select(transaction_date=rows.adjustment_date))
    splits = staged.get("paysplit")
    if splits is not None:
        rows = splits.filter(splits.split_amount != 0)
        definitions = staged.get("definition")
        if definitions is not None:
            # Hidden unearned types: category 29 with a non-empty ItemValue (DE §2.1).
            hidden = definitions.filter(definitions.category_id == _UNEARNED_TYPES_CATEGORY, definitions.item_value.notnull())
            rows = rows.anti_join(hidden, rows.unearned_type == hidden.definition_id)
        if pay_plan_version in _PAY_PLAN_VERSIONS_WITHOUT_PLAN_SPLITS:
            rows = rows.filter(rows.payplan_id.isnull())
        dates.append(rows.select(transaction_date=rows.payment_date))
    claimprocs = staged.get("claimproc")
    if claimprocs is not None:
        rows = claimprocs.filter(claimprocs.status.isin(_LEDGER_CLAIMPROC_STATUSES))
        if procedures is not None:
            completed = procedures.filter(procedures.procedure_status == _COMPLETE)
            rows = unattached_or_in(rows, "procedure_id", completed.procedure_id)
        else:  # no procedures at all: only payments by total (ProcNum 0) qualify
            rows = rows.filter(rows.procedure_id.isnull())
        dates.append(rows.select(transaction_date=rows.claim_procedure_date))
    return dates


def default_as_of(con: Any, raw_schema: str, today: datetime.date, *, pay_plan_version: int = 2) -> datetime.date:
    """The latest ledger transaction date not after ``today`` (DE §1.1), or ``today`` if none.

    Parameters
    ----------
    con
        An Ibis connection holding the raw OpenDental tables.
    raw_schema
        The schema of the raw tables; a missing ledger table counts as having no rows.
    today
        The calendar date of the run; later (future-dated) rows are ignored.
    pay_plan_version
        OpenDental's PayPlansVersion preference (DE §1.4); versions 1 and 3 leave out splits
        attached to a payment plan.
    """
    parts = _ledger_dates(_staged(con, raw_schema, today), pay_plan_version)
    if not parts:
        return today
    ledger = ibis.union(*parts, distinct=False)
    ledger = ledger.filter(ledger.transaction_date.notnull(), ledger.transaction_date <= today)
    latest = con.execute(ledger.transaction_date.max())
    if latest is None or latest != latest:  # NULL arrives as None or NaT
        return today
    # DuckDB returns a date, pandas-backed results a Timestamp (a datetime subclass).
    return latest.date() if isinstance(latest, datetime.datetime) else latest
