"""The typed report model: frozen attrs classes generated from a :class:`FormatSpec`.

The envelope (agency, parts, dates, provenance) is written here once; the table classes are
made from the declaration by :func:`report_class`, so a variant's rows become attributes like
any official row (``report.requests.withheld.state_secret.natural_person``).
"""

from __future__ import annotations

import functools
import operator
import re
from decimal import Decimal
from typing import Any, ClassVar, Iterator, Optional

import attrs

from ..formats.spec import Block, CellSpec, FormatSpec, Label, Node, Row
from .scalars import CELL_TYPES, Amount, Count, IsoDate, Level, Text, Year

__all__ = ["FORMAT_VERSION_DOC", "VARIANT_DOC", "Agency", "CellProvenance", "Parts", "Period", "Report", "Stated", "Value", "report_class"]

#: attrs metadata key under which envelope fields carry their description (a Label)
DOC = "govdisclosure.doc"

Value = Optional[int | Decimal]


#: the two envelope fields the report's class stands for (not attrs fields): how they are named
FORMAT_VERSION_DOC = Label("格式版本", "Format version")
VARIANT_DOC = Label("地区变体", "Regional variant (null: the official format)")


def _doc(zh: str, en: str) -> dict[str, Label]:
    return {DOC: Label(zh, en)}


@attrs.frozen(kw_only=True)
class Agency:
    name: Optional[Text] = attrs.field(default=None, metadata=_doc("机关名称", "Name of the agency"))
    level: Optional[Level] = attrs.field(default=None, metadata=_doc("机关层级", "Level of the agency"))
    region: Optional[Text] = attrs.field(default=None, metadata=_doc("所在地区", "Region"))


@attrs.frozen(kw_only=True)
class Parts:
    preamble: Optional[Text] = attrs.field(
        default=None, metadata=_doc("正文前的说明（非格式要求）", "Text before part 1 (not part of the form)"))
    overview: Optional[Text] = attrs.field(default=None, metadata=_doc("一、总体情况", "Part 1: overview"))
    problems: Optional[Text] = attrs.field(
        default=None, metadata=_doc("五、存在的主要问题及改进情况", "Part 5: problems and improvements"))
    other: Optional[Text] = attrs.field(default=None, metadata=_doc("六、其他需要报告的事项", "Part 6: other matters"))


@attrs.frozen(kw_only=True)
class Period:
    start: IsoDate = attrs.field(metadata=_doc("统计期限起", "First day of the statistics period"))
    end: IsoDate = attrs.field(metadata=_doc("统计期限止", "Last day of the statistics period"))


@attrs.frozen(kw_only=True)
class CellProvenance:
    """What a published cell showed and where, when that differs from its value."""

    raw: Optional[Text] = attrs.field(default=None, metadata=_doc("原文所示", "The cell as published"))
    unit: Optional[Text] = attrs.field(default=None, metadata=_doc("原文单位", "Unit as published (元, 万元)"))
    source: Optional[Text] = attrs.field(default=None, metadata=_doc("来源文件", "Source file"))
    line: Optional[Count] = attrs.field(default=None, metadata=_doc("行号", "Line in the source"))
    column: Optional[Count] = attrs.field(default=None, metadata=_doc("列号", "Column in the source"))
    page: Optional[Count] = attrs.field(default=None, metadata=_doc("页码", "Page in the source"))
    label: Optional[Text] = attrs.field(
        default=None, metadata=_doc("原文行标签（与官方不同时）", "The row label as published, where it differs"))
    note: Optional[Text] = attrs.field(default=None, metadata=_doc("存疑说明", "Why the value is in doubt"))
    candidates: Optional[Text] = attrs.field(
        default=None, metadata=_doc("可能的取值（无法唯一确定时，以“|”分隔）",
                                    "Possible values when the cell could not be settled, separated by '|'"))


