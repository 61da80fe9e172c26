"""Which grid cell of a Word table is which cell of the report, by the labels printed beside and
above it — never by the order of the text.

A row of a table is a *data row* when one of its label cells names a row of the form (its label,
an alias the declaration lists, or the label without its closing parenthesis); the cells right of
that label are its values.  Each value cell belongs to the column whose label the header rows
print above it, on the same grid columns (the header rows are the rows of labels since the last
data row).  Table 4, printed transposed, has a row of values under three rows of headers: each
value is the column whose label, and the row of the form whose label, the headers above it print.
Rows the document does not print, prints twice or prints in another order, and values that line
up with no column, are reported; a cell is never taken from a row or column whose label does not
name it.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable

import attrs

from govdisclosure.findings import Finding
from govdisclosure.formats.spec import Block, CellSpec, Column, FormatSpec, Label, Row

from .codes import finding
from .document import Cell, Document, Table

__all__ = ["Reading", "key", "read_tables", "value_like"]

_SPACE = re.compile(r"\s+")
_TRAILING_PAREN = re.compile(r"\([^()]*\)$")
_NUMBER = re.compile(r"[+\-减增]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:件|项|个|次|人|条|家|万元|元)?")
#: what a published cell prints for nothing (json.md: read as null, the mark kept in provenance)
BLANK_MARKS = frozenset({"/", "\\", "-", "—", "——", "―", "–", "无"})


def key(text: str) -> str:
    """A label as compared: width-folded (NFKC), without spaces, 、 after a number read as ."""
    folded = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    return folded.replace("、", ".").rstrip(":")


@functools.lru_cache(maxsize=4096)
def keys(text: str) -> frozenset[str]:
    """The keys a printed label is known by: whole, and without its closing parenthesis."""
    k = key(text)
    stripped = _TRAILING_PAREN.sub("", k)
    return frozenset((k, stripped)) if stripped else frozenset((k,))


#: a cell in doubt's mark and its note's number after what it prints (``71？1``, ``？2``; NFKC: ``?``)
_DOUBT_MARK = re.compile(r"\?[0-9]*$")


def value_like(text: str) -> bool:
    """Whether a cell's text is what a value cell prints: nothing, a number, or a blank mark, a doubt's mark after
    it (a row of table 4, which has no label, with one cell in doubt was taken for no row: the table was lost)."""
    t = _DOUBT_MARK.sub("", _SPACE.sub("", unicodedata.normalize("NFKC", text)), count=1)
    return t == "" or t in BLANK_MARKS or _NUMBER.fullmatch(t) is not None


@attrs.frozen(eq=False)
class FormRow:
    """A row of the form, as the reader looks it up (one object per row of a format: compared by identity)."""

    table: str
    path: tuple[str, ...]
    row: Row
    block: Block
    groups: tuple[Label, ...]
    order: int  #: index among its table's rows

    @property
    def transposed(self) -> bool:
        return self.block.transposed


@attrs.frozen
class _Index:
    rows: dict[str, tuple[FormRow, ...]]  #: label key -> the rows printed so
    tables: tuple[str, ...]


@functools.cache
def _index(spec: FormatSpec) -> _Index:
    rows: dict[str, list[FormRow]] = {}
    for table in spec.tables:
        for order, (path, row, block) in enumerate(spec.rows(table.id)):
            groups = spec.cell("/" + "/".join((table.id, *path, block.columns[0].id))).group_labels
            form_row = FormRow(table.id, path, row, block, groups, order)
            for k in keys(row.label.zh) | {key(a) for a in row.aliases}:
                rows.setdefault(k, []).append(form_row)
    return _Index({k: tuple(v) for k, v in rows.items()}, tuple(t.id for t in spec.tables))


@functools.cache
def _column_keys(column: Column) -> frozenset[str]:
    return frozenset(keys(column.label.zh))


@attrs.frozen
class Place:
    table: int  #: 1-based table of the document
    row: int  #: 1-based row of that table
    column: int  #: 1-based grid column


@attrs.frozen
class Reading:
    """What the tables of a document say for one format."""

    spec: FormatSpec
    texts: dict[str, str]  #: pointer -> the cell's text, as printed
    places: dict[str, Place]  #: pointer -> where it was printed
    printed_labels: dict[str, str]  #: pointer -> the row label as printed, where it differs from the form's
    findings: tuple[Finding, ...]

    @property
    def score(self) -> tuple[int, int]:
        """More cells read, then fewer doubts: how well the format fits the document."""
        return (len(self.texts), -len(self.findings))


def _match_row(index: _Index, label: Cell, left: list[Cell], transposed: bool | None) -> FormRow | None:
    found: list[FormRow] = []
    for k in keys(label.text):
        found.extend(r for r in index.rows.get(k, ()) if transposed is None or r.transposed == transposed)
    unique = list(dict.fromkeys(found))
    if len(unique) > 1:  # the same label in two places of the form: the groups printed left of it decide
        context: set[str] = set().union(*(keys(c.text) for c in left))
        unique = [r for r in unique if all(keys(g.zh) & context for g in r.groups)]
    return unique[0] if len(unique) == 1 else None


def _cell_spec(spec: FormatSpec, form_row: FormRow, column: Column) -> CellSpec:
    return spec.cell("/" + "/".join((form_row.table, *form_row.path, column.id)))


class _Reader:
    def __init__(self, doc: Document, spec: FormatSpec, source: str | None) -> None:
        self.doc, self.spec, self.source = doc, spec, source
        self.index = _index(spec)
        self.texts: dict[str, str] = {}
        self.places: dict[str, Place] = {}
        self.printed: dict[str, str] = {}
        self.findings: list[Finding] = []
        self.rows_seen: dict[tuple[str, tuple[str, ...]], Place] = {}
        self.order: dict[str, list[tuple[int, FormRow]]] = {}
        self.heads: dict[int, list[str]] = {}
        self.heads_width = -1
        self.in_header = False

    # -- header rows

    def header(self, table: Table, cells: list[Cell]) -> None:
        if not self.in_header:
            self.heads, self.heads_width, self.in_header = {}, table.width, True
        for cell in cells:
            for k in keys(cell.text):
                for col in cell.columns:
                    stack = self.heads.setdefault(col, [])
                    if k not in stack:
                        stack.append(k)

    def heads_over(self, cell: Cell) -> set[str]:
        return {k for col in cell.columns for k in self.heads.get(col, ())}

    def grid_finding(self, table: Table, r: int, what: Label) -> Finding:
        return finding("DOCX-ROW-GRID", file=self.source, table=table.index, row=r + 1, width=table.width, what=what)

    # -- recording

    def record(self, form_row: FormRow, column: Column, cell: Cell, place: Place, printed: str) -> None:
        pointer = _cell_spec(self.spec, form_row, column).pointer
        self.texts[pointer] = cell.text
        self.places[pointer] = place
        if printed:
            self.printed[pointer] = printed

    def first_time(self, form_row: FormRow, place: Place) -> bool:
        seen = self.rows_seen.get((form_row.table, form_row.path))
        if seen is not None:
            self.findings.append(finding(
                "DOCX-ROW-DUPLICATE", file=self.source, table=place.table, row=place.row,
                label=form_row.row.label, first_table=seen.table, first_row=seen.row,
                pointer=f"/{form_row.table}/{'/'.join(form_row.path)}"))
            return False
        self.rows_seen[(form_row.table, form_row.path)] = place
        self.order.setdefault(form_row.table, []).append((form_row.order, form_row))
        return True

    # -- data rows

    def columns_of(self, table: Table, r: int, columns: tuple[Column, ...], values: list[Cell]
                   ) -> tuple[dict[str, tuple[Column, Cell]], list[Cell]]:
        """Each value cell's column, by the header above it; and the cells that line up with none."""
        in_order = len(values) == len(columns)
        if r in table.irregular or not any(self.heads_over(v) for v in values):
            # positions prove nothing (a cell lost), or no header is over them (a table continued without
            # one): only a row with exactly its cells is read, in order
            if in_order:
                return {c.id: (c, v) for c, v in zip(columns, values, strict=True)}, []
            return {}, [v for v in values if v.text.strip()]
        mapped: dict[str, tuple[Column, Cell]] = {}
        unmatched: list[Cell] = []
        for v in values:
            over = self.heads_over(v)
            hits = [c for c in columns if over & _column_keys(c)]
            if len(hits) == 1 and hits[0].id not in mapped:
                mapped[hits[0].id] = (hits[0], v)
            elif v.text.strip():
                unmatched.append(v)
        return mapped, unmatched

    def data_row(self, table: Table, r: int, form_row: FormRow, label: Cell, values: list[Cell]) -> None:
        self.in_header = False
        if not self.first_time(form_row, Place(table.index, r + 1, label.col + 1)):
            return
        printed = "" if keys(label.text) & keys(form_row.row.label.zh) else label.text
        columns = form_row.block.columns
        mapped, unmatched = self.columns_of(table, r, columns, values)
        for column, cell in mapped.values():
            self.record(form_row, column, cell, Place(table.index, r + 1, cell.col + 1), printed)
        if len(mapped) < len(columns) or unmatched:
            self.findings.append(finding(
                "DOCX-ROW-CELLS", file=self.source, table=table.index, row=r + 1, label=form_row.row.label,
                got=len(values), read=len(mapped), expected=len(columns),
                columns=Label("、".join(c.label.zh for c in columns), ", ".join(c.label.en for c in columns)),
                pointer=f"/{form_row.table}/{'/'.join(form_row.path)}"))

    def transposed_row(self, table: Table, r: int, cells: list[Cell]) -> None:
        self.in_header = False
        if self.heads_width != table.width:
            return
        claimed: set[tuple[str, ...]] = set()
        printed_before: set[tuple[str, ...]] = set()  # said once for the row, not once for each of its cells
        for cell in cells:
            over = self.heads_over(cell)
            rows = {fr for k in over for fr in self.index.rows.get(k, ()) if fr.transposed}
            if len(rows) != 1:
                continue
            form_row = next(iter(rows))
            hits = [c for c in form_row.block.columns if over & _column_keys(c)]
            if len(hits) != 1:
                continue
            place = Place(table.index, r + 1, cell.col + 1)
            if form_row.path in printed_before:
                continue
            if form_row.path not in claimed:
                if not self.first_time(form_row, place):
                    printed_before.add(form_row.path)
                    continue
                claimed.add(form_row.path)
            self.record(form_row, hits[0], cell, place, "")

    # -- the whole document

    def labelled(self, cells: list[Cell], labels: list[Cell]) -> tuple[FormRow, Cell, list[Cell]] | None:
        """The row of the form a row's label names (the rightmost label that names one), its label cell
        and the cells right of it."""
        for i in range(len(cells) - 1, -1, -1):
            cell = cells[i]
            if cell not in labels:
                continue
            right = cells[i + 1:]
            form_row = _match_row(self.index, cell, cells[:i], None)
            # a transposed row's label counts only when numbers follow it (a table printed the other way)
            if form_row is not None and (not form_row.transposed or (right and all(value_like(c.text) for c in right))):
                return form_row, cell, right
        return None

    def text_row(self, table: Table, r: int, cells: list[Cell], labels: list[Cell]) -> Finding | None:
        """A row of labels naming no row of the form: a header, or a row the form does not have."""
        if any(c.text.strip() and value_like(c.text) for c in cells[cells.index(labels[0]) + 1:]):
            self.in_header = False
            return finding("DOCX-ROW-UNKNOWN", file=self.source, table=table.index, row=r + 1,
                           text=labels[0].text.replace("\n", ""))
        if r in table.irregular:
            self.header(table, [])
            return self.grid_finding(table, r, Label("表头", "header labels"))
        self.header(table, cells)
        return None

    def row(self, table: Table, r: int) -> tuple[bool, Finding | None]:
        """Read one row: (whether it gave cells of the form, a finding that counts if the table is the report's)."""
        cells = table.cells(r)
        if not cells:
            return False, None
        labels = [c for c in cells if not value_like(c.text)]
        hit = self.labelled(cells, labels)
        if hit is not None:
            self.data_row(table, r, *hit)
            return True, None
        if labels:
            return False, self.text_row(table, r, cells, labels)
        if r in table.irregular:
            self.in_header = False
            has_text = any(c.text.strip() for c in cells)
            return False, self.grid_finding(table, r, Label("数字", "numbers")) if has_text else None
        before = len(self.texts)
        self.transposed_row(table, r, cells)
        return len(self.texts) > before, None

    def run(self) -> Reading:
        tables_with_rows: set[int] = set()
        # findings about rows of tables that may not be the report's: kept if the table turns out to be
        deferred: list[tuple[int, Finding]] = []
        for table in self.doc.tables:
            if table.width != self.heads_width:
                self.heads, self.in_header = {}, False
            for r in range(len(table.rows)):
                read, found = self.row(table, r)
                if read:
                    tables_with_rows.add(table.index)
                if found is not None:
                    deferred.append((table.index, found))
        self.findings.extend(f for t, f in deferred if t in tables_with_rows)
        self.check_rows()
        return Reading(self.spec, self.texts, self.places, self.printed, tuple(self.findings))

    def check_rows(self) -> None:
        for table in self.spec.tables:
            seen = self.order.get(table.id, [])
            if not seen:
                if self.texts:
                    self.findings.append(finding("DOCX-TABLE-MISSING", file=self.source, label=table.label,
                                                 pointer=f"/{table.id}"))
                continue
            for (a, row_a), (b, row_b) in itertools.pairwise(seen):
                if b < a:
                    self.findings.append(finding(
                        "DOCX-ROW-ORDER", file=self.source, table_label=table.label, label=row_b.row.label,
                        before=row_a.row.label, pointer=f"/{table.id}/{'/'.join(row_b.path)}"))
                    break
            printed = {fr.path for _, fr in seen}
            for path, row, _ in self.spec.rows(table.id):
                if path not in printed:
                    self.findings.append(finding(
                        "DOCX-ROW-MISSING", file=self.source, table_label=table.label, label=row.label,
                        pointer=f"/{table.id}/{'/'.join(path)}"))


def read_tables(doc: Document, spec: FormatSpec, source: str | None = None) -> Reading:
    """The cells of every table of ``doc``, as the rows and columns of ``spec`` label them."""
    return _Reader(doc, spec, source).run()


def best_reading(doc: Document, specs: Iterable[FormatSpec], source: str | None = None) -> Reading:
    """The reading of the format that fits the document best (most cells, fewest doubts; the
    official format before a variant, the later version first on a tie)."""
    readings = [read_tables(doc, s, source) for s in specs]
    return max(readings, key=lambda rd: (rd.score, rd.spec.variant is None, rd.spec.version))
