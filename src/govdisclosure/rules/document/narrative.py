"""The report's text as the document rules read it: its passages, words found in them, and quotes.

A finding of a document rule quotes the words that triggered it and says where they are: the
field (``preamble``, ``overview``, …; its pointer ``/parts/<field>``) and the character offset
in that field's text.  Words are found whatever the width of their characters and across
whitespace and line wraps (both sides folded: NFKC, whitespace removed), and each match is mapped
back to the offset of the text as stored.

These rules run on every report ``validate`` checks: everything here is a regular expression or
a C-level string operation over a report's few texts, read once per report.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ...formats.spec import Label
from ...model import DOC
from ...text import fold_width, normalize, split

if TYPE_CHECKING:
    from ...model import Report

__all__ = ["Hit", "Passage", "find", "first", "firsts", "fold", "fold_offsets", "folded", "merged", "option",
           "passages", "place", "present", "quote_at", "quoting", "raw_offset", "short", "strip_heading_tail",
           "top_headings"]

#: a quote longer than this is cut (with "…")
QUOTE_MAX = 120
_SPACE = re.compile(r"[\s\u200b\ufeff]")
_SPACES = re.compile(r"[\s\u200b\ufeff]+")
_NONSPACE_RUN = re.compile(r"[^\s\u200b\ufeff]+")  # as str.split() sees it, zero-width spaces aside
_NUMERALS = frozenset("一二三四五六七八九十")
_HEADING = re.compile(r"\s*[一二三四五六七八九十]{1,3}\s*[、.．]\s*(?P<title>[^。；;！!？?\n]{2,40}?)\s*[。.]?\s*$")


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

    def params(self) -> dict[str, Any]:
        """``quote``, ``place`` (a Label), ``part``, ``offset``: the params every quoting finding carries."""
        return quote_at(self.passage, self.start)


def passages(report: Report, fields: Iterable[str] | None = None) -> tuple[Passage, ...]:
    """The report's non-empty narrative fields (all of ``report.parts``, or ``fields``), in the
    order of the form: the preamble, then the parts.  A part's name is its heading in the format;
    a leading piece of that heading that a parser left in the text is blanked (offsets kept)."""
    found = _all_passages(report)
    if fields is None:
        return found
    wanted = tuple(fields)
    return tuple(sorted((p for p in found if p.field in wanted), key=lambda p: wanted.index(p.field)))


_PASSAGES: dict[int, tuple[Report, tuple[Passage, ...]]] = {}


def _all_passages(report: Report) -> tuple[Passage, ...]:
    # read once per report for all the rules of a run (the report is kept with its entry, so its id stays its own)
    entry = _PASSAGES.get(id(report))
    if entry is not None and entry[0] is report:
        return entry[1]
    parts = report.parts
    headings = {p.id: p.heading for p in report.spec.parts}
    order = {pid: i for i, pid in enumerate(headings, 1)}
    out = []
    for f in attrs.fields(type(parts)):
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
    if len(_PASSAGES) >= 16:
        _PASSAGES.clear()
    _PASSAGES[id(report)] = (report, tuple(out))
    return tuple(out)


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """``text`` NFKC-folded (full/half width) and without whitespace (:func:`govdisclosure.text.normalize`):
    what words, labels and short pieces of text are compared on."""
    return normalize(text)


@functools.lru_cache(maxsize=1024)
def folded(text: str) -> str:
    """A report's text without whitespace (PDF line wraps, spaces): what its words are looked for in.

    Only whitespace goes, so that a position maps back to the text as stored by counting; the
    width of characters is dealt with on the words' side (each is looked for in both widths)."""
    out = "".join(text.split())
    if "\u200b" in out or "\ufeff" in out:
        out = out.replace("\u200b", "").replace("\ufeff", "")
    return out


def fold_offsets(text: str) -> tuple[str, list[int]]:
    """:func:`fold`, character by character, with each folded character's offset in ``text``
    (for a short text searched with patterns written for folded text)."""
    chars: list[str] = []
    where: list[int] = []
    for i, c in enumerate(text):
        if _SPACE.match(c):
            continue
        for d in fold_width(c):
            if not _SPACE.match(d):
                chars.append(d)
                where.append(i)
    return "".join(chars), where


