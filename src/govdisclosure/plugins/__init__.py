"""Plugins for govdisclosure.

A plugin is a module (or object) with functions marked ``@hookimpl``, found through the
``govdisclosure`` entry-point group.  The built-in formats, rules, loaders and renderers are
plugins of exactly this kind.  A minimal plugin that adds a rule::

    # pyproject.toml
    [project.entry-points.govdisclosure]
    myrules = "govdisclosure_myrules"

    # govdisclosure_myrules.py
    from govdisclosure.plugins import hookimpl
    from govdisclosure.rules import Check, Label, Severity

    def _check(report, ctx):
        ...  # yield ctx.finding(...) for each problem

    @hookimpl
    def register_rules():
        return [Check("MY-RULE", Severity.WARNING, Label("中文说明", "English description"),
                      message=Label("{what}", "{what}"), check=_check)]

The hooks and what they must return are documented in :mod:`govdisclosure.plugins.hookspecs`.
``govdisclosure plugins`` lists what is installed.  Set ``GOVDISCLOSURE_BLOCK_PLUGINS=a,b`` to
block plugins by entry-point name (before they are imported), and
``GOVDISCLOSURE_TRACE_PLUGINS=1`` to trace hook calls on standard error.
"""

import pluggy

NAME = "govdisclosure"
hookimpl = pluggy.HookimplMarker(NAME)

__all__ = ["NAME", "hookimpl"]
