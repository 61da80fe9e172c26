"""Stage ``solve``: every cell's value, direct where each number stands apart, else split by the
declared equations (:mod:`.solver`); what cannot be settled stays blank with its candidates.

Provenance is recorded where it says something: what a cell showed when that differs from its
value (``减4``, ``/``, ``73802895.90元``, run-together digits), a unit, the candidates of a cell
left blank and why, the label a row was printed with; and where each printed row is (its line,
its page), once per row, on the row's first cell.
"""

from __future__ import annotations

import functools
import weakref
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from itertools import chain, compress, repeat
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from ..findings import Finding
from ..formats.spec import CellKind, CellSpec, FormatSpec, Label
from ..rules.compiled import Compiled, Instance, compile_format
from ..rules.types import Equation, Rule
from . import findings as F
from .budget import BudgetSpent
from .normalise import fold
from .patterns import compiled
from .rows import label_forms, printed_rows
from .solver import COMPILED, LAYOUTS, MAX_DIGITS, Run, _count_in, apart, checked, joint, neighbours, splits, touching
from .state import State
from .tokens import Token, cell_words

if TYPE_CHECKING:
    from ..registry import Registry

__all__ = ["solve"]

AMBIGUOUS_NOTE: Final = "数字连写，有多种拆分且无法由等式确定 / digits run together; several splits fit"
UNSPLIT_NOTE: Final = "无法把本行数字拆分到各列 / the row's numbers could not be split into its cells"
JOINT_NOTE = "连写的数字由表中等式共同确定（唯一解） / settled by the table's equations together (the only solution)"
BROKEN_NOTE = "本行数字不满足本行等式，按唯一的拆分读取 / the row breaks its own equation; read by its only split"
BUDGET_NOTE: Final = "解析工作量用尽，未拆分 / the parse's work budget ran out: not split"
#: the cells of a row whose numbers were printed after all the table's labels (:func:`.rows._numbers_after_labels`)
BY_ORDER_NOTE: Final = ("数字印在各行标签之后，按标签的顺序逐行归入本行（非同一行所印） / "
                        "printed after all the rows' labels: given to this row by the labels' order, not by a label "
                        "on its line")

#: how a row's numbers were printed: each apart and as its value reads (nothing to say of a cell), each
#: apart, or run together (said once, on the row's first cell)
PLAIN, APART, RUN_TOGETHER = 0, 1, 2


#: a run made from its fields at once, without the named constructor's call (one per printed row)
_new = tuple.__new__


class Slots(NamedTuple):
    """A printed row's cells as the solver sees them."""

    cells: tuple[CellSpec, ...]
    slots: tuple[int, ...]
    kinds: tuple[CellKind, ...]
    plain: Plain | None  #: the row read when printed plainly (None: a cell is not a count)


class Plain(NamedTuple):
    """Rows of counts, one or a whole table's, as read when each number is printed in its cell as its
    value reads (:func:`_read_plain`): what the reading needs, laid out once per format."""

    lengths: tuple[int, ...]  #: each row's cells
    slots: tuple[int, ...]  #: the rows' slots, one after another
    span: tuple[int, int] | None  #: the same slots as one range (start, end), when they are one
    heads: tuple[int, ...]  #: where each row's first number is among the rows' tokens
    firsts: tuple[str, ...]  #: each row's first cell (its pointer)
    nums: tuple[str, ...]  #: the token kinds printed plainly ("num" a cell)
    nones: tuple[None, ...]  #: the units printed plainly (none a cell)


def _plain_of(rows: list[tuple[tuple[CellSpec, ...], tuple[int, ...]]]) -> Plain | None:
    if not rows or any(not cells or any(c.column.kind is not CellKind.COUNT for c in cells) for cells, _ in rows):
        return None
    lengths = tuple(len(cells) for cells, _ in rows)
    slots = tuple(s for _, row in rows for s in row)
    span = (slots[0], slots[0] + len(slots)) if slots == tuple(range(slots[0], slots[0] + len(slots))) else None
    heads = tuple(sum(lengths[:k]) for k in range(len(rows)))
    return Plain(lengths, slots, span, heads, tuple(cells[0].pointer for cells, _ in rows), ("num",) * len(slots),
                 (None,) * len(slots))


@functools.cache
def _printed_slots(comp: Compiled, table: str) -> tuple[Slots, ...]:
    out = []
    for _, _, cells in printed_rows(comp.spec, table):
        slots = tuple(comp.slot[c.pointer] for c in cells)
        out.append(Slots(cells, slots, tuple(c.column.kind for c in cells), _plain_of([(cells, slots)])))
    return tuple(out)


@functools.cache
def _plain_table(comp: Compiled, table: str) -> Plain | None:
    """A table of counts read at once, when every row is printed and printed plainly."""
    return _plain_of([(row.cells, row.slots) for row in _printed_slots(comp, table)])


@functools.cache
def _header_slots(comp: Compiled, table: str, order: tuple[int, ...]) -> tuple[tuple[Slots, ...], Plain | None]:
    """The printed rows of a table whose header names its columns in ``order`` (the form's columns' indices; a
    column not named is in no row: its cells stay blank), and the table read at once (:func:`_plain_table`)."""
    out = []
    for row in _printed_slots(comp, table):
        cells, slots = tuple(row.cells[k] for k in order), tuple(row.slots[k] for k in order)
        out.append(Slots(cells, slots, tuple(c.column.kind for c in cells), _plain_of([(cells, slots)])))
    return tuple(out), _plain_of([(row.cells, row.slots) for row in out])


#: numbers as a count's value reads them (ASCII digits, no leading zero, at most 15), each followed by a space
_COUNTS: Final = compiled(rf"(?:(?:0|[1-9][0-9]{{0,{MAX_DIGITS - 1}}}) )+")

