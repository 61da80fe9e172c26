"""Rules of rules.md that are not balances: blanks, plausibility and the report as a document.

Thresholds and word lists are module-level data so that a variant plugin can register its own
rule with other values.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Final

from ..errors import quote
from ..findings import Finding, Severity
from ..formats.published import FEE_WORDS
from ..formats.spec import CellKind
from ..ingest.numerals import ZH_YEAR, number
from ..labels import Label
from ..model.scalars import LEVEL_LABELS
from .hooks import rules_hook
from .types import Check, ReportCheck, Rule, RuleContext
from .values import _slices, cell_holds, run_complete, run_suspect, run_values  # ctx.values(…) without its frame

if TYPE_CHECKING:
    from ..formats.spec import CellSpec, FormatSpec, Part, StatedCount
    from ..model import CellProvenance, Report

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

#: levels whose agencies cannot make 规章 (立法法: only provinces, larger cities, State Council departments)
NO_RULE_MAKING = ("township", "county_department", "county_government")
#: names of bodies that make no 规章 whatever their level is recorded as
NO_RULE_MAKING_NAMES = ("开发区", "高新区", "园区", "街道办事处")
#: publication deadline in the following year, by agency level (条例 第四十九条, the format notices)
DEADLINES: dict[str, tuple[int, int]] = {
    "state_council_department": (1, 31),
    "provincial_department": (1, 31),
    "city_department": (1, 31),
    "county_department": (1, 31),
    "township": (1, 31),
    "county_government": (2, 20),
    "city_government": (3, 10),
    "provincial_government": (3, 31),
}
OVERVIEW_MAX_CHARS = 1000
OTHER_HIGH_SHARE = 0.10  #: table 3's other handling above this share of all results ...
OTHER_HIGH_MIN_TOTAL = 10  #: ... when at least this many requests were handled
#: what an agency writes about information-processing fees, charged or not (GD-M-FEES)
FEE_NAMES = ("信息处理费", "信息公开处理费")
FEE_PATTERNS = (FEE_WORDS.pattern,)  #: declared with the other published wordings


# ----------------------------------------------------------------------------- blanks

def _blanks(table_id: str) -> ReportCheck:
    known: dict[int, _BlankTable] = {}  # by the format's identity: what this table's check reads of it

    def check(report: Report, ctx: RuleContext) -> list[Finding]:
        memo = ctx.memo
        if run_complete(report, memo):
            return []
        spec = report.spec
        table = _blank_table(known, spec, table_id)
        # the table's blanks, by its cells' places (:func:`_cells`' order)
        blank = (_blank_slots(run_values(report, table_id, memo)) if table.stop < 0
                 else _blanks_between(run_values(report, None, memo), table.start, table.stop))
        if not blank:
            return []
        places = table.places
        # a cell the parser could not settle was printed, not left blank: GD-PARSE-UNSETTLED says so
        unsettled = _run_unsettled(report, memo)
        if unsettled:
            blank = [i for i in blank if places[i] not in unsettled]
        # nor was a row the parser never found (its table cut off by the text's end, an image): not the agency's
        # blank, as the audit store's not_found says (audit/store.py, UNFOUND_ROW); a report written as data keeps all
        if table.pointer in _lost_rows(ctx):
            has, firsts = _printed(report, table_id), _first_places(spec, table_id)
            blank = [i for i in blank if has[i] or has[firsts[i]]]
        total = table.total
        if not blank or len(blank) == total:
            return []  # a table printed wholly blank is GD-M-SECTIONS' finding: one cause, one finding
        pointers, labels, english = table.pointers, table.labels, table.english
        prov: dict[Any, Any] = report.provenance  # a dict's get, not a method looked up by name each cell
        named = [pointers[i] for i in blank]
        raw = {}
        for pointer in named:
            at = prov.get(pointer)
            if at is not None and at.raw is not None:
                raw[pointer] = at.raw
        return [ctx.finding(pointer=named[0], pointers=named, labels=[labels[i] for i in blank], count=len(blank),
                            cells=total, table=table.label, first=Label(labels[blank[0]], english[blank[0]]), raw=raw)]
    return check


#: formats a check keeps what it reads of them for (:func:`_blanks`): more is a caller making formats of its own
_MAX_FORMATS: Final = 64


class _BlankTable:
    """What GD-*-BLANK reads of a table of a format, the same for every report (looked up once a report by the
    format's identity, not five times by its hash, which is Python's)."""

    def __init__(self, spec: FormatSpec, table_id: str) -> None:
        self.spec = spec  # kept: looked up by its id
        self.pointer = f"/{table_id}"  #: what a finding saying the parser lost the table's rows names
        self.total = len(_cells(spec, table_id))
        self.places = _places(spec, table_id)
        #: where the table's cells are among all the values, when they are all together (else stop is -1)
        cut = _slices(spec).get(table_id)
        self.start: int = cut.start if cut is not None else 0
        self.stop: int = cut.stop if cut is not None else -1
        self.pointers, self.labels, self.english, self.label = _names(spec, table_id)


def _blank_table(known: dict[int, _BlankTable], spec: FormatSpec, table_id: str) -> _BlankTable:
    """What :func:`_blanks`' check of ``table_id`` reads of ``spec``, made once (``known``: the check's)."""
    table = known.get(id(spec))
    if table is None or table.spec is not spec:
        if len(known) >= _MAX_FORMATS:
            known.clear()
        table = known[id(spec)] = _BlankTable(spec, table_id)
    return table


def _blanks_between(values: tuple[Any, ...], start: int, stop: int) -> list[int]:
    """Where the blanks are among ``values[start:stop]`` (a table's, read off all the run's values without the
    table's own copy), by their place from ``start``."""
    return [i - start for i in range(start, stop) if values[i] is None]


def _run_unsettled(report: Report, memo: dict[Any, Any]) -> frozenset[int]:
    """Where the blanks the parser could not settle (:func:`_unsettled`) are among all the values: found once per run
    for the three tables' GD-*-BLANK and GD-PARSE-UNSETTLED, from the provenance (a few dozen cells of an excerpt,
    where its blanks are some 150)."""
    key = ("unsettled", id(report))
    found: frozenset[int] | None = memo.get(key)
    if found is None:
        every = run_values(report, None, memo)
        slots = _slots(report.spec)
        prov: dict[Any, Any] = report.provenance
        out: list[int] = []
        for pointer, at in prov.items():  # a loop, not a generator: compiled, no frame resumed a cell
            s = slots.get(pointer)
            if s is not None and every[s] is None and _unsettled(at):
                out.append(s)
        found = memo[key] = frozenset(out)
    return found


def _printed(report: Report, table_id: str) -> list[bool]:
    """For each of a table's cells (:func:`_cells`' order), whether it has provenance (``pointer in
    report.provenance``), found from the provenance (a few dozen cells of an excerpt)."""
    index = _indexes(report.spec, table_id)
    has = [False] * len(index)
    prov: dict[Any, Any] = report.provenance
    for pointer in prov:
        at = index.get(pointer)
        if at is not None:
            has[at] = True
    return has


@functools.cache
def _indexes(spec: FormatSpec, table_id: str) -> dict[Any, int]:
    """Each of a table's cells' place in :func:`_cells`' order, by pointer."""
    return {cell.pointer: i for i, cell in enumerate(_cells(spec, table_id))}


@functools.cache
def _first_places(spec: FormatSpec, table_id: str) -> tuple[int, ...]:
    """For each of a table's cells (:func:`_cells`' order), the place of the first cell of the row it is printed in
    (:func:`_row_firsts`)."""
    index = _indexes(spec, table_id)
    return tuple(index[first] for _, first in _row_firsts(spec, table_id))


@functools.cache
def _places(spec: FormatSpec, table_id: str) -> tuple[int, ...]:
    """Where a table's cells (:func:`_cells`' order) are among all the values."""
    return tuple(i for i, cell in enumerate(spec.cells()) if cell.table.id == table_id)


@functools.cache
def _names(spec: FormatSpec, table_id: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], Label]:
    """A table's cells' pointers and labels (:func:`_cells`' order; the labels as ``cell.label()`` and
    ``cell.label("en")`` word them), and the table's label: the same for every report."""
    cells = _cells(spec, table_id)
    return (tuple(c.pointer for c in cells), tuple(c.label() for c in cells), tuple(c.label("en") for c in cells),
            spec.table(table_id).label)


