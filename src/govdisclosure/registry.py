"""The registry: everything the plugins contributed, checked once, passed to whoever needs it.

A :class:`Registry` is built from a pluggy plugin manager of its own (as datasette gives each
app one) and is then read-only.  Every public function takes ``registry=``; when none is given
it uses :meth:`Registry.default` — the installed plugins, or the registry a
:func:`using` block (``govdisclosure.testing.use_plugins``) made the default.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import importlib
import inspect
import os
import re
import sys
import types
import warnings
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, cast

import attrs
import pluggy

from .errors import DeclarationError, PluginError, UnknownFormatError
from .formats.spec import FormatSpec, Group, Row, Variant, iter_nodes, resolve
from .io import Loader, Renderer
from .labels import Label
from .plugins import NAME, hookspecs
from .rules.types import Check, Equation, Rule

if TYPE_CHECKING:
    from importlib import metadata  # imported where an entry point is scanned: ~20 ms a start that scans none

    from .rules.types import Scope

__all__ = ["DEFAULT_PLUGINS", "HOOKS", "PluginInfo", "Registry", "using"]

#: core's own plugins, by entry-point name; they are registered through the ``govdisclosure``
#: entry point like any third party's, and directly only when running from an uninstalled tree
DEFAULT_PLUGINS: dict[str, str] = {
    "core-formats": "govdisclosure.formats.official",
    "core-relations": "govdisclosure.rules.relations",
    "core-checks": "govdisclosure.rules.checks",
    "core-json": "govdisclosure.io.jsonio",
    "core-html": "govdisclosure.io.html",
    "core-markdown": "govdisclosure.io.markdown",
    "core-csv": "govdisclosure.io.csv",
    "core-parse": "govdisclosure.ingest.loaders",
    "core-document": "govdisclosure.rules.document",
    "core-audit": "govdisclosure.audit.rules",
}

HOOKS = ("register_formats", "register_variants", "register_rules", "register_loaders", "register_renderers")

_KINDS: dict[str, tuple[str, Callable[[Any], str], type]] = {
    "register_formats": ("formats", lambda c: c.version, FormatSpec),
    "register_variants": ("variants", lambda c: c.id, Variant),
    "register_rules": ("rules", lambda c: c.code, Rule),
    "register_loaders": ("loaders", lambda c: c.name, Loader),
    "register_renderers": ("renderers", lambda c: c.name, Renderer),
}
#: each kind of contribution, as a message in Chinese names it
_KIND_ZH = {"formats": "格式", "variants": "地方变体", "rules": "规则", "loaders": "读取器", "renderers": "输出格式"}


def _blocked(block: tuple[str, ...]) -> set[str]:
    env = os.environ.get("GOVDISCLOSURE_BLOCK_PLUGINS", "").split(",")
    return {s.strip() for s in (*env, *block) if s.strip()}


#: what pluggy looks into for a hook implementation: any other value of a module's is none
_HOOKABLE = (types.FunctionType, staticmethod, classmethod, types.MethodType)
_ABSENT = object()


class _PluginManager(pluggy.PluginManager):
    """pluggy's manager, passing over at once a plugin module's names that hold no function (its classes,
    constants and imports: most of its names; pluggy looks up each with ``inspect.getattr_static``, which
    was two thirds of building a registry)."""

    def parse_hookimpl_opts(self, plugin: Any, name: str) -> pluggy.HookimplOpts | None:
        if isinstance(plugin, types.ModuleType):
            value = vars(plugin).get(name, _ABSENT)
            if value is not _ABSENT and not isinstance(value, _HOOKABLE):
                return None
        return super().parse_hookimpl_opts(plugin, name)


def _make_plugin_manager(*, entry_points: bool, extra: tuple[Any, ...], block: tuple[str, ...]
                         ) -> tuple[pluggy.PluginManager, dict[str, metadata.Distribution]]:
    """A new manager: entry points (minus blocked ones), then core's defaults, then ``extra``."""
    pm = _PluginManager(NAME)
    pm.add_hookspecs(hookspecs)
    blocked = _blocked(block)
    for name in blocked:
        pm.set_blocked(name)
    dists = _register_entry_points(pm, blocked) if entry_points else {}
    for name, module in DEFAULT_PLUGINS.items():
        if name not in blocked and pm.get_plugin(name) is None:
            mod = importlib.import_module(module)
            if not pm.is_registered(mod):
                pm.register(mod, name)
    for plugin in extra:
        if not pm.is_registered(plugin):  # already there when it is installed and scanned too
            pm.register(plugin, name=_plugin_name(plugin, pm))
    pm.check_pending()
    return pm, dists


