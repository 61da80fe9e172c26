"""Audit at scale: many published reports into one store, with metrics and a page to act on.

    from govdisclosure.audit import audit
    summary = audit(["reports/"], "audit.sqlite", jobs=2)
    print("\\n".join(summary.lines("en")))

The store's schema, the metrics' formulas and the Dask recipe are documented in docs/audit.md.
"""

from __future__ import annotations

from .agencies import AgencyMap, agency_key
from .examine import Examined, Failed, examine, examine_bytes
from .run import Summary, audit
from .store import Store

__all__ = ["AgencyMap", "Examined", "Failed", "Store", "Summary", "agency_key", "audit", "examine", "examine_bytes"]
