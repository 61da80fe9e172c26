"""Stage ``narrative``: the text of the narrative parts exactly as published, the prose printed
around the tables, and the numbers the narrative states.

A part's text is the published text between the end of its heading and the next heading (or the
report's end), page footers of PDF text taken out.  The preamble is what stands between the
title and part 1, a web page's frame aside.  The counts the narrative states are read from the
matching view (:mod:`.normalise`) of the same text, with whitespace dropped, so that a count
printed across a line break (PDF text) is still read.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Final

from ..formats import published
from ..formats.spec import FormatSpec
from ..io.envelope import ITEM, meta_fields
from ..model import FORMAT_VERSION_DOC, VARIANT_DOC
from ..model.scalars import MAX_DECIMALS
from ..registry import Registry
from .normalise import fold
from .patterns import compiled
from .rows import compact, label_forms
from .state import State
from .tokens import IMAGE_MARK

__all__ = ["NARRATIVE_PARTS", "TABLE_PARTS", "narrative"]

NARRATIVE_PARTS: Final = ("overview", "problems", "other")
TABLE_PARTS: Final = ("proactive", "requests", "review_litigation")
#: footnote marks are no numbers: [1], [^1]
_MARKS: Final = compiled(published.FOOTNOTE_MARK)
_SEPARATORS: Final = "。;,；，"
_CELL_WORDS: Final = tuple(published.CELL_WORDS.items())
_CELL_WORD_LIST: Final = tuple(w for ws in published.CELL_WORDS.values() for w in ws)
_SEPARATOR: Final = compiled(f"[{_SEPARATORS}]")
_COUNT: Final = compiled(r"(?<!\d)(\d{1,15})件")
#: a line of a page's info table (发布日期：…), or of the envelope our renders print under the title (报告年度 | 2020,
#: 项目 | 内容): the page's, not the preamble's (longest first; in one order in every process, not the set's, so that
#: its code is stored: :mod:`.patterns`)
INFO_LINE: Final = compiled(r"^[^\S\n]*(?:" + "|".join(map(re.escape, sorted(sorted({
    *published.INFO_KEYS, *(f.label.zh for f in meta_fields()), ITEM.zh, FORMAT_VERSION_DOC.zh, VARIANT_DOC.zh}),
    key=len, reverse=True))) + r")\s*[:：|]", re.M)
_RULE: Final = compiled(r"^\s*[=\-—_*#]{3,}")


def cut(state: State, start: int, end: int) -> str:
    """The published text between two offsets, page footers (their line) and bold marks taken out, stripped."""
    if start >= end:
        return ""
    text = state.raw[start:end]
    gone = [(a, min(b + 1, end)) for a, b in state.footers if start <= a and b <= end]
    if state.marks:
        gone = sorted([*gone, *((a, b) for a, b in state.marks if start <= a and b <= end)])
    for a, b in reversed(gone):  # from the end: what is taken out never moves what comes before it
        text = text[:a - start] + text[b - start:]
    if IMAGE_MARK in text:  # the page reader's mark of an image (for the stages), no published words (review 12c #3)
        text = "\n".join(line for line in text.split("\n") if line.strip() != IMAGE_MARK)
    return text.strip()


#: a line that is no preamble's: a page's info line, its frame, a scraper's or a rule (one match a line, not four;
#: on a line, ``^`` matches only at its start with or without re.M)
_NOT_PREAMBLE: Final = compiled("|".join(f"(?:{p})" for p in (INFO_LINE.pattern, published.FRAME_START.pattern,
                                                             published.SCRAPE_FRAME.pattern, _RULE.pattern)), re.M)


def _preamble(state: State, start: int, end: int) -> str | None:
    lines = [line for line in cut(state, start, end).split("\n") if line.strip() and not _NOT_PREAMBLE.match(line)]
    return "\n".join(lines).strip() or None


def _sentences_before(state: State, title: int) -> str:
    """The lines right above the title that are sentences (each ends as one: 。！？；) naming the report, as printed;
    a page's frame (navigation, a breadcrumb, an info table) ends with none, and another document's sentences (a
    notice saved before it) name no report: both are left out, as a web page's whole frame is."""
    lines = cut(state, state.report_span[0] if state.report_span[0] < title else 0, title).split("\n")
    kept: list[str] = []
    for line in reversed(lines):
        if not line.strip() or not _SENTENCE_END.search(line):
            break
        kept.append(line.strip())
    lead = "\n".join(reversed(kept))
    # the report's own lead-in names it (现将本机关2024年度报告公布如下。); another document's sentences do not
    return lead if "报告" in lead else ""


