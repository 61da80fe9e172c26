"""Stage ``rows``: the format the tables are printed in, and the numbers printed for each of its rows.

Labels decide where they can: a group of numbers printed after a row's label (before the next
label) is that row's, whatever order the rows are printed in, and a label followed directly by
the next row's label is a row printed blank.  Only where the labels cannot say (PDF text whose
numbers print above or inside their wrapped labels) are the numbers taken in the form's order.
"""

from __future__ import annotations

import functools
import itertools
import operator
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from ..findings import Finding
from ..formats import published
from ..formats.spec import CellSpec, Column, FormatSpec, Label, Row, Variant
from . import findings as F
from .normalise import fold
from .patterns import compiled
from .state import State
from .tokens import TABLES, Token, image_like
from .tokens import items as tokens_of

if TYPE_CHECKING:
    from ..registry import Registry

__all__ = ["Group", "LabelHit", "assign", "compact", "detect_format", "find_labels", "header_columns", "printed_rows",
           "rows"]

#: labels are matched on their first characters: enough to tell every row apart, short enough to
#: survive the wordings a label's tail is printed in
KEY_LENGTH: Final = 8
#: the longest stretch read as a label printed otherwise (for its provenance)
PRINTED_LABEL_MAX: Final = 40

_REWORDINGS: Final = tuple(published.REWORDINGS.items())
#: a named tuple made from all its fields at once, without the named constructor's call (hundreds a report); the
#: module's names are final (``Final``) where the compiled build reads them at each row, label or token: it reads a
#: final name from a static (or inlines its value), any other from the module's dict (a module's from the module)
_new: Final = tuple.__new__
#: the '、' of a list number (a digit not after another, then '、'), read '.': the pattern starts with the '、' (the
#: search skips ahead to it) and is replaced by a plain string (no template expanded for each match)
_NUMBERING: Final = compiled(r"、(?<=[1-9]、)(?<![0-9][1-9]、)")
_NOTES: Final = compiled(r"\((?:指|含|设区|行政机关|单位)[^()]*\)$")
#: the fewest characters in the brackets of a long note (:data:`_LONG_NOTE`)
_LONG_NOTE_MIN: Final = 10
#: a note printed in a label's brackets, long enough to name other rows (含…、…: other rows' names): not matched
_LONG_NOTE: Final = compiled(rf"\([^()]{{{_LONG_NOTE_MIN},}}\)")


def _bisect_left(a: list[int], x: int) -> int:
    """``bisect.bisect_left(a, x)``, the same steps compiled: a native call and a comparison of small ints a step,
    where bisect's is a generic call (its arguments parsed) and a rich comparison a step (~600 instructions a call,
    ~150 calls a report)."""
    lo, hi = 0, len(a)
    while lo < hi:
        mid = (lo + hi) >> 1
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _bisect_right(a: tuple[int, ...], x: int) -> int:
    """``bisect.bisect_right(a, x)``, compiled as :func:`_bisect_left`."""
    lo, hi = 0, len(a)
    while lo < hi:
        mid = (lo + hi) >> 1
        if x < a[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


def compact(text: str) -> str:
    """Text as labels are compared: no whitespace, list numbers as ``1.``, known rewordings read back."""
    text = "".join(text.split())
    if "、" in text:
        text = _NUMBERING.sub(".", text)
    for wrong, right in _REWORDINGS:
        if wrong in text:
            text = text.replace(wrong, right)
    return text


@functools.cache
def label_forms(row: Row) -> tuple[str, ...]:
    """The row's label and aliases as compared (folded, compact, explanatory notes dropped)."""
    forms = (_LONG_NOTE.sub("", _NOTES.sub("", compact(fold(t)))) for t in (row.label.zh, *row.aliases))
    return tuple(dict.fromkeys(forms))


@functools.cache
def _keys(row: Row) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f[:KEY_LENGTH] for f in label_forms(row)))


# ----------------------------------------------------------------------------- the format


@functools.cache
def _markers(spec: FormatSpec, table: str) -> frozenset[str]:
    """Labels this format prints in this table (columns and rows), as compared."""
    out = {compact(fold(c.label.zh)) for block in spec.table(table).blocks for c in block.columns}
    out |= {k for _, row, _ in spec.rows(table) for k in _keys(row)[:1]}
    return frozenset(out)


@functools.cache
def _own_markers(bases: tuple[FormatSpec, ...]) -> dict[tuple[str, str], frozenset[str]]:
    out = {}
    for spec in bases:
        for table in ("proactive", "requests"):
            others = set().union(*(_markers(o, table) for o in bases if o is not spec))
            out[(spec.version, table)] = frozenset(m for m in _markers(spec, table) - others if m)
    return out


def detect_format(reg: Registry, tables: dict[str, str], year: int | None) -> tuple[FormatSpec, list[Finding]]:
    """The format the tables are printed in (columns and rows), then the variant whose rows appear."""
    return _detect_format(reg, tuple(reg.format(v) for v in reg.formats), tables, year)


def _detect_format(reg: Registry, bases: tuple[FormatSpec, ...], tables: dict[str, str],
                   year: int | None) -> tuple[FormatSpec, list[Finding]]:
    """:func:`detect_format`, the registry's formats given (``bases``)."""
    found: list[Finding] = []
    own = _plans(bases)[0]
    proactive, requests = tables.get("proactive", ""), tables.get("requests", "")
    # the format whose own markers most stand in the tables (ties: the later version), as native loops: no sum or
    # map called, no bound method made, a format and table each (``max`` by (score, version): the first greatest)
    best: FormatSpec | None = None
    top = 0
    for spec in bases:
        score = _markers_in(proactive, own[(spec.version, "proactive")]) + _markers_in(
            requests, own[(spec.version, "requests")])
        if best is None or score > top or (score == top and spec.version > best.version):
            best, top = spec, score
    if best is None or top == 0:
        if year is None:
            spec = bases[-1]
            found.append(F.FORMAT_GUESSED(pointer="/format_version", version=spec.version))
        else:
            spec = reg.format_for_year(year)
    else:
        spec = best
    return _variant(reg, spec, tables), found


def _markers_in(text: str, markers: frozenset[str]) -> int:
    """How many of the markers stand in the text."""
    n = 0
    for m in markers:
        if m in text:
            n += 1
    return n


def _variant(reg: Registry, spec: FormatSpec, tables: dict[str, str]) -> FormatSpec:
    """The variant whose own rows are printed (or whose replaced rows are not), else the format itself."""
    both = tables.get("requests", "") + tables.get("proactive", "")
    for variant in reg.variants.values():
        if variant.extends != spec.version:
            continue
        resolved = reg.format(spec.version, variant.id)
        added, replaced, after = _variant_keys(variant, spec, resolved)
        if added and all(a in both for a in added):
            return resolved
        # the official rows it replaces are not printed, though the table goes on past them
        text = tables.get("requests", "")
        if replaced and not any(r in text for r in replaced) and any(a in text for a in after):
            return resolved
    return spec


@functools.cache
def _variant_keys(variant: Variant, spec: FormatSpec,
                  resolved: FormatSpec) -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    """A variant's added rows, the official rows it replaces and the official rows after those (their keys)."""
    added = frozenset(k for a in variant.add_rows for r in a.rows for k in _keys(r)[:1])
    if not variant.replace_rows:
        return added, frozenset(), ()
    official = [_keys(row)[0] for _, row, _ in spec.rows("requests")]
    replaced = set(official) - {_keys(row)[0] for _, row, _ in resolved.rows("requests")}
    after = official[max(official.index(r) for r in replaced) + 1:] if replaced else []
    return added, frozenset(replaced), tuple(after)


# ----------------------------------------------------------------------------- labels


class LabelHit(NamedTuple):
    path: tuple[str, ...]
    row: Row
    item: int  #: index of the text item where the label starts
    published: str  #: the label as printed (compact)
    at: int  #: where it starts in the table's joined labels (two labels may share a text item)


_LabelHit: Final = LabelHit


class Labels(NamedTuple):
    """A table's text items joined (compact), to find labels in, and which item each character is from (a tuple made
    from its fields at once, three a report: attrs' ``__init__``, interpreted, cost ~5,000 instructions each)."""

    text: str
    starts: tuple[int, ...]  #: offset in ``text`` where each piece starts
    owners: tuple[int, ...]  #: the item index of each piece

    def owner(self, at: int) -> int:
        return self.owners[_bisect_right(self.starts, at) - 1]


_Labels: Final = Labels


