"""Deliberate mess: the data faults real OpenDental databases carry, each counted in the manifest.

Steps that create data call ``MessLog.add`` for faults made while generating (deleted procedures,
zero fees, claims never paid...). ``apply_dangling`` then hard-deletes rows and plants orphan keys at the
end, so that every referential-integrity break is one of the documented kinds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ibis_models.opendental.schema import raw_tables
from ibis_models.synthetic._columns import SENTINEL_DAY, Rows, child_rng, member
from ibis_models.synthetic.config import MessEntry

__all__ = ["MessLog", "apply_dangling", "foreign_keys"]


@dataclass(slots=True)
class MessLog:
    """Collects the manifest; with ``clean`` every step makes no mess (counts are then all 0)."""

    clean: bool
    entries: dict[str, MessEntry] = field(default_factory=dict)

    def add(self, name: str, count: int, table: str, column: str, parent: str = "", description: str = "") -> None:
        previous = self.entries.get(name)
        total = int(count) + (previous.count if previous else 0)
        self.entries[name] = MessEntry(total, table, column, parent, description)


def foreign_keys() -> list[tuple[str, str, str, str]]:
    """(table, column, parent table, parent column) for every documented key whose parent is in the schema."""
    tables = raw_tables()
    out = []
    for table in tables.values():
        for column in table.columns:
            match = re.search(r"FK (\w+)\.(\w+)", column.note)
            if column.transform == "id" and not column.is_primary_key and match and match.group(1) in tables:
                out.append((table.name, column.name, match.group(1), match.group(2)))
    return out


def _hard_delete(rows: dict[str, Rows], parent: str, drop: np.ndarray, log: MessLog, kind: str, why: str) -> None:
    """Remove rows of ``parent`` and record every child key left pointing at them."""
    key = raw_tables()[parent].primary_key.name
    gone = rows[parent].get(key)[drop]
    rows[parent] = rows[parent].filter(~drop)
    for table, column, target, _ in foreign_keys():
        if target != parent or table not in rows or column not in rows[table].cols:
            continue
        hits = int(member(rows[table].get(column), gone).sum())
        if hits:
            log.add(f"{kind}:{table}.{column}", hits, table, column, parent, why)


def apply_dangling(seed: int, rows: dict[str, Rows], log: MessLog, n_patients: int, deleted_apts: np.ndarray) -> None:
    """Hard deletes and orphan keys (skipped entirely when ``log.clean``)."""
    if log.clean:
        return
    rng = child_rng(seed, "mess")
    apt = rows["appointment"]
    drop_apt = member(apt.get("AptNum"), deleted_apts)
    procs = rows["procedurelog"]
    procs.cols["AptNum"] = np.where(member(procs.get("AptNum"), deleted_apts), 0, procs.get("AptNum"))
    _hard_delete(
        rows,
        "appointment",
        drop_apt,
        log,
        "deleted_appointment",
        "appointments deleted outright; history rows (action 4) and links still name them",
    )

    split_proc = rows["paysplit"].get("ProcNum")
    claimed = rows["claimproc"].get("ProcNum")
    paid_for = member(np.arange(procs.n + 1), split_proc) & ~member(np.arange(procs.n + 1), claimed)
    candidates = np.flatnonzero(paid_for[1:]) + 1  # procedures with splits and no claim line
    victims = candidates[rng.random(candidates.size) < 0.004]
    drop = member(procs.get("ProcNum"), victims)
    _hard_delete(
        rows,
        "procedurelog",
        drop,
        log,
        "deleted_procedure",
        "procedure rows removed by a conversion or manual query; payments still point at them",
    )

    for table, column, rate in (("commlog", "PatNum", 0.002), ("securitylog", "PatNum", 0.001), ("document", "ProvNum", 0.003)):
        values = rows[table].get(column).copy()
        hit = rng.random(values.size) < rate
        values[hit] = (n_patients if column == "PatNum" else 10_000) + 1_000_000 + np.arange(hit.sum())
        rows[table].cols[column] = values
        parent = "patient" if column == "PatNum" else "provider"
        log.add(
            f"orphan_key:{table}.{column}",
            int(hit.sum()),
            table,
            column,
            parent,
            "keys to rows that never existed in this database (replication gaps, old imports)",
        )

    birth = rows["patient"].get("Birthdate").copy()
    hit = rng.random(birth.size) < 0.01
    birth[hit] = SENTINEL_DAY
    rows["patient"].cols["Birthdate"] = birth
    log.add("sentinel_birthdate", int(hit.sum()), "patient", "Birthdate", description="birth date never entered: 0001-01-01")