#: an ASCII digit's byte to its value (``int`` of a string copies it to ASCII first: hundreds of machine instructions)
_DIGIT_BYTES: Final = bytes.maketrans(b"0123456789", bytes(range(10)))

#: rows read straight: their first cells, where each row's first number is printed, and (digits run
#: together) what each row printed, else None
Read = tuple[tuple[str, ...], list[int], tuple[str, ...] | None]


def _read_plain(plain: Plain, rows: Sequence[tuple[Token, ...]], stated: dict[int, Any], values: list[Any]
                ) -> Read | None:
    """Rows of counts (``rows``: each one's tokens, as many as its cells) whose numbers are each printed in
    its cell as its value reads (no sign, unit or blank mark), none of which the narrative states: their
    values set in ``values``, and where they are printed.  Such a row has one reading, which
    :func:`.solver.apart` finds plain, and no equation can refuse it: it is read straight (in bulk, a
    table at once).  None (and nothing set) for rows printed otherwise."""
    if COMPILED and (read := _plain_counts(rows)) is not None:
        if read is _REFUSED:  # (what the pattern refuses as well: no fields transposed, no text joined to match)
            return None
        if len(read) == len(plain.slots):
            if stated and _any_stated(stated, plain.slots):
                return None
            _place(values, plain, read)
            return plain.firsts, [row[0][3] for row in rows], None  # (each row's first token's ``at``)
    tokens = rows[0] if len(rows) == 1 else tuple(chain.from_iterable(rows))
    kinds, texts, raws, ats, units, _, _ = zip(*tokens, strict=False)  # (a token has its seven fields)
    if kinds != plain.nums or units != plain.nones or raws != texts or _COUNTS.fullmatch(" ".join(texts) + " ") is None:
        return None
    if stated and not stated.keys().isdisjoint(plain.slots):
        return None
    _place(values, plain, _counts(texts))
    return plain.firsts, [ats[k] for k in plain.heads], None


#: :func:`_plain_counts`' answer for rows the pattern refuses too (one list, compared by identity)
_REFUSED: Final[list[int]] = []


def _plain_counts(rows: Sequence[tuple[Token, ...]]) -> list[int] | None:
    """The rows' tokens' values, one row after another, when each is a count printed as its value reads (what
    :func:`_read_plain` checks with :data:`_COUNTS`: a number, no unit, shown as read, ASCII digits, no leading
    zero, at most 15), in one pass of native arithmetic (the compiled build's way: no transposed fields, no joined
    text, no pattern); :data:`_REFUSED` where a token is not one and the pattern would refuse it as well (not a
    number, a unit, shown otherwise, or a text with no space that is no count: the pattern reads a text between
    spaces); else None, and the pattern decides."""
    out = []
    for row in rows:  # (no tuple of every row's tokens made)
        for kind, text, raw, _, unit, _, _ in row:
            if kind != "num" or unit is not None or raw != text:
                return _REFUSED
            n = _count_in(text, 0, len(text))
            if n is None:
                return None if " " in text else _REFUSED
            out.append(n)
    return out


def _any_stated(stated: dict[int, Any], slots: tuple[object, ...]) -> bool:
    """``not stated.keys().isdisjoint(slots)``: some slot's value is stated, as a native loop (no view made, no method
    looked up: the compiled build's way; the same answer; each slot as the object it is, not unboxed to look up)."""
    for s in slots:  # noqa: SIM110 - a native loop, no generator
        if s in stated:
            return True
    return False


def _read_joined(row: Slots, tokens: tuple[Token, ...], comp: Compiled, base: list[Any], known: frozenset[int],
                 stated: dict[int, Any], values: list[Any]) -> Read | None:
    """A row of counts whose digits run together, as many as its cells (``1000001``: a digit a cell,
    the only split), where none is stated by the narrative and the equations that can be checked
    hold (those of :func:`.solver.splits`: every slot of theirs the row's or known before any row is
    read): its values set in ``values``, and where it is printed; else None (the row goes to the
    search, which finds the same split or says why not)."""
    slots, plain = row.slots, row.plain
    if len(tokens) == 1:  # the common case: the row's digits in one number
        kind, digits, raw, at, _, _, _ = tokens[0]
        if kind != "num":
            return None
    else:
        texts = [t.text for t in tokens]
        digits, raw, at = "".join(texts), "".join([t.raw for t in tokens]), tokens[0].at
        if "" in texts or [t.kind for t in tokens] != ["num"] * len(tokens):
            return None
    if len(digits) != len(slots) or not digits.isascii() or not digits.isdigit() or plain is None or (
            stated and _any_stated(stated, slots)):
        return None
    read = _digits(digits)
    held = _held(comp, slots, known)
    if held is not None and not (held.held(read, base) if isinstance(held, _Held) else held(read, base)):
        return None
    _place(values, plain, read)
    return plain.firsts, [at], (raw,)


def _counts(texts: Sequence[str]) -> list[int]:
    """The values of counts printed as they read (ASCII digits, checked): ``int`` of each in pure Python; digit by
    digit in the compiled build, where that is native arithmetic (``int`` of a string copies it to ASCII first,
    hundreds of machine instructions a number)."""
    if not COMPILED:
        return list(map(int, texts))
    out = []
    for text in texts:
        n = 0
        for c in text:
            n = n * 10 + ord(c) - 48
        out.append(n)
    return out


def _digits(digits: str) -> list[int]:
    """The value of each digit of ``digits`` (ASCII, checked): its bytes mapped to their values, three calls of C
    either way (a digit at a time made a character and its ``ord`` for each, compiled)."""
    return list(digits.encode("ascii").translate(_DIGIT_BYTES))


#: a sum of more terms is written ``sum((...))``: a long chain of ``+`` nests as deep in the compiler
_ADDED_TERMS: Final = 32


