"""The declaration of a report format: parts, tables, blocks, rows, columns and labels.

This is govdisclosure's taxonomy, in the sense XBRL gives the word: everything else (the attrs
model, the JSON Schema, the rule engine's cell references, the CLI listings, renderers and
parsers) is derived from a :class:`FormatSpec`.  A regional variant is a :class:`Variant`
patch applied by :func:`resolve`; nothing in core changes for it.
"""

from __future__ import annotations

import enum
import functools
import keyword
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Union

import attrs

from ..errors import DeclarationError, UnknownFormatError
from ..labels import Label

__all__ = [
    "Block",
    "CellKind",
    "CellSpec",
    "Column",
    "FormatSpec",
    "Group",
    "Label",
    "Part",
    "Row",
    "RowAddition",
    "RowReplacement",
    "StatedCount",
    "TableSpec",
    "Variant",
    "cell_tree",
    "escape_pointer",
    "iter_nodes",
    "resolve",
    "unescape_pointer",
]


def _identifier(_inst: object, attribute: attrs.Attribute[str], value: str | None) -> None:
    # ids become attribute names of the generated model classes and JSON keys: a Python identifier, and
    # none of Python's own names (__init__, __weakref__ … would replace what the class needs)
    if value is not None and (not value.isidentifier() or keyword.iskeyword(value)):
        raise DeclarationError(f"{attribute.name} {value!r} is not a valid id (a Python identifier)")
    if value is not None and unicodedata.normalize("NFKC", value) != value:  # Python's attribute: its NFKC form
        raise DeclarationError(f"{attribute.name} {value!r} 不是有效的标识（Python 按 NFKC 将其读作 "
                               f"{unicodedata.normalize('NFKC', value)!r}）/ is not a valid id (Python reads it as "
                               f"its NFKC form {unicodedata.normalize('NFKC', value)!r}: write that)")
    if value is not None and value.startswith("__") and value.endswith("__"):
        raise DeclarationError(f"{attribute.name} {value!r} is not a valid id (a name Python reserves: __…__)")


class CellKind(str, enum.Enum):
    """What a cell holds. Every kind may also be blank (``null``)."""

    COUNT = "count"  #: a non-negative integer
    SIGNED = "signed"  #: an integer that may be negative (本年增/减, 2019 format)
    AMOUNT = "amount"  #: a non-negative decimal, written as a string ("186.50")


@attrs.frozen(cache_hash=True)
class Column:
    """A column of a block: its id (a JSON key), its official label, its kind, the header over it."""

    id: str = attrs.field(validator=_identifier)
    label: Label
    kind: CellKind = CellKind.COUNT
    #: a header printed over several adjacent columns (法人或其他组织), or None
    group: Label | None = None


@attrs.frozen(cache_hash=True)
class Row:
    """A row: its id (a JSON key), its official label, and other wordings published reports use."""

    id: str = attrs.field(validator=_identifier)
    label: Label
    #: other wordings seen in published reports (a parser's hint, never rendered)
    aliases: tuple[str, ...] = ()


@attrs.frozen(cache_hash=True)
class Group:
    """Rows under a merged label cell.

    With an ``id`` the group nests in JSON (``requests.withheld.state_secret``); without one it is
    a heading only (三、本年度办理结果, 行政诉讼) and its children sit beside it in JSON.
    """

    label: Label
    children: tuple[Row | Group, ...]
    id: str | None = attrs.field(default=None, validator=_identifier)
    #: what rules call a heading-only group (``results``); defaults to ``id``
    name: str | None = None

    @property
    def key(self) -> str | None:
        return self.name or self.id


Node = Union[Row, "Group"]


@attrs.frozen(cache_hash=True)
class Block:
    """Rows sharing one header of columns. Table 2 has one block per article item."""

    columns: tuple[Column, ...]
    rows: tuple[Node, ...]
    #: the block's title row (第二十条第（一）项), or None
    label: Label | None = None
    #: the header cell over the row labels (信息内容, or table 3's 勾稽关系 note)
    corner: Label | None = None
    #: a header printed over all the columns (申请人情况)
    columns_heading: Label | None = None
    #: the form prints the rows as groups of columns, with one row of values (table 4)
    transposed: bool = False
    #: the name of the model class of the block's rows (``Documents`` -> ``Documents2021``);
    #: blocks with the same name and columns share one class
    name: str | None = attrs.field(default=None, validator=_identifier)


