"""The plugin manager and a typed registry of what the plugins contributed."""

from __future__ import annotations

import functools
import importlib
import os
import sys
from importlib import metadata
from typing import Any

import attrs
import pluggy

from ..formats.spec import DeclarationError, FormatSpec, Variant, resolve
from ..io import Loader, Renderer
from ..rules.types import Rule
from . import NAME, hookspecs

__all__ = ["DEFAULT_PLUGINS", "PluginError", "Registry", "get_plugin_manager", "get_registry", "make_plugin_manager"]

#: core's own plugins, by entry-point name; they are registered through the ``govdisclosure``
#: entry point like any third party's, and directly only when running from an uninstalled tree.
DEFAULT_PLUGINS: dict[str, str] = {
    "core-formats": "govdisclosure.formats.official",
    "core-relations": "govdisclosure.rules.relations",
    "core-checks": "govdisclosure.rules.checks",
    "core-json": "govdisclosure.io.jsonio",
    "core-html": "govdisclosure.io.html",
    "core-markdown": "govdisclosure.io.markdown",
    "core-csv": "govdisclosure.io.csv",
    "core-parse": "govdisclosure.ingest.loaders",
}

HOOKS = ("register_formats", "register_variants", "register_rules", "register_loaders", "register_renderers")


class PluginError(RuntimeError):
    """A plugin failed to load or contributed something inconsistent."""


def make_plugin_manager(*, entry_points: bool = True, extra: tuple[Any, ...] = (), block: tuple[str, ...] = ()
                        ) -> pluggy.PluginManager:
    """A new manager: entry points (minus blocked ones), then core's defaults, then ``extra``.

    Plugins named in ``block`` or in ``GOVDISCLOSURE_BLOCK_PLUGINS`` (comma-separated entry-point
    names) are blocked before anything is imported.
    """
    pm = pluggy.PluginManager(NAME)
    pm.add_hookspecs(hookspecs)
    env = os.environ.get("GOVDISCLOSURE_BLOCK_PLUGINS", "").split(",")
    for name in filter(None, (s.strip() for s in (*env, *block))):
        pm.set_blocked(name)
    if entry_points:
        try:
            pm.load_setuptools_entrypoints(NAME)
        except Exception as exc:  # noqa: BLE001 - say which plugin broke, not a traceback
            raise PluginError(f"a govdisclosure plugin failed to load: {exc!r}") from exc
    for name, module in DEFAULT_PLUGINS.items():
        if pm.is_blocked(name) or pm.get_plugin(name) is not None:
            continue
        mod = importlib.import_module(module)
        if not pm.is_registered(mod):
            pm.register(mod, name)
    for plugin in extra:
        pm.register(plugin)
    pm.check_pending()
    if os.environ.get("GOVDISCLOSURE_TRACE_PLUGINS"):
        pm.trace.root.setwriter(sys.stderr.write)
        pm.enable_tracing()
    return pm


@attrs.frozen
class PluginInfo:
    name: str
    distribution: str | None
    version: str | None
    hooks: tuple[str, ...]
    provides: dict[str, list[str]]

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