#: what the parser says when it lost a table's rows (the text cut inside it, the table not found)
_LOST_ROWS: Final = frozenset({"GD-PARSE-TRUNCATED", "GD-PARSE-TABLE"})


def _lost_rows(ctx: RuleContext) -> frozenset[str]:
    """The pointers the parser's findings say it lost rows of (:data:`_LOST_ROWS`), found once per run for the
    three tables."""
    loaded = ctx.load_findings
    key = ("lost rows", id(loaded))
    found: frozenset[str] | None = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = frozenset(f.pointer for f in loaded if f.code in _LOST_ROWS)
    return found


@functools.cache
def _row_firsts(spec: FormatSpec, table_id: str) -> tuple[tuple[str, str], ...]:
    """Each of a table's cells (:func:`_cells`' order) with the first cell of the row it is printed in: its row's
    first column, or a transposed block's first cell (table 4 prints its block as one row)."""
    table = spec.table(table_id)
    first: dict[tuple[Any, ...], str] = {}
    out = []
    for cell in _cells(spec, table_id):
        block = next(i for i, b in enumerate(table.blocks) if b == cell.block)
        key = (block,) if cell.block.transposed else (block, cell.path)
        out.append((cell.pointer, first.setdefault(key, cell.pointer)))
    return tuple(out)