@functools.lru_cache(maxsize=256)
def _runs(text: str) -> tuple[list[int], list[int]]:
    """Where each run of non-space characters starts, in :func:`folded` text and in ``text``."""
    folded_starts, raw_starts, at = [], [], 0
    for m in _NONSPACE_RUN.finditer(text):
        folded_starts.append(at)
        raw_starts.append(m.start())
        at += len(m.group())
    return folded_starts, raw_starts


def raw_offset(text: str, folded_at: int) -> int:
    """The offset in ``text`` of the character at ``folded_at`` in ``folded(text)``."""
    folded_starts, raw_starts = _runs(text)
    if not folded_starts:
        return 0
    k = max(0, bisect.bisect_right(folded_starts, folded_at) - 1)
    return raw_starts[k] + folded_at - folded_starts[k]


def _wide(key: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in key)


@functools.lru_cache(maxsize=512)
def _keys(words: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The forms each word is looked for in (folded, and with its ASCII characters full-width), with the word."""
    out: list[tuple[str, str]] = []
    for w in words:
        key = fold(w)
        if key:
            out.extend((k, w) for k in dict.fromkeys((key, _wide(key))))
    return tuple(out)


@functools.lru_cache(maxsize=256)
def _search(keys: tuple[str, ...]) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """One pattern for the (folded) words, longest first, and the words its matches can hide: a
    word that can begin inside a match (of another word, or of itself: 丁丁 in 丁丁丁).  Those are
    looked for one by one."""
    uniq = sorted(set(keys), key=len, reverse=True)
    hidden = tuple(w for w in uniq if any(any(w.startswith(v[i:]) or v[i:].startswith(w)
                                              for i in range(1 if v == w else 0, len(v))) for v in uniq))
    return re.compile("|".join(re.escape(k) for k in uniq) or r"(?!)"), hidden


def _positions(text: str, keys: tuple[str, ...], every: bool = False) -> dict[str, list[int]]:
    """Where each word occurs in a folded text: its first place (or, ``every``, all its places)."""
    rx, hidden = _search(keys)
    seen: dict[str, list[int]] = {}
    for m in rx.finditer(text):
        places = seen.setdefault(m.group(), [])
        if every or not places:
            places.append(m.start())
    for k in hidden:
        at = text.find(k)
        found = []
        while at >= 0:
            found.append(at)
            if not every:
                break
            at = text.find(k, at + 1)
        if found:
            seen[k] = sorted(set(found) | set(seen.get(k, ()))) if every else [min([*found, *seen.get(k, ())])]
    return seen


def find(passage: Passage, words: Iterable[str]) -> Iterator[Hit]:
    """Every occurrence of the words in the passage, in text order (at one place, the longest word).
    Words are compared folded, so that width and whitespace (PDF line wraps) do not matter."""
    keys = _keys(tuple(words))
    places = _positions(folded(passage.text), tuple(k for k, _ in keys), every=True)
    found = sorted((at, -len(k), w) for k, w in keys for at in places.get(k, ()))
    last = -1
    for at, length, word in found:
        if at == last:
            continue
        last = at
        yield Hit(passage, raw_offset(passage.text, at), raw_offset(passage.text, at - length - 1) + 1, word)


@functools.lru_cache(maxsize=64)
def _joined(texts: tuple[str, ...]) -> tuple[str, tuple[int, ...]]:
    """The folded texts joined (one search for all of them), and where each starts."""
    starts, at = [], 0
    for t in texts:
        starts.append(at)
        at += len(folded(t)) + 1
    return "\x00".join(folded(t) for t in texts), tuple(starts)


def present(texts: Sequence[Passage], topics: Sequence[Iterable[str]]) -> list[tuple[Passage, str] | None]:
    """For each topic (a list of words), the passage and word of its first occurrence (None: absent)."""
    joined, starts = _joined(tuple(p.text for p in texts))
    keyed = [_keys(tuple(words)) for words in topics]
    seen = _positions(joined, tuple(k for keys in keyed for k, _ in keys))
    out: list[tuple[Passage, str] | None] = []
    for keys in keyed:
        found = min(((seen[k][0], w) for k, w in keys if k in seen), default=None)
        out.append(None if found is None else (texts[bisect.bisect_right(starts, found[0]) - 1], found[1]))
    return out


def firsts(texts: Sequence[Passage], topics: Sequence[Iterable[str]]) -> list[Hit | None]:
    """For each topic (a list of words), its first word found in the texts, in document order
    (one pass over all the texts for all the topics)."""
    joined, starts = _joined(tuple(p.text for p in texts))
    keyed = [_keys(tuple(words)) for words in topics]
    seen = _positions(joined, tuple(k for keys in keyed for k, _ in keys))
    out: list[Hit | None] = []
    for keys in keyed:
        found = [(seen[k][0], len(k), w) for k, w in keys if k in seen]
        out.append(_hit(texts, starts, min(found)) if found else None)
    return out


def _hit(texts: Sequence[Passage], starts: tuple[int, ...], found: tuple[int, int, str]) -> Hit:
    at, length, word = found
    k = bisect.bisect_right(starts, at) - 1
    p, local = texts[k], at - starts[k]
    return Hit(p, raw_offset(p.text, local), raw_offset(p.text, local + length - 1) + 1, word)


def first(texts: Sequence[Passage], words: Iterable[str]) -> Hit | None:
    """The first occurrence of any of the words, in document order."""
    return firsts(texts, [words])[0]


_STOPS = "。；！？;!?\u2028\u2029"


def sentence_at(text: str, offset: int, reach: int = 400) -> tuple[int, int, str]:
    """The sentence of ``text`` holding ``offset``: (start, end, words as printed), as
    :func:`govdisclosure.text.split` cuts it."""
    lo = max(text.rfind(c, 0, offset) for c in _STOPS) + 1
    ends = [i for i in (text.find(c, offset) for c in _STOPS) if i >= 0]
    hi = min(ends) if ends else len(text)
    if "\n" not in text[lo:hi]:  # one line: the sentence is between the stops
        words = text[lo:hi]
        stripped = words.strip()
        start = lo + (words.index(stripped[0]) if stripped else 0)
        return start, start + len(stripped), stripped
    a = max(0, offset - reach)  # line breaks, some of them PDF wraps: split the text around the offset
    for start, end, found in split(text[a:offset + reach]):
        if start + a <= offset < end + a:
            return start + a, end + a, found
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


def top_headings(passages_: Iterable[Passage]) -> Iterator[tuple[Passage, int, str, str]]:
    """Top-level heading lines only ("一、…"): (passage, offset, title, the line as printed)."""
    for p in passages_:
        pos = 0
        for raw in p.text.split("\n"):  # only lines that start with a numeral are tried
            if raw.lstrip()[:1] in _NUMERALS:
                m = _HEADING.match(raw)
                if m is not None:
                    yield p, pos + m.start("title"), m.group("title").strip(), m.group(0).strip()
            pos += len(raw) + 1


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
    ("及改进情况" under 五、存在的主要问题及改进情况; "和改进情况" where the report words the
    heading otherwise): the piece is blanked, so that offsets stay those of the stored text."""
    lead = len(text) - len(text.lstrip())
    head = folded(heading)
    cut = 0
    if fold(text[lead:lead + 2])[:1] in set(head):  # the text starts like a piece of the heading
        piece = text[lead:lead + len(head) * 3]
        opening = folded(piece)
        for k in range(len(head), 1, -1):
            if opening.startswith(head[-k:]):
                cut = lead + raw_offset(piece, k - 1) + 1
                break
    if not cut:
        # a first line that is a short fragment ending like the heading ("和改进情况")
        body = text[lead:]
        line = body.split("\n", 1)[0] if "\n" in body[:40] else ""
        short_line = fold(line) if 0 < len(line.strip()) <= 20 else ""
        if short_line and len(short_line) <= 15 and short_line.endswith(head[-2:]) and not set(short_line) & set("。;"):
            cut = lead + len(line)
    return " " * cut + text[cut:] if cut else text
