"""Staging models: one ``stg_opendental__<table>`` per raw OpenDental table, generated from the schema.

Each model is a faithful, typed copy of its raw table (specs README §5, conventions §17): columns are
renamed and cast as the column table says, with no row filters and no business logic. Rules by
transform: ``id`` -> int64, 0 -> NULL for foreign keys; ``bool`` -> ``raw = 1`` (never NULL);
``date_clean`` -> 0001-01-01 and 1900-01-01 (the date part of a timestamp) -> NULL; money -> decimal(10,2);
strings trimmed, '' -> NULL; -1 -> NULL where the note calls it blank; ``time`` 00:00:00 -> NULL where the
note says "not set"; timestamps noted "not recorded = ... at 00:00:00" -> NULL at midnight.
statement.DateRangeTo >= 2200-01-01 (open-ended) is kept: the note defines it, it does not null it.

Sensitive columns (conventions §6), decided by rule on the column table:
- dropped: columns whose note says "sensitive" or "never load" (patient.SSN, provider.SSN,
  inssub.SubscriberID, userod.Password, userod.MobileWebPin, userod.EClipboardClinicalPin). A hash
  would not protect them: SSNs and PINs are few enough to enumerate.
- hashed: blob columns (text/mediumtext) named ``*Signature*``, ``*Base64*`` or ``Thumbnail`` keep their
  staging name but hold md5 of the trimmed value, so presence tests still work
  (``int_procedure_complete.is_note_signed``, ``int_insurance_eob_attachments.has_embedded_file``).

Staging models carry no ``as_of_date``: README §4.2 asks it of intermediate models, and a staging
table is a copy of raw data that does not depend on the build date.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from ibis_models.framework.context import BuildContext
from ibis_models.framework.model import model
from ibis_models.opendental.schema import RawColumn, RawTable, raw_tables, source_for

__all__ = ["staging_models"]

# C#'s DateTime.MinValue and the 1900 default of converted data (conventions §3). MySQL zero dates
# (0000-00-00) cannot reach a date type in DuckDB or Postgres: the loader must deliver them as NULL.
_SENTINEL_DATES = (datetime.date(1, 1, 1), datetime.date(1900, 1, 1))
_MIDNIGHT = datetime.time(0, 0, 0)
# Money goes through an exact decimal before rounding: DuckDB rounds the double (1.005 -> 1.00) where
# Postgres rounds its decimal text (1.01); cast-then-round gives 1.01 on both.
_MONEY_WORK_TYPE = dt.Decimal(18, 4)
_SECRET_NOTE = re.compile(r"sensitive|never load")
_CONTENT_NAME = re.compile(r"Signature|Base64|Thumbnail")
_BLOB_RAW_TYPES = ("text", "mediumtext", "longtext")


@ibis.udf.scalar.builtin(name="md5")
def _md5(value: str) -> str:
    """md5 hex digest; a builtin of both DuckDB and Postgres (Ibis has no portable HexDigest)."""


def _is_secret(col: RawColumn) -> bool:
    return bool(_SECRET_NOTE.search(col.note))


def _is_content(col: RawColumn) -> bool:
    return col.raw_type.lower() in _BLOB_RAW_TYPES and bool(_CONTENT_NAME.search(col.name))


def _clean_string(value: ir.StringValue) -> ir.StringValue:
    return value.strip().nullif("")


def _clean_date(value: ir.Value, *, midnight_is_null: bool) -> ir.Value:
    day = value.date() if value.type().is_timestamp() else value
    is_blank = day.isin(_SENTINEL_DATES)
    if midnight_is_null:
        is_blank = is_blank | (value.time() == ibis.time(_MIDNIGHT))
    return ibis.ifelse(is_blank, ibis.null(value.type()), value)


def _generic_value(col: RawColumn, value: ir.Value) -> ir.Value:
    """The staging value of one raw column under the column table's transform and note."""
    target = col.staging_dtype
    if col.minus_one_is_null:
        value = value.nullif(-1)
    if col.transform == "id":
        value = value.cast(dt.int64)
        return value.nullif(0) if col.zero_is_null else value
    if col.transform == "bool":
        # tinyint 0/1, never NULL in MySQL; a replicated NULL reads as false (conventions §4).
        return (value == 1).fill_null(False)
    if col.transform == "date_clean":
        return _clean_date(value, midnight_is_null="at 00:00:00" in col.note)
    if target.is_decimal():
        return value.cast(_MONEY_WORK_TYPE).round(target.scale).cast(target)
    if target.is_string():
        value = _clean_string(value.cast(dt.string))
        return _md5(value) if _is_content(col) else value
    value = value.cast(target)
    if target.is_time() and "not set" in col.note:
        value = value.nullif(ibis.time(_MIDNIGHT))
    return value


