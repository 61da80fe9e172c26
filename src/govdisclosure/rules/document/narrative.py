"""The report's text as the document rules read it: its passages, words found in them, and quotes.

A finding of a document rule quotes the words that triggered it and says where they are: the
field (``preamble``, ``overview``, …; its pointer ``/parts/<field>``) and the character offset
in that field's text.  Words are searched after folding (NFKC, whitespace removed) so that
full-width forms and PDF line wraps do not hide them; offsets are mapped back to the text as
stored.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ...formats.spec import Label
from ...model import DOC
from ...text import split

if TYPE_CHECKING:
    from ...model import Report

__all__ = ["Hit", "Passage", "find", "first", "fold", "headings", "merged", "option", "passages", "place", "quote_at",
           "quoting", "short", "strip_heading_tail", "top_headings"]

#: a quote longer than this is cut (with "…")
QUOTE_MAX = 120
_SPACE = re.compile(r"[\s\u200b\ufeff]")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[(（]\s*[一二三四五六七八九十]{1,3}\s*[)）])\s*"
                      r"(?P<title>[^。；;！!？?\n]{2,40}?)\s*[。.]?\s*$", re.M)


@attrs.frozen
class Passage:
    """One narrative field of a report with its text."""

    field: str  #: the attribute of ``report.parts`` ("preamble", "overview", "problems", "other", …)
    text: str
    name: Label  #: what the field is called (from the model's declaration)

    @property
    def pointer(self) -> str:
        return f"/parts/{self.field}"


@attrs.frozen
class Hit:
    """Words found in a passage: what matched, where, and the sentence around it."""

    passage: Passage
    start: int  #: offset of the match in the passage's text
    end: int
    word: str  #: the word searched for

    @property
    def matched(self) -> str:
        return self.passage.text[self.start:self.end]

    def params(self) -> dict[str, Any]:
        """``quote``, ``place`` (a Label), ``part``, ``offset``: the params every quoting finding carries."""
        return quote_at(self.passage, self.start)


def passages(report: Report, fields: Iterable[str] | None = None) -> tuple[Passage, ...]:
    """The report's non-empty narrative fields (all of ``report.parts``, or ``fields``), in the
    order of the form: the preamble, then the parts.  A part's name is its heading in the format;
    a leading piece of that heading that a parser left in the text is blanked (offsets kept)."""
    parts = report.parts
    headings = {p.id: p.heading for p in report.spec.parts}
    order = {pid: i for i, pid in enumerate(headings, 1)}
    wanted = None if fields is None else tuple(fields)
    out = []
    for f in attrs.fields(type(parts)):
        if wanted is not None and f.name not in wanted:
            continue
        text = getattr(parts, f.name)
        if not isinstance(text, str) or not text.strip():
            continue
        heading = headings.get(f.name)
        if heading is not None:
            text = strip_heading_tail(text, heading.zh)
            if not text.strip():
                continue
        name = heading if heading is not None else f.metadata.get(DOC, Label(f.name, f.name))
        out.append(Passage(f.name, text, name))
    out.sort(key=lambda p: order.get(p.field, 0))
    return tuple(out)


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` NFKC-folded without whitespace, and for each folded character its offset in ``text``."""
    chars: list[str] = []
    where: list[int] = []
    for i, c in enumerate(text):
        if _SPACE.match(c):
            continue
        for d in unicodedata.normalize("NFKC", c):
            if not _SPACE.match(d):
                chars.append(d)
                where.append(i)
    return "".join(chars), where


def _folded(passage: Passage) -> tuple[str, list[int]]:
    return _fold_cached(passage.text)


_CACHE: dict[str, tuple[str, list[int]]] = {}


def _fold_cached(text: str) -> tuple[str, list[int]]:
    # the rules of one run search the same few texts many times; keep the last few foldings
    found = _CACHE.get(text)
    if found is None:
        if len(_CACHE) > 64:
            _CACHE.clear()
        found = _CACHE[text] = fold(text)
    return found


def find(passage: Passage, words: Iterable[str]) -> Iterator[Hit]:
    """Every occurrence of each word (folded) in the passage, in text order."""
    folded, where = _folded(passage)
    hits = []
    for word in words:
        key, _ = fold(word)
        if not key:
            continue
        pos = folded.find(key)
        while pos >= 0:
            hits.append(Hit(passage, where[pos], where[pos + len(key) - 1] + 1, word))
            pos = folded.find(key, pos + 1)
    return iter(sorted(hits, key=lambda h: (h.start, -h.end)))


