"""Fingerprints, source signatures, and the runner's state and history tables in the target.

A fingerprint is a sha256 over a model's compiled SQL for the target (``as_of`` and parameters are
compiled in), its declared columns and config, its upstream fingerprints and, for raw sources, an
exact cheap signature (row count, max key, max change timestamps). Descriptions and tests are not
part of it, so editing docs never forces a rebuild. State lives in schema ``ibis_models``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
import sqlglot
from ibis.backends import BaseBackend

from ibis_models.framework.context import BuildContext
from ibis_models.framework.model import ModelSpec, Source
from ibis_models.framework.target import STATE_SCHEMA, Target

__all__ = [
    "Fingerprint",
    "StoredState",
    "normalized_sql",
    "fingerprint",
    "source_signature",
    "StateStore",
    "sql_digest",
    "code_version",
    "compile_context_key",
    "compile_key",
    "schema_json",
    "parse_schema_json",
]

_MEMTABLE_NAME = re.compile(r"ibis_\w+?_memtable_[a-z0-9]+")


def _sha(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\x1f")
    return digest.hexdigest()


def normalized_sql(expr: ir.Table, dialect: str) -> str:
    """The compiled SQL with generated memtable names replaced by a hash of their content."""
    sql = ibis.to_sql(expr, dialect=dialect)
    for op in expr.op().find(ops.InMemoryTable):
        content = hashlib.sha256(op.data.to_pyarrow_bytes(op.schema)).hexdigest()[:16]
        sql = sql.replace(op.name, f"memtable_{content}")
    return sql


@dataclass(frozen=True, slots=True)
class Fingerprint:
    sql_hash: str
    config_hash: str
    upstream_hash: str
    source_hash: str

    @property
    def value(self) -> str:
        return _sha(self.sql_hash, self.config_hash, self.upstream_hash, self.source_hash)


def sql_digest(sql: str) -> str:
    return _sha(sql)


def fingerprint(
    spec: ModelSpec,
    sql_hash: str,
    upstream: Mapping[str, str],
    sources: Mapping[str, str],
) -> Fingerprint:
    """Combine the parts; ``upstream`` maps model -> fingerprint, ``sources`` table -> signature."""
    config = json.dumps(
        {
            "materialization": spec.materialization.value,
            "key": list(spec.key),
            "columns": [[c.name, str(c.dtype) if c.dtype else None] for c in spec.columns],
            "schema": spec.schema_name,
        },
        sort_keys=True,
    )
    return Fingerprint(
        sql_hash=sql_hash,
        config_hash=_sha(config),
        upstream_hash=_sha(*(f"{k}={v}" for k, v in sorted(upstream.items()))),
        source_hash=_sha(*(f"{k}={v}" for k, v in sorted(sources.items()))),
    )


def code_version(specs: Iterable[ModelSpec]) -> str:
    """Hash of every file in the packages that define the models (code and data such as CSVs),
    of this framework, and of the Ibis and sqlglot versions that compile them."""
    roots = {Path(__file__).resolve().parent}
    for spec in specs:
        top = importlib.import_module(spec.module.split(".")[0])
        roots.add(Path(top.__file__).resolve().parent)
    digest = hashlib.sha256(f"ibis={ibis.__version__};sqlglot={sqlglot.__version__}".encode())
    for root in sorted(roots):
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_canonical(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    return value


def compile_context_key(code: str, dialect: str, ctx: BuildContext) -> str:
    """What every model's compilation depends on besides its own inputs."""
    params = json.dumps(_canonical(dict(ctx.params)), sort_keys=True, default=str)
    return _sha(code, dialect, ctx.as_of.isoformat(), params)


def compile_key(context: str, model: str, sources: Mapping[str, str], upstream: Mapping[str, str]) -> str:
    """When this equals the stored key, the model's compiled SQL is the stored one: no need to compile."""
    return _sha(
        context, model, *(f"{k}={v}" for k, v in sorted(sources.items())), *(f"{k}={v}" for k, v in sorted(upstream.items()))
    )


