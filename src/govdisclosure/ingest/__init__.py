"""Parse what agencies publish — scraped text, web pages, PDFs — into the model, deterministically.

``parse(path_or_text)`` returns a :class:`ParseResult`: the :class:`~govdisclosure.Report` (each
cell's provenance says where it came from and what was printed) and the doubts (ambiguous
splits with their candidates, numbers that fit no row, labels printed otherwise).  The format
version is decided by the table itself, not the year: a 2022 report printed on the 2019 table
loads as a 2019-format report, and GD-M-FORMAT says so.
"""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path
from typing import Any

import attrs

from ..errors import LoadError, Problem
from ..formats.spec import FormatSpec, Label
from ..model import Report, empty_report
from ..plugins.manager import Registry, get_registry
from ..rules.types import Equation
from . import meta
from .tables import Doubt, assign, printed_rows, solve
from .text import find_parts, items, prepare, region
from .vocab import looks_traditional, normalize, strip_notes, traditional_converter

__all__ = ["Doubt", "ParseResult", "parse", "parse_text"]


@attrs.frozen
class ParseResult:
    report: Report
    doubts: tuple[Doubt, ...]
    source: str


def _not_a_report(source: str, zh: str, en: str) -> LoadError:
    return LoadError([Problem("GD-LOAD-NOT-REPORT", "", Label(f"不是年度报告：{zh}", f"not a report: {en}"))], source)


# ----------------------------------------------------------------------------- format


@functools.cache
def _markers(spec: FormatSpec, table: str) -> frozenset[str]:
    """Normalised labels that only this format prints in this table (columns and rows)."""
    out = set()
    for block in spec.table(table).blocks:
        out |= {normalize(c.label.zh) for c in block.columns}
    out |= {normalize(row.label.zh)[:8] for _, row, _ in spec.rows(table)}
    return frozenset(out)


def detect_format(reg: Registry, tables: dict[str, str], year: int | None) -> tuple[FormatSpec, list[Doubt]]:
    """The format the tables are printed in (columns and rows), then the variant whose rows appear."""
    doubts: list[Doubt] = []
    scores: dict[str, int] = {}
    bases = [reg.format(v) for v in reg.formats]
    for spec in bases:
        score = 0
        for table in ("proactive", "requests"):
            text = tables.get(table, "")
            own = _markers(spec, table) - set().union(*(_markers(o, table) for o in bases if o is not spec))
            score += sum(1 for m in own if m and m in text)
        scores[spec.version] = score
    best = max(scores.values()) if scores else 0
    if best == 0:
        if year is None:
            spec = bases[-1]
            doubts.append(Doubt("/format_version", Label("表格与年度都无法确定格式版本，按最新格式读取",
                                                         "neither the tables nor the year tell the format; read as the latest")))
        else:
            spec = reg.format_for_year(year)
    else:
        spec = max(bases, key=lambda s: (scores[s.version], s.version))
    # a variant whose own rows are printed (or whose replaced rows are not)
    text3 = tables.get("requests", "") + tables.get("proactive", "")
    for variant in reg.variants.values():
        if variant.extends != spec.version:
            continue
        resolved = reg.format(spec.version, variant.id)
        added = {normalize(strip_notes(r.label.zh))[:8] for a in variant.add_rows for r in a.rows}
        if added and all(a in text3 for a in added):
            return resolved, doubts
        if variant.replace_rows:
            # the official rows it replaces are not printed, though the table goes on past them
            official = [normalize(row.label.zh)[:8] for _, row, _ in spec.rows("requests")]
            replaced = set(official) - {normalize(row.label.zh)[:8] for _, row, _ in resolved.rows("requests")}
            after = [o for o in official[max(official.index(r) for r in replaced) + 1:]] if replaced else []
            text = tables.get("requests", "")
            if replaced and not any(r in text for r in replaced) and any(a in text for a in after):
                return resolved, doubts
    return spec, doubts


# ----------------------------------------------------------------------------- parts


def _part_text(lines: Any, parts: dict[str, Any], part: str) -> str | None:
    pieces = region(lines, parts, part)
    if not pieces:
        return None
    text = "\n".join(t for _, t in pieces).strip()
    return text


