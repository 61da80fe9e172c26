"""The check of a parsed report's cells and the making of its provenance (:mod:`.build`) as loops: compiled in the
compiled build (setup.py), where the generated builder is interpreted and this is native code (each cell's type and
range checked in a few machine instructions, no tuple of the values made, no set of their types; each provenance
entry's keys read once).  Pure Python runs :mod:`.build`'s own C-speed way instead (:data:`NATIVE` False); both take
and refuse the same data and make the same report.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from types import FunctionType
from typing import Any, Final

from .scalars import MAX_COUNT

__all__ = ["COUNTS", "NATIVE", "PROVENANCE_FIELDS", "NotPlain", "check_cells", "provenance_entries", "tables_json"]


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
#: each field's place, as constants of the native code (the counts' together)
_RAW: Final = 0
_UNIT: Final = 1
_SOURCE: Final = 2
_LINE: Final = 3
_COLUMN: Final = 4
_PAGE: Final = 5
_LABEL: Final = 6
_NOTE: Final = 7
_CANDIDATES: Final = 8
if _PLACE != {"raw": _RAW, "unit": _UNIT, "source": _SOURCE, "line": _LINE, "column": _COLUMN, "page": _PAGE,
              "label": _LABEL, "note": _NOTE, "candidates": _CANDIDATES} or {
        name for name in PROVENANCE_FIELDS if _LINE <= _PLACE[name] <= _PAGE} != COUNTS:
    raise ImportError("native: the places of the provenance's fields are not their order")


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
    places = _PLACE
    for pointer, entry in entries.items():
        if type(pointer) is not str or pointer not in known or type(entry) is not dict:
            raise NotPlain
        if not entry and source is None:  # an entry that says nothing but where: where must be given
            raise NotPlain
        fields: dict[Any, Any] = entry
        raw: Any = None
        unit: Any = None
        line: Any = None
        column: Any = None
        page: Any = None
        label: Any = None
        note: Any = None
        candidates: Any = None
        given = source
        for key, x in fields.items():
            place = places.get(key, -1)
            if place < 0:
                raise NotPlain
            if place == _SOURCE:
                if source is None:  # a source given is the entry's, whatever it holds (counted by the caller)
                    given = _text(x, texts)
                continue
            value = _count(x) if _LINE <= place <= _PAGE else _text(x, texts)
            # the value in its field: a native comparison a field (a list of the fields, set and read by place,
            # cost ~500 instructions an entry more)
            raw = value if place == _RAW else raw
            unit = value if place == _UNIT else unit
            line = value if place == _LINE else line
            column = value if place == _COLUMN else column
            page = value if place == _PAGE else page
            label = value if place == _LABEL else label
            note = value if place == _NOTE else note
            candidates = value if place == _CANDIDATES else candidates
        out[pointer] = make(raw, unit, given, line, column, page, label, note, candidates)
    return out


#: a count's JSON below 1,000 (most cells), made once
_SMALL: Final = tuple(str(n) for n in range(1000))
#: the ints orjson writes (64 bits, signed or not): the plain way writes it as orjson does only those
_INT_LOW: Final = -(2**63)
_INT_HIGH: Final = 2**64 - 1


def tables_json(values: tuple[Any, ...], tables: tuple[tuple[tuple[str, ...], tuple[int, ...]], ...],
                amounts: tuple[bool, ...]) -> list[str] | None:
    """Each table's JSON from its template (:func:`.convert._json_tables`): the template's pieces (``tables[t][0]``,
    a cell's place between two pieces left empty) with the JSON of the cell at ``values[tables[t][1][k]]`` in the
    k-th place; a cell of counts an int of 64 bits (no bool) or a blank, an amount (``amounts[i]``) a Decimal or a
    blank, written as orjson writes the tables' writer's value (an amount as its text, :func:`.scalars.amount_text`).
    None for any other value (the caller then writes the report's data its plain way).  Native code: each cell's test
    and text a few instructions, where the tables' objects, made to be walked and written, cost a third of writing a
    report."""
    out: list[str] = []
    small = _SMALL
    for pieces, order in tables:
        parts = list(pieces)  # the pieces in place, each cell's place set below (no list grown item by item)
        at = 1
        for i in order:
            x = values[i]
            if x is None:
                parts[at] = "null"
            elif amounts[i]:
                if type(x) is not Decimal:
                    return None
                parts[at] = '"' + format(x, "f") + '"'
            elif type(x) is int:
                n: int = x
                if 0 <= n < 1000:
                    parts[at] = small[n]
                elif _INT_LOW <= n <= _INT_HIGH:
                    parts[at] = str(n)
                else:  # past what orjson writes: the plain way's (the standard library's, or its error naming the cell)
                    return None
            else:
                return None
            at += 2
        out.append("".join(parts))
    return out


#: this module is native code (the compiled build): the builders use its loops
NATIVE: Final = not isinstance(check_cells, FunctionType)
