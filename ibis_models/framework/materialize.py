"""Build one model: create under a temporary name, count, check the contract, run its error-level
tests, then swap it in with its state in one transaction. On any failure the temporary table is
dropped and the previous table and state stay as they were."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import ibis.expr.operations as ops
from ibis.backends import BaseBackend

from ibis_models.framework.context import BuildContext
from ibis_models.framework.errors import DataTestFailure, ModelBuildError
from ibis_models.framework.graph import ModelGraph
from ibis_models.framework.model import Materialization, ModelSpec
from ibis_models.framework.plan import PlannedModel
from ibis_models.framework.quality import DataTest, Severity, TestResult, key_tests, run_test
from ibis_models.framework.state import StateStore
from ibis_models.framework.target import Target, new_name

__all__ = ["Materialized", "materialize", "model_tests", "build_time_tests", "contract_violations"]


@dataclass(frozen=True, slots=True)
class Materialized:
    rows: int
    tests: tuple[TestResult, ...]


def model_tests(spec: ModelSpec) -> tuple[DataTest, ...]:
    """The key's automatic tests followed by the declared ones."""
    return key_tests(spec.key) + spec.tests


def build_time_tests(spec: ModelSpec, graph: ModelGraph) -> tuple[DataTest, ...]:
    """Error-level tests that read only the model itself and its ancestors (built before it)."""
    ancestors = graph.ancestors(spec.name) | {spec.name}
    return tuple(t for t in model_tests(spec) if t.severity is Severity.ERROR and set(t.reads) <= ancestors)


def contract_violations(spec: ModelSpec, actual_columns: list[str]) -> list[str]:
    declared = list(spec.column_names)
    problems = []
    missing = [c for c in declared if c not in actual_columns]
    extra = [c for c in actual_columns if c not in declared]
    if missing:
        problems.append(f"documented but not produced: {', '.join(missing)}")
    if extra:
        problems.append(f"produced but not documented: {', '.join(extra)}")
    if not problems and declared != actual_columns:
        problems.append("columns are not in the documented order")
    return problems


def materialize(
    planned: PlannedModel,
    *,
    target: Target,
    con: BaseBackend,
    graph: ModelGraph,
    ctx: BuildContext,
    run_id: str,
) -> Materialized:
    spec, expr, fp = planned.spec, planned.expr, planned.fingerprint
    assert expr is not None and fp is not None
    schema, kind = spec.schema_name, spec.materialization.value
    tmp = new_name(spec.name)
    started = time.perf_counter()
    if spec.materialization is Materialization.VIEW and expr.op().find(ops.InMemoryTable):
        raise ModelBuildError(spec.name, "a view cannot read an in-memory table; materialize it as a table")
    target.drop(con, schema, tmp)
    try:
        try:
            target.create(con, schema, tmp, expr, kind)
        except Exception as exc:
            raise ModelBuildError(spec.name, target.redact(_first_lines(str(exc)))) from exc
        built = target.table(con, schema, tmp)
        problems = contract_violations(spec, list(built.columns))
        if problems:
            raise ModelBuildError(spec.name, "contract: " + "; ".join(problems))
        rows = int(con.execute(built.count()))
        refs = {name: target.table(con, graph.models[name].schema_name, name) for name in graph.ancestors(spec.name)}
        results = tuple(
            run_test(t, model=spec.name, table=built, refs=refs, ctx=ctx, execute=con.execute)
            for t in build_time_tests(spec, graph)
        )
        blocking = [(r.test, r.failing_rows) for r in results if r.is_blocking]
        if blocking:
            raise DataTestFailure(spec.name, blocking)
        store = StateStore(target, con)
        statements = store.success_statements(
            model=spec.name,
            fp=fp,
            kind=kind,
            rows=rows,
            seconds=round(time.perf_counter() - started, 3),
            run_id=run_id,
            system=spec.system.value,
            reason=planned.reason,
            now=dt.datetime.now(),
            compile_key=planned.compile_key,
            output_schema=planned.schema,
        )
        # Looked up now, not at plan time: on Postgres a view goes when the table it reads is swapped.
        old_kind = target.relation_kind(con, schema, spec.name)
        target.swap_in(con, schema, spec.name, tmp, kind, old_kind, statements)
        return Materialized(rows, results)
    except BaseException:
        target.drop(con, schema, tmp, kind)
        raise


def _first_lines(text: str, count: int = 6) -> str:
    return "\n".join(text.strip().splitlines()[:count])
