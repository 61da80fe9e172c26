"""Chinese sentences as the copying rules compare them.

A sentence is a run of text between 。；！？ (full or half width) or a line break — except a
line break that only wraps a line of PDF text (:func:`soft_breaks`).  Its
:attr:`Sentence.key` is what two reports are compared on: full/half width folded (NFKC),
whitespace removed and the report year (and the year before and after) replaced by one
mark, so that a text copied from last year's report with "2023年" changed to "2024年"
(or left unchanged) still compares equal.  The quoted :attr:`Sentence.text` and its offsets
are the words as printed, so a finding can show the reader why.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import attrs

__all__ = ["MIN_CHARS", "WRAP_RATIO", "YEAR_MARK", "Sentence", "display_width", "fold_width", "isplit", "mask_years",
           "normalize", "sentence_around", "sentences", "soft_breaks", "split"]

#: what a masked year reads as in a key
YEAR_MARK = "〔年〕"
#: a line at least this share of the text's usual line width, not ending a sentence, is wrapped
WRAP_RATIO = 0.8
#: shorter keys (headings such as "一、总体情况", "无") are not counted as sentences by default
MIN_CHARS = 10
#: a numbered heading of the form's own themes ("（二）依申请公开情况", 30号's five for 一、总体情况): every
#: conforming report prints them, so they say nothing of copying (a key is width-folded: （ is "(")
_THEME_HEADING = re.compile(r"^\([一二三四五六七八九十0-9]{1,3}\)[^,，。;；:：]{0,16}情况$")

_STOPS = re.compile(r"[。；！？;!?\n\u2028\u2029]")  # what _BREAK's runs end at
_BREAK = re.compile(r"[^。；！？;!?\n\u2028\u2029]+")  # a lone \r is taken as space
# a run between two stops without its surrounding whitespace (what _BREAK's piece.strip() is), in one match
_STRIPPED = re.compile(r"[^。；！？;!?\s](?:[^。；！？;!?\n\u2028\u2029]*[^。；！？;!?\s])?")
_ENDS = frozenset("。；！？;!?:：")
_SOFT = re.compile(r"[ \t\r\u3000]*\x00[ \t\u3000]*")
_SPACE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_ZERO_WIDTHS = "\u200b\u200c\u200d\u2060\ufeff"  # each looked for with ``in`` (_has_zero_width): a C search
_ZERO_WIDTH = re.compile(f"[{_ZERO_WIDTHS}]+")
_FULL_WIDTH = re.compile(r"[\uff01-\uff5e\u3000]")
_CN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")
# a year in figures or in Chinese numerals (二〇二三年), not part of a longer number
_YEAR = re.compile(r"(?<![0-9])(?:[0-9]{4}|[〇零○一二三四五六七八九]{4}(?=年))(?![0-9])")


@attrs.frozen
class Sentence:
    """One sentence: the words as printed, where they are, and the key they compare on."""

    text: str  #: as printed, surrounding whitespace and wrapped line breaks taken out
    start: int  #: where the sentence starts in the text it was split from (character offset)
    end: int  #: where it ends there (exclusive)
    key: str  #: normalised, year-masked: equal keys mean the same sentence word for word


def fold_width(text: str) -> str:
    """``text`` in NFKC: full/half width and compatibility forms folded.

    The same result as ``unicodedata.normalize("NFKC", text)``, faster on Chinese text: CPython's
    NFKC is slow on CJK text that is not normalised already, which published reports' full-width
    punctuation makes the common case, so full-width ASCII forms are folded first by replacement.
    """
    if unicodedata.is_normalized("NFKC", text):
        return text  # then it has no full-width form either: each of them has a compatibility decomposition
    if not text.isascii():
        for c in set(_FULL_WIDTH.findall(text)):
            text = text.replace(c, " " if c == "\u3000" else chr(ord(c) - 0xFEE0))
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def normalize(text: str) -> str:
    """Fold full/half width and compatibility forms (NFKC) and drop all whitespace.

    Chinese prose has no meaningful spaces: the ones a web page or PDF puts in are layout.
    """
    text = "".join(fold_width(text).split())  # str.split: every Unicode space
    return _ZERO_WIDTH.sub("", text) if _has_zero_width(text) else text


def _has_zero_width(text: str) -> bool:
    """Whether one of :data:`_ZERO_WIDTHS` is in ``text``: the five ``in`` written out, a fifth of the cost
    of a generator over them (or of a pattern's search) on a sentence."""
    return "\u200b" in text or "\u200c" in text or "\u200d" in text or "\u2060" in text or "\ufeff" in text


def mask_years(text: str, year: int | None, window: int = 1) -> str:
    """Replace the years ``year - window`` … ``year + window`` in ``text`` by :data:`YEAR_MARK`.

    Works on figures and on Chinese numerals (二〇二三年). ``year=None`` masks nothing.
    Every masked year gets the same mark: a copy whose years were updated and a copy whose
    years were left alone both compare equal to their source.
    """
    if year is None:
        return text
    years = range(year - window, year + window + 1)

    def repl(m: re.Match[str]) -> str:
        return YEAR_MARK if int(m.group().translate(_CN_DIGITS)) in years else m.group()

    return _YEAR.sub(repl, text)


def display_width(line: str) -> int:
    """Display width, every character beyond ASCII counted two (CJK and full-width forms)."""
    line = line.strip()
    return 2 * len(line) - len(line.encode("ascii", "ignore"))


def soft_breaks(text: str, ratio: float = WRAP_RATIO) -> frozenset[int]:
    """Offsets of the line breaks that only wrap a line (PDF text): the line before is nearly as
    wide as the text's lines usually are and does not end a sentence.  Other line breaks end one."""
    lines = text.split("\n")
    if len(lines) < 2:
        return frozenset()
    # display_width of each line, inline: a PDF text has hundreds of lines
    stripped = [line.strip() for line in lines]
    widths = [2 * len(line) - len(line.encode("ascii", "ignore")) for line in stripped]
    seen = sorted(w for w in widths if w)
    if len(seen) < 2:
        return frozenset()
    wide = ratio * seen[(len(seen) * 3) // 4]  # most lines of a wrapped text are full
    out, pos = set(), 0
    for k in range(len(lines) - 1):
        pos += len(lines[k])
        body = stripped[k]  # its last character is the rstripped line's; a next line of width 0 is blank
        if body and body[-1] not in _ENDS and widths[k] >= wide and widths[k + 1]:
            out.add(pos)
        pos += 1
    return frozenset(out)


_BEFORE_WRAP, _AFTER_WRAP = " \t\r\u3000", " \t\u3000"


def _unwrap(words: str) -> str:
    """``_SOFT.sub("", words)``: each wrap mark (\x00) out with the spaces around it, by str methods
    (the pattern, starting with a repeat, is tried at every character)."""
    pieces = words.split("\x00")
    inner = [piece.lstrip(_AFTER_WRAP).rstrip(_BEFORE_WRAP) for piece in pieces[1:-1]]
    return "".join([pieces[0].rstrip(_BEFORE_WRAP), *inner, pieces[-1].lstrip(_AFTER_WRAP)])


def split(text: str) -> list[tuple[int, int, str]]:
    """The sentences of ``text``: ``(start, end, words)`` with ``text[start:end]`` the sentence as
    printed and ``words`` the same with its wrapped line breaks (:func:`soft_breaks`) taken out."""
    soft = soft_breaks(text) if "\n" in text else frozenset()
    if not soft:  # no wrapped line: each sentence is one match, its words as printed
        return [(m.start(), m.end(), m.group()) for m in _STRIPPED.finditer(text)]
    return list(_wrapped(text, soft))


def isplit(text: str) -> Iterator[tuple[int, int, str]]:
    """:func:`split`'s sentences one by one, each cut only when it is asked for (a reader that stops
    at the first sentence it wants does not cut the others)."""
    soft = soft_breaks(text) if "\n" in text else frozenset()
    if not soft:
        return _unwrapped(text)
    return _wrapped(text, soft)


def _unwrapped(text: str) -> Iterator[tuple[int, int, str]]:
    """The sentences of a text without wrapped line breaks, each cut when it is asked for: a generator function, as
    compiled a generator expression is a list, every sentence cut before the first is read."""
    for m in _STRIPPED.finditer(text):
        yield m.start(), m.end(), m.group()


def _wrapped(text: str, soft: frozenset[int]) -> Iterator[tuple[int, int, str]]:
    """The sentences of a text with wrapped line breaks (``soft``, not empty)."""
    marked = _marked(text, soft)
    for m in _BREAK.finditer(marked):
        piece = m.group()
        stripped = piece.strip().strip("\x00").strip()
        if stripped:
            start = m.start() + piece.index(stripped[0])
            words = _unwrap(stripped) if "\x00" in stripped else stripped
            yield start, start + len(stripped), words


def _marked(text: str, soft: frozenset[int]) -> str:
    """``text`` with its wrapped line breaks (``soft``, not empty) made \x00, which no sentence ends at."""
    cuts = sorted(soft)
    marked = "".join(text[a + 1:b] + "\x00" for a, b in zip([-1, *cuts[:-1]], cuts, strict=True))
    return marked + text[cuts[-1] + 1:]


def sentence_around(text: str, at: int) -> tuple[int, int, str] | None:
    """The sentence of :func:`split` ``(text)`` that holds the offset ``at`` (None: none does), found
    without cutting the others: the run between the stops around ``at`` is stripped as split strips it."""
    soft = soft_breaks(text) if "\n" in text else frozenset()
    marked = _marked(text, soft) if soft else text
    run = _BREAK.match(marked, at) if 0 <= at < len(marked) else None
    if run is None:
        return None  # past the text, or on a stop
    before = _STOPS.search(marked[:at][::-1])  # the last stop before: the first of the text reversed
    lo = at - before.start() if before is not None else 0
    piece = marked[lo:run.end()]
    stripped = piece.strip().strip("\x00").strip() if soft else piece.strip()
    if not stripped:
        return None
    start = lo + piece.index(stripped[0])
    if not start <= at < start + len(stripped):
        return None  # in the whitespace around a sentence
    words = _unwrap(stripped) if soft and "\x00" in stripped else stripped
    return start, start + len(stripped), words


def sentences(text: str | None, *, year: int | None = None, min_chars: int = MIN_CHARS,
              window: int = 1) -> tuple[Sentence, ...]:
    """Split ``text`` into :class:`Sentence` s keyed for comparison (see :func:`normalize`,
    :func:`mask_years`); sentences whose key is shorter than ``min_chars``, and the numbered headings
    of the form's themes ("（二）依申请公开情况"), are left out."""
    if not text:
        return ()
    out = []
    for start, end, words in split(text):
        key = mask_years(normalize(words), year, window)
        if len(key) >= min_chars and not _THEME_HEADING.match(key):
            out.append(Sentence(words, start, end, key))
    return tuple(out)
