"""Chinese sentences as the copying rules compare them.

A sentence is a run of text between 。；！？ (full or half width) or a line break.  Its
:attr:`Sentence.key` is what two reports are compared on: full/half width folded (NFKC),
whitespace removed and the report year (and the year before and after) replaced by one
mark, so that a text copied from last year's report with "2023年" changed to "2024年"
(or left unchanged) still compares equal.  The quoted :attr:`Sentence.text` and its offsets
are the words as printed, so a finding can show the reader why.
"""

from __future__ import annotations

import re
import unicodedata

import attrs

__all__ = ["MIN_CHARS", "YEAR_MARK", "Sentence", "mask_years", "normalize", "sentences", "split"]

#: what a masked year reads as in a key
YEAR_MARK = "〔年〕"
#: shorter keys (headings such as "一、总体情况", "无") are not counted as sentences by default
MIN_CHARS = 10

_BREAK = re.compile(r"[^。；！？;!?\r\n\u2028\u2029]+")
_SPACE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_CN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")
# a year in figures or in Chinese numerals (二〇二三年), not part of a longer number
_YEAR = re.compile(r"(?<![0-9])(?:[0-9]{4}|[〇零○一二三四五六七八九]{4}(?=年))(?![0-9])")


@attrs.frozen
class Sentence:
    """One sentence: the words as printed, where they are, and the key they compare on."""

    text: str  #: as printed, surrounding whitespace stripped
    start: int  #: character offset of ``text`` in the text it was split from
    key: str  #: normalised, year-masked: equal keys mean the same sentence word for word

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def normalize(text: str) -> str:
    """Fold full/half width and compatibility forms (NFKC) and drop all whitespace.

    Chinese prose has no meaningful spaces: the ones a web page or PDF puts in are layout.
    """
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


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


def split(text: str) -> list[tuple[int, str]]:
    """The sentences of ``text`` as printed: ``(offset, words)``, empty pieces dropped."""
    out = []
    for m in _BREAK.finditer(text):
        piece = m.group()
        stripped = piece.strip()
        if stripped:
            out.append((m.start() + piece.index(stripped[0]), stripped))
    return out


def sentences(text: str | None, *, year: int | None = None, min_chars: int = MIN_CHARS,
              window: int = 1) -> tuple[Sentence, ...]:
    """Split ``text`` into :class:`Sentence` s keyed for comparison (see :func:`normalize`,
    :func:`mask_years`); sentences whose key is shorter than ``min_chars`` are left out."""
    if not text:
        return ()
    out = []
    for start, words in split(text):
        key = mask_years(normalize(words), year, window)
        if len(key) >= min_chars:
            out.append(Sentence(words, start, key))
    return tuple(out)