#: a character no label holds: a table's text items are compacted in one string, cut apart by it
_CUT: Final = "\x00"
#: a long note, within one text item of the joined string (``_LONG_NOTE`` item by item): the reference of
#: :func:`_without_long_notes`' bounded finds, kept for tests/test_rows_fast.py
_LONG_NOTE_CUT: Final = compiled(rf"\([^()\x00]{{{_LONG_NOTE_MIN},}}\)")
#: no rewording writes or reads the cut
_CUT_SAFE: Final = not any(_CUT in wrong or _CUT in right for wrong, right in _REWORDINGS)
#: a token's ``soft`` field, read by its index (a named field is a lookup more)
_SOFT_FIELD: Final = Token._fields.index("soft")


def _text_items(stream: tuple[Token, ...]) -> list[int]:
    """Where the stream's text items are (indices)."""
    return [i for i, item in enumerate(stream) if item[0] == "text"]


def joined(stream: tuple[Token, ...]) -> Labels:
    return _joined(stream, _text_items(stream))


def _joined(stream: tuple[Token, ...], items: list[int]) -> Labels:
    texts = [stream[i][1] for i in items]  # (each item's text)
    whole = _CUT.join(texts)
    starts: list[int] = []
    owners: list[int] = []
    at = 0
    if not _CUT_SAFE or whole.count(_CUT) != max(len(items) - 1, 0):
        pieces = [_LONG_NOTE.sub("", t) if "(" in t else t for t in map(compact, texts)]  # the cut is in a text
        # the pieces not empty, where each starts in their join and whose item each is
        kept: list[str] = []
        for k in range(len(pieces)):
            if pieces[k]:
                kept.append(pieces[k])
                starts.append(at)
                owners.append(items[k])
                at += len(pieces[k])
        return _new(_Labels, ("".join(kept), tuple(starts), tuple(owners)))
    # every item compacted at once (no step of compact() reaches over the cut, nor takes one away), then read
    # between the cuts where it stands: the k-th piece is the k-th item's, and the text is the whole without its
    # cuts (no list of the pieces made, then joined again)
    whole = compact(whole)
    if "(" in whole:
        whole = _without_long_notes(whole)
    pos = k = 0
    while True:
        cut = whole.find(_CUT, pos)
        end = cut if cut >= 0 else len(whole)
        if end > pos:  # the piece not empty (no item: one empty piece)
            starts.append(at)
            owners.append(items[k])
            at += end - pos
        if cut < 0:
            break
        pos, k = cut + 1, k + 1
    return _new(_Labels, (whole.replace(_CUT, ""), tuple(starts), tuple(owners)))


def _without_long_notes(text: str) -> str:
    """``_LONG_NOTE_CUT.sub("", text)``: each bracket of :data:`_LONG_NOTE_MIN` characters or more, none of them a
    bracket or a cut, taken out (left to right), found by bounded ``find`` calls, native (a pattern's ``sub`` is a
    method called through Python's protocol, and builds its answer piece by piece)."""
    out: list[str] = []
    kept = 0  # where the text not yet copied starts
    at = text.find("(")
    while at >= 0:
        close = text.find(")", at + 1)
        if close < 0:  # no bracket closes after this one: none after it either
            break
        inner = text.find("(", at + 1, close)
        if inner >= 0:  # another opens before it closes: the note, if any, is that one's
            at = inner
            continue
        if close - at - 1 >= _LONG_NOTE_MIN and text.find(_CUT, at + 1, close) < 0:
            out.append(text[kept:at])
            kept = close + 1
        at = text.find("(", close + 1)
    if not out:
        return text
    out.append(text[kept:])
    return "".join(out)


#: a row as its label is searched for: path, row, keys, forms
Searched = tuple[tuple[str, ...], Row, tuple[str, ...], tuple[str, ...]]


@functools.cache
def _search_order(rows: tuple[tuple[tuple[str, ...], Row], ...]) -> tuple[Searched, ...]:
    # longer keys first, so that a label is not also read as a shorter label it ends with
    ordered = sorted(rows, key=lambda r: -max(len(k) for k in _keys(r[1])))
    return tuple((path, row, _keys(row), label_forms(row)) for path, row in ordered)


@functools.cache
def _labelled_rows(spec: FormatSpec, table: str) -> tuple[tuple[tuple[str, ...], Row], ...]:
    """The table's printed rows that have a label of their own (a transposed block's have not)."""
    return tuple((p, r) for p, r, _ in printed_rows(spec, table) if r is not None)


@functools.cache
def _searched(spec: FormatSpec, table: str) -> tuple[Searched, ...]:
    """The table's labelled rows in search order (once per format: a format's hash is cached, a tuple's is not)."""
    return _search_order(_labelled_rows(spec, table))


def find_labels(labels: Labels, rows: tuple[tuple[tuple[str, ...], Row], ...]) -> list[LabelHit]:
    """Where each row's label is printed (a prefix of the label or of an alias), in stream order."""
    return _find(labels, _search_order(rows))


_AT: Final = operator.attrgetter("at")


def _find(labels: Labels, searched: tuple[Searched, ...]) -> list[LabelHit]:
    text, starts, owners = labels.text, labels.starts, labels.owners
    # the spans of the labels found (disjoint, in text order): a key is found where no label was found already (where
    # no span overlaps it), without a copy of the text with each label blanked
    taken_starts: list[int] = []
    taken_ends: list[int] = []
    hits: list[LabelHit] = []
    for path, row, keys, forms in searched:
        for key in keys:
            at = text.find(key)
            end = at + len(key)
            while at >= 0 and _taken(taken_starts, taken_ends, at, end):
                at = text.find(key, at + 1)
                end = at + len(key)
            if at < 0:
                continue
            if end > at:  # an empty key blanks nothing
                i = _bisect_left(taken_starts, at)
                taken_starts.insert(i, at)
                taken_ends.insert(i, end)
            # (find bounded to the form's length: a native call, where startswith with a start is a method's)
            printed = forms[0] if text.find(forms[0], at, at + len(forms[0])) == at else _printed(labels, at, forms)
            hits.append(_new(_LabelHit, (path, row, owners[_bisect_right(starts, at) - 1], printed, at)))
            break
    hits.sort(key=_AT)
    return hits


def _taken(starts: list[int], ends: list[int], at: int, end: int) -> bool:
    """Whether ``at``…``end`` overlaps a span of ``starts`` and ``ends`` (disjoint, in order): only the last that starts
    before ``end`` may (those before it end where it starts, or before)."""
    i = _bisect_left(starts, end) - 1
    return i >= 0 and ends[i] > at


def _printed(labels: Labels, at: int, forms: tuple[str, ...]) -> str:
    """The label found at ``at`` as printed: the first of its forms that stands there, else what stands there,
    to the end of its text item."""
    printed = next((f for f in forms if labels.text.startswith(f, at)), None)
    if printed is not None:
        return printed
    end = _bisect_right(labels.starts, at)
    stop = labels.starts[end] if end < len(labels.starts) else len(labels.text)
    return labels.text[at:min(stop, at + PRINTED_LABEL_MAX)]


# ----------------------------------------------------------------------------- numbers to rows

PrintedRow = tuple[tuple[str, ...], Any, tuple[CellSpec, ...]]


@functools.cache
def printed_rows(spec: FormatSpec, table: str) -> tuple[PrintedRow, ...]:
    """The rows as the form prints them: (path, row, cells); a transposed block (table 4) is one
    printed row holding all its cells (its row is None)."""
    out: list[PrintedRow] = []
    for block in spec.table(table).blocks:
        # ==, not `is`: spec.rows is cached by value, so its blocks may be another equal spec's
        rows = [(path, row) for path, row, b in spec.rows(table) if b == block]
        cells = [tuple(spec.cell("/" + "/".join((table, *path, c.id))) for c in block.columns) for path, _ in rows]
        if block.transposed:
            out.append(((), None, tuple(c for row_cells in cells for c in row_cells)))
        else:
            out.extend((path, row, row_cells) for (path, row), row_cells in zip(rows, cells, strict=True))
    return tuple(out)


class Group(NamedTuple):
    """Numbers printed together, with no text between them."""

    start: int  #: index of the first item
    tokens: tuple[Token, ...]
    hard: int  #: how many of them are numbers or blank marks (not a lone '|')


_Group: Final = Group


def groups(stream: tuple[Token, ...]) -> list[Group]:
    return _groups(stream, _text_items(stream))[0]


def _groups(stream: tuple[Token, ...], items: list[int]) -> tuple[list[Group], bool]:
    """The groups between the text items (``items``: where they are), and whether every number or mark of every group
    is hard (no lone '|' in the stream)."""
    out: list[Group] = []
    start = 0  # the first item after the last text item
    soft = False  # else every number or mark of a group is hard (a loop, not any(map(...)): a call a token)
    for t in stream:
        if t[5]:
            soft = True
            break
    for i in (*items, len(stream)):
        if i > start:
            run = stream[start:i]
            out.append(_new(_Group, (start, run, len(run) - _soft_count(run) if soft else len(run))))
        start = i + 1
    return out, not soft