def _register_entry_points(pm: pluggy.PluginManager, blocked: set[str]) -> dict[str, metadata.Distribution]:
    """Import and register every installed plugin; one that fails to import is named."""
    from importlib import metadata

    dists: dict[str, metadata.Distribution] = {}
    seen: dict[str, str] = {}  # entry-point name -> its distribution's name
    for ep in metadata.entry_points(group=NAME):
        dist = _dist_name(ep.dist)
        if ep.name in blocked:
            continue
        if ep.name in seen:  # (importlib.metadata lists one distribution found twice on the path once)
            raise PluginError(
                f"两个插件同名 {ep.name!r}（发行包 {seen[ep.name]} 与 {dist}）：请卸载其一，或用 "
                f"GOVDISCLOSURE_BLOCK_PLUGINS 屏蔽 / two plugins are named {ep.name!r} (distributions "
                f"{seen[ep.name]} and {dist}): uninstall one, or block the name with GOVDISCLOSURE_BLOCK_PLUGINS")
        if ep.name in DEFAULT_PLUGINS and dist != NAME:  # a third party's would silently stand in for core's
            raise PluginError(f"插件名 {ep.name!r} 属于核心（发行包 {dist} 不能使用） / the plugin name {ep.name!r} is "
                              f"core's (distribution {dist} cannot use it)")
        seen[ep.name] = dist
        try:
            plugin = ep.load()
        except Exception as exc:
            raise PluginError(f"插件 {ep.name!r}（发行包 {dist}，{ep.value}）无法导入 / plugin {ep.name!r} "
                              f"(distribution {dist}, {ep.value}) failed to import: {type(exc).__name__}: {exc}"
                              ) from exc
        pm.register(plugin, name=ep.name)
        if ep.dist is not None:
            dists[ep.name] = ep.dist
    return dists


def _dist_name(dist: metadata.Distribution | None) -> str:
    """A distribution's name as pip compares them (``govdisclosure_zp`` is ``govdisclosure-zp``), "?" if unknown."""
    if dist is None:
        return "?"
    return re.sub(r"[-_.]+", "-", str(_metadata(dist)["Name"])).lower()


#: each distribution's parsed metadata, by the object's identity (kept with it, so that an identity is not reused
#: while cached): ``dist.metadata`` parses the whole METADATA file (core's README with it, ~2 ms) at each read, and a
#: scan read it three times an entry point: ~40 parses, a quarter of a command's start.  Its fields are read where
#: they were (a field a distribution lacks raises where it did: the importlib_metadata backport raises KeyError for
#: one, and a blocked plugin's Version was never asked for: review 17 #1)
_METADATA: dict[int, tuple[metadata.Distribution, metadata.PackageMetadata]] = {}
_MAX_METADATA = 256


def _metadata(dist: metadata.Distribution) -> metadata.PackageMetadata:
    """``dist.metadata``, parsed once."""
    known = _METADATA.get(id(dist))
    if known is None or known[0] is not dist:
        if len(_METADATA) >= _MAX_METADATA:
            _METADATA.clear()
        known = _METADATA[id(dist)] = (dist, dist.metadata)
    return known[1]


def _name_and_version(dist: metadata.Distribution) -> tuple[str, str]:
    """``dist.metadata["Name"]`` and ``dist.version``, from the metadata parsed once."""
    meta = _metadata(dist)
    name = meta["Name"]
    try:
        return name, meta["Version"]  # what dist.version reads
    except KeyError:  # a field the backport lacks: raised again by dist.version, whose message names the distribution
        return name, dist.version


