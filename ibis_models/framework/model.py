"""Model definitions: the ``@model`` decorator, ``ModelSpec`` and raw ``Source`` declarations.

The decorator validates its arguments at once, attaches a frozen ``ModelSpec`` to the function and
returns the function unchanged, so a test can still call it on memtables. Registering happens later,
in ``project.load_models``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

import ibis
import ibis.expr.datatypes as dt

from ibis_models.framework.errors import ModelDefinitionError

__all__ = [
    "System",
    "Materialization",
    "ColumnSpec",
    "SourceColumn",
    "Source",
    "ModelSpec",
    "model",
    "parse_dtype",
    "CTX_PARAM",
    "spec_of",
]

F = TypeVar("F", bound=Callable[..., Any])

CTX_PARAM = "ctx"
_SPEC_ATTR = "__ibis_model__"


class System(StrEnum):
    """The system a model belongs to; ``system:X`` selects by it."""

    STAGING = "staging"
    FOUNDATION = "foundation"
    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"
    G = "G"
    CROSS = "cross"


class Materialization(StrEnum):
    TABLE = "table"
    VIEW = "view"


_SQL_TYPE_ALIASES = {
    "bigint": "int64",
    "integer": "int64",
    "int": "int64",
    "double": "float64",
    "text": "string",
    "varchar": "string",
    "bool": "boolean",
}


def parse_dtype(text: str | dt.DataType) -> dt.DataType:
    """Parse a type written in a spec (``bigint``, ``decimal(10,2)``, ``int64``, ...).

    Examples
    --------
    >>> parse_dtype("bigint")
    Int64(nullable=True)
    """
    if isinstance(text, dt.DataType):
        return text
    key = text.strip().lower()
    return ibis.dtype(_SQL_TYPE_ALIASES.get(key, key))


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One documented output column; ``dtype`` (when declared) is part of the contract."""

    name: str
    description: str
    dtype: dt.DataType | None = None


@dataclass(frozen=True, slots=True)
class SourceColumn:
    """A raw column a model reads. ``aliases`` are other names it has in other source versions."""

    name: str
    dtype: dt.DataType
    required: bool = True
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Source:
    """A raw table read by models, with the columns they need.

    ``change_columns`` are the row-change timestamps used, with the row count, as the cheap data
    signature that decides whether a model reading this source is still cached.
    """

    table: str
    columns: tuple[SourceColumn, ...]
    change_columns: tuple[str, ...] = ()

    def column(self, name: str) -> SourceColumn:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    def schema(self) -> ibis.Schema:
        return ibis.schema({c.name: c.dtype for c in self.columns})


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """Everything the runner knows about one model; built once by ``@model``, never mutated."""

    name: str
    fn: Callable[..., Any] = field(repr=False, compare=False)
    system: System
    grain: str
    key: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]
    tests: tuple[Any, ...]
    materialization: Materialization
    tags: tuple[str, ...]
    depends_on: tuple[str, ...]
    sources: Mapping[str, Source]
    doc: str
    module: str

    @property
    def schema_name(self) -> str:
        """The database schema the model is written to."""
        return "staging" if self.system is System.STAGING else "intermediate"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def takes_ctx(self) -> bool:
        return CTX_PARAM in inspect.signature(self.fn).parameters

    @classmethod
    def from_function(
        cls,
        fn: Callable[..., Any],
        *,
        name: str | None = None,
        system: str,
        grain: str,
        key: Sequence[str],
        columns: Mapping[str, str | tuple[str, str]],
        tests: Sequence[Any] = (),
        materialization: str = "table",
        tags: Sequence[str] = (),
        sources: Mapping[str, Source] | None = None,
        doc: str | None = None,
    ) -> ModelSpec:
        model_name = name or fn.__name__
        where = f"model '{model_name}' ({fn.__module__})"
        try:
            system_value = System(system)
        except ValueError:
            allowed = ", ".join(s.value for s in System)
            raise ModelDefinitionError(f"{where}: unknown system '{system}' (allowed: {allowed})", model=model_name) from None
        try:
            materialization_value = Materialization(materialization)
        except ValueError:
            raise ModelDefinitionError(
                f"{where}: unknown materialization '{materialization}' (allowed: table, view)",
                model=model_name,
            ) from None
        if isinstance(key, str):
            raise ModelDefinitionError(f"{where}: key must be a list of column names, not a string")
        sources = dict(sources or {})
        params = inspect.signature(fn).parameters
        for param in params.values():
            if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
                raise ModelDefinitionError(
                    f"{where}: *args/**kwargs are not allowed; name each upstream model as a parameter",
                    model=model_name,
                )
        unknown_sources = set(sources) - set(params)
        if unknown_sources:
            raise ModelDefinitionError(
                f"{where}: sources {sorted(unknown_sources)} are not parameters of the function",
                model=model_name,
            )
        depends_on = tuple(p for p in params if p != CTX_PARAM and p not in sources)
        column_specs = []
        for col_name, value in columns.items():
            if isinstance(value, tuple):
                type_text, description = value
                try:
                    dtype = parse_dtype(type_text)
                except Exception as exc:  # ibis raises several types for bad type strings
                    raise ModelDefinitionError(
                        f"{where}: column '{col_name}' has an unknown type '{type_text}' ({exc})",
                        model=model_name,
                    ) from None
            else:
                description, dtype = value, None
            column_specs.append(ColumnSpec(col_name, description, dtype))
        missing_key = [k for k in key if k not in columns]
        if missing_key:
            raise ModelDefinitionError(
                f"{where}: key column(s) {missing_key} are not among the documented columns",
                model=model_name,
            )
        return cls(
            name=model_name,
            fn=fn,
            system=system_value,
            grain=grain,
            key=tuple(key),
            columns=tuple(column_specs),
            tests=tuple(tests),
            materialization=materialization_value,
            tags=tuple(tags),
            depends_on=depends_on,
            sources=sources,
            doc=inspect.cleandoc(doc if doc is not None else (fn.__doc__ or "")),
            module=fn.__module__,
        )


def model(
    *,
    system: str,
    grain: str,
    key: Sequence[str],
    columns: Mapping[str, str | tuple[str, str]],
    tests: Sequence[Any] = (),
    materialization: str = "table",
    tags: Sequence[str] = (),
    sources: Mapping[str, Source] | None = None,
) -> Callable[[F], F]:
    """Declare a function as a model. Parameters name upstream models; ``ctx`` is the build context.

    ``columns`` maps each output column to its description, or to ``(type, description)`` where the
    type is part of the contract (``"bigint"``, ``"decimal(10,2)"``, ``"string"``...).

    Examples
    --------
    >>> @model(system="A", grain="one row per order", key=["order_id"],
    ...        columns={"order_id": ("bigint", "order key")})
    ... def int_orders(stg_orders):
    ...     return stg_orders.select("order_id")
    >>> int_orders.__ibis_model__.depends_on
    ('stg_orders',)
    """

    def attach(fn: F) -> F:
        spec = ModelSpec.from_function(
            fn,
            system=system,
            grain=grain,
            key=key,
            columns=columns,
            tests=tests,
            materialization=materialization,
            tags=tags,
            sources=sources,
        )
        setattr(fn, _SPEC_ATTR, spec)
        return fn

    return attach


def spec_of(obj: Any) -> ModelSpec | None:
    """The ``ModelSpec`` attached to a function by ``@model``, or None."""
    spec = getattr(obj, _SPEC_ATTR, None)
    return spec if isinstance(spec, ModelSpec) else None