def _soft_count(tokens: tuple[Token, ...]) -> int:
    """How many of the tokens are lone '|' marks (a sum of their ``soft`` fields, as a native loop: no map object, no
    call of the getter for each token; ``soft`` is a bool)."""
    n = 0
    for t in tokens:
        if t[_SOFT_FIELD]:
            n += 1
    return n


def fit(tokens: tuple[Token, ...], width: int) -> tuple[Token, ...]:
    """Drop lone-'|' marks beyond the row's width (they ended a row rather than left a cell empty)."""
    if len(tokens) <= width:
        return tokens
    out = list(tokens)
    while len(out) > width and out[-1].soft:
        out.pop()
    while len(out) > width and out[0].soft:
        out.pop(0)
    return tuple(out)


def _by_label(gs: list[Group], hits: list[LabelHit], size: int) -> tuple[dict[tuple[str, ...], list[int]], list[int]]:
    """Each labelled row's groups (those after its label, before the next), and the groups before every label."""
    # (a named tuple's fields by index: native, where a name is a generic attribute lookup)
    starts = [h[2] for h in hits]  # (each hit's item)
    mine: dict[tuple[str, ...], list[int]] = {h[0]: [] for h in hits}  # (each hit's path)
    orphans: list[int] = []
    for i, g in enumerate(gs):
        k = _bisect_left(starts, g[0]) - 1  # (the group's start)
        if k < 0:
            orphans.append(i)
        else:
            mine[hits[k][0]].append(i)
    return mine, orphans


def assign(stream: tuple[Token, ...], rows: tuple[PrintedRow, ...], table: str, hits: list[LabelHit], source: str,
           at_line: Any) -> tuple[list[tuple[Token, ...] | None], list[Finding]]:
    """The tokens printed for each row, in the form's row order, and the numbers no row took."""
    return _assign(stream, *_groups(stream, _text_items(stream)), rows, table, hits, source, at_line)[:2]


def _assign(stream: tuple[Token, ...], all_groups: list[Group], hard: bool, rows: tuple[PrintedRow, ...], table: str,
            hits: list[LabelHit], source: str, at_line: Any, headings: frozenset[str] = frozenset()
            ) -> tuple[list[tuple[Token, ...] | None], list[Finding], list[tuple[str, ...]]]:
    """``assign`` of the stream's groups (``hard``: no lone '|' among them; ``headings``: the table's group labels,
    whose blank marks are no row's), and the rows whose numbers were placed by their labels' order
    (:func:`_numbers_after_labels`)."""
    if hard:
        gs = all_groups
    else:  # lone '|' marks make a row of empty cells only right after a row's label
        label_ends = {h.item for h in hits}
        gs = [g for g in all_groups if g.hard or (g.start - 1) in label_ends]
    if headings:
        gs = [g for g in gs if not _group_blanks(stream, g, headings)]
    if hits:  # numbers before the table's first label are not the table's (an intro sentence, a header)
        head = _bisect_left([g.start for g in gs], hits[0].item)  # the groups are in stream order
        if head and len(gs) - head >= len(rows):
            gs = gs[head:]
    gs, said, placed = _numbers_after_labels(stream, gs, hits, rows, table, source, at_line)
    mine, orphans = _by_label(gs, hits, len(stream))
    if hits and not orphans and all(len(v) <= 1 for v in mine.values()) and all(r[1] is not None for r in rows):
        # every number stands after its own row's label: the labels decide
        return [fit(gs[mine[path][0]].tokens, len(cells)) if mine.get(path) else None
                for path, _, cells in rows], said, placed
    out, stray = _assign_otherwise(stream, gs, mine, rows, table, hits, source, at_line)
    return out, [*said, *stray], placed


@functools.cache
def _group_headings(spec: FormatSpec, table: str) -> frozenset[str]:
    """The labels of the groups over a table's rows (三、本年度办理结果, （三）不予公开), as compared: headings, no rows
    (cached by the format: a format's hash is cached, its rows' tuple's is not)."""
    rows = printed_rows(spec, table)
    labels = {g.zh for _, _, cells in rows for c in cells for g in c.group_labels}
    own = {form for _, row, _ in rows if row is not None for form in label_forms(row)}
    return frozenset(f for f in (compact(fold(label)) for label in labels) if f not in own)


def _group_blanks(stream: tuple[Token, ...], group: Group, labels: frozenset[str]) -> bool:
    """Whether a group is blank marks only, right after a group's heading (an HTML table's group row, its empty
    cells): no row's cells (review 13, probe 13 #1: GD-PARSE-NO-ROW for each such row)."""
    if group.start == 0 or any(t.kind != "blank" for t in group.tokens):
        return False
    before = stream[group.start - 1]
    return before.kind == "text" and _NOTES.sub("", compact(before.text)) in labels


def _numbers_after_labels(stream: tuple[Token, ...], gs: list[Group], hits: list[LabelHit],
                          rows: tuple[PrintedRow, ...], table: str, source: str, at_line: Any,
                          ) -> tuple[list[Group], list[Finding], list[tuple[str, ...]]]:
    """The groups with each run of several labels printed with no number, then, from the next line on, one group
    of as many lines as there are labels, line k exactly as wide as label k's row (OCR reading a two-column table
    column by column: the labels, then the numbers), cut into its lines, each placed after its label; the findings
    that say so; and the rows so placed (their cells' provenance says how they were read).  A line of one short
    number alone (a scan's page number among the lines) is left out where the others then line up.  Any other
    group as it is; one of several lines holding half the run's numbers or more, and more than its last label's row
    holds (no fewer: that row's numbers, wrapped below it after rows printed blank), is said not to be read by
    order (a line too many or too few, or of another width: the numbers cannot be given to the rows safely)."""
    if len(hits) < 2:
        return gs, [], []
    widths: dict[tuple[str, ...], int] = {}  # each row's width: made at the first run of labels (most tables have none)
    starts = [h.item for h in hits]
    out: list[Group] = []
    said: list[Finding] = []
    placed: list[tuple[str, ...]] = []
    owner = -1  # the label of the group before
    for g in gs:
        k = _bisect_left(starts, g.start) - 1
        run = hits[owner + 1:k + 1] if k > owner + 1 else []
        owner = max(owner, k)
        if run and not widths:
            widths = {path: len(cells) for path, _, cells in rows}
        if not run or g.hard != len(g.tokens) or 2 * g.hard < sum(widths.get(h.path, 0) for h in run) \
                or g.hard <= widths.get(run[-1].path, 0) \
                or any(a.item >= b.item for a, b in itertools.pairwise(run)) \
                or len(lines := _lines(g.tokens, at_line)) < 2 or at_line(g.tokens[0].at) == at_line(
                    stream[run[-1].item].at):  # numbers on the last label's line: its own (a PDF's row)
            out.append(g)
            continue
        apart = _line_up(lines, run, widths)
        if apart is None and len(kept := [x for x in lines if not _page_number(x)]) < len(lines):
            apart = _line_up(kept, run, widths)
        if apart is not None:
            out += (_new(_Group, (h.item + 1, x, len(x))) for h, x in zip(run, apart, strict=True))
            placed += (h.path for h in run)
        else:
            out.append(g)
        said.append(F.NUMBERS_APART(pointer=f"/{table}", file=source, line=at_line(g.tokens[0].at), table=table,
                                    label=run[0].published, count=len(run), first=at_line(g.tokens[0].at),
                                    how=_BY_ORDER if apart is not None else _NOT_BY_ORDER))
    return out, said, placed


def _line_up(lines: list[tuple[Token, ...]], run: list[LabelHit], widths: dict[tuple[str, ...], int]
             ) -> list[tuple[Token, ...]] | None:
    """The lines, when there is one a label and each is exactly as wide as its label's row; else None."""
    if len(lines) == len(run) and all(len(x) == widths.get(h.path) for x, h in zip(lines, run, strict=True)):
        return lines
    return None


def _page_number(line: tuple[Token, ...]) -> bool:
    """A line of one number of 1-3 digits alone (as ``regions._BARE_NUMBER_LINE``): a scan's page number."""
    return len(line) == 1 and line[0].kind == "num" and line[0].text.isdigit() and len(line[0].text) <= 3


_BY_ORDER: Final = Label("每行一行，按标签的顺序逐行读入", "a row a line: read row by row in the labels' order")
_NOT_BY_ORDER: Final = Label("其行数或每行的个数与这些行不符，未按顺序读入",
                             "their lines do not match these rows in number or width: not read by their order")


