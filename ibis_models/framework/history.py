"""Run history: how each model of a run compares with its previous successful build, and which
changes count as regressions (``ibis-models report --fail-on-regression``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ibis_models.framework.state import StateStore

__all__ = ["ModelChange", "run_changes", "regressions"]


@dataclass(frozen=True, slots=True)
class ModelChange:
    model: str
    status: str
    rows: int | None
    seconds: float | None
    previous_rows: int | None
    previous_seconds: float | None

    @property
    def row_delta(self) -> int | None:
        return None if self.rows is None or self.previous_rows is None else self.rows - self.previous_rows

    @property
    def seconds_delta(self) -> float | None:
        if self.seconds is None or self.previous_seconds is None:
            return None
        return self.seconds - self.previous_seconds


def run_changes(store: StateStore, run_id: str, started_at: dt.datetime) -> list[ModelChange]:
    """Each model built in ``run_id`` next to its build before that run."""
    changes = []
    for model, _system, status, _reason, rows, seconds in store.history(run_id):
        previous = store.previous_build(model, run_id, started_at) if status == "built" else None
        changes.append(
            ModelChange(
                model,
                status,
                rows,
                seconds,
                previous[0] if previous else None,
                previous[1] if previous else None,
            )
        )
    return changes


def regressions(changes: Sequence[ModelChange], *, slower: float, row_change: float) -> list[tuple[str, str]]:
    """(model, why) for models that became much slower, dropped to zero rows, or changed row count
    beyond the ``row_change`` fraction."""
    found = []
    for c in changes:
        if c.status == "failed":
            found.append((c.model, "failed"))
        if c.previous_rows is None or c.rows is None:
            continue
        if c.rows == 0 and c.previous_rows > 0:
            found.append((c.model, f"dropped to 0 rows from {c.previous_rows:,}"))
        elif c.previous_rows and abs(c.rows - c.previous_rows) / c.previous_rows > row_change:
            found.append((c.model, f"rows changed {c.previous_rows:,} -> {c.rows:,}"))
        if c.previous_seconds and c.seconds and c.seconds > 1.0 and c.seconds > slower * c.previous_seconds:
            found.append(
                (c.model, f"{c.seconds / c.previous_seconds:.1f}x slower ({c.previous_seconds:.2f}s -> {c.seconds:.2f}s)")
            )
    return found
