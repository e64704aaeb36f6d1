from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ibis_models.cli import app
from ibis_models.framework.target import Target
from tests.framework.test_runner import _load_raw

runner = CliRunner()
TOY = "tests.framework.resources.toy:toy_project"


@pytest.fixture
def toy(monkeypatch):
    monkeypatch.setenv("IBIS_MODELS_PROJECT", TOY)


def test_help_lists_every_command():
    result = runner.invoke(app, ["--help"])
    for command in ("generate", "run", "test", "check", "compare", "list", "compile", "dag", "report"):
        assert command in result.output


def test_check_is_clean_on_the_project():
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0, result.output


def test_check_fails_on_a_model_that_reads_the_clock(monkeypatch):
    monkeypatch.setenv("IBIS_MODELS_PROJECT", "tests.framework.resources.clock:clock_project")
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 1
    assert "int_loaded [impure] uses TimestampNow" in result.output


def test_run_test_report_and_json_on_a_target(toy, target_url, tmp_path):
    _load_raw(Target.from_url(target_url))
    first = runner.invoke(
        app, ["run", "--target", target_url, "--as-of", "2024-06-01", "--report-json", str(tmp_path / "r1.json")]
    )
    assert first.exit_code == 0, first.output
    assert "int_customer_totals" in first.output and "4 built" in first.output
    report = json.loads((tmp_path / "r1.json").read_text())
    assert [m["status"] for m in report["models"]] == ["built"] * 4

    selected = runner.invoke(
        app,
        [
            "run",
            "--target",
            target_url,
            "--as-of",
            "2024-06-01",
            "-s",
            "stg_shop__orders+",
            "--full-refresh",
            "--report-json",
            str(tmp_path / "r2.json"),
        ],
    )
    names = {m["name"] for m in json.loads((tmp_path / "r2.json").read_text())["models"]}
    assert selected.exit_code == 0 and names == {"stg_shop__orders", "int_customer_totals", "int_channel_orders"}

    tested = runner.invoke(app, ["test", "--target", target_url, "-s", "int_customer_totals"])
    assert tested.exit_code == 0, tested.output
    assert "relationships(customer_id -> stg_shop__customers.customer_id)" in tested.output

    history = runner.invoke(app, ["report", "--target", target_url, "--fail-on-regression"])
    assert history.exit_code == 0, history.output
    assert "recent runs" in history.output


def test_unknown_model_is_a_usage_error_with_a_suggestion(toy):
    result = runner.invoke(app, ["list", "-s", "int_customer_total"])
    assert result.exit_code == 2
    assert "did you mean 'int_customer_totals'" in " ".join(result.output.split())


def test_compile_prints_postgres_sql(toy):
    result = runner.invoke(app, ["compile", "int_customer_totals", "--dialect", "postgres"])
    assert result.exit_code == 0 and '"staging"."stg_shop__orders"' in result.output


def test_dag_shows_upstream_tree(toy):
    result = runner.invoke(app, ["dag", "int_customer_totals"])
    assert "stg_shop__orders" in result.output and "stg_shop__customers" in result.output


def test_model_catalog_in_docs_is_current():
    """docs/models.md is generated; regenerate it with `ibis-models catalog -o docs/models.md`."""
    from pathlib import Path

    from ibis_models.framework.catalog import render_catalog
    from ibis_models.opendental.project import opendental_project

    docs = Path(__file__).resolve().parent.parent / "docs" / "models.md"
    assert docs.read_text() == render_catalog(opendental_project())


def test_benchmark_prints_each_step():
    result = runner.invoke(app, ["benchmark", "--patients", "60", "--threads", "2"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    for step in ("generate + load raw", "full build", "re-run, nothing changed", "data tests"):
        assert step in text
    assert "86 models cached" in text and "0 error-level failures" in text
