"""Staging models: generated from the schema, typed as declared, and each rule applied on both backends."""

from __future__ import annotations

import datetime
from decimal import Decimal

import ibis
import pytest

from ibis_models.framework.context import BuildContext
from ibis_models.framework.model import spec_of
from ibis_models.framework.quality import key_tests, run_test
from ibis_models.framework.sources import bind_source
from ibis_models.framework.target import Target
from ibis_models.opendental.schema import raw_table, raw_tables
from ibis_models.opendental.staging import staging_models
from tests.opendental.harness import raw_arrow

CTX = BuildContext(as_of=datetime.date(2025, 6, 30))
MODELS = {spec_of(fn).sources["raw"].table: fn for fn in staging_models()}
YEAR_ONE = datetime.date(1, 1, 1)
YEAR_ONE_TS = datetime.datetime(1, 1, 1)


# --- a connection to a fresh database per backend (tests/conftest.py ``target_url``) with schema raw ---


@pytest.fixture
def con(target_url):
    target = Target.from_url(target_url)
    connection = target.connect()
    target.ensure_schema(connection, target.raw_schema)
    yield connection
    connection.disconnect()


def load_raw(con, table: str, *rows: dict, drop: tuple[str, ...] = (), rename: dict | None = None) -> None:
    """Create raw.<table>: every column of the schema, OpenDental's empty values plus ``rows``' values."""
    arrow = raw_arrow(raw_table(table), rows).drop_columns(list(drop))
    arrow = arrow.rename_columns([(rename or {}).get(name, name) for name in arrow.column_names])
    con.create_table(table, arrow, database="raw")


def staged_expr(con, table: str):
    fn = MODELS[table]
    source = spec_of(fn).sources["raw"]
    return fn(raw=bind_source(source, con.table(table, database="raw").schema(), "raw"), ctx=CTX)


def stage(con, table: str) -> dict:
    """Run one staging model on raw.<table>; rows by primary key, in key order."""
    key = spec_of(MODELS[table]).key[0]
    expr = staged_expr(con, table).order_by(key)
    return {row[key]: row for row in con.to_pyarrow(expr).to_pylist()}


def values(rows: dict, *names: str) -> list:
    """The named columns of staged rows, in key order (one value, or a tuple for several)."""
    return [row[names[0]] if len(names) == 1 else tuple(row[n] for n in names) for row in rows.values()]


# --- generated models: one per table, typed as declared, compiled for both dialects ---


def test_staging_models_cover_every_raw_table_with_its_primary_key():
    specs = [spec_of(fn) for fn in staging_models()]
    assert len(specs) == len(raw_tables()) == 65
    assert [s.name for s in specs] == [f"stg_opendental__{t}" for t in raw_tables()]
    assert all(s.system == "staging" and s.schema_name == "staging" for s in specs)
    assert spec_of(MODELS["procedurelog"]).key == ("procedure_id",)
    assert spec_of(MODELS["securitylog"]).key == ("security_log_id",)
    assert MODELS["payment"].__qualname__ == "stg_opendental__payment"
    assert "as_of_date" not in {c for s in specs for c in s.column_names}


@pytest.mark.parametrize("dialect", ["duckdb", "postgres"])
@pytest.mark.parametrize("table", list(raw_tables()))
def test_staging_model_compiles_and_outputs_declared_columns_and_types(table, dialect):
    fn = MODELS[table]
    spec = spec_of(fn)
    source = spec.sources["raw"]
    expr = fn(raw=bind_source(source, source.schema(), "raw"), ctx=CTX)
    assert ibis.to_sql(expr, dialect=dialect)
    declared = [(c.name, c.dtype) for c in spec.columns]
    assert all(dtype is not None for _, dtype in declared)
    assert list(expr.schema().items()) == declared


def test_staging_drops_sensitive_identifiers():
    assert "ssn" not in spec_of(MODELS["patient"]).column_names
    assert "ssn" not in spec_of(MODELS["provider"]).column_names
    assert "subscriber_external_id" not in spec_of(MODELS["inssub"]).column_names
    userod = spec_of(MODELS["userod"]).column_names
    assert {"password_hash", "mobile_web_pin", "eclipboard_clinical_pin"}.isdisjoint(userod)
    assert "has_strong_password" in userod  # a flag, not a secret


def test_every_staging_model_builds_with_unique_not_null_keys(con):
    for table in raw_tables():
        load_raw(con, table, *({c.name: pk} for c in [raw_table(table).primary_key] for pk in (1, 2)))
    for table, fn in MODELS.items():
        spec = spec_of(fn)
        staged = con.create_table(f"stg_{table}", staged_expr(con, table))
        assert staged.columns == spec.column_names, table
        assert con.execute(staged.count()) == 2, table
        for test in key_tests(spec.key):
            result = run_test(test, model=spec.name, table=staged, refs={}, ctx=CTX, execute=con.execute)
            assert result.failing_rows == 0, (table, test.name)


