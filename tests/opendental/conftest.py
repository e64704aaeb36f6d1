"""Fixtures for OpenDental model tests: ``build`` builds one model on hand-made raw rows, on each backend."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pytest

from tests.opendental.harness import Built, build_models


@pytest.fixture
def build(target_url: str) -> Callable[..., Built]:
    """``build("int_x", {"patient": [{"PatNum": 1, ...}]}, as_of=date)`` -> ``Built``."""

    def _build(
        model: str, raw: Mapping[str, Sequence[Mapping[str, Any]]], *, as_of: dt.date, params: Mapping[str, Any] | None = None
    ) -> Built:
        return build_models(target_url, model, raw, as_of=as_of, params=params)

    return _build
