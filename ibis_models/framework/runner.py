"""Execute a plan: dependency order, ``--threads`` workers with a connection each, failure isolation.

A failing model fails alone: its dependants are skipped, everything else builds. The runner never
prints; it reports events to a ``Reporter``.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from ibis.backends import BaseBackend

from ibis_models.framework.errors import IbisModelsError
from ibis_models.framework.materialize import materialize
from ibis_models.framework.plan import Action, RunPlan
from ibis_models.framework.quality import TestResult
from ibis_models.framework.state import StateStore
from ibis_models.framework.target import is_leftover

__all__ = ["Status", "ModelResult", "RunResult", "Reporter", "execute"]


class Status(StrEnum):
    BUILT = "built"
    CACHED = "cached"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class ModelResult:
    name: str
    system: str
    status: Status
    reason: str
    rows: int | None
    seconds: float
    fingerprint: str | None
    error: str | None = None
    tests: tuple[TestResult, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "system": self.system,
            "status": self.status.value,
            "reason": self.reason,
            "rows": self.rows,
            "seconds": round(self.seconds, 3),
            "fingerprint": self.fingerprint,
            "error": self.error,
        }


@dataclass(frozen=True, slots=True)
class RunResult:
    run_id: str
    started_at: dt.datetime
    target: Mapping[str, Any]
    as_of: dt.date
    threads: int
    elapsed_seconds: float
    models: tuple[ModelResult, ...] = field(default=())

    @property
    def exit_code(self) -> int:
        return 1 if any(m.status is Status.FAILED for m in self.models) else 0

    def count(self, status: Status) -> int:
        return sum(1 for m in self.models if m.status is status)

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "target": dict(self.target),
            "as_of": self.as_of.isoformat(),
            "threads": self.threads,
            "elapsed_seconds": round(self.elapsed_seconds, 3),
            "models": [m.as_dict() for m in self.models],
        }


class Reporter(Protocol):
    def on_start(self, plan: RunPlan) -> None: ...
    def on_model_start(self, name: str) -> None: ...
    def on_model_done(self, result: ModelResult) -> None: ...
    def on_finish(self, result: RunResult) -> None: ...


class _Connections:
    """One connection per worker thread; DuckDB in memory shares the planning connection."""

    def __init__(self, plan: RunPlan, main: BaseBackend) -> None:
        self._plan = plan
        self._main = main
        self._local = threading.local()
        self._opened: list[BaseBackend] = []
        self._lock = threading.Lock()

    def get(self) -> BaseBackend:
        if self._plan.target.is_in_memory:
            return self._main
        con = getattr(self._local, "con", None)
        if con is None:
            con = self._plan.target.connect()
            self._local.con = con
            with self._lock:
                self._opened.append(con)
        return con

    def close(self) -> None:
        for con in self._opened:
            con.disconnect()


def _clean_leftovers(plan: RunPlan, con: BaseBackend) -> None:
    """Drop temporary and set-aside tables a killed run left behind."""
    for schema in sorted({p.spec.schema_name for p in plan.models.values()}):
        for name in plan.target.list_tables(con, schema):
            if is_leftover(name):
                plan.target.drop(con, schema, name)


def execute(plan: RunPlan, con: BaseBackend, *, threads: int = 1, reporter: Reporter | None = None) -> RunResult:
    """Build the plan's models; returns one result per model, in plan order."""
    started_at, clock = plan.started_at, plan.started_clock
    threads = 1 if plan.target.is_in_memory else max(1, threads)
    target = plan.target
    for schema in sorted({p.spec.schema_name for p in plan.models.values()}):
        target.ensure_schema(con, schema)
    _clean_leftovers(plan, con)
    if reporter:
        reporter.on_start(plan)

    results: dict[str, ModelResult] = {}
    store = StateStore(target, con)
    connections = _Connections(plan, con)

    def finish(result: ModelResult) -> None:
        results[result.name] = result
        if result.status in (Status.FAILED, Status.SKIPPED):
            store.write(
                [
                    store.history_statement(
                        plan.run_id,
                        result.name,
                        result.system,
                        result.status.value,
                        result.reason,
                        None,
                        result.seconds,
                        result.fingerprint,
                        result.error,
                        dt.datetime.now(),
                    )
                ]
            )
        if reporter:
            reporter.on_model_done(result)

    def build(name: str) -> ModelResult:
        planned = plan.models[name]
        if reporter:
            reporter.on_model_start(name)
        begin = time.perf_counter()
        fp = planned.fingerprint.value if planned.fingerprint else None
        try:
            done = materialize(
                planned, target=target, con=connections.get(), graph=plan.project.graph, ctx=plan.ctx, run_id=plan.run_id
            )
        except Exception as exc:  # failure isolation: the model fails alone
            message = str(exc) if isinstance(exc, IbisModelsError) else f"{type(exc).__name__}: {exc}"
            return ModelResult(
                name,
                planned.spec.system.value,
                Status.FAILED,
                planned.reason,
                None,
                time.perf_counter() - begin,
                fp,
                target.redact(message),
            )
        return ModelResult(
            name,
            planned.spec.system.value,
            Status.BUILT,
            planned.reason,
            done.rows,
            time.perf_counter() - begin,
            fp,
            None,
            done.tests,
        )

    pending = list(plan.order)
    running: dict[Future[ModelResult], str] = {}
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="ibis-models") as pool:
        while pending or running:
            progressed = False
            for name in list(pending):
                planned = plan.models[name]
                upstream = plan.upstream_in_plan(name)
                bad = [u for u in upstream if u in results and results[u].status in (Status.FAILED, Status.SKIPPED)]
                if bad:
                    pending.remove(name)
                    finish(
                        ModelResult(
                            name, planned.spec.system.value, Status.SKIPPED, f"upstream failed: {bad[0]}", None, 0.0, None
                        )
                    )
                    progressed = True
                elif planned.action is Action.FAIL:
                    pending.remove(name)
                    finish(
                        ModelResult(
                            name, planned.spec.system.value, Status.FAILED, planned.reason, None, 0.0, None, planned.error
                        )
                    )
                    progressed = True
                elif all(u in results for u in upstream):
                    pending.remove(name)
                    if planned.action is Action.CACHE:
                        finish(
                            ModelResult(
                                name,
                                planned.spec.system.value,
                                Status.CACHED,
                                planned.reason,
                                planned.cached_rows,
                                0.0,
                                planned.fingerprint.value,
                            )
                        )
                    else:
                        running[pool.submit(build, name)] = name
                    progressed = True
            if progressed:
                continue
            if running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    running.pop(future)
                    finish(future.result())
    connections.close()
    store.write(
        [
            store.compile_key_statement(name, p.compile_key, p.schema)
            for name, p in plan.models.items()
            if p.is_compile_key_stale and results[name].status is Status.CACHED and p.compile_key and p.schema is not None
        ]
    )

    result = RunResult(
        plan.run_id,
        started_at,
        target.describe(),
        plan.ctx.as_of,
        threads,
        time.perf_counter() - clock,
        tuple(results[n] for n in plan.order),
    )
    store.record_run(
        run_id=plan.run_id,
        started_at=started_at,
        as_of=plan.ctx.as_of,
        threads=threads,
        elapsed=result.elapsed_seconds,
        counts={s.value: result.count(s) for s in Status},
    )
    if reporter:
        reporter.on_finish(result)
    return result