def _lines(tokens: tuple[Token, ...], at_line: Any) -> list[tuple[Token, ...]]:
    """The tokens cut where a line ends."""
    out: list[tuple[Token, ...]] = []
    line, start = None, 0
    for i, t in enumerate(tokens):
        if (here := at_line(t.at)) != line:
            if i:
                out.append(tokens[start:i])
            line, start = here, i
    out.append(tokens[start:])
    return out


def _assign_otherwise(stream: tuple[Token, ...], gs: list[Group], mine: dict[tuple[str, ...], list[int]],
                      rows: tuple[PrintedRow, ...], table: str, hits: list[LabelHit], source: str,
                      at_line: Any) -> tuple[list[tuple[Token, ...] | None], list[Finding]]:
    """The groups given to rows where the labels alone cannot say: by count, else by label as far as they go."""
    widths = [len(cells) for _, _, cells in rows]
    if len(gs) == len(rows) and all(g.hard <= w for g, w in zip(gs, widths, strict=True)):
        return [fit(g.tokens, w) for g, w in zip(gs, widths, strict=True)], []
    chunks = _chunk(gs, widths)
    if chunks is not None:
        return chunks, []
    # by label, as far as the labels go: the first group after each label
    out: list[tuple[Token, ...] | None] = []
    used: set[int] = set()
    for path, row, cells in rows:
        if row is None:  # a transposed block printed as one row: its numbers, wherever they stand
            free = next((i for i in range(len(gs)) if i not in used), None)
            if free is not None:
                used.add(free)
            out.append(gs[free].tokens if free is not None else None)
            continue
        taken = [i for i in mine.get(path, ()) if i not in used]
        if taken:
            used.add(taken[0])
            out.append(fit(gs[taken[0]].tokens, len(cells)))
        else:
            out.append(None)
    stray = [_no_row(stream, g, table, source, at_line, hits) for i, g in enumerate(gs) if i not in used]
    return out, stray


def _no_row(stream: tuple[Token, ...], group: Group, table: str, source: str, at_line: Any,
            hits: list[LabelHit]) -> Finding:
    """Numbers no row took, with the label printed before them (the compared form: what a variant declares); or,
    when that label is a row's printed again, that the row appears again (its first printing's numbers kept)."""
    before = stream[group.start - 1] if group.start > 0 and stream[group.start - 1].kind == "text" else None
    label = _NOTES.sub("", _LONG_NOTE.sub("", compact(before.text))) if before is not None else ""
    line = at_line(before.at if before is not None else group.tokens[0].at)
    first = next((h for h in hits if label and h.item < group.start - 1
                  and (label == h.published or label in label_forms(h.row))), None)
    if first is not None:
        return F.ROW_AGAIN(pointer=f"/{table}/{'/'.join(first.path)}", file=source, line=line, table=table,
                           label=label, first=at_line(stream[first.item].at),
                           numbers=tuple(t.raw for t in group.tokens if not t.soft))
    return F.NO_ROW(pointer=f"/{table}", file=source, line=line, table=table, label=label,
                    printed=before.raw.strip() if before is not None else "",
                    numbers=tuple(t.raw for t in group.tokens if not t.soft))


def _chunk(gs: list[Group], widths: list[int]) -> list[tuple[Token, ...] | None] | None:
    """Groups cut into rows when every number is printed apart and the counts add up exactly."""
    tokens = [t for g in gs for t in g.tokens if not t.soft]
    if len(tokens) != sum(widths):
        return None
    out: list[tuple[Token, ...] | None] = []
    i = 0
    for w in widths:
        out.append(tuple(tokens[i:i + w]))
        i += w
    return out


# ----------------------------------------------------------------------------- the columns a header names

#: a group label's place among a header's words (the columns are 0, 1, …)
_GROUP: Final = -1


@functools.cache
def _header_words(spec: FormatSpec, table: str) -> tuple[tuple[str, int], ...]:
    """The words a table's header prints, as compared, longest first (so that 其他 is not read inside
    法人或其他组织): each column's label (its index) and the group label over some of them (``_GROUP``); none for
    a table of several blocks (each under a header of its own) or a transposed one."""
    blocks = spec.table(table).blocks
    if len(blocks) != 1 or blocks[0].transposed or len(blocks[0].columns) < 3:
        return ()
    columns = blocks[0].columns
    groups = {c.group for c in columns if c.group is not None}
    words = [(compact(fold(c.label.zh)), k) for k, c in enumerate(columns)]
    if len(groups) == 1:
        words.append((compact(fold(next(iter(groups)).zh)), _GROUP))
    return tuple(sorted(words, key=lambda w: -len(w[0])))


def _header_text(labels: Labels, stream: tuple[Token, ...], at: int, words: tuple[tuple[str, int], ...]
                 ) -> tuple[str, int]:
    """The header printed right before the table's first row label (at ``at``): the text items before it, back to
    the first that holds none of the header's words or that numbers stand before (an intro sentence, a caption);
    and the item it starts in."""
    text, starts, owners = labels.text, labels.starts, labels.owners  # (read once: a named tuple's, not native)
    k = _bisect_right(starts, at) - 1
    out = [text[starts[k]:at]] if k >= 0 else []
    while k > 0:
        piece = text[starts[k - 1]:starts[k]]
        if not _any_word(piece, words) or not _texts_only(stream, owners[k - 1] + 1, owners[k]):
            break
        out.append(piece)
        k -= 1
    out.reverse()  # (in place: no reversed object made and iterated)
    return "".join(out), owners[max(k, 0)]


def _any_word(piece: str, words: tuple[tuple[str, int], ...]) -> bool:
    """Whether one of the words stands in the piece (a native loop: no generator)."""
    for w, _ in words:  # noqa: SIM110 - a native loop, no generator
        if w in piece:
            return True
    return False


def _texts_only(stream: tuple[Token, ...], start: int, end: int) -> bool:
    """Whether the stream's items from ``start`` to before ``end`` are all text (no slice of them made)."""
    for i in range(start, min(end, len(stream))):  # noqa: SIM110 - a native loop, no generator
        if stream[i][0] != "text":
            return False
    return True


def header_columns(labels: Labels, stream: tuple[Token, ...], hits: list[LabelHit], spec: FormatSpec,
                   table: str) -> tuple[tuple[int, ...], int] | None:
    """The columns a table's header names, in the order it prints them (indices of the form's columns), when it
    names each once: a group label's columns (法人或其他组织's) stand where it stands, in their own order; None where
    the header names no column, names one twice, or names them all in the form's order.  With the item where the
    header starts."""
    return _header_columns(labels, stream, hits, spec, table, _header_words(spec, table))


def _header_columns(labels: Labels, stream: tuple[Token, ...], hits: list[LabelHit], spec: FormatSpec, table: str,
                    words: tuple[tuple[str, int], ...]) -> tuple[tuple[int, ...], int] | None:
    """:func:`header_columns`, the table's header words given (:func:`_header_words`)."""
    if not words or not hits:
        return None
    header, item = _header_text(labels, stream, hits[0].at, words)
    order = _named(header, spec, table) if header else None
    return (order, item) if order is not None else None


@functools.lru_cache(maxsize=256)
def _named(header: str, spec: FormatSpec, table: str) -> tuple[int, ...] | None:
    """:func:`header_columns` of a header's text (most reports print the same few headers: read once each)."""
    words = _header_words(spec, table)
    at: dict[int, int] = {}
    for word, k in words:
        i = header.find(word)
        if i < 0:
            continue
        if header.find(word, i + 1) >= 0:
            return None  # named twice: the header does not say which is which
        at[k] = i
        header = header[:i] + _CUT * len(word) + header[i + len(word):]  # a shorter word is not read inside it
    columns = spec.table(table).blocks[0].columns
    grouped = sorted((k for k in at if k != _GROUP and columns[k].group is not None), key=at.__getitem__)
    if not any(w == _GROUP for _, w in words):
        order = sorted(at, key=at.__getitem__)
    else:
        # only the group's own columns are read in the order printed; 自然人 and 总计 keep the form's places around
        # them: a two-line header is printed in several orders (法人或其他组织 above 自然人…总计, or its columns after
        # 总计), none of which moves a column (review 11b, #1: reading the label's place reordered every row)
        order = []
        for k, column in enumerate(columns):
            if column.group is None:
                order += [k] if k in at else []
            elif not any(columns[j].group is not None for j in range(k)):
                order += grouped
    if not order or order == list(range(len(columns))):
        return None
    return tuple(order)