@functools.lru_cache(maxsize=LAYOUTS)
def _held(comp: Compiled, slots: tuple[int, ...], known: frozenset[int]
          ) -> Callable[[list[int], list[Any]], bool] | None:
    """Whether a row's values (``r``) hold the equations :func:`.solver.splits` checks for it (every slot
    of theirs the row's or known before any row is read: ``known``, one set a report, valued in ``b``),
    generated once per row and known set (None: there is none).  Each is ``Instance.holds`` written out:
    the same sum in the same order, and no slot of theirs is blank."""
    instances = checked(comp, slots, known & neighbours(comp, slots))
    if not instances:
        return None
    position = {s: k for k, s in enumerate(slots)}
    if COMPILED:  # a native loop there, where the generated code is interpreted and its compile() costs ~0.5 M
        return _Held([[(position[s], w, True) if s in position else (s, w, False) for s, w in inst.terms]
                      for inst in instances])
    tests = []
    weights: list[Any] = []  # a weight that is not a plain int (a plugin's Fraction) is read, not written in the code
    for inst in instances:
        terms = [_weight(w, weights) + " * " + (f"r[{position[s]}]" if s in position else f"b[{s}]")
                 for s, w in inst.terms]
        tests.append(f"(0 + {' + '.join(terms)}) == 0" if len(terms) <= _ADDED_TERMS
                     else f"sum(({', '.join(terms)},)) == 0")
    namespace: dict[str, Any] = {"w": tuple(weights)}
    exec(f"def held(r, b):\n    return {' and '.join(tests)}\n", namespace)  # code made of slot numbers only
    held: Callable[[list[int], list[Any]], bool] = namespace["held"]
    return held


class _Held:
    """:func:`_held`'s test as a loop over each equation's terms, (where, weight, whether in ``r`` or in ``b``): the
    same sum in the same order (0, then weight * value, term by term), for the compiled build."""

    def __init__(self, tests: list[list[tuple[int, Any, bool]]]) -> None:
        self.tests = tests

    def __call__(self, r: list[int], b: list[Any]) -> bool:
        return self.held(r, b)

    def held(self, r: list[int], b: list[Any]) -> bool:
        """The test (a native method: called so from :func:`_read_joined`, not through Python's protocol)."""
        for terms in self.tests:
            total: Any = 0
            for at, weight, own in terms:
                total = total + weight * (r[at] if own else b[at])
            if total != 0:
                return False
        return True


def _weight(weight: Any, others: list[Any]) -> str:
    """A term's weight in :func:`_held`'s code: an int as its digits, anything else by its place in ``others``
    (``w[k]``), so that the sum is computed as ``Instance.holds`` computes it, exactly."""
    if type(weight) is int:
        return str(weight)
    others.append(weight)
    return f"w[{len(others) - 1}]"


def _place(values: list[Any], plain: Plain, read: Sequence[Any]) -> None:
    """The rows' slots set to ``read``."""
    if plain.span is not None:
        start, end = plain.span
        values[start:end] = read
    else:
        for s, v in zip(plain.slots, read, strict=True):
            values[s] = v


@functools.cache
def _labels(spec: FormatSpec, table: str) -> dict[tuple[str, ...], tuple[str, str]]:
    """Each printed row's label as compared (what a label printed otherwise does not start with) and
    its first cell (its pointer), by row path."""
    first: dict[tuple[str, ...], str] = {}
    for c in spec.cells():
        if c.table.id == table:
            first.setdefault(c.path, c.pointer)
    return {path: (label_forms(row)[0], first[path]) for path, row, _ in printed_rows(spec, table) if row is not None}


def _too_long(tokens: tuple[Token, ...]) -> tuple[tuple[Token, ...], list[Token]]:
    """Numbers longer than a count can be, where each number is a cell of its own: blank, and said."""
    # a number's whole part is in its text: a text no longer than a count's digits needs no closer look
    if max([len(t.text) for t in tokens], default=0) <= MAX_DIGITS:
        return tokens, []
    long = [t for t in tokens if len(t.text) > MAX_DIGITS and t.kind == "num"
            and len(t.text.lstrip("-").split(".")[0]) > MAX_DIGITS]
    if not long:
        return tokens, []
    return tuple(t._replace(kind="blank") if t in long else t for t in tokens), long


#: each registry's equations, with the rules they were taken from (a registry's rules may change), and the
#: equations compiled over each format (and last year's) by the formats' identity
_EQUATIONS: weakref.WeakKeyDictionary[Registry, tuple[tuple[Rule, ...], tuple[Equation, ...],
                                                      dict[tuple[int, int], Compiled]]] = weakref.WeakKeyDictionary()
#: the formats' compiled equations kept a registry (a few formats, each with or without last year's)
_COMPILED_KEPT = 64


def _compiled(state: State, spec: FormatSpec, previous: FormatSpec | None) -> Compiled:
    """``compile_format`` of the format and the registry's equations: looked up by the formats' identity, the rules
    compared by theirs (no tuple of every rule made and compared, no equation hashed, a report)."""
    rules = state.registry.rules
    seen = _EQUATIONS.get(state.registry)
    if seen is None or not _same_rules(rules, seen[0]):
        every = tuple(rules.values())
        seen = _EQUATIONS[state.registry] = (every, tuple(r for r in every if isinstance(r, Equation)), {})
    made = seen[2]
    key = (id(spec), id(previous))
    comp = made.get(key)
    if comp is None or comp.spec is not spec or comp.previous is not previous:  # (an id a format freed had)
        comp = compile_format(spec, seen[1], previous)
        if len(made) >= _COMPILED_KEPT:
            made.clear()
        made[key] = comp
    return comp