@attrs.frozen(cache_hash=True)
class StatedCount:
    """A count a report's narrative states (共收到政府信息公开申请N件), and the table cells that give it.

    ``readings`` are the sums of cells (JSON pointers) the statement may mean; it agrees with the
    tables when it equals one of them (GD-M-TEXT-NUMBERS).  No reading: not in the tables.
    """

    id: str = attrs.field(validator=_identifier)
    label: Label
    kind: CellKind = CellKind.COUNT
    readings: tuple[tuple[str, ...], ...] = ()


@attrs.frozen(cache_hash=True)
class TableSpec:
    """A table of the report (2-4): its JSON key, its official label, its blocks."""

    id: str  #: JSON key of the table (proactive, requests, review_litigation)
    label: Label
    blocks: tuple[Block, ...]


@attrs.frozen(cache_hash=True)
class Part:
    """One of the six parts: its number, its official heading, its JSON key, whether it is a table."""

    number: int
    heading: Label
    #: JSON key under ``parts`` for a narrative part, or the table id for a table part
    id: str
    is_table: bool = False


@attrs.frozen(cache_hash=True)
class CellSpec:
    """One cell of a resolved format, with everything a rule or renderer needs to name it."""

    table: TableSpec
    block: Block
    path: tuple[str, ...]  #: JSON keys below the table: ("withheld", "state_secret")
    row: Row
    column: Column
    #: labels of the enclosing groups, outermost first (三、本年度办理结果, （三）不予公开)
    group_labels: tuple[Label, ...]
    #: RFC 6901 pointer in the canonical JSON (``/requests/withheld/state_secret/natural_person``)
    pointer: str = attrs.field(init=False, eq=False)
    #: dotted attribute path in the model (``requests.withheld.state_secret.natural_person``)
    attr_path: str = attrs.field(init=False, eq=False)

    def __attrs_post_init__(self) -> None:
        keys = (self.table.id, *self.path, self.column.id)
        object.__setattr__(self, "pointer", "/" + "/".join(escape_pointer(k) for k in keys))
        object.__setattr__(self, "attr_path", ".".join(keys))

    @property
    def row_id(self) -> str:
        """The dotted row id of tables.md (``withheld.state_secret``)."""
        return ".".join(self.path)

    def label(self, lang: str = "zh") -> str:
        """Row and column label, e.g. ``（七）总计 · 自然人``."""
        return f"{self.row.label.get(lang)} · {self.column.label.get(lang)}"


@attrs.frozen(cache_hash=True)
class FormatSpec:
    """One official format version (possibly with a regional variant applied)."""

    version: str  #: "2019" or "2021": the ``format_version`` of the JSON
    label: Label  #: the official name of the format
    notice: str  #: the notice that issued it (国办公开办函〔2021〕30号)
    first_year: int  #: first report year the format serves
    last_year: int | None  #: last report year it serves, None if still current
    parts: tuple[Part, ...]
    tables: tuple[TableSpec, ...]
    variant: str | None = None  #: the variant applied, None for the official format
    #: the counts a narrative states, and which cells give them
    stated: tuple[StatedCount, ...] = ()

    def serves(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)

    def table(self, table_id: str) -> TableSpec:
        for t in self.tables:
            if t.id == table_id:
                return t
        ids = [t.id for t in self.tables]
        raise UnknownFormatError(f"格式 {self._name} 没有表格 {table_id!r}（有：{'、'.join(ids)}）/ no table "
                                 f"{table_id!r} in format {self._name} (it has: {', '.join(ids)})")

    @property
    def _name(self) -> str:
        return f"{self.version}（{self.variant}）" if self.variant else self.version

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.version, self.variant)

    def cells(self) -> tuple[CellSpec, ...]:
        """Every cell in document order."""
        return _cells(self)

    def cell(self, pointer: str) -> CellSpec:
        """The cell at a JSON pointer (``/requests/total/natural_person``)."""
        try:
            return _cell_index(self)[pointer]
        except KeyError:
            name = self._name
            raise UnknownFormatError(f"格式 {name} 没有单元格 {pointer}（report.spec.cells() 列出全部）/ no cell "
                                     f"{pointer} in format {name} (report.spec.cells() lists them)") from None

    def label_at(self, pointer: str) -> Label | None:
        """The official label of what a JSON pointer names: a cell (``row · column``), a row or
        group, a table, or a part (``/parts/overview``); None for anything else."""
        return _labels_at(self).get(pointer)

    def rows(self, table_id: str) -> tuple[tuple[tuple[str, ...], Row, Block], ...]:
        """(path, row, block) of every row of a table, in order."""
        return _rows(self, table_id)