def parse_text(text: str, *, source: str = "<text>", previous: Report | None = None,
               registry: Registry | None = None, html_title: str | None = None) -> ParseResult:
    """Parse the text of a published report (see the module docstring)."""
    reg = registry or get_registry()
    doubts: list[Doubt] = []
    convert = None
    if looks_traditional(text):
        converter = traditional_converter()
        if converter is None:
            doubts.append(Doubt("", Label("文本为繁体字，未安装 opencc，标签可能无法识别（pip install govdisclosure[parse]）",
                                          "Traditional script and no OpenCC installed: labels may not match "
                                          "(pip install govdisclosure[parse])")))
        else:
            convert = converter.convert
    lines = prepare(text, convert)
    parts = find_parts(lines)
    streams = {t: items(region(lines, parts, t)) for t in ("proactive", "requests", "review_litigation")}
    compact = {t: normalize("".join(i.text for i in s if i.kind == "text")) for t, s in streams.items()}
    if not parts or not any(compact.values()):
        raise _not_a_report(source, "找不到六个部分的标题和表格（如“二、主动公开政府信息情况”）",
                            "no part headings and no tables found (such as 二、主动公开政府信息情况)")
    full = "\n".join(line.text for line in lines)
    head = meta.title((html_title + "\n" if html_title else "") + full)
    spec, found = detect_format(reg, compact, head.get("year"))
    doubts.extend(found)
    assigned: dict[str, Any] = {}
    hits_by_table: dict[str, Any] = {}
    for table in ("proactive", "requests", "review_litigation"):
        rows = printed_rows(spec, table)
        if not streams[table]:
            assigned[table] = [None] * len(rows)
            doubts.append(Doubt(f"/{table}", Label("找不到这张表", "this table was not found")))
            continue
        tokens, hits, found = assign(streams[table], rows, table)
        assigned[table], hits_by_table[table] = tokens, hits
        doubts.extend(found)
    labels = {normalize(strip_notes(row.label.zh)): f"/proactive/{'/'.join(path)}/"
              for path, row, _ in spec.rows("proactive")}
    labels.update({normalize(a): f"/proactive/{'/'.join(path)}/" for path, row, _ in spec.rows("proactive")
                   for a in row.aliases})
    narrative = "\n".join(filter(None, (_part_text(lines, parts, p) for p in ("overview",)))) or full
    cells_stated = {p: v for p, v in meta.stated_cells(narrative, labels).items()
                    if p in {c.pointer for c in spec.cells()}}
    equations = [r for r in reg.rules.values() if isinstance(r, Equation) and r.applies_to_format(spec)]
    this_year = head.get("year") or meta.year_mentioned(full)
    if previous is not None and (this_year is None or previous.year != this_year - 1):
        doubts.append(Doubt("/year", Label(f"给出的上年报告是 {previous.year} 年度的，未用作约束",
                                           f"the previous report given is for {previous.year}: not used")))
        previous = None
    values, provenance, found = solve(spec, assigned, equations, cells_stated, previous)
    doubts.extend(found)
    # the wording of the labels as printed, where it differs from the form's
    for table, hits in hits_by_table.items():
        for hit in hits:
            official = normalize(strip_notes(hit.row.label.zh))
            if not hit.published.startswith(official):
                for column in (c for c in spec.cells() if c.table.id == table and c.path == hit.path):
                    provenance.setdefault(column.pointer, {})["label"] = hit.published
    year = head.get("year") or meta.year_mentioned(full)
    info = meta.dates(full, year)
    if year is None and "period" in info:
        year = int(info["period"]["start"][:4])
    if year is None:
        doubts.append(Doubt("/year", Label("原文未载明报告年度（标题、统计期限均无）", "the text names no report year")))
    data: dict[str, Any] = _data(spec, year)
    for pointer, value in values.items():
        keys = pointer.strip("/").split("/")
        node = data
        for k in keys[:-1]:
            node = node[k]
        node[keys[-1]] = str(value) if value is not None and not isinstance(value, int) else value
    data["title"] = head.get("title")
    data["agency"] = {"name": head.get("agency"), "level": meta.level(head.get("agency")), "region": None}
    data.update({k: v for k, v in info.items()})
    first_part = parts.get("overview")
    preamble = "\n".join(line.text for line in lines[:first_part[0]]).strip() if first_part else None
    data["parts"] = {"preamble": preamble or None, **{p: _part_text(lines, parts, p)
                                                       for p in ("overview", "problems", "other")}}
    stated = meta.stated("\n".join(filter(None, (_part_text(lines, parts, p) for p in ("overview", "other"))))
                         or full)
    if stated:
        data["stated"] = stated
    data["provenance"] = {p: {k: v for k, v in e.items() if v is not None} | {"source": source}
                          for p, e in provenance.items()}
    from ..api import from_data

    # checked by the loader like any other input: the parser's output is held to the schema too
    report = from_data(data, source=source, registry=reg)
    return ParseResult(report, tuple(doubts), source)


def _data(spec: FormatSpec, year: int | None) -> dict[str, Any]:
    data = json.loads(_blank(spec))  # a fresh copy, much faster than building the report again
    data["year"] = year
    return data


@functools.cache
def _blank(spec: FormatSpec) -> str:
    from ..model.convert import to_data

    return json.dumps(to_data(empty_report(spec, year=None)))


def parse(source: str | bytes | os.PathLike[str], *, from_: str = "auto", previous: Report | None = None,
          registry: Registry | None = None) -> ParseResult:
    """Parse a published report from a file path, bytes or text (``from_``: auto, text, html, pdf,
    markdown)."""
    name = "<text>"
    data: bytes | str
    if isinstance(source, os.PathLike) or (isinstance(source, str) and _is_file(source)):
        name = os.fspath(source)
        data = Path(name).read_bytes()
    else:
        data = source  # type: ignore[assignment]
    kind = from_ if from_ != "auto" else _sniff(name, data)
    if kind == "pdf":
        from .pdf import pdf_text

        text = pdf_text(data if isinstance(data, bytes) else data.encode("latin-1"), name)
        return parse_text(text, source=name, previous=previous, registry=registry)
    if kind == "html":
        from .html import html_to_text

        text, title = html_to_text(data, name)
        return parse_text(text, source=name, previous=previous, registry=registry, html_title=title)
    from .html import decode

    text = decode(data, name) if isinstance(data, bytes) else data
    if kind == "markdown":  # GFM tables are '|' rows already; only the escapes go
        text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text).replace("<br>", "\n")
    return parse_text(text, source=name, previous=previous, registry=registry)


def _is_file(text: str) -> bool:
    """A short one-line string naming an existing file (anything else is the report's text)."""
    if "\n" in text or len(text) > 1024:
        return False
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False


def _sniff(name: str, data: bytes | str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix == ".pdf":
        return "pdf"
    if suffix in (".html", ".htm"):
        return "html"
    if suffix in (".md", ".markdown"):
        return "markdown"
    head = data[:2048] if isinstance(data, bytes) else data[:2048].encode("utf-8", "replace")
    if head.startswith(b"%PDF"):
        return "pdf"
    if re.search(rb"<(?:html|table|body|p|div)[\s>]", head, re.I):
        return "html"
    return "text"