#: a line that ends a sentence
_SENTENCE_END = compiled(r"[。！？；][”」』）)]*\s*$")


def _without_info_tail(text: str) -> str:
    """The report's last part without the page's info lines after it (发布日期：2021年3月5日, as our Word file prints
    a report that printed no signature): the page's, read into the metadata, not the part's text."""
    lines = text.split("\n")
    while lines and INFO_LINE.match(lines[-1]):
        lines.pop()
    return "\n".join(lines).rstrip()


def narrative(state: State) -> State:
    parts = state.parts
    texts: dict[str, Any] = {}
    last = max(parts, key=lambda p: parts[p].start, default=None)
    for part in NARRATIVE_PARTS:
        span = parts.get(part)
        text = cut(state, span.body, span.end) if span is not None else ""
        texts[part] = (_without_info_tail(text) if part == last else text) or None
    for part in TABLE_PARTS:  # prose printed before and after a table, inside its part
        span, table = parts.get(part), state.tables.get(part)
        if span is None or table is None:
            texts[part] = None
            continue
        notes = (cut(state, a, b) for a, b in state.notes.get(part, ()))
        if table[0] >= span.end:  # printed after the parts (附件1): the part's whole text, then the notes under it
            pieces = [cut(state, span.body, span.end), *notes]
        else:
            pieces = [cut(state, span.body, table[0]), *notes, _no_label_cut_off(cut(state, table[1], span.end), state)]
        texts[part] = "\n".join(p for p in pieces if p) or None
    start = state.title[1] if state.title and state.title[5] else state.report_span[0]
    first = min((s.start for s in parts.values()), default=None)
    texts["preamble"] = _preamble(state, start, first) if first is not None else None
    if state.title and state.title[5] and state.kind != "html" and first is not None:
        lead = _sentences_before(state, state.title[0])
        if lead:  # printed above the title (现将本机关2024年度报告公布如下。): the report's, not a page's frame
            texts["preamble"] = f"{lead}\n{texts['preamble']}" if texts["preamble"] else lead
    overview = _view(state, parts.get("overview"))
    said = overview + _view(state, parts.get("other"))
    if not overview or not said:  # the whole text instead, squashed once for both
        whole = _squash(state.folded)
        said, overview = said or whole, overview or whole
    for part in TABLE_PARTS:  # and the prose around the tables
        if texts[part]:
            said += _squash(fold(texts[part]))
    spec = state.registry.format(max(state.registry.formats))
    return state.but(narrative=texts, stated=stated(said, spec),
                        stated_cells=stated_cells(overview, _labels(state.registry)))


def _no_label_cut_off(text: str, state: State) -> str:
    """Prose printed after a table, without a last line that is only a table's label or the start of one (a cut-off
    excerpt ends in "(二)部分公"): a table's label is not prose."""
    last = text[text.rfind("\n") + 1:]
    key = compact(fold(last))
    if key and any(label.startswith(key) for label in _table_labels(state.registry)):
        return text[:len(text) - len(last)].rstrip()
    return text


@functools.cache
def _table_labels(registry: Registry) -> frozenset[str]:
    """Every label the tables print (their blocks', columns', groups' and rows', aliases too), every installed
    format's, as compared."""
    out: set[str] = set()
    nodes: list[Any] = []
    for version in registry.formats:
        for block in (b for t in registry.format(version).tables for b in t.blocks):
            out |= {label.zh for label in (block.label, block.corner, block.columns_heading) if label is not None}
            out |= {label.zh for c in block.columns for label in (c.label, c.group) if label is not None}
            nodes += block.rows
    while nodes:
        node = nodes.pop()
        out.add(node.label.zh)
        out.update(getattr(node, "aliases", ()))
        nodes += getattr(node, "children", ())
    return frozenset(compact(fold(label)) for label in out)


def _view(state: State, span: Any) -> str:
    """A part's text in the matching view, compact (no whitespace, no footnote marks)."""
    if span is None:
        return ""
    return _squash(state.folded[span.body:span.end])


def _squash(text: str) -> str:
    """Matching-view text as counts are read in it: no whitespace, no footnote marks, rewordings read back."""
    text = "".join(text.split())
    if "[" in text:
        text = _MARKS.sub("", text)
    return compact(text) if "档" in text else text