def first(passages_: Iterable[Passage], words: Iterable[str]) -> Hit | None:
    """The first occurrence of any of the words, in document order."""
    words = tuple(words)
    for p in passages_:
        for hit in find(p, words):
            return hit
    return None


def sentence_at(text: str, offset: int) -> tuple[int, int, str]:
    """The sentence of ``text`` holding ``offset``: (start, end, words as printed)."""
    for start, end, words in split(text):
        if start <= offset < end:
            return start, end, words
    return offset, offset, ""


def place(name: Label, offset: int | None = None, line: int | None = None) -> Label:
    """Where quoted words are, for a message: the part's name and the character offset (or the line)."""
    if offset is not None:
        return Label(f"{name.zh}第 {offset} 字处", f"{name.en}, character {offset}")
    if line is not None:
        return Label(f"{name.zh}第 {line} 行", f"{name.en}, line {line}")
    return name


def quoting(quote: str, name: Label, part: str, offset: int | None = None, line: int | None = None
            ) -> dict[str, Any]:
    """The params every quoting finding carries: ``quote``, ``place`` (a Label: the part and the offset or line),
    ``where`` (the part's name), ``part`` (its field or table id), ``offset``, ``line``."""
    return {"quote": short(quote), "place": place(name, offset, line), "where": name, "part": part, "offset": offset,
            "line": line}


def quote_at(passage: Passage, offset: int) -> dict[str, Any]:
    """The params that quote the sentence at ``offset`` of a passage."""
    start, _, words = sentence_at(passage.text, offset)
    return quoting(words, passage.name, passage.field, start)


def short(words: str, limit: int = QUOTE_MAX) -> str:
    return words if len(words) <= limit else words[: limit - 1] + "…"


def headings(passages_: Iterable[Passage]) -> Iterator[tuple[Passage, int, str]]:
    """Heading lines in the passages ("一、概述", "（三）回应解读情况"): (passage, offset, title)."""
    for p in passages_:
        for m in _HEADING.finditer(p.text):
            yield p, m.start("title"), m.group("title").strip()


def top_headings(passages_: Iterable[Passage]) -> Iterator[tuple[Passage, int, str, str]]:
    """Top-level heading lines only ("一、…"): (passage, offset, title, the line as printed)."""
    for p in passages_:
        for m in _HEADING.finditer(p.text):
            line = m.group(0).strip()
            if not line.startswith(("(", "（")):
                yield p, m.start("title"), m.group("title").strip(), line


def option(options: Mapping[str, Any], key: str) -> Any:
    """An option, with the items a user or variant listed under ``add.<key>`` appended (lists)
    or merged in (tables)."""
    return merged(options.get(key), (options.get("add") or {}).get(key))


def merged(base: Any, extra: Any) -> Any:
    if extra is None:
        return base
    if isinstance(base, Mapping) and isinstance(extra, Mapping):
        out = dict(base)
        for k, v in extra.items():
            out[k] = merged(out.get(k), v) if k in out else v
        return out
    if isinstance(base, Sequence) and not isinstance(base, str):
        return [*base, *extra]
    return extra


def strip_heading_tail(text: str, heading: str) -> str:
    """``text`` without a leading piece of its part's heading that a parser left in it
    ("及改进情况\\n…" under 五、存在的主要问题及改进情况; "和改进情况" where the report words the
    heading otherwise): the piece is blanked, so that offsets stay those of the stored text."""
    lead = len(text) - len(text.lstrip())
    body = text[lead:]
    head, _ = fold(heading)
    cut = 0
    for k in range(len(head), 1, -1):
        folded, where = fold(body[: k * 3])
        if folded.startswith(head[-k:]):
            cut = lead + where[k - 1] + 1
            break
    else:
        # a first line that is a short fragment ending like the heading ("和改进情况")
        line = body.split("\n", 1)[0]
        folded, _ = fold(line)
        if "\n" in body and len(folded) <= 15 and folded.endswith(head[-2:]) and not set(folded) & set("。;；"):
            cut = lead + len(line)
    return " " * cut + text[cut:] if cut else text
