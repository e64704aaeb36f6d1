"""Prove portability: compare built models between two targets.

Per model: row count, column names and types, and an order-independent checksum of the content.
The checksum is computed the same way for both sides: rows are streamed as Arrow into an embedded
DuckDB, each value rendered canonically (decimals exactly, floats to 8 places, ISO dates), and the
row hashes summed, so row order and engine-specific formatting do not matter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import ibis
import pyarrow as pa
from ibis.backends import BaseBackend

from ibis_models.framework.graph import ModelGraph
from ibis_models.framework.target import Target

__all__ = ["ModelComparison", "compare_targets", "content_checksum"]


@dataclass(frozen=True, slots=True)
class ModelComparison:
    model: str
    rows_a: int | None
    rows_b: int | None
    differences: tuple[str, ...]

    @property
    def is_same(self) -> bool:
        return not self.differences


def _canonical(name: str, dtype: ibis.DataType) -> str:
    col = '"' + name.replace('"', '""') + '"'
    if dtype.is_decimal():
        text = f"CAST(CAST({col} AS DECIMAL(38, 6)) AS VARCHAR)"
    elif dtype.is_floating():
        text = f"printf('%.8f', round({col}, 8) + 0.0)"
    elif dtype.is_timestamp():
        text = f"strftime({col}, '%Y-%m-%dT%H:%M:%S.%f')"
    elif dtype.is_date():
        text = f"strftime({col}, '%Y-%m-%d')"
    else:
        text = f"CAST({col} AS VARCHAR)"
    return f"coalesce({text}, '\\N')"


def _normalized(reader: pa.RecordBatchReader) -> pa.RecordBatchReader:
    """Drivers disagree on time units (Postgres gives time64[ns], DuckDB time64[us]): use microseconds."""
    fields = []
    for field in reader.schema:
        if pa.types.is_time(field.type):
            field = field.with_type(pa.time64("us"))
        elif pa.types.is_timestamp(field.type):
            field = field.with_type(pa.timestamp("us", tz=field.type.tz))
        fields.append(field)
    schema = pa.schema(fields)
    if schema.equals(reader.schema):
        return reader
    return pa.RecordBatchReader.from_batches(schema, (batch.cast(schema) for batch in reader))


def content_checksum(con: BaseBackend, table: ibis.Table) -> str:
    """Order-independent checksum of a table's content, identical across engines for equal data."""
    schema = table.schema()
    reader = _normalized(con.to_pyarrow_batches(table))
    local = duckdb.connect()
    try:
        local.register("rows_in", reader)
        row_text = " || chr(31) || ".join(_canonical(n, t) for n, t in schema.items()) or "''"
        total, xor = local.execute(
            f"SELECT CAST(coalesce(sum(CAST(hash({row_text}) AS HUGEINT)), 0) AS VARCHAR), "
            f"CAST(coalesce(bit_xor(hash({row_text})), 0) AS VARCHAR) FROM rows_in"
        ).fetchone()
    finally:
        local.close()
    return f"{total}:{xor}"


def compare_targets(
    graph: ModelGraph,
    names: Sequence[str],
    target_a: Target,
    con_a: BaseBackend,
    target_b: Target,
    con_b: BaseBackend,
) -> list[ModelComparison]:
    out = []
    for name in names:
        schema = graph.models[name].schema_name
        has_a = name in target_a.list_tables(con_a, schema)
        has_b = name in target_b.list_tables(con_b, schema)
        if not (has_a and has_b):
            where = " and ".join(t for t, has in (("--target", has_a), ("--against", has_b)) if not has)
            out.append(ModelComparison(name, None, None, (f"not built in {where}",)))
            continue
        a, b = target_a.table(con_a, schema, name), target_b.table(con_b, schema, name)
        rows_a, rows_b = int(con_a.execute(a.count())), int(con_b.execute(b.count()))
        diffs = []
        if rows_a != rows_b:
            diffs.append(f"rows {rows_a} vs {rows_b}")
        sa, sb = a.schema(), b.schema()
        if list(sa.names) != list(sb.names):
            diffs.append(f"columns differ: {sorted(set(sa.names) ^ set(sb.names)) or 'order'}")
        else:
            types = [f"{c}: {sa[c]} vs {sb[c]}" for c in sa.names if sa[c].copy(nullable=True) != sb[c].copy(nullable=True)]
            if types:
                diffs.append("types differ: " + "; ".join(types))
            elif content_checksum(con_a, a) != content_checksum(con_b, b):
                diffs.append("content differs (checksum)")
        out.append(ModelComparison(name, rows_a, rows_b, tuple(diffs)))
    return out
