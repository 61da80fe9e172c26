"""Rules: declared balances (:class:`Equation`) and functions (:class:`Check`), one engine for both.

The built-in rules are in :mod:`.relations` (the balances of rules.md) and :mod:`.checks`
(everything else); both are registered through the plugin hooks like a third party's rules.
"""

from ..findings import Finding, Severity
from ..formats.spec import Label
from .engine import UNCHECKED, evaluate, fill_totals
from .types import Check, Columns, Context, Equation, Leaves, Rule, Term

__all__ = ["Check", "Columns", "Context", "Equation", "Finding", "Label", "Leaves", "Rule", "Severity", "Term",
           "UNCHECKED", "evaluate", "fill_totals"]
