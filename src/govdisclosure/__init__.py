"""govdisclosure: China's government-information-disclosure annual reports (政府信息公开工作年度报告).

The public API (``help(govdisclosure)`` lists each name with its one-line doc)::

    import govdisclosure as gd
    report = gd.load("report.json")            # any input a loader reads; LoadError names file and place
    result = gd.read("published.html")         # the report and what reading it found (parser's findings)
    for finding in gd.validate(result):        # every installed rule
        print(finding.code, finding.pointer, finding.text("en"))
    print(gd.dump(report))                     # canonical JSON
    html = gd.render(report, "html")           # any installed renderer

Every function takes ``registry=`` (the plugins to use; default: the installed ones).
"""

from __future__ import annotations

import sys
import types
import warnings
from typing import Any

from . import schemas as _schemas
from .api import (
    dump,
    fill_totals,
    from_data,
    load,
    loads,
    new_report,
    parse,
    read,
    reads,
    render,
    render_bytes,
    schema,
    to_data,
    validate,
    validate_batch,
)
from .errors import (
    DeclarationError,
    GovDisclosureError,
    LoadError,
    PluginError,
    RenderError,
    UnknownFormatError,
    UnknownRuleError,
    problem,
)
from .findings import Finding, Severity
from .io import LoadResult
from .labels import Label
from .model import Report, Report2019, Report2021
from .registry import Registry

#: deprecated name of :class:`LoadResult` (what :func:`parse` returns)
ParseResult = LoadResult


class _MovedModule(types.ModuleType):
    """An old module path kept importable for one release, pointing at its new home."""

    def __init__(self, old: str, new: types.ModuleType) -> None:
        super().__init__(old)
        self._new = new

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        warnings.warn(f"{self.__name__} is deprecated; use {self._new.__name__}", DeprecationWarning, stacklevel=2)
        return getattr(self._new, name)


# ``govdisclosure.schema`` is the function; the module that generates schemas is ``govdisclosure.schemas``
sys.modules.setdefault(__name__ + ".schema", _MovedModule(__name__ + ".schema", _schemas))

__all__ = [
    "DeclarationError", "Finding", "GovDisclosureError", "Label", "LoadError", "LoadResult", "ParseResult",
    "PluginError", "Registry", "RenderError", "Report", "Report2019", "Report2021", "Severity", "UnknownFormatError",
    "UnknownRuleError", "dump", "fill_totals",
    "from_data", "load", "loads", "new_report", "parse", "problem", "read", "reads", "render", "render_bytes",
    "schema", "to_data", "validate", "validate_batch",
]


def __getattr__(name: str) -> Any:
    # names kept working for one release
    if name == "get_registry":
        warnings.warn("govdisclosure.get_registry() is deprecated; use govdisclosure.Registry.default()",
                      DeprecationWarning, stacklevel=2)
        return Registry.default
    if name == "Problem":
        from .errors import Problem

        return Problem
    raise AttributeError(f"module 'govdisclosure' has no attribute {name!r}")