def schema_json(schema: ibis.Schema | None) -> str:
    return json.dumps([[name, str(dtype)] for name, dtype in schema.items()] if schema is not None else None)


def parse_schema_json(text: str) -> ibis.Schema:
    return ibis.schema({name: ibis.dtype(dtype) for name, dtype in json.loads(text)})


def source_signature(con: BaseBackend, source: Source, table: ir.Table) -> str:
    """Row count, max first column (the key) and max of each change timestamp, as one string."""
    aggs: dict[str, ir.Scalar] = {"rows": table.count()}
    first = source.columns[0].name
    if first in table.columns:
        aggs["max_key"] = table[first].max()
    for col in source.change_columns:
        if col in table.columns:
            aggs[f"max_{col}"] = table[col].max()
    row = con.execute(table.aggregate(**aggs)).iloc[0].to_dict()
    return json.dumps({k: str(v) for k, v in row.items()}, sort_keys=True)


@dataclass(frozen=True, slots=True)
class StoredState:
    """The state row of a model's current table, plus the status of its latest attempt."""

    model: str
    fingerprint: str
    sql_hash: str
    config_hash: str
    upstream_hash: str
    source_hash: str
    kind: str
    rows: int | None
    compile_key: str | None = None
    output_schema: str | None = None
    last_status: str | None = None


_DDL = {
    "model_state": (
        "model VARCHAR PRIMARY KEY, fingerprint VARCHAR, sql_hash VARCHAR, config_hash VARCHAR, "
        "upstream_hash VARCHAR, source_hash VARCHAR, kind VARCHAR, rows BIGINT, seconds DOUBLE PRECISION, "
        "run_id VARCHAR, built_at TIMESTAMP, compile_key VARCHAR, output_schema VARCHAR"
    ),
    "run_history": (
        "run_id VARCHAR, model VARCHAR, system VARCHAR, status VARCHAR, reason VARCHAR, rows BIGINT, "
        "seconds DOUBLE PRECISION, fingerprint VARCHAR, error VARCHAR, finished_at TIMESTAMP"
    ),
    "runs": (
        "run_id VARCHAR PRIMARY KEY, started_at TIMESTAMP, backend VARCHAR, target VARCHAR, as_of DATE, "
        "threads INTEGER, elapsed_seconds DOUBLE PRECISION, built INTEGER, cached INTEGER, failed INTEGER, "
        "skipped INTEGER"
    ),
}


