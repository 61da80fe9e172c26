"""TOML (rule options, configuration): the standard library's reader, or tomli on Python 3.10."""

from __future__ import annotations

import sys
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = ["TOMLDecodeError", "loads_toml"]

TOMLDecodeError = tomllib.TOMLDecodeError


def loads_toml(text: str) -> dict[str, Any]:
    """The table a TOML text holds (raises :data:`TOMLDecodeError`, a ``ValueError``)."""
    table: dict[str, Any] = tomllib.loads(text)
    return table