@functools.cache
def _cells(spec: FormatSpec, table_id: str | None) -> tuple[CellSpec, ...]:
    """A table's cells (every cell for None), in the order of ``report.values(table_id)``: zipped with
    the run's values (``ctx.values``) instead of walking the report's cells again."""
    return tuple(cell for cell in spec.cells() if table_id is None or cell.table.id == table_id)


def _blank_slots(values: tuple[Any, ...]) -> list[int]:
    """Where the blanks (None) are among values, in order (a loop compiled: an excerpt's tables are half blank)."""
    return [i for i, value in enumerate(values) if value is None]


def _unsettled(prov: CellProvenance | None) -> bool:
    # a parser's doubt: candidates, or a note on what it read (raw); a note alone is another tool's
    # ("blank in …" of a sum), not a doubt of the parser
    return prov is not None and (prov.candidates is not None or (prov.note is not None and prov.raw is not None))


def _parse_unsettled(report: Report, ctx: RuleContext) -> list[Finding]:
    if not report.provenance or run_complete(report, ctx.memo):  # the tables' cells are all the cells
        return []
    unsettled = _run_unsettled(report, ctx.memo)
    if not unsettled:
        return []
    every = _cells(report.spec, None)
    cells = [every[i] for i in sorted(unsettled)]
    return [ctx.finding(pointer=cells[0].pointer, pointers=[c.pointer for c in cells],
                        labels=[c.label() for c in cells], count=len(cells),
                        candidates={c.pointer: report.provenance[c.pointer].candidates for c in cells})]


def _text_numbers(report: Report, ctx: RuleContext) -> list[Finding]:
    found: list[Finding] = []
    if report.stated is None:
        return found
    every: tuple[Any, ...] | None = None
    for stated, slotted in _readings(report.spec):
        said = getattr(report.stated, stated.id, None)
        readings = stated.readings
        if said is None or not readings:
            continue
        if every is None:
            every = run_values(report, None, ctx.memo)
        sums = []
        for slots, pointers in zip(slotted, readings, strict=True):
            total = _reading(every, slots) if slots is not None else _reading(
                tuple(report.cell(p) for p in pointers), range(len(pointers)))
            if total is None:
                break
            sums.append(total)
        else:
            if said not in sums:  # each reading named, so that a reader sees which cells the text was held to
                shown = [(total, [report.spec.label_at(p) or Label(p, p) for p in pointers])
                         for total, pointers in zip(sums, readings, strict=True)]
                table = Label(" / ".join(f"{t}（{' + '.join(n.zh for n in names)}）" for t, names in shown),
                              " / ".join(f"{t} ({' + '.join(n.en for n in names)})" for t, names in shown))
                found.append(ctx.finding(pointer=f"/stated/{stated.id}", pointers=list(readings[0]), said=said,
                                         table=table, what=stated.label))
    return found


def _reading(values: tuple[Any, ...], slots: Iterable[int]) -> Any:
    """The sum of the values at ``slots`` (``sum()``'s, from 0), None when one of them is blank."""
    total: Any = 0
    for slot in slots:
        value = values[slot]
        if value is None:
            return None
        total += value
    return total


@functools.cache
def _readings(spec: FormatSpec) -> tuple[tuple[StatedCount, tuple[tuple[int, ...] | None, ...]], ...]:
    """Each stated count with its readings as places among the run's values (``ctx.values(report)``); None
    for a reading that names a pointer that is not a cell (``report.cell`` says which)."""
    slots = _slots(spec)
    return tuple((stated, tuple(tuple(slots[p] for p in pointers) if all(p in slots for p in pointers) else None
                                for pointers in stated.readings)) for stated in spec.stated)


@functools.cache
def _slots(spec: FormatSpec) -> dict[str, int]:
    """Each cell's place among the run's values (``ctx.values(report)``), by pointer."""
    return {cell.pointer: i for i, cell in enumerate(spec.cells())}


def _blank_rule(code: str, table_id: str, number: Label) -> Check:
    return Check(
        code=code, severity=WARNING, check=_blanks(table_id),
        description=Label(f"{number.zh}中有空白、“/”或“—”的单元格（应填数字，没有则填 0）",
                          f"{number.en} has blank, '/' or '—' cells where the form asks for a number (0 if none)"),
        message=Label(f"{number.zh}（{{table}}）有 {{count}}/{{cells}} 个单元格为空白（首个：{{first}}）",
                      f"{number.en} ({{table}}): {{count}} of {{cells}} cells are blank (first: {{first}})"),
    )


