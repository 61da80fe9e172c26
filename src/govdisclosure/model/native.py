"""The check of a parsed report's cells and the making of its provenance (:mod:`.build`) as loops: compiled in the
compiled build (setup.py), where the generated builder is interpreted and this is native code (each cell's type and
range checked in a few machine instructions, no tuple of the values made, no set of their types; each provenance
entry's keys read once).  Pure Python runs :mod:`.build`'s own C-speed way instead (:data:`NATIVE` False); both take
and refuse the same data and make the same report.
"""

from __future__ import annotations

from collections.abc import Callable
from types import FunctionType
from typing import Any, Final

from .scalars import MAX_COUNT

__all__ = ["COUNTS", "NATIVE", "PROVENANCE_FIELDS", "NotPlain", "check_cells", "provenance_entries"]


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


#: a provenance entry's fields, in the class's order (:class:`.base.CellProvenance`, checked by :mod:`.build`), and
#: which of them are counts (the others are texts)
PROVENANCE_FIELDS: Final = ("raw", "unit", "source", "line", "column", "page", "label", "note", "candidates")
COUNTS: Final = frozenset({"line", "column", "page"})
#: each field's place in :data:`PROVENANCE_FIELDS` (keyed by any object: an entry's key is looked up as it is)
_PLACE: Final[dict[Any, int]] = {name: i for i, name in enumerate(PROVENANCE_FIELDS)}
#: the source's place, and the counts' (together), as constants of the native code
_SOURCE: Final = 2
_FIRST_COUNT: Final = 3
_LAST_COUNT: Final = 5
if PROVENANCE_FIELDS[_SOURCE] != "source" or set(PROVENANCE_FIELDS[_FIRST_COUNT:_LAST_COUNT + 1]) != COUNTS:
    raise ImportError("native: the places of the provenance's source and counts are not theirs")


def _count(x: Any) -> Any:
    """A count of an entry as it is: an int (no bool) from 0 to the largest count; else NotPlain."""
    if type(x) is not int:
        raise NotPlain
    n: int = x
    if n < 0 or n > _MAX:
        raise NotPlain
    return x


def _text(x: Any, texts: list[Any]) -> Any:
    """A text of an entry as it is (a str), gathered in ``texts``; else NotPlain."""
    if not isinstance(x, str):
        raise NotPlain
    texts.append(x)
    return x


def provenance_entries(entries: dict[Any, Any], known: frozenset[str], source: Any, texts: list[Any],
                       make: Callable[..., Any]) -> dict[Any, Any]:
    """The provenance :func:`.build._provenance` makes of ``entries`` with the builders of its entries' shapes, in one
    native loop: each key a pointer of ``known`` (a str), each entry a dict of fields (each an int in range or a str,
    gathered in ``texts``; no null), saying something or given ``source``; each entry made by ``make`` from its
    fields' values in :data:`PROVENANCE_FIELDS`' order (``source``, when given, is every entry's). Else NotPlain.
    Each entry's keys are read once, natively: the builders' way (a tuple of an entry's keys made to find its
    builder, and a Python call an entry) cost twice as much."""
    out: dict[Any, Any] = {}
    values: list[Any] = [None] * len(PROVENANCE_FIELDS)
    for pointer, entry in entries.items():
        if type(pointer) is not str or pointer not in known or type(entry) is not dict:
            raise NotPlain
        if not entry and source is None:  # an entry that says nothing but where: where must be given
            raise NotPlain
        _entry_values(entry, source, texts, values)
        out[pointer] = make(values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7],
                            values[8])
    return out


def _entry_values(fields: dict[Any, Any], source: Any, texts: list[Any], values: list[Any]) -> None:
    """An entry's fields' values in ``values``, in :data:`PROVENANCE_FIELDS`' order (None where left out)."""
    for i in range(len(values)):
        values[i] = None
    values[_SOURCE] = source
    for key, x in fields.items():
        place = _PLACE.get(key, -1)
        if place < 0:
            raise NotPlain
        if place == _SOURCE:
            if source is None:  # a source given is the entry's, whatever it holds (counted by the caller)
                values[place] = _text(x, texts)
        elif _FIRST_COUNT <= place <= _LAST_COUNT:
            values[place] = _count(x)
        else:
            values[place] = _text(x, texts)


#: this module is native code (the compiled build): the builders use its loops
NATIVE: Final = not isinstance(check_cells, FunctionType)
