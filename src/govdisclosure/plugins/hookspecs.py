"""The hooks a govdisclosure plugin may implement: this module is the plugin author's manual.

Every hook takes no arguments and returns a list of contributions (or ``None`` for nothing).
Contributions are frozen attrs objects, so new optional fields never break a plugin.  Hooks are
called once per process, when the registry is first built; the order between plugins does not
matter, because a duplicate (two formats with one version, two rules with one code, two
renderers with one name) is refused loudly rather than resolved by order.

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

    Core registers "2019" and "2021".  A new national format (a future revision) is a new
    ``FormatSpec`` with its own ``version``, ``first_year`` and ``last_year``; the model, the
    JSON Schema and every rule's cell references are derived from it.  Regional changes are
    :func:`register_variants`, not new formats.
    """


@hookspec
def register_variants() -> list[Variant] | None:
    """Regional variants, as :class:`govdisclosure.formats.Variant` patches of an official format.

    A variant names the format it ``extends`` and adds rows (``RowAddition(table, after, rows)``).
    A report says it uses the variant with ``"variant": "<id>"``; it is then loaded, checked and
    exported with the extra rows, and ``govdisclosure schema --variant <id>`` prints its schema.
    Prefix row ids with the variant id (``hubei_other_documents``).
    """


@hookspec
def register_rules() -> list[Rule] | None:
    """Rules: :class:`govdisclosure.rules.Equation` (a declared balance, evaluated by the engine)
    or :class:`govdisclosure.rules.Check` (a function that yields findings).

    Codes are public API: a plugin's codes use its own prefix (``HUBEI-…``; ``GD-`` is core's),
    and never change meaning.  ``formats`` and ``variants`` restrict a rule to some formats or
    variants; ``scope="series"`` rules receive the agency's previous report as well.
    """


@hookspec
def register_loaders() -> list[Loader] | None:
    """Input formats, as :class:`govdisclosure.io.Loader` objects (JSON and YAML are core's).

    A loader turns text into canonical report data or a report, and raises
    :class:`govdisclosure.errors.LoadError` with located problems for text that is not a report.
    """


@hookspec
def register_renderers() -> list[Renderer] | None:
    """Output formats, as :class:`govdisclosure.io.Renderer` objects (core's: ``json``).

    ``govdisclosure.render(report, name)`` and ``govdisclosure render --to NAME`` use them.
    """
