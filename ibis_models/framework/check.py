"""Static checks: compile every model for every dialect without touching data, and lint definitions.

Reports: a model that does not compile on a dialect; columns not documented, documented but not
produced, or of another type than declared (the contract against ``expr.schema()``); a missing
grain, key or docstring; impure operations (now, today, random); naming rules.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir

from ibis_models.framework.context import BuildContext
from ibis_models.framework.model import ModelSpec, System
from ibis_models.framework.plan import build_expression
from ibis_models.framework.project import Project
from ibis_models.framework.target import DIALECTS

__all__ = ["Violation", "check_project", "compile_model", "IMPURE_OPS"]

IMPURE_OPS = (ops.TimestampNow, ops.DateNow, ops.RandomScalar, ops.RandomUUID)
_STAGING_NAME = re.compile(r"^stg_[a-z0-9]+__[a-z0-9_]+$")
_MODEL_NAME = re.compile(r"^int_[a-z0-9_]+$")
# A boolean reads as a predicate: it holds one of these words (is_active, user_is_hidden,
# fee_matches_standard, follow_up_required) and does not end in _flag (specs/README §4.6).
_PREDICATE_WORDS = frozenset(
    {
        "is",
        "has",
        "have",
        "was",
        "were",
        "can",
        "are",
        "include",
        "includes",
        "match",
        "matches",
        "required",
        "exceeds",
        "needs",
        "should",
        "within",
    }
)
_CHECK_AS_OF = dt.date(2000, 1, 1)


@dataclass(frozen=True, slots=True)
class Violation:
    model: str
    rule: str
    message: str


def compile_model(project: Project, name: str, dialect: str, ctx: BuildContext | None = None) -> str:
    """The SQL of one model for ``dialect``, compiled from declared schemas only."""
    exprs = _expressions(project, ctx or BuildContext(as_of=_CHECK_AS_OF, params=project.params), {name})
    return ibis.to_sql(exprs[name], dialect=dialect)


def _expressions(project: Project, ctx: BuildContext, only: set[str] | None = None) -> dict[str, ir.Table]:
    """Expressions of the wanted models and their ancestors, in build order (errors propagate)."""
    graph = project.graph
    wanted = set(graph.models) if only is None else set().union(*({n} | graph.ancestors(n) for n in only))
    exprs: dict[str, ir.Table] = {}
    for name in graph.sorted(wanted):
        spec = graph.models[name]
        upstream = {
            dep: ibis.table(exprs[dep].schema(), name=dep, database=graph.models[dep].schema_name) for dep in spec.depends_on
        }
        raw = {s.table: s.schema() for s in spec.sources.values()}
        exprs[name] = build_expression(spec, ctx, upstream, raw, "raw")
    return exprs


def check_project(project: Project, ctx: BuildContext | None = None) -> list[Violation]:
    ctx = ctx or BuildContext(as_of=_CHECK_AS_OF, params=project.params)
    graph = project.graph
    staging_booleans = {
        c.name
        for s in graph.models.values()
        if s.system is System.STAGING
        for c in s.columns
        if c.dtype is not None and c.dtype.is_boolean()
    }
    violations: list[Violation] = []
    schemas: dict[str, ibis.Schema] = {}
    for name in graph.order:
        spec = graph.models[name]
        violations += _definition_rules(spec)
        if any(dep not in schemas for dep in spec.depends_on):
            violations.append(Violation(name, "compile", "not compiled: an upstream model does not compile"))
            continue
        upstream = {dep: ibis.table(schemas[dep], name=dep, database=graph.models[dep].schema_name) for dep in spec.depends_on}
        raw = {s.table: s.schema() for s in spec.sources.values()}
        try:
            expr = build_expression(spec, ctx, upstream, raw, "raw")
        except Exception as exc:  # report every broken model, not the first
            violations.append(Violation(name, "compile", f"building the expression failed: {type(exc).__name__}: {exc}"))
            continue
        for dialect in DIALECTS:
            try:
                ibis.to_sql(expr, dialect=dialect)
            except Exception as exc:
                violations.append(Violation(name, "compile", f"does not compile for {dialect}: {type(exc).__name__}: {exc}"))
        schemas[name] = expr.schema()
        violations += _contract_rules(spec, expr.schema())
        violations += _purity_rules(spec, expr)
        violations += _boolean_rules(spec, expr.schema(), staging_booleans)
    return violations


def _definition_rules(spec: ModelSpec) -> list[Violation]:
    out = []
    if not spec.grain.strip():
        out.append(Violation(spec.name, "grain", "no grain declared"))
    if not spec.key:
        out.append(Violation(spec.name, "key", "no key declared"))
    if not spec.doc.strip():
        out.append(Violation(spec.name, "docstring", "no docstring (purpose and grain)"))
    for col in spec.columns:
        if not col.description.strip():
            out.append(Violation(spec.name, "columns", f"column '{col.name}' has no description"))
    pattern = _STAGING_NAME if spec.system is System.STAGING else _MODEL_NAME
    if not pattern.match(spec.name):
        expected = "stg_<source>__<table>" if spec.system is System.STAGING else "int_<name>"
        out.append(Violation(spec.name, "naming", f"model name should look like {expected}"))
    if spec.key and not any(k.endswith("_id") for k in spec.key):
        out.append(Violation(spec.name, "naming", f"no key column ends in _id: {', '.join(spec.key)}"))
    return out


def _contract_rules(spec: ModelSpec, schema: ibis.Schema) -> list[Violation]:
    out = []
    produced = list(schema.names)
    declared = {c.name: c for c in spec.columns}
    missing = [c for c in declared if c not in produced]
    extra = [c for c in produced if c not in declared]
    if missing:
        out.append(Violation(spec.name, "contract", f"documented but not produced: {', '.join(missing)}"))
    if extra:
        out.append(Violation(spec.name, "contract", f"produced but not documented: {', '.join(extra)}"))
    for name, dtype in schema.items():
        col = declared.get(name)
        if col is not None and col.dtype is not None and not _same_type(col.dtype, dtype):
            out.append(Violation(spec.name, "contract", f"column '{name}' is {dtype}, declared {col.dtype}"))
    return out


def _same_type(declared: ibis.DataType, actual: ibis.DataType) -> bool:
    return declared.copy(nullable=True) == actual.copy(nullable=True)


def _purity_rules(spec: ModelSpec, expr: ir.Table) -> list[Violation]:
    found = sorted({type(op).__name__ for op in expr.op().find(IMPURE_OPS)})
    if not found:
        return []
    return [Violation(spec.name, "impure", f"uses {', '.join(found)}; use ctx.as_of instead of the clock or randomness")]


def _boolean_rules(spec: ModelSpec, schema: ibis.Schema, staging_booleans: set[str]) -> list[Violation]:
    if spec.system is System.STAGING:
        return []
    bad = [
        name
        for name, dtype in schema.items()
        if dtype.is_boolean()
        and name not in staging_booleans
        and (name.endswith("_flag") or not _PREDICATE_WORDS & set(name.split("_")))
    ]
    if not bad:
        return []
    return [
        Violation(
            spec.name,
            "naming",
            f"boolean columns should read as predicates (is_x, has_x, x_required; no _flag): {', '.join(bad)}",
        )
    ]
