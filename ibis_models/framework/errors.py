"""The exception hierarchy: one root, with the builtin meaning kept where one applies.

Errors carry their facts as attributes (model, column, test, ...) so reports read fields and never
parse messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from difflib import get_close_matches

__all__ = [
    "IbisModelsError",
    "ModelDefinitionError",
    "UnknownModelError",
    "SelectionError",
    "SourceValidationError",
    "ModelBuildError",
    "DataTestFailure",
    "TargetError",
    "did_you_mean",
]


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """Return a ``"; did you mean 'x'?"`` suffix for the closest candidates, or ``""``."""
    close = get_close_matches(name, list(candidates), n=3, cutoff=0.6)
    if not close:
        return ""
    return "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


class IbisModelsError(Exception):
    """Root of every error this package raises on purpose."""


class ModelDefinitionError(ValueError, IbisModelsError):
    """A model is defined wrongly: found at decoration or project-load time, before anything runs."""

    def __init__(self, message: str, *, model: str | None = None) -> None:
        super().__init__(message)
        self.model = model


class UnknownModelError(KeyError, IbisModelsError):
    """A name that is not a model of the project."""

    def __init__(self, name: str, candidates: Iterable[str], *, where: str = "") -> None:
        self.name = name
        place = f" in {where}" if where else ""
        self.message = f"no model '{name}'{place}{did_you_mean(name, candidates)} Run 'ibis-models list' to see all models."
        super().__init__(self.message)

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


class SelectionError(ValueError, IbisModelsError):
    """A --select/--exclude term that cannot be understood."""


class SourceValidationError(IbisModelsError):
    """Raw tables or columns that the selected models need are missing.

    ``missing`` holds one ``(table, column or None, models)`` triple per problem; ``column`` is None
    when the whole table is missing.
    """

    def __init__(
        self,
        schema: str,
        missing: Sequence[tuple[str, str | None, tuple[str, ...]]],
        downstream: Sequence[str] = (),
    ) -> None:
        self.schema = schema
        self.missing = tuple(missing)
        self.downstream = tuple(downstream)
        lines = [f"raw schema '{schema}' is missing what the selected models need (nothing was built):"]
        for table, column, models in self.missing:
            what = f"table {schema}.{table}" if column is None else f"column {schema}.{table}.{column}"
            lines.append(f"  - {what}, needed by {', '.join(models)}")
        if self.downstream:
            lines.append(f"  and so by {len(self.downstream)} selected models downstream: {', '.join(self.downstream)}")
        super().__init__("\n".join(lines))


class ModelBuildError(IbisModelsError):
    """The database refused to build a model, or its contract or error-level tests failed."""

    def __init__(self, model: str, message: str) -> None:
        super().__init__(f"model '{model}': {message}")
        self.model = model
        self.detail = message


class DataTestFailure(IbisModelsError):
    """Error-level data tests failed on a model's freshly built table."""

    def __init__(self, model: str, failures: Sequence[tuple[str, int]]) -> None:
        self.model = model
        self.failures = tuple(failures)
        listed = "; ".join(f"{name}: {count} failing rows" for name, count in self.failures)
        super().__init__(f"model '{model}' failed error-level tests: {listed}")


class TargetError(IbisModelsError):
    """A target URL that cannot be parsed or connected to (the password is never included)."""
