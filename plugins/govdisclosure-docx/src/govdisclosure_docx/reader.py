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


def narrative(doc: Document, spec: FormatSpec, body: int = 0) -> dict[str, str | None]:
    """The text of each narrative part (and the preamble), paragraph by paragraph, from the block ``body`` on
    (the first after the title: what stands above it, a red header's 发文机关标志 and 文号, is no preamble)."""
    texts: dict[str, list[str]] = {"preamble": []}
    current = "preamble"
    parts = list(spec.parts)
    # a document of ours prints each heading in its heading style: a paragraph in its body style is text, even one
    # that reads as a later part's heading (a part whose text was 三、收到和处理政府信息公开申请情况 became that part)
    ours = any(not isinstance(block, Table) and block.style == style.HEADING for block in doc.blocks)
    for block in doc.blocks[body:]:
        if isinstance(block, Table):
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


def _broken(text: str) -> str:
    """A paragraph's text with its carriage returns as line breaks: the parser counts lines so."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _document_text(doc: Document) -> tuple[str, list[int]]:
    """The document's words, a paragraph or a table row a line (a paragraph's line breaks kept), and the block
    each line is of."""
    lines: list[str] = []
    owners: list[int] = []
    for i, block in enumerate(doc.blocks):
        if isinstance(block, Paragraph):
            text = _broken(block.text)
            lines.append(text)
            owners += [i] * (text.count("\n") + 1)
        else:
            for r in range(len(block.rows)):
                lines.append(" ".join(c.text.replace("\n", "") for c in block.cells(r)))
                owners.append(i)
    return "\n".join(lines), owners


#: the parser's findings that another report starts in the text (this report ends before it)
_ANOTHER_REPORT = frozenset({"GD-PARSE-SECOND-REPORT", "GD-PARSE-REPORT-AGAIN"})


@attrs.frozen
class _Envelope:
    """What core's parser reads from a published document's words."""

    fields: dict[str, Any]  #: title, agency, year, level, period, dates
    findings: list[Finding]
    #: the paragraph where another report starts (the document's block), and the characters of it still this one's
    another: tuple[int, int] | None = None


def _published_envelope(doc: Document, tables: set[str], source: str, registry: Registry) -> _Envelope:
    """Title, agency, year, level, period and date of a published document, by core's parser; and where another
    report printed after it starts, as the parser finds (the PDF of the same document ends there too)."""
    text, owners = _document_text(doc)
    try:
        parsed = gd.parse(text, from_="text", registry=registry)
    except gd.LoadError as exc:
        reason = "; ".join(f.text("en") for f in exc.findings)
        return _Envelope({}, [finding("DOCX-ENVELOPE", file=source, reason=reason[:300])])
    data = gd.to_data(parsed.report)
    keep = {k: v for k, v in data.items() if k not in tables and k not in ("parts", "provenance", "format_version",
                                                                             "variant")}
    another = next((_block_at(doc, owners, f) for f in parsed.findings if f.code in _ANOTHER_REPORT), None)
    # the parser's doubts about the envelope and the headings (its doubts about cells concern cells read here
    # from the grid); their lines are of the text given to the parser, not of the document: left out
    doubts = [attrs.evolve(f, file=source, line=None, column=None, page=None) for f in parsed.findings
              if not any(f.pointer == f"/{t}" or f.pointer.startswith(f"/{t}/") for t in tables)]
    return _Envelope(keep, doubts, another)


def _block_at(doc: Document, owners: list[int], found: Finding) -> tuple[int, int] | None:
    """The paragraph (block index) where the parser's other report starts, and how many of its characters come
    before it; None when it starts in a table (a table's row read as a heading is no report's start)."""
    if found.line is None or not 0 < found.line <= len(owners):
        return None
    block = owners[found.line - 1]
    paragraph = doc.blocks[block]
    if not isinstance(paragraph, Paragraph):
        return None
    within = found.line - 1 - owners.index(block)  # the paragraph's line it starts on
    lines = _broken(paragraph.text).split("\n")
    return block, sum(len(line) + 1 for line in lines[:within]) + (found.column or 1) - 1


def _cut(doc: Document, at: tuple[int, int]) -> Document:
    """The document up to where another report starts: the blocks before it, and the words of its first
    paragraph before it (a report run on from this one's last line)."""
    block, before = at
    paragraph = doc.blocks[block]
    assert isinstance(paragraph, Paragraph)
    head = _broken(paragraph.text)[:before].rstrip()
    kept = doc.blocks[:block] + ((attrs.evolve(paragraph, text=head),) if head.strip() else ())
    return attrs.evolve(doc, blocks=kept)


def _body_start(doc: Document, title: str | None, spec: FormatSpec) -> int:
    """The block after the paragraphs that print the title (a title may wrap over several), looked for above part
    1's heading (a red header's 发文机关标志 and 文号 above it, even in a table); 0 when none there prints it."""
    if not title:
        return 0
    target = key(title)
    first = spec.parts[0].heading.zh
    blocks = doc.blocks
    for start, block in enumerate(blocks):
        if isinstance(block, Table) or not block.text.strip():
            continue
        if _heading_at(block.text, first) is not None:
            break
        got = ""
        for end in range(start, len(blocks)):
            b = blocks[end]
            if isinstance(b, Table):
                break
            if not b.text.strip():
                continue
            got += key(b.text)
            if got == target:
                return end + 1
            if not target.startswith(got):
                break
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
    specs = _specs(reg, env)
    published = None if env is not None else _published_envelope(doc, {t.id for s in specs for t in s.tables},
                                                                     source, reg)
    reading = best_reading(doc, specs, source)
    if published is not None and published.another is not None:
        # another report follows (the parser's finding says so, and that its text is not read): its paragraphs and
        # tables are not this report's, unless cells are read only after it (tables printed as an annex after
        # the signature, whose rows the parser took for headings: the tables are this report's)
        first = _cut(doc, published.another)
        mine = best_reading(first, specs, source)
        if len(mine.texts) >= len(reading.texts):
            doc, reading = first, mine
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
        body = 0
    else:
        assert published is not None
        envelope = dict(published.fields)
        findings.extend(published.findings)
        body = _body_start(doc, envelope.get("title"), spec)
    envelope.pop("format_version", None)
    envelope.pop("variant", None)
    out.update(envelope)
    out["format_version"], out["variant"] = spec.version, spec.variant
    out["parts"] = narrative(doc, spec, body)
    if provenance:
        out["provenance"] = {**out.get("provenance", {}), **provenance}
    return out, findings
