"""The OpenDental raw schema, read from the package's own copy of the column table.

``data/raw_columns.csv`` is OpenDental 24.3 as documented for this project (every raw column, its
MySQL type, staging name, staging type and transform); ``data/extra_columns.csv`` adds the tables the
specs need beyond it. This module is the single source of truth for the generator, source validation
and the staging layer.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import ibis
import ibis.expr.datatypes as dt

from ibis_models.framework.model import Source, SourceColumn, parse_dtype

__all__ = ["RawColumn", "RawTable", "raw_tables", "raw_table", "source_for", "portable_raw_type"]

_DATA_FILES = ("raw_columns.csv", "extra_columns.csv")
# Columns renamed in OpenDental releases after 24.3 (conventions §1): the newer name is accepted too.
_RENAMED_LATER = {("task", "TriageCategory"): ("Category",), ("taskhist", "TriageCategory"): ("Category",)}


def portable_raw_type(raw_type: str) -> dt.DataType:
    """The portable Ibis type a MySQL column type is read as (keys and codes widen to int64)."""
    base = raw_type.lower().split("(")[0].replace(" unsigned", "").strip()
    if base in {"bigint", "int", "smallint", "tinyint", "mediumint"}:
        return dt.int64
    if base in {"double", "float"}:
        return dt.float64
    if base == "decimal":
        return dt.float64
    if base in {"date"}:
        return dt.date
    if base in {"datetime", "timestamp"}:
        return dt.timestamp
    if base == "time":
        return dt.time
    return dt.string


@dataclass(frozen=True, slots=True)
class RawColumn:
    """One raw column and how staging treats it."""

    table: str
    name: str
    raw_type: str
    nullable: bool
    staging_column: str
    staging_type: str
    transform: str
    note: str

    @property
    def dtype(self) -> dt.DataType:
        """The portable type of the raw column."""
        return portable_raw_type(self.raw_type)

    @property
    def staging_dtype(self) -> dt.DataType:
        return parse_dtype(self.staging_type)

    @property
    def is_optional(self) -> bool:
        """Added after OpenDental 24.3: absent in older databases, read as NULL there."""
        return "absent in older databases" in self.note

    @property
    def aliases(self) -> tuple[str, ...]:
        return _RENAMED_LATER.get((self.table, self.name), ())

    @property
    def is_change_timestamp(self) -> bool:
        """A last-modified time maintained on every insert and update (conventions §3)."""
        return "last-modified time maintained by MySQL" in self.note or (
            self.table == "claimtracking" and self.name == "DateTimeEntry"
        )

    @property
    def is_primary_key(self) -> bool:
        # A note may carry a prefix ("not in reference staging; primary key", securitylog).
        return bool(re.search(r"(^|; )primary key", self.note))

    @property
    def zero_is_null(self) -> bool:
        """A foreign key: 0 means "no related row" and becomes NULL in staging.

        Every ``id`` column but the primary key (conventions §2, specs README §4.5). Matching the
        note's wording missed keys whose note is prefixed or phrased "0 -> NULL" (patient.DiscountPlanNum,
        task.KeyNum, userodpref.Fkey, securitylog.DefNum) and the polymorphic keys, where 0 is no row too.
        """
        return self.transform == "id" and not self.is_primary_key

    @property
    def minus_one_is_null(self) -> bool:
        """-1 is OpenDental's "blank" marker here (conventions §5)."""
        return "-1 means blank" in self.note or "-1 = use treating provider" in self.note


@dataclass(frozen=True, slots=True)
class RawTable:
    name: str
    columns: tuple[RawColumn, ...]

    @property
    def staging_model(self) -> str:
        return f"stg_opendental__{self.name}"

    @property
    def primary_key(self) -> RawColumn:
        keys = [c for c in self.columns if c.is_primary_key]
        return keys[0] if keys else self.columns[0]

    def column(self, name: str) -> RawColumn:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name}.{name}")

    def schema(self) -> ibis.Schema:
        return ibis.schema({c.name: c.dtype for c in self.columns})


@cache
def raw_tables() -> dict[str, RawTable]:
    """Every raw table of the schema, by OpenDental table name, in file order."""
    grouped: dict[str, list[RawColumn]] = {}
    for file_name in _DATA_FILES:
        text = resources.files("ibis_models.opendental").joinpath("data", file_name).read_text()
        for row in csv.DictReader(text.splitlines()):
            column = RawColumn(
                table=row["table"],
                name=row["column"],
                raw_type=row["raw_type"],
                nullable=row["nullable"] == "YES",
                staging_column=row["staging_column"],
                staging_type=row["staging_type"],
                transform=row["transform"],
                note=row["note"],
            )
            grouped.setdefault(column.table, []).append(column)
    return {name: RawTable(name, tuple(cols)) for name, cols in grouped.items()}


def raw_table(name: str) -> RawTable:
    return raw_tables()[name]


def source_for(table: RawTable) -> Source:
    """The framework ``Source`` for a raw table: its columns, versions and change timestamps."""
    return Source(
        table=table.name,
        columns=tuple(SourceColumn(c.name, c.dtype, required=not c.is_optional, aliases=c.aliases) for c in table.columns),
        change_columns=tuple(c.name for c in table.columns if c.is_change_timestamp),
    )
