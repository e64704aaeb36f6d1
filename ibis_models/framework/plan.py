"""Plan a run: resolve ``as_of``, validate sources, compile each selected model, decide build or cache.

Compiling needs no upstream data: an upstream is referenced as an unbound table named like its
materialized table (schema from its planned expression, or from the database when it is not
selected), so each model's SQL stays small and the plan is the same on every engine.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import ibis
import ibis.expr.types as ir
from ibis.backends import BaseBackend

from ibis_models.framework.context import BuildContext
from ibis_models.framework.errors import ModelBuildError
from ibis_models.framework.graph import ModelGraph
from ibis_models.framework.model import CTX_PARAM, ModelSpec
from ibis_models.framework.project import Project
from ibis_models.framework.sources import bind_source, validate_sources
from ibis_models.framework.state import (
    Fingerprint,
    StateStore,
    StoredState,
    code_version,
    compile_context_key,
    compile_key,
    fingerprint,
    normalized_sql,
    parse_schema_json,
    schema_json,
    source_signature,
    sql_digest,
)
from ibis_models.framework.target import Target

__all__ = ["Action", "PlannedModel", "RunPlan", "plan_run", "resolve_as_of", "build_expression", "raw_schemas"]


class Action(StrEnum):
    BUILD = "build"
    CACHE = "cache"
    FAIL = "fail"


@dataclass(frozen=True, slots=True)
class PlannedModel:
    spec: ModelSpec
    action: Action
    reason: str
    expr: ir.Table | None = None
    fingerprint: Fingerprint | None = None
    error: str | None = None
    cached_rows: int | None = None
    compile_key: str | None = None
    schema: ibis.Schema | None = None
    is_compile_key_stale: bool = False


@dataclass(frozen=True, slots=True)
class RunPlan:
    run_id: str
    target: Target
    project: Project
    ctx: BuildContext
    order: tuple[str, ...]
    models: Mapping[str, PlannedModel]
    started_at: dt.datetime
    started_clock: float

    def upstream_in_plan(self, name: str) -> tuple[str, ...]:
        return tuple(d for d in self.models[name].spec.depends_on if d in self.models)


def resolve_as_of(project: Project, target: Target, con: BaseBackend, as_of: dt.date | None) -> dt.date:
    """The user's date, else the project's documented rule, else the calendar date of the run."""
    if as_of is not None:
        return as_of
    today = dt.date.today()
    if project.as_of_rule is None:
        return today
    return project.as_of_rule(con, target.raw_schema, today)


def raw_schemas(target: Target, con: BaseBackend, tables: Sequence[str]) -> dict[str, ibis.Schema | None]:
    existing = set(target.list_tables(con, target.raw_schema))
    return {t: (target.table(con, target.raw_schema, t).schema() if t in existing else None) for t in tables}


def build_expression(
    spec: ModelSpec,
    ctx: BuildContext,
    upstream: Mapping[str, ir.Table],
    raw: Mapping[str, ibis.Schema],
    raw_schema: str,
) -> ir.Table:
    """Call the model function with its upstream tables, bound sources and ``ctx``."""
    kwargs: dict[str, Any] = {dep: upstream[dep] for dep in spec.depends_on}
    for param, source in spec.sources.items():
        kwargs[param] = bind_source(source, raw[source.table], raw_schema)
    if spec.takes_ctx:
        kwargs[CTX_PARAM] = ctx
    expr = spec.fn(**kwargs)
    if not isinstance(expr, ir.Table):
        raise ModelBuildError(spec.name, f"the model function returned {type(expr).__name__}, not an Ibis table")
    return expr


def _reason(state: StoredState | None, fp: Fingerprint, has_table: bool, full_refresh: bool) -> tuple[Action, str]:
    if full_refresh:
        return Action.BUILD, "forced"
    if state is None or not state.fingerprint:
        return Action.BUILD, "previous failure" if state and state.last_status == "failed" else "new"
    if not has_table:
        return Action.BUILD, "table missing"
    if state.fingerprint == fp.value:
        return Action.CACHE, "unchanged"
    if state.last_status == "failed":
        return Action.BUILD, "previous failure"
    if state.sql_hash != fp.sql_hash or state.config_hash != fp.config_hash:
        return Action.BUILD, "code changed"
    if state.upstream_hash != fp.upstream_hash:
        return Action.BUILD, "upstream changed"
    return Action.BUILD, "source data changed"


def plan_run(
    project: Project,
    target: Target,
    con: BaseBackend,
    *,
    select: Sequence[str] = (),
    exclude: Sequence[str] = (),
    as_of: dt.date | None = None,
    params: Mapping[str, Any] | None = None,
    full_refresh: bool = False,
) -> RunPlan:
    """Decide, per selected model, build or cached and why. Raises before anything is built when
    the selection is wrong or raw tables/columns are missing."""
    started_at, started_clock = dt.datetime.now(), time.perf_counter()
    graph = project.graph
    order = graph.select(select, exclude)
    specs = [graph.models[n] for n in order]
    tables = sorted({s.table for spec in specs for s in spec.sources.values()})
    actual = raw_schemas(target, con, tables)
    validate_sources(specs, actual, target.raw_schema, graph.descendants)

    ctx = BuildContext(as_of=resolve_as_of(project, target, con, as_of), params={**project.params, **(params or {})})
    store = StateStore(target, con)
    store.ensure()
    sources = {s.table: s for spec in specs for s in spec.sources.values()}
    planner = _Planner(
        graph=graph,
        target=target,
        con=con,
        ctx=ctx,
        actual=actual,
        states=store.load(),
        signatures={t: source_signature(con, sources[t], target.table(con, target.raw_schema, t)) for t in tables},
        existing={schema: set(target.list_tables(con, schema)) for schema in {s.schema_name for s in graph.models.values()}},
        context_key=compile_context_key(code_version(graph.models.values()), target.dialect, ctx),
        full_refresh=full_refresh,
    )
    planned: dict[str, PlannedModel] = {}
    for spec in specs:
        planned[spec.name] = planner.plan(spec, planned)
    return RunPlan(uuid.uuid4().hex[:12], target, project, ctx, order, planned, started_at, started_clock)


@dataclass
class _Planner:
    """Plans one model at a time, reusing the stored compiled-SQL hash when nothing that compiles
    into it changed (the compile key), so a cached run does not re-compile every model."""

    graph: ModelGraph
    target: Target
    con: BaseBackend
    ctx: BuildContext
    actual: Mapping[str, ibis.Schema | None]
    states: Mapping[str, StoredState]
    signatures: Mapping[str, str]
    existing: Mapping[str, set[str]]
    context_key: str
    full_refresh: bool

    def _upstream(self, spec: ModelSpec, planned: Mapping[str, PlannedModel]) -> tuple[dict, dict, dict] | PlannedModel:
        schemas, fps, keys = {}, {}, {}
        for dep in spec.depends_on:
            dep_schema = self.graph.models[dep].schema_name
            if dep in planned:
                dep_plan = planned[dep]
                if dep_plan.action is Action.FAIL:
                    return PlannedModel(spec, Action.FAIL, "upstream failed", error=f"upstream '{dep}' failed to compile")
                schemas[dep], fps[dep], keys[dep] = dep_plan.schema, dep_plan.fingerprint.value, dep_plan.compile_key
            elif dep in self.existing.get(dep_schema, set()):
                schemas[dep] = self.target.table(self.con, dep_schema, dep).schema()
                state = self.states.get(dep)
                fps[dep] = state.fingerprint if state else ""
                keys[dep] = schema_json(schemas[dep])
            else:
                return PlannedModel(
                    spec,
                    Action.FAIL,
                    "upstream missing",
                    error=f"upstream model '{dep}' has no table in schema '{dep_schema}'; select it too (+{spec.name})",
                )
        return schemas, fps, keys

    def _expression(self, spec: ModelSpec, schemas: Mapping[str, ibis.Schema]) -> ir.Table:
        upstream = {d: ibis.table(schemas[d], name=d, database=self.graph.models[d].schema_name) for d in spec.depends_on}
        return build_expression(spec, self.ctx, upstream, self.actual, self.target.raw_schema)

    def plan(self, spec: ModelSpec, planned: Mapping[str, PlannedModel]) -> PlannedModel:
        upstream = self._upstream(spec, planned)
        if isinstance(upstream, PlannedModel):
            return upstream
        schemas, upstream_fps, upstream_keys = upstream
        key = compile_key(
            self.context_key,
            spec.name,
            {s.table: schema_json(self.actual[s.table]) for s in spec.sources.values()},
            upstream_keys,
        )
        state = self.states.get(spec.name)
        expr = None
        try:
            if state and state.compile_key == key and state.output_schema and not self.full_refresh:
                sql_hash, schema = state.sql_hash, parse_schema_json(state.output_schema)
            else:
                expr = self._expression(spec, schemas)
                sql_hash, schema = sql_digest(normalized_sql(expr, self.target.dialect)), expr.schema()
        except Exception as exc:  # a model that does not compile fails alone
            return PlannedModel(spec, Action.FAIL, "does not compile", error=f"{type(exc).__name__}: {exc}")
        fp = fingerprint(spec, sql_hash, upstream_fps, {s.table: self.signatures[s.table] for s in spec.sources.values()})
        has_table = spec.name in self.existing.get(spec.schema_name, set())
        action, reason = _reason(state, fp, has_table, self.full_refresh)
        if action is Action.BUILD and expr is None:
            expr = self._expression(spec, schemas)
        return PlannedModel(
            spec,
            action,
            reason,
            expr,
            fp,
            cached_rows=state.rows if state else None,
            compile_key=key,
            schema=schema,
            is_compile_key_stale=bool(state) and state.compile_key != key,
        )
