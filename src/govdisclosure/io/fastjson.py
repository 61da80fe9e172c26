"""Which data orjson (the ``[fast]`` extra) writes exactly as the standard library's ``json`` does: the one test
that the canonical JSON (:func:`govdisclosure.dump`, ``parse -o``) and the audit's store use before letting orjson
write, so that what is written never depends on whether the extra is installed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final

__all__ = ["alike", "texts"]

#: leaves orjson writes as the standard library does: exactly these types (a float's text, an enum, a date, a
#: dataclass, a subclass are written otherwise by one of them, or refused by one only); :func:`_leaf` tests them
_ALIKE: Final = frozenset({str, int, bool, type(None)})
_NONE: Final = type(None)
#: containers walked at most by default: past them, no (the standard library then writes the data or says why)
MOST: Final = 10_000


def _leaf(kind: type, amounts: bool) -> bool:
    """Whether values of exactly this type are leaves of :data:`_ALIKE` (or Decimal where ``amounts``): compared
    type by type, natively (a lookup in the frozenset was a third of a walk)."""
    return kind is str or kind is int or kind is _NONE or kind is bool or (amounts and kind is Decimal)


def _push_containers(items: list[Any] | tuple[Any, ...], amounts: bool, stack: list[Any]) -> None:
    """A list's or tuple's items that are not leaves pushed on :func:`alike`'s stack: each leaf passed here, as a
    dict's are (pushed and popped, a leaf cost ~100 instructions)."""
    for item in items:
        if not _leaf(type(item), amounts):
            stack.append(item)


def alike(data: Any, amounts: bool = False, most: int = MOST) -> bool:
    """Whether orjson writes ``data`` as the standard library does: dicts with text keys, lists, tuples, and leaves
    of exactly str, int, bool or None (and Decimal where ``amounts``: a caller's ``default`` writes both alike).
    Past ``most`` containers: no (a list that holds itself is not walked forever).  Integers past 64 bits and lone
    surrogates pass: orjson refuses them, and its caller then uses the standard library."""
    stack: list[Any] = [data]
    containers = 0
    while stack:
        value = stack.pop()
        kind = type(value)
        if _leaf(kind, amounts):
            continue
        if kind is dict:
            entries: dict[Any, Any] = value
            for key, item in entries.items():  # each key tested, each leaf passed here (not pushed and popped)
                if type(key) is not str:
                    return False
                if not _leaf(type(item), amounts):
                    stack.append(item)
        elif kind is list or kind is tuple:
            _push_containers(value, amounts, stack)
        else:
            return False
        containers += 1
        if containers > most:
            return False
    return True


def texts(items: Any) -> bool:
    """Whether ``items`` is a tuple of exactly str (a finding's pointers or labels: orjson writes them as ``json``
    does, but for a lone surrogate, which it refuses), tested natively: a join of them, to learn the same, copied
    every character (a finding of a balance names ~100 cells)."""
    if type(items) is not tuple:
        return False
    seq: tuple[Any, ...] = items
    return all(type(x) is str for x in seq)  # (a native loop: mypyc compiles all() of a generator as one)
