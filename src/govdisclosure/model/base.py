"""The report's envelope (agency, dates, text, provenance) and the base of every report class.

The tables' classes are generated from the declaration (:mod:`.official` for the official
formats, :func:`govdisclosure.model.report_class` for a variant's); this module holds what every
report has besides its tables, written once.
"""

from __future__ import annotations

import functools
import operator
import typing
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, ClassVar, TypeVar

import attrs

from ..formats.spec import CellSpec, FormatSpec
from ..labels import Label
from .narrative import Parts, Stated
from .scalars import DOC, Count, IsoDate, Level, Text, Year

__all__ = ["FORMAT_VERSION_DOC", "VARIANT_DOC", "Agency", "CellProvenance", "Period", "Report", "Value"]

#: a cell's value: a count, an amount, or None for a blank cell
Value = int | Decimal | None
_R = TypeVar("_R", bound="Report")


#: the two envelope fields the report's class stands for (not attrs fields): how they are named
FORMAT_VERSION_DOC = Label("格式版本", "Format version")
VARIANT_DOC = Label("地区变体", "Regional variant (null: the official format)")


@functools.cache
def field_types(cls: Any) -> dict[str, Any]:
    """A class's field types, resolved (``typing.get_type_hints``), once per class for every module that asks: each
    string annotation of a committed class costs a compile (the model's builders, writers and fields all ask)."""
    return typing.get_type_hints(cls)


def _doc(zh: str, en: str) -> dict[str, Label]:
    return {DOC: Label(zh, en)}


@attrs.frozen(kw_only=True)
class Agency:
    """The publishing agency: its name, level (``agency.level`` ids) and region, each null when unknown."""

    name: Text | None = attrs.field(default=None, metadata=_doc("机关名称", "Name of the agency"))
    level: Level | None = attrs.field(default=None, metadata=_doc("机关层级", "Level of the agency"))
    region: Text | None = attrs.field(default=None, metadata=_doc("所在地区", "Region"))


@attrs.frozen(kw_only=True)
class Period:
    """The statistics period the report states (统计期限), first and last day."""

    start: IsoDate = attrs.field(metadata=_doc("统计期限起", "First day of the statistics period"))
    end: IsoDate = attrs.field(metadata=_doc("统计期限止", "Last day of the statistics period"))


@attrs.frozen(kw_only=True)
class CellProvenance:
    """What a published cell showed and where, when that differs from its value."""

    raw: Text | None = attrs.field(default=None, metadata=_doc("原文所示", "The cell as published"))
    unit: Text | None = attrs.field(default=None, metadata=_doc("原文单位", "Unit as published (元, 万元)"))
    source: Text | None = attrs.field(default=None, metadata=_doc("来源文件", "Source file"))
    line: Count | None = attrs.field(default=None, metadata=_doc("行号", "Line in the source"))
    column: Count | None = attrs.field(default=None, metadata=_doc("列号", "Column in the source"))
    page: Count | None = attrs.field(default=None, metadata=_doc("页码", "Page in the source"))
    label: Text | None = attrs.field(
        default=None, metadata=_doc("原文行标签（与官方不同时）", "The row label as published, where it differs"))
    note: Text | None = attrs.field(default=None, metadata=_doc("存疑说明", "Why the value is in doubt"))
    candidates: Text | None = attrs.field(
        default=None, metadata=_doc("可能的取值（无法唯一确定时，以“|”分隔）",
                                    "Possible values when the cell could not be settled, separated by '|'"))


@attrs.frozen(kw_only=True)
class Report:
    """Base of every generated report class. ``spec`` is the resolved format it was made from."""

    spec: ClassVar[FormatSpec]

    #: required in JSON, null only when a parsed excerpt does not say
    year: Year | None = attrs.field(metadata=_doc("报告年度", "Report year (null when the text does not say)"))
    title: Text | None = attrs.field(default=None, metadata=_doc("标题", "Title"))
    agency: Agency = attrs.field(factory=Agency, metadata=_doc("发布机关", "Publishing agency"))
    published_on: IsoDate | None = attrs.field(default=None, metadata=_doc("发布日期", "Publication date"))
    period: Period | None = attrs.field(default=None, metadata=_doc("统计期限", "Statistics period"))
    notice: Text | None = attrs.field(
        default=None,
        metadata=_doc("报告所引格式通知", "The format notice the report cites (国办公开办函〔2021〕30号)"))
    parts: Parts = attrs.field(factory=Parts, metadata=_doc("文字部分", "Narrative parts"))
    stated: Stated | None = attrs.field(
        default=None, metadata=_doc("正文所述数字", "Counts stated in the narrative (parsed reports)"))
    provenance: dict[str, CellProvenance] = attrs.field(
        factory=dict, eq=True, hash=False,
        metadata=_doc("单元格来源，按 JSON 指针", "Where each cell came from, keyed by JSON pointer"))

    @property
    def format_version(self) -> str:
        """The official format's id: ``"2019"`` or ``"2021"`` (``format_version`` in the JSON)."""
        return self.spec.version

    @property
    def variant(self) -> str | None:
        """The regional variant's id (a plugin's), or None for the national format."""
        return self.spec.variant

    def cell(self, pointer: str) -> Value:
        """The value of the cell at a JSON pointer, e.g. ``/requests/total/natural_person``
        (an :class:`~govdisclosure.UnknownFormatError`, a ``KeyError``, naming the format for a pointer it has no
        cell at)."""
        try:
            get = _getters(self.spec)[pointer]
        except KeyError:
            self.spec.cell(pointer)  # raises the KeyError that names the format
            raise
        value: Value = get(self)
        return value

    def cells(self, table: str | None = None) -> Iterator[tuple[CellSpec, Value]]:
        """Every cell of the tables (or of one table: an :class:`~govdisclosure.UnknownFormatError` for an id the
        format has no table of) with its value, in document order."""
        try:
            getters = _table_getters(self.spec)[table]
        except KeyError:
            self.spec.table(str(table))  # raises the error that names the format and its tables
            raise
        for cell, get in getters:
            yield cell, get(self)

    def values(self, table: str | None = None) -> tuple[Value, ...]:
        """The values of every cell (or of one table's), in the order of :meth:`cells`."""
        try:
            getter = _value_getters(self.spec)[table]
        except KeyError:
            self.spec.table(str(table))  # raises the error that names the format and its tables
            raise
        values: tuple[Value, ...] = getter(self)
        return values

    def with_cells(self: _R, values: dict[str, Value]) -> _R:
        """A copy with some cells replaced, keyed by JSON pointer (of the same class: a ``Report2021``
        stays one for a type checker)."""
        out: _R = self
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
        lines, names, items = ["def values(r):"], dict[str, str](), list[str]()
        for cell, _ in pairs:
            parent = cell.attr_path.rsplit(".", 1)[0]
            if parent not in names:
                names[parent] = f"o{len(names)}"
                lines.append(f"    {names[parent]} = r.{parent}")
            items.append(f"{names[parent]}.{cell.column.id}")
        lines.append(f"    return ({', '.join(items)},)")
        namespace: dict[str, Any] = {}
        exec("\n".join(lines), namespace)
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


