"""Published text as a stream of labels and numbers, cut into the report's parts and tables.

Every shape seen in real reports goes through here: one cell per line with '|' spacers, rows
of space-separated numbers, digits run together without separators, PDF text with labels that
wrap around their numbers (or print below them) and group labels one character per line, and
HTML tables flattened to '|' rows by :mod:`.html`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

import attrs

from .solver import Token
from .vocab import PART_PATTERNS, TABLE_STARTS

_FOOTER = re.compile(r"^\s*(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$")
_TOKEN = re.compile(
    r"(?P<num>(?:(?P<sign>[-+]|减|增)\s?)?(?P<digits>\d+(?:\.\d+)?)(?P<unit>万元|元)?)"
    r"|(?P<blank>(?<![^\s|])(?:[/—–]+|-|无)(?![^\s|]))"
    r"|(?P<sep>[\s|]+)"
    r"|(?P<text>[^\d\s|/—–\-+减增无]+|.)",
    re.S,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_NUMBERING_AFTER = re.compile(r"[.、](?=[^\d\s])")
# notes printed inside labels, with years or examples in them: (指2019年事项数) (减用负值表示,如-8)
_NOTE = re.compile(r"\((?=[^()]*[\u4e00-\u9fff])(?=[^()]*\d)[^()]*(?:\)|$)")


@attrs.frozen
class Line:
    number: int  #: 1-based line in the source
    text: str  #: NFKC-normalised


class Item(NamedTuple):
    kind: str  #: "num", "blank" or "text"
    text: str
    line: int
    token: Token | None = None


def prepare(text: str, convert=None) -> list[Line]:  # type: ignore[no-untyped-def]
    """Lines normalised (NFKC, Traditional → Simplified if a converter is given), page footers out."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if convert is not None:  # line by line, so that line numbers stay the source's
        text = "\n".join(convert(line) for line in text.split("\n"))
    # control characters (form feeds from PDF text, stray bytes) carry nothing a report says
    text = _CONTROL.sub(" ", unicodedata.normalize("NFKC", text).replace("\u00a0", " "))
    return [Line(number, line) for number, line in enumerate(text.split("\n"), 1) if not _FOOTER.match(line)]


def find_parts(lines: list[Line]) -> dict[str, tuple[int, int, int]]:
    """Part id -> (line index, char offset of the heading's end, …) for every heading found, in order.

    Values are (line index, start offset, end offset) of the heading match.
    """
    found: dict[str, tuple[int, int, int]] = {}
    last = (0, 0)
    for part, pattern in PART_PATTERNS.items():
        for rx in (re.compile(pattern), re.compile(TABLE_STARTS[part]) if part in TABLE_STARTS else None):
            if rx is None:
                continue
            for i in range(last[0], len(lines)):
                start = last[1] if i == last[0] else 0
                m = rx.search(lines[i].text, start)
                if m and not (part == "review_litigation" and "结转" in m.group(0)):
                    # a table found by its first label rather than its heading keeps that label
                    begin = m.end() if rx.pattern == pattern else m.start()
                    found[part] = (i, m.start(), begin)
                    last = (i, begin)
                    break
            if part in found:
                break
    return found


def region(lines: list[Line], parts: dict[str, tuple[int, int, int]], part: str) -> list[tuple[Line, str]]:
    """The (line, text) pieces between a part's heading and the next heading found."""
    if part not in parts:
        return []
    i, _, end = parts[part]
    later = sorted(v for v in parts.values() if (v[0], v[1]) > (i, end - 1) and v != parts[part])
    stop = later[0] if later else (len(lines), 0, 0)
    pieces: list[tuple[Line, str]] = []
    for k in range(i, min(stop[0] + 1, len(lines))):
        text = lines[k].text
        a = end if k == i else 0
        b = stop[1] if k == stop[0] else len(text)
        if a < b:
            pieces.append((lines[k], text[a:b]))
    return pieces


def items(pieces: list[tuple[Line, str]]) -> list[Item]:
    """Numbers, blank marks and text, in order; a single digit before '.'/'、' is a label's numbering."""
    out: list[Item] = []
    for line, text in pieces:
        if text.strip() == "|":
            out.append(Item("blank", "|", line.number, Token("", "", line.number, blank=True, soft=True)))
            continue
        if "(" in text:
            text = _NOTE.sub(lambda m: "(" + "…" * (len(m.group(0)) - 2) + ")", text)
        pos = 0
        for m in _TOKEN.finditer(text):
            if m.start() < pos:
                continue
            if m.group("num") is not None:
                digits = m.group("digits")
                after = text[m.end():m.end() + 2]
                if "." not in digits and m.group("unit") is None and _NUMBERING_AFTER.match(after):
                    # "…00002.其他法律…": the last digit numbers the next label
                    head = m.group(0)[:-1]
                    if head and re.search(r"\d$", head):
                        out.append(_num(head, m.group("sign"), digits[:-1], None, line))
                    out.append(Item("text", digits[-1], line.number))
                    continue
                out.append(_num(m.group(0), m.group("sign"), digits, m.group("unit"), line))
            elif m.group("blank") is not None:
                out.append(Item("blank", m.group(0), line.number,
                                Token("", m.group(0), line.number, blank=True)))
            elif m.group("text") is not None:
                if out and out[-1].kind == "text" and out[-1].line == line.number:
                    out[-1] = Item("text", out[-1].text + m.group(0), line.number)
                else:
                    out.append(Item("text", m.group(0), line.number))
            pos = m.end()
    return out


def _num(raw: str, sign: str | None, digits: str, unit: str | None, line: Line) -> Item:
    negative = sign in ("-", "减")
    text = ("-" if negative else "") + digits
    return Item("num", text, line.number, Token(text, raw.strip(), line.number, unit=unit))


@attrs.frozen
class Group:
    """Numbers printed together, with no text between them."""

    start: int  #: index of the first item
    tokens: tuple[Token, ...]


def groups(stream: list[Item]) -> list[Group]:
    out: list[Group] = []
    current: list[Token] = []
    start = 0
    for i, item in enumerate(stream):
        if item.kind == "text":
            if current:
                out.append(Group(start, tuple(current)))
                current = []
            continue
        if not current:
            start = i
        assert item.token is not None
        current.append(item.token)
    if current:
        out.append(Group(start, tuple(current)))
    return out


