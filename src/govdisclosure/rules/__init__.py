"""Rules: declared balances (:class:`Equation`) and functions (:class:`Check`), one engine for both.

The built-in rules are in :mod:`.relations` (the balances of rules.md) and :mod:`.checks`
(everything else); both are registered through the plugin hooks like a third party's rules.
"""

from ..findings import Finding, Severity
from ..labels import Label
from .compiled import Instance, expand
from .engine import UNCHECKED, evaluate, evaluate_batch, fill_totals
from .types import (
                    BatchCheck,
                    Check,
                    Columns,
                    Context,
                    Equation,
                    Leaves,
                    ReportCheck,
                    Rule,
                    RuleContext,
                    Scope,
                    SeriesCheck,
                    Term,
)

__all__ = ["UNCHECKED", "BatchCheck", "Check", "Columns", "Context", "Equation", "Finding", "Instance", "Label",
           "Leaves", "ReportCheck", "Rule", "RuleContext", "Scope", "SeriesCheck", "Severity", "Term", "evaluate",
           "evaluate_batch", "expand", "fill_totals"]