def iter_rows(nodes: tuple[Node, ...], prefix: tuple[str, ...] = (), groups: tuple[Label, ...] = ()
              ) -> Iterator[tuple[tuple[str, ...], Row, tuple[Label, ...]]]:
    for node in nodes:
        if isinstance(node, Row):
            yield (*prefix, node.id), node, groups
        else:
            sub = (*prefix, node.id) if node.id else prefix
            yield from iter_rows(node.children, sub, (*groups, node.label))


def iter_nodes(nodes: Iterable[Node]) -> Iterator[Node]:
    """Every row and group under ``nodes``, each group before its children."""
    for node in nodes:
        yield node
        if isinstance(node, Group):
            yield from iter_nodes(node.children)


@functools.cache
def _rows(spec: FormatSpec, table_id: str) -> tuple[tuple[tuple[str, ...], Row, Block], ...]:
    return tuple(
        (path, row, block)
        for block in spec.table(table_id).blocks
        for path, row, _ in iter_rows(block.rows)
    )


@functools.cache
def _cells(spec: FormatSpec) -> tuple[CellSpec, ...]:
    out = []
    for table in spec.tables:
        for block in table.blocks:
            for path, row, groups in iter_rows(block.rows):
                for column in block.columns:
                    out.append(CellSpec(table, block, path, row, column, groups))
    return tuple(out)


@functools.cache
def cell_tree(spec: FormatSpec) -> dict[str, Any]:
    """The canonical tables' nesting (table, row path, column), each leaf the cell's index in
    ``spec.cells()``: what code generated per format builds a report's tables from (read, don't change)."""
    tree: dict[str, Any] = {}
    for i, cell in enumerate(_cells(spec)):
        node = tree.setdefault(cell.table.id, {})
        for key in cell.path:
            node = node.setdefault(key, {})
        node[cell.column.id] = i
    return tree


@functools.cache
def _cell_index(spec: FormatSpec) -> dict[str, CellSpec]:
    return {c.pointer: c for c in _cells(spec)}


@functools.cache
def _labels_at(spec: FormatSpec) -> dict[str, Label]:
    out: dict[str, Label] = {}
    for part in spec.parts:
        out[f"/parts/{part.id}"] = part.heading
    for table in spec.tables:
        out[f"/{table.id}"] = table.label

        def walk(nodes: tuple[Node, ...], prefix: str) -> None:
            for node in nodes:
                if isinstance(node, Row):
                    out[f"{prefix}/{escape_pointer(node.id)}"] = node.label
                elif node.id is None:
                    walk(node.children, prefix)
                else:
                    out[f"{prefix}/{escape_pointer(node.id)}"] = node.label
                    walk(node.children, f"{prefix}/{escape_pointer(node.id)}")
        for block in table.blocks:
            walk(block.rows, f"/{table.id}")
    for cell in _cells(spec):
        out[cell.pointer] = Label(cell.label("zh"), cell.label("en"))
    return out


def escape_pointer(key: str) -> str:
    """Escape one key for an RFC 6901 JSON pointer (``~`` as ``~0``, ``/`` as ``~1``)."""
    return key.replace("~", "~0").replace("/", "~1")


def unescape_pointer(token: str) -> str:
    """One key of an RFC 6901 JSON pointer as it is (what :func:`escape_pointer` escaped)."""
    return token.replace("~1", "/").replace("~0", "~")


# --------------------------------------------------------------------------- variants


