"""The shared column helpers give the same values on DuckDB and Postgres."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import ibis
import pytest
from ibis.backends import BaseBackend

from ibis_models.framework.target import Target
from ibis_models.opendental.expressions import (
    add_days,
    add_months,
    completed_years,
    days_between,
    decode,
    greatest,
    key_string,
    least,
    nb,
    nz,
    ratio,
    round_half_away,
    sorted_list,
    unattached_or_in,
    zero_to_null,
)

D = dt.date


@pytest.fixture
def con(target_url: str) -> Iterator[BaseBackend]:
    backend = Target.from_url(target_url).connect()
    yield backend
    backend.disconnect()


def _values(con: BaseBackend, expr) -> list:
    return con.to_pyarrow(expr).column("v").to_pylist()


def test_zero_to_null_nz_and_nb_clear_opendental_markers(con):
    t = ibis.memtable({"i": ["zero", "minus_one", "value", "null"], "x": [0, -1, 7, None]}, schema={"i": "string", "x": "int64"})
    out = con.execute(t.select("i", z=zero_to_null(t.x), n=nz(t.x), b=nb(t.x)).order_by("i"))
    rows = {r["i"]: r for r in out.to_dict("records")}
    assert rows["zero"]["z"] != rows["zero"]["z"] and rows["zero"]["n"] != rows["zero"]["n"]  # NaN: NULL
    assert rows["minus_one"]["z"] == -1 and rows["minus_one"]["b"] != rows["minus_one"]["b"]
    assert rows["value"]["z"] == 7 and rows["value"]["b"] == 7
    assert rows["zero"]["b"] == 0


def test_decode_maps_codes_and_sends_null_and_unlisted_to_else(con):
    t = ibis.memtable({"k": [1, 2, 3, 4], "code": [0, 5, 9, None]}, schema={"k": "int64", "code": "int64"})
    expr = t.select("k", v=decode(t.code, {0: "Patient", 5: "Deceased"})).order_by("k")
    assert _values(con, expr) == ["Patient", "Deceased", "Unknown", "Unknown"]
    letters = ibis.memtable({"k": [1, 2], "code": ["P", "x"]})
    expr = letters.select("k", v=decode(letters.code, {"P": "Part-time"}, else_=None)).order_by("k")
    assert _values(con, expr) == ["Part-time", None]


@pytest.mark.parametrize(
    ("birth", "as_of", "age"),
    [
        pytest.param(D(2000, 6, 30), D(2025, 6, 30), 25, id="birthday_today"),
        pytest.param(D(2000, 7, 1), D(2025, 6, 30), 24, id="birthday_tomorrow"),
        pytest.param(D(2000, 6, 29), D(2025, 6, 30), 25, id="birthday_yesterday"),
        pytest.param(D(1999, 12, 31), D(2025, 1, 1), 25, id="new_year_not_a_birthday"),
        pytest.param(D(2000, 2, 29), D(2025, 2, 28), 24, id="leap_day_before_march"),
        pytest.param(D(2000, 2, 29), D(2025, 3, 1), 25, id="leap_day_after_march"),
        pytest.param(D(2025, 7, 1), D(2025, 6, 30), None, id="born_after_as_of"),
        pytest.param(None, D(2025, 6, 30), None, id="no_birth_date"),
    ],
)
def test_completed_years_counts_whole_years(con, birth, as_of, age):
    t = ibis.memtable({"b": [birth]}, schema={"b": "date"})
    assert _values(con, t.select(v=completed_years(t.b, as_of))) == [age]
    # the same with as_of as a column
    t2 = ibis.memtable({"b": [birth], "a": [as_of]}, schema={"b": "date", "a": "date"})
    assert _values(con, t2.select(v=completed_years(t2.b, t2.a))) == [age]


def test_completed_years_is_int64(con):
    t = ibis.memtable({"b": [D(2000, 1, 1)]}, schema={"b": "date"})
    assert completed_years(t.b, D(2025, 1, 1)).type().is_int64()


def test_days_between_counts_calendar_days_on_dates_and_timestamps(con):
    t = ibis.memtable(
        {
            "k": [1, 2, 3, 4],
            "a": [D(2024, 3, 1), D(2024, 1, 1), D(2025, 1, 1), None],
            "b": [D(2024, 2, 1), D(2024, 1, 31), D(2024, 1, 1), D(2024, 1, 1)],
        },
        schema={"k": "int64", "a": "date", "b": "date"},
    )
    expr = t.select("k", v=days_between(t.a, t.b)).order_by("k")
    assert days_between(t.a, t.b).type().is_int64()
    assert _values(con, expr) == [29, -30, 366, None]
    ts = ibis.memtable(
        {
            "k": [1, 2],
            "a": [dt.datetime(2024, 1, 2, 0, 30), dt.datetime(2024, 1, 2, 23, 0)],
            "b": [dt.datetime(2024, 1, 1, 23, 0), dt.datetime(2024, 1, 2, 1, 0)],
        },
        schema={"k": "int64", "a": "timestamp", "b": "timestamp"},
    )
    assert _values(con, ts.select("k", v=days_between(ts.a, ts.b)).order_by("k")) == [1, 0]
    # a Python date on either side
    assert _values(con, t.select("k", v=days_between(D(2024, 3, 2), t.b)).order_by("k")) == [30, 31, 61, 61]


def test_add_days_and_add_months_return_dates(con):
    t = ibis.memtable(
        {"k": [1, 2, 3], "d": [D(2024, 2, 28), D(2024, 1, 31), None], "n": [2, -31, 1]},
        schema={"k": "int64", "d": "date", "n": "int64"},
    )
    assert add_days(t.d, 1).type().is_date() and add_months(t.d, 1).type().is_date()
    assert _values(con, t.select("k", v=add_days(t.d, 2)).order_by("k")) == [D(2024, 3, 1), D(2024, 2, 2), None]
    assert _values(con, t.select("k", v=add_days(t.d, t.n)).order_by("k")) == [D(2024, 3, 1), D(2023, 12, 31), None]
    assert _values(con, t.select("k", v=add_months(t.d, 1)).order_by("k")) == [D(2024, 3, 28), D(2024, 2, 29), None]
    arrow = con.to_pyarrow(t.select(v=add_days(t.d, 2), w=add_months(t.d, 1)))
    assert str(arrow.schema.field("v").type) == "date32[day]" and str(arrow.schema.field("w").type) == "date32[day]"


def test_greatest_and_least_ignore_nulls(con):
    t = ibis.memtable(
        {"k": [1, 2, 3], "a": [1, None, None], "b": [5, 3, None], "c": [None, 4, None]},
        schema={"k": "int64", "a": "int64", "b": "int64", "c": "int64"},
    )
    assert _values(con, t.select("k", v=greatest(t.a, t.b, t.c)).order_by("k")) == [5, 4, None]
    assert _values(con, t.select("k", v=least(t.a, t.b, t.c)).order_by("k")) == [1, 3, None]


def test_round_half_away_and_ratio_agree_on_both_engines(con):
    t = ibis.memtable(
        {"k": [1, 2, 3, 4], "num": [-755.0, 1.0, 5.0, 2.0], "den": [8.0, 3.0, 0.0, None]},
        schema={"k": "int64", "num": "float64", "den": "float64"},
    )
    # -755 / 8 = -94.375 sits on a half: DuckDB's and Postgres's round() differ there
    assert _values(con, t.select("k", v=ratio(t.num, t.den, 2)).order_by("k")) == [-94.38, 0.33, None, None]
    assert _values(con, t.select("k", v=ratio(t.num, t.den, 2, scale=100)).order_by("k")) == [-9437.5, 33.33, None, None]
    assert _values(con, t.select("k", v=round_half_away(t.num / 8, 2)).order_by("k")) == [-94.38, 0.13, 0.63, 0.25]


def test_sorted_list_is_distinct_sorted_numerically_and_null_when_empty(con):
    rows = ibis.memtable(
        {"pat": [1, 1, 1, 1, 2, 3], "def": [10, 9, 10, None, None, 100], "name": ["b", "a", "b", None, None, "z"]},
        schema={"pat": "int64", "def": "int64", "name": "string"},
    )
    pats = ibis.memtable({"pat": [1, 2, 3, 4]})
    ids = sorted_list(rows, "pat", "def", name="ids")
    names = sorted_list(rows, ["pat"], "name", "; ")
    joined = pats.left_join(ids, "pat").drop("pat_right").left_join(names, "pat").drop("pat_right")
    out = con.execute(joined.order_by("pat"))
    assert out["ids"].tolist()[:1] == ["9,10"] and out["ids"].tolist()[2] == "100"
    assert out["name"].tolist()[0] == "a; b"
    assert out["ids"].isna().tolist() == [False, True, False, True]
    assert out["name"].isna().tolist() == [False, True, False, True]


def test_key_string_joins_parts_with_iso_dates_and_empty_nulls(con):
    t = ibis.memtable(
        {
            "k": [1, 2],
            "i": [17, None],
            "d": [D(2025, 1, 2), None],
            "ts": [dt.datetime(2025, 1, 2, 3, 4, 5), None],
            "s": ["CHG", None],
            "m": [Decimal("12.50"), Decimal("0.00")],
            "f": [True, False],
        },
        schema={"k": "int64", "i": "int64", "d": "date", "ts": "timestamp", "s": "string", "m": "decimal(10,2)", "f": "boolean"},
    )
    t = t.mutate(m=ibis.ifelse(t.k == 1, t.m, ibis.null("decimal(10,2)")))
    expr = t.select("k", v=key_string(t.i, t.d, t.ts, t.s, t.m, t.f)).order_by("k")
    assert _values(con, expr) == ["17|2025-01-02|2025-01-02 03:04:05|CHG|12.50|true", "|||||false"]
    assert _values(con, t.select("k", v=key_string("PROC", t.i)).order_by("k")) == ["PROC|17", "PROC|"]


def test_unattached_or_in_keeps_null_and_matching_keys_once(con):
    rows = ibis.memtable({"id": [1, 2, 3, 4], "proc": [None, 10, 11, 10]}, schema={"id": "int64", "proc": "int64"})
    procs = ibis.memtable({"proc_id": [10, 10, 12]}, schema={"proc_id": "int64"})  # duplicate key: no fan-out
    kept = unattached_or_in(rows, "proc", procs.proc_id)
    assert kept.columns == ("id", "proc")
    assert _values(con, kept.select(v="id").order_by("v")) == [1, 2, 4]
