"""Column-level building blocks: OpenDental's empty values, date arithmetic and Arrow conversion.

Dates travel through the generator as ``int64`` days since 1970-01-01, datetimes as ``int64`` seconds
and times of day as seconds after midnight; ``ArrowBuilder`` turns them into Arrow ``date32``,
``timestamp[us]`` and ``time64[us]`` so that OpenDental's 0001-01-01 sentinel survives (conventions §3).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ibis_models.opendental.schema import raw_tables

__all__ = [
    "SENTINEL_DAY",
    "SENTINEL_SEC",
    "Rows",
    "arrow_type",
    "day_number",
    "child_rng",
    "pick",
    "take",
    "blank_where",
    "join",
    "num_str",
    "money",
    "weekday",
    "group_index",
    "unique",
    "unique_inverse",
    "member",
    "ArrowBuilder",
]

SENTINEL_DAY = (date(1, 1, 1) - date(1970, 1, 1)).days  # OpenDental's "no date", conventions §3
SENTINEL_SEC = SENTINEL_DAY * 86_400
_US = 1_000_000


def day_number(value: date) -> int:
    """Days since 1970-01-01 of a date."""
    return (value - date(1970, 1, 1)).days


def child_rng(seed: int, name: str) -> np.random.Generator:
    """An independent, reproducible stream per generator step (crc32, never Python's salted hash)."""
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


def _base_type(raw_type: str) -> str:
    return raw_type.lower().split("(")[0].replace(" unsigned", "").strip()


def arrow_type(raw_type: str) -> pa.DataType:
    """The Arrow type a MySQL column type is generated as."""
    base = _base_type(raw_type)
    return {
        "bigint": pa.int64(),
        "int": pa.int32(),
        "mediumint": pa.int32(),
        "smallint": pa.int16(),
        "tinyint": pa.int16(),
        "double": pa.float64(),
        "decimal": pa.float64(),
        "float": pa.float32(),
        "date": pa.date32(),
        "datetime": pa.timestamp("us"),
        "timestamp": pa.timestamp("us"),
        "time": pa.time64("us"),
    }.get(base, pa.string())


@dataclass(slots=True)
class Rows:
    """A table under construction: its row count and the columns set so far (others get defaults)."""

    n: int
    cols: dict[str, object] = field(default_factory=dict)

    def filter(self, keep: np.ndarray) -> Rows:
        """The rows where ``keep`` is true."""
        mask = pa.array(keep)
        out: dict[str, object] = {}
        for name, value in self.cols.items():
            if isinstance(value, np.ndarray):
                out[name] = value[keep]
            elif isinstance(value, (pa.Array, pa.ChunkedArray)):
                out[name] = value.filter(mask)
            else:
                out[name] = value
        return Rows(int(keep.sum()), out)

    def take(self, idx: np.ndarray) -> Rows:
        """The rows at positions ``idx`` (repeats allowed)."""
        out: dict[str, object] = {}
        for name, value in self.cols.items():
            if isinstance(value, np.ndarray):
                out[name] = value[idx]
            elif isinstance(value, (pa.Array, pa.ChunkedArray)):
                out[name] = value.take(pa.array(np.asarray(idx, dtype=np.int64)))
            else:
                out[name] = value
        return Rows(int(np.asarray(idx).size), out)

    def get(self, name: str) -> np.ndarray:
        value = self.cols[name]
        if isinstance(value, np.ndarray):
            return value
        if isinstance(value, (pa.Array, pa.ChunkedArray)):
            return value.to_numpy(zero_copy_only=False)
        return np.full(self.n, value)


def pick(rng: np.random.Generator, choices: Sequence[str], n: int, p: Sequence[float] | None = None) -> pa.Array:
    """``n`` strings drawn from ``choices`` (optionally weighted), built without a Python loop."""
    weights = None if p is None else np.asarray(p, dtype=float) / np.sum(p)
    idx = rng.choice(len(choices), size=n, p=weights)
    return pc.take(pa.array(list(choices), pa.string()), pa.array(idx))


def take(choices: Sequence[str], idx: np.ndarray) -> pa.Array:
    """Strings of ``choices`` at positions ``idx``."""
    return pc.take(pa.array(list(choices), pa.string()), pa.array(np.asarray(idx, dtype=np.int64)))


def blank_where(values: pa.Array, blank: np.ndarray) -> pa.Array:
    """``values`` with '' where ``blank`` is true."""
    return pc.if_else(pa.array(np.asarray(blank, dtype=bool)), pa.scalar("", pa.string()), values)


def num_str(values: np.ndarray, width: int = 0) -> pa.Array:
    """Integers as decimal strings, zero-padded to ``width``."""
    out = pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())
    return pc.utf8_lpad(out, width=width, padding="0") if width else out


def join(*parts: object) -> pa.Array:
    """Concatenate string arrays and scalars element-wise (vectorised string formatting)."""
    pieces = [p if isinstance(p, (pa.Array, pa.ChunkedArray)) else pa.scalar(str(p)) for p in parts]
    return pc.binary_join_element_wise(*pieces, "")


