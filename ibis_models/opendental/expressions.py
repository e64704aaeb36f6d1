"""Column helpers shared by every OpenDental model, each tested on DuckDB and Postgres.

They wrap the few operations whose obvious Ibis spelling differs between the engines (date
arithmetic, day differences, sorted lists) and the OpenDental cleaning rules of specs/README §4
(0 and -1 markers, code labels, composite key strings). Models import from here; a helper used by
one system only belongs in that system's ``_common.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import ibis
import ibis.expr.types as ir

__all__ = [
    "zero_to_null",
    "nz",
    "nb",
    "decode",
    "completed_years",
    "days_between",
    "add_days",
    "add_months",
    "greatest",
    "least",
    "sorted_list",
    "key_string",
    "round_half_away",
    "ratio",
    "MONEY_TOLERANCE",
    "money",
    "definitions_of",
    "unattached_or_in",
]

#: Allowed difference between a total OpenDental stores and the sum of its lines (specs/README §4.8).
MONEY_TOLERANCE = Decimal("0.01")


def _as_value(value: Any) -> ir.Value:
    return value if isinstance(value, ir.Value) else ibis.literal(value)


def zero_to_null(col: ir.Value) -> ir.Value:
    """NULL when ``col`` is 0, else ``col``: an OpenDental foreign key of 0 means "none" (FAC §1.3).

    Idempotent, so it is safe on columns staging already cleaned.

    Examples
    --------
    >>> import ibis
    >>> t = ibis.memtable({"prov": [0, 7, None]})
    >>> t.select(p=zero_to_null(t.prov)).to_pandas().p.tolist()
    [nan, 7.0, nan]
    """
    return col.nullif(0)


def nz(col: ir.Value) -> ir.Value:
    """NULL when ``col`` is NULL or 0, else ``col`` (the ``nz`` of B §1; same as ``zero_to_null``).

    To replace a NULL by 0, use Ibis's own ``col.fill_null(0)`` / ``ibis.coalesce``.
    """
    return zero_to_null(col)


def nb(col: ir.Value) -> ir.Value:
    """NULL when ``col`` is OpenDental's -1 "blank" marker, else ``col`` (B §1)."""
    return col.nullif(-1)


def decode(col: ir.Value, mapping: Mapping[Any, str], else_: str | None = "Unknown") -> ir.StringValue:
    """The label of a code: ``mapping[col]``, or ``else_`` for NULL and unlisted codes (FAC §2.1).

    Examples
    --------
    >>> import ibis
    >>> t = ibis.memtable({"status": [0, 4, 9]})
    >>> t.select(d=decode(t.status, {0: "Patient", 4: "Deleted"})).to_pandas().d.tolist()
    ['Patient', 'Deleted', 'Unknown']
    """
    if not mapping:
        raise ValueError("decode() needs at least one code in mapping")
    return col.cases(*mapping.items(), else_=else_)


def completed_years(birth: ir.DateValue, as_of: dt.date | ir.DateValue) -> ir.IntegerValue:
    """Whole years completed between ``birth`` and ``as_of`` (FAC §3.5 rule 4), as int64.

    NULL when ``birth`` is NULL or after ``as_of``. Computed from year, month and day, never with a
    backend "year difference" (DuckDB counts calendar-year boundaries). A 29 February birthday is
    completed on 1 March in non-leap years.
    """
    as_of = _as_value(as_of)
    before_birthday = (as_of.month() < birth.month()) | ((as_of.month() == birth.month()) & (as_of.day() < birth.day()))
    years = as_of.year() - birth.year() - before_birthday.ifelse(1, 0)
    return ibis.ifelse(birth.isnull() | (birth > as_of), ibis.null("int64"), years.cast("int64"))


def days_between(later: ir.Value | dt.date, earlier: ir.Value | dt.date) -> ir.IntegerValue:
    """Whole calendar days from ``earlier`` to ``later`` (negative when ``later`` is earlier), int64.

    Timestamps are first truncated to their date, so both engines count calendar days the same way
    (DuckDB's day difference of timestamps counts boundaries, Postgres's rounds elapsed time).
    NULL when either side is NULL.
    """
    later, earlier = _as_value(later), _as_value(earlier)
    if later.type().is_timestamp():
        later = later.date()
    if earlier.type().is_timestamp():
        earlier = earlier.date()
    return later.delta(earlier, unit="day").cast("int64")


def add_days(date: ir.DateValue | dt.date, n: int | ir.IntegerValue) -> ir.DateValue:
    """``date`` plus ``n`` days (``n`` may be negative or a column), always a ``date``.

    Postgres returns a timestamp for date + interval, hence the cast back.
    """
    date = _as_value(date)
    interval = n.as_interval("D") if isinstance(n, ir.Value) else ibis.interval(days=int(n))
    return (date + interval).cast("date")


def add_months(date: ir.DateValue | dt.date, n: int) -> ir.DateValue:
    """``date`` plus ``n`` calendar months, clamped to the month's last day on both engines, a ``date``."""
    date = _as_value(date)
    return (date + ibis.interval(months=int(n))).cast("date")


def greatest(*values: ir.Value) -> ir.Value:
    """The largest non-NULL value, NULL only when all are NULL (explicit, not left to the engine)."""
    if len(values) < 2:
        raise ValueError("greatest() needs at least two values")
    first, *rest = values
    result = first
    for value in rest:
        result = ibis.cases((result.isnull(), value), (value.isnull(), result), (value > result, value), else_=result)
    return result