# ----------------------------------------------------------------------------- values

def _cell_values(report: Report, ctx: RuleContext) -> list[Finding]:
    """Each cell holding what the form's cells do not: a count that is not a non-negative integer, a signed count
    that is not an integer, an amount that is not a non-negative number (a value a caller put there; a loader
    refuses it, the parser never makes it).  A bool is an int to Python: one is taken for 0 or 1 when nothing
    else of the report is suspect."""
    if not run_suspect(report, ctx.memo):
        return []  # the usual case: :func:`.types.run_values` checked every value in C
    found = []
    for cell, value in zip(report.spec.cells(), report.values(), strict=True):
        kind = cell.column.kind
        if cell_holds(kind, value):
            continue
        found.append(ctx.finding(pointer=cell.pointer, value=quote(value), type=type(value).__name__,
                                 expected=_EXPECTED.get(kind, _EXPECTED[CellKind.COUNT])))
    return found


#: what a cell of each kind holds (GD-CELL-VALUE's words)
_EXPECTED = {CellKind.COUNT: Label("非负整数", "a non-negative integer"), CellKind.SIGNED: Label("整数", "an integer"),
             CellKind.AMOUNT: Label("非负的数", "a non-negative number")}


# ----------------------------------------------------------------------------- table 2

def _t2_level(report: Report, ctx: RuleContext) -> list[Finding]:
    level = report.agency.level
    name = report.agency.name or ""
    found: list[Finding] = []
    if level not in NO_RULE_MAKING and not any(word in name for word in NO_RULE_MAKING_NAMES):
        return found
    who = _rule_maker(level, name)
    every = _raw_values(report, ctx.memo)
    for cell, slot in _rules_row(report.spec):
        value = every[slot] if every is not None else report.cell(cell.pointer)
        if value:
            found.append(ctx.finding(pointer=cell.pointer, labels=[cell.label()], value=value, level=level or name,
                                     level_name=LEVEL_LABELS[level] if level in LEVEL_LABELS else Label(name, name),
                                     who=who, why=_why_no_rules(level), column=cell.column.label,
                                     row=cell.row.label))
    return found


def _rule_maker(level: str | None, name: str) -> Label:
    """Who reports the 规章 in GD-T2-LEVEL's words: an agency of its level, or, its level not known, the agency by
    its name (a development zone's: the English put the name where a level is said, probe 13 #14)."""
    if level in NO_RULE_MAKING and level in LEVEL_LABELS:
        level_name = LEVEL_LABELS[level]
        return Label(f"{level_name.zh}报告", f"an agency of level {level_name.en} reports")
    # made no rules for its name (开发区, 街道办事处 …), whatever its level is recorded as
    return Label(f"{name}报告", f"{name} reports")


def _why_no_rules(level: str | None) -> Label:
    if level in NO_RULE_MAKING:
        return Label("规章不由此层级制定", "this level makes no 规章")
    return Label("开发区、园区、街道办事处等不制定规章", "a development zone, park or street office makes no 规章")


@functools.cache
def _rules_row(spec: FormatSpec) -> tuple[tuple[CellSpec, int], ...]:
    """Table 2's 规章 row's cells, each with its place among all the values."""
    return tuple((cell, i) for i, cell in enumerate(spec.cells())
                 if cell.table.id == "proactive" and cell.path == ("rules",))


def _raw_values(report: Report, memo: dict[Any, Any]) -> tuple[Any, ...] | None:
    """All the values as the report holds them (``report.cell``'s), read off the run's values (:func:`run_values`),
    which are those unless a value is suspect (made blank there): None then."""
    return None if run_suspect(report, memo) else run_values(report, None, memo)


_PUBLISHED_COLUMNS = ("published", "total_published", "made")
_Published = tuple[tuple[str, ...], Any, dict[str, Any], tuple[int, ...] | None]


@functools.cache
def _published_rows(spec: FormatSpec) -> tuple[_Published, ...]:
    # every row whose block has these three columns: the official two and a variant's additions; with the places
    # of its three cells among the run's values (None: one is not a cell, which ``report.cell`` says)
    out = []
    slots = _slots(spec)
    for path, row_spec, block in spec.rows("proactive"):
        columns = {c.id: c for c in block.columns}
        if {"made", "published", "total_published"} <= columns.keys():
            at = [slots.get(f"/proactive/{path[0]}/{c}") for c in _PUBLISHED_COLUMNS]
            out.append((path, row_spec, columns, None if None in at else tuple(s for s in at if s is not None)))
    return tuple(out)