def _same_rules(rules: dict[str, Rule], seen: tuple[Rule, ...]) -> bool:
    """The registry's rules are those seen, the same objects in the same order."""
    if len(rules) != len(seen):
        return False
    for k, rule in enumerate(rules.values()):  # noqa: SIM110 - a native loop, no generator
        if rule is not seen[k]:
            return False
    return True


def solve(state: State) -> State:
    spec = state.spec
    assert spec is not None
    found: list[Finding] = []
    previous = state.previous
    year = state.title[4] if state.title else state.meta.get("year")
    if previous is not None and (year is None or previous.year != year - 1):
        found.append(F.PREVIOUS_IGNORED(pointer="/year", file=state.source, year=previous.year))
        previous = None
    comp = _compiled(state, spec, previous.spec if previous is not None else None)
    base: list[Any] = [None] * len(comp.cells)
    if previous is not None:
        base[comp.size:] = previous.values()
    stated = {comp.slot[p]: v for p, v in state.stated_cells.items() if p in comp.slot}
    for slot, v in stated.items():
        base[slot] = v
    values, provenance = _solve(state, comp, base, stated, found)
    _unread(state, provenance)
    _in_the_forms_units(state, comp, values, provenance, found)
    _words(state, spec, comp, values, provenance, found)
    # the label a row was printed with, where it differs from the form's; and where a row printed with no number is
    # (its label, then the next's): found, so its cells are the agency's blanks, not a row the parser never found
    # (the rules' and the audit store's not_found: the row's first cell without provenance)
    for table, paths in state.by_order.items():
        _placed_by_order(spec, table, paths, provenance, values, comp.slot)
    for table, hits in state.hits.items():
        labels = _labels(spec, table)
        stream = state.streams[table]
        for hit in hits:
            form, first = labels[hit.path]
            entry = provenance.setdefault(first, {})
            if not hit.published.startswith(form):
                entry["label"] = hit.published
            if "line" not in entry:
                line = state.line(stream[hit.item].at)
                entry["line"] = line
                if state.pages:
                    entry["page"] = state.pages[line - 1]
    return state.but(values=tuple(values[:comp.size]), provenance=provenance,
                        findings=state.found(*found))


def _unread(state: State, provenance: dict[str, dict[str, Any]]) -> None:
    """The provenance of the cells the rows stage saw printed and did not read (a row wider than its cells): the
    parser's doubt, never a blank of the agency's."""
    for pointer, entry in state.unread.items():
        provenance[pointer] = {**provenance.get(pointer, {}), **entry}


def _placed_by_order(spec: FormatSpec, table: str, paths: frozenset[tuple[str, ...]],
                     provenance: dict[str, dict[str, Any]], values: list[Any], slot: dict[str, int]) -> None:
    """Each cell with a value of the rows given their numbers by the labels' order says so in its note (after any
    note of its own: how its digits were split), so that a rule finding fault with it can tell a reading from a
    report.  A blank cell gets none: a note on a blank printed '—' (its raw) is the parser's doubt of a split
    (``rules.checks._unsettled``: GD-PARSE-UNSETTLED), which a blank read so is not."""
    for c in spec.cells():
        if c.table.id == table and c.path in paths and values[slot[c.pointer]] is not None:
            entry = provenance.setdefault(c.pointer, {})
            if not entry.get("note"):
                entry["note"] = BY_ORDER_NOTE
                continue
            # each language after its own (a note is 中文 / English: io.marks.note_text halves it)
            zh, _, en = entry["note"].partition(" / ")
            by_zh, _, by_en = BY_ORDER_NOTE.partition(" / ")
            entry["note"] = f"{zh}；{by_zh} / {en}; {by_en}"


#: a unit a column's official label fixes (2021's 本年收费金额（单位：万元）), and the units a cell may be printed in,
#: each with the power of ten that makes it the column's
_FIXED_UNIT = compiled(r"[（(]单位[:：]\s*(万元|元)[）)]")
_IN_UNIT = {"万元": {"元": -4}, "元": {"万元": 4}}
#: a unit printed in a table's header, in the view (brackets and colons half-width): 采购总金额(元), 采购总金额(万元),
#: 本年收费金额(单位:元), 金额单位:万元
_HEADER_UNIT: Final = compiled(r"\(\s*(?:(?:金额)?单位\s*:\s*)?(万元|元)\s*\)|单位\s*:\s*(万元|元)")


@functools.cache
def _amounts(spec: FormatSpec) -> tuple[tuple[str, str, tuple[str, ...], str | None], ...]:
    """(pointer, table, row path, the unit its column's label fixes or None) of each amount cell."""
    out = []
    for cell in spec.cells():
        if cell.column.kind is CellKind.AMOUNT:
            m = _FIXED_UNIT.search(cell.column.label.zh)
            out.append((cell.pointer, cell.table.id, cell.path, m.group(1) if m is not None else None))
    return tuple(out)


def _header_unit(state: State, table: str, path: tuple[str, ...]) -> tuple[str, str, int] | None:
    """The unit a row's header prints (the text printed right before its label, back to the numbers or the label
    of the row before: its block's header), when it prints one unit: the unit, the header's line as published, and the
    label's line.  None when the row's label was not found, or the header prints no unit or two."""
    hits = state.hits.get(table, ())
    hit = next((h for h in hits if h.path == path), None)
    if hit is None:
        return None
    stream = state.streams[table]
    labels = {h.item for h in hits if h.item < hit.item}  # another row's label (printed with no number) ends it
    found: dict[str, int] = {}  # each unit printed, and where
    i = hit.item
    while i >= 0 and stream[i].kind == "text" and i not in labels:
        for m in _HEADER_UNIT.finditer(stream[i].text):
            found.setdefault(m.group(1) or m.group(2), stream[i].at)
        i -= 1
    if len(found) != 1:
        return None
    (unit, at), = found.items()
    line = state.line(at)
    start = state.starts[line - 1]
    end = state.raw.find("\n", start)  # (the line alone: no copy of the text after it to split)
    published = state.raw[start:end if end >= 0 else len(state.raw)].strip()
    return unit, published, state.line(stream[hit.item].at)


