"""Prove portability: compare built models between two targets.

Per model: row count, column names and types, and an order-independent checksum of the content.
The checksum is computed the same way for both sides: each database writes the table with its own
COPY to CSV, an embedded DuckDB reads both files with the same declared types, renders each value
canonically (decimals exactly, floats to 8 places, ISO dates) and sums the row hashes, so row order
and engine-specific formatting do not matter.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import ibis
from ibis.backends import BaseBackend
from ibis.backends.sql.datatypes import DuckDBType

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


def content_checksum(target: Target, con: BaseBackend, table: ibis.Table) -> str:
    """Order-independent checksum of a table's content, identical across engines for equal data."""
    schema = table.schema()
    columns = {name: DuckDBType.to_string(dtype) for name, dtype in schema.items()}
    row_text = " || chr(31) || ".join(_canonical(n, t) for n, t in schema.items()) or "''"
    with tempfile.TemporaryDirectory(prefix="ibis-models-compare-") as folder:
        path = str(Path(folder) / "rows.csv")
        target.export_csv(con, table, path)
        local = duckdb.connect()
        try:
            rows = (
                f"read_csv('{path}', columns={columns!r}, header=false, auto_detect=false, "
                "allow_quoted_nulls=false, quote='\"', escape='\"', nullstr='')"
            )
            total, xor = local.execute(
                f"SELECT CAST(coalesce(sum(CAST(hash({row_text}) AS HUGEINT)), 0) AS VARCHAR), "
                f"CAST(coalesce(bit_xor(hash({row_text})), 0) AS VARCHAR) FROM {rows}"
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
            elif content_checksum(target_a, con_a, a) != content_checksum(target_b, con_b, b):
                diffs.append("content differs (checksum)")
        out.append(ModelComparison(name, rows_a, rows_b, tuple(diffs)))
    return out