class StateStore:
    """Reads and writes the runner's tables in schema ``ibis_models`` of one target."""

    def __init__(self, target: Target, con: BaseBackend) -> None:
        self.target = target
        self.con = con

    def _table(self, name: str) -> str:
        return self.target.qualified(self.con, STATE_SCHEMA, name)

    def exists(self) -> bool:
        return "runs" in self.target.list_tables(self.con, STATE_SCHEMA)

    def ensure(self) -> None:
        self.target.ensure_schema(self.con, STATE_SCHEMA)
        existing = set(self.target.list_tables(self.con, STATE_SCHEMA))
        for name, columns in _DDL.items():
            if name not in existing:
                self.con.raw_sql(f"CREATE TABLE IF NOT EXISTS {self._table(name)} ({columns})")
                continue
            # state written by an older ibis-models: add the columns it lacks
            have = set(self.target.table(self.con, STATE_SCHEMA, name).columns)
            for column in columns.split(", "):
                column_name, column_type = column.split(" ", 1)
                if column_name not in have:
                    self.con.raw_sql(
                        f"ALTER TABLE {self._table(name)} ADD COLUMN {column_name} {column_type.replace(' PRIMARY KEY', '')}"
                    )

    def load(self) -> dict[str, StoredState]:
        rows = self.target.fetch(
            self.con,
            f"SELECT model, fingerprint, sql_hash, config_hash, upstream_hash, source_hash, kind, rows, "
            f"compile_key, output_schema FROM {self._table('model_state')}",
        )
        last = dict(
            self.target.fetch(
                self.con,
                f"SELECT model, status FROM (SELECT model, status, ROW_NUMBER() OVER "
                f"(PARTITION BY model ORDER BY finished_at DESC, run_id DESC) AS rn "
                f"FROM {self._table('run_history')} WHERE status IN ('built', 'failed')) AS h WHERE rn = 1",
            )
        )
        states = {row[0]: StoredState(*row, last_status=last.get(row[0])) for row in rows}
        for model, status in last.items():
            states.setdefault(model, StoredState(model, "", "", "", "", "", "", None, last_status=status))
        return states

    def success_statements(
        self,
        *,
        model: str,
        fp: Fingerprint,
        kind: str,
        rows: int,
        seconds: float,
        run_id: str,
        system: str,
        reason: str,
        now: dt.datetime,
        compile_key: str | None,
        output_schema: ibis.Schema | None,
    ) -> list[tuple[str, Sequence[Any]]]:
        """The state writes that go in the swap's transaction."""
        return [
            (f"DELETE FROM {self._table('model_state')} WHERE model = ?", [model]),
            (
                f"INSERT INTO {self._table('model_state')} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    model,
                    fp.value,
                    fp.sql_hash,
                    fp.config_hash,
                    fp.upstream_hash,
                    fp.source_hash,
                    kind,
                    rows,
                    seconds,
                    run_id,
                    now,
                    compile_key,
                    schema_json(output_schema) if output_schema is not None else None,
                ],
            ),
            self.history_statement(run_id, model, system, "built", reason, rows, seconds, fp.value, None, now),
        ]

    def compile_key_statement(self, model: str, compile_key: str, output_schema: ibis.Schema) -> tuple[str, Sequence[Any]]:
        """Remember the compile key of a cached model whose key changed without changing its SQL."""
        return (
            f"UPDATE {self._table('model_state')} SET compile_key = ?, output_schema = ? WHERE model = ?",
            [compile_key, schema_json(output_schema), model],
        )

    def history_statement(
        self,
        run_id: str,
        model: str,
        system: str,
        status: str,
        reason: str,
        rows: int | None,
        seconds: float,
        fingerprint_value: str | None,
        error: str | None,
        now: dt.datetime,
    ) -> tuple[str, Sequence[Any]]:
        return (
            f"INSERT INTO {self._table('run_history')} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, model, system, status, reason, rows, seconds, fingerprint_value, error, now],
        )

    def write(self, statements: Iterable[tuple[str, Sequence[Any]]]) -> None:
        with self.target.transaction(self.con) as cursor:
            self.target.execute_statements(cursor, list(statements))

    def record_run(
        self,
        *,
        run_id: str,
        started_at: dt.datetime,
        as_of: dt.date,
        threads: int,
        elapsed: float,
        counts: Mapping[str, int],
    ) -> None:
        self.write(
            [
                (
                    f"INSERT INTO {self._table('runs')} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        run_id,
                        started_at,
                        self.target.backend,
                        self.target.redacted_url,
                        as_of,
                        threads,
                        elapsed,
                        counts.get("built", 0),
                        counts.get("cached", 0),
                        counts.get("failed", 0),
                        counts.get("skipped", 0),
                    ],
                )
            ]
        )

    def recent_runs(self, limit: int) -> list[tuple]:
        return self.target.fetch(
            self.con,
            f"SELECT run_id, started_at, backend, as_of, threads, elapsed_seconds, built, cached, failed, skipped "
            f"FROM {self._table('runs')} ORDER BY started_at DESC, run_id DESC LIMIT {int(limit)}",
        )

    def history(self, run_id: str) -> list[tuple]:
        return self.target.fetch(
            self.con,
            f"SELECT model, system, status, reason, rows, seconds FROM {self._table('run_history')} "
            f"WHERE run_id = ? ORDER BY model",
            [run_id],
        )

    def previous_build(self, model: str, before_run: str, started_at: dt.datetime) -> tuple | None:
        rows = self.target.fetch(
            self.con,
            f"SELECT rows, seconds FROM {self._table('run_history')} WHERE model = ? AND status = 'built' "
            f"AND run_id <> ? AND finished_at < ? ORDER BY finished_at DESC LIMIT 1",
            [model, before_run, started_at],
        )
        return rows[0] if rows else None
