from __future__ import annotations

import ibis

from ibis_models import model
from ibis_models.framework.check import check_project, compile_model
from ibis_models.framework.project import Project, load_models
from tests.framework.resources.toy import toy_project


def _with(*extra) -> Project:
    return Project.from_specs(load_models("tests.framework.resources.toy") + [fn.__ibis_model__ for fn in extra])


def test_check_reports_naming_on_the_toy_project():
    assert [(v.model, v.rule) for v in check_project(toy_project())] == [("int_channel_orders", "naming")]


def test_check_flags_the_clock_and_randomness():
    @model(system="A", grain="g", key=["customer_id"], columns={"customer_id": "k", "loaded_at": "clock"})
    def int_clock(stg_shop__customers):
        """Reads the clock."""
        return stg_shop__customers.select("customer_id", loaded_at=ibis.now())

    found = [(v.model, v.rule) for v in check_project(_with(int_clock))]
    assert ("int_clock", "impure") in found


def test_check_flags_contract_and_type_mismatch():
    @model(system="A", grain="g", key=["customer_id"], columns={"customer_id": ("string", "k"), "ghost": "never produced"})
    def int_contract(stg_shop__customers):
        """Wrong type, missing column, extra column."""
        return stg_shop__customers.select("customer_id", "customer_name")

    messages = [v.message for v in check_project(_with(int_contract)) if v.model == "int_contract"]
    assert "documented but not produced: ghost" in messages
    assert "produced but not documented: customer_name" in messages
    assert "column 'customer_id' is int64, declared string" in messages


def test_check_flags_missing_docstring_and_bad_booleans():
    @model(system="A", grain="g", key=["customer_id"], columns={"customer_id": "k", "active": "a flag"})
    def int_nodoc(stg_shop__customers):
        return stg_shop__customers.select("customer_id", active=stg_shop__customers.customer_id > 1)

    rules = {v.rule for v in check_project(_with(int_nodoc)) if v.model == "int_nodoc"}
    assert rules == {"docstring", "naming"}


def test_compile_model_gives_sql_for_both_dialects():
    project = toy_project()
    assert 'FROM "staging"."stg_shop__orders"' in compile_model(project, "int_customer_totals", "postgres")
    assert "MAKE_DATE(2000, 1, 1)" in compile_model(project, "int_customer_totals", "duckdb")
