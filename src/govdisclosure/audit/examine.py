"""One input in, one picklable record out: the pure step of an audit that may run anywhere.

:func:`examine` reads an input's bytes, loads them with whatever loader the registry has (canonical
JSON or YAML, our own renders, published text, web pages, PDF, plugins' formats), validates the report
with every report-scope rule and flattens the result into plain tuples: no model object crosses a
process boundary, so the same function runs in the audit's own worker processes and on Dask.
"""

from __future__ import annotations

import hashlib
import json
import os
from decimal import Decimal
from typing import Any, Union

import attrs

from ..errors import LoadError
from ..findings import Finding
from ..model import Report
from ..model.convert import to_data
from ..plugins.manager import Registry, get_registry

__all__ = ["Examined", "Failed", "FindingRow", "Outcome", "content_hash", "examine", "examine_bytes", "finding_row",
           "flatten", "rebuild"]

#: a finding as stored: (code, severity, pointer, pointers JSON, labels JSON, params JSON, message zh, message en)
FindingRow = tuple[str, str, str, str, str, str, str, str]


def content_hash(data: bytes) -> str:
    """The key an input's report is stored under: the same bytes are one report, wherever they lie."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def finding_row(f: Finding) -> FindingRow:
    params = json.dumps(_jsonable(dict(f.params)), ensure_ascii=False, sort_keys=True) if f.params else "{}"
    return (f.code, f.severity.value, f.pointer, json.dumps(list(f.pointers), ensure_ascii=False),
            json.dumps(list(f.labels), ensure_ascii=False), params, f.message.zh, f.message.en)


@attrs.frozen
class Examined:
    """A report read from an input: its envelope, its cells in the format's order, its findings.

    Already serialised where the store wants text (JSON), so that the process writing the store
    does as little as possible per report."""

    path: str
    digest: str
    size: int
    loader: str | None
    format_version: str
    variant: str | None
    agency: str | None
    level: str | None
    region: str | None
    year: int | None
    published_on: str | None
    title: str | None
    #: the canonical JSON minus the tables and provenance (agency, year, title, parts, …), as JSON text
    envelope: str
    #: every cell's value in ``spec.cells()`` order, as a JSON array: integers, decimal strings (amounts), null
    values: str
    #: pointer → what the published cell showed (canonical ``provenance``), only where there is some
    provenance: dict[str, dict[str, Any]]
    findings: tuple[FindingRow, ...]
    seconds: float


@attrs.frozen
class Failed:
    """An input that is not a report (or that a loader could not finish): why, in both languages."""

    path: str
    digest: str | None
    size: int | None
    code: str
    reason_zh: str
    reason_en: str
    seconds: float


Outcome = Union[Examined, Failed]  # noqa: UP007 - a runtime alias, kept valid on Python 3.10


def flatten(report: Report) -> tuple[dict[str, Any], tuple[int | str | None, ...], dict[str, dict[str, Any]]]:
    """(envelope, values, provenance) of a report: what the store keeps, and :func:`rebuild` reverses."""
    data = to_data(report)
    provenance = data.pop("provenance", None) or {}
    for table in report.spec.tables:
        data.pop(table.id, None)
    values = tuple(str(v) if isinstance(v, Decimal) else v for v in report.values())
    return data, values, provenance


def rebuild(envelope: dict[str, Any], values: tuple[Any, ...] | list[Any], provenance: dict[str, Any] | None,
            registry: Registry | None = None) -> Report:
    """The report :func:`flatten` took apart (the store's rows back into the model)."""
    from ..api import from_data

    reg = registry or get_registry()
    spec = reg.format(envelope["format_version"], envelope.get("variant"))
    data = dict(envelope)
    for cell, value in zip(spec.cells(), values, strict=True):
        node = data.setdefault(cell.table.id, {})
        for key in cell.path:
            node = node.setdefault(key, {})
        node[cell.column.id] = value
    if provenance:
        data["provenance"] = provenance
    return from_data(data, source=str(envelope.get("title") or "<store>"), registry=reg)


def _load(data: bytes, source: str, reg: Registry) -> tuple[Report, list[Finding], str | None]:
    """The report, the loader's own findings (parser doubts) and the loader's name.

    The one place the audit calls the loading API: it moves to ``gd.read`` (which returns the
    loader's findings) once that is on main.
    """
    from ..api import loads

    report = loads(data, source=source, registry=reg)
    return report, [], None


def examine_bytes(data: bytes, source: str, *, registry: Registry | None = None, clock: Any = None) -> Outcome:
    """Load and validate one input given as bytes (see :func:`examine`)."""
    import time

    from ..api import validate

    start = time.perf_counter()
    reg = registry or get_registry()
    digest = content_hash(data)
    try:
        report, load_findings, loader = _load(data, source, reg)
        found = [*load_findings, *validate(report, registry=reg)]
    except LoadError as exc:
        first = exc.findings()[0] if exc.problems else None
        code = first.code if first else "GD-LOAD-INPUT"
        zh = "；".join(exc.lines("zh")) or "不是报告"
        en = "; ".join(exc.lines("en")) or "not a report"
        return Failed(source, digest, len(data), code, zh, en, time.perf_counter() - start)
    except Exception as exc:
        return Failed(source, digest, len(data), "GD-AUDIT-CRASH",
                      f"读取器出错（{type(exc).__name__}: {exc}）", f"the loader failed ({type(exc).__name__}: {exc})",
                      time.perf_counter() - start)
    envelope, values, provenance = flatten(report)
    agency = report.agency
    return Examined(source, digest, len(data), loader, report.format_version, report.variant, agency.name,
                    agency.level, agency.region, report.year, envelope.get("published_on"), report.title,
                    json.dumps(envelope, ensure_ascii=False), json.dumps(values, ensure_ascii=False), provenance,
                    tuple(finding_row(f) for f in found), time.perf_counter() - start)


def examine(path: str | bytes, *, registry: Registry | None = None) -> Outcome:
    """Read, load and validate the input at ``path`` (str or the raw bytes of a file name).

    A pure function of the file's bytes: the result depends on nothing else, and pickles.
    Unreadable files become :class:`Failed` records naming the reason.
    """
    shown = display_path(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return Failed(shown, None, None, "GD-LOAD-INPUT", f"无法读取文件：{exc.strerror}",
                      f"cannot read the file: {exc.strerror}", 0.0)
    return examine_bytes(data, shown, registry=registry)


def display_path(path: str | bytes) -> str:
    """A file name as text: undecodable bytes shown as ``\\xNN`` (the store keeps the raw bytes too)."""
    raw = os.fsencode(path)
    return raw.decode("utf-8", "backslashreplace")