def _widest(assigned: list[tuple[Token, ...] | None]) -> int:
    """The most numbers a row of the table prints (lone '|' marks aside)."""
    return max((len(tokens) - _soft_count(tokens) for tokens in assigned if tokens), default=0)


def _by_header(spec: FormatSpec, plan: _Plan, table: str, labels: Labels, stream: tuple[Token, ...],
               hits: list[LabelHit], assigned: list[tuple[Token, ...] | None], source: str, at_line: Any
               ) -> tuple[tuple[int, ...] | None, list[Finding]]:
    """The columns a table's rows print, in order, when its header says they are not the form's (None: the form's),
    and the findings that say so.  A header that names fewer columns than the form is believed where the rows print
    as many numbers as it names and none prints more (a column not printed; a row of fewer has its digits run
    together, or cells left out): else it was misread (a label lost)."""
    read = _header_columns(labels, stream, hits, spec, table, plan.header_words)
    if read is None:
        return None, []
    order, item = read
    columns = spec.table(table).blocks[0].columns
    line = at_line(stream[item].at)
    if len(order) < len(columns) and _widest(assigned) != len(order):
        return None, []
    found = []
    shown = [columns[k].label for k in order]
    if list(order) != sorted(order):
        found.append(F.COLUMN_ORDER(pointer=f"/{table}", file=source, line=line, table=spec.table(table).label,
                                    columns=tuple(c.zh for c in shown)))
    for k, column in enumerate(columns):
        if k not in order:
            found.append(F.COLUMN_MISSING(pointer=f"/{table}", file=source, line=line, table=spec.table(table).label,
                                          name=column.label))
    return order, found


# ----------------------------------------------------------------------------- the columns a block's header names

class Word(NamedTuple):
    """A column label a block's header may print: as compared, the form's column it names (its index; None: no
    column of the block), its label, and the format version whose column it is."""

    word: str
    column: int | None
    label: Label
    version: str


#: a unit printed in a column's label (本年收费金额（单位：万元）): a header prints it otherwise, or in another unit
_UNIT_NOTE: Final = compiled(r"\(单位[:：][^()]*\)")


@functools.cache
def _block_words(spec: FormatSpec, bases: tuple[FormatSpec, ...], table: str) -> tuple[tuple[Word, ...], ...]:
    """For each block of a table of several blocks (table 2), the column labels its header may print, longest first:
    the block's own; the same block's of another version (a column of the same id means the same: 处理决定数量 is the
    2021 本年处理决定数量; another is no column of the block); any other block's (处理决定数量 over (八))."""
    blocks = spec.table(table).blocks
    out = []
    for block in blocks:
        own = {c.id: k for k, c in enumerate(block.columns)}
        named: list[tuple[Column, int | None, str]] = [(c, k, spec.version) for k, c in enumerate(block.columns)]
        for other in (o for o in bases if o.version != spec.version):
            same = [b for b in other.table(table).blocks if b.label == block.label]
            # first: a label the same block prints (处理决定数量 of another block is not its)
            named += [(c, own.get(c.id), other.version) for b in same for c in b.columns]
            named += [(c, None, other.version) for b in other.table(table).blocks if b not in same for c in b.columns]
        named += [(c, None, spec.version) for b in blocks for c in b.columns]
        words: dict[str, Word] = {}
        for column, k, version in named:
            form = compact(fold(column.label.zh))
            for word in dict.fromkeys((form, _UNIT_NOTE.sub("", form), form.replace("/", ""))):
                words.setdefault(word, Word(word, k, column.label, version))
        out.append(tuple(sorted(words.values(), key=lambda w: -len(w.word))))
    return tuple(out)


def _block_named(header: str, words: tuple[Word, ...], forms: tuple[str, ...] | None = None
                 ) -> tuple[Word, ...] | None:
    """The columns a block's header names, in its order (None: one named twice, the header does not say which).
    ``forms``: the words' forms, if at hand (:attr:`_Plan.forms`: not gathered again each report)."""
    named = _named_at(header, tuple([w.word for w in words]) if forms is None else forms)
    return None if named is None else tuple([words[k] for k in named])


@functools.lru_cache(maxsize=256)
def _named_at(header: str, forms: tuple[str, ...]) -> tuple[int, ...] | None:
    """:func:`_block_named` by the words' forms (their indices): a key of strings hashes at C speed, where a Word's
    hash is its Label's, a Python call each (~15 a block, ~7,000 instructions a lookup)."""
    at: dict[int, int] = {}
    for k, form in enumerate(forms):
        i = header.find(form)
        if i < 0:
            continue
        if header.find(form, i + 1) >= 0:
            return None
        at[i] = k
        header = header[:i] + _CUT * len(form) + header[i + len(form):]
    return tuple(at[i] for i in sorted(at))


@functools.cache
def _block_of_rows(spec: FormatSpec, table: str) -> tuple[int, ...]:
    """Each printed row's block (its index)."""
    blocks = spec.table(table).blocks
    paths = {path: next(k for k, b in enumerate(blocks) if b == block) for path, _, block in spec.rows(table)}
    return tuple(paths[path] for path, _, _ in printed_rows(spec, table))


def _by_block_header(spec: FormatSpec, plan: _Plan, table: str, labels: Labels,
                     stream: tuple[Token, ...], hits: list[LabelHit], assigned: list[tuple[Token, ...] | None],
                     source: str, at_line: Any) -> tuple[list[tuple[Token, ...] | None], list[Finding]]:
    """Table 2's rows read by their block's printed header where it is not the form's (probe 13 #2, #6): a column
    the block has, named otherwise or elsewhere, is read as named (处理决定数量 in a 2021 (五) is its
    本年处理决定数量); a column it has not (the other version's, another block's) is not read, and said
    (GD-PARSE-BLOCK-COLUMNS); a form's column the header leaves out is blank (GD-PARSE-COLUMN-MISSING).  Rows
    printed otherwise than the header (a number more or fewer) are read as before, unless the header names columns
    the block has not: then not at all (said)."""
    if not plan.blocks or not hits:  # (a table of one block)
        return assigned, []
    blocks, of_row, where, keys, words = plan.blocks, plan.of_row, plan.where, plan.keys, plan.words
    first: dict[int, LabelHit] = {}
    for hit in hits:
        if hit.path in where:
            first.setdefault(of_row[where[hit.path]], hit)
    out: list[tuple[Token, ...] | None] = list(assigned)
    found: list[Finding] = []
    for k, hit in first.items():
        header, item = _header_text(labels, stream, hit.at, keys[k])
        named = _block_named(header, words[k], plan.forms[k]) if header else None
        if not named or [w.column for w in named] == list(range(len(blocks[k].columns))):
            continue  # no header, or the form's
        rows = [(i, tuple(t for t in tokens if not t.soft)) for i, b in enumerate(of_row)
                if b == k and (tokens := out[i])]
        if rows:
            found += _read_block(spec, table, k, named, rows, out, source, at_line(stream[item].at))
    return out, found


@functools.cache
def _row_index(spec: FormatSpec, table: str) -> dict[tuple[str, ...], int]:
    """Each printed row's index among the table's printed rows (:func:`printed_rows`), by its path."""
    return {path: i for i, (path, _, _) in enumerate(printed_rows(spec, table))}


@functools.cache
def _block_keys(spec: FormatSpec, bases: tuple[FormatSpec, ...], table: str) -> tuple[tuple[tuple[str, int], ...], ...]:
    """:func:`_block_words` as :func:`_header_text` looks for them, each block's."""
    return tuple(tuple((w.word, 0) for w in words) for words in _block_words(spec, bases, table))


def _read_block(spec: FormatSpec, table: str, k: int, named: tuple[Word, ...],
                rows: list[tuple[int, tuple[Token, ...]]], out: list[tuple[Token, ...] | None], source: str,
                line: int) -> list[Finding]:
    """Block ``k``'s rows (their index in ``out`` and numbers) set in ``out`` as its header ``named`` reads them."""
    block, printed = spec.table(table).blocks[k], printed_rows(spec, table)
    foreign = any(w.column is None for w in named)
    if any(len(tokens) != len(named) for _, tokens in rows):
        if not foreign:
            return []  # a header misread (a label lost), or rows printed otherwise: by the form, as before
        for i, _ in rows:
            out[i] = None
        return [_block_columns(spec, table, k, named, (), [(printed[i][1], t) for i, t in rows], source, line)]
    dropped = []
    for i, tokens in rows:
        row = [_new(_Token, ("blank", "", "", tokens[0].at, None, False, True))] * len(block.columns)
        for token, w in zip(tokens, named, strict=True):
            if w.column is not None:
                row[w.column] = token
        out[i] = tuple(row)
        extra = tuple(t for t, w in zip(tokens, named, strict=True) if w.column is None)
        if extra:
            dropped.append((printed[i][1], extra))
    if foreign:
        return [_block_columns(spec, table, k, named, tuple(w for w in named if w.column is not None), dropped,
                               source, line)]
    found = []
    if [w.column for w in named] != sorted(w.column for w in named if w.column is not None):
        found.append(F.COLUMN_ORDER(pointer=f"/{table}", file=source, line=line, table=block.label,
                                    columns=tuple(w.label.zh for w in named)))
    read = {w.column for w in named}
    return found + [F.COLUMN_MISSING(pointer=f"/{table}", file=source, line=line, table=block.label, name=c.label)
                    for j, c in enumerate(block.columns) if j not in read]


