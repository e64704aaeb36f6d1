"""Declarative data tests. Each test is a query of failing rows with a severity (error or warn).

A test is a frozen value built by a lowercase constructor (``unique``, ``not_null``, ...). Tests that
read other models name them (``relationships(..., to="model.column")``, or the parameter names of a
``custom`` query, Hamilton style); they run once those models are built and are not build edges.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import ibis
import ibis.expr.types as ir

from ibis_models.framework.context import BuildContext
from ibis_models.framework.errors import ModelDefinitionError

__all__ = [
    "Severity",
    "DataTest",
    "TestResult",
    "unique",
    "unique_combination",
    "not_null",
    "accepted_values",
    "accepted_range",
    "relationships",
    "expression_is_true",
    "equal_row_count",
    "custom",
    "key_tests",
    "run_test",
]

SELF = "__self__"
Query = Callable[[ir.Table, Mapping[str, ir.Table], BuildContext], ir.Table]
Where = Callable[[ir.Table], ir.BooleanValue] | None


class Severity(StrEnum):
    ERROR = "error"
    WARN = "warn"


@dataclass(frozen=True, slots=True)
class DataTest:
    """One data test: ``query(table, refs, ctx)`` returns the failing rows.

    ``reads`` are the other models the query needs; ``refs`` maps each to its table.
    """

    name: str
    severity: Severity
    query: Query = field(repr=False, compare=False)
    reads: tuple[str, ...] = ()
    sample_columns: tuple[str, ...] = ()

    def failing_rows(self, table: ir.Table, refs: Mapping[str, ir.Table], ctx: BuildContext) -> ir.Table:
        return self.query(table, refs, ctx)


@dataclass(frozen=True, slots=True)
class TestResult:
    model: str
    test: str
    severity: Severity
    failing_rows: int
    samples: tuple[str, ...] = ()
    error: str | None = None

    @property
    def status(self) -> str:
        if self.error is not None:
            return "error"
        if self.failing_rows == 0:
            return "pass"
        return "fail" if self.severity is Severity.ERROR else "warn"

    @property
    def is_blocking(self) -> bool:
        return self.severity is Severity.ERROR and (self.error is not None or self.failing_rows > 0)


def _severity(value: str) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        raise ModelDefinitionError(f"unknown test severity '{value}' (allowed: error, warn)") from None


def _filtered(table: ir.Table, where: Where) -> ir.Table:
    return table if where is None else table.filter(where(table))


def _suffix(where: Where, label: str | None) -> str:
    if label:
        return f" [{label}]"
    return " [where]" if where is not None else ""


def unique(column: str, *, where: Where = None, severity: str = "error", label: str | None = None) -> DataTest:
    """Non-NULL values of ``column`` occur once."""

    def query(t: ir.Table, refs: Mapping[str, ir.Table], ctx: BuildContext) -> ir.Table:
        rows = _filtered(t, where)
        rows = rows.filter(rows[column].notnull())
        counts = rows.group_by(column).aggregate(occurrences=rows.count())
        return counts.filter(counts.occurrences > 1)

    return DataTest(f"unique({column}){_suffix(where, label)}", _severity(severity), query, (), (column,))


def unique_combination(
    columns: Sequence[str], *, where: Where = None, severity: str = "error", label: str | None = None
) -> DataTest:
    """Each combination of ``columns`` occurs once; NULLs compare equal (a composite grain)."""
    cols = tuple(columns)

    def query(t: ir.Table, refs: Mapping[str, ir.Table], ctx: BuildContext) -> ir.Table:
        rows = _filtered(t, where)
        counts = rows.group_by(list(cols)).aggregate(occurrences=rows.count())
        return counts.filter(counts.occurrences > 1)

    return DataTest(f"unique_combination({', '.join(cols)}){_suffix(where, label)}", _severity(severity), query, (), cols)


def not_null(*columns: str, where: Where = None, severity: str = "error", label: str | None = None) -> DataTest:
    """None of ``columns`` is NULL."""
    if not columns:
        raise ModelDefinitionError("not_null() needs at least one column")

    def query(t: ir.Table, refs: Mapping[str, ir.Table], ctx: BuildContext) -> ir.Table:
        rows = _filtered(t, where)
        return rows.filter(ibis.or_(*(rows[c].isnull() for c in columns)))

    return DataTest(f"not_null({', '.join(columns)}){_suffix(where, label)}", _severity(severity), query)


def accepted_values(
    column: str, values: Iterable[Any], *, where: Where = None, severity: str = "error", label: str | None = None
) -> DataTest:
    """Non-NULL values of ``column`` are among ``values``."""
    allowed = tuple(values)
    if not allowed:
        raise ModelDefinitionError(f"accepted_values({column}) needs at least one value")

    def query(t: ir.Table, refs: Mapping[str, ir.Table], ctx: BuildContext) -> ir.Table:
        rows = _filtered(t, where)
        return rows.filter(rows[column].notnull() & ~rows[column].isin(allowed))

    return DataTest(f"accepted_values({column}){_suffix(where, label)}", _severity(severity), query, (), (column,))


def accepted_range(
    column: str,
    *,
    min: Any = None,
    max: Any = None,
    where: Where = None,
    severity: str = "error",
    label: str | None = None,
) -> DataTest:
    """Non-NULL values of ``column`` lie in ``[min, max]`` (either bound may be omitted)."""
    if min is None and max is None:
        raise ModelDefinitionError(f"accepted_range({column}) needs min, max or both")

    def query(t: ir.Table, refs: Mapping[str, ir.Table], ctx: BuildContext) -> ir.Table:
        rows = _filtered(t, where)
        value = rows[column]
        outside = []
        if min is not None:
            outside.append(value < min)
        if max is not None:
            outside.append(value > max)
        return rows.filter(value.notnull() & ibis.or_(*outside))

    bounds = f"{'' if min is None else min}..{'' if max is None else max}"
    return DataTest(f"accepted_range({column}, {bounds}){_suffix(where, label)}", _severity(severity), query, (), (column,))


def relationships(column: str, *, to: str, where: Where = None, severity: str = "error", label: str | None = None) -> DataTest:
    """Every non-NULL ``column`` value exists in ``to`` (written ``"model.column"``)."""
    try:
        parent, parent_column = to.rsplit(".", 1)
    except ValueError:
        raise ModelDefinitionError(f"relationships({column}): 'to' must be 'model.column', got '{to}'") from None

    def query(t: ir.Table, refs: Mapping[str, ir.Table], ctx: BuildContext) -> ir.Table:
        rows = _filtered(t, where)
        rows = rows.filter(rows[column].notnull())
        target = refs.get(parent, t)
        keys = target.select(**{"__parent_key": target[parent_column]}).distinct()
        return rows.anti_join(keys, rows[column] == keys["__parent_key"])

    return DataTest(f"relationships({column} -> {to}){_suffix(where, label)}", _severity(severity), query, (parent,), (column,))


def expression_is_true(
    name: str, predicate: Callable[[ir.Table], ir.BooleanValue], *, where: Where = None, severity: str = "error"
) -> DataTest:
    """Every row satisfies ``predicate``; a NULL result counts as a failure."""

    def query(t: ir.Table, refs: Mapping[str, ir.Table], ctx: BuildContext) -> ir.Table:
        rows = _filtered(t, where)
        return rows.filter(~predicate(rows).fill_null(False))

    return DataTest(name, _severity(severity), query)


def equal_row_count(
    other: str, *, where: Where = None, other_where: Where = None, severity: str = "error", label: str | None = None
) -> DataTest:
    """The model has as many rows as model ``other`` (each optionally filtered)."""

    def query(t: ir.Table, refs: Mapping[str, ir.Table], ctx: BuildContext) -> ir.Table:
        mine = _filtered(t, where).count()
        theirs = _filtered(refs[other], other_where).count()
        counts = ibis.memtable({"one": [1]}).select(model_rows=mine.as_scalar(), other_rows=theirs.as_scalar())
        return counts.filter(counts.model_rows != counts.other_rows)

    return DataTest(f"equal_row_count({other}){_suffix(where, label)}", _severity(severity), query, (other,))


def custom(name: str, query: Callable[..., ir.Table], *, severity: str = "error") -> DataTest:
    """A test written as a query of failing rows.

    The query's first parameter receives the model's table; every other parameter names a model it
    reads (Hamilton style); a parameter named ``ctx`` receives the build context.
    """
    params = list(inspect.signature(query).parameters)
    if not params:
        raise ModelDefinitionError(f"custom test '{name}': the query needs the model's table as first parameter")
    reads = tuple(p for p in params[1:] if p != "ctx")

    def run(t: ir.Table, refs: Mapping[str, ir.Table], ctx: BuildContext) -> ir.Table:
        kwargs = {p: (ctx if p == "ctx" else refs[p]) for p in params[1:]}
        return query(t, **kwargs)

    return DataTest(name, _severity(severity), run, reads)


def key_tests(key: Sequence[str]) -> tuple[DataTest, ...]:
    """The tests every model gets for its key: not null, and unique (as a combination if composite)."""
    if not key:
        return ()
    uniqueness = unique(key[0]) if len(key) == 1 else unique_combination(key)
    return (not_null(*key), uniqueness)


def run_test(
    test: DataTest,
    *,
    model: str,
    table: ir.Table,
    refs: Mapping[str, ir.Table],
    ctx: BuildContext,
    execute: Callable[[ir.Expr], Any],
    sample_size: int = 3,
) -> TestResult:
    """Run one test; ``execute`` runs an expression on the target (scalar or table)."""
    failing = test.failing_rows(table, refs, ctx)
    count = int(execute(failing.count()))
    samples: tuple[str, ...] = ()
    if count:
        cols = [c for c in test.sample_columns if c in failing.columns] or list(failing.columns[:3])
        sample = failing.select(*cols).order_by(*cols).limit(sample_size)
        frame = execute(sample)
        samples = tuple(", ".join(f"{c}={_plain(row[c])}" for c in cols) for row in frame.to_dict(orient="records"))
    return TestResult(model, test.name, test.severity, count, samples)


def _plain(value: Any) -> Any:
    """Integers that pandas widened to float (a NULL in the column) print as integers."""
    return int(value) if isinstance(value, float) and value.is_integer() else value