def _in_the_forms_units(state: State, comp: Compiled, values: list[Any], provenance: dict[str, dict[str, Any]],
                        found: list[Finding]) -> None:
    """An amount printed in another unit than its column's label fixes (``123500元`` under 本年收费金额（单位：万元）)
    recorded in the column's unit (``12.35``), exactly: the model's value is in the form's unit whatever the
    report printed, which provenance keeps (``raw``; a spreadsheet of many reports read 123500 万元 before).  A unit
    printed in the header (本年收费金额（单位：元）, 采购总金额（元）) is the unit of the cells under it, as one
    printed in the cell (probe 13 #3, #8): converted so, and said naming the header; kept as published where the
    form fixes none.  ``unit`` in provenance is the unit the value is in: none once converted to the form's (the
    page showed 12.35元 under （单位：万元）, and aggregate shifted it again)."""
    for pointer, table, path, fixed in _amounts(state.spec):
        value = values[comp.slot[pointer]]
        if not isinstance(value, Decimal):
            continue
        entry = provenance.get(pointer)
        unit = entry.get("unit") if entry is not None else None
        header = None
        if unit is None and (header := _header_unit(state, table, path)) is not None:
            unit = header[0]
            if fixed is None:  # the form fixes none (2019's 采购总金额): the value is in the unit printed
                provenance[pointer] = (entry or _here(state, header[2])) | {"unit": unit}
                continue
        shift = _IN_UNIT[fixed].get(unit or "") if fixed is not None else None
        if shift is None:
            continue
        converted = value.scaleb(shift)
        converted = converted.quantize(_ONE) if converted == converted.to_integral_value() else converted.normalize()
        values[comp.slot[pointer]] = converted
        entry = dict(entry or _here(state, header[2] if header is not None else None))
        entry.pop("unit", None)
        entry.setdefault("raw", str(value))
        provenance[pointer] = entry
        raw = entry["raw"] if header is None else Label(f"{entry['raw']}（表头“{header[1]}”）",
                                                          f"{entry['raw']} (under the header “{header[1]}”)")
        found.append(F.UNIT(pointer=pointer, file=state.source, line=entry.get("line"), raw=raw, unit=fixed,
                            value=str(converted)))


def _with_words(provenance: dict[str, dict[str, Any]]) -> Iterable[tuple[str, dict[str, Any]]]:
    """The entries whose raw may print words (:func:`_words` passes over the others: no raw, or one not a text, or
    ASCII): at C speed in pure Python (the entries with a raw; a table read at once keeps none), in a native loop
    compiled, which passes over the ASCII ones too."""
    if not COMPILED:
        return compress(provenance.items(), map(dict.get, provenance.values(), repeat("raw")))
    out = []
    for pointer, entry in provenance.items():
        raw = entry.get("raw")
        if isinstance(raw, str) and not raw.isascii():
            out.append((pointer, entry))
    return out


def _words(state: State, spec: FormatSpec, comp: Compiled, values: list[Any], provenance: dict[str, dict[str, Any]],
           found: list[Finding]) -> None:
    """The cells read that print words beside their number (their raw: :func:`.tokens.cell_words`), said: a change's
    sign in words (下降2 read -2) each, a count's measure word (2次) once a report, any other words (约12: not
    read) each, so that none is dropped without a word (review 13b #9)."""
    measured: list[tuple[str, dict[str, Any]]] = []
    for pointer, entry in _with_words(provenance):
        raw = entry["raw"]
        if not isinstance(raw, str) or raw.isascii() or (slot := comp.slot.get(pointer)) is None \
                or not isinstance(value := values[slot], (int, Decimal)) or cell_words(raw) is None \
                or (words := cell_words(raw, fold(raw, traditional=True))) is None:  # (減4: 减4)
            continue
        said, how = words
        if how == "measure":
            measured.append((pointer, entry))
            continue
        if (how == "minus" and value > 0) or (how == "plus" and value < 0):  # words not read as they mean (較上年減少1
            how = "unread"  # in a text of simplified script: the view keeps 減, no sign)
        column = spec.cell(pointer).column.label
        if how != "unread":
            found.append(F.WORDS_READ(pointer=pointer, file=state.source, line=entry.get("line"), name=column,
                                      printed=raw, read=_show(value), more=""))
        else:
            found.append(F.WORDS(pointer=pointer, file=state.source, line=entry.get("line"), name=column,
                                 printed=raw, read=_show(value), words=said))
    if measured:
        pointer, entry = measured[0]
        more = Label(f"（另有 {len(measured) - 1} 格的数字后也印有量词，同样读入）",
                     f" ({len(measured) - 1} more cells print a measure word after their number, read alike)") \
            if len(measured) > 1 else ""
        found.append(F.WORDS_READ(pointer=pointer, file=state.source, line=entry.get("line"),
                                  name=spec.cell(pointer).column.label, printed=entry["raw"],
                                  read=_show(values[comp.slot[pointer]]), more=more))


def _here(state: State, line: int | None) -> dict[str, Any]:
    """A new provenance entry's place: its line (and page)."""
    if line is None:
        return {}
    return {"line": line, "page": state.pages[line - 1]} if state.pages else {"line": line}


_ONE = Decimal(1)


class Left(NamedTuple):
    """The rows left to the solver (not read straight), in print order: each one's run, cells, how it
    was printed (PLAIN, APART or RUN_TOGETHER) and, printed apart, its one reading (or none; the
    others' candidates come later)."""

    runs: list[Run]
    rows: list[Slots]
    printed: list[int]
    readings: list[list[tuple[Any, ...]]]