_NONE: Final = Label("无", "none")
_Token: Final = Token


def _block_columns(spec: FormatSpec, table: str, k: int, named: tuple[Word, ...], read: tuple[Word, ...],
                   dropped: list[tuple[Row, tuple[Token, ...]]], source: str, line: int) -> Finding:
    """GD-PARSE-BLOCK-COLUMNS of block ``k``: its header's columns, whose they are, what was read and what not."""
    block = spec.table(table).blocks[k]
    others = {w.version for w in named if w.version != spec.version}
    own = {w.word for w in named if w.version == spec.version}
    if len(others) == 1 and not own:
        version = next(iter(others))
        whose = Label(f"{version} 格式此块的列", f"the {version} format's columns of this block")
    else:
        extra = "、".join(w.label.zh for w in named if w.column is None)
        whose = Label(f"此块没有的列：{extra}", f"columns this block has not: {extra}")
    return F.BLOCK_COLUMNS(
        pointer=f"/{table}", file=source, line=line, block=block.label, version=spec.version, whose=whose,
        printed=tuple(w.label.zh for w in named), form=tuple(c.label.zh for c in block.columns),
        read=tuple(spec_label.zh for spec_label in (block.columns[w.column].label for w in read
                                                    if w.column is not None)) or _NONE,
        dropped=tuple(f"{row.label.zh} {' '.join(t.raw for t in tokens)}" for row, tokens in dropped) or _NONE)


#: the provenance note of a cell of a row printed wider than its cells (GD-PARSE-ROW-WIDER): the parser's doubt, so
#: the blank rules do not count the cell as the agency's blank
ROW_WIDER_NOTE: Final = "本行印的数比表格此行的列多，未读入 / the row prints more numbers than its cells: not read"


def _wider(printed: tuple[PrintedRow, ...], table: str, assigned: list[tuple[Token, ...] | None],
           order: tuple[int, ...] | None, source: str, at_line: Any,
           unread: dict[str, dict[str, Any]]) -> list[Finding]:
    """GD-PARSE-ROW-WIDER for each row printed apart (every number a cell of its own) with more numbers than its cells
    (the header's, ``order``, where it names them), the blanks printed after them aside; such a row is not read
    (``assigned`` set None: its cells' provenance in ``unread``), and its trailing blank marks beyond its cells are
    dropped.  The solver said its digits ran together, and they did not."""
    found = []
    for i, (path, _, cells) in enumerate(printed):
        tokens = assigned[i]
        width = len(order) if order is not None else len(cells)
        if not tokens or len(tokens) <= width or not all(t.cell and not t.soft for t in tokens):
            continue
        hard = list(tokens)
        while len(hard) > width and hard[-1].kind == "blank":
            hard.pop()  # an empty cell printed after the row's own: no number of it
        if len(hard) <= width:
            assigned[i] = tuple(hard)
            continue
        assigned[i] = None
        line = at_line(hard[0].at)
        raw = " ".join(tok.raw or tok.text for tok in hard)  # (an empty cell between separators: its '|')
        unread.update({cell.pointer: {"raw": raw, "note": ROW_WIDER_NOTE, "line": line} for cell in cells})
        found.append(F.ROW_WIDER(pointer=f"/{table}/{'/'.join(path)}", file=source, line=at_line(hard[0].at),
                                 count=len(hard), width=width, numbers=tuple(t.raw or "（空）" for t in hard)))
    return found


# ----------------------------------------------------------------------------- the other version's sub-rows

SubRows = tuple[tuple[tuple[str, ...], tuple[tuple[tuple[str, ...], Row], ...], str], ...]


@functools.cache
def _sub_rows(spec: FormatSpec, bases: tuple[FormatSpec, ...], table: str) -> SubRows:
    """The rows this format prints as one that another version prints as several (2019's （六）其他处理, 2021's
    three): (the one row's path, the other's rows under it, that version)."""
    single = {path for path, row, _ in printed_rows(spec, table) if row is not None}
    out = []
    for other in bases:
        for path in sorted(single):
            under = tuple((p, r) for p, r, _ in printed_rows(other, table)
                          if r is not None and len(p) > len(path) and p[:len(path)] == path)
            if len(under) > 1:
                out.append((path, under, other.version))
    return tuple(out)


def _summed(stream: tuple[Token, ...], labels: Labels, hits: list[LabelHit], sub: SubRows, spec: FormatSpec,
            table: str, source: str, at_line: Any) -> tuple[tuple[Token, ...], Finding] | None:
    """The stream with the other version's sub-rows printed under a row of this format (its label alone on its line,
    then theirs with their numbers) made that row's numbers: each column added up where every sub-row prints one
    count a column; else none (the row blank); and the finding that says so.  None where no such rows are printed."""
    for path, under, version in sub:
        mine = next((h for h in hits if h.path == path), None)
        if mine is None:
            continue
        after = next((h.item for h in hits if h.at > mine.at), len(stream))
        found = [h for h in _find(labels, _search_order(under)) if h.at > mine.at and h.item < after]
        if len(found) < 2 or any(t.kind != "text" for t in stream[mine.item + 1:found[0].item]):
            continue  # the row prints its own numbers (a subtotal), or the sub-rows are not printed
        width = len(next(cells for p, _, cells in printed_rows(spec, table) if p == path))
        ends = [h.item for h in found[1:]] + [after]
        rows = [tuple(t for t in stream[h.item + 1:end] if t.kind != "text" and not t.soft)
                for h, end in zip(found, ends, strict=True)]
        plain = all(len(r) == width and all(t.kind == "num" and t.unit is None and t.text.isdigit() for t in r)
                    for r in rows)
        numbers = " / ".join(" ".join(t.raw for t in r) for r in rows)
        if plain:
            sums = [str(sum(int(r[k].text) for r in rows)) for k in range(width)]
            at = rows[0][0].at
            tokens = tuple(_new(_Token, ("num", v, v, at, None, False, True)) for v in sums)
            how = Label(f"各列相加读入 {' | '.join(sums)}（{numbers}）", f"added up as {' | '.join(sums)} ({numbers})")
        else:
            tokens = ()
            how = Label(f"各行的数字（{numbers}）无法逐列相加，该行留空",
                        f"their numbers ({numbers}) cannot be added up column by column: the row is left blank")
        row = next(r for p, r, _ in printed_rows(spec, table) if p == path)
        said = F.SUB_ROWS(pointer=f"/{table}/{'/'.join(path)}", file=source, line=at_line(stream[found[0].item].at),
                          row=row.label, version=version, format=spec.version, count=len(found),
                          labels=tuple(h.row.label.zh for h in found), how=how)
        return stream[:mine.item + 1] + tokens + stream[after:], said
    return None


def _missing(state: State, spec: FormatSpec, table: str) -> Finding:
    """GD-PARSE-TABLE of a table with no text: saying its heading is printed, where it is with nothing under it but an
    image (or its caption): the table an image; a heading with a sentence of its own under it (本年度未发生…案件。) is a
    table the report did not print, and GD-M-SECTIONS says so."""
    span = state.parts.get(table)
    under = "" if span is None else state.raw[span.body:span.end].strip()
    if span is None or span.body <= span.start or (under and not image_like(under)):
        return F.TABLE_MISSING(pointer=f"/{table}", file=state.source, table=spec.table(table).label)
    return F.TABLE_UNPRINTED(pointer=f"/{table}", file=state.source, line=state.line(span.start),
                             table=spec.table(table).label, heading=state.raw[span.start:span.body].strip())