@dataclass(frozen=True, slots=True)
class _StagingColumn:
    name: str
    type_text: str
    description: str
    value: Callable[[ir.Table], ir.Value]


def _has_insurance_flag(raw: ir.Table) -> ir.Value:
    # HasIns holds the letter 'I' (or '' for none), not 0/1 (README §5; FAC §0.19 item 4).
    return raw.HasIns.strip().upper().isin(("I", "1")).fill_null(False)


def _is_income_transfer(raw: ir.Table) -> ir.Value:
    # Read before PayType 0 becomes a NULL payment_type_id, so the transfer marker survives (README §5).
    return (raw.PayType == 0).fill_null(False)


# Per-column rules that replace the generic transform: (table, raw column) -> value.
_OVERRIDES: dict[tuple[str, str], Callable[[ir.Table], ir.Value]] = {
    ("patient", "HasIns"): _has_insurance_flag,
}
# Columns the specs need beyond the column table (README §5): table -> (name, type, description, value).
_EXTRAS: dict[str, tuple[tuple[str, str, str, Callable[[ir.Table], ir.Value]], ...]] = {
    "payment": (
        (
            "is_income_transfer",
            "boolean",
            "raw PayType = 0: an income transfer between providers or procedures, not money received",
            _is_income_transfer,
        ),
    ),
}


def _description(col: RawColumn) -> str:
    text = f"raw {col.name}"
    if col.note:
        text += f"; {col.note}"
    if _is_content(col):
        text += "; md5 of the trimmed value (content not copied, conventions §6)"
    return text


def _column_value(col: RawColumn) -> Callable[[ir.Table], ir.Value]:
    override = _OVERRIDES.get((col.table, col.name))
    target = col.staging_dtype

    def value(raw: ir.Table) -> ir.Value:
        expr = override(raw) if override else _generic_value(col, raw[col.name])
        return expr if expr.type() == target else expr.cast(target)

    return value


def _staging_columns(table: RawTable) -> tuple[_StagingColumn, ...]:
    columns = [
        _StagingColumn(col.staging_column, col.staging_type, _description(col), _column_value(col))
        for col in table.columns
        if not _is_secret(col)
    ]
    columns += [_StagingColumn(*extra) for extra in _EXTRAS.get(table.name, ())]
    return tuple(columns)


def _docstring(table: RawTable) -> str:
    lines = [
        f"Staging copy of raw OpenDental ``{table.name}``: one row per raw row, renamed and typed.",
        "",
        "Sentinel dates, 0 foreign keys, -1 blanks and empty strings become NULL as the column table",
        "says (specs README §5, conventions §17). No row filters, no as_of_date (staging is a copy).",
    ]
    dropped = [c.name for c in table.columns if _is_secret(c)]
    hashed = [c.name for c in table.columns if _is_content(c)]
    if dropped:
        lines.append(f"Sensitive columns not loaded (conventions §6): {', '.join(dropped)}.")
    if hashed:
        lines.append(f"Content columns hashed with md5 (conventions §6): {', '.join(hashed)}.")
    for name, *_ in _EXTRAS.get(table.name, ()):
        lines.append(f"Adds ``{name}`` (specs README §5).")
    return "\n".join(lines)


def _staging_model(table: RawTable) -> Callable[..., Any]:
    columns = _staging_columns(table)

    def stg(raw: ir.Table, ctx: BuildContext) -> ir.Table:
        return raw.select(**{column.name: column.value(raw) for column in columns})

    stg.__name__ = stg.__qualname__ = table.staging_model
    stg.__doc__ = _docstring(table)
    return model(
        system="staging",
        grain=f"one row per {table.name} row",
        key=[table.primary_key.staging_column],
        columns={column.name: (column.type_text, column.description) for column in columns},
        sources={"raw": source_for(table)},
    )(stg)


@cache
def _all_staging_models() -> tuple[Callable[..., Any], ...]:
    return tuple(_staging_model(table) for table in raw_tables().values())


def staging_models() -> list[Callable[..., Any]]:
    """One decorated staging model per raw table of the schema, in schema order.

    Examples
    --------
    >>> [f.__name__ for f in staging_models()][:2]
    ['stg_opendental__patient', 'stg_opendental__patientlink']
    """
    return list(_all_staging_models())
