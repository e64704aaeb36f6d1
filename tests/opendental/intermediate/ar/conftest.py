"""System D fixtures: ``build_fresh`` builds in a new database on each call (several as-of dates in one test)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import pytest

from tests.conftest import fresh_postgres_url
from tests.opendental.harness import Built, build_models


@pytest.fixture
def build_fresh(target_url: str, tmp_path) -> Iterator[Callable[..., Built]]:
    """Like ``build``, but each call gets an empty database, so nothing is cached between as-of dates."""
    counter = itertools.count()
    cleanups: list[Iterator[str]] = []

    def _url() -> str:
        if target_url.startswith("duckdb"):
            return f"duckdb:///{tmp_path}/fresh_{next(counter)}.duckdb"
        gen = fresh_postgres_url()
        cleanups.append(gen)
        return next(gen)

    def _build(
        model: str, raw: Mapping[str, Sequence[Mapping[str, Any]]], *, as_of: dt.date, params: Mapping[str, Any] | None = None
    ) -> Built:
        return build_models(_url(), model, raw, as_of=as_of, params=params)

    yield _build
    for gen in cleanups:
        next(gen, None)
