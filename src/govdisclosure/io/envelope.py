"""The report's envelope (everything but the tables) as flat fields, for renderers and readers.

Derived from the attrs classes of :mod:`govdisclosure.model`, so that a field added there is
rendered and read back by every format without being listed again.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import typing
from decimal import Decimal
from typing import Any

import attrs

from ..formats.spec import FormatSpec, Label
from ..model import DOC, CellProvenance, Parts, Report
from ..model.base import field_types
from ..model.scalars import SCALARS, Count, Year, amount_text
from .source import LIMITS

__all__ = ["CONTENT", "ITEM", "PROVENANCE", "Field", "cell_text", "from_text", "meta_fields", "part_fields",
           "provenance_fields", "to_text", "with_required"]

_NOT_META = ("parts", "provenance")


@attrs.frozen
class Field:
    path: tuple[str, ...]  #: ("agency", "name")
    label: Label
    type: Any  #: the scalar NewType (Year, Text, IsoDate, …)

    @property
    def key(self) -> str:
        return ".".join(self.path)

    def get(self, obj: Any) -> Any:
        for name in self.path:
            if obj is None:
                return None
            obj = getattr(obj, name)
        return obj


#: the headers our renders print around the envelope's fields (a two-column table: 项目 | 内容) and over the cells'
#: provenance after the parts (单元格来源): the parser reads a page of ours printed or republished without them
ITEM, CONTENT = Label("项目", "Item"), Label("内容", "Content")
PROVENANCE = Label("单元格来源", "Where cells came from")

def _scalar(tp: Any) -> Any:
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    return args[0] if args else tp


def _flat(cls: type, prefix: tuple[str, ...] = ()) -> list[Field]:
    hints = field_types(cls)
    out = []
    for f in attrs.fields(cls):
        tp = _scalar(hints[f.name])
        if attrs.has(tp):
            out.extend(_flat(tp, (*prefix, f.name)))
        elif tp in SCALARS:
            out.append(Field((*prefix, f.name), f.metadata[DOC], tp))
    return out


@functools.cache
def meta_fields() -> tuple[Field, ...]:
    """year, title, agency.name, agency.level, agency.region, published_on, period.start, period.end."""
    return tuple(f for f in _flat(Report) if f.path[0] not in _NOT_META)


@functools.cache
def part_fields(spec: FormatSpec) -> tuple[Field, ...]:
    """The narrative parts, headed as the format heads them (the preamble by its own label)."""
    headings = {p.id: p.heading for p in spec.parts if not p.is_table}
    hints = field_types(Parts)  # the annotations are strings: resolve them
    return tuple(Field(("parts", f.name), headings.get(f.name, f.metadata[DOC]), _scalar(hints[f.name]))
                 for f in attrs.fields(Parts))


@functools.cache
def provenance_fields() -> tuple[Field, ...]:
    hints = field_types(CellProvenance)  # the annotations are strings: resolve them
    return tuple(Field((f.name,), f.metadata[DOC], _scalar(hints[f.name])) for f in attrs.fields(CellProvenance))


def to_text(value: Any) -> str:
    """A field's value as the canonical JSON writes it, as text (2024, 2025-01-20, 0.0000001 — never 1E-7)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return amount_text(value)
    return str(value)


def cell_text(value: Any) -> str:
    """A cell's value as text: "" for a blank, digits for a count or an amount (never an exponent)."""
    if value is None:
        return ""
    return str(value) if type(value) is int else to_text(value)


def integer_or_text(text: str) -> int | str:
    """An integer written in ASCII digits (``int()`` would also take ``١٢``, ``1_000`` and 5,000 digits),
    else the text itself, for the loader to refuse with its place."""
    stripped = text.strip()
    if len(stripped) <= LIMITS.number_chars and _INTEGER.match(stripped):
        return int(stripped)
    return text


_INTEGER = re.compile(r"^-?[0-9]+$")


def from_text(field: Field, text: str) -> Any:
    """Back to the canonical JSON value; the loader then checks it like any JSON input."""
    return integer_or_text(text) if field.type in (Year, Count) else text


@functools.cache
def _required() -> tuple[Field, ...]:
    return tuple(f for f in meta_fields() if len(f.path) == 1 and attrs.fields_dict(Report)[f.path[0]].default
                 is attrs.NOTHING)


def with_required(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with every envelope field the canonical JSON requires (``year``) that a format of ours
    leaves out when it is null, as null: in our formats a missing field is a null one."""
    for f in _required():
        data.setdefault(f.path[0], None)
    return data


def put(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Set a value in canonical JSON data, making the enclosing objects as needed."""
    for name in path[:-1]:
        if not isinstance(data.get(name), dict):
            data[name] = {}
        data = data[name]
    data[path[-1]] = value