def _solve(state: State, comp: Compiled, base: list[Any], stated: dict[int, Any], found: list[Finding]
           ) -> tuple[list[Any], dict[str, dict[str, Any]]]:
    values: list[Any] = [None] * len(comp.cells)
    left = _new(Left, ([], [], [], []))  # (no call of the named tuple's interpreted constructor)
    # each table or row in print order: rows read straight (:data:`Read`), else the index of a row left
    order: list[Read | int] = []
    known = frozenset([s for s, v in enumerate(base) if v is not None])  # the slots with a value before any row
    columns = state.columns
    for table, assigned in state.assigned.items():
        if columns and table in columns:  # the header's columns, not the form's
            layout, whole = _header_slots(comp, table, columns[table])
        else:
            layout, whole = _printed_slots(comp, table), _plain_table(comp, table)
        if whole is not None and None not in assigned and tuple(map(len, assigned)) == whole.lengths and (
                read := _read_plain(whole, assigned, stated, values)) is not None:
            order.append(read)  # most tables: read at once, said at the end
            continue
        if len(layout) != len(assigned):  # (zip's strict test, as an index loop: native, no zip object)
            raise ValueError("the rows stage assigned tokens to another number of rows than the table prints")
        for j in range(len(layout)):
            row, tokens = layout[j], assigned[j]
            if tokens is None:
                continue
            if (read := _read_row(row, tokens, comp, base, known, stated, values)) is not None:
                order.append(read)
            else:
                order.append(len(left.runs))
                _leave(state, row, tokens, stated, found, left)
    runs, rows, printed, readings = left
    candidates, status = _candidates(runs, printed, readings, comp, base, known, stated, state)
    opened = _narrow(runs, candidates, status, comp, base, values, known, state)
    provenance: dict[str, dict[str, Any]] = {}
    for k in order:
        if isinstance(k, int):
            _record(state, rows[k], runs[k], printed[k], candidates[k], status[k],
                    opened[k] and len(candidates[k]) == 1, values, provenance, found)
        else:
            _record_read(state, k, provenance)
    return values, provenance


def _read_row(row: Slots, tokens: tuple[Token, ...], comp: Compiled, base: list[Any], known: frozenset[int],
              stated: dict[int, Any], values: list[Any]) -> Read | None:
    """A row of counts read straight (:func:`_read_plain`, :func:`_read_joined`), else None."""
    n, m = len(row.slots), len(tokens)
    if row.plain is None:
        return None
    if m == n:
        return _read_plain(row.plain, (tokens,), stated, values)
    if m < n and not all(t.cell for t in tokens):
        return _read_joined(row, tokens, comp, base, known, stated, values)
    return None


def _leave(state: State, row: Slots, tokens: tuple[Token, ...], stated: dict[int, Any], found: list[Finding],
           left: Left) -> None:
    """A row left to the solver: its run, how it was printed and, printed apart, its one reading."""
    n, m = len(row.slots), len(tokens)
    if m == n or (m < n and all(t.cell for t in tokens)):  # each number a cell of its own
        run, cands, how = _read_apart(state, row, tokens, stated, found)
    else:
        if all(t.cell for t in tokens):  # more numbers than cells, each in one: too long ones blank
            tokens = _blank_long(state, row, tokens, found)
        run, cands, how = _new(Run, (row.slots, row.kinds, tokens)), [], RUN_TOGETHER
    left.runs.append(run)
    left.rows.append(row)
    left.printed.append(how)
    left.readings.append(cands)


def _record_read(state: State, read: Read, provenance: dict[str, dict[str, Any]]) -> None:
    """Rows read straight: where each is printed, and what it printed if its digits ran together, on
    its first cell (as :func:`_record_reading` says it; no other entry is made for a cell of theirs)."""
    firsts, ats, raws = read
    pages, starts, native = state.pages, state.starts, COMPILED
    for k, first in enumerate(firsts):
        line = _line(starts, ats[k]) if native else bisect_right(starts, ats[k])  # (state.line(), without a call)
        entry: dict[str, Any] = {"line": line} if raws is None else {"raw": raws[k], "line": line}
        if pages:
            entry["page"] = pages[line - 1]
        provenance[first] = entry


