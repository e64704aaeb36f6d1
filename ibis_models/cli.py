"""The ``ibis-models`` command line: thin commands over the framework and the OpenDental project.

stdout holds the result (tables, SQL, JSON); progress and errors go to stderr. Exit codes: 0 good,
1 a model, test, check or comparison failed, 2 a usage error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import importlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.tree import Tree

from ibis_models.framework.audit import run_data_tests
from ibis_models.framework.catalog import render_catalog
from ibis_models.framework.check import check_project, compile_model
from ibis_models.framework.compare import compare_targets
from ibis_models.framework.context import BuildContext
from ibis_models.framework.errors import IbisModelsError, SelectionError, UnknownModelError
from ibis_models.framework.history import regressions, run_changes
from ibis_models.framework.plan import plan_run, resolve_as_of
from ibis_models.framework.project import Project
from ibis_models.framework.report import RichReporter, test_lines, write_json
from ibis_models.framework.runner import execute
from ibis_models.framework.state import StateStore
from ibis_models.framework.target import DIALECTS, Target

__all__ = ["app"]

app = typer.Typer(
    help="Build, test and compare the OpenDental analytics models on DuckDB or Postgres.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True)
_state = {"debug": False}

Select = Annotated[
    list[str] | None, typer.Option("--select", "-s", help="Models to use: name, +name, name+, system:X, tag:X, glob; repeatable.")
]
Selectors = Annotated[
    list[str] | None, typer.Argument(help="More selection terms (same syntax as --select).", show_default=False)
]
Exclude = Annotated[list[str] | None, typer.Option("--exclude", help="Models to leave out (same syntax); repeatable.")]
TargetUrl = Annotated[
    str | None,
    typer.Option(
        "--target",
        help="duckdb:///file.duckdb or postgres://user:pass@host:port/db; default $IBIS_MODELS_TARGET or duckdb:///ibis_models.duckdb.",
    ),
]
RawSchema = Annotated[str, typer.Option("--raw-schema", help="Schema holding the raw OpenDental tables.")]
AsOf = Annotated[
    str | None, typer.Option("--as-of", help="Reporting date YYYY-MM-DD; default: latest ledger activity in the raw data.")
]
Threads = Annotated[int, typer.Option("--threads", min=1, help="Models built at once (one connection each).")]
Vars = Annotated[list[str] | None, typer.Option("--var", help="Build parameter name=value (JSON value or text); repeatable.")]

F = TypeVar("F", bound=Callable[..., Any])
PROJECT_ENV = "IBIS_MODELS_PROJECT"
DEFAULT_PROJECT = "ibis_models.opendental.project:opendental_project"


def load_project() -> Project:
    """The project named by $IBIS_MODELS_PROJECT (``module:factory``); the OpenDental models by default."""
    module_name, _, factory = os.environ.get(PROJECT_ENV, DEFAULT_PROJECT).partition(":")
    return getattr(importlib.import_module(module_name), factory)()


def _handled(fn: F) -> F:
    """Known errors become one red 'Error:' message (exit 1, or 2 for usage errors)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except IbisModelsError as exc:
            if _state["debug"]:
                raise
            err.print(f"[bold red]Error:[/] {exc}", highlight=False)
            raise typer.Exit(2 if isinstance(exc, (SelectionError, UnknownModelError)) else 1) from None

    return wrapper  # type: ignore[return-value]


@app.callback()
def main(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False) -> None:
    _state["debug"] = debug


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not a date (YYYY-MM-DD)", param_hint=option) from None


def _vars(items: list[str] | None) -> dict[str, Any]:
    parsed: dict[str, Any] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise typer.BadParameter(f"'{item}' is not name=value", param_hint="--var")
        try:
            parsed[name] = json.loads(value)
        except json.JSONDecodeError:
            parsed[name] = value
    return parsed


def _selection(select: list[str] | None, selectors: list[str] | None) -> list[str]:
    return [term for item in [*(select or []), *(selectors or [])] for term in item.replace(",", " ").split()]


