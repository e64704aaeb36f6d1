"""Run a built foundation model's data tests (warn ones too) against the test database."""

from __future__ import annotations

import datetime as dt

from ibis_models.framework.audit import run_data_tests
from ibis_models.framework.context import BuildContext
from ibis_models.framework.target import Target
from ibis_models.opendental.project import opendental_project

__all__ = ["data_test_statuses"]


def data_test_statuses(target_url: str, model: str, as_of: dt.date) -> dict[str, str]:
    """``{test name: pass | warn | fail}`` for the tests of ``model`` whose models are built.

    Tests that read a model the build did not include (a sibling model) are left out.
    """
    project = opendental_project()
    target = Target.from_url(target_url)
    con = target.connect()
    try:
        results = run_data_tests(project, target, con, [model], BuildContext(as_of=as_of, params=project.params))
    finally:
        con.disconnect()
    skipped = [r for r in results if r.error and not r.error.startswith("needs model")]
    assert not skipped, [(r.test, r.error) for r in skipped]
    return {r.test: r.status for r in results if r.error is None}
