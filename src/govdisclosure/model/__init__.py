"""The typed report model: frozen attrs classes derived from the declaration.

- :class:`Report` (in :mod:`.base`) is the base of every report class: the envelope (year,
  title, agency, dates, :class:`Parts`, :class:`Stated`, provenance) and access by JSON pointer;
- :class:`Report2019` and :class:`Report2021` (in :mod:`.official`, generated and committed) add
  the tables of the official formats, typed to the cell, so that a type checker sees
  ``report.requests.withheld.state_secret.natural_person``;
- :func:`report_class` gives the class of any resolved format: the committed one for an official
  format, or one made at run time from the same generated source for a regional variant (whose
  extra rows are attributes too; a type checker sees such a report as a :class:`Report`).
"""

from __future__ import annotations

import functools
from typing import Any, ClassVar, cast

import attrs

from ..formats.spec import FormatSpec
from .base import FORMAT_VERSION_DOC, VARIANT_DOC, Agency, CellProvenance, Period, Report, Value, field_types
from .narrative import Parts, Stated
from .official import Report2019, Report2021
from .scalars import DOC, Amount, Count, Signed

__all__ = ["DOC", "FORMAT_VERSION_DOC", "VARIANT_DOC", "Agency", "CellProvenance", "Parts", "Period", "Report",
           "Report2019", "Report2021", "Stated", "Value", "empty_report", "report_class"]

_OFFICIAL: tuple[type[Report], ...] = (Report2019, Report2021)


@functools.cache
def report_class(spec: FormatSpec) -> type[Report]:
    """The attrs class of a report in a resolved format (made once per format)."""
    for cls in _OFFICIAL:
        if cls.spec == spec:
            return cls
    from . import codegen  # a variant's classes only: its textwrap and attrs class are no official start's

    namespace: dict[str, Any] = {"attrs": attrs, "ClassVar": ClassVar, "FormatSpec": FormatSpec, "Report": Report,
                                 "Amount": Amount, "Count": Count, "Signed": Signed, "_SPEC": spec}
    given = set(namespace)
    # dont_inherit: the annotations are evaluated now, not left as strings of this module's names
    code = compile(codegen.tables_source(spec, "_SPEC"), f"<model of format {spec.key}>", "exec", dont_inherit=True)
    exec(code, namespace)
    cls = namespace[codegen.report_class_name(spec)]
    for name, made in namespace.items():
        if name not in given and isinstance(made, type):
            made.__module__ = __name__
    cls.__reduce__ = _reduce  # a class made at run time cannot be found by name: pickle its spec and values
    return cls  # type: ignore[no-any-return]


def _reduce(report: Report) -> tuple[Any, tuple[Any, ...]]:
    return _rebuild, (report.spec, {f.name: _plain(getattr(report, f.name)) for f in attrs.fields(type(report))})


def _plain(value: Any) -> Any:
    if attrs.has(type(value)) and type(value).__module__ == __name__:  # a table, group or row made at run time
        return {f.name: _plain(getattr(value, f.name)) for f in attrs.fields(type(value))}
    return value


def _rebuild(spec: FormatSpec, values: dict[str, Any]) -> Report:
    def build(cls: type, data: Any) -> Any:
        if not isinstance(data, dict) or not attrs.has(cls) or cls.__module__ != __name__:
            return data
        hints = _hints(cls)
        return cls(**{f.name: build(hints[f.name], data[f.name]) for f in attrs.fields(cls)})
    return build(report_class(spec), values)  # type: ignore[no-any-return]


def empty_report(spec: FormatSpec, **envelope: Any) -> Report:
    """A report of the format with every cell blank (``None``)."""
    cls = report_class(spec)

    def build(c: Any) -> Any:
        hints = _hints(c)
        return c(**{f.name: build(hints[f.name]) if attrs.has(hints[f.name]) else None for f in attrs.fields(c)})

    hints = _hints(cast(Any, cls))
    tables = {t.id: build(hints[t.id]) for t in spec.tables}
    return cls(**tables, **envelope)


def _hints(cls: Any) -> dict[str, Any]:
    """A class's field types, resolved (the committed classes' annotations are strings)."""
    return field_types(cls)

