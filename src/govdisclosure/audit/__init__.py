"""Audit at scale: many published reports into one store, with metrics and a page to act on.

    from govdisclosure.audit import audit
    summary = audit(["reports/"], "audit.sqlite", jobs=2)
    print("\\n".join(summary.lines("en")))

The store's schema, the metrics' formulas and the Dask recipe are documented in docs/audit.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# imported now: the function examine has its module's name, which an import of the module would bind here instead
from .examine import Examined, Failed, examine, examine_bytes

if TYPE_CHECKING:
    from .agencies import AgencyMap, agency_key
    from .run import Summary, audit
    from .store import Store

__all__ = ["AgencyMap", "Examined", "Failed", "Store", "Summary", "agency_key", "audit", "examine", "examine_bytes"]

#: each name's module, imported when the name is first asked for: the package is also imported for the
#: audit's rules (the ``core-audit`` plugin, in every registry), which need none of the run, the store or SQLite
_MODULES = {"AgencyMap": "agencies", "agency_key": "agencies", "Summary": "run", "audit": "run", "Store": "store"}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