def _blank_rows_after(state: State, plan: _Plan, table: str, hits: list[LabelHit]) -> int:
    """Where the table's region ends once the rows printed after its last number with their label alone (四、结转下年度
    继续办理 and nothing else: the agency's blanks) are in it: the lines after it, to its part's end, each the label of
    the form's next row after the last found; else the region's end."""
    region, span = state.tables[table], state.parts.get(table)
    paths = plan.labelled  # the form's rows with a label, in order (each hit is one's: they are what is searched)
    if span is None or not hits or not paths:
        return region[1]
    last = -1  # the last of them found (their places by path: the plan's, not a set of the hits' paths a report)
    for hit in hits:
        last = max(last, plan.labelled_at[hit.path])
    end, k, folded = region[1], last + 1, state.folded
    if k < len(paths) and (tail := _label_tail(state, table, paths[k][1], end, span.end)) is not None:
        end, k = tail, k + 1  # the next row's label began before its numbers (四、结 | 2 … 2) and ends below them
    while k < len(paths) and end < span.end:
        eol = folded.find("\n", end + 1, span.end)
        eol = span.end if eol < 0 else eol
        line = compact(folded[end:eol])
        if not line:
            end = eol
            continue
        if _LONG_NOTE.sub("", _NOTES.sub("", line)) not in label_forms(paths[k][1]):  # a label whole, nothing else
            break
        end, k = eol, k + 1
    return end


def _label_tail(state: State, table: str, row: Row, end: int, stop: int) -> int | None:
    """Where the lines after a table's region (at ``end``) end when they finish the label its last text item begins
    (``四、结 | 2 | … | 2`` then ``转下年度继续办理``: the row's label wrapped after its first characters, its numbers
    on its first line); None where they do not.  Without them the label is no label and its numbers were the row's
    above (（七）总计 printed blank: total read as 2…2, the carried-over row blank, silently: fix13-pdf's leftover)."""
    stream = state.streams.get(table, ())
    head = next((t for t in reversed(stream) if t.kind == "text"), None)
    if head is None:
        return None
    start = compact(head.text.replace("|", ""))
    forms = label_forms(row)
    if not start or not any(f.startswith(start) and f != start for f in forms):
        return None
    folded, at = state.folded, end
    while at < stop:
        eol = folded.find("\n", at + 1, stop)
        eol = stop if eol < 0 else eol
        start += compact(folded[at:eol])
        if start in forms or _LONG_NOTE.sub("", _NOTES.sub("", start)) in forms:
            return eol
        if not any(f.startswith(start) for f in forms):
            return None
        at = eol
    return None


def _cut_inside(state: State, spec: FormatSpec, table: str, stream: tuple[Token, ...], hits: list[LabelHit],
                end: int) -> Finding | None:
    """GD-PARSE-TRUNCATED where the text ends inside the table (its region, to ``end``): the region runs to the
    report's end (but for a label cut short: 三, (二)部分公), no part after it is found, and the form's rows after the
    last one found (in the text) are none of them found.  ``sure``: rows found and the form's next ones not, or a
    label cut short (what no report prints); a header with nothing after it may be a report that stopped there (its
    parts after it left out: the rules still say so), and a header followed by words of no header (本年度无…情况) is
    such a report."""
    if not hits and any(t.kind != "text" for t in stream):
        return None
    number = next(p.number for p in spec.parts if p.id == table)
    if any(p.number > number and p.id in state.parts for p in spec.parts):
        return None  # (before the text after the table is cut out: most tables have a part after them)
    rest = state.raw[end:state.report_span[1]].strip()
    if len(rest) > PRINTED_LABEL_MAX or "\n" in rest:
        return None
    printed = printed_rows(spec, table)
    if not hits:  # its header alone (table 4's, cut before its row of numbers), if the header's words end the text
        if rest or not stream or not _header_only(spec, table, stream[-1].text):
            return None
        return F.TRUNCATED(pointer=f"/{table}", file=state.source, line=state.line(stream[-1].at),
                           table=spec.table(table).label, row=_HEADER, rows=len(printed), sure=False)
    paths = [path for path, row, _ in printed if row is not None]
    last = _last_in_text(hits)
    if last.path not in paths:
        return None
    after = paths[paths.index(last.path) + 1:]
    if not after or any(hit.path in after for hit in hits):
        return None
    return F.TRUNCATED(pointer=f"/{table}", file=state.source, line=state.line(stream[last.item].at),
                       table=spec.table(table).label, row=last.row.label, rows=len(after), sure=True)


def _words_only(spec: FormatSpec, table: str, stream: tuple[Token, ...]) -> bool:
    """Whether a table's stream is words only, none of its header's (no number, no mark): a caption or a sentence
    under the heading, no table (a header printed with no number is the table, printed blank)."""
    for t in stream:  # a number or a mark first (most tables hold one): no text compacted against the header
        if t[0] != "text":
            return False
    return all(not _header_only(spec, table, t[1]) for t in stream)


def _header_only(spec: FormatSpec, table: str, text: str) -> bool:
    """Whether a line holds only words of the table's header (its blocks', columns' and column groups' labels, in
    any spacing: 结果维持 结果纠正…, 行政复议行政诉讼)."""
    rest = compact(text).replace("|", "")
    for label in _header_labels(spec, table):
        rest = rest.replace(label, "")
    return not rest


@functools.cache
def _header_labels(spec: FormatSpec, table: str) -> tuple[str, ...]:
    """A table's header labels as compared (compact), longest first: block titles, corners, columns and the
    groups over them."""
    out: list[str] = []
    for block in spec.table(table).blocks:
        out += [lb.zh for lb in (block.label, block.corner, block.columns_heading) if lb is not None]
        out += [c.label.zh for c in block.columns]
    out += [g.zh for cell in spec.cells() if cell.table.id == table for g in cell.group_labels]
    return tuple(sorted({compact(fold(label)) for label in out}, key=lambda w: (-len(w), w)))


_HEADER: Final = Label("表头", "the header")


def _last_in_text(hits: list[LabelHit]) -> LabelHit:
    """``max(hits, key=_in_text)`` (the first of the greatest), as a native loop: no key function called through
    Python's protocol, no pair made, a hit."""
    last = hits[0]
    for hit in hits:
        if hit[2] > last[2] or (hit[2] == last[2] and hit[4] > last[4]):  # (item, at): fields by index, native
            last = hit
    return last


class _Plan(NamedTuple):
    """What the rows stage reads a table of a format by, constant per format (:func:`_plan`)."""

    printed: tuple[PrintedRow, ...]
    searched: tuple[Searched, ...]
    sub: SubRows
    headings: frozenset[str]
    header_words: tuple[tuple[str, int], ...]
    #: a table of several blocks' (else empty): its blocks, each printed row's block, each row's index by its path,
    #: each block's header words as looked for and as read (:func:`_by_block_header`)
    blocks: tuple[Any, ...]
    of_row: tuple[int, ...]
    where: dict[tuple[str, ...], int]
    keys: tuple[tuple[tuple[str, int], ...], ...]
    words: tuple[tuple[Word, ...], ...]
    forms: tuple[tuple[str, ...], ...]  #: each block's words' forms (:func:`_named_at`'s key)
    #: the printed rows with a label of their own (:func:`_labelled_rows`), and each one's index among them by its path
    labelled: tuple[tuple[tuple[str, ...], Row], ...]
    labelled_at: dict[tuple[str, ...], int]


#: OwnMarkers: :func:`_own_markers`; each format's plans by the format's identity (:func:`_plan`)
_Plans = tuple[dict[tuple[str, str], frozenset[str]], dict[int, tuple[FormatSpec, dict[str, _Plan]]]]
#: what the rows stage reads a report by, constant per registry's formats (``bases``), by their identity: a cached
#: function's lookup hashes its arguments, a format's hash a Python call (a tuple of them one a format), ~30 lookups
#: a report; each entry holds its formats, so no other object takes their ids while it is kept
_PLANS: Final[dict[tuple[int, ...], tuple[tuple[FormatSpec, ...], _Plans]]] = {}
#: more registries' formats (or more formats of one) than this in one process empty the entries (each is rebuilt
#: from the cached functions)
_MAX_PLANS: Final = 64


def _plans(bases: tuple[FormatSpec, ...]) -> _Plans:
    """The entry of :data:`_PLANS` for ``bases``, made if there is none."""
    key = tuple([id(spec) for spec in bases])  # (native loops: no map objects, no call of id or is_ a format)
    got = _PLANS.get(key)
    if got is not None and _same_objects(got[0], bases):
        return got[1]
    if len(_PLANS) >= _MAX_PLANS:
        _PLANS.clear()
    made: _Plans = (_own_markers(bases), {})
    _PLANS[key] = (bases, made)
    return made


def _same_objects(kept: tuple[FormatSpec, ...], bases: tuple[FormatSpec, ...]) -> bool:
    """``all(map(operator.is_, kept, bases))``: each format the one kept (pairs to the shorter's end)."""
    for k in range(min(len(kept), len(bases))):  # noqa: SIM110 - a native loop, no generator
        if kept[k] is not bases[k]:
            return False
    return True