#: words that make a count in their clause last year's (上年共收到…52件, 办理上年结转的申请4件), unless one of
#: _THIS_YEAR follows them there (与上年相比本年收到…49件); a clause ends at a separator of the view, and is looked
#: back at only so far (a text without separators costs no more than a bounded read per match)
_LAST_YEAR: Final = ("上年", "去年", "上一年", "同比")
_THIS_YEAR: Final = ("本年", "今年")  # not 全年, 当年: 上年全年收到…, 去年当年…
_CLAUSE_ENDS: Final = "。;,:"
_CLAUSE_REACH: Final = 40


def _first(text: str, pattern: re.Pattern[str], pos: int = 0) -> re.Match[str] | None:
    """The first match of a statement pattern from ``pos`` on that no qualifier precedes and that is no count of
    last year's (``finditer``'s matches in turn): none when the text states only last year's."""
    m = pattern.search(text, pos)
    while m is not None and (text.endswith(published.QUALIFIERS, 0, m.start()) or _last_year(text, m)):
        m = pattern.search(text, m.end())
    return m


def _last_year(text: str, m: re.Match[str]) -> bool:
    """Whether the clause of a statement, up to its count, speaks of last year (and not of this year after it)."""
    clause = text[max(0, m.start() - _CLAUSE_REACH):m.start(1)]
    clause = clause[max(clause.rfind(c) for c in _CLAUSE_ENDS) + 1:]
    last = max(clause.rfind(w) for w in _LAST_YEAR)
    return last >= 0 and not any(w in clause[last:] for w in _THIS_YEAR)


def _earliest(text: str, words: tuple[str, ...], lead: int) -> int:
    """Where a statement pattern that must hold one of ``words`` at most ``lead`` characters after its start can
    start at the earliest (:data:`.published.NUMBER_FIRST`, :data:`.published.WORDS_AFTER`, a pattern's literal
    head): the regex engine tries their first characters at every character (-1: nowhere).  Each word is looked for
    from where its last character first stands (a one-character find runs at memchr's speed, a word's at a few
    instructions a character; most texts hold none of most words)."""
    found = -1
    for word in words:
        at = text.find(word[-1], len(word) - 1)
        if at >= 0 and (at := text.find(word, at - len(word) + 1)) >= 0 and (found < 0 or at < found):
            found = at
    return max(0, found - lead) if found >= 0 else -1


def stated(text: str, spec: FormatSpec) -> dict[str, Any]:
    """Counts the narrative states (the first statement of each)."""
    out: dict[str, Any] = {}
    for name, patterns in _stated_plans(spec):
        for pattern, words, lead in patterns:
            start = _earliest(text, words, lead) if words else 0
            if start >= 0 and (m := _first(text, pattern, start)):
                value = _fee(m.group(1)) if name == "fees" else int(m.group(1).replace(",", ""))
                if value is not None:
                    out[name] = value
                break
    return out


#: what a pattern's literal head ends at: a character the engine reads as syntax
_SYNTAX: Final = frozenset("\\.^$*+?{}[]|()")


def _literal_head(pattern: str) -> str:
    """The literal every match of ``pattern`` starts with ("" if none): its first characters that are no syntax,
    but the last of them when a quantifier follows it (结转?: only 结 is sure)."""
    end = next((i for i, c in enumerate(pattern) if c in _SYNTAX), len(pattern))
    return pattern[:end - 1] if end and pattern[end:end + 1] in ("*", "?", "{", "+") else pattern[:end]


@functools.cache
def _stated_plans(spec: FormatSpec) -> tuple[tuple[str, tuple[tuple[re.Pattern[str], tuple[str, ...], int], ...]], ...]:
    """:func:`.published.stated_patterns` of ``spec``, each pattern with the words one of which a match must hold
    and how far before the first of them it can start (:func:`_earliest`): the number-first and words-after
    patterns' words (:data:`.published.NUMBER_FIRST`, :data:`.published.WORDS_AFTER`), else the literal it starts
    with (most texts state few of these counts: the engine read the whole text for each, where ``str.find`` skips
    it at C speed); no words: searched from the text's start."""
    bounded = {(name, k): (words, lead) for name, k, words, lead in (published.NUMBER_FIRST, published.WORDS_AFTER)}
    return tuple((name, tuple((pattern, *(bounded.get((name, k))
                                          or (((head,), 0) if (head := _literal_head(pattern.pattern)) else ((), 0))))
                              for k, pattern in enumerate(patterns)))
                 for name, patterns in published.stated_patterns(spec).items())


