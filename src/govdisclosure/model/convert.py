"""The cattrs converter between canonical JSON data and the model, with located load errors."""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Optional

import attrs
import cattrs
from cattrs.errors import ForbiddenExtraKeysError
from cattrs.gen import make_dict_structure_fn

from ..errors import LoadError, ScalarError, problem
from ..findings import Finding
from ..formats.spec import FormatSpec, Label, escape_pointer
from . import CellProvenance, Report, report_class
from .scalars import SCALARS, Amount, Count, Scalar, Signed

__all__ = ["from_data", "to_data"]

MISSING = Label("缺少此字段（空白单元格请写 null）", "this field is missing (write null for a blank cell)")
UNKNOWN = Label("未知字段：本格式未声明", "unknown field: not declared by this format")
OBJECT = Label("对象（JSON object）", "an object (JSON object)")


def _make_converter(detailed: bool) -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=detailed)
    for tp, scalar in SCALARS.items():
        conv.register_structure_hook(tp, functools.partial(_convert, scalar))
    # the ~200 cells: one call each for the common value, the scalar's check for anything else
    conv.register_structure_hook(Optional[Count], _optional_count)
    conv.register_structure_hook(Optional[Signed], _optional_signed)
    conv.register_structure_hook(Optional[Amount], functools.partial(_convert_optional, SCALARS[Amount]))
    conv.register_unstructure_hook(Decimal, str)
    conv.register_unstructure_hook(_dt.date, _dt.date.isoformat)

    def attrs_factory(cls: type) -> Callable[[Any, Any], Any]:
        inner: Callable[[Any, Any], Any] = make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True)

        def structure(obj: Any, tp: Any) -> Any:
            if type(obj) is not dict and not isinstance(obj, Mapping):
                raise _Expected(OBJECT, obj)
            return inner(obj, tp)
        return structure

    if detailed:  # the fast converter needs no check: any failure sends the input to this one
        conv.register_structure_hook_factory(attrs.has, attrs_factory)
    else:
        conv.register_structure_hook_factory(_is_count_row, _count_row_factory)
    return conv


def _is_count_row(cls: Any) -> bool:
    return attrs.has(cls) and all(f.type == Optional[Count] for f in attrs.fields(cls))


def _count_row_factory(cls: type) -> Callable[[Any, Any], Any]:
    """A whole row of counts checked in one pass (most of a report's cells are in such rows)."""
    names = frozenset(f.name for f in attrs.fields(cls))

    def structure(obj: Any, _tp: Any) -> Any:
        if type(obj) is dict and obj.keys() == names and all(
                v is None or (type(v) is int and v >= 0) for v in obj.values()):
            return cls(**obj)
        raise ValueError("not a row of counts")  # the detailed converter says where and why
    return structure


def _convert(scalar: Scalar, value: Any, _tp: Any) -> Any:
    try:
        return scalar.convert(value)
    except ScalarError:
        raise _Expected(scalar.expected, value) from None


def _convert_optional(scalar: Scalar, value: Any, _tp: Any) -> Any:
    if value is None:
        return None
    try:
        return scalar.convert(value)
    except ScalarError:
        raise _Expected(scalar.expected, value) from None


def _optional_count(value: Any, tp: Any) -> Any:
    if value is None or (type(value) is int and value >= 0):
        return value
    return _convert_optional(SCALARS[Count], value, tp)


def _optional_signed(value: Any, tp: Any) -> Any:
    if value is None or type(value) is int:
        return value
    return _convert_optional(SCALARS[Signed], value, tp)


class _Expected(ValueError):
    def __init__(self, expected: Label, got: Any) -> None:
        super().__init__(expected.en)
        self.expected, self.got = expected, got


#: the converter that collects every problem with its place, used when the fast one fails
CONVERTER = _make_converter(detailed=True)
_FAST = _make_converter(detailed=False)