def _line(starts: tuple[int, ...], offset: int) -> int:
    """``bisect_right`` of the lines' starts (:meth:`State.line`) as native code, for the compiled build (a call of
    the C function from native code goes through Python's protocol: a few hundred machine instructions)."""
    lo, hi = 0, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if offset < starts[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


def _read_apart(state: State, row: Slots, tokens: tuple[Token, ...], stated: dict[int, Any], found: list[Finding]
                ) -> tuple[Run, list[tuple[Any, ...]], int]:
    """A row whose numbers each stand in a cell of their own: its one reading (:func:`.solver.apart`),
    and how it was printed.  Where there is none, a number longer than a count can be is made blank
    (and said) first: a reading never has one (no cell's value is that long)."""
    run = _new(Run, (row.slots, row.kinds, tokens))
    cands, plain = apart(run, stated)
    if not cands and (blanked := _blank_long(state, row, tokens, found)) is not tokens:
        run = _new(Run, (row.slots, row.kinds, blanked))
        cands, plain = apart(run, stated)
    return run, cands, PLAIN if plain else APART


def _blank_long(state: State, row: Slots, tokens: tuple[Token, ...], found: list[Finding]) -> tuple[Token, ...]:
    """The tokens with each number longer than a count can be made blank, and said (the same tokens
    when there is none)."""
    blanked, long = _too_long(tokens)
    for t in long:
        found.append(F.TOO_LONG(pointer=row.cells[0].pointer, file=state.source, line=state.line(t.at),
                                digits=len(t.text.lstrip("-").split(".")[0])))
    return blanked


def _candidates(runs: list[Run], printed: list[int], readings: list[list[tuple[Any, ...]]], comp: Compiled,
                base: list[Any], known: frozenset[int], stated: dict[int, Any], state: State
                ) -> tuple[list[list[tuple[Any, ...]]], list[str]]:
    """Each run's splits under the equations within reach (a run apart's: its reading, whatever the
    equations say); "broken" where only splits that break its own row rule exist, "budget" where the
    budget ran out."""
    candidates: list[list[tuple[Any, ...]]] = []
    status: list[str] = []
    work = list(base)
    outside = bool(known)  # (``known``: the slots with a value before any run is placed)
    for k, run in enumerate(runs):  # (with printed and readings, made alongside: index loops, native, no zip object)
        if printed[k] != RUN_TOGETHER:
            candidates.append(readings[k])
            status.append("")
            continue
        if outside:  # (no slot has a value before any run is placed: none to blank, nor to put back)
            for s in known.intersection(run.slots):  # (the others are None in ``work`` already)
                work[s] = None
        st = ""
        try:
            cands = splits(run, comp, work, stated, state.budget, outside, known)
            # OCR's spaces inside its numbers (probe 12c #12), tried only on a row with a rule of its own: a row
            # with none has one way to join any digits, which proves nothing (286 19 is no 28619: review 13a #1)
            if not cands and comp is not None and (together := _spaced_digits(run)) is not None and _own(
                    comp, run) and (cands := _within_tokens(
                    run, splits(together, comp, work, stated, state.budget, outside, known))):
                runs[len(candidates)] = run = together
            if not cands and run.tokens:
                # the row may break its own rule as published: try again with no equation
                cands = splits(run, None, work, stated, state.budget)
                st = "broken" if cands else ""  # (an apart run has no other split: never here)
        except BudgetSpent:
            cands, st = [], "budget"
        if outside:
            for s in known.intersection(run.slots):
                work[s] = base[s]
        candidates.append(cands)
        status.append(st)
    return candidates, status


def _spaced_digits(run: Run) -> Run | None:
    """The run as one run of digits when it prints more numbers than it has cells, each of digits only: OCR's
    spaces may fall inside a number (2 1 7 1 0 0 0 0 2 1 8), so split by them the row has no reading; run together
    it may have one, as a row printed without spaces has (21710000218).  Its one token is printed as its numbers
    were, a space apart (the provenance's raw).  None for any other run."""
    toks = run.tokens
    if len(toks) <= len(run.slots) or not all(t.kind == "num" and t.text.isdigit() and not t.cell for t in toks):
        return None
    number = Token("num", "".join([t.text for t in toks]), " ".join([t.raw for t in toks]), toks[0].at)
    return _new(Run, (run.slots, run.kinds, (number,)))


def _within_tokens(run: Run, cands: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The splits of a run's digits run together (:func:`_spaced_digits`) that keep each number printed whole in one
    cell: a space may fall inside a number or between two, never a number across two cells."""
    ends, at = set(), 0
    for t in run.tokens:
        at += len(t.text)
        ends.add(at)
    kept = []
    for cand in cands:
        at, whole = 0, True
        for v in cand:
            if type(v) is not int:
                whole = False
                break
            at += len(str(v))
            whole = whole and at in ends
        if whole:
            kept.append(cand)
    return kept


def _own(comp: Compiled, run: Run) -> frozenset[Instance]:
    """The instances entirely within a run (its row rule)."""
    slots = set(run.slots)
    return frozenset(inst for inst in touching(comp, run.slots) if inst.slots <= slots)


def _settled(runs: list[Run], candidates: list[list[tuple[Any, ...]]], base: list[Any], plain: list[Any],
             valued: frozenset[int]) -> list[Any]:
    """The slots' values with every run that has one candidate placed, and every row read straight
    (``plain``: their values, the other slots None; a row read straight has no slot of ``valued``,
    those with a value in ``base``)."""
    known = list(plain)
    for s in valued:
        known[s] = base[s]
    for k, run in enumerate(runs):  # (a run's candidates, each as long as its slots: index loops, native)
        if len(candidates[k]) == 1:
            slots, cand = run.slots, candidates[k][0]
            for j in range(len(slots)):
                known[slots[j]] = cand[j]
    return known


def _narrow(runs: list[Run], candidates: list[list[tuple[Any, ...]]], status: list[str], comp: Compiled,
            base: list[Any], plain: list[Any], valued: frozenset[int], state: State) -> list[bool]:
    """What is settled helps settle the rest: each open run against the settled ones (and the rows
    read straight: ``plain``; ``valued``: the slots with a value in ``base``), then jointly.  A run
    whose own row rule no split satisfies is held to the other equations only.  Returns which runs
    were open (several candidates) before."""
    opened = [len(c) > 1 for c in candidates]
    if not any(opened):
        return opened
    known = _settled(runs, candidates, base, plain, valued)
    own = [_own(comp, run) if status[k] == "broken" else frozenset() for k, run in enumerate(runs)]
    for i, run in enumerate(runs):
        if opened[i]:
            candidates[i] = _against_settled(run, candidates[i], comp, known, base, own[i])
    still = [i for i, c in enumerate(candidates) if len(c) > 1]
    if still:
        try:
            narrowed = joint([runs[i] for i in still], [candidates[i] for i in still], comp,
                             _settled(runs, candidates, base, plain, valued), [own[i] for i in still], state.budget)
        except BudgetSpent:
            narrowed = None
        for i, cands in zip(still, narrowed or (), strict=False):
            candidates[i] = cands
    return opened


def _against_settled(run: Run, cands: list[tuple[Any, ...]], comp: Compiled, known: list[Any], base: list[Any],
                     own: frozenset[Instance]) -> list[tuple[Any, ...]]:
    """The candidates that satisfy the equations with the settled runs.  An equation no candidate
    satisfies cannot tell them apart (the published numbers break it: the rules say so) and is
    not used; nor is the run's own row rule when no split satisfies it."""
    # those with a blank outside the run hold whatever the run reads (they cannot tell candidates apart)
    inside = frozenset(run.slots)
    local = [inst for inst in touching(comp, run.slots) if inst not in own
             and all(known[s] is not None for s in inst.slots - inside)]
    if not local:
        return cands
    holds: list[list[bool]] = []
    slots = run.slots
    for cand in cands:
        for k in range(len(slots)):  # (a candidate is as long as the run's slots: an index loop, native)
            known[slots[k]] = cand[k]
        holds.append([inst.holds(known) is not False for inst in local])
    for s in run.slots:
        known[s] = base[s]
    useful = [k for k in range(len(local)) if any(h[k] for h in holds)]
    narrowed = [cand for j, cand in enumerate(cands) if all(holds[j][k] for k in useful)]
    return narrowed or cands


def _options(column: Sequence[Any]) -> list[Any]:
    """A cell's candidates (each once) in the order they are shown: as text, a blank last (sorted by ``str``, no
    key function of ours called for each: distinct values print distinct texts, so no two tie)."""
    present = set(column)
    blank = None in present
    if blank:
        present.discard(None)
    out = sorted(present, key=str)
    if blank:
        out.append(None)
    return out


def _show(value: Any) -> str:
    return "" if value is None else str(value)


def _printed(tokens: tuple[Token, ...]) -> str:
    """A run's numbers as printed: run together where they touch (2648-18538), a space apart where they were
    apart (286 19, which a reading may join, is no 28619); an empty cell as its '|'."""
    out, end = "", -1
    for t in tokens:
        shown = t.raw or t.text  # an empty cell between separators: its '|'
        out += shown if t.at <= end or not out else " " + shown
        end = t.at + len(shown)
    return out


def _record(state: State, row: Slots, run: Run, printed: int, cands: list[tuple[Any, ...]], status: str,
            settled: bool, values: list[Any], provenance: dict[str, dict[str, Any]], found: list[Finding]) -> None:
    """A run's cells, their provenance and findings (``printed``: PLAIN, APART or RUN_TOGETHER)."""
    at = run.tokens[0].at if run.tokens else 0
    line = _line(state.starts, at) if COMPILED else bisect_right(state.starts, at)  # (state.line(), without a call)
    here: dict[str, Any] = {"line": line, "page": state.pages[line - 1]} if state.pages else {"line": line}
    if len(cands) == 1:
        _record_reading(row, run, printed, cands[0], status, settled, here, values, provenance)
        first = row.cells[0].pointer
        if settled:
            found.append(F.JOINT(pointer=first, file=state.source, line=line))
        elif status == "broken":
            found.append(F.RULE_BROKEN(pointer=first, file=state.source, line=line))
        return
    joined = _printed(run.tokens)
    for k, cell in enumerate(row.cells):
        # the cell's candidates (each candidate as long as the row: zip(*cands)'s column, natively)
        options = _options(tuple([cand[k] for cand in cands]))
        if len(options) == 1:
            values[run.slots[k]] = options[0]
            if k == 0:
                provenance[cell.pointer] = dict(here)
            continue
        entry: dict[str, Any] = {"raw": joined, **here}
        if options:
            shown = tuple([_show(v) for v in options])
            entry |= {"candidates": "|".join(shown), "note": AMBIGUOUS_NOTE}
            found.append(F.AMBIGUOUS(pointer=cell.pointer, file=state.source, line=line, candidates=shown))
        elif status == "budget":
            entry["note"] = BUDGET_NOTE
            if k == 0:
                found.append(F.BUDGET(pointer=cell.pointer, file=state.source, line=line, raw=joined))
        else:
            entry["note"] = UNSPLIT_NOTE
            found.append(F.UNSPLIT(pointer=cell.pointer, file=state.source, line=line, raw=joined))
        provenance[cell.pointer] = entry


def _record_reading(row: Slots, run: Run, printed: int, reading: tuple[Any, ...], status: str, settled: bool,
                    here: dict[str, Any], values: list[Any], provenance: dict[str, dict[str, Any]]) -> None:
    """A run read one way: its values; what a cell printed where that differs from its value; the
    row's place (and how it was settled) on its first cell."""
    slots = run.slots
    for k in range(len(slots)):  # (a reading is as long as the run's slots: an index loop, native, no zip object)
        values[slots[k]] = reading[k]
    note = {"note": JOINT_NOTE} if settled else {"note": BROKEN_NOTE} if status == "broken" else None
    first = row.cells[0].pointer
    if printed == RUN_TOGETHER:  # the run as printed, once, on the row's first cell
        provenance[first] = {"raw": _printed(run.tokens), **here, **(note or {})}
        return
    cells, tokens = row.cells, run.tokens if printed == APART else ()
    for k in range(min(len(cells), len(tokens), len(reading))):  # (zip's, as an index loop)
        cell, tok, v = cells[k], tokens[k], reading[k]
        if tok.raw == tok.text and tok.kind == "num" and not tok.unit:
            continue  # printed as its value reads (no leading zero: split() and direct() refuse one)
        entry = {"raw": tok.raw} if tok.raw != _show(v) else {}
        if tok.unit:
            entry["unit"] = tok.unit
        if entry:
            provenance[cell.pointer] = entry | here
    was = provenance.get(first)
    entry = here if was is None else was | here
    provenance[first] = entry if note is None else entry | note
