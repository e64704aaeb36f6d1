"""End to end: generate a small practice, build every model on DuckDB and Postgres, run every data
test, and prove both engines produced identical tables."""

from __future__ import annotations

import pytest

from ibis_models.framework.audit import run_data_tests
from ibis_models.framework.compare import compare_targets
from ibis_models.framework.plan import plan_run
from ibis_models.framework.runner import Status, execute
from ibis_models.framework.target import Target
from ibis_models.opendental.project import opendental_project
from ibis_models.synthetic import GeneratorConfig, generate, write_duckdb, write_postgres
from tests.conftest import fresh_postgres_url

pytestmark = [pytest.mark.integration, pytest.mark.postgres]
PATIENTS = 600


@pytest.fixture(scope="module")
def data():
    return generate(GeneratorConfig(patients=PATIENTS, seed=11))


@pytest.fixture(scope="module")
def built(data, tmp_path_factory):
    """Both targets with every model built from the same generated data."""
    project = opendental_project()
    duck = Target.from_url(f"duckdb:///{tmp_path_factory.mktemp('integration')}/demo.duckdb")
    write_duckdb(duck.url.split("://", 1)[1][1:], data.tables)
    postgres = fresh_postgres_url()
    pg = Target.from_url(next(postgres))
    write_postgres(pg.url, data.tables)
    results = {}
    for target in (duck, pg):
        con = target.connect()
        results[target.backend] = (target, con, execute(plan_run(project, target, con), con, threads=2))
    yield project, results
    for _, con, _ in results.values():
        con.disconnect()
    next(postgres, None)


def test_every_model_builds_with_rows_on_both_backends(built):
    project, results = built
    for backend, (_, _, run) in results.items():
        problems = [(m.name, m.status.value, m.error) for m in run.models if m.status is not Status.BUILT]
        assert problems == [], backend
        empty = [m.name for m in run.models if not m.rows and m.name.startswith("int_")]
        assert empty == [], f"{backend}: intermediate models without rows"
    assert results["duckdb"][2].as_of == results["postgres"][2].as_of


def test_duckdb_and_postgres_tables_are_identical(built):
    project, results = built
    (ta, ca, _), (tb, cb, _) = results["duckdb"], results["postgres"]
    different = [
        (r.model, r.differences) for r in compare_targets(project.graph, project.graph.order, ta, ca, tb, cb) if not r.is_same
    ]
    assert different == []


def test_no_error_level_data_test_fails(built):
    project, results = built
    target, con, run = results["duckdb"]
    from ibis_models.framework.context import BuildContext

    tests = run_data_tests(project, target, con, project.graph.order, BuildContext(as_of=run.as_of, params=project.params))
    blocking = [(t.model, t.test, t.failing_rows, t.error) for t in tests if t.is_blocking]
    assert blocking == []
    assert len(tests) > 400


def test_second_run_is_all_cached(built):
    project, results = built
    target, con, first = results["duckdb"]
    second = execute(plan_run(project, target, con), con, threads=2)
    assert {m.status for m in second.models} == {Status.CACHED}
    assert [m.rows for m in second.models] == [m.rows for m in first.models]