def _plugin_name(plugin: Any, pm: pluggy.PluginManager) -> str:
    """A plugin given in process is named by its module or class (not by a number), made unique."""
    base = getattr(plugin, "__name__", None) or type(plugin).__name__
    name, n = base, 1
    while pm.has_plugin(name):
        n += 1
        name = f"{base}-{n}"
    return name


@attrs.frozen
class PluginInfo:
    """A plugin as ``govdisclosure plugins`` lists it."""

    name: str
    distribution: str | None
    version: str | None
    hooks: tuple[str, ...]
    provides: dict[str, list[str]]

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


def _label_problem(value: Any) -> str | None:
    if not isinstance(value, Label):
        return f"a Label(zh, en), got {type(value).__name__}"
    if not (isinstance(value.zh, str) and value.zh.strip() and isinstance(value.en, str) and value.en.strip()):
        return "a Label with both Chinese and English text"
    return None


_ARITY = {"report": 2, "series": 3, "batch": 2}


def _check_rule(rule: Rule) -> list[tuple[str, str]]:
    """(field, what was expected) for each field of a rule that is not usable."""
    out = []
    for field in ("description", "message"):
        problem = _label_problem(getattr(rule, field))
        if problem:
            out.append((field, problem))
    if isinstance(rule, Check):
        checker: object = rule.check  # whatever the plugin gave, typed or not
        if not callable(checker):
            out.append(("check", "a function"))
        else:
            want = _ARITY[rule.scope]
            try:
                params = inspect.signature(rule.check).parameters.values()
            except (TypeError, ValueError):
                params = None  # a builtin or C function: trust it
            if params is not None and not any(p.kind is p.VAR_POSITIONAL for p in params):
                positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
                if len(positional) != want:
                    out.append(("check", f"a function of {want} arguments for scope={rule.scope!r} "
                                         f"({'report, ctx' if want == 2 and rule.scope == 'report' else ''}"
                                         f"{'report, previous, ctx' if rule.scope == 'series' else ''}"
                                         f"{'reports, ctx' if rule.scope == 'batch' else ''}), "
                                         f"got {len(positional)}"))
    return out