def _fee(printed: str) -> str | None:
    """A fee as the model holds it (a decimal string of ASCII digits): 0980 is 980, ٣ is 3 and 3,940 is 3940 (the
    same amounts; the model refused the whole report for the first two); None for more decimals than an amount
    holds (no statement read).  The decimals are kept as printed (0.50)."""
    if len(printed.partition(".")[2]) > MAX_DECIMALS:
        return None
    # any decimal digit (what the pattern's \d matched), written in ASCII
    return format(Decimal(printed.replace(",", "")), "f")


@functools.cache
def _labels(registry: Registry) -> tuple[tuple[str, str], ...]:
    """Table 2's row labels, every installed format's (as compared), with their pointer prefix."""
    out: dict[str, str] = {}
    for version in registry.formats:
        for path, row, _ in registry.format(version).rows("proactive"):
            for form in label_forms(row):
                out[form] = f"/proactive/{'/'.join(path)}/"
    return tuple(out.items())


def stated_cells(text: str, labels: tuple[tuple[str, str], ...]) -> dict[str, int]:
    """Table-2 cells the narrative states, e.g. 制发…文件62件 -> normative_documents.issued = 62.

    Only a clause naming exactly one row and one column word, then one count, is taken.
    """
    out: dict[str, int] = {}
    if "件" not in text or not any(w in text for w in _CELL_WORD_LIST):  # most texts: no column word
        return out
    for clause in _clauses(text):
        if "件" not in clause:
            continue
        words = [col for col, ws in _CELL_WORDS if any(w in clause for w in ws)]
        if len(words) != 1 or len(numbers := _COUNT.findall(clause)) != 1:
            continue
        named = {prefix for label, prefix in labels if label in clause}
        if len(named) == 1:
            out.setdefault(next(iter(named)) + words[0], int(numbers[0]))
    return out


#: clauses naming a column word whose ends are searched from each one (few: a report names a handful); past them
#: every separator after is found at once, and each clause's ends by bisection (a text dense with such clauses)
DIRECT_CLAUSES = 8


def _clauses(text: str) -> Iterator[str]:
    """Each clause (between separators) that names a column word, once, in order.

    A clause's start is searched back only to the end of the clause before (no separator stands inside a
    clause), and each separator's next place is remembered until a word passes it: every character is read
    a bounded number of times (a search back and forth from each word was quadratic in a long text without
    separators: 8,000 words, 5 s).  Past :data:`DIRECT_CLAUSES` clauses, the separators after are listed at
    once and each clause's ends found by bisection."""
    separators = [c for c in _SEPARATORS if c in text]
    ahead = [-1] * len(separators)  # each separator's next place at or after a word's end (len(text): none)
    after = 0  # the end of the clause before: a word before it is in that clause, and a separator stands there
    read = 0
    cuts: list[int] | None = None
    for at, end in _cell_words(text):
        if at < after:
            continue
        if read == DIRECT_CLAUSES:
            cuts = [m.start() for m in _SEPARATOR.finditer(text, after)]
        read += 1
        if cuts is not None:
            k = bisect.bisect_left(cuts, at)
            start = cuts[k - 1] + 1 if k else 0
            k = bisect.bisect_left(cuts, end, k)
            after = cuts[k] if k < len(cuts) else len(text)
            yield text[start:after]
            continue
        start = after
        for i, c in enumerate(separators):
            start = max(start, text.rfind(c, start, at) + 1)
            if ahead[i] < end:
                found = text.find(c, end)
                ahead[i] = len(text) if found < 0 else found
        after = min(ahead, default=len(text))
        yield text[start:after]


def _cell_words(text: str) -> Iterator[tuple[int, int]]:
    """Where each column word stands in ``text``, in order, as a regex of them all in one alternation finds them
    (of words starting at one place the first listed; the next from the end of the one before): each word found by
    ``str.find`` (at C speed, where the engine tries the words' first characters at each character), again only
    when the word before passed it."""
    words = _CELL_WORD_LIST
    ahead = [text.find(w) for w in words]  # each word's next place (-1: none)
    while True:
        at, k = -1, -1
        for i, found in enumerate(ahead):
            if found >= 0 and (at < 0 or found < at):
                at, k = found, i
        if k < 0:
            return
        end = at + len(words[k])
        yield at, end
        for i, found in enumerate(ahead):
            if 0 <= found < end:
                ahead[i] = text.find(words[i], end)
