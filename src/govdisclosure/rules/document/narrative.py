"""The report's text as the document rules read it: its passages, words found in them, and quotes.

A finding of a document rule quotes the words that triggered it and says where they are: the
field (``preamble``, ``overview``, …; its pointer ``/parts/<field>``) and the character offset
in that field's text.  Words are found whatever the width of their characters and across
whitespace and line wraps (both sides folded: NFKC, whitespace removed), in a report in Traditional
script in its characters folded to Simplified as the parser folds them (:func:`traditional`), and each
match is mapped back to the offset of the text as stored, which is what a finding quotes.

These rules run on every report ``validate`` checks: everything here is a regular expression or
a C-level string operation over a report's few texts.  A report's passages are read once per run
(:func:`passages` with the run's ``ctx.memo``), word lists are compiled once per rule options
(:func:`per_options`, :class:`Words`), and all the lists of one rule are looked for in one pass
over the parts it reads.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, cast

import attrs

from ...formats.spec import Label
from ...model import DOC
from ...model.build import _building
from ...text import fold_width, normalize
from ...text.sentences import sentence_around
from ...traditional import TRADITIONAL_WINDOW, looks_traditional
from ..types import extended as merged
from .memo import per_options
from .passage import Passage, _Building

if TYPE_CHECKING:
    from ...model import Report

__all__ = ["Hit", "Passage", "Words", "find", "finds", "first", "firsts", "fold", "fold_chars", "fold_offset",
           "fold_offsets", "folded", "merged", "option", "passages", "per_options", "place", "present", "quote_at",
           "quoting", "raw_offset", "sentence_at", "short", "simplified", "strip_heading_tail", "top_headings",
           "traditional"]

#: a quote longer than this is cut (with "…")
QUOTE_MAX = 120
_SPACE = re.compile(r"[\s\u200b\ufeff]")
_SPACES = re.compile(r"[\s\u200b\ufeff]+")
_NONSPACE_RUN = re.compile(r"[^\s\u200b\ufeff]+")  # as str.split() sees it, zero-width spaces aside
#: a line that starts with a numeral after its indent (what every heading line does), in a text with a line
#: break put before it: a search that tries only where a line starts (a plain C search for the break), and
#: gives the few lines worth a heading's match; any other search for them tries every character
_NUMERAL_LINE = re.compile(r"\n[^\S\n]*[一二三四五六七八九十]")
_HEADING = re.compile(r"\s*[一二三四五六七八九十]{1,3}\s*[、.．]\s*(?P<title>[^。；;！!？?\n]{2,40}?)\s*[。.]?\s*$")


def _unspaced(text: str) -> str:
    """:func:`.passage.unspaced`, compiled here (for every passage read, and :func:`folded`)."""
    out = "".join(text.split())
    if "\u200b" in out or "\ufeff" in out:
        out = out.replace("\u200b", "").replace("\ufeff", "")
    return out


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


def passages(report: Report, fields: Iterable[str] | None = None, memo: dict[Any, Any] | None = None
             ) -> tuple[Passage, ...]:
    """The report's non-empty narrative fields (all of ``report.parts``, or ``fields``), in the
    order of the form: the preamble, then the parts.  A part's name is its heading in the format;
    a leading piece of that heading that a parser left in the text is blanked (offsets kept).

    ``memo``: a rule's ``ctx.memo``, shared by the rules of one report's run, so that the text is
    read once for all of them: the first rule that asks reads every field (:func:`_view`)."""
    if memo is None:
        script = traditional(report)
        if fields is None:
            return _all_passages(report, script)
        found = (_read(report, field, script) for field in dict.fromkeys(fields))
        return tuple(p for p in found if p is not None)
    every, by_field = _view(report, memo)
    if fields is None:
        return every
    asked: list[str] = []
    out: list[Passage] = []
    for f in fields:  # each field once, in the order asked (a loop: dict.fromkeys is a generic call compiled)
        if f not in asked:
            asked.append(f)
            passage = by_field.get(f)
            if passage is not None:
                out.append(passage)
    return tuple(out)


def traditional(report: Report, memo: dict[Any, Any] | None = None) -> bool:
    """Whether the report is in Traditional script, by the parser's test (:func:`looks_traditional`) on its
    narrative, once per run (``memo``): its words are then matched folded to Simplified (:func:`simplified`),
    as the parser matches its labels.  False without OpenCC (the parser said so: GD-PARSE-TRADITIONAL)."""
    key = ("document.traditional", id(report))  # the memo lives for one run, while the report does
    found: bool | None = memo.get(key) if memo is not None else None
    if found is None:
        parts = report.parts
        head, size = [], 0
        for field in _fields(report.spec, type(parts)):
            text = getattr(parts, field)
            if isinstance(text, str) and size < TRADITIONAL_WINDOW:
                head.append(text[:TRADITIONAL_WINDOW - size])
                size += len(head[-1])
        found = looks_traditional("".join(head)) and _folds()
        if memo is not None:
            memo[key] = found
    return found


def _folds() -> bool:
    """Whether Traditional script can be folded (OpenCC installed).  The parser's stage is imported for a
    report in Traditional script only: validating another imports none of the parser."""
    from ...ingest.normalise import _converter

    return _converter() is not None


def simplified(text: str) -> str:
    """``text`` with each Traditional character folded to its Simplified one, as the parser folds a
    Traditional-script report (OpenCC's character table, one character for one: the same length; width
    and odd spaces folded too); ``text`` itself without OpenCC."""
    from ...ingest.normalise import fold as fold_script

    return fold_script(text, True) if _folds() else text


def _view(report: Report, memo: dict[Any, Any]) -> tuple[tuple[Passage, ...], dict[str, Passage]]:
    """The report's passages, in the order of the form and by field, read once per run (``memo``) for
    every rule.  Every field at once: most runs are of every rule, which read every part between them
    (a field at a time, as each rule asks, costs a run of every rule more than the parts a run of one
    rule would not read)."""
    key = ("document.passages", id(report))  # the memo lives for one run, while the report does
    found: tuple[tuple[Passage, ...], dict[str, Passage]] | None = memo.get(key)
    if found is None:
        parts = report.parts
        script = traditional(report, memo)
        by_field: dict[str, Passage] = {}
        for field, (heading, name) in _fields(report.spec, type(parts)).items():
            passage = _reads(parts, field, heading, name, script)  # not *layout: a native call, not a generic one
            if passage is not None:
                by_field[field] = passage
        found = memo[key] = (tuple(by_field.values()), by_field)
    return found


@per_options
def _layouts(spec: Any) -> dict[Any, Any]:
    return {}  # filled by _layout, one entry per Parts class


def _layout(spec: Any, parts_type: type) -> tuple[tuple[str, Label | None, Label], ...]:
    """The text fields of a Parts class in the order of the form, each with its part's heading in
    the format (None: not a part, the preamble) and the name a passage of it goes by."""
    cache = _layouts(spec)
    found = cache.get(parts_type)
    if found is None:
        headings = {p.id: p.heading for p in spec.parts}
        order = {pid: i for i, pid in enumerate(headings, 1)}
        fields = sorted(attrs.fields(parts_type), key=lambda f: order.get(f.name, 0))
        found = cache[parts_type] = tuple((f.name, headings.get(f.name), _name(f, headings.get(f.name)))
                                          for f in fields)
    return found


def _name(field: attrs.Attribute[Any], heading: Label | None) -> Label:
    if heading is not None:
        return heading
    # a mappingproxy, though typed a dict: read untyped, as the compiled build would refuse it as a dict
    metadata: Mapping[Any, Label] = cast(Any, field).metadata
    return metadata.get(DOC, Label(field.name, field.name))


def _all_passages(report: Report, script: bool) -> tuple[Passage, ...]:
    out = (_read(report, field, script) for field in _fields(report.spec, type(report.parts)))
    return tuple(p for p in out if p is not None)


def _fields(spec: Any, parts_type: type) -> dict[str, tuple[_HeadingKey | None, Label]]:
    """:func:`_layout` by field, in the same order, each part's heading as :func:`strip_heading_tail`
    looks for it (:func:`_heading_key`, worked out here once per format)."""
    cache = _layouts(spec)
    found: dict[str, tuple[_HeadingKey | None, Label]] | None = cache.get((parts_type, "by field"))
    if found is None:
        found = cache[(parts_type, "by field")] = {
            f: (_heading_key(heading.zh) if heading is not None else None, name)
            for f, heading, name in _layout(spec, parts_type)}
    return found


def _read(report: Report, field: str, script: bool) -> Passage | None:
    parts = report.parts
    layout = _fields(report.spec, type(parts)).get(field)
    if layout is None:
        return None  # not one of the parts' text fields
    return _reads(parts, field, layout[0], layout[1], script)


def _reads(parts: Any, field: str, heading: _HeadingKey | None, name: Label, script: bool) -> Passage | None:
    """A text field's passage (None: empty), its heading's piece blanked (:func:`_tail`); ``script``: the
    report is in Traditional script (:func:`traditional`), its words matched in the text folded."""
    text = getattr(parts, field)
    if not isinstance(text, str) or not text or text.isspace():
        return None
    view = simplified(text) if script else text
    if heading is not None:
        cut = _tail(view, heading)
        if cut:
            if not text[cut:].strip():
                return None  # the heading's piece alone
            text, view = _blanked(text, cut), _blanked(view, cut)
    return _passage(field, text, name, view, _unspaced(view))


#: an object of a class before its fields are set (:func:`_passage`, :func:`_label`)
_new = object.__new__


def _passage(field: str, text: str, name: Label, view: str, flat: str) -> Passage:
    """``Passage(field, text, name, view, flat)``: the same object as attrs' ``__init__`` makes, each field set in turn
    (that ``__init__`` is interpreted, with a ``__setattr__`` call per field: 2½ times the cost, some 6,000
    instructions a passage, 15,000 a report)."""
    passage: Any = _new(_Building)
    passage.field = field
    passage.text = text
    passage.name = name
    passage.view = view
    passage.flat = flat
    passage.__class__ = Passage
    made: Passage = passage
    return made


#: a label being made (:func:`_label`): :class:`Label` with plain assignment, given its class once its fields and attrs'
#: hash cache are set (as :func:`_passage` makes a passage)
_LabelBuilding = _building(Label)
if tuple(f.name for f in attrs.fields(Label)) != ("zh", "en") or "_attrs_cached_hash" not in vars(Label)["__slots__"]:
    raise TypeError("Label: narrative._label would not set every slot attrs' __init__ sets")


def _label(zh: str, en: str) -> Label:
    """``Label(zh, en)``: the same object as attrs' ``__init__`` makes (its hash cache cleared), each slot set in turn
    in compiled code (that ``__init__`` is interpreted, a bound ``object.__setattr__`` called a slot: some 4,000
    instructions a label, and every quote's place is one)."""
    label: Any = _new(_LabelBuilding)
    label.zh = zh
    label.en = en
    label._attrs_cached_hash = None
    label.__class__ = Label
    made: Label = label
    return made


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
    return _unspaced(text)


class _FoldTable(dict[int, str]):
    """Each character as :func:`fold_offsets` folds it on its own (whitespace to nothing), for
    ``str.translate``: filled as characters are met."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        out = "" if _SPACE.match(c) else "".join(d for d in fold_width(c) if not _SPACE.match(d))
        self[code] = out
        return out


_FOLD_TABLE = _FoldTable()


def fold_chars(text: str) -> str:
    """:func:`fold_offsets`'s text alone (one C-level pass): find with it, then map a place back
    with :func:`fold_offsets` only when something is found."""
    return text.translate(_FOLD_TABLE)


def fold_offset(text: str, at: int) -> int:
    """The offset in ``text`` of the character at ``at`` in ``fold_chars(text)`` (its last character
    for an offset past the end): :func:`fold_offsets` for one place, walking only up to it."""
    count, i = 0, -1
    for i, c in enumerate(text):
        count += len(_FOLD_TABLE[ord(c)])
        if count > at:
            return i
    return i


def fold_offsets(text: str) -> tuple[str, list[int]]:
    """:func:`fold`, character by character, with each folded character's offset in ``text``
    (for a short text searched with patterns written for folded text)."""
    where: list[int] = []
    for i, c in enumerate(text):
        where.extend(itertools.repeat(i, len(_FOLD_TABLE[ord(c)])))
    return fold_chars(text), where


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
    return re.compile(_trie(uniq) or r"(?!)"), hidden


def _trie(keys: list[str]) -> str:
    """An alternation of the keys (longest first) grouped by their first character: the same matches
    as the flat alternation, and a third faster on long texts (one branch tried per character met)."""
    rests: dict[str, list[str]] = {}
    for k in keys:
        rests.setdefault(k[0], []).append(k[1:])
    return "|".join(re.escape(c) + (f"(?:{'|'.join(re.escape(r) for r in tails)})" if tails != [""] else "")
                    for c, tails in rests.items())


@attrs.frozen(eq=False)
class Words:
    """Lists of words (a rule's topics) compiled for the search: each list's folded keys, in both
    widths, with its words; every key once, and one pattern for all of them.  Made once per list of
    lists (:meth:`of`); a rule makes its own once per options (:func:`per_options`)."""

    lists: tuple[tuple[tuple[str, str], ...], ...]  #: per list, (key, word) pairs
    pairs: tuple[tuple[str, str], ...]  #: the lists' pairs, one after another
    pattern: re.Pattern[str]
    hidden: tuple[str, ...]  #: keys a match of the pattern can hide (see _search)
    #: per list, one pattern for its keys: its first match is where the list's first word is
    each: tuple[re.Pattern[str], ...]
    #: per list, by the key a match of its pattern is, what is found there (:func:`_at_match`)
    at_match: tuple[dict[str, tuple[str, tuple[int, str]]], ...]
    #: every key once, when there are at most twice :data:`_FEW_KEYS`: then :func:`_positions` looks for each
    #: with ``str.find`` in a long text, not for all with the pattern (else ())
    few: tuple[str, ...]
    #: per list, its keys when they are few enough to be looked for one by one (:func:`_earliest_key`, at most
    #: :data:`_LIST_KEYS`), else ()
    keys: tuple[tuple[str, ...], ...]
    #: :attr:`few` by their first two characters (:func:`_by_prefix`): what :func:`_positions` looks for
    few_groups: tuple[tuple[str, tuple[str, ...]], ...]

    @staticmethod
    def of(lists: Iterable[Iterable[str]]) -> Words:
        """The lists compiled (cached by their words)."""
        return _words(tuple(tuple(words) for words in lists))


#: a list of at most this many keys is looked for key by key in a long text (:func:`_find`: a plain C search, of a
#: fraction of an instruction a character by a key's rare character), not with its pattern (a set of first
#: characters tried at each character, several times the cost, and a match tried at each of them: 信 and 公 start
#: words at every few characters of these reports): a list found nowhere, the common case for some rules, then
#: costs no pattern search.  Not more: the pattern stops at the list's first word, where each key's search goes on
#: to its own (or to the first found so far), and a longer list costs more key by key.  Measured on the corpus's
#: overviews (callgrind, the themes' lists): 6 keys 24K instructions key by key against 27K with the pattern, 9 keys
#: 27K against 38K, 10 keys 27K against 24K (str.find of each key).  With :func:`_find`, lists of 1 to 12 keys
#: key by key cost present 70K instructions a report of the audit bench's mix, against 79K for lists of 2 to 9
#: (callgrind, validate)
_LIST_KEYS = 12
#: :attr:`Words.few` holds at most twice this many keys (every list's keys, looked for with ``str.find``)
_FEW_KEYS = 4
#: a shorter text is searched with the pattern: there the keys one by one would cost more than they save
_LONG_TEXT = 256


#: the characters most frequent in these reports' narrative (folded), most frequent first (the corpus's texts: 政 some
#: 27 in a thousand, the hundredth some 2.6): a key is looked for by another of its characters where it has one
#: (:func:`_probe`)
_COMMON: Final = ("政，公开、。信息府务作工的和实进区化办年全理规发新一件关动行范平等"
                  "主中“”度要条强网请市甲《》策时情报人申在解上（）门通管提项对及文布"
                  "不面加方国是部体站制会展告民业性保各况推众事共问重有设导读查建求式")
#: the first this many of :data:`_COMMON` are met too often (more than some 5 in a thousand characters) to look for a
#: key by: each place costs a try of the key (two C calls), more than ``str.find`` of the key saves
_TOO_COMMON: Final = 20
#: a character whose low byte is none of these is found by ``memchr`` with few false stops in a two-byte text (every
#: character of it two bytes): the high bytes of CJK ideographs (U+4E00–U+9FFF), of their punctuation (U+30xx), of
#: full-width forms (U+FFxx) and of general punctuation (U+20xx: “”—…), the low bytes of ASCII (digits, letters), and
#: 0 (a character that is a multiple of 256 is looked for without ``memchr``)
_BUSY_BYTE_LOW: Final = 0x20
_BUSY_BYTE_HIGH: Final = 0x9F
_BUSY_BYTES: Final = frozenset((0x00, 0x0A, 0x0D, 0xFF))
#: by key, the place of the character :func:`_find` looks for it by (-1: none, ``str.find`` of the key), and that
#: character (module-level and Final: read compiled as a static, not looked up by name)
_PROBES: Final[dict[str, tuple[int, str]]] = {}


def _probe(key: str) -> tuple[int, str]:
    """Where in ``key`` the character is that :func:`_find` looks for it by, and the character (-1, "": none): of its
    characters (two or more) beyond Latin-1 whose low byte ``memchr`` meets seldom in these texts
    (:data:`_BUSY_BYTES`), the least frequent in these reports (:data:`_COMMON`; none of its first
    :data:`_TOO_COMMON`), the last of equals."""
    probe = _PROBES.get(key)
    if probe is None:
        found, rank = -1, -1
        if len(key) > 1:  # one character is looked for with memchr by str.find itself
            for j, c in enumerate(key):
                code = ord(c)
                low = code & 0xFF
                if code <= 0xFF or _BUSY_BYTE_LOW <= low <= _BUSY_BYTE_HIGH or low in _BUSY_BYTES:
                    continue
                common = _COMMON.find(c)
                r = len(_COMMON) if common < 0 else common
                if r >= max(rank, _TOO_COMMON):
                    found, rank = j, r
        probe = _PROBES[key] = (found, key[found] if found >= 0 else "")
    return probe


def _find(text: str, key: str, start: int, end: int) -> int:
    """``text.find(key, start, end)`` (``start``, ``end`` not negative), by one character of the key (:func:`_probe`):
    ``str.find`` of one character is ``memchr`` of its low byte, some 0.2 instructions a character of these texts,
    where that of a word tries every few characters (some 3 a character); each place of the character is then tried
    for the key, at its place in the key (a C call: ``str.find`` bounded to it)."""
    lead, probe = _probe(key)
    if lead < 0:
        return text.find(key, start, end)
    n = len(key)
    stop = min(end, len(text)) - n + lead + 1  # the character's places past this leave no room for the key's end
    if stop <= start + lead:
        return -1  # no room for the key (and a negative stop would count from the end)
    i = text.find(probe, start + lead, stop)
    while i >= 0:
        at = i - lead
        if text.find(key, at, at + n) == at:
            return at
        i = text.find(probe, i + 1, stop)
    return -1


def _checked(keys: tuple[tuple[str, str], ...], most: int = _LIST_KEYS) -> tuple[str, ...]:
    """The keys, each once, when there are at most ``most`` (else none: the pattern does better)."""
    uniq = tuple(dict.fromkeys(k for k, _ in keys))
    return uniq if 0 < len(uniq) <= most else ()


def _earliest_key(text: str, keys: tuple[str, ...], pairs: tuple[tuple[str, str], ...]
                  ) -> tuple[int, tuple[str, tuple[int, str]]] | None:
    """:func:`_earliest` for a list of few keys (:attr:`Words.keys`): where the first of them is, each found with
    :func:`_find` (a plain C search, stopping at it), and what is found there, from the keys there."""
    at = -1
    for k in keys:  # each key only before the first found so far: a key absent there is not looked for further
        i = _find(text, k, 0, len(text) if at < 0 else at + len(k) - 1)
        if i >= 0:
            at = i
    if at < 0:
        return None
    return at, _there(text, at, pairs)


def _there(text: str, at: int, pairs: tuple[tuple[str, str], ...]) -> tuple[str, tuple[int, str]]:
    """What :func:`_earliest_key` finds at ``at``, where a key of ``pairs`` is: the least word of the keys there, and
    the shortest key's length with the least word.  One loop, each key tried with ``str.find`` bounded to its place (a
    C call in the compiled build, where ``startswith`` with a start is a generic method call)."""
    least: str | None = None
    size, word = -1, ""  # the shortest key there, with the least word of that length
    for k, w in pairs:
        n = len(k)
        if text.find(k, at, at + n) == at:
            if least is None or w < least:
                least = w
            if size < 0 or n < size or (n == size and w < word):
                size, word = n, w
    if least is None:
        raise ValueError(f"no key at {at}")  # the caller's find gave a key there
    return least, (size, word)


def _at_match(keys: tuple[tuple[str, str], ...]) -> dict[str, tuple[str, tuple[int, str]]]:
    """By each key, what a list's search finds where its pattern matches that key: the least word of
    the keys there (:func:`present`), and the shortest key's length with the least word (:func:`firsts`).

    The keys found at a place are the prefixes of the match: the pattern matches the longest key there
    (see _trie), and every key found at the same place is a prefix of the text there, so of it."""
    out: dict[str, tuple[str, tuple[int, str]]] = {}
    for key, _ in keys:
        there = [(k, w) for k, w in keys if key.startswith(k)]
        out[key] = (min(w for _, w in there), min((len(k), w) for k, w in there))
    return out


@functools.lru_cache(maxsize=256)
def _words(lists: tuple[tuple[str, ...], ...]) -> Words:
    keyed = tuple(_keys(words) for words in lists)
    pairs = tuple(itertools.chain.from_iterable(keyed))
    pattern, hidden = _search(tuple(k for k, _ in pairs))
    few = _checked(pairs, _FEW_KEYS * 2)
    return Words(keyed, pairs, pattern, hidden, tuple(_search(tuple(k for k, _ in keys))[0] for keys in keyed),
                 tuple(_at_match(keys) for keys in keyed), few, tuple(_checked(keys) for keys in keyed),
                 _by_prefix(few))


#: keys that begin with the same this many characters are looked for after that start only (:func:`_by_prefix`)
_PREFIX = 2


def _by_prefix(keys: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The keys grouped by their first :data:`_PREFIX` characters, in the order of their first key: (the start, its
    keys) for two keys or more with the same start, else ("", the key).  Every place of a key is one of its start, so
    where the start is not, none of its keys is (one search for all of them: 经信委, 经信局, 经信系统), and the first
    place of each is at or after the start's first."""
    groups: dict[str, list[str]] = {}
    for k in keys:
        groups.setdefault(k[:_PREFIX] if len(k) >= _PREFIX else k, []).append(k)
    return tuple((start if len(ks) > 1 else "", tuple(ks)) for start, ks in groups.items())


def _compiled(topics: Words | Iterable[Iterable[str]]) -> Words:
    return topics if isinstance(topics, Words) else Words.of(topics)


def _positions(text: str, words: Words, every: bool = False) -> dict[str, list[int]]:
    """Where each word occurs in a folded text: its first place (or, ``every``, all its places).

    Which words occur is one C-level ``findall`` (no Python work per match); where, ``str.find`` for
    those only.  In a long text, a few words (:attr:`Words.few`) are each looked for at once with
    ``str.find``, a plain C search, cheaper than the pattern's.  The same places as the pattern's
    matches: a word that is not hidden (see :func:`_search`) can begin inside no other match, so the
    pattern matches it wherever it occurs; a hidden word is looked for on its own."""
    seen: dict[str, list[int]] = {}
    if words.few and len(text) >= _LONG_TEXT:  # then each key is looked for on its own (by its start): no pattern
        for start, keys in words.few_groups:
            first = _find(text, start, 0, len(text)) if start else 0
            if first >= 0:  # none of the keys is before their start's first place, nor anywhere without it
                for k in keys:
                    _place(text, k, _find(text, k, first, len(text)), every, seen)
        return seen
    for k in (*set(words.pattern.findall(text)), *words.hidden):
        if k not in seen:
            _place(text, k, _find(text, k, 0, len(text)), every, seen)
    return seen


def _place(text: str, k: str, at: int, every: bool, seen: dict[str, list[int]]) -> None:
    """Record in ``seen`` the key's first place ``at`` (-1: none), and with ``every`` its places after it."""
    if at < 0:
        return
    found = seen[k] = [at]
    if every:
        at = _find(text, k, at + 1, len(text))
        while at >= 0:
            found.append(at)
            at = _find(text, k, at + 1, len(text))


def find(passage: Passage, words: Iterable[str] | Words) -> Iterator[Hit]:
    """Every occurrence of the words in the passage, in text order (at one place, the longest word).
    Words are compared folded, so that width and whitespace (PDF line wraps) do not matter."""
    yield from finds((passage,), words)[0]


def finds(texts: Sequence[Passage], words: Iterable[str] | Words) -> list[list[Hit]]:
    """:func:`find` in each of the texts (one pass over all of them)."""
    compiled = words if isinstance(words, Words) else Words.of([tuple(words)])
    joined, starts = _joined(texts)
    places = _positions(joined, compiled, every=True)
    out: list[list[Hit]] = [[] for _ in texts]
    if not places:
        return out
    found = sorted((at, -len(k), w) for k, w in compiled.pairs for at in places.get(k, ()))
    last = -1
    for at, length, word in found:
        if at == last:
            continue
        last = at
        k = bisect.bisect_right(starts, at) - 1
        p, local = texts[k], at - starts[k]
        out[k].append(Hit(p, raw_offset(p.text, local), raw_offset(p.text, local - length - 1) + 1, word))
    return out


def _joined(texts: Sequence[Passage]) -> tuple[str, tuple[int, ...]]:
    """The folded texts joined (one search for all of them), and where each starts."""
    if len(texts) == 1:
        return texts[0].flat, (0,)
    starts, at = [], 0
    for p in texts:
        starts.append(at)
        at += len(p.flat) + 1
    return "\x00".join(p.flat for p in texts), tuple(starts)


def _earliest(joined: str, pattern: re.Pattern[str], at_match: dict[str, tuple[str, tuple[int, str]]]
              ) -> tuple[int, tuple[str, tuple[int, str]]] | None:
    """Where the first of a list's keys occurs in a text, and what is found there (the list's
    :attr:`Words.at_match` for the key matched): one search, which stops at it (the same as the
    first places of each key, without looking for each)."""
    m = pattern.search(joined)
    return None if m is None else (m.start(), at_match[m.group()])


def present(texts: Sequence[Passage], topics: Words | Sequence[Iterable[str]]) -> list[tuple[Passage, str] | None]:
    """For each topic (a list of words), the passage and word of its first occurrence (None: absent)."""
    joined, starts = _joined(texts)
    out: list[tuple[Passage, str] | None] = []
    for found in _earliests(joined, _compiled(topics)):
        out.append(None if found is None else (texts[bisect.bisect_right(starts, found[0]) - 1], found[1][0]))
    return out


def _earliests(joined: str, compiled: Words) -> list[tuple[int, tuple[str, tuple[int, str]]] | None]:
    """For each list of ``compiled``, where its first key is in ``joined`` and what is found there (None: absent):
    in a long text key by key when the list has few (:func:`_earliest_key`), else with its pattern (:func:`_earliest`).
    The lists by index: ``zip`` with ``strict`` is a generic call in the compiled build."""
    long = len(joined) >= _LONG_TEXT
    each, at_match, keys, lists = compiled.each, compiled.at_match, compiled.keys, compiled.lists
    out: list[tuple[int, tuple[str, tuple[int, str]]] | None] = []
    for i in range(len(lists)):
        few = keys[i]
        out.append(_earliest_key(joined, few, lists[i]) if few and long else _earliest(joined, each[i], at_match[i]))
    return out


def firsts(texts: Sequence[Passage], topics: Words | Sequence[Iterable[str]]) -> list[Hit | None]:
    """For each topic (a list of words), its first word found in the texts, in document order
    (one search per topic, which stops at its first word)."""
    joined, starts = _joined(texts)
    return [None if found is None else _hit(texts, starts, (found[0], *found[1][1]))
            for found in _earliests(joined, _compiled(topics))]


def _hit(texts: Sequence[Passage], starts: tuple[int, ...], found: tuple[int, int, str]) -> Hit:
    at, length, word = found
    k = bisect.bisect_right(starts, at) - 1
    p, local = texts[k], at - starts[k]
    return Hit(p, raw_offset(p.text, local), raw_offset(p.text, local + length - 1) + 1, word)


def first(texts: Sequence[Passage], words: Iterable[str] | Words) -> Hit | None:
    """The first occurrence of any of the words (a list, or :class:`Words` of one list), in document order."""
    return firsts(texts, words if isinstance(words, Words) else [tuple(words)])[0]


_STOPS = "。；！？;!?\u2028\u2029"
_STOP = re.compile(f"[{_STOPS}]")


def sentence_at(text: str, offset: int, reach: int = 400) -> tuple[int, int, str]:
    """The sentence of ``text`` holding ``offset``: (start, end, words as printed), as
    :func:`govdisclosure.text.split` cuts it."""
    head = text[:offset]
    before = _STOP.search(head[::-1])  # the last stop before the offset: the first of the words reversed
    lo = len(head) - before.start() if before is not None else 0
    after = _STOP.search(text, offset)
    hi = after.start() if after is not None else len(text)
    if "\n" not in text[lo:hi]:  # one line: the sentence is between the stops
        words = text[lo:hi]
        stripped = words.strip()
        start = lo + (words.index(stripped[0]) if stripped else 0)
        return start, start + len(stripped), stripped
    a = max(0, offset - reach)  # line breaks, some of them PDF wraps: split the text around the offset
    found = sentence_around(text[a:offset + reach], offset - a)
    return (found[0] + a, found[1] + a, found[2]) if found is not None else (offset, offset, "")


def place(name: Label, offset: int | None = None, line: int | None = None) -> Label:
    """Where quoted words are, for a message: the part's name and the character offset (or the line)."""
    if offset is not None:
        return _label(f"{name.zh}第 {offset + 1} 字处", f"{name.en}, character {offset + 1}")  # a reader counts from 1
    if line is not None:
        return _label(f"{name.zh}第 {line} 行", f"{name.en}, line {line}")
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
        text = p.text
        for numeral in _NUMERAL_LINE.finditer("\n" + text):
            start = numeral.start()  # where the line starts in the text (one character was put before it)
            end = text.find("\n", start)
            m = _HEADING.match(text[start:end] if end >= 0 else text[start:])
            if m is not None:
                yield p, start + m.start("title"), m.group("title").strip(), m.group(0).strip()


def option(options: Mapping[str, Any], key: str) -> Any:
    """An option, with the items a user or variant listed under ``add.<key>`` appended (lists)
    or merged in (tables)."""
    return merged(options.get(key), (options.get("add") or {}).get(key))


def strip_heading_tail(text: str, heading: str) -> str:
    """``text`` without a leading piece of its part's heading that a parser left in it
    ("及改进情况" under 五、存在的主要问题及改进情况; "和改进情况" where the report words the
    heading otherwise): the piece is blanked, so that offsets stay those of the stored text."""
    return _blanked(text, _tail(text, _heading_key(heading)))


def _blanked(text: str, cut: int) -> str:
    return " " * cut + text[cut:] if cut else text


def _tail(text: str, heading: _HeadingKey) -> int:
    """How many characters at the start of ``text`` are a piece of its part's heading (0: none)."""
    lead = len(text) - len(text.lstrip()) if text[:1].isspace() else 0
    head, tails = heading
    cut = 0
    if fold(text[lead:lead + 2])[:1] in tails:  # the text starts like a piece of the heading
        piece = text[lead:lead + len(head) * 3]
        opening = folded(piece)
        for k in tails.get(opening[:1], ()):
            if opening.startswith(head[-k:]):
                cut = lead + raw_offset(piece, k - 1) + 1
                break
    if not cut and "\n" in text[lead:lead + 40]:
        # a first line that is a short fragment ending like the heading ("和改进情况")
        line = text[lead:text.index("\n", lead)]
        short_line = fold(line) if 0 < len(line.strip()) <= 20 else ""
        if short_line and len(short_line) <= 15 and short_line.endswith(head[-2:]) and not set(short_line) & set("。;"):
            cut = lead + len(line)
    return cut


#: a heading folded, and the lengths of its tails by their first character (:func:`_heading_key`)
_HeadingKey = tuple[str, dict[str, tuple[int, ...]]]


@functools.lru_cache(maxsize=64)
def _heading_key(heading: str) -> _HeadingKey:
    """A heading folded, and by each of its characters the lengths (2 or more, longest first) of
    the heading's tails that begin with it."""
    head = folded(heading)
    tails: dict[str, list[int]] = {c: [] for c in head}
    for k in range(len(head), 1, -1):
        tails[head[-k]].append(k)
    return head, {c: tuple(ks) for c, ks in tails.items()}
