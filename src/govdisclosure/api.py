"""The public functions: load, loads, dump, validate, render, new_report, fill_totals."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterable

from .errors import LoadError, Problem
from .findings import Finding
from .formats.spec import Label
from .model import Agency, Report, empty_report
from .model.convert import from_data as _structure
from .model.convert import to_data
from .plugins.manager import Registry, get_registry
from .rules import engine

__all__ = ["dump", "fill_totals", "from_data", "load", "loads", "new_report", "render", "to_data", "validate"]


def _problem(code: str, zh: str, en: str, source: str) -> LoadError:
    return LoadError([Problem(code, "", Label(zh, en))], source)


def load(path: str | os.PathLike[str], *, loader: str | None = None) -> Report:
    """Read a report from a file (canonical JSON or YAML, or any format a loader plugin reads).

    Raises :class:`~govdisclosure.errors.LoadError` naming the file and the place.
    """
    source = os.fspath(path)
    try:
        data = Path(source).read_bytes()
    except OSError as exc:
        raise _problem("GD-LOAD-INPUT", f"无法读取文件：{exc.strerror}", f"cannot read the file: {exc.strerror}",
                       source) from None
    return loads(data, source=source, loader=loader)


def _decode(data: bytes, source: str) -> str:
    if not data.strip():
        raise _problem("GD-LOAD-EMPTY", "文件为空，不是报告", "the file is empty: not a report", source)
    if b"\x00" in data[:8192]:
        raise _problem("GD-LOAD-BINARY", "二进制文件，不是文本报告", "a binary file: not a text report", source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _problem("GD-LOAD-BINARY", f"不是 UTF-8 文本（第 {exc.start} 字节）",
                       f"not UTF-8 text (byte {exc.start})", source) from None


def loads(text: str | bytes, *, source: str = "<string>", loader: str | None = None,
          registry: Registry | None = None) -> Report:
    """Read a report from text or bytes. ``source`` names it in error messages."""
    reg = registry or get_registry()
    raw = text if isinstance(text, bytes) else None
    if isinstance(text, bytes):
        if not text.strip():
            raise _problem("GD-LOAD-EMPTY", "文件为空，不是报告", "the file is empty: not a report", source)
        head = text[:8192].decode("utf-8", "replace")
    elif not text.strip():
        raise _problem("GD-LOAD-EMPTY", "输入为空，不是报告", "the input is empty: not a report", source)
    else:
        head = text
    chosen = None
    if loader is not None:
        chosen = reg.loaders.get(loader)
        if chosen is None:
            raise _problem("GD-LOAD-INPUT", f"没有名为 {loader} 的读取器", f"no loader named {loader!r}", source)
    else:
        suffix = Path(source).suffix.lower()
        chosen = next((ld for ld in reg.loaders.values() if suffix and suffix in ld.extensions), None)
        if chosen is None:
            ordered = sorted(reg.loaders.values(), key=lambda ld: -ld.priority)
            chosen = next((ld for ld in ordered if ld.sniff and ld.sniff(head)), None)
    if chosen is not None and chosen.binary:
        try:
            result = chosen.load(raw if raw is not None else text, source)
        except LoadError as exc:
            raise exc.with_file(source) from None
        return result if isinstance(result, Report) else from_data(result, source=source, registry=reg)
    if isinstance(text, bytes):
        text = _decode(text, source)
    if chosen is None:
        names = ", ".join(reg.loaders)
        raise _problem("GD-LOAD-INPUT", f"无法识别的输入：应为以下格式之一的报告：{names}",
                       f"unrecognised input: expected a report in one of: {names}", source)
    try:
        result = chosen.load(text, source)
    except LoadError as exc:
        raise exc.with_file(source) from None
    if isinstance(result, Report):
        return result
    return from_data(result, source=source, registry=reg)


def from_data(data: Any, *, source: str = "<data>", registry: Registry | None = None) -> Report:
    """Make a report from canonical JSON data (a dict, as json.md describes)."""
    reg = registry or get_registry()

    def fail(code: str, pointer: str, zh: str, en: str, got: Any = None) -> LoadError:
        return LoadError([Problem(code, pointer, Label(zh, en), got=got)], source)

    if not isinstance(data, dict):
        raise fail("GD-LOAD-TYPE", "", "报告对象（JSON object）", "a report object (JSON object)", got=data)
    versions = ", ".join(f'"{v}"' for v in reg.formats)
    if "format_version" not in data:
        raise LoadError([Problem("GD-LOAD-FORMAT", "/format_version",
                                 Label(f"format_version 字段（{versions}）", f"a format_version field ({versions})"))],
                        source)
    version = data["format_version"]
    if not isinstance(version, str) or version not in reg.formats:
        raise fail("GD-LOAD-FORMAT", "/format_version", f"格式版本之一：{versions}", f"one of {versions}", got=version)
    variant = data.get("variant")
    if variant is not None:
        known = [v.id for v in reg.variants.values() if v.extends == version]
        if not isinstance(variant, str) or variant not in known:
            raise fail("GD-LOAD-VARIANT", "/variant",
                       f"null 或已安装的 {version} 格式地区变体（{'、'.join(known) or '无'}）",
                       f"null or an installed variant of the {version} format ({', '.join(known) or 'none'})",
                       got=variant)
    try:
        return _structure(data, reg.format(version, variant))
    except LoadError as exc:
        raise exc.with_file(source) from None


def dump(report: Report, *, indent: int | None = 2) -> str:
    """The report as canonical JSON text."""
    return json.dumps(to_data(report), ensure_ascii=False, indent=indent) + "\n"


def validate(report: Report, previous: Report | None = None, *, select: Iterable[str] | None = None,
             registry: Registry | None = None) -> list[Finding]:
    """Check a report against every installed rule; ``previous`` (the same agency's report of the
    year before) adds the cross-year rules.  ``select`` restricts the run to some rule codes.

    Findings are sorted by severity, then code, then pointer.
    """
    reg = registry or get_registry()
    rules = reg.runnable(report.spec, series=previous is not None,
                         select=frozenset(select) if select is not None else None)
    return engine.evaluate(report, rules, previous)


def render(report: Report, to: str = "json", *, registry: Registry | None = None, **options: Any) -> str:
    """The report in an output format registered by a renderer plugin (core: ``json``)."""
    reg = registry or get_registry()
    try:
        renderer = reg.renderers[to]
    except KeyError:
        raise ValueError(f"no renderer {to!r}; installed: {', '.join(reg.renderers)}") from None
    if not renderer.can_render(report):
        raise ValueError(f"renderer {to!r} cannot render a {report.format_version} report "
                         f"(variant {report.variant})")
    return renderer.render(report, **options)


def new_report(year: int, *, agency: str | None = None, level: str | None = None, region: str | None = None,
               format_version: str | None = None, variant: str | None = None,
               registry: Registry | None = None) -> Report:
    """A blank report in the format for ``year`` (or the one given): every cell ``None``."""
    reg = registry or get_registry()
    version = format_version or reg.format_for_year(year).version
    spec = reg.format(version, variant)
    return empty_report(spec, year=year, agency=Agency(name=agency, level=level, region=region))


def fill_totals(report: Report, *, registry: Registry | None = None) -> tuple[Report, list[str]]:
    """Fill the blank totals that the summation rules determine; returns the report and the
    pointers filled.  Published (non-blank) cells are never changed."""
    reg = registry or get_registry()
    return engine.fill_totals(report, reg.rules.values())
