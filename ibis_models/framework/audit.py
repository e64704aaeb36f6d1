"""Run the data tests of selected models against their built tables (``ibis-models test``).

Unlike the build-time gate, this runs every test, warn-level ones and those that read models
downstream or beside the tested one, once all of them are built.
"""

from __future__ import annotations

from collections.abc import Sequence

from ibis.backends import BaseBackend

from ibis_models.framework.context import BuildContext
from ibis_models.framework.materialize import model_tests
from ibis_models.framework.project import Project
from ibis_models.framework.quality import TestResult, run_test
from ibis_models.framework.target import Target

__all__ = ["run_data_tests"]


def run_data_tests(
    project: Project, target: Target, con: BaseBackend, names: Sequence[str], ctx: BuildContext
) -> list[TestResult]:
    graph = project.graph
    built = {schema: set(target.list_tables(con, schema)) for schema in {s.schema_name for s in graph.models.values()}}

    def has_table(name: str) -> bool:
        return name in built[graph.models[name].schema_name]

    results: list[TestResult] = []
    for name in names:
        spec = graph.models[name]
        for test in model_tests(spec):
            missing = [m for m in (name, *test.reads) if m in graph.models and not has_table(m)]
            unknown = [m for m in test.reads if m not in graph.models]
            if missing or unknown:
                reason = (
                    f"needs model(s) {', '.join(missing + unknown)} built"
                    if not unknown
                    else f"reads unknown model(s) {', '.join(unknown)}"
                )
                results.append(TestResult(name, test.name, test.severity, 0, error=reason))
                continue
            refs = {m: target.table(con, graph.models[m].schema_name, m) for m in test.reads}
            table = target.table(con, spec.schema_name, name)
            try:
                results.append(run_test(test, model=name, table=table, refs=refs, ctx=ctx, execute=con.execute))
            except Exception as exc:  # one broken test must not hide the others
                results.append(TestResult(name, test.name, test.severity, 0, error=target.redact(f"{type(exc).__name__}: {exc}")))
    return results
