"""Deprecated: the registry moved to :mod:`govdisclosure.registry` (kept working for one release)."""

from __future__ import annotations

import warnings
from typing import Any

import pluggy

from ..errors import PluginError
from ..registry import DEFAULT_PLUGINS, HOOKS, PluginInfo, Registry, distribution_version

__all__ = ["DEFAULT_PLUGINS", "HOOKS", "PluginError", "PluginInfo", "Registry", "distribution_version",
           "get_plugin_manager", "get_registry", "make_plugin_manager"]


def _warn(old: str, new: str) -> None:
    warnings.warn(f"govdisclosure.plugins.manager.{old} is deprecated; use {new}", DeprecationWarning, stacklevel=3)


def get_registry() -> Registry:
    """Deprecated: ``govdisclosure.Registry.default()``."""
    _warn("get_registry()", "govdisclosure.Registry.default()")
    return Registry.default()


def get_plugin_manager() -> pluggy.PluginManager:
    """Deprecated: ``govdisclosure.Registry.default().pm``."""
    _warn("get_plugin_manager()", "govdisclosure.Registry.default().pm")
    return Registry.default().pm


def make_plugin_manager(*, entry_points: bool = True, extra: tuple[Any, ...] = (), block: tuple[str, ...] = ()
                        ) -> pluggy.PluginManager:
    """Deprecated: ``govdisclosure.Registry.of(...).pm``."""
    _warn("make_plugin_manager()", "govdisclosure.Registry.of()")
    return Registry.of(*extra, entry_points=entry_points, block=block).pm