# --- each rule on named rows ---


def test_staging_nulls_sentinel_dates_and_keeps_real_ones(con):
    load_raw(
        con,
        "procedurelog",
        {"ProcNum": 1, "ProcDate": YEAR_ONE, "DateTStamp": YEAR_ONE_TS},  # C# MinValue
        {"ProcNum": 2, "ProcDate": datetime.date(1900, 1, 1), "DateTStamp": datetime.datetime(1900, 1, 1, 12, 30)},
        {"ProcNum": 3, "ProcDate": datetime.date(2024, 3, 5), "DateTStamp": datetime.datetime(2024, 3, 5, 0, 0)},
    )
    rows = stage(con, "procedurelog")
    assert values(rows, "procedure_date", "_updated_at") == [
        (None, None),
        (None, None),
        (datetime.date(2024, 3, 5), datetime.datetime(2024, 3, 5, 0, 0)),  # midnight is a real time here
    ]


def test_staging_nulls_visit_times_left_at_midnight(con):
    day = datetime.datetime(2024, 3, 5)
    load_raw(
        con,
        "appointment",
        {"AptNum": 1, "AptDateTime": day.replace(hour=9), "DateTimeArrived": day},  # created that way
        {"AptNum": 2, "AptDateTime": day.replace(hour=9), "DateTimeArrived": day.replace(hour=8, minute=55)},
        {"AptNum": 3, "AptDateTime": YEAR_ONE_TS, "DateTimeArrived": YEAR_ONE_TS},
    )
    rows = stage(con, "appointment")
    assert values(rows, "appointment_datetime", "arrival_datetime") == [
        (day.replace(hour=9), None),
        (day.replace(hour=9), day.replace(hour=8, minute=55)),
        (None, None),
    ]


def test_staging_keeps_open_ended_statement_range_end(con):
    load_raw(
        con,
        "statement",
        {"StatementNum": 1, "DateRangeTo": datetime.date(2200, 1, 1)},
        {"StatementNum": 2, "DateRangeTo": datetime.date(2500, 6, 1)},
        {"StatementNum": 3, "DateRangeTo": YEAR_ONE},
    )
    rows = stage(con, "statement")
    assert values(rows, "date_range_to") == [datetime.date(2200, 1, 1), datetime.date(2500, 6, 1), None]


def test_staging_nulls_zero_foreign_keys_and_keeps_others(con):
    load_raw(
        con,
        "paysplit",
        {"SplitNum": 1, "PatNum": 7, "ProcNum": 0, "AdjNum": 0, "UnearnedType": 0},  # ordinary split, no target
        {"SplitNum": 2, "PatNum": 7, "ProcNum": 9_000_000_000_123, "AdjNum": 0, "UnearnedType": 288},
    )
    rows = stage(con, "paysplit")
    assert values(rows, "patient_id", "procedure_id", "adjustment_id", "unearned_type") == [
        (7, None, None, None),
        (7, 9_000_000_000_123, None, 288),  # a random-key value survives as int64
    ]


def test_staging_nulls_minus_one_blanks(con):
    load_raw(
        con,
        "claimproc",
        {"ClaimProcNum": 1, "CopayOverride": -1.0, "Percentage": -1, "InsPayAmt": -1.0},
        {"ClaimProcNum": 2, "CopayOverride": 12.5, "Percentage": 80, "InsPayAmt": 40.0},
    )
    load_raw(
        con,
        "clinic",
        {"ClinicNum": 1, "InsBillingProv": -1},  # use treating provider
        {"ClinicNum": 2, "InsBillingProv": 0},  # practice default
        {"ClinicNum": 3, "InsBillingProv": 5},
    )
    claimprocs = stage(con, "claimproc")
    assert values(claimprocs, "copay_override", "percentage", "insurance_payment_amount") == [
        (None, None, Decimal("-1.00")),  # -1 is blank only where the note says so
        (Decimal("12.50"), 80, Decimal("40.00")),
    ]
    assert values(stage(con, "clinic"), "insurance_billing_provider_id") == [None, None, 5]


def test_staging_rounds_money_to_cents_the_same_on_both_backends(con):
    fees = {1: 1.005, 2: 2.675, 3: -2.675, 4: 99.999, 5: 0.1 + 0.2, 6: 1234567.885}
    load_raw(con, "procedurelog", *({"ProcNum": k, "ProcFee": v} for k, v in fees.items()))
    rows = stage(con, "procedurelog")
    assert values(rows, "procedure_fee") == [
        Decimal("1.01"),
        Decimal("2.68"),
        Decimal("-2.68"),
        Decimal("100.00"),
        Decimal("0.30"),
        Decimal("1234567.89"),
    ]


