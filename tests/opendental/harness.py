"""Build OpenDental models on hand-made raw rows: the per-model test helper.

Only the columns a case is about are written; every other raw column gets OpenDental's own empty
value (0, '', 0001-01-01), as a real database would hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ibis
import pandas as pd
import pyarrow as pa

from ibis_models.framework.audit import run_data_tests
from ibis_models.framework.context import BuildContext
from ibis_models.framework.plan import plan_run
from ibis_models.framework.runner import RunResult, Status, execute
from ibis_models.framework.target import Target
from ibis_models.opendental.project import opendental_project
from ibis_models.opendental.schema import RawTable, raw_table

__all__ = ["Built", "build_models", "data_test_statuses", "load_raw", "raw_arrow"]

_EMPTY_DATE = dt.date(1, 1, 1)
_ARROW = {
    "int64": pa.int64(),
    "float64": pa.float64(),
    "string": pa.string(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
    "time": pa.time64("us"),
}


def _empty_value(dtype: ibis.DataType) -> Any:
    if dtype.is_integer():
        return 0
    if dtype.is_floating():
        return 0.0
    if dtype.is_date():
        return _EMPTY_DATE
    if dtype.is_timestamp():
        return dt.datetime(1, 1, 1)
    if dtype.is_time():
        return dt.time(0, 0)
    return ""


def raw_arrow(table: RawTable, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """Rows of a raw table with every column filled; unknown column names are an error."""
    names = {c.name for c in table.columns}
    for row in rows:
        unknown = set(row) - names
        if unknown:
            raise KeyError(f"raw table '{table.name}' has no column(s) {sorted(unknown)}")
    arrays = {}
    for col in table.columns:
        kind = "timestamp" if col.dtype.is_timestamp() else str(col.dtype)
        values = [row.get(col.name, _empty_value(col.dtype)) for row in rows]
        arrays[col.name] = pa.array(values, type=_ARROW[kind])
    return pa.table(arrays)


def load_raw(target: Target, raw: Mapping[str, Sequence[Mapping[str, Any]]], tables: Sequence[str]) -> None:
    """Create each of ``tables`` in the raw schema, with the given rows (empty when none given)."""
    con = target.connect()
    target.ensure_schema(con, target.raw_schema)
    for name in tables:
        con.create_table(name, raw_arrow(raw_table(name), raw.get(name, [])), database=target.raw_schema, overwrite=True)
    con.disconnect()


@dataclass(frozen=True)
class Built:
    """A model built on hand-made rows: its rows as a DataFrame (sorted by key) and the run."""

    frame: pd.DataFrame
    result: RunResult

    def row(self, **match: Any) -> dict[str, Any]:
        """The single output row whose columns equal ``match``."""
        frame = self.frame
        for col, value in match.items():
            frame = frame[frame[col] == value]
        assert len(frame) == 1, f"expected one row matching {match}, found {len(frame)}"
        return frame.iloc[0].to_dict()


def build_models(
    url: str,
    model: str,
    raw: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    as_of: dt.date,
    params: Mapping[str, Any] | None = None,
) -> Built:
    """Load ``raw`` rows, build ``model`` with its upstream models, and return its table."""
    project = opendental_project()
    target = Target.from_url(url)
    needed = [model, *project.graph.ancestors(model)]
    tables = sorted({s.table for n in needed for s in project.models[n].sources.values()} | set(raw))
    load_raw(target, raw, tables)
    con = target.connect()
    # full refresh: several builds in one test database never see a table cached from the previous rows
    plan = plan_run(project, target, con, select=[f"+{model}"], as_of=as_of, params=params, full_refresh=True)
    result = execute(plan, con, threads=1)
    failed = [m for m in result.models if m.status in (Status.FAILED, Status.SKIPPED)]
    assert not failed, "\n".join(f"{m.name}: {m.status} {m.error}" for m in failed)
    spec = project.models[model]
    frame = target.table(con, spec.schema_name, model).execute()
    frame = frame.sort_values(list(spec.key)).reset_index(drop=True)
    con.disconnect()
    return Built(frame, result)


def data_test_statuses(url: str, model: str, as_of: dt.date, params: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Every data test of a built ``model`` (warn ones too): name -> pass / warn / fail / skipped.

    A test that reads a model the build did not include is ``skipped``; any other error raises.
    """
    project = opendental_project()
    target = Target.from_url(url)
    con = target.connect()
    try:
        ctx = BuildContext(as_of=as_of, params={**project.params, **(params or {})})
        results = run_data_tests(project, target, con, [model], ctx)
    finally:
        con.disconnect()
    broken = [(r.test, r.error) for r in results if r.error and not r.error.startswith("needs model")]
    assert not broken, broken
    return {r.test: "skipped" if r.error else r.status for r in results}
