"""Demo data and benchmarks: generate a synthetic practice into a target, then time the runner on it.

Sits above both the generator and the framework (``cli`` -> ``demo`` -> ``synthetic``/``framework``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ibis_models.framework.audit import run_data_tests
from ibis_models.framework.context import BuildContext
from ibis_models.framework.plan import plan_run
from ibis_models.framework.project import Project
from ibis_models.framework.runner import RunResult, Status, execute
from ibis_models.framework.target import Target
from ibis_models.synthetic import GeneratorConfig, generate, write_duckdb, write_parquet, write_postgres

__all__ = ["Generated", "BenchmarkStep", "generate_into", "benchmark"]

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Generated:
    seed: int
    counts: dict[str, int]
    generate_seconds: float
    write_seconds: float

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class BenchmarkStep:
    step: str
    seconds: float
    rows: int
    detail: str


def generate_into(
    config: GeneratorConfig, *, target: Target | None = None, parquet: Path | None = None, progress: Progress | None = None
) -> Generated:
    """Generate the raw tables and write them to Parquet files or to the target's raw schema."""
    started = time.perf_counter()
    data = generate(config, progress=progress)
    generated = time.perf_counter()
    if parquet is not None:
        counts = write_parquet(parquet, data.tables)
    elif target is not None and target.backend == "duckdb":
        counts = write_duckdb(target.duckdb_path, data.tables, schema=target.raw_schema)
    elif target is not None:
        counts = write_postgres(target.url, data.tables, schema=target.raw_schema)
    else:
        raise ValueError("generate_into needs a target or a Parquet folder")
    return Generated(config.seed, counts, generated - started, time.perf_counter() - generated)


def _built_rows(result: RunResult) -> int:
    return sum(m.rows or 0 for m in result.models if m.status is Status.BUILT)


def benchmark(
    project: Project, config: GeneratorConfig, target: Target, *, threads: int, progress: Progress | None = None
) -> list[BenchmarkStep]:
    """Time generating, a full build, a cached re-run and every data test, on one target."""
    steps = []
    data = generate_into(config, target=target, progress=progress)
    steps.append(
        BenchmarkStep(
            "generate + load raw",
            data.generate_seconds + data.write_seconds,
            data.rows,
            f"{len(data.counts)} tables, {config.patients:,} patients",
        )
    )
    con = target.connect()
    full = execute(plan_run(project, target, con, full_refresh=True), con, threads=threads)
    failed = full.count(Status.FAILED) + full.count(Status.SKIPPED)
    steps.append(
        BenchmarkStep(
            "full build",
            full.elapsed_seconds,
            _built_rows(full),
            f"{full.count(Status.BUILT)} models built, {failed} failed or skipped, {threads} threads",
        )
    )
    cached = execute(plan_run(project, target, con), con, threads=threads)
    steps.append(
        BenchmarkStep(
            "re-run, nothing changed", cached.elapsed_seconds, _built_rows(cached), f"{cached.count(Status.CACHED)} models cached"
        )
    )
    started = time.perf_counter()
    ctx = BuildContext(as_of=full.as_of, params=project.params)
    tests = run_data_tests(project, target, con, project.graph.order, ctx)
    blocking = sum(t.is_blocking for t in tests)
    steps.append(
        BenchmarkStep("data tests", time.perf_counter() - started, 0, f"{len(tests)} tests, {blocking} error-level failures")
    )
    con.disconnect()
    return steps
