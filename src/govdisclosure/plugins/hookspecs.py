"""The hooks a govdisclosure plugin may implement (the manual with a whole worked plugin: docs/plugins.md).

插件可实现的钩子。完整的例子与每个钩子的约定见 docs/plugins.md。

Every hook takes no arguments and returns a list of contributions (or ``None`` for nothing).
Contributions are frozen attrs objects, so new optional fields never break a plugin.  Hooks are
called once per registry, when it is built (:class:`govdisclosure.Registry`); every contribution is
checked then (types, codes, both languages, a check's arguments) and a bad one is refused with a
:class:`~govdisclosure.errors.PluginError` naming the plugin and the field.  The order between plugins does
not matter, because a duplicate (two formats with one version, two rules with one code, two renderers with
one name) is refused rather than resolved by order.

Mark implementations with :data:`govdisclosure.plugins.hookimpl` and expose the module through
the ``govdisclosure`` entry-point group.  The built-in formats, rules, loaders and renderers are
registered exactly this way (see ``[project.entry-points.govdisclosure]`` in pyproject.toml).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

from . import NAME

if TYPE_CHECKING:
    from ..formats.spec import FormatSpec, Variant
    from ..io import Loader, Renderer
    from ..rules.types import Rule

hookspec = pluggy.HookspecMarker(NAME)


@hookspec
def register_formats() -> list[FormatSpec] | None:
    """Official format versions, as :class:`govdisclosure.formats.FormatSpec` declarations.

    正式格式版本。Core registers "2019" and "2021".  A new national format (a future revision) is a new
    ``FormatSpec`` with its own ``version``, ``first_year`` and ``last_year``; the model, the
    JSON Schema and every rule's cell references are derived from it.  Regional changes are
    :func:`register_variants`, not new formats.
    """


@hookspec
def register_variants() -> list[Variant] | None:
    """Regional variants, as :class:`govdisclosure.formats.Variant` patches of an official format.

    地区变体。A variant names the format it ``extends`` and adds rows (``RowAddition(table, after, rows)``;
    an added row gets the columns of its block, and inside a group it counts in the group's sums) or prints
    rows otherwise (``RowReplacement(table, target, nodes)``).  A report says it uses the variant with
    ``"variant": "<id>"``; it is then loaded, checked and exported with the extra rows, and
    ``govdisclosure schema --format-version V --variant <id>`` prints its schema.  A plugin's tests get the
    resolved spec with ``Registry.of(plugin).format(version, "<id>")``.  Prefix row ids with the variant id
    (``hubei_other_documents``).
    """


@hookspec
def register_rules() -> list[Rule] | None:
    """Rules: :class:`govdisclosure.rules.Equation` (a declared balance, evaluated by the engine),
    :class:`govdisclosure.rules.Check` (a function that yields findings), or a plain
    :class:`govdisclosure.rules.Rule` cataloguing a code the plugin emits elsewhere (a loader's).

    规则。Codes are public API: a plugin's codes use its own prefix (``HUBEI-…``; ``GD-`` is core's),
    and never change meaning.  ``severity`` is a Severity or its string (``"warning"``); ``formats`` and
    ``variants`` restrict a rule; ``options`` are settings a user overrides per code.  A check's signature
    follows its ``scope``: ``"report"`` ``check(report, ctx)``, ``"series"`` ``check(report, previous, ctx)``,
    ``"batch"`` ``check(reports, ctx)`` yielding ``(index, finding)``; ``ctx`` is a
    :class:`govdisclosure.rules.RuleContext` (``ctx.finding(...)``, ``ctx.options``, ``ctx.load_findings``,
    ``ctx.registry``, ``ctx.values``).
    """


@hookspec
def register_loaders() -> list[Loader] | None:
    """Input formats, as :class:`govdisclosure.io.Loader` objects (core's: json, yaml, html, markdown, csv,
    text, pdf).

    读取器。``load(data, source, registry)`` turns text (bytes for a ``binary`` loader) into canonical report
    data, a report or a :class:`govdisclosure.LoadResult`, and raises :class:`govdisclosure.errors.LoadError`
    with located findings (line, column, page or pointer; both languages) for input that is not a report —
    never another exception.
    """


@hookspec
def register_renderers() -> list[Renderer] | None:
    """Output formats, as :class:`govdisclosure.io.Renderer` objects (core's: json, html, markdown, csv,
    csv-wide).

    输出格式。``render(report, **options)`` returns text, or bytes for a ``binary`` renderer, and accepts
    options it does not know (core passes ``registry``, and ``fragment``, ``findings``, ``bom``, ``lang``:
    :class:`govdisclosure.io.RenderOptions`).  ``govdisclosure.render(report, name)`` (text),
    ``govdisclosure.render_bytes(report, name)`` (any) and ``govdisclosure render --to NAME`` use them.
    """