def _problems(exc: BaseException, pointer: str, out: list[Finding]) -> None:
    if isinstance(exc, cattrs.BaseValidationError):
        for sub in exc.exceptions:
            p = pointer
            for note in getattr(sub, "__notes__", ()):
                name = getattr(note, "name", None)
                index = getattr(note, "index", None)
                if name is not None:
                    p = f"{pointer}/{escape_pointer(str(name))}"
                elif index is not None:
                    p = f"{pointer}/{escape_pointer(str(index))}"
            _problems(sub, p, out)
    elif isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            out.append(problem("GD-LOAD-UNKNOWN", f"{pointer}/{escape_pointer(key)}", UNKNOWN))
    elif isinstance(exc, KeyError):
        out.append(problem("GD-LOAD-MISSING", pointer, MISSING))
    elif isinstance(exc, _Expected):
        out.append(problem("GD-LOAD-TYPE", pointer, exc.expected, got=exc.got))
    else:  # a cattrs internal failure on a malformed container: still say where
        out.append(problem("GD-LOAD-TYPE", pointer, Label(f"合法的值（{exc}）", f"a valid value ({exc})")))


_EMPTY_PROVENANCE = CellProvenance()


@functools.cache
def _provenance_keys(spec: FormatSpec) -> frozenset[str]:
    return frozenset(c.pointer for c in spec.cells())


def from_data(data: Any, spec: FormatSpec) -> Report:
    """Structure canonical JSON data (``format_version`` and ``variant`` already checked)."""
    body = {k: v for k, v in data.items() if k not in ("format_version", "variant")}
    cls = report_class(spec)
    try:
        report = _FAST.structure(body, cls)
    except Exception:  # noqa: BLE001 - any failure of the fast converter: structure again, slowly, to say where
        try:
            report = CONVERTER.structure(body, cls)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a located problem
            problems: list[Finding] = []
            _problems(exc, "", problems)
            # an unknown key usually explains the missing ones beside it (a 2021 row in a 2019
            # report): say it first
            problems.sort(key=lambda p: p.code != "GD-LOAD-UNKNOWN")
            raise LoadError(problems) from None
    empty = [k for k, p in report.provenance.items() if p == _EMPTY_PROVENANCE]
    if empty:
        raise LoadError([
            problem("GD-LOAD-TYPE", "/provenance/" + escape_pointer(k),
                    Label("至少含一项（raw、unit、source、line、column、page）的对象",
                          "an object with at least one of raw, unit, source, line, column, page"), got={})
            for k in empty
        ])
    bad = [k for k in report.provenance if k not in _provenance_keys(spec)]
    if bad:
        raise LoadError([
            problem("GD-LOAD-UNKNOWN", "/provenance/" + escape_pointer(k),
                    Label("单元格的 JSON 指针（本格式中不存在此单元格）",
                          "the JSON pointer of a cell (no such cell in this format)"))
            for k in bad
        ])
    return report


def to_data(report: Report) -> dict[str, Any]:
    """The canonical JSON data of a report, keys in the order of json.md."""
    raw = CONVERTER.unstructure(report)
    out: dict[str, Any] = {"format_version": report.format_version}
    for key in ("year", "title", "agency", "published_on"):
        out[key] = raw[key]
    out["variant"] = report.variant
    for optional in ("period", "notice", "stated"):  # written only when known
        if raw[optional] is not None:
            out[optional] = raw[optional] if optional != "stated" else {
                k: v for k, v in raw[optional].items() if v is not None}
    # the text around a table is written only where a report prints some (documents of 0.1 stay as they were)
    around = {p.id for p in report.spec.parts if p.is_table}
    out["parts"] = {k: v for k, v in raw["parts"].items() if v is not None or k not in around}
    for table in report.spec.tables:
        out[table.id] = raw[table.id]
    if raw["provenance"]:
        out["provenance"] = {k: {f: v for f, v in p.items() if v is not None} for k, p in raw["provenance"].items()}
    return out