def _plan(spec: FormatSpec, bases: tuple[FormatSpec, ...]) -> dict[str, _Plan]:
    """Each table's :class:`_Plan` for ``spec`` (``bases``: the registry's formats)."""
    by_spec = _plans(bases)[1]
    got = by_spec.get(id(spec))
    if got is not None and got[0] is spec:
        return got[1]
    if len(by_spec) >= _MAX_PLANS:  # a registry made for each report, with a variant: a new format each time
        by_spec.clear()
    out: dict[str, _Plan] = {}
    for table in TABLES:
        several = len(spec.table(table).blocks) > 1
        out[table] = _Plan(printed_rows(spec, table), _searched(spec, table), _sub_rows(spec, bases, table),
                           _group_headings(spec, table), _header_words(spec, table),
                           spec.table(table).blocks if several else (),
                           _block_of_rows(spec, table) if several else (), _row_index(spec, table) if several else {},
                           _block_keys(spec, bases, table) if several else (),
                           (words := _block_words(spec, bases, table) if several else ()),
                           tuple(tuple([w.word for w in block]) for block in words),
                           (labelled := _labelled_rows(spec, table)),
                           {path: k for k, (path, _) in enumerate(labelled)})
    by_spec[id(spec)] = (spec, out)  # (a variant's resolved format is the registry's: the same each report)
    return out


def rows(state: State) -> State:
    items = {t: _text_items(s) for t, s in state.streams.items()}
    labels = {t: _joined(s, items[t]) for t, s in state.streams.items()}
    bases = tuple(state.registry.format(v) for v in state.registry.formats)
    spec, found = _detect_format(state.registry, bases, {t: j.text for t, j in labels.items()},
                                 state.title[4] if state.title else None)
    plans = _plan(spec, bases)
    assigned: dict[str, tuple[Any, ...]] = {}
    hits: dict[str, tuple[LabelHit, ...]] = {}
    columns: dict[str, tuple[int, ...]] = {}
    unread: dict[str, dict[str, Any]] = {}
    by_order: dict[str, frozenset[tuple[str, ...]]] = {}
    streams, tables, narrative = dict(state.streams), dict(state.tables), dict(state.narrative)
    for table in TABLES:
        plan = plans[table]
        printed = plan.printed
        stream = state.streams.get(table, ())
        if not stream:
            assigned[table] = (None,) * len(printed)
            found.append(_missing(state, spec, table))
            continue
        table_hits = _find(labels[table], plan.searched)
        end = _blank_rows_after(state, plan, table, table_hits)
        if end > state.tables[table][1]:  # rows printed blank after the last number: the table's, found
            stream += tuple(tokens_of(state.folded, state.raw, state.tables[table][1], end))
            streams[table], tables[table] = stream, (state.tables[table][0], end)
            narrative[table] = _without_lines(narrative.get(table), state.raw[state.tables[table][1]:end])
            items[table] = _text_items(stream)
            labels[table] = _joined(stream, items[table])
            table_hits = _find(labels[table], plan.searched)
        if (sub := plan.sub) and (summed := _summed(
                stream, labels[table], table_hits, sub, spec, table, state.source, state.line)) is not None:
            stream, said_sub = summed
            streams[table] = stream
            items[table] = _text_items(stream)
            labels[table] = _joined(stream, items[table])
            table_hits = _find(labels[table], plan.searched)
            found.append(said_sub)
        cut = _cut_inside(state, spec, table, stream, table_hits, end)
        if cut is not None:
            found.append(cut)
        elif not table_hits and _words_only(spec, table, stream):  # a caption, a sentence: no table printed
            assigned[table] = (None,) * len(printed)
            found.append(_missing(state, spec, table))
            continue
        headings = plan.headings
        gs, hard = _groups(stream, items[table])  # (a call with *args is a generic call, not a native one)
        tokens, stray, placed = _assign(stream, gs, hard, printed, table, table_hits, state.source, state.line,
                                        headings)
        order, said = _by_header(spec, plan, table, labels[table], stream, table_hits, tokens, state.source,
                                 state.line)
        if order is not None:
            columns[table] = order
            if len(order) < len(printed[0][2]):  # each row as wide as the header: numbers beyond it are not cut off
                narrow = tuple((p, r, tuple(cells[k] for k in order)) for p, r, cells in printed)
                tokens, stray, placed = _assign(stream, gs, hard, narrow, table, table_hits, state.source,
                                                state.line, headings)
        tokens, read = _by_block_header(spec, plan, table, labels[table], stream, table_hits, tokens, state.source,
                                        state.line)
        said = [*said, *read, *_wider(printed, table, tokens, columns.get(table), state.source, state.line, unread)]
        assigned[table] = tuple(_beside(stream, items[table], tokens, table_hits, state.raw, state.line))
        hits[table] = tuple(table_hits)
        if placed:
            by_order[table] = frozenset(placed)
        found.extend(stray)
        found.extend(said)
    return state.but(spec=spec, assigned=assigned, hits=hits, columns=columns, streams=streams, tables=tables,
                     narrative=narrative, unread=unread, by_order=by_order, findings=state.found(*found))


_ITEM: Final = operator.attrgetter("item")
#: a token's ``cell`` field, read by its index (a compiled tuple item; a NamedTuple's attribute is a generic lookup)
_CELL_FIELD: Final = Token._fields.index("cell")
#: what may stand between a cell's words and its number
_TOUCHING: Final = frozenset(("", " ", "\t"))


def _beside(stream: tuple[Token, ...], texts: list[int], assigned: list[tuple[Token, ...] | None],
            hits: list[LabelHit], raw: str, at_line: Any) -> list[tuple[Token, ...] | None]:
    """Each row's numbers with the words printed in their cells (约12, 12（含转办3）, 同比 12): a text item on a
    row's number's line right before it (a space between at most), not before the row's first number (a label's
    wrapped part), or a note in brackets right after one, is that number's cell's, whose raw is then the whole cell
    as printed (the solve stage says it: GD-PARSE-WORDS), not dropped without a word (review 13b #9).  A row's label
    is no cell's."""
    # the text items the tokens stage found touching a number in its cell (``cell``): none in most tables (a compiled
    # loop by index: a chain of map calls two functions an item); then those no row's label
    for i in texts:
        if stream[i][_CELL_FIELD]:
            break
    else:
        return assigned
    found = sorted({i for i in texts if stream[i][_CELL_FIELD]}.difference(map(_ITEM, hits)))
    out = list(assigned)
    firsts = {id(toks[0]) for toks in assigned if toks}  # a row's first number: no word before it is its cell's
    where: dict[int, tuple[int, int]] = {}  # each number's row and place, made once a word is found beside one
    for i in found:
        x = stream[i]
        end = x.at + len(x.text)
        after, before = stream[i + 1:i + 2], stream[max(i - 1, 0):i]
        for t in (*before, *after) if x.text[:1] == "(" else (*after, *before):  # a note: its number's before it
            if t[0] != "num" or (t.at > x.at and (raw[end:t.at] not in _TOUCHING or id(t) in firsts)) or (
                    t.at < x.at and (t.at + len(t.raw) != x.at or not _note(x.text))) or at_line(t.at) != at_line(x.at):
                continue  # apart from the words, or a row's first number (the words a label's part)
            where = where or {id(u): (r, k) for r, toks in enumerate(assigned) if toks for k, u in enumerate(toks)}
            if (place := where.get(id(t))) is None:
                continue
            r, k = place
            row = list(out[r] or ())
            cell = row[k]
            row[k] = cell._replace(raw=raw[min(cell.at, x.at):max(cell.at + len(cell.raw), end)])
            out[r] = tuple(row)
            break
    return out


#: the digits of a list number in brackets (（三）): a group's heading's, no note
_LIST_NUMERALS: Final = frozenset("一二三四五六七八九十")


def _note(text: str) -> bool:
    """Whether a text item is a note in brackets alone (its view's: '(' for '（'), no list number: a cell's words
    after its number (12（含转办3）), not a label run together with the row's numbers (6000006（三）不予公开)."""
    return text[:1] == "(" and text[-1:] == ")" and not _LIST_NUMERALS.issuperset(text[1:-1])


def _without_lines(text: str | None, taken: str) -> str | None:
    """A part's prose without the lines the table took after its numbers (a label's tail, rows printed blank):
    the narrative was cut before the rows were read."""
    lines = [line.strip() for line in taken.split("\n") if line.strip()]
    if not text or not lines:
        return text
    have = text.split("\n")
    for i in range(len(have) - len(lines) + 1):
        if [h.strip() for h in have[i:i + len(lines)]] == lines:
            return "\n".join(have[:i] + have[i + len(lines):]) or None
    return text
