"""The report's balances tested as one loop over their slots written as bytes: compiled in the compiled build
(setup.py), where the engine's generated test (:func:`.engine._fused`, source exec'd, so interpreted) costs ~70K
instructions a report and this loop half that: each count added as a machine integer, each slot read from a byte (a
tuple of ints cost ~25 instructions a slot more, an int's unboxing).  Pure Python runs the generated test instead
(:data:`NATIVE` False: there the loop, interpreted, is ~9x slower), as does a format of more cells than a byte holds.
Both list the same (equation, instance) pairs in the same order, from the same sums (tests/test_sums_fast.py).
"""

from __future__ import annotations

from types import FunctionType
from typing import Any, Final

__all__ = ["LISTED", "NATIVE", "failing"]

#: an instance listed whatever the values (a weight other than 1: the engine works it out); no side has no term
LISTED: Final = 0


def failing(ops: bytes, marks: tuple[object, ...], values: tuple[object, ...], blanks: bool) -> list[object]:
    """The marks of the instances that may not hold in ``values``, in order (the k-th instance's is ``marks[k]``).

    ``ops`` holds each instance in turn: :data:`LISTED`, or its left side and then its right, each a head and its
    terms' slots.  The head is ``2 * terms + 1`` for a sum from 0 (as ``sum()`` makes it), ``2 * terms`` for the
    chain ``v[a] + v[b] + …``, which takes its first value as it is (a Decimal of more digits than the context keeps
    unrounded, as ``0 +`` would round it).  An instance is listed when its sums differ (``!=``) or, with ``blanks``,
    when one of its values is blank."""
    out: list[object] = []
    end = len(ops)
    p = 0
    k = 0
    while p < end:
        head = ops[p]
        if head == LISTED:
            out.append(marks[k])
            k += 1
            p += 1
            continue
        right = p + 1 + (head >> 1)
        if _differ(ops, values, p, right, blanks):
            out.append(marks[k])
        k += 1
        p = right + 1 + (ops[right] >> 1)
    return out


def _differ(ops: bytes, values: tuple[object, ...], left: int, right: int, blanks: bool) -> bool:
    """Whether the instance whose sides' heads are at ``left`` and ``right`` may not hold: both sums made as machine
    integers while every value is an int (no blank then; ints added in any order give Python's sum, and adding them
    raises nothing), else a blank looked for first (with ``blanks``) and the sums made with Python's ``+``."""
    left_ints, left_total = _ints(ops, values, left)
    if left_ints:
        ints, total = _ints(ops, values, right)
        if ints:
            return left_total != total
    if blanks and (_blank(ops, values, left) or _blank(ops, values, right)):
        return True
    return bool(_sum(ops, values, left) != _sum(ops, values, right))


def _ints(ops: bytes, values: tuple[object, ...], at: int) -> tuple[bool, int]:
    """The sum of the side whose head is at ``at`` as a machine integer's, when each of its values is an int (not a
    bool, nor another int type): (True, the sum), else (False, 0)."""
    first = at + 1
    total = 0
    for j in range(first, first + (ops[at] >> 1)):
        x = values[ops[j]]
        if type(x) is not int:
            return False, 0
        n: int = x
        total += n
    return True, total


def _blank(ops: bytes, values: tuple[object, ...], at: int) -> bool:
    """Whether a value of the side whose head is at ``at`` is blank."""
    first = at + 1
    return any(values[ops[j]] is None for j in range(first, first + (ops[at] >> 1)))


def _sum(ops: bytes, values: tuple[object, ...], at: int) -> Any:
    """The sum of the side whose head is at ``at`` as the generated test makes it: from 0, or the chain."""
    head = ops[at]
    first = at + 1
    stop = first + (head >> 1)
    total: Any = 0
    if not head & 1:
        total = values[ops[first]]
        first += 1
    for j in range(first, stop):
        total = total + values[ops[j]]
    return total


#: this module is native code (the compiled build): the engine tests the balances with its loop
NATIVE: Final = not isinstance(failing, FunctionType)
