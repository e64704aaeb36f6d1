"""The model DAG: dependency order, cycle detection and the ``--select`` syntax.

Selection terms: ``name``, ``+name`` (with ancestors), ``name+`` (with descendants), ``+name+``,
``system:X``, ``tag:X`` and globs such as ``stg_*``; several terms are a union. The ``+`` markers
also apply to ``system:``/``tag:``/glob terms.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from ibis_models.framework.errors import ModelDefinitionError, SelectionError, UnknownModelError, did_you_mean
from ibis_models.framework.model import ModelSpec

__all__ = ["ModelGraph"]


@dataclass(frozen=True, slots=True)
class ModelGraph:
    """Immutable DAG over a project's models, in a stable topological order."""

    models: Mapping[str, ModelSpec]
    order: tuple[str, ...]
    parents: Mapping[str, tuple[str, ...]]
    children: Mapping[str, tuple[str, ...]]

    @classmethod
    def build(cls, specs: Iterable[ModelSpec]) -> ModelGraph:
        models: dict[str, ModelSpec] = {}
        for spec in specs:
            if spec.name in models:
                other = models[spec.name].module
                raise ModelDefinitionError(
                    f"model '{spec.name}' is defined twice: in {other} and in {spec.module}", model=spec.name
                )
            models[spec.name] = spec
        for spec in models.values():
            for dep in spec.depends_on:
                if dep not in models:
                    raise ModelDefinitionError(
                        f"model '{spec.name}' ({spec.module}) has parameter '{dep}', which is not a model"
                        f"{did_you_mean(dep, models)} Parameters name upstream models; "
                        "raw tables go in sources=, the build context is 'ctx'.",
                        model=spec.name,
                    )
        parents = {name: tuple(spec.depends_on) for name, spec in models.items()}
        children: dict[str, list[str]] = {name: [] for name in models}
        for name, deps in parents.items():
            for dep in deps:
                children[dep].append(name)
        order = _topological_order(parents)
        return cls(
            models=MappingProxyType(models),
            order=order,
            parents=MappingProxyType(parents),
            children=MappingProxyType({k: tuple(sorted(v)) for k, v in children.items()}),
        )

    def __contains__(self, name: object) -> bool:
        return name in self.models

    def spec(self, name: str) -> ModelSpec:
        try:
            return self.models[name]
        except KeyError:
            raise UnknownModelError(name, self.models) from None

    def ancestors(self, name: str) -> set[str]:
        return _walk(name, self.parents)

    def descendants(self, name: str) -> set[str]:
        return _walk(name, self.children)

    def level(self, name: str) -> int:
        """Longest path from a model without upstream models."""
        levels: dict[str, int] = {}
        for node in self.order:
            levels[node] = 1 + max((levels[p] for p in self.parents[node]), default=-1)
            if node == name:
                break
        return levels[name]

    def sorted(self, names: Iterable[str]) -> tuple[str, ...]:
        wanted = set(names)
        return tuple(n for n in self.order if n in wanted)

    def select(self, select: Sequence[str] = (), exclude: Sequence[str] = ()) -> tuple[str, ...]:
        """The models chosen by ``select`` minus ``exclude``, in build order; all when select is empty."""
        chosen = set(self.models) if not select else set().union(*(self._term(t, "--select") for t in select))
        if exclude:
            chosen -= set().union(*(self._term(t, "--exclude") for t in exclude))
        return self.sorted(chosen)

    def _term(self, term: str, option: str) -> set[str]:
        text = term.strip()
        with_ancestors = text.startswith("+")
        with_descendants = text.endswith("+") and len(text) > 1
        core = text.strip("+")
        if not core:
            raise SelectionError(f"empty selection term '{term}' in {option}")
        matched = self._match(core, option)
        result = set(matched)
        for name in matched:
            if with_ancestors:
                result |= self.ancestors(name)
            if with_descendants:
                result |= self.descendants(name)
        return result

    def _match(self, core: str, option: str) -> set[str]:
        if ":" in core:
            kind, _, value = core.partition(":")
            if kind == "system":
                found = {n for n, s in self.models.items() if s.system.value.lower() == value.lower()}
                known = sorted({s.system.value for s in self.models.values()})
            elif kind == "tag":
                found = {n for n, s in self.models.items() if value in s.tags}
                known = sorted({t for s in self.models.values() for t in s.tags})
            else:
                raise SelectionError(f"unknown selector '{kind}:' in {option} (use system:X, tag:X, a name or a glob)")
            if not found:
                raise SelectionError(f"{kind}:{value} in {option} matches no model (known: {', '.join(known) or 'none'})")
            return found
        if any(ch in core for ch in "*?["):
            found = set(fnmatch.filter(self.models, core))
            if not found:
                raise SelectionError(f"glob '{core}' in {option} matches no model")
            return found
        if core not in self.models:
            raise UnknownModelError(core, self.models, where=option)
        return {core}


def _walk(start: str, edges: Mapping[str, Sequence[str]]) -> set[str]:
    seen: set[str] = set()
    stack = list(edges[start])
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(edges[node])
    return seen


def _topological_order(parents: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """Level by level (longest path), alphabetical within a level; raises on a cycle, printing it."""
    level: dict[str, int] = {}
    visiting: list[str] = []

    def visit(node: str) -> int:
        if node in level:
            return level[node]
        if node in visiting:
            cycle = visiting[visiting.index(node) :] + [node]
            raise ModelDefinitionError("dependency cycle (each model reads the next): " + " -> ".join(cycle), model=node)
        visiting.append(node)
        level[node] = 1 + max((visit(p) for p in parents[node]), default=-1)
        visiting.pop()
        return level[node]

    for node in sorted(parents):
        visit(node)
    return tuple(sorted(parents, key=lambda n: (level[n], n)))