@attrs.frozen(kw_only=True)
class Stated:
    """Counts the narrative states, for comparing with the tables (GD-M-TEXT-NUMBERS)."""

    received: Optional[Count] = attrs.field(default=None, metadata=_doc("正文所述收到申请数", "Requests received"))
    carried_forward: Optional[Count] = attrs.field(
        default=None, metadata=_doc("正文所述结转下年度数", "Requests carried forward"))
    reviews: Optional[Count] = attrs.field(default=None, metadata=_doc("正文所述行政复议数", "Administrative reviews"))
    lawsuits: Optional[Count] = attrs.field(default=None, metadata=_doc("正文所述行政诉讼数", "Lawsuits"))
    fees: Optional[Amount] = attrs.field(
        default=None, metadata=_doc("正文所述信息处理费（元）", "Information-processing fees charged (yuan)"))


@attrs.frozen(kw_only=True)
class Report:
    """Base of every generated report class. ``spec`` is the resolved format it was made from."""

    spec: ClassVar[FormatSpec]

    #: required in JSON, null only when a parsed excerpt does not say
    year: Optional[Year] = attrs.field(metadata=_doc("报告年度（原文未载明时为 null）", "Report year (null when the text does not say)"))
    title: Optional[Text] = attrs.field(default=None, metadata=_doc("标题", "Title"))
    agency: Agency = attrs.field(factory=Agency, metadata=_doc("发布机关", "Publishing agency"))
    published_on: Optional[IsoDate] = attrs.field(default=None, metadata=_doc("发布日期", "Publication date"))
    period: Optional[Period] = attrs.field(default=None, metadata=_doc("统计期限", "Statistics period"))
    notice: Optional[Text] = attrs.field(
        default=None, metadata=_doc("报告所引格式通知", "The format notice the report cites (国办公开办函〔2021〕30号)"))
    parts: Parts = attrs.field(factory=Parts, metadata=_doc("文字部分", "Narrative parts"))
    stated: Optional[Stated] = attrs.field(
        default=None, metadata=_doc("正文所述数字", "Counts stated in the narrative (parsed reports)"))
    provenance: dict[str, CellProvenance] = attrs.field(
        factory=dict, eq=True, hash=False,
        metadata=_doc("单元格来源，按 JSON 指针", "Where each cell came from, keyed by JSON pointer"))

    @property
    def format_version(self) -> str:
        return self.spec.version

    @property
    def variant(self) -> str | None:
        return self.spec.variant

    def cell(self, pointer: str) -> Value:
        """The value of the cell at a JSON pointer, e.g. ``/requests/total/natural_person``."""
        return _getters(self.spec)[pointer](self)

    def cells(self, table: str | None = None) -> Iterator[tuple[CellSpec, Value]]:
        """Every cell of the tables (or of one table) with its value, in document order."""
        for cell, get in _table_getters(self.spec)[table]:
            yield cell, get(self)

    def values(self, table: str | None = None) -> tuple[Value, ...]:
        """The values of every cell (or of one table's), in the order of :meth:`cells`."""
        return _value_getters(self.spec)[table](self)

    def with_cells(self, values: dict[str, Value]) -> "Report":
        """A copy with some cells replaced, keyed by JSON pointer."""
        out: Report = self
        for pointer, value in values.items():
            cell = self.spec.cell(pointer)
            out = _evolve_path(out, (cell.table.id, *cell.path, cell.column.id), value)
        return out


def _evolve_path(obj: Any, path: tuple[str, ...], value: Any) -> Any:
    if len(path) == 1:
        return attrs.evolve(obj, **{path[0]: value})
    return attrs.evolve(obj, **{path[0]: _evolve_path(getattr(obj, path[0]), path[1:], value)})


@functools.cache
def _getters(spec: FormatSpec) -> dict[str, Any]:
    return {c.pointer: operator.attrgetter(c.attr_path) for c in spec.cells()}


