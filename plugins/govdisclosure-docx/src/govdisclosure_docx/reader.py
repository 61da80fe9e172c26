"""A Word report (made from the official template, or by this plugin) as canonical report data.

- the tables: :mod:`.cells` (by the grid and the labels);
- the narrative: paragraph by paragraph, into the part whose heading (from the declaration) comes
  before it; what precedes part 1, less the title, is the preamble; prose printed in a table part
  goes to that part's text field where the model has one;
- the envelope: a document written by this plugin carries it whole in a custom property (a title
  edited in Word wins over it); for any other document the title, agency, year, level, statistics
  period and publication date are read from its text by core's parser (``govdisclosure.parse``),
  whose table cells are not used.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import attrs

import govdisclosure as gd
from govdisclosure.findings import Finding
from govdisclosure.formats.spec import CellKind, CellSpec, FormatSpec, Label
from govdisclosure.io.marks import DOUBT
from govdisclosure.model import Parts

from . import style
from .cells import BLANK_MARKS, Reading, best_reading, key
from .codes import fatal, finding
from .document import Document, Paragraph, Table, open_document
from .writer import ENVELOPE_PROPERTY, default_title

if TYPE_CHECKING:
    from govdisclosure.registry import Registry

__all__ = ["read_docx"]

_SPACE = re.compile(r"\s+")
_COUNT = re.compile(r"([+\-]|减|增)?((?:\d{1,3}(?:,\d{3})+)|\d+)(件|项|个|次|人|条|家)?")
_AMOUNT = re.compile(r"((?:\d{1,3}(?:,\d{3})+)|\d+)(\.\d+)?(万元|元)?")
_EXPECTED = {
    CellKind.COUNT: Label("非负整数", "a non-negative integer"),
    CellKind.SIGNED: Label("整数", "an integer"),
    CellKind.AMOUNT: Label("金额（非负数）", "an amount (a non-negative number)"),
}


# ----------------------------------------------------------------------------- cells


def cell_value(text: str, kind: CellKind) -> tuple[Any, str | None, bool]:
    """(canonical value, unit printed, understood) of a cell's text; blank marks are null."""
    t = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    if t == "" or t in BLANK_MARKS:
        return None, None, True
    if kind is CellKind.AMOUNT:
        m = _AMOUNT.fullmatch(t)
        if m is None:
            return None, None, False
        number = m.group(1).replace(",", "") + (m.group(2) or "")
        try:
            Decimal(number)
        except InvalidOperation:
            return None, None, False
        return number, m.group(3), True
    m = _COUNT.fullmatch(t)
    if m is None:
        return None, None, False
    value = int(m.group(2).replace(",", ""))
    negative = m.group(1) in ("-", "减")
    if negative and kind is not CellKind.SIGNED:
        return None, None, False
    return (-value if negative else value), m.group(3), True


def _put(data: dict[str, Any], pointer: str, value: Any) -> None:
    keys = pointer.strip("/").split("/")
    for k in keys[:-1]:
        data = data.setdefault(k, {})
    data[keys[-1]] = value


_DOUBT_MARK = re.compile(re.escape(DOUBT) + r"[0-9]+$")


def _as_written(text: str, cell: CellSpec, prov: dict[str, Any]) -> Any:
    """The value of a cell of a document of ours that prints what this plugin wrote for the provenance the
    envelope keeps (the value, an amount's unit, a doubt's mark: :func:`.writer.cell_shown`), else ``_EDITED``."""
    shown = _DOUBT_MARK.sub("", text) if prov.get("candidates") or prov.get("note") else text
    unit = prov.get("unit")
    if cell.column.kind is CellKind.AMOUNT and isinstance(unit, str) and unit and shown.endswith(unit):
        shown = shown[:-len(unit)]
    if shown == "":
        return None
    value, _, ok = cell_value(shown, cell.column.kind)
    return value if ok and value is not None and str(value) == shown else _EDITED


_EDITED = object()


