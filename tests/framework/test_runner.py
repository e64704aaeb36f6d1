"""Build, cache, swap, failure isolation and reasons, on DuckDB and on a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import json

import ibis
import pytest

from ibis_models import model
from ibis_models.framework.errors import SourceValidationError
from ibis_models.framework.plan import plan_run
from ibis_models.framework.project import Project, load_models
from ibis_models.framework.report import RecordingReporter, write_json
from ibis_models.framework.runner import execute
from ibis_models.framework.state import StateStore
from ibis_models.framework.target import Target, new_name
from tests.framework.resources.toy import toy_project

AS_OF = dt.date(2024, 6, 1)


def _load_raw(target: Target, *, refund=False, channel=True, extra_customer=False) -> None:
    con = target.connect()
    target.ensure_schema(con, "raw")
    orders = {
        "OrderNum": [1, 2, 3] + ([4] if refund else []),
        "CustNum": [1, 1, 0] + ([1] if refund else []),
        "Amount": [10.0, 5.5, 3.0] + ([-50.0] if refund else []),
        "OrderDate": [dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 7, 1)] + ([dt.date(2024, 3, 1)] if refund else []),
    }
    if channel:
        orders["Channel"] = ["web", "shop", "web"] + (["web"] if refund else [])
    con.create_table("orders", ibis.memtable(orders), database="raw", overwrite=True)
    customers = {
        "CustNum": [1, 2] + ([3] if extra_customer else []),
        "FullName": ["Ann", "Bob"] + (["Cy"] if extra_customer else []),
    }
    con.create_table("customers", ibis.memtable(customers), database="raw", overwrite=True)
    con.disconnect()


def _run(target: Target, project: Project | None = None, **options):
    con = target.connect()
    plan = plan_run(
        project or toy_project(),
        target,
        con,
        as_of=options.pop("as_of", AS_OF),
        **{k: options.pop(k) for k in ("select", "exclude", "full_refresh", "params") if k in options},
    )
    result = execute(plan, con, **options)
    return result, con


def _statuses(result) -> dict[str, tuple[str, str]]:
    return {m.name: (m.status.value, m.reason) for m in result.models}


def test_run_builds_then_caches_everything(target_url, tmp_path):
    target = Target.from_url(target_url)
    _load_raw(target)
    first, con = _run(target, threads=2)
    assert {s for s, _ in _statuses(first).values()} == {"built"}
    assert first.exit_code == 0
    totals = con.table("int_customer_totals", database="intermediate").order_by("customer_id").execute()
    assert totals.order_count.tolist() == [2, 0]  # order 3 is after as_of; customer 0 is NULL
    assert [str(v) for v in totals.total_amount] == ["15.50", "0.00"]

    second, _ = _run(target)
    assert _statuses(second) == {n: ("cached", "unchanged") for n in _statuses(first)}
    assert {m.name: m.rows for m in second.models} == {m.name: m.rows for m in first.models}

    write_json(second, tmp_path / "r.json")
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["as_of"] == "2024-06-01" and report["target"]["backend"] == target.backend
    assert {m["status"] for m in report["models"]} == {"cached"}
    assert set(report["models"][0]) >= {"name", "system", "status", "reason", "rows", "seconds", "fingerprint", "error"}


def test_run_gives_a_reason_for_every_rebuild(target_url):
    target = Target.from_url(target_url)
    _load_raw(target)
    _run(target)

    _load_raw(target, extra_customer=True)  # customers changed; orders did not
    changed, _ = _run(target)
    assert _statuses(changed)["stg_shop__customers"] == ("built", "source data changed")
    assert _statuses(changed)["int_customer_totals"] == ("built", "upstream changed")
    assert _statuses(changed)["stg_shop__orders"] == ("cached", "unchanged")

    later, _ = _run(target, as_of=dt.date(2024, 8, 1))  # as_of is compiled into the SQL
    assert _statuses(later)["int_customer_totals"] == ("built", "code changed")

    forced, _ = _run(target, as_of=dt.date(2024, 8, 1), select=["stg_shop__orders"], full_refresh=True)
    assert _statuses(forced) == {"stg_shop__orders": ("built", "forced")}

    con = target.connect()
    target.drop(con, "intermediate", "int_channel_orders")
    missing, _ = _run(target, as_of=dt.date(2024, 8, 1))
    assert _statuses(missing)["int_channel_orders"] == ("built", "table missing")


def test_failed_test_keeps_previous_table_and_skips_dependants(target_url):
    target = Target.from_url(target_url)
    _load_raw(target)
    _run(target)
    con = target.connect()
    before = con.table("int_customer_totals", database="intermediate").execute()
    state_before = StateStore(target, con).load()["int_customer_totals"]

    _load_raw(target, refund=True)  # a refund makes the total negative: the error test fails
    result, con = _run(target)
    statuses = _statuses(result)
    assert statuses["int_customer_totals"][0] == "failed"
    assert "non_negative_total" in result.models[[m.name for m in result.models].index("int_customer_totals")].error
    assert statuses["stg_shop__orders"][0] == "built"
    assert result.exit_code == 1
    after = con.table("int_customer_totals", database="intermediate").execute()
    assert after.to_dict("records") == before.to_dict("records")
    assert StateStore(target, con).load()["int_customer_totals"].fingerprint == state_before.fingerprint
    assert new_name("int_customer_totals") not in target.list_tables(con, "intermediate")

    again, _ = _run(target)  # a failed model is retried, and the report says why
    assert _statuses(again)["int_customer_totals"] == ("failed", "previous failure")

    _load_raw(target)  # data restored: the kept table matches it again
    restored, _ = _run(target)
    assert _statuses(restored)["int_customer_totals"] == ("cached", "unchanged")


def test_failing_model_fails_alone_and_dependants_are_skipped(target_url):
    target = Target.from_url(target_url)
    _load_raw(target)

    @model(system="A", grain="g", key=["customer_id"], columns={"customer_id": "k", "bad": "division by a string"})
    def int_broken(stg_shop__customers):
        """Fails in the database."""
        return stg_shop__customers.select("customer_id", bad=stg_shop__customers.customer_name.cast("int64"))

    @model(system="A", grain="g", key=["customer_id"], columns={"customer_id": "k"})
    def int_after_broken(int_broken):
        """Depends on a broken model."""
        return int_broken.select("customer_id")

    project = Project.from_specs(
        load_models("tests.framework.resources.toy") + [int_broken.__ibis_model__, int_after_broken.__ibis_model__]
    )
    reporter = RecordingReporter()
    result, _ = _run(target, project, reporter=reporter)
    statuses = _statuses(result)
    assert statuses["int_broken"][0] == "failed"
    assert statuses["int_after_broken"] == ("skipped", "upstream failed: int_broken")
    assert statuses["int_customer_totals"][0] == "built"
    assert result.exit_code == 1
    assert [e for e, _ in reporter.events].count("model_done") == len(result.models)


def test_contract_violation_fails_the_build(target_url):
    target = Target.from_url(target_url)
    _load_raw(target)

    @model(system="A", grain="g", key=["customer_id"], columns={"customer_id": "k", "missing_column": "never produced"})
    def int_contract(stg_shop__customers):
        """Produces fewer columns than documented."""
        return stg_shop__customers.select("customer_id", "customer_name")

    project = Project.from_specs(load_models("tests.framework.resources.toy") + [int_contract.__ibis_model__])
    result, _ = _run(target, project, select=["+int_contract"])
    error = {m.name: m.error for m in result.models}["int_contract"]
    assert "documented but not produced: missing_column" in error
    assert "produced but not documented: customer_name" in error


def test_missing_raw_column_stops_the_run_before_anything_is_built(target_url):
    target = Target.from_url(target_url)
    _load_raw(target)
    con = target.connect()
    con.create_table("customers", ibis.memtable({"CustNum": [1], "Nickname": ["x"]}), database="raw", overwrite=True)
    with pytest.raises(SourceValidationError) as info:
        _run(target)
    assert info.value.missing == (("customers", "Name", ("stg_shop__customers",)),)
    assert "column raw.customers.Name, needed by stg_shop__customers" in str(info.value)
    assert info.value.downstream == ("int_customer_totals",)
    assert "staging" not in con.list_databases() or not target.list_tables(con, "staging")


def test_optional_source_column_may_be_absent(target_url):
    target = Target.from_url(target_url)
    _load_raw(target, channel=False)
    result, con = _run(target, select=["stg_shop__orders"])
    assert result.exit_code == 0
    assert con.table("stg_shop__orders", database="staging").channel.isnull().all().execute()


def test_leftover_temporary_tables_are_cleaned(target_url):
    target = Target.from_url(target_url)
    _load_raw(target)
    _run(target)
    con = target.connect()
    con.create_table(new_name("int_customer_totals"), ibis.memtable({"a": [1]}), database="intermediate")
    _run(target)
    assert new_name("int_customer_totals") not in target.list_tables(con, "intermediate")


def test_history_tables_record_each_run(target_url):
    target = Target.from_url(target_url)
    _load_raw(target)
    first, con = _run(target)
    _run(target)
    store = StateStore(target, con)
    runs = store.recent_runs(5)
    assert [r[0] for r in runs][1] == first.run_id
    assert runs[0][7] == len(first.models)  # the second run: all cached
    assert {row[2] for row in store.history(first.run_id)} == {"built"}