def _legacy_loader(loader: Loader, plugin: str) -> Loader:
    """A loader written for ``load(data, source)`` (before the registry argument), kept working."""
    try:
        params = [p for p in inspect.signature(loader.load).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return loader
    if len(params) != 2:
        return loader
    warnings.warn(f"plugin {plugin!r}: loader {loader.name!r} takes (data, source); since 0.2 a loader takes "
                  f"(data, source, registry)", DeprecationWarning, stacklevel=2)
    old = cast(Callable[[Any, str], Any], loader.load)  # the old contract, checked above

    def load(data: Any, source: str, registry: Registry) -> Any:
        return old(data, source)

    return attrs.evolve(loader, load=load)


def _takes_options(function: Any) -> bool:
    try:
        return any(p.kind is p.VAR_KEYWORD for p in inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return True  # a builtin or C function: trust it


def _variant_rows(variant: Variant) -> Iterator[Row | Group]:
    """The rows and groups a variant declares (added, and the nodes that replace rows, with theirs)."""
    yield from iter_nodes(row for added in variant.add_rows for row in added.rows)
    yield from iter_nodes(node for replaced in variant.replace_rows for node in replaced.nodes)


def _check_contribution(kind: str, item: Any, plugin: str) -> Any:
    if kind == "rules":
        bad = _check_rule(item)
    elif kind == "loaders":
        bad = [(f, "a function") for f in ("load",) if not callable(item.load)]
        bad += [("extensions", "a tuple of suffixes such as ('.xlsx',)")
                for e in item.extensions if not (isinstance(e, str) and e.startswith("."))][:1]
        bad += [(f, p) for f in ("label",) if (p := _label_problem(item.label))]
        if not bad:
            item = _legacy_loader(item, plugin)
    elif kind == "variants":
        bad = [(f, p) for f in ("label",) if (p := _label_problem(item.label))]
        bad += [(f"label of {(node.id if isinstance(node, Row) else node.key) or 'a group'!r}", p)
                for node in _variant_rows(item) if (p := _label_problem(node.label))]
    elif kind == "renderers":
        bad = [(f, "a function") for f in ("render",) if not callable(item.render)]
        bad += [("render", "a function that takes keyword options (render(report, **options))")
                for _ in (1,) if not bad and not _takes_options(item.render)]
        bad += [("extension", "a suffix such as '.txt'")
                for _ in (1,) if not (isinstance(item.extension, str) and item.extension.startswith("."))]
        bad += [(f, p) for f in ("label",) if (p := _label_problem(item.label))]
    else:
        bad = []
    if bad:
        field, expected = bad[0]
        key = _KINDS[f"register_{kind}"][1](item)
        raise PluginError(f"插件 {plugin!r} 的{_KIND_ZH[kind]} {key!r}：字段 {field!r} 不合要求 / plugin {plugin!r}: "
                          f"{kind[:-1]} {key!r}: field {field!r} must be {expected}")
    return item


class Registry:
    """Everything the plugins contributed, checked for duplicates and bad declarations.

    Build one with :meth:`default`, :meth:`core` or :meth:`of`; pass it to any public function
    (``registry=``).  The attributes are read-only mappings keyed by version, id, code or name.
    """

    def __init__(self, pm: pluggy.PluginManager, distributions: Mapping[str, metadata.Distribution] | None = None
                 ) -> None:
        self.pm = pm
        self.formats: dict[str, FormatSpec] = {}
        self.variants: dict[str, Variant] = {}
        self.rules: dict[str, Rule] = {}
        self.loaders: dict[str, Loader] = {}
        self.renderers: dict[str, Renderer] = {}
        self.origin: dict[tuple[str, str], str] = {}  # (kind, key) -> plugin name
        self._dists = dict(distributions or {})
        self._plugins: list[PluginInfo] = []
        self._resolved: dict[tuple[str, str | None], FormatSpec] = {}
        self._plans: dict[Any, tuple[Rule, ...]] = {}
        self._unknown: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[str, ...]] = {}
        self._collect()

    # ------------------------------------------------------------------ construction

    @classmethod
    def default(cls) -> Registry:
        """The registry in force: the one a :func:`using` block set, else the installed plugins
        (entry points scanned once per process; ``GOVDISCLOSURE_PLUGINS=core`` in the environment:
        core's own only, for runs that must not depend on what else is installed)."""
        current = _CURRENT.get()
        if current is not None:
            return current
        return _core() if os.environ.get("GOVDISCLOSURE_PLUGINS", "").strip() == "core" else _installed()

    @classmethod
    def core(cls) -> Registry:
        """Core's own formats, rules, loaders and renderers only (no entry-point scan)."""
        return _core()

    @classmethod
    def of(cls, *plugins: Any, entry_points: bool = False, block: tuple[str, ...] = ()) -> Registry:
        """Core's plugins (less ``block``), plus ``plugins`` (modules or objects with hook
        implementations), plus the installed ones if ``entry_points``."""
        pm, dists = _make_plugin_manager(entry_points=entry_points, extra=plugins, block=block)
        return cls(pm, dists)

    def _collect(self) -> None:
        provided: dict[str, dict[str, list[str]]] = {}
        hooks: dict[str, list[str]] = {}
        for hook in HOOKS:
            kind, key_of, _ = _KINDS[hook]
            target: dict[str, Any] = getattr(self, kind)
            for plugin, item in self._contributions(hook, hooks):
                key = key_of(item)
                if key in target:
                    first = self.origin[(kind, key)]
                    raise PluginError(f"两个插件注册了同一{_KIND_ZH[kind]} {key!r}：{first!r} 与 {plugin!r} / "
                                      f"{kind[:-1]} {key!r} is registered by two plugins: {first!r} and {plugin!r}")
                target[key] = item
                self.origin[(kind, key)] = plugin
                provided.setdefault(plugin, {}).setdefault(kind, []).append(key)
        for variant in self.variants.values():
            plugin = self.origin[("variants", variant.id)]
            if variant.extends not in self.formats:
                raise PluginError(f"插件 {plugin!r} 的地方变体 {variant.id!r} 基于未知的格式 {variant.extends!r} / "
                                  f"plugin {plugin!r}: variant {variant.id!r} extends unknown format "
                                  f"{variant.extends!r}")
            try:
                resolve(self.formats[variant.extends], variant)
            except DeclarationError as exc:
                raise PluginError(f"插件 {plugin!r} 的地方变体 {variant.id!r} 声明有误 / plugin {plugin!r}: "
                                  f"{exc}") from exc
        self._check_equations()
        for plugin_name, registered in self.pm.list_name_plugin():
            if registered is not None:
                dist = self._dists.get(plugin_name)
                name, version = _name_and_version(dist) if dist is not None else (None, None)
                self._plugins.append(PluginInfo(
                    name=plugin_name, distribution=name, version=version, hooks=tuple(hooks.get(plugin_name, ())),
                    provides=provided.get(plugin_name, {})))

    def _check_equations(self) -> None:
        """Every equation names only what the formats it applies to have (a misspelt row is refused here, with its
        plugin's name: it left an equation that never ran)."""
        from .rules.compiled import unknown_names

        specs = [self.format(version) for version in self.formats]
        specs += [self.format(v.extends, v.id) for v in self.variants.values()]
        for rule in self.rules.values():
            if not isinstance(rule, Equation):
                continue
            mine = [spec for spec in specs if rule.applies_to_format(spec)]
            missing = unknown_names(rule, mine) if mine else []
            if missing:
                plugin = self.origin[("rules", rule.code)]
                raise PluginError(f"插件 {plugin!r} 的规则 {rule.code} 写了格式中没有的名称：{'、'.join(missing)} / "
                                  f"plugin {plugin!r}: rule {rule.code} names what its formats do not have: "
                                  f"{', '.join(missing)}")

    def _contributions(self, hook: str, hooks: dict[str, list[str]]) -> Iterator[tuple[str, Any]]:
        """(plugin, contribution) for one hook, in registration order, each checked."""
        kind, key_of, cls = _KINDS[hook]
        trace = bool(os.environ.get("GOVDISCLOSURE_TRACE_PLUGINS"))
        for impl in reversed(getattr(self.pm.hook, hook).get_hookimpls()):
            hooks.setdefault(impl.plugin_name, []).append(hook)
            try:
                items = impl.function() or []
            except Exception as exc:
                raise PluginError(f"插件 {impl.plugin_name!r} 的 {hook}() 出错 / plugin {impl.plugin_name!r}: "
                                  f"{hook}() failed: {type(exc).__name__}: {exc}") from exc
            if trace:
                shown = ", ".join(str(key_of(i)) if isinstance(i, cls) else repr(i) for i in items)
                sys.stderr.write(f"govdisclosure: plugin {impl.plugin_name}: {hook}() -> {shown or '(nothing)'}\n")
            for item in items:
                if not isinstance(item, cls):
                    raise PluginError(f"插件 {impl.plugin_name!r} 的 {hook}() 返回了 {item!r}，应为 {cls.__name__} "
                                      f"/ plugin {impl.plugin_name!r}: {hook}() returned {item!r}, expected "
                                      f"{cls.__name__}")
                yield impl.plugin_name, _check_contribution(kind, item, impl.plugin_name)

    # ------------------------------------------------------------------ reading

    def plugins(self) -> list[PluginInfo]:
        """Every plugin, with its distribution and what it provides."""
        return list(self._plugins)

    def distribution(self, plugin: str) -> metadata.Distribution | None:
        """The installed distribution a plugin came from (None for one registered in process)."""
        return self._dists.get(plugin)

    def format(self, version: str, variant: str | None = None) -> FormatSpec:
        """The resolved format for a ``format_version`` and ``variant``.

        Raises :class:`~govdisclosure.errors.UnknownFormatError` naming what is installed.
        """
        key = (version, variant)
        spec = self._resolved.get(key)
        if spec is not None:
            return spec
        if version not in self.formats:
            raise UnknownFormatError(f"没有格式版本 {version} / no format version {version!r}; "
                                     f"已安装 / installed: {', '.join(self.formats)}")
        var = None
        if variant is not None:
            known = [v.id for v in self.variants.values() if v.extends == version]
            var = self.variants.get(variant)
            if var is None or var.extends != version:
                raise UnknownFormatError(f"{version} 格式没有地区变体 {variant} / no variant {variant!r} of the "
                                         f"{version} format; 已安装 / installed: {', '.join(known) or '-'}")
        spec = self._resolved[key] = resolve(self.formats[version], var)
        return spec

    def format_for_year(self, year: int) -> FormatSpec:
        """The official format a report of ``year`` must use."""
        for spec in self.formats.values():
            if spec.serves(year):
                return spec
        raise UnknownFormatError(f"没有适用于 {year} 年度的格式 / no installed format serves the year {year}")

    def runnable(self, spec: FormatSpec, *, scopes: frozenset[Scope] = frozenset({"report"}),
                 select: tuple[str, ...] | None = None, ignore: tuple[str, ...] = ()) -> tuple[Rule, ...]:
        """The rules that run on a report of ``spec``, worked out once per format: catalogue-only
        entries and other formats' rules dropped; ``select``/``ignore`` match codes or prefixes."""
        key = (spec.key, scopes, select, ignore)
        plan = self._plans.get(key)
        if plan is None:
            plan = tuple(r for r in self.rules.values()
                         if isinstance(r, (Check, Equation)) and r.applies_to_format(spec) and r.scope in scopes
                         and (select is None or matches_code(r.code, select)) and not matches_code(r.code, ignore))
            self._plans[key] = plan
        return plan


    def _unknown_codes(self, patterns: tuple[str, ...]) -> tuple[str, ...]:
        """The patterns (codes or prefixes, as ``select`` takes them) that match no rule's code here, worked out once
        per list (each pattern against every code: ~300 K instructions, which ``validate(select=…)`` paid a report)."""
        key = (patterns, tuple(self.rules))  # the codes too: a caller may change ``rules`` (review 16 #1)
        found = self._unknown.get(key)
        if found is None:
            if len(self._unknown) >= _MAX_SELECTIONS:
                self._unknown.clear()
            found = self._unknown[key] = tuple(p for p in patterns
                                               if not any(matches_code(code, (p,)) for code in self.rules))
        return found


#: selections whose unknown codes a registry keeps (a caller's many different lists would otherwise grow it)
_MAX_SELECTIONS = 256


def matches_code(code: str, patterns: tuple[str, ...]) -> bool:
    """Whether a code is one of ``patterns`` or starts with one of them (``GD-M-`` or ``GD-M``)."""
    exact, prefixes = _code_patterns(patterns if type(patterns) is tuple else tuple(patterns))
    return code in exact or code.startswith(prefixes)


@functools.lru_cache(maxsize=256)
def _code_patterns(patterns: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """The codes named whole, and the prefixes (``GD-M`` stands for ``GD-M-``): one set lookup and one
    ``startswith`` per code, however long a ``--select`` list is."""
    return frozenset(patterns), tuple(p if p.endswith("-") else p + "-" for p in patterns)


@functools.cache
def _installed() -> Registry:
    return Registry.of(entry_points=True)


@functools.cache
def _core() -> Registry:
    return Registry.of(entry_points=False)


_CURRENT: contextvars.ContextVar[Registry | None] = contextvars.ContextVar("govdisclosure_registry", default=None)


@contextlib.contextmanager
def using(registry: Registry) -> Iterator[Registry]:
    """Make ``registry`` the default for the duration of a ``with`` block (this thread/task)."""
    token = _CURRENT.set(registry)
    try:
        yield registry
    finally:
        _CURRENT.reset(token)


def resolve_registry(registry: Registry | None) -> Registry:
    """``registry``, or the default one."""
    return registry if registry is not None else Registry.default()


@functools.cache  # each call found the distribution on the path and parsed its METADATA: ~25 ms, four an audit
def distribution_version() -> str:
    """govdisclosure's installed version."""
    from importlib import metadata

    try:
        return metadata.version("govdisclosure")
    except metadata.PackageNotFoundError:
        return "0+unknown"