@functools.cache
def _value_getters(spec: FormatSpec) -> dict[str | None, Any]:
    # The rules' hot path: a function generated per table (as attrs and cattrs generate theirs)
    # that walks each row object once, instead of one dotted lookup per cell.
    out: dict[str | None, Any] = {}
    for key, pairs in _table_getters(spec).items():
        lines, names, items = ["def values(r):"], {}, []
        for cell, _ in pairs:
            parent = cell.attr_path.rsplit(".", 1)[0]
            if parent not in names:
                names[parent] = f"o{len(names)}"
                lines.append(f"    {names[parent]} = r.{parent}")
            items.append(f"{names[parent]}.{cell.column.id}")
        lines.append(f"    return ({', '.join(items)},)")
        namespace: dict[str, Any] = {}
        exec("\n".join(lines), namespace)  # noqa: S102 - source built from declared identifiers only
        out[key] = namespace["values"]
    return out


@functools.cache
def _table_getters(spec: FormatSpec) -> dict[str | None, tuple[tuple[CellSpec, Any], ...]]:
    getters = _getters(spec)
    pairs = tuple((c, getters[c.pointer]) for c in spec.cells())
    out: dict[str | None, tuple[tuple[CellSpec, Any], ...]] = {None: pairs}
    for table in spec.tables:
        out[table.id] = tuple(p for p in pairs if p[0].table.id == table.id)
    return out


# ----------------------------------------------------------------------------- generation

def _camel(*parts: str) -> str:
    return "".join(w.title() for p in parts for w in re.split(r"[^0-9A-Za-z]+", p) if w)


def _row_class(block: Block, name: str) -> type:
    fields = {
        c.id: attrs.field(type=Optional[CELL_TYPES[c.kind]], metadata={DOC: c.label})
        for c in block.columns
    }
    return attrs.make_class(name, fields, frozen=True, kw_only=True, slots=True)


def _node_fields(nodes: tuple[Node, ...], block: Block, row_cls: type, prefix: str) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for node in nodes:
        if isinstance(node, Row):
            fields[node.id] = attrs.field(type=row_cls, metadata={DOC: node.label})
        elif node.id is None:  # a heading only: its rows sit beside it
            fields.update(_node_fields(node.children, block, row_cls, prefix))
        else:
            cls = attrs.make_class(
                _camel(prefix, node.id), _node_fields(node.children, block, row_cls, prefix + "_" + node.id),
                frozen=True, kw_only=True, slots=True)
            fields[node.id] = attrs.field(type=cls, metadata={DOC: node.label})
    return fields


@functools.cache
def report_class(spec: FormatSpec) -> type[Report]:
    """The attrs class of a report in a resolved format (made once per format)."""
    suffix = spec.version + (_camel(spec.variant) if spec.variant else "")
    table_fields: dict[str, Any] = {}
    for table in spec.tables:
        fields: dict[str, Any] = {}
        for i, block in enumerate(table.blocks):
            row_cls = _row_class(block, _camel(table.id, "row", str(i) if len(table.blocks) > 1 else "") + suffix)
            fields.update(_node_fields(block.rows, block, row_cls, table.id))
        cls = attrs.make_class(_camel(table.id) + suffix, fields, frozen=True, kw_only=True, slots=True)
        table_fields[table.id] = attrs.field(type=cls, metadata={DOC: table.label})
    cls = attrs.make_class("Report" + suffix, table_fields, bases=(Report,), frozen=True, kw_only=True, slots=True)
    cls.spec = spec
    cls.__module__ = __name__
    return cls


def empty_report(spec: FormatSpec, **envelope: Any) -> Report:
    """A report of the format with every cell blank (``None``)."""
    cls = report_class(spec)

    def build(c: type) -> Any:
        kwargs = {}
        for f in attrs.fields(c):
            kwargs[f.name] = build(f.type) if attrs.has(f.type) else None
        return c(**kwargs)

    tables = {f.name: build(f.type) for f in attrs.fields(cls) if f.name in {t.id for t in spec.tables}}
    return cls(**tables, **envelope)

