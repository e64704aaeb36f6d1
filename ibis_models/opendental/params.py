"""Default build parameters (specs/README §4.1). Each model documents the ones it reads; a user
overrides them with ``--var name=value``."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

__all__ = ["DEFAULT_PARAMS"]

DEFAULT_PARAMS: MappingProxyType[str, Any] = MappingProxyType({})