def _t2_published(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    rows = _published_rows(report.spec)
    every = run_values(report, None, ctx.memo) if rows else ()
    for path, row_spec, columns, at in rows:
        base = f"/proactive/{path[0]}"
        if at is not None:
            published, total, made = every[at[0]], every[at[1]], every[at[2]]
        else:
            published, total, made = (report.cell(f"{base}/{c}") for c in _PUBLISHED_COLUMNS)
        if published is None:
            continue
        for other, bad in (("total_published", total is not None and published > total),
                           ("made", made is not None and made < published)):
            if bad:
                a, b = columns["published"].label, columns[other].label
                yield ctx.finding(pointer=f"{base}/{'published' if other == 'total_published' else 'made'}",
                                  pointers=[f"{base}/published", f"{base}/{other}"],
                                  row=row_spec.label, a=a, av=published, b=b, bv=report.cell(f"{base}/{other}"))


# ----------------------------------------------------------------------------- table 3

def _other_high(report: Report, ctx: RuleContext) -> list[Finding]:
    every, at = _raw_values(report, ctx.memo), _slots(report.spec)
    other = every[at[_OTHER]] if every is not None and _OTHER in at else report.cell(_OTHER)
    total = every[at[_TOTAL]] if every is not None and _TOTAL in at else report.cell(_TOTAL)
    if other is None or not total or total < OTHER_HIGH_MIN_TOTAL:
        return []
    share = other / total
    if share > OTHER_HIGH_SHARE:
        return [ctx.finding(pointer="/requests/other/total",
                            pointers=["/requests/other/total", "/requests/total/total"], other=other, total=total,
                            share=f"{share:.0%}", threshold=f"{OTHER_HIGH_SHARE:.0%}",
                            other_row=report.spec.cell("/requests/other/total").row.label,
                            total_row=report.spec.cell("/requests/total/total").row.label)]
    return []


#: table 3's cells GD-T3-OTHER-HIGH compares
_OTHER: Final = "/requests/other/total"
_TOTAL: Final = "/requests/total/total"


# ----------------------------------------------------------------------------- the document

def _format(report: Report, ctx: RuleContext) -> list[Finding]:
    if report.year is not None and not report.spec.serves(report.year):
        spec = report.spec
        # zh: 2021 年度起 (not 2021–今 年度); en: 2021 onwards
        serves = (Label(f"{spec.first_year}–{spec.last_year} 年度", f"{spec.first_year}–{spec.last_year}")
                  if spec.last_year else Label(f"{spec.first_year} 年度起", f"{spec.first_year} onwards"))
        last = Label(str(spec.last_year or "今"), str(spec.last_year or "now"))
        return [ctx.finding(pointer="/format_version", year=report.year, version=report.format_version,
                            first=spec.first_year, last=last, serves=serves)]
    return []


def _deadline(report: Report, ctx: RuleContext) -> list[Finding]:
    level, published = report.agency.level, report.published_on
    if level not in DEADLINES or published is None or report.year is None:
        return []
    month, day = DEADLINES[level]
    deadline = dt.date(report.year + 1, month, day)
    if published > deadline:
        return [ctx.finding(pointer="/published_on", published=published.isoformat(), deadline=deadline.isoformat(),
                            level=level, days=published.toordinal() - deadline.toordinal())]
    return []


def _sections(report: Report, ctx: RuleContext) -> list[Finding]:
    complete = run_complete(report, ctx.memo)
    found: list[Finding] = []
    unseen = _unseen_parts(report.spec, ctx)
    every: tuple[Any, ...] = ()
    for part, pointer, cellless, (start, stop) in _section_pointers(report.spec):
        if part.number in unseen:
            continue
        if part.is_table:
            if complete:  # every cell of a report without blanks has a value: only a table without cells is empty
                empty = cellless
            elif stop >= 0:  # its cells all together: looked at among all the values, not copied out
                every = every or run_values(report, None, ctx.memo)
                empty = all(every[i] is None for i in range(start, stop))
            else:
                values = run_values(report, part.id, ctx.memo)
                empty = not values or (values[0] is None and values.count(None) == len(values))
        else:
            text = getattr(report.parts, part.id)
            empty = not text or text.isspace()  # nothing left once stripped, without making the copy
        if empty:
            found.append(ctx.finding(pointer=pointer, part=part.heading))
    return found


def _unseen_parts(spec: FormatSpec, ctx: RuleContext) -> frozenset[int]:
    """The parts the parser says the text holds but it could not read, or the text does not reach: a table whose
    heading is printed with nothing but an image under it (GD-PARSE-TABLE naming the heading), and a table the text
    is surely cut inside with every part after it (GD-PARSE-TRUNCATED, ``sure``: a header with nothing after it may
    be a report that stopped there).  Missing from the input, not left out by the agency: the parser's finding says
    so, and no rule blames the report for them; never on a guess."""
    out: set[int] = set()
    for f in ctx.load_findings:
        image = f.code == "GD-PARSE-TABLE" and "heading" in f.params
        if not image and not (f.code == "GD-PARSE-TRUNCATED" and f.params.get("sure") is True):
            continue
        number = next((p.number for p in spec.parts if f"/{p.id}" == f.pointer), None)
        if number is not None:  # an image: that table; the text ending inside a table: it and every part after
            out.update(p.number for p in spec.parts if p.number == number or (not image and p.number > number))
    return frozenset(out)


@functools.cache
def _section_pointers(spec: FormatSpec) -> tuple[tuple[Part, str, bool, tuple[int, int]], ...]:
    """Each part with the pointer a finding of it names, for a table part whether it has no cell, and where a
    table's cells are among all the values when they are all together (else (0, -1))."""
    cuts = _slices(spec)
    return tuple((part, f"/{part.id}" if part.is_table else f"/parts/{part.id}",
                  part.is_table and not _cells(spec, part.id), _between(cuts.get(part.id))) for part in spec.parts)


def _between(cut: slice | None) -> tuple[int, int]:
    return (cut.start, cut.stop) if cut is not None else (0, -1)


#: the title's year, in Arabic digits or in Chinese numerals (二〇二三年度…: as the parser reads it)
_TITLE_YEAR = re.compile(rf"(20[0-9]{{2}}|{ZH_YEAR})\s*年")


def _year(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    y = report.year
    if y is None:
        return
    if report.title:
        m = _TITLE_YEAR.search(report.title)
        if m and number(m.group(1)) != y:
            yield ctx.finding(pointer="/title", what=Label("标题中的年份", "the year in the title"),
                              found=m.group(1), year=y)
    if report.period is not None:
        for end, date in (("start", report.period.start), ("end", report.period.end)):
            if date.year != y:
                yield ctx.finding(pointer=f"/period/{end}", what=Label("统计期限", "the statistics period"),
                                  found=date.isoformat(), year=y)
        if report.period.start > report.period.end:  # the schema cannot say it; the rules do
            yield ctx.finding(pointer="/period", what=Label("统计期限（起日晚于止日）",
                                                            "the statistics period (starting after it ends)"),
                              found=f"{report.period.start.isoformat()}—{report.period.end.isoformat()}", year=y)
    # the year ends with its 31 December: a report dated that day is not dated before it (review 13b #4)
    if report.published_on is not None and report.published_on < dt.date(y, 12, 31):
        yield ctx.finding(pointer="/published_on",
                          what=Label("发布日期（早于报告年度结束）", "the publication date (before the year ended)"),
                          found=report.published_on.isoformat(), year=y)


def _heading(report: Report, part_id: str) -> Label:
    return next(p.heading for p in report.spec.parts if p.id == part_id)


def _overview_length(report: Report, ctx: RuleContext) -> list[Finding]:
    text = report.parts.overview or ""
    limit = int(ctx.options.get("max_chars", OVERVIEW_MAX_CHARS))
    if len(text) <= limit:
        return []  # its characters without whitespace are no more than all of them
    n = sum(map(len, text.split()))
    if n > limit:
        return [ctx.finding(pointer="/parts/overview", chars=n, limit=limit, part=_heading(report, "overview"))]
    return []


def _fees(report: Report, ctx: RuleContext) -> list[Finding]:
    text = report.parts.other or ""
    if not text.strip():
        return []  # an empty part 6 is GD-M-SECTIONS' finding: one cause, one finding
    patterns = tuple(ctx.options.get("patterns", FEE_PATTERNS))
    if _says(text, patterns):
        return []
    from .document.narrative import simplified, traditional  # imported by the first report that needs it

    if traditional(report, ctx.memo) and _says(simplified(text), patterns):
        return []  # in Traditional script (處理費): matched folded, as the parser matches it
    return [ctx.finding(pointer="/parts/other", words="、".join(FEE_NAMES), part=_heading(report, "other"))]


def _says(text: str, patterns: tuple[str, ...]) -> bool:
    return any(re.search(pattern, text) for pattern in patterns)


def _other_single(report: Report, ctx: RuleContext) -> list[Finding]:
    if report.year is not None and not report.spec.serves(report.year):
        # a 2019–2020 report: its single row is what its year's (2019) format asks for, and splitting it would make
        # the report more wrong; the template is GD-M-FORMAT's finding (probe 13 #10)
        return []
    cell = report.spec.cell("/requests/other/total")
    return [ctx.finding(pointer="/requests/other", pointers=_other_row(report.spec), label=cell.row.label)]


@functools.cache
def _other_row(spec: FormatSpec) -> tuple[str, ...]:
    """The pointers of table 3's row (6) other handling printed as one row."""
    return tuple(c.pointer for c in _cells(spec, "requests") if c.path == ("other",))


def _same_agency(report: Report, previous: Report, ctx: RuleContext) -> Iterator[Finding]:
    if previous.year is None or report.year is None or previous.year != report.year - 1:
        expected = report.year - 1 if report.year is not None else "?"
        yield ctx.finding(pointer="/year", what=Label("年度", "year"), this=report.year, prev=previous.year,
                          expected=expected, verdict=Label(f"应为 {expected}", f"expected {expected}"))
    a, b = report.agency.name, previous.agency.name
    # names a user (or an audit's agency map) says are one agency: 洪泽区人民政府 / 淮安市洪泽区人民政府
    same = any(a in names and b in names for names in ctx.options.get("agencies", ()))
    if a and b and a != b and not same:
        # what is known is that the names differ, not which is right
        yield ctx.finding(pointer="/agency/name", what=Label("机关名称", "agency name"), this=a, prev=b,
                          expected=a, verdict=Label(
                              f"与本年的“{a}”不同（同一机关改名的，在规则选项中写 GD-X-SERIES 的 "
                              f"agencies = [[\"{b}\", \"{a}\"]]，或用 audit --agencies 对照表）",
                              f"not this year's '{a}' (one agency renamed: set GD-X-SERIES's option "
                              f"agencies = [[\"{b}\", \"{a}\"]], or give audit an --agencies map)"))


CHECKS: tuple[Rule, ...] = (
    _blank_rule("GD-T2-BLANK", "proactive", Label("表二", "Table 2")),
    _blank_rule("GD-T3-BLANK", "requests", Label("表三", "Table 3")),
    _blank_rule("GD-T4-BLANK", "review_litigation", Label("表四", "Table 4")),
    Check(code="GD-CELL-VALUE", severity=ERROR, check=_cell_values,
          description=Label("单元格的值不是表格可填的数（计数为非负整数，金额为非负的数）：无法核对，其他规则视之为未知",
                            "A cell holds what the form's cells cannot (a count is a non-negative integer, an amount a "
                            "non-negative number): it cannot be checked, and other rules take it as unknown"),
          message=Label("值 {value}（{type}）应为{expected}", "the value {value} ({type}) should be {expected}")),
    Check(code="GD-T2-LEVEL", severity=WARNING, check=_t2_level,
          description=Label("规章只能由省级、设区的市级政府和国务院部门制定：乡镇、县级政府及县级部门报告规章数大于 0",
                            "Only provinces, larger cities and State Council departments make 规章: a township or "
                            "county-level agency reports rules > 0"),
          message=Label("{who}「{row} · {column}」= {value}（{why}）", "{who} {row} · {column} = {value} ({why})")),
    Check(code="GD-T2-PUBLISHED", severity=INFO, formats={"2019"}, check=_t2_published,
          description=Label("2019 格式：表二某行的新公开数大于公开总数，或新制作数小于新公开数",
                            "2019 format: published > total published, or made < published"),
          message=Label("「{row}」：{a} {av} 大于 {b} {bv}", "{row}: {a} {av} exceeds {b} {bv}")),
    Check(code="GD-T3-OTHER-HIGH", severity=INFO, formats={"2019"}, check=_other_high,
          description=Label("2019 格式：表三“其他处理”占办理结果的比例偏高（60号文要求了解情况）",
                            "2019 format: a high share of (6) other handling among the results"),
          message=Label("{other_row} {other} 件，占{total_row} {total} 件的 {share}（超过 {threshold}）",
                        "{other_row}: {other} of {total} results, {share} (above {threshold})")),
    Check(code="GD-M-FORMAT", severity=ERROR, check=_format,
          description=Label("格式版本与报告年度不符（2019–2020 年度用 2019 格式，2021 年度起用 2021 格式）",
                            "The format version does not match the report year (2019 format for 2019–2020, 2021 "
                            "format from 2021)"),
          message=Label("{year} 年度报告使用了 {version} 格式（该格式适用于 {serves}）",
                        "a {year} report uses the {version} format (which serves {serves})")),
    Check(code="GD-M-DEADLINE", severity=WARNING, check=_deadline,
          description=Label("发布晚于法定期限（部门、乡镇 1 月 31 日；县级政府 2 月 20 日；市级 3 月 10 日；"
                            "省级 3 月 31 日）",
                            "Published after the deadline (departments and townships 31 Jan; county governments "
                            "20 Feb; cities 10 Mar; provinces 31 Mar)"),
          message=Label("发布日期 {published} 晚于期限 {deadline}（{days} 天）",
                        "published {published}, {days} days after the deadline {deadline}")),
    Check(code="GD-M-SECTIONS", severity=ERROR, check=_sections,
          description=Label("六个部分之一缺失或为空", "One of the six parts is missing or empty"),
          message=Label("缺少或为空：{part}", "missing or empty: {part}")),
    Check(code="GD-M-YEAR", severity=ERROR, check=_year,
          description=Label("标题、统计期限与报告年度不一致，或发布日期早于报告年度结束",
                            "The title's year or the statistics period disagrees with the report year, or the "
                            "report is dated before its year ended"),
          message=Label("{what} {found} 与报告年度 {year} 不符",
                        "{what} {found} disagrees with the report year {year}")),
    Check(code="GD-M-OVERVIEW-LENGTH", severity=INFO, formats={"2021"}, check=_overview_length,
          options={"max_chars": OVERVIEW_MAX_CHARS},
          description=Label("2021 格式：第一部分（总体情况）超过约一千字（篇幅原则上不超过一千字）",
                            "2021 format: part 1 is longer than about 1,000 characters"),
          message=Label("{part} {chars} 字，超过 {limit} 字", "{part}: {chars} characters, more than {limit}")),
    Check(code="GD-M-FEES", severity=WARNING, formats={"2021"}, check=_fees, options={"patterns": list(FEE_PATTERNS)},
          option_kinds={"patterns": "regexes"},
          description=Label("2021 格式：第六部分未说明信息处理费收取情况（收取与否都应说明）",
                            "2021 format: part 6 says nothing about information-processing fees (charged or not)"),
          message=Label("{part}未提及 {words}", "{part} does not mention information-processing fees ({words})")),
    Check(code="GD-T3-OTHER-SINGLE", severity=ERROR, variants={"single-other-row"}, check=_other_single,
          description=Label("2021 年度起的 2021 格式报告把表三的“其他处理”印为一行，而不是三个子项"
                            "（2019–2020 年度报告的一行正是其年度的格式，格式之误由 GD-M-FORMAT 指出）",
                            "A 2021-format report of 2021 or later prints (6) other handling as one row instead of its "
                            "three sub-rows (a 2019–2020 report's one row is its year's format: GD-M-FORMAT says the "
                            "format is wrong)"),
          message=Label("表三的{label}只有一行，2021 格式应分为三项（逾期不补正、逾期未缴费、其他）",
                        "table 3 prints {label} as one row; the 2021 format has three sub-rows")),
    Check(code="GD-M-TEXT-NUMBERS", severity=WARNING, check=_text_numbers,
          description=Label("正文所述数字（收到申请、结转、复议、诉讼）与表格不符",
                            "A count stated in the narrative (received, carried forward, reviews, lawsuits) disagrees "
                            "with the table"),
          message=Label("{what}：正文为 {said}，表格为 {table}（正文也可能只计了部分机关或另一口径）",
                        "{what}: the text says {said}, the table {table} (the text may also count a narrower scope)")),
    Check(code="GD-PARSE-UNSETTLED", severity=INFO, check=_parse_unsettled,
          description=Label("解析时印有数字但读法未能确定的单元格（连写有多种拆分、无法拆分、行比单元格宽）留空，"
                            "原文、原因和可能的值记在 provenance",
                            "Cells printed with numbers the parser could not settle (digits run together with "
                            "several splits or none, a row printed wider than its cells): left blank, what was "
                            "printed, why and any candidates in provenance"),
          message=Label("{count} 个单元格印有数字但读法未能确定，已留空（原文与原因见 provenance 的 raw、note，"
                        "可能的值见 candidates）",
                        "{count} cells were printed with numbers the parser could not settle and were left blank "
                        "(what was printed and why in provenance's raw and note; any candidates in candidates)")),
    Check(code="GD-X-SERIES", severity=WARNING, scope="series", check=_same_agency, options={"agencies": []},
          option_kinds={"agencies": [["洪泽区人民政府", "淮安市洪泽区人民政府"]]},  # names of one agency, per list
          pairs="any",
          description=Label("跨年核对的上年报告不是同一机关的上一年度报告",
                            "The previous report given for the cross-year rules is not the same agency's report of "
                            "the year before"),
          message=Label("上年报告的{what}为 {prev}，{verdict}", "the previous report's {what} is {prev}: {verdict}")),
)


#: the plugin's hook (made by :mod:`.hooks`, so that this module can be compiled)
register_rules = rules_hook(CHECKS)
