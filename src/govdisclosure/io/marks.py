"""What a reader of a rendered report is shown beside a cell's value, and how each reader of ours takes it off.

- a cell the parser could not settle (its provenance has ``candidates`` or a ``note``) is marked
  :data:`DOUBT` ``？`` with a number, and a note under its table says, by the row and column labels,
  what was printed and why it is blank or in doubt: a reader never takes it for a cell the agency
  left blank;
- an amount whose unit the form does not fix (2019's 采购总金额) is shown with the unit it was
  published in (``251000元``), as the provenance keeps it (``unit``).

The canonical value is unchanged: the marks are display only, and every renderer of ours writes them
where its reader knows to take them off, so ``load(render(r)) == r`` holds.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..formats.spec import CellKind, CellSpec
from ..labels import Label

if TYPE_CHECKING:
    from ..model import CellProvenance

__all__ = ["DOUBT", "DOUBTS", "doubt_note", "in_doubt", "note_text", "place", "shown_unit", "unit_fixed"]

#: the mark after an unsettled cell's value (a full-width question mark)
DOUBT = "？"
#: what a note on unsettled cells is headed with
DOUBTS = Label("存疑单元格", "Cells in doubt")


def in_doubt(prov: CellProvenance | None) -> bool:
    """Whether a cell's provenance says its value could not be settled (candidates, or a note)."""
    return prov is not None and bool(prov.candidates or prov.note)


def shown_unit(cell: CellSpec, prov: CellProvenance | None) -> str:
    """The unit printed after an amount's value: the one it was published in (``元``, ``万元``); "" when the
    provenance keeps none, and for a count."""
    if prov is None or not prov.unit or cell.column.kind is not CellKind.AMOUNT:
        return ""
    return prov.unit


def unit_fixed(cell: CellSpec) -> bool:
    """Whether the form's label fixes an amount's unit (2021's 本年收费金额（单位：万元）); 2019's 采购总金额
    says none, and reports printed it in 元 or 万元."""
    return "单位" in cell.column.label.zh


def place(cell: CellSpec) -> Label:
    """A cell by the labels a reader sees: ``第二十条第（一）项 › 规范性文件 · 本年新制作数量``."""
    labels = [*([cell.block.label] if cell.block.label is not None else []), *cell.group_labels, cell.row.label]
    column = [cell.column.group, cell.column.label] if cell.column.group is not None else [cell.column.label]
    return Label(" › ".join(x.zh for x in labels) + " · " + " › ".join(c.zh for c in column),
                 " › ".join(x.en for x in labels) + " · " + " › ".join(c.en for c in column))


#: the note ``aggregate`` wrote before its notes came in two halves: 「空白于 / blank in: a.json, b.json」
_OLD_BLANK_IN = re.compile(r"^空白于 / blank in: (?P<names>.*)$", re.S)


def note_text(note: str) -> Label:
    """A provenance note in each language.  This package writes its notes in both, ``中文 / English`` (the
    parser's doubts; a sum's 「空白于：a.json / blank in: a.json」): each language gets its half.  A note in
    one language (a clerk's), or one whose halves cannot be told apart (a second `` / `` in it), is shown
    as written in both."""
    old = _OLD_BLANK_IN.match(note)
    if old is not None:
        return Label(f"空白于：{old['names']}", f"blank in: {old['names']}")
    zh, sep, en = note.partition(" / ")
    if not sep or " / " in en or not zh.strip() or not en.strip():
        return Label(note, note)
    return Label(zh, en)


def doubt_note(prov: CellProvenance, blank: bool) -> Label:
    """Why a cell is in doubt, in words: what was printed, the values it could be, and what was done.

    A note on a printed cell (the provenance says what was printed or where: the parser's doubts) is headed
    「存疑 / in doubt」; any other note (a sum's 「空白于：… / blank in: …」) says it all itself."""
    if prov.candidates:
        could = prov.candidates.split("|")
        raw_zh = f"原文“{prov.raw}”" if prov.raw else "原文数字"
        raw_en = f"printed “{prov.raw}”" if prov.raw else "the printed digits"
        zh = f"{raw_zh}无法唯一拆分，可能为 {'、'.join(could)}"
        en = f"{raw_en}: no unique split; could be {', '.join(could)}"
    else:
        note = note_text(str(prov.note or ""))
        printed = prov.raw is not None or prov.line is not None or prov.page is not None or prov.column is not None
        zh = (f"存疑：{note.zh}" if printed else note.zh) + (f"（原文“{prov.raw}”）" if prov.raw else "")
        en = (f"in doubt: {note.en}" if printed else note.en) + (f" (printed “{prov.raw}”)" if prov.raw else "")
    if blank:
        zh, en = zh + "；此处留空", en + "; left blank here"
    return Label(zh, en)
