"""The parse's work budget: proportional to the input's size, so that no input takes unbounded time.

Every step of the split search spends one unit; when the budget is spent the rows not yet settled
stay blank, each with a GD-PARSE-BUDGET finding.  A real report needs a few thousand units; the
budget allows hundreds of times that, and a hostile input (rows of hundreds of digits) stops in a
time proportional to its size.
"""

from __future__ import annotations

__all__ = ["BASE_UNITS", "UNITS_PER_CHAR", "Budget", "BudgetSpent"]

#: units every parse may spend, whatever its size
BASE_UNITS = 50_000
#: units per character of input on top of the base
UNITS_PER_CHAR = 20


class BudgetSpent(Exception):
    """The budget ran out (caught by the stage that spends it)."""


class Budget:
    """Work units left; :meth:`spend` raises :class:`BudgetSpent` when none are."""

    __slots__ = ("left", "total")

    def __init__(self, size: int) -> None:
        self.total = self.left = BASE_UNITS + UNITS_PER_CHAR * max(0, size)

    @property
    def spent(self) -> bool:
        return self.left <= 0

    def spend(self, units: int = 1) -> None:
        self.left -= units
        if self.left < 0:
            raise BudgetSpent
