"""Raw sources: check what the selected models need before anything runs, and bind raw tables.

A model never sees a raw table as the database has it: it sees the ``Source``'s columns under their
canonical names and declared types. Another version's name for a column is renamed, a column the
source marks optional becomes NULL when absent, and convertible types (int vs bigint, double vs
decimal, tinyint vs boolean) are cast. Extra columns are ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import ibis
import ibis.expr.types as ir

from ibis_models.framework.errors import SourceValidationError
from ibis_models.framework.model import ModelSpec, Source

__all__ = ["missing_source_columns", "validate_sources", "bind_source", "resolve_column"]


def resolve_column(source_column_names: Iterable[str], actual: Mapping[str, object]) -> str | None:
    """The name under which the database has a column (case-insensitive), or None."""
    by_lower = {name.lower(): name for name in actual}
    for name in source_column_names:
        if name.lower() in by_lower:
            return by_lower[name.lower()]
    return None


def missing_source_columns(source: Source, actual: ibis.Schema | None) -> list[str | None]:
    """Required columns absent from ``actual``; ``[None]`` when the table itself is missing."""
    if actual is None:
        return [None]
    return [col.name for col in source.columns if col.required and resolve_column((col.name, *col.aliases), actual) is None]


def validate_sources(
    models: Iterable[ModelSpec],
    actual_schemas: Mapping[str, ibis.Schema | None],
    raw_schema: str,
    descendants: Callable[[str], set[str]] | None = None,
) -> None:
    """Raise one ``SourceValidationError`` listing every missing raw table and column at once, and
    (given ``descendants``) the selected models that could not build because of them."""
    models = list(models)
    needed_by: dict[tuple[str, str | None], list[str]] = {}
    for spec in models:
        for source in spec.sources.values():
            for column in missing_source_columns(source, actual_schemas.get(source.table)):
                needed_by.setdefault((source.table, column), []).append(spec.name)
    if needed_by:
        problems = [
            (table, column, tuple(sorted(set(models))))
            for (table, column), models in sorted(needed_by.items(), key=lambda item: (item[0][0], item[0][1] or ""))
        ]
        direct = {m for _, _, names in problems for m in names}
        selected = [spec.name for spec in models]
        affected = set().union(*(descendants(m) for m in direct)) if descendants else set()
        raise SourceValidationError(raw_schema, problems, [m for m in selected if m in affected - direct])


def bind_source(source: Source, actual: ibis.Schema, raw_schema: str) -> ir.Table:
    """The raw table as models see it: canonical names, declared types, NULL for absent optionals."""
    table = ibis.table(actual, name=source.table, database=raw_schema)
    columns = {}
    for col in source.columns:
        found = resolve_column((col.name, *col.aliases), actual)
        if found is None:
            columns[col.name] = ibis.null(col.dtype)
        elif table[found].type() == col.dtype:
            columns[col.name] = table[found]
        elif table[found].type().is_boolean() and col.dtype.is_integer():
            # Postgres has no boolean -> bigint cast; a replicated tinyint(1) may arrive as boolean.
            columns[col.name] = table[found].ifelse(1, 0).cast(col.dtype)
        else:
            columns[col.name] = table[found].cast(col.dtype)
    return table.select(**columns)
