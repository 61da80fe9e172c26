"""The check of a parsed report's cells (:mod:`.build`) as a loop: compiled in the compiled build (setup.py), where
the generated builder is interpreted and this is native code (each cell's type and range checked in a few machine
instructions, no tuple of the values made, no set of their types).  Pure Python runs :mod:`.build`'s own C-speed way
instead (:data:`NATIVE` False); both take and refuse the same data.
"""

from __future__ import annotations

from types import FunctionType
from typing import Any, Final

from .scalars import MAX_COUNT

__all__ = ["NATIVE", "NotPlain", "check_cells", "entry_shapes"]


class NotPlain(Exception):
    """Data a builder does not take as it is: the converter says what it makes of it."""


#: the largest count (:data:`.scalars.MAX_COUNT`, checked below), a constant of the native code: a name imported
#: from an interpreted module is looked up, and compared as an object, each time
_MAX: Final = 999_999_999_999_999
if _MAX != MAX_COUNT:
    raise ImportError("native._MAX is not the largest count")


def check_cells(values: tuple[Any, ...], slots: tuple[int, ...], lowest: int) -> None:
    """Each of the cells at ``slots`` blank or an int (no bool) from ``lowest`` to the largest count; else NotPlain
    (:func:`.build._check_integers`, cell by cell)."""
    for s in slots:
        x = values[s]
        if x is None:
            continue
        if type(x) is not int:
            raise NotPlain
        n: int = x
        if n < lowest or n > _MAX:
            raise NotPlain


def entry_shapes(entries: dict[Any, Any], known: frozenset[str]) -> list[tuple[Any, ...]] | None:
    """Each provenance entry's fields (its keys, in order) when every key is a pointer of ``known`` (a str) and every
    entry a dict; else None (:func:`.build._provenance`'s checks of the keys and their types, in one native loop)."""
    out: list[tuple[Any, ...]] = []
    for pointer, entry in entries.items():
        if type(pointer) is not str or pointer not in known or type(entry) is not dict:
            return None
        out.append(tuple(entry))
    return out


#: this module is native code (the compiled build): the builders use its loops
NATIVE: Final = not isinstance(check_cells, FunctionType)
