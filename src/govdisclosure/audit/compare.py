"""Two reports side by side: the cells that changed, and the narrative the newer one copied."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from ..formats.spec import CellSpec
from ..model import Parts, Report
from .aggregate import form_unit, in_unit, printed_unit

__all__ = ["CellChange", "Comparison", "PartCopy", "compare", "copied"]


@attrs.frozen
class CellChange:
    pointer: str
    row_label: str
    column_label: str
    old: Any
    new: Any
    #: new − old, in NEW's unit for an amount (38.6 万元 → 386000 元: 0); None when either side is blank (a blank
    #: is not 0) or an amount's unit is known on one side only
    difference: Any
    #: an amount's unit on each side where they differ (as its provenance keeps it printed, else the form's)
    old_unit: str | None = None
    new_unit: str | None = None


@attrs.frozen
class PartCopy:
    """What of NEW's text in one part repeats OLD's word for word."""

    part: str
    sentences: int  #: NEW's sentences in this part
    repeated: tuple[str, ...]  #: NEW's sentences found in OLD, quoted

    @property
    def share(self) -> float:
        return len(self.repeated) / self.sentences if self.sentences else 0.0


@attrs.frozen
class Comparison:
    changed: tuple[CellChange, ...]
    cells: int  #: cells compared (those both reports have)
    #: None when the sentence measure (govdisclosure.text) is not installed
    narrative: tuple[PartCopy, ...] | None
    #: the cells one report has and the other not (reports of two formats), by pointer: not compared, and said
    #: so (a user read "172 compared" as everything, probe 13 #15)
    only_old: tuple[str, ...] = ()
    only_new: tuple[str, ...] = ()
    #: the two reports' format versions (old, new)
    formats: tuple[str, str] = ("", "")

    @property
    def copied_share(self) -> float | None:
        if self.narrative is None:
            return None
        total = sum(p.sentences for p in self.narrative)
        return sum(len(p.repeated) for p in self.narrative) / total if total else 0.0

    def to_dict(self) -> dict[str, Any]:
        def plain(v: Any) -> Any:
            return str(v) if isinstance(v, Decimal) else v

        return {
            "cells": self.cells,
            "formats": list(self.formats),
            "not_compared": {"only_old": list(self.only_old), "only_new": list(self.only_new)},
            "changed": [{"pointer": c.pointer, "row_label": c.row_label, "column_label": c.column_label,
                         "old": plain(c.old), "new": plain(c.new), "difference": plain(c.difference),
                         **({"old_unit": c.old_unit, "new_unit": c.new_unit} if c.old_unit or c.new_unit else {})}
                        for c in self.changed],
            "narrative": None if self.narrative is None else {
                "copied_share": self.copied_share,
                "parts": [{"part": p.part, "sentences": p.sentences, "share": p.share, "repeated": list(p.repeated)}
                          for p in self.narrative]},
        }


def copied(old: str | None, new: str | None, old_year: int | None, new_year: int | None
           ) -> tuple[int, tuple[str, ...]] | None:
    """(NEW's sentence count, NEW's sentences repeated in OLD): the copying measure shared with the
    evaluator's rules (issue 11), sentence split and normalisation included.  None when it is not
    installed."""
    try:
        from .. import text
    except ImportError:
        return None
    a = text.sentences(new, year=new_year)
    b = text.sentences(old, year=old_year)
    found = text.overlap(a, b)
    return found.sentences, tuple(s.text for s, _ in found.repeated)


def _units(cell: CellSpec, old: Report, new: Report) -> tuple[str | None, str | None] | None:
    """An amount's unit on each side (printed, else the form's) where they differ (review 13b #7), else None."""
    fixed = form_unit(cell)
    units = (printed_unit(old, cell.pointer) or fixed, printed_unit(new, cell.pointer) or fixed)
    return units if units[0] != units[1] else None


def _difference(before: Any, value: Any, units: tuple[str | None, str | None] | None) -> Any:
    """new − old, OLD converted to NEW's unit where the units differ; None where a side is blank or of no unit."""
    if before is None or value is None:
        return None
    if units is None:
        return value - before
    old_unit, new_unit = units
    if old_unit is None or new_unit is None:
        return None
    return value - in_unit(before, old_unit, new_unit)


def compare(old: Report, new: Report) -> Comparison:
    """The cells whose value differs (by JSON pointer: cells of different formats are matched when they
    have the same pointer) and NEW's narrative repeated from OLD, part by part."""
    old_cells = {c.pointer: v for c, v in old.cells()}
    changed = []
    n = 0
    only_new = []
    for cell, value in new.cells():
        if cell.pointer not in old_cells:
            only_new.append(cell.pointer)
            continue
        n += 1
        before = old_cells[cell.pointer]
        units = _units(cell, old, new) if isinstance(value, Decimal) or isinstance(before, Decimal) else None
        if before == value and (before is None) == (value is None) and units is None:
            continue
        diff = _difference(before, value, units)
        changed.append(CellChange(cell.pointer, " › ".join([*(g.zh for g in cell.group_labels), cell.row.label.zh]),
                                  cell.column.label.zh, before, value, diff, *(units or (None, None))))
    new_pointers = {c.pointer for c in new.spec.cells()}
    apart = (tuple(p for p in old_cells if p not in new_pointers), tuple(only_new),
             (old.format_version, new.format_version))
    parts: list[PartCopy] = []
    for field in attrs.fields(Parts):
        got = copied(getattr(old.parts, field.name), getattr(new.parts, field.name), old.year, new.year)
        if got is None:
            return Comparison(tuple(changed), n, None, *apart)
        if got[0]:
            parts.append(PartCopy(field.name, got[0], got[1]))
    return Comparison(tuple(changed), n, tuple(parts), *apart)
