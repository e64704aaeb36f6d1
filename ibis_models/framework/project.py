"""A project: the models found in a package, their graph, build parameters and the as-of rule.

Importing a module only defines models; ``load_models`` walks a package and collects them, skipping
private names and functions imported from elsewhere (Hamilton's rule).
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType, ModuleType
from typing import Any

from ibis.backends import BaseBackend

from ibis_models.framework.graph import ModelGraph
from ibis_models.framework.model import ModelSpec, spec_of

__all__ = ["Project", "load_models", "AsOfRule"]

AsOfRule = Callable[[BaseBackend, str, dt.date], dt.date]


def load_models(package: str | ModuleType) -> list[ModelSpec]:
    """Every ``@model`` function defined in ``package`` and its sub-modules, in module order."""
    root = importlib.import_module(package) if isinstance(package, str) else package
    modules = [root]
    if hasattr(root, "__path__"):
        for info in sorted(pkgutil.walk_packages(root.__path__, root.__name__ + "."), key=lambda i: i.name):
            modules.append(importlib.import_module(info.name))
    specs = []
    for module in modules:
        for attr, value in vars(module).items():
            spec = spec_of(value)
            if spec is not None and not attr.startswith("_") and spec.module == module.__name__:
                specs.append(spec)
    return specs


@dataclass(frozen=True, slots=True)
class Project:
    """What the runner needs to know about a set of models."""

    graph: ModelGraph
    params: Mapping[str, Any] = field(default_factory=dict)
    as_of_rule: AsOfRule | None = None
    name: str = "project"

    @classmethod
    def from_specs(
        cls,
        specs: Iterable[ModelSpec],
        *,
        params: Mapping[str, Any] | None = None,
        as_of_rule: AsOfRule | None = None,
        name: str = "project",
    ) -> Project:
        return cls(ModelGraph.build(specs), MappingProxyType(dict(params or {})), as_of_rule, name)

    @property
    def models(self) -> Mapping[str, ModelSpec]:
        return self.graph.models