def _values(reading: Reading, data: dict[str, Any], source: str, own: dict[str, Any] | None = None
            ) -> tuple[dict[str, dict[str, Any]], list[Finding]]:
    """Each cell's value, and provenance for a cell whose text is not the value alone; ``own``: the provenance the
    envelope of a document of ours keeps, whose cells printed as written need none of their own."""
    spec = reading.spec
    provenance: dict[str, dict[str, Any]] = {}
    findings: list[Finding] = []
    for pointer, text in reading.texts.items():
        cell = spec.cell(pointer)
        if own is not None and isinstance(own.get(pointer), dict):
            written = _as_written(text, cell, own[pointer])
            if written is not _EDITED:
                _put(data, pointer, written)
                continue
        value, unit, ok = cell_value(text, cell.column.kind)
        _put(data, pointer, value)
        shown = text.strip().replace("\u3000", "")
        entry: dict[str, Any] = {}
        if not ok:
            place = reading.places[pointer]
            findings.append(finding(
                "DOCX-CELL-TEXT", file=source, pointer=pointer, labels=(cell.label("zh"),),
                table=place.table, row=place.row, column=place.column,
                label=Label(cell.label("zh"), cell.label("en")), text=shown, expected=_EXPECTED[cell.column.kind]))
        if shown and (not ok or str(value) != shown):
            entry["raw"] = shown
        if unit:
            entry["unit"] = unit
        if pointer in reading.printed_labels:
            entry["label"] = reading.printed_labels[pointer]
        if entry:
            provenance[pointer] = {**entry, "source": source}
    return provenance, findings


# ----------------------------------------------------------------------------- narrative


@functools.cache
def _part_keys() -> frozenset[str]:
    """The text fields of the model's parts (the preamble, parts 1, 5, 6, and the prose around tables 2–4)."""
    return frozenset(attrs.fields_dict(Parts))


_NOT_LETTERS = re.compile(r"[\W_]+")
#: how many characters an agency's wording of a part heading may add to the form's
REWORDING = 16


def _subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(ch in it for ch in needle)


def _reworded(k: str, h: str) -> bool:
    """Whether a short paragraph is the form's heading as an agency words it: the same numeral, and
    every character of the heading's words in order, a few words added (part 5 printed as 五、政府信息
    公开工作存在的…: "政府信息公开工作" added)."""
    numeral, _, words = h.partition(".")
    if not words or not k.startswith(numeral + ".") or len(k) > len(h) + REWORDING:
        return False
    return _subsequence(_NOT_LETTERS.sub("", words), _NOT_LETTERS.sub("", k[len(numeral) + 1:]))


def _heading_at(text: str, heading: str) -> str | None:
    """The rest of a paragraph that starts with a part heading (None if it does not)."""
    k, h = key(text), key(heading)
    if not k.startswith(h):
        return "" if _reworded(k, h) else None
    rest = text.strip()
    # drop the heading's characters from the paragraph as printed, however it was spaced
    taken = 0
    for i, ch in enumerate(rest):
        if taken >= len(h):
            return rest[i:].lstrip(" \u3000:：")
        taken += len(key(ch))
    return ""


def _join(lines: list[str]) -> str | None:
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return "\n".join(lines) if lines else None


def narrative(doc: Document, spec: FormatSpec, title_paragraphs: int) -> dict[str, str | None]:
    """The text of each narrative part (and the preamble), paragraph by paragraph."""
    texts: dict[str, list[str]] = {"preamble": []}
    current = "preamble"
    parts = list(spec.parts)
    skipped_title = 0
    # a document of ours prints each heading in its heading style: a paragraph in its body style is text, even one
    # that reads as a later part's heading (a part whose text was 三、收到和处理政府信息公开申请情况 became that part)
    ours = any(not isinstance(block, Table) and block.style == style.HEADING for block in doc.blocks)
    for block in doc.blocks:
        if isinstance(block, Table):
            continue
        if current == "preamble" and skipped_title < title_paragraphs and block.text.strip():
            skipped_title += 1
            continue
        if block.style in (style.TITLE, style.SIGNATURE, style.PUBLISHED, style.DOUBT_NOTE):
            continue
        if ours and block.style == style.BODY:
            texts.setdefault(current, []).append(block.text)
            continue
        for i, part in enumerate(parts):
            rest = _heading_at(block.text, part.heading.zh)
            if rest is not None:
                current = part.id
                parts = parts[i + 1:]  # headings come in order: a later mention is text
                texts.setdefault(current, [])
                if rest:
                    texts[current].append(rest)
                break
        else:
            texts.setdefault(current, []).append(block.text)
    known = _part_keys()
    return {k: _join(v) for k, v in texts.items() if k in known}


# ----------------------------------------------------------------------------- envelope


