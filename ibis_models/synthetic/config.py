"""What a generator run is asked for (``GeneratorConfig``) and what it returns (``GeneratedData``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

import pyarrow as pa

__all__ = ["GeneratorConfig", "GeneratedData", "MessEntry", "Progress"]

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class GeneratorConfig:
    """Parameters of one synthetic OpenDental database.

    Parameters
    ----------
    patients
        Rows of the ``patient`` table (everyone ever entered; about half are active patients).
    seed
        Seed of every random stream; the same config always yields byte-identical tables.
    end_date
        The day the database snapshot was taken; nothing is dated later except booked future work.
    years
        Years of transaction history before ``end_date``.
    clean
        Leave out every kind of deliberate mess (see ``docs/synthetic-data.md``).
    """

    patients: int = 5_000
    seed: int = 42
    end_date: date = date(2025, 6, 30)
    years: int = 3
    clean: bool = False

    def __post_init__(self) -> None:
        if self.patients < 50:
            raise ValueError(f"patients must be at least 50 (got {self.patients}): families and staff need room")
        if not 1 <= self.years <= 20:
            raise ValueError(f"years must be between 1 and 20 (got {self.years})")


@dataclass(frozen=True, slots=True)
class MessEntry:
    """One kind of deliberate mess: how many rows it touches and where.

    ``table``/``column`` name the column that holds the broken value. When ``parent`` is set, every
    counted row's ``column`` is a non-zero key with no row in ``parent`` (a referential-integrity break).
    """

    count: int
    table: str
    column: str
    parent: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class GeneratedData:
    """Every raw table (schema order) and the manifest of deliberate mess."""

    config: GeneratorConfig
    tables: Mapping[str, pa.Table]
    manifest: Mapping[str, MessEntry] = field(default_factory=dict)

    def row_counts(self) -> dict[str, int]:
        return {name: table.num_rows for name, table in self.tables.items()}