class Registry:
    """Everything the plugins contributed, checked for duplicates, with typed access."""

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm
        self.formats: dict[str, FormatSpec] = {}
        self.variants: dict[str, Variant] = {}
        self.rules: dict[str, Rule] = {}
        self.loaders: dict[str, Loader] = {}
        self.renderers: dict[str, Renderer] = {}
        self.origin: dict[tuple[str, str], str] = {}  # (kind, key) -> plugin name
        self._plugins: list[PluginInfo] = []
        self._collect()
        self._resolved: dict[tuple[str, str | None], FormatSpec] = {}
        self._plans: dict[Any, tuple[Rule, ...]] = {}

    def _collect(self) -> None:
        kinds = {
            "register_formats": ("formats", lambda c: c.version, FormatSpec),
            "register_variants": ("variants", lambda c: c.id, Variant),
            "register_rules": ("rules", lambda c: c.code, Rule),
            "register_loaders": ("loaders", lambda c: c.name, Loader),
            "register_renderers": ("renderers", lambda c: c.name, Renderer),
        }
        provided: dict[str, dict[str, list[str]]] = {}
        hooks: dict[str, list[str]] = {}
        for hook in HOOKS:
            kind, key_of, cls = kinds[hook]
            target: dict[str, Any] = getattr(self, kind)
            for impl in reversed(getattr(self.pm.hook, hook).get_hookimpls()):  # registration order
                hooks.setdefault(impl.plugin_name, []).append(hook)
                try:
                    items = impl.function() or []
                except Exception as exc:  # noqa: BLE001
                    raise PluginError(f"plugin {impl.plugin_name!r}: {hook}() failed: {exc!r}") from exc
                for item in items:
                    if not isinstance(item, cls):
                        raise PluginError(f"plugin {impl.plugin_name!r}: {hook}() returned {item!r}, "
                                          f"expected {cls.__name__}")
                    key = key_of(item)
                    if key in target:
                        raise PluginError(f"plugin {impl.plugin_name!r}: {kind[:-1]} {key!r} is already "
                                          f"registered by {self.origin[(kind, key)]!r}")
                    target[key] = item
                    self.origin[(kind, key)] = impl.plugin_name
                    provided.setdefault(impl.plugin_name, {}).setdefault(kind, []).append(key)
        for variant in self.variants.values():
            if variant.extends not in self.formats:
                raise PluginError(f"variant {variant.id!r} extends unknown format {variant.extends!r}")
            try:
                resolve(self.formats[variant.extends], variant)
            except DeclarationError as exc:
                raise PluginError(str(exc)) from exc
        dists = {}
        for dist, plugin in ((d, p) for p, d in self.pm.list_plugin_distinfo()):
            dists[self.pm.get_name(plugin)] = dist
        for name, plugin in self.pm.list_name_plugin():
            if plugin is None:
                continue
            dist = dists.get(name)
            self._plugins.append(PluginInfo(
                name=name,
                distribution=dist.metadata["name"] if dist is not None else None,
                version=dist.version if dist is not None else None,
                hooks=tuple(hooks.get(name, ())),
                provides=provided.get(name, {}),
            ))

    def plugins(self) -> list[PluginInfo]:
        return list(self._plugins)

    def format(self, version: str, variant: str | None = None) -> FormatSpec:
        """The resolved format for a ``format_version`` and ``variant`` (KeyError if unknown)."""
        key = (version, variant)
        if key not in self._resolved:
            base = self.formats[version]
            var = None
            if variant is not None:
                var = self.variants[variant]
                if var.extends != version:
                    raise KeyError(variant)
            self._resolved[key] = resolve(base, var)
        return self._resolved[key]

    def format_for_year(self, year: int) -> FormatSpec:
        for spec in self.formats.values():
            if spec.serves(year):
                return spec
        raise KeyError(year)

    def runnable(self, spec: FormatSpec, *, series: bool, select: frozenset[str] | None = None) -> tuple[Rule, ...]:
        """The rules that run on a report of ``spec`` (series rules only with a previous report),
        worked out once per format: catalogue-only entries and other formats' rules dropped."""
        key = (spec.key, series, select)
        plan = self._plans.get(key)
        if plan is None:
            from ..rules.types import Check, Equation

            plan = tuple(r for r in self.rules.values()
                         if isinstance(r, (Check, Equation)) and r.applies_to_format(spec)
                         and (series or r.scope == "report") and (select is None or r.code in select))
            self._plans[key] = plan
        return plan


_PM: list[pluggy.PluginManager] = []


def get_plugin_manager() -> pluggy.PluginManager:
    """The process's plugin manager (the one piece of global state)."""
    if not _PM:
        _PM.append(make_plugin_manager())
    return _PM[0]


@functools.lru_cache(maxsize=1)
def _registry_for(pm_id: int) -> Registry:
    return Registry(get_plugin_manager())


def get_registry() -> Registry:
    return _registry_for(id(get_plugin_manager()))


def distribution_version() -> str:
    try:
        return metadata.version("govdisclosure")
    except metadata.PackageNotFoundError:
        return "0+unknown"