def least(*values: ir.Value) -> ir.Value:
    """The smallest non-NULL value, NULL only when all are NULL (explicit, not left to the engine)."""
    if len(values) < 2:
        raise ValueError("least() needs at least two values")
    first, *rest = values
    result = first
    for value in rest:
        result = ibis.cases((result.isnull(), value), (value.isnull(), result), (value < result, value), else_=result)
    return result


def sorted_list(table: ir.Table, by: str | Sequence[str], value: str, sep: str = ",", *, name: str | None = None) -> ir.Table:
    """One row per ``by`` group with the sorted, distinct, ``sep``-joined non-NULL ``value`` (README §4.5).

    Values are sorted on their own type before the cast to string, so numbers sort numerically
    ("9" before "10"). Groups whose values are all NULL have no row, so the list is NULL after the
    caller's left join. The result column is ``name`` (default: ``value``).

    Examples
    --------
    >>> import ibis
    >>> t = ibis.memtable({"pat": [1, 1, 1, 2], "def": [10, 9, 10, None]}, schema={"pat": "int64", "def": "int64"})
    >>> sorted_list(t, "pat", "def").to_pandas().to_dict("records")
    [{'pat': 1, 'def': '9,10'}]
    """
    keys = [by] if isinstance(by, str) else list(by)
    rows = table.select(*keys, value).filter(table[value].notnull()).distinct()
    col = rows[value]
    text = col if col.type().is_string() else col.cast("string")
    return rows.group_by(keys).aggregate(**{name or value: text.group_concat(sep, order_by=[col])})


def _key_part(part: Any) -> ir.StringValue:
    part = _as_value(part)
    kind = part.type()
    if kind.is_timestamp():
        text = part.strftime("%Y-%m-%d %H:%M:%S")
    elif kind.is_date():
        text = part.strftime("%Y-%m-%d")
    elif kind.is_string():
        text = part
    elif kind.is_boolean():
        text = part.ifelse("true", "false")
    else:
        text = part.cast("string")
    return text.fill_null("")


def key_string(*parts: Any) -> ir.StringValue:
    """A readable composite key: the parts as strings joined with ``|`` (README §4.4).

    Integers print plainly, dates as ``YYYY-MM-DD``, timestamps as ``YYYY-MM-DD HH:MM:SS``,
    booleans as ``true``/``false`` and NULL as the empty string (so ``(5, NULL)`` gives ``5|``).

    Examples
    --------
    >>> import ibis, datetime
    >>> t = ibis.memtable({"p": [5], "d": [datetime.date(2025, 1, 2)]})
    >>> t.select(k=key_string(t.p, t.d, ibis.null("int64"))).to_pandas().k.tolist()
    ['5|2025-01-02|']
    """
    if not parts:
        raise ValueError("key_string() needs at least one part")
    return ibis.literal("|").join([_key_part(p) for p in parts])


def round_half_away(value: ir.FloatingValue, places: int) -> ir.FloatingValue:
    """Round a float to ``places`` decimals, halves away from zero, identically on both engines.

    ``round()`` of a double disagrees on halves: DuckDB rounds the double (-94.375 -> -94.37), Ibis
    rounds Postgres doubles through numeric (-> -94.38). Floor arithmetic on IEEE doubles is the same.
    """
    scale = 10**places
    scaled = value.cast("float64") * scale
    return (scaled.abs() + 0.5).floor().cast("float64") * scaled.sign().cast("float64") / scale


def ratio(numerator: ir.NumericValue, denominator: ir.NumericValue, places: int = 4, *, scale: int = 1) -> ir.FloatingValue:
    """``scale * numerator / denominator`` as float64 rounded half away from zero; NULL when the
    denominator is 0 or NULL (specs/README §4.3: fractions round to 4 places, percentages to 2)."""
    value = numerator.cast("float64") * scale / denominator.cast("float64")
    return ibis.ifelse(denominator.isnull() | (denominator == 0), ibis.null("float64"), round_half_away(value, places))


def money(value: Decimal | int | str, precision: int = 18) -> ir.DecimalScalar:
    """An exact ``decimal(precision, 2)`` literal, so money comparisons never go through float."""
    return ibis.literal(Decimal(str(value)), type=f"decimal({precision},2)")


def definitions_of(definition: ir.Table, category_id: int, prefix: str) -> ir.Table:
    """Definitions of one category, one row per id: ``<prefix>_definition_id``, ``<prefix>_name``
    and ``<prefix>_item_value``. An id found in another category counts as not found (README §4.6)."""
    rows = definition.filter(definition.category_id == category_id)
    return rows.select(
        **{
            f"{prefix}_definition_id": rows.definition_id,
            f"{prefix}_name": rows.item_name,
            f"{prefix}_item_value": rows.item_value,
        }
    )


def unattached_or_in(rows: ir.Table, column: str, keys: ir.Value) -> ir.Table:
    """Rows whose ``column`` is NULL or one of ``keys`` (a column of another table).

    Written as a left join, not ``x IS NULL OR x IN (SELECT ...)``: Postgres cannot make that a
    semi-join and, once the keys outgrow work_mem, probes a subplan per row (minutes at 50k patients).
    """
    found = keys.name("_unattached_or_in_key").as_table().distinct()
    joined = rows.left_join(found, rows[column] == found._unattached_or_in_key)
    kept = joined.filter(joined[column].isnull() | joined._unattached_or_in_key.notnull())
    return kept.drop("_unattached_or_in_key")