def _own_envelope(doc: Document) -> dict[str, Any] | None:
    raw = doc.properties.get(ENVELOPE_PROPERTY)
    if raw is None:
        return None
    try:
        env = json.loads(raw)
    except ValueError:
        return None
    return env if isinstance(env, dict) and isinstance(env.get("format_version"), str) else None


def _document_text(doc: Document) -> str:
    lines: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            for r in range(len(block.rows)):
                lines.append(" ".join(c.text.replace("\n", "") for c in block.cells(r)))
    return "\n".join(lines)


def _published_envelope(doc: Document, spec: FormatSpec, source: str, registry: Registry
                        ) -> tuple[dict[str, Any], list[Finding]]:
    """Title, agency, year, level, period and date of a published document, by core's parser."""
    tables = {t.id for t in spec.tables}
    try:
        parsed = gd.parse(_document_text(doc), from_="text", registry=registry)
    except gd.LoadError as exc:
        reason = "; ".join(f.text("en") for f in exc.findings)
        return {}, [finding("DOCX-ENVELOPE", file=source, reason=reason[:300])]
    data = gd.to_data(parsed.report)
    keep = {k: v for k, v in data.items() if k not in tables and k not in ("parts", "provenance", "format_version",
                                                                             "variant")}
    # the parser's doubts about the envelope and the headings (its doubts about cells concern cells read here
    # from the grid); their lines are of the text given to the parser, not of the document: left out
    doubts = [attrs.evolve(f, file=source, line=None, column=None, page=None) for f in parsed.findings
              if not any(f.pointer == f"/{t}" or f.pointer.startswith(f"/{t}/") for t in tables)]
    return keep, doubts


def _title_paragraphs(doc: Document, title: str | None) -> int:
    """How many leading paragraphs print the title (a title may wrap over two)."""
    if not title:
        return 0
    target, got, n = key(title), "", 0
    for block in doc.blocks:
        if isinstance(block, Table):
            break
        if not block.text.strip():
            continue
        got += key(block.text)
        n += 1
        if got == target:
            return n
        if not target.startswith(got):
            return 0
    return 0


# ----------------------------------------------------------------------------- the report


def _specs(registry: Registry, env: dict[str, Any] | None) -> list[FormatSpec]:
    if env is not None:
        try:
            return [registry.format(env["format_version"], env.get("variant"))]
        except KeyError:
            pass  # a format or variant not installed here: read as the document's tables say
    specs = [registry.format(v) for v in registry.formats]
    specs += [registry.format(v.extends, v.id) for v in registry.variants.values() if v.extends in registry.formats]
    return specs


def _blank(spec: FormatSpec, registry: Registry) -> dict[str, Any]:
    report = gd.new_report(spec.first_year, format_version=spec.version, variant=spec.variant, registry=registry)
    data = gd.to_data(report)
    data["year"] = None
    return data


def read_docx(data: bytes, source: str, registry: Registry | None = None) -> tuple[dict[str, Any], list[Finding]]:
    """Canonical data and the reader's findings of a Word report; LoadError if it is none."""
    reg = registry if registry is not None else gd.Registry.default()
    doc = open_document(data, source)
    env = _own_envelope(doc)
    reading = best_reading(doc, _specs(reg, env), source)
    if not reading.texts:
        raise fatal("DOCX-NOT-REPORT", source, tables=len(doc.tables))
    spec = reading.spec
    out = _blank(spec, reg)
    own = env.get("provenance") if env is not None and isinstance(env.get("provenance"), dict) else None
    provenance, findings = _values(reading, out, source, own)
    findings[:0] = reading.findings
    if env is not None:
        printed = next((b.text for b in doc.paragraphs if b.style == style.TITLE), None)
        envelope = dict(env)
        agency = env.get("agency")
        name = agency.get("name") if isinstance(agency, dict) else None
        shown = env.get("title") or default_title(name, env.get("year"))
        if printed is not None and printed != shown:
            envelope["title"] = printed  # retitled in Word
        title_paragraphs = 0
    else:
        envelope, found = _published_envelope(doc, spec, source, reg)
        findings.extend(found)
        title_paragraphs = _title_paragraphs(doc, envelope.get("title"))
    envelope.pop("format_version", None)
    envelope.pop("variant", None)
    out.update(envelope)
    out["format_version"], out["variant"] = spec.version, spec.variant
    out["parts"] = narrative(doc, spec, title_paragraphs)
    if provenance:
        out["provenance"] = {**out.get("provenance", {}), **provenance}
    return out, findings