@app.command()
@_handled
def generate(
    patients: Annotated[int, typer.Option(min=1, help="Patient rows to create.")] = 5000,
    seed: Annotated[
        int | None, typer.Option(help="Random seed (default: the generator's); same arguments give identical tables.")
    ] = None,
    target: TargetUrl = None,
    parquet: Annotated[Path | None, typer.Option(help="Write Parquet files to this folder instead of a database.")] = None,
    end_date: Annotated[str | None, typer.Option("--end-date", help="Last day of history (default: a fixed date).")] = None,
    years: Annotated[int | None, typer.Option(min=1, help="Years of history (default: the generator's).")] = None,
    clean: Annotated[bool, typer.Option("--clean", help="No deliberate mess (orphans, sentinels, duplicates).")] = False,
    raw_schema: RawSchema = "raw",
) -> None:
    """Create synthetic OpenDental raw tables (replaces the raw tables in the target's raw schema)."""
    from ibis_models.demo import generate_into

    config = _generator_config(patients, seed, end_date, years, clean)
    tgt = None if parquet is not None else Target.from_url(target, raw_schema=raw_schema)
    with _progress_bar("generating") as progress:
        data = generate_into(config, target=tgt, parquet=parquet, progress=progress)
    where = str(parquet) if parquet is not None else tgt.redacted_url
    table = Table(title=f"generated {patients:,} patients (seed {data.seed}) into {where}", title_justify="left")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in data.counts.items():
        table.add_row(name, f"{rows:,}")
    out.print(table)
    elapsed = data.generate_seconds + data.write_seconds
    out.print(
        f"{data.rows:,} rows in {elapsed:.1f} s (generate {data.generate_seconds:.1f} s, write {data.write_seconds:.1f} s): "
        f"{data.rows / max(elapsed, 1e-9):,.0f} rows/s"
    )


@app.command()
@_handled
def benchmark(
    patients: Annotated[int, typer.Option(min=1, help="Patient rows to generate.")] = 5000,
    seed: Annotated[int | None, typer.Option(help="Random seed (default: the generator's).")] = None,
    target: Annotated[
        str | None,
        typer.Option("--target", help="Where to benchmark (its raw schema is replaced); default: a temporary DuckDB file."),
    ] = None,
    threads: Threads = 4,
) -> None:
    """Time generating demo data, a full build, a cached re-run and every data test; print the figures."""
    from ibis_models.demo import benchmark as run_benchmark

    config = _generator_config(patients, seed, None, None, False)
    with tempfile.TemporaryDirectory() as folder:
        tgt = Target.from_url(target or f"duckdb:///{folder}/benchmark.duckdb")
        with _progress_bar("benchmarking") as progress:
            steps = run_benchmark(load_project(), config, tgt, threads=threads, progress=progress)
    table = Table(title=f"benchmark: {patients:,} patients on {tgt.backend} ({tgt.redacted_url})", title_justify="left")
    for col in ("step", "seconds", "rows", "rows/s", "detail"):
        table.add_column(col, justify="left" if col in ("step", "detail") else "right")
    for s in steps:
        rate = f"{s.rows / s.seconds:,.0f}" if s.rows and s.seconds else "-"
        table.add_row(s.step, f"{s.seconds:.2f}", f"{s.rows:,}" if s.rows else "-", rate, s.detail)
    out.print(table)


def _generator_config(patients: int, seed: int | None, end_date: str | None, years: int | None, clean: bool):
    from ibis_models.synthetic import GeneratorConfig

    options: dict[str, Any] = {"patients": patients, "clean": clean}
    if seed is not None:
        options["seed"] = seed
    if end_date:
        options["end_date"] = _date(end_date, "--end-date")
    if years:
        options["years"] = years
    return GeneratorConfig(**options)


@contextlib.contextmanager
def _progress_bar(label: str) -> Iterator[Callable[[str, int, int], None]]:
    """A transient progress bar on stderr, driven by ``(step, done, total)`` callbacks."""
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(step: str, done: int, total: int) -> None:
            bar.update(task, description=f"{label}: {step}", completed=done, total=total)

        yield update


