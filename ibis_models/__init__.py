"""ibis-models: OpenDental analytics models written once in Ibis, built on DuckDB or Postgres."""

from ibis_models.framework.context import BuildContext
from ibis_models.framework.model import Source, SourceColumn, model
from ibis_models.framework.quality import (
    accepted_range,
    accepted_values,
    custom,
    equal_row_count,
    expression_is_true,
    not_null,
    relationships,
    unique,
    unique_combination,
)

__all__ = [
    "BuildContext",
    "Source",
    "SourceColumn",
    "model",
    "accepted_range",
    "accepted_values",
    "custom",
    "equal_row_count",
    "expression_is_true",
    "not_null",
    "relationships",
    "unique",
    "unique_combination",
]
