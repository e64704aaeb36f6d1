"""The build context handed to every model as ``ctx``: the reporting date and the build parameters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = ["BuildContext"]


@dataclass(frozen=True, slots=True)
class BuildContext:
    """Immutable build parameters: ``as_of`` plus user parameters readable as attributes.

    No model reads the clock: every "as of today" figure uses ``ctx.as_of``. Parameters live in one
    namespace and are compiled into the models' SQL, so they enter every fingerprint through it.

    Examples
    --------
    >>> import datetime
    >>> ctx = BuildContext(as_of=datetime.date(2025, 6, 30), params={"reply_window_hours": 48})
    >>> ctx.reply_window_hours
    48
    """

    as_of: dt.date
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.as_of, dt.date) or isinstance(self.as_of, dt.datetime):
            raise TypeError(f"as_of must be a datetime.date, got {self.as_of!r}")
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def __getattr__(self, name: str) -> Any:
        try:
            return self.params[name]
        except KeyError:
            known = ", ".join(sorted(self.params)) or "none"
            raise AttributeError(f"build parameter '{name}' is not set (known: {known})") from None
