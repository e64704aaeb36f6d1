"""Rendering run events: live progress on stderr, the per-model table and totals, JSON results.

The runner only emits events (``Reporter``); this module turns them into something a person or a CI
reads. ``RecordingReporter`` keeps events for tests.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console, Group
from rich.live import Live
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from ibis_models.framework.plan import RunPlan
from ibis_models.framework.quality import TestResult
from ibis_models.framework.runner import ModelResult, RunResult, Status

__all__ = ["RichReporter", "RecordingReporter", "write_json", "run_table", "test_lines"]

_STYLE = {Status.BUILT: "green", Status.CACHED: "cyan", Status.FAILED: "bold red", Status.SKIPPED: "yellow"}


class RecordingReporter:
    """Keeps every event; for tests."""

    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []

    def on_start(self, plan: RunPlan) -> None:
        self.events.append(("start", plan.run_id))

    def on_model_start(self, name: str) -> None:
        self.events.append(("model_start", name))

    def on_model_done(self, result: ModelResult) -> None:
        self.events.append(("model_done", result))

    def on_finish(self, result: RunResult) -> None:
        self.events.append(("finish", result))


class RichReporter:
    """Live progress (models in flight and an overall bar) on ``progress_console``; the final table
    on ``console``."""

    def __init__(self, console: Console, progress_console: Console) -> None:
        self.console = console
        self.progress_console = progress_console
        self._progress = Progress(
            TextColumn("[bold]building"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=progress_console,
        )
        self._task = None
        self._in_flight: list[str] = []
        self._live: Live | None = None

    def _render(self) -> Group:
        flight = Text("in flight: " + (", ".join(self._in_flight) or "-"), style="dim")
        return Group(self._progress, flight)

    def on_start(self, plan: RunPlan) -> None:
        self._task = self._progress.add_task("models", total=len(plan.order))
        self._live = Live(self._render(), console=self.progress_console, transient=True, refresh_per_second=8)
        self._live.start()

    def on_model_start(self, name: str) -> None:
        self._in_flight.append(name)
        if self._live:
            self._live.update(self._render())

    def on_model_done(self, result: ModelResult) -> None:
        if result.name in self._in_flight:
            self._in_flight.remove(result.name)
        if self._task is not None:
            self._progress.advance(self._task)
        if self._live:
            self._live.update(self._render())

    def on_finish(self, result: RunResult) -> None:
        if self._live:
            self._live.stop()
        self.console.print(run_table(result))
        failed = [m for m in result.models if m.status is Status.FAILED]
        for model in failed:
            self.console.print(f"[bold red]failed[/] {model.name}: {model.error}", highlight=False)


def run_table(result: RunResult) -> Group:
    table = Table(title=f"run {result.run_id}  as_of {result.as_of}  {result.target.get('backend')}", title_justify="left")
    for col, justify in (
        ("model", "left"),
        ("system", "left"),
        ("status", "left"),
        ("reason", "left"),
        ("rows", "right"),
        ("seconds", "right"),
    ):
        table.add_column(col, justify=justify)
    for m in result.models:
        table.add_row(
            m.name,
            m.system,
            Text(m.status.value, style=_STYLE[m.status]),
            m.reason,
            "" if m.rows is None else f"{m.rows:,}",
            f"{m.seconds:.2f}",
        )
    counts = ", ".join(f"{result.count(s)} {s.value}" for s in Status)
    total_rows = sum(m.rows or 0 for m in result.models if m.status is Status.BUILT)
    totals = Text(
        f"{len(result.models)} models: {counts}; {total_rows:,} rows built in {result.elapsed_seconds:.2f} s "
        f"with {result.threads} thread(s)"
    )
    slowest = sorted((m for m in result.models if m.status is Status.BUILT), key=lambda m: -m.seconds)[:5]
    slow = Text("slowest: " + (", ".join(f"{m.name} {m.seconds:.2f}s" for m in slowest) or "-"), style="dim")
    return Group(table, totals, slow)


def test_lines(results: Sequence[TestResult]) -> Group:
    """One line per test: status, model, test, failing rows and a few sample keys."""
    style = {"pass": "green", "warn": "yellow", "fail": "bold red", "error": "bold red"}
    lines = []
    for r in results:
        line = Text.assemble((f"{r.status.upper():5}", style[r.status]), f" {r.model}  {r.test}")
        if r.status != "pass":
            detail = r.error or f"{r.failing_rows:,} failing rows" + (f" (e.g. {'; '.join(r.samples)})" if r.samples else "")
            line.append(f"  {detail}")
        lines.append(line)
    return Group(*lines)


def write_json(result: RunResult, path: str | Path) -> None:
    Path(path).write_text(json.dumps(result.as_dict(), indent=2) + "\n")