def test_staging_turns_tinyint_flags_into_booleans(con):
    load_raw(con, "procedurelog", {"ProcNum": 1, "IsLocked": 1}, {"ProcNum": 2, "IsLocked": 0}, {"ProcNum": 3})
    load_raw(con, "commlog", {"CommlogNum": 1, "SentOrReceived": 2})  # an enum, not a flag
    assert values(stage(con, "procedurelog"), "is_locked") == [True, False, False]
    assert stage(con, "commlog")[1]["sent_or_received_raw"] == 2


def test_staging_reads_a_null_flag_as_false(con):
    load_raw(con, "procedurelog", {"ProcNum": 1, "IsLocked": None})  # a replicated NULL
    assert stage(con, "procedurelog")[1]["is_locked"] is False


def test_staging_trims_strings_and_nulls_empty_ones(con):
    load_raw(
        con,
        "patient",
        {"PatNum": 1, "Guarantor": 1, "LName": "  Smith \t", "FName": "Ann"},
        {"PatNum": 2, "Guarantor": 1, "LName": "", "FName": "   "},
        {"PatNum": 3, "Guarantor": 1, "LName": None, "FName": "Bo"},
    )
    rows = stage(con, "patient")
    assert values(rows, "last_name", "first_name", "guarantor_id") == [
        ("Smith", "Ann", 1),
        (None, None, 1),
        (None, "Bo", 1),
    ]


def test_staging_nulls_unset_times_of_day(con):
    load_raw(
        con,
        "patient",
        {"PatNum": 1, "SchedBeforeTime": datetime.time(0, 0)},
        {"PatNum": 2, "SchedBeforeTime": datetime.time(8, 30)},
    )
    rows = stage(con, "patient")
    assert values(rows, "schedule_not_before_time") == [None, datetime.time(8, 30)]


def test_staging_reads_renamed_triage_category_column(con):
    load_raw(
        con,
        "task",
        {"TaskNum": 1, "TriageCategory": 512, "KeyNum": 40},
        {"TaskNum": 2, "TriageCategory": 0, "KeyNum": 0},
        rename={"TriageCategory": "Category"},  # OpenDental after 24.3
    )
    rows = stage(con, "task")
    assert values(rows, "triage_category_id", "key_id") == [(512, 40), (None, None)]


def test_staging_reads_absent_optional_column_as_null_and_hashes_file_content(con):
    load_raw(
        con,
        "eobattach",
        {"EobAttachNum": 1, "ClaimPaymentNum": 3, "RawBase64": "abc", "FileName": " eob.pdf "},
        {"EobAttachNum": 2, "ClaimPaymentNum": 0, "RawBase64": ""},
        drop=("ClaimNumPreAuth",),  # OpenDental 24.3
    )
    rows = stage(con, "eobattach")
    assert values(rows, "claim_payment_id", "claim_preauth_id", "raw_base64", "file_name") == [
        (3, None, "900150983cd24fb0d6963f7d28e17f72", "eob.pdf"),  # md5('abc')
        (None, None, None, None),
    ]


def test_payment_marks_income_transfer_before_nulling_pay_type(con):
    load_raw(
        con,
        "payment",
        {"PayNum": 1, "PayType": 0, "PayAmt": 0.0},  # income transfer
        {"PayNum": 2, "PayType": 71, "PayAmt": 120.0},  # a card payment (DefNum 71)
    )
    rows = stage(con, "payment")
    assert values(rows, "payment_type_id", "is_income_transfer", "payment_amount") == [
        (None, True, Decimal("0.00")),
        (71, False, Decimal("120.00")),
    ]


def test_patient_has_insurance_flag_reads_the_letter_code(con):
    load_raw(
        con,
        "patient",
        {"PatNum": 1, "HasIns": "I"},
        {"PatNum": 2, "HasIns": " i "},
        {"PatNum": 3, "HasIns": "1"},
        {"PatNum": 4, "HasIns": ""},
        {"PatNum": 5, "HasIns": None},
        {"PatNum": 6, "HasIns": "0"},
    )
    rows = stage(con, "patient")
    assert values(rows, "has_insurance_flag") == [True, True, True, False, False, False]


def test_staging_model_builds_through_the_runner(build):
    built = build(
        "stg_opendental__payment",
        {"payment": [{"PayNum": 1, "PayType": 0}, {"PayNum": 2, "PayType": 71, "PayAmt": 9.5}]},
        as_of=CTX.as_of,
    )
    assert list(built.frame.columns) == list(spec_of(MODELS["payment"]).column_names)
    assert built.row(payment_id=1)["is_income_transfer"] is True
    assert built.row(payment_id=2)["payment_amount"] == Decimal("9.50")