@app.command()
@_handled
def run(
    select: Select = None,
    selectors: Selectors = None,
    exclude: Exclude = None,
    target: TargetUrl = None,
    raw_schema: RawSchema = "raw",
    as_of: AsOf = None,
    threads: Threads = 4,
    full_refresh: Annotated[bool, typer.Option("--full-refresh", help="Rebuild the selection even when cached.")] = False,
    report_json: Annotated[Path | None, typer.Option("--report-json", help="Also write the run report as JSON here.")] = None,
    var: Vars = None,
) -> None:
    """Build the selected models (all by default) in dependency order; unchanged ones stay cached."""
    tgt = Target.from_url(target, raw_schema=raw_schema)
    con = tgt.connect()
    plan = plan_run(
        load_project(),
        tgt,
        con,
        select=_selection(select, selectors),
        exclude=exclude or [],
        as_of=_date(as_of, "--as-of"),
        params=_vars(var),
        full_refresh=full_refresh,
    )
    result = execute(plan, con, threads=threads, reporter=RichReporter(out, err))
    if report_json:
        write_json(result, report_json)
    raise typer.Exit(result.exit_code)


@app.command("test")
@_handled
def test_(
    select: Select = None,
    selectors: Selectors = None,
    exclude: Exclude = None,
    target: TargetUrl = None,
    as_of: AsOf = None,
    var: Vars = None,
) -> None:
    """Run the data tests of the selected models on their built tables; exit 1 on an error-level failure."""
    project, tgt = load_project(), Target.from_url(target)
    con = tgt.connect()
    names = project.graph.select(_selection(select, selectors), exclude or [])
    stored = StateStore(tgt, con).recent_runs(1) if StateStore(tgt, con).exists() else []
    when = _date(as_of, "--as-of") or (stored[0][3] if stored else resolve_as_of(project, tgt, con, None))
    results = run_data_tests(project, tgt, con, names, BuildContext(as_of=when, params={**project.params, **_vars(var)}))
    out.print(test_lines(results))
    counts = {s: sum(1 for r in results if r.status == s) for s in ("pass", "warn", "fail", "error")}
    out.print(", ".join(f"{n} {s}" for s, n in counts.items()) + f" (as_of {when})")
    raise typer.Exit(1 if any(r.is_blocking for r in results) else 0)


@app.command()
@_handled
def check() -> None:
    """Compile every model for DuckDB and Postgres without data and lint it; exit 1 on violations."""
    project = load_project()
    violations = check_project(project)
    for v in violations:
        out.print(f"[red]{v.model}[/] \\[{v.rule}] {escape(v.message)}", highlight=False)
    out.print(f"{len(project.models)} models checked for {', '.join(DIALECTS)}: {len(violations)} violation(s)")
    raise typer.Exit(1 if violations else 0)


@app.command()
@_handled
def compare(
    target: Annotated[str, typer.Option("--target", help="First target URL.")],
    against: Annotated[str, typer.Option("--against", help="Second target URL.")],
    select: Select = None,
    selectors: Selectors = None,
    exclude: Exclude = None,
) -> None:
    """Compare built models between two targets: rows, columns and types, content checksum."""
    project = load_project()
    a, b = Target.from_url(target), Target.from_url(against)
    names = project.graph.select(_selection(select, selectors), exclude or [])
    results = compare_targets(project.graph, names, a, a.connect(), b, b.connect())
    table = Table(title=f"{a.redacted_url}  vs  {b.redacted_url}", title_justify="left")
    for col in ("model", "rows (target)", "rows (against)", "result"):
        table.add_column(col, justify="right" if col.startswith("rows") else "left")
    for r in results:
        table.add_row(
            r.model, str(r.rows_a), str(r.rows_b), "[green]same[/]" if r.is_same else f"[red]{'; '.join(r.differences)}[/]"
        )
    out.print(table)
    different = sum(not r.is_same for r in results)
    out.print(f"{len(results)} models compared: {different} different")
    raise typer.Exit(1 if different else 0)


@app.command("list")
@_handled
def list_(select: Select = None, selectors: Selectors = None, exclude: Exclude = None) -> None:
    """List models with system, materialization and upstream models."""
    graph = load_project().graph
    table = Table()
    for col in ("model", "system", "materialization", "upstream"):
        table.add_column(col)
    for name in graph.select(_selection(select, selectors), exclude or []):
        spec = graph.models[name]
        table.add_row(name, spec.system.value, spec.materialization.value, ", ".join(spec.depends_on) or "-")
    out.print(table)