def weekday(days: np.ndarray) -> np.ndarray:
    """Move Saturdays back to Friday and Sundays on to Monday."""
    dow = (np.asarray(days) + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    return days - (dow == 5) + (dow == 6)


def money(values: np.ndarray) -> np.ndarray:
    """Amounts rounded to cents, as OpenDental writes them (conventions §5)."""
    return np.round(np.asarray(values, dtype=np.float64), 2) + 0.0


def group_index(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ``counts`` per parent: the parent of each child row and the child's position in its parent."""
    counts = np.asarray(counts, dtype=np.int64)
    parent = np.repeat(np.arange(counts.size), counts)
    starts = np.cumsum(counts) - counts
    position = np.arange(parent.size) - starts[parent]
    return parent, position


def unique(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (sort-based: numpy 2's hash ``np.unique`` is far slower on millions of ints)."""
    ordered = np.sort(np.asarray(values))
    if ordered.size == 0:
        return ordered
    first = np.empty(ordered.size, bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def unique_inverse(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)`` by one argsort."""
    values = np.asarray(values)
    order = np.argsort(values)
    ordered = values[order]
    first = np.empty(ordered.size, bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    inverse = np.empty(ordered.size, np.int64)
    inverse[order] = np.cumsum(first) - 1
    return ordered[first], inverse


def member(values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """``np.isin`` for non-negative integer keys, by a lookup table (linear, no sort)."""
    values, keys = np.asarray(values), np.asarray(keys)
    top = int(max(values.max(initial=0), keys.max(initial=0))) + 1
    table = np.zeros(top, bool)
    table[keys] = True
    return table[np.maximum(values, 0)] & (values >= 0)


def _empty(kind: pa.DataType) -> object:
    """OpenDental's empty value of a column type, in the generator's units (conventions §3)."""
    if pa.types.is_string(kind):
        return ""
    if pa.types.is_date(kind):
        return SENTINEL_DAY
    if pa.types.is_timestamp(kind):
        return SENTINEL_SEC
    return 0


class ArrowBuilder:
    """Turns ``Rows`` into Arrow tables. Constant columns (defaults and scalars) are zero-copy slices of one
    shared array per (type, value), so the many always-empty OpenDental columns cost no memory or time."""

    def __init__(self) -> None:
        self._constants: dict[tuple[pa.DataType, object], pa.Array] = {}

    def constant(self, kind: pa.DataType, value: object, n: int) -> pa.Array:
        if pa.types.is_string(kind):
            value = str(value)
        elif pa.types.is_date(kind):
            value = int(value)
        elif pa.types.is_timestamp(kind) or pa.types.is_time(kind):
            value = int(value) * _US
        else:
            value = kind.to_pandas_dtype()(value).item()
        key = (kind, value)
        arr = self._constants.get(key)
        if arr is None or len(arr) < n:
            if pa.types.is_string(kind):
                arr = pa.repeat(pa.scalar(value, pa.string()), n)
            else:
                storage = (
                    np.int32 if pa.types.is_date(kind) else (np.int64 if pa.types.is_temporal(kind) else kind.to_pandas_dtype())
                )
                arr = pa.array(np.zeros(n, storage) if value == 0 else np.full(n, value, dtype=storage), kind)
            self._constants[key] = arr
        return arr.slice(0, n)

    def column(self, kind: pa.DataType, value: object, n: int) -> pa.Array:
        if isinstance(value, pa.ChunkedArray):
            value = value.combine_chunks()
        if isinstance(value, pa.Array):
            if pa.types.is_string(kind) and pa.types.is_dictionary(value.type):
                value = value.dictionary_decode()
            return value if value.type.equals(kind) else value.cast(kind)
        arr = np.asarray(value)
        if arr.ndim == 0:
            return self.constant(kind, arr.item(), n)
        if pa.types.is_date(kind):
            return pa.array(arr.astype(np.int32, copy=False), kind)
        if pa.types.is_temporal(kind):
            return pa.array(arr.astype(np.int64, copy=False) * _US, kind)
        if pa.types.is_string(kind):
            return pa.array(arr if arr.dtype.kind == "U" else arr.astype(str), pa.string())
        return pa.array(arr.astype(kind.to_pandas_dtype(), copy=False), kind)

    def table(self, name: str, rows: Rows) -> pa.Table:
        """Every column of raw table ``name`` in schema order; columns not set get OpenDental's empty value.

        Change timestamps (DateTStamp, SecDateTEdit...) that were not set raise: each table must say when
        its rows were last edited (conventions §3).
        """
        table = raw_tables()[name]
        unknown = set(rows.cols) - {c.name for c in table.columns}
        if unknown:
            raise ValueError(f"table {name!r} has no columns {sorted(unknown)}; see ibis_models/opendental/schema.py")
        arrays, fields = [], []
        for column in table.columns:
            kind = arrow_type(column.raw_type)
            if column.name in rows.cols:
                arr = self.column(kind, rows.cols[column.name], rows.n)
            elif column.is_change_timestamp:
                raise ValueError(f"{name}.{column.name} is a last-edit timestamp and must be set by the generator")
            else:
                arr = self.constant(kind, _empty(kind), rows.n)
            if len(arr) != rows.n:
                raise ValueError(f"{name}.{column.name} has {len(arr)} values for {rows.n} rows")
            arrays.append(arr)
            fields.append(pa.field(column.name, arr.type, nullable=column.nullable))
        return pa.Table.from_arrays(arrays, schema=pa.schema(fields))