@attrs.frozen
class RowAddition:
    """Rows a variant inserts into a table, after an existing row (dotted id)."""

    table: str
    after: str
    rows: tuple[Row, ...]


@attrs.frozen
class RowReplacement:
    """Rows (or a group) a variant prints in place of an official row or group (dotted id)."""

    table: str
    target: str
    nodes: tuple[Node, ...]


@attrs.frozen
class Variant:
    """A regional variant: an official format plus declared extra rows, or rows printed otherwise.

    Row ids should be prefixed with the variant id (``hubei_other_documents``) so that a later
    official row can never collide with them.
    """

    id: str
    extends: str  #: the format version it extends ("2019" or "2021")
    label: Label
    add_rows: tuple[RowAddition, ...] = ()
    replace_rows: tuple[RowReplacement, ...] = ()


def resolve(base: FormatSpec, variant: Variant | None) -> FormatSpec:
    """The format ``base`` with ``variant``'s rows inserted or replaced: what loaders and rules work on."""
    if variant is None:
        return base
    if variant.extends != base.version:
        raise DeclarationError(f"variant {variant.id!r} extends {variant.extends}, not {base.version}")
    tables = list(base.tables)
    for addition in variant.add_rows:
        anchor = tuple(addition.after.split("."))
        _patch(tables, variant, addition.table, f"no row {addition.after!r} in {addition.table}",
               functools.partial(_insert_after, anchor=anchor, new=addition.rows))
    for replacement in variant.replace_rows:
        target = tuple(replacement.target.split("."))
        _patch(tables, variant, replacement.table, f"no row or group {replacement.target!r}",
               functools.partial(_replace, target=target, new=replacement.nodes))
    spec = attrs.evolve(base, tables=tuple(tables), variant=variant.id)
    seen: set[str] = set()
    for cell in spec.cells():
        if cell.pointer in seen:
            raise DeclarationError(f"variant {variant.id!r}: duplicate cell {cell.pointer}")
        seen.add(cell.pointer)
    return spec


def _patch(tables: list[TableSpec], variant: Variant, table_id: str, missing: str,
           edit: Callable[[tuple[Node, ...]], tuple[tuple[Node, ...], bool]]) -> None:
    """Apply ``edit`` to the rows of every block of one table, in place; it must find its anchor."""
    idx = next((i for i, t in enumerate(tables) if t.id == table_id), None)
    if idx is None:
        raise DeclarationError(f"variant {variant.id!r}: no table {table_id!r}")
    blocks, done = [], False
    for block in tables[idx].blocks:
        rows, found = edit(block.rows)
        done = done or found
        blocks.append(attrs.evolve(block, rows=rows))
    if not done:
        raise DeclarationError(f"variant {variant.id!r}: {missing}")
    tables[idx] = attrs.evolve(tables[idx], blocks=tuple(blocks))


def _replace(nodes: tuple[Node, ...], target: tuple[str, ...], new: tuple[Node, ...]
             ) -> tuple[tuple[Node, ...], bool]:
    out: list[Node] = []
    found = False
    for node in nodes:
        if node.id == target[0] and len(target) == 1:
            out.extend(new)
            found = True
        elif isinstance(node, Group) and (node.id is None or (node.id == target[0] and len(target) > 1)):
            children, f = _replace(node.children, target if node.id is None else target[1:], new)
            out.append(attrs.evolve(node, children=children))
            found = found or f
        else:
            out.append(node)
    return tuple(out), found


def _insert_after(nodes: tuple[Node, ...], anchor: tuple[str, ...], new: tuple[Row, ...]
                  ) -> tuple[tuple[Node, ...], bool]:
    out: list[Node] = []
    found = False
    for node in nodes:
        if isinstance(node, Row):
            out.append(node)
            if anchor == (node.id,):
                out.extend(new)
                found = True
        elif node.id is None:
            children, f = _insert_after(node.children, anchor, new)
            out.append(attrs.evolve(node, children=children))
            found = found or f
        elif anchor[0] == node.id and len(anchor) > 1:
            children, f = _insert_after(node.children, anchor[1:], new)
            out.append(attrs.evolve(node, children=children))
            found = found or f
        else:
            out.append(node)
    return tuple(out), found