@app.command("compile")
@_handled
def compile_(
    model_name: Annotated[str, typer.Argument(metavar="MODEL", help="Model to compile.")],
    dialect: Annotated[str, typer.Option(help="duckdb or postgres.")] = "duckdb",
    as_of: AsOf = None,
) -> None:
    """Print a model's SQL for a dialect (compiled from declared schemas; no database needed)."""
    if dialect not in DIALECTS:
        raise typer.BadParameter(f"'{dialect}' is not one of {', '.join(DIALECTS)}", param_hint="--dialect")
    project = load_project()
    project.graph.spec(model_name)
    ctx = BuildContext(as_of=_date(as_of, "--as-of") or dt.date(2000, 1, 1), params=project.params)
    print(compile_model(project, model_name, dialect, ctx))


@app.command()
@_handled
def dag(
    model_name: Annotated[str | None, typer.Argument(metavar="[MODEL]", help="Show this model's upstream tree.")] = None,
) -> None:
    """Print the dependency tree (of one model, or every model without dependants)."""
    graph = load_project().graph
    roots = [graph.spec(model_name).name] if model_name else [n for n in graph.order if not graph.children[n]]
    tree = Tree("models" if not model_name else model_name)

    def grow(node: Tree, name: str) -> None:
        for parent in graph.parents[name]:
            grow(node.add(parent), parent)

    for root in roots:
        grow(tree if model_name else tree.add(root), root)
    out.print(tree)


@app.command()
@_handled
def catalog(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the Markdown here instead of stdout.")] = None,
) -> None:
    """Print the model catalog (every model's grain, key, columns, upstreams and tests) as Markdown."""
    text = render_catalog(load_project())
    if output is None:
        print(text, end="")
    else:
        output.write_text(text)
        err.print(f"wrote {output}")


@app.command()
@_handled
def report(
    target: TargetUrl = None,
    runs: Annotated[int, typer.Option(help="Recent runs to list.")] = 10,
    fail_on_regression: Annotated[
        bool, typer.Option("--fail-on-regression", help="Exit 1 when the latest run regressed.")
    ] = False,
    slower: Annotated[float, typer.Option(help="Regression: this many times slower (and over 1 s).")] = 2.0,
    row_change: Annotated[float, typer.Option(help="Regression: row count changed by more than this fraction.")] = 0.5,
) -> None:
    """Show recent runs and, per model of the latest run, time and rows against its previous build."""
    tgt = Target.from_url(target)
    store = StateStore(tgt, tgt.connect())
    recent = store.recent_runs(runs) if store.exists() else []
    if not recent:
        out.print("no runs recorded in this target yet")
        raise typer.Exit(0)
    table = Table(title="recent runs", title_justify="left")
    for col in ("run", "started", "backend", "as_of", "threads", "seconds", "built", "cached", "failed", "skipped"):
        table.add_column(col)
    for row in recent:
        table.add_row(*(_cell(v) for v in row))
    out.print(table)
    changes = run_changes(store, recent[0][0], recent[0][1])
    detail = Table(title=f"latest run {recent[0][0]} against each model's previous build", title_justify="left")
    for col in ("model", "status", "rows", "Δ rows", "seconds", "Δ seconds"):
        detail.add_column(col, justify="left" if col in ("model", "status") else "right")
    for c in changes:
        detail.add_row(
            c.model, c.status, _fmt(c.rows), _fmt(c.row_delta, signed=True), _fmt(c.seconds), _fmt(c.seconds_delta, signed=True)
        )
    out.print(detail)
    found = regressions(changes, slower=slower, row_change=row_change)
    for model, why in found:
        out.print(f"[bold red]regression[/] {model}: {why}", highlight=False)
    raise typer.Exit(1 if fail_on_regression and found else 0)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return str(value)


def _fmt(value: float | int | None, signed: bool = False) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:+.2f}" if signed else f"{value:.2f}"
    return f"{value:+,}" if signed else f"{value:,}"
