"""Stage ``regions``: where the report is in its text, its title, each part's heading and body, and
where each table sits inside its part.

A part starts after its *whole* heading, however it is worded (the form's words, spaced or not,
or a published variant: :mod:`govdisclosure.formats.published`; numbered 一、 or otherwise, 第一部分, 1.), and ends
where the next part's heading starts.  A heading named before its part (a 目录, a preamble listing the parts, a
heading quoted in a sentence) is the text it stands in; a part printed out of the form's order is still found.
The report ends where a web page's frame begins (上一篇, related links, the footer); lines of the frame before
it (breadcrumb, the page's info table) are not the report's text either.  A table binds rows only inside its own
region: from its first structural mark (a block's title such as 第二十条…, a column header, the first row at a
line's start) to its last number.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import re
from collections.abc import Iterable, Iterator
from typing import Final, NamedTuple

from ..findings import Finding
from ..formats import published
from ..formats.spec import FormatSpec, Label, iter_rows
from ..io.envelope import PROVENANCE
from ..io.marks import DOUBT, DOUBTS
from . import findings as F
from .normalise import fold
from .numerals import ZH_DAY, ZH_MONTH, ZH_MONTH_CHARS, ZH_YEAR, number
from .patterns import compiled
from .state import State
from .tokens import IMAGE_MARK

__all__ = ["Span", "regions", "second_report", "title_span"]


class Span(NamedTuple):
    """Offsets into the text: a part's heading starts at ``start``, its body runs ``body``–``end``."""

    start: int
    body: int
    end: int


#: the report's title: agency, year, then the words every title ends with (spaces and a line break allowed);
#: no date's month and no page's key between them (2021年1月20日标题: …: a signature, then another's title)
_TITLE_YEAR: Final = compiled(rf"(?:20\d\d|{ZH_YEAR})(?=\s*年)")  # 2023年, 二〇二三年
_TITLE_WORDS: Final = r"政\s*(?:府\s*信\s*息|务)\s*公\s*开\s*(?:工\s*作\s*)?(?:年\s*度\s*)?报\s*告"
_TITLE_TAIL: Final = compiled(rf"\s*年度?(?![\s\d{ZH_MONTH_CHARS}]*月)\s*(?P<after>[^\n。;:：《》]{{0,40}}?)"
                              + _TITLE_WORDS)
#: a title whose year follows its words, in brackets (…政府信息公开工作年度报告（2023年）): its words before the
#: year's bracket, and the bracket's end after the year
_WORDS_BEFORE_YEAR: Final = compiled(_TITLE_WORDS + r"\s*\(\s*$")
_YEAR_CLOSED: Final = compiled(r"\s*年度?\s*\)")
#: the first of the two years a title covers, with its dash (来凤县司法局2019—2020年度…): no part of the agency's name
_FIRST_OF_TWO: Final = compiled(rf"(?:20\d\d|{ZH_YEAR})\s*(?:年度?)?\s*(?:[—―–~-]+|至|到)\s*$")
#: what follows the first of a title's two years to the second (2019年—2020年度, 2019年至2020年度)
_TO_SECOND: Final = compiled(rf"(?:[—―–~-]+|至|到)\s*(?:20\d\d|{ZH_YEAR})\s*年")
#: what ends an agency's name before its title's words in no name (青田县市场监督管理局关于2023年…报告)
_ABOUT: Final = compiled(r"\s*关\s*于$")
#: a date as a signature prints it, in digits or in Chinese numerals (二〇二四年元月二十二日)
_DATE_ZH: Final = rf"(?:20\d\d|{ZH_YEAR})\s*年\s*(?:\d{{1,2}}|{ZH_MONTH})\s*月\s*(?:\d{{1,2}}|{ZH_DAY})\s*日"
#: where a text may end on a line another continues: a sentence's end or a date (a signature's)
_GLUE: Final = compiled(r"[。!?;！？；]|" + _DATE_ZH)
#: what may stand before a title on its line and still leave it alone there: no words (a page number, marks)
_NO_WORDS: Final = compiled(r"[^\u4e00-\u9fffA-Za-z]*")
#: the agency before the year is at most this long, and stops at a line or a sentence
TITLE_AGENCY_MAX: Final = 60
#: the head of the text searched for the title
TITLE_WINDOW: Final = 3000
#: a line that is only a heading (no sentence after it) is at most this long, numeral included
HEADING_LINE_MAX: Final = 40
#: words a heading printed alone on its line may have beyond a known wording (its words, then 概述)
HEADING_TAIL_MAX: Final = 6
_LEAD: Final = compiled(r"^.*(?:公布|发布|编制|印发|标题\s*[:：|]|名称\s*[:：|]|现将)\s*")
_SQUEEZE: Final = compiled(r"(?<=[\u4e00-\u9fff\d])\s+(?=[\u4e00-\u9fff\d])|\s*\n\s*")
_RULE: Final = compiled(r"^\s*[=\-—_*#]{3,}")
#: what an agency alone on its line never holds
_CLAUSE_MARK: Final = compiled(r"[。,;:：]")
#: a title is no sentence: one followed by a sentence's or clause's mark is named in one (现特向社会公布 / 2020年度…
#: 年度报告。全文由…: a PDF's line wrapped before its year), even at a line's start
_CLAUSE_AFTER: Final = compiled(r"[ \t]*[。,;、]")
#: the last of what ends the text before a title's year (a line, a sentence, a clause, a cited title), searched
#: backwards: the greedy ``.*`` runs to the end and steps back to it
_LAST_BEFORE_YEAR: Final = compiled(r".*[\n。;:：《》]", re.S)


def _squeeze(text: str) -> str:
    if text.split(None, 1) == [text]:  # no whitespace (``split``'s is re's ``\s``): nothing to squeeze or strip
        return text
    return _SQUEEZE.sub("", text).strip()


def _agency_above(folded: str, year: int, start: int, glued: bool = False) -> tuple[str, int]:
    """The agency alone on the line above a title that starts with its year (淮安市人民政府 /
    2024 年政府信息公开工作年度报告), with where it starts; else ("", start).  ``glued``: or after the
    last sentence or date on that line (another report's agency run on from this one's last line)."""
    line_start = folded.rfind("\n", 0, year) + 1
    if folded[line_start:year].strip() or not line_start:
        return "", start
    above_start = folded.rfind("\n", 0, line_start - 1) + 1
    if glued:
        if ends := [m.end() for m in _GLUE.finditer(folded, above_start, line_start - 1)]:
            above_start = ends[-1]
        above_start = _NO_WORDS.match(folded, above_start, line_start - 1).end()  # type: ignore[union-attr]
    above = folded[above_start:line_start - 1].strip()
    # a table row's cells (a page's info box: 文号 | — | 有效性 | 有效) are no agency line (review 13a #9)
    if above and len(above) <= TITLE_AGENCY_MAX // 2 and not _CLAUSE_MARK.search(above) and "|" not in above:
        return above, folded.index(above, above_start)
    return "", start


def title_span(folded: str, limit: int, glued: bool = False, wraps: bool = False,
               ) -> tuple[int, int, str, str, int, bool] | None:
    """(start, end, title, agency, year, alone) of the report's title before ``limit``, or None.

    A title printed as a title (at a line's start, or right after the same title printed once
    more) beats one named in a sentence (现向社会公布…年度报告); the last such wins (a page's
    info table may name it first).  ``alone`` says it is printed as a title.  ``glued``: the agency may
    follow another text's last sentence on the line above (:func:`_agency_above`).  ``wraps``: a line may
    wrap inside the title (a PDF's, or a text copied from one: :func:`_wrapped_above`).
    """
    best: tuple[int, int, str, str, int, bool] | None = None
    previous_end = 0
    for y in _TITLE_YEAR.finditer(folded, 0, min(limit, TITLE_WINDOW)):
        if y.start() < previous_end:
            continue  # inside the title before
        lo = max(previous_end, y.start() - TITLE_AGENCY_MAX)
        # 2019年—2020年度…: the title is the second year's (its agency before the first), not the first's
        if (tail := _TITLE_TAIL.match(folded, y.end())) and not _TO_SECOND.match(tail.group("after")):
            words, end, after = y.start(), tail.end(), tail.group("after")
        elif (closed := _YEAR_CLOSED.match(folded, y.end())) and (
                paren := _WORDS_BEFORE_YEAR.search(folded, max(previous_end, lo - TITLE_AGENCY_MAX), y.start())):
            words, end, after = paren.start(), closed.end(), ""  # …年度报告（2023年）
            lo = max(previous_end, words - TITLE_AGENCY_MAX)
        else:
            continue  # no title here
        if folded.count("《", 0, y.start()) > folded.count("》", 0, y.start()):
            continue  # the title of a cited document, not this report's
        lo = _before_year(folded, lo, words, end, previous_end) if wraps else _last_before_year(folded, lo, words)
        printed_before = folded[lo:words]
        led = _LEAD.sub("", printed_before)
        two = _FIRST_OF_TWO.search(led)
        years = words - len(led) + two.start() if two else words  # where the title's first year starts
        before = (led[:two.start()] if two else led).strip(" ,、")
        # after the lead it follows (…联合发布 / 市场监督管理局2023年…: not the same words earlier on the lead's line)
        start = lo + printed_before.find(before, len(printed_before) - len(led)) if before else years
        if not before and not after.strip():
            before, start = _agency_above(folded, years, start, glued)
        named = _squeeze(before or after).strip(" ,、")
        agency = _ABOUT.sub("", named).strip(" ,、")
        if not agency and _ABOUT.search(named):  # 关于2023年…报告: the agency may stand on the line above it
            agency, start = _agency_above(folded, start, start, glued)
        elif not agency:
            continue  # no agency named: no title here (关于2023年…报告 is a title, agency "" where none is above)
        again = start == previous_end  # the same title printed once more, right after
        alone = (not folded[folded.rfind("\n", 0, start) + 1:start].strip() or again) \
            and not _CLAUSE_AFTER.match(folded, end)
        previous_end = end
        found = (start, end, _squeeze(folded[start:end]), agency, number(y.group(0)), alone)
        # a later title printed alone replaces an earlier one unless a sentence runs on from it: a line starting
        # 青田县2023年政务公开工作年度报告另行发布。 names another report (a title's line may go on with a date,
        # 发布时间…, （全文）: a sidebar's link to another year's report above it is not the title)
        if best is None or (alone and (not best[5] or again or not _runs_on(folded, end))):
            best = found
    return best


#: what a title's line wrapped above its year's never holds: a sentence's or clause's mark, a digit (a date, a
#: document's number), a page's path, a table's cell, another title, a red header (…文件), words apart (a menu)
_NOT_WRAPPED: Final = compiled(r"[。,;:：!?！？|>\d]|报\s*告|文\s*件\s*$"
                               r"|(?<=[\u4e00-\u9fff）)])\s+(?=[\u4e00-\u9fff（(])")
#: how much narrower (in half-width characters) than the line under it a title's wrapped line may be
WRAP_SLACK: Final = 4


def _last_before_year(folded: str, lo: int, words: int) -> int:
    """Where the text before a title's year starts: after the last line, sentence, clause or cited title's end."""
    return m.end() if (m := _LAST_BEFORE_YEAR.match(folded, lo, words)) else lo


#: an agency's whole name: a place (淮安市, 临川县, 延边朝鲜族自治州; no piece of a word before its 市/区: 与市场…,
#: 区市场… are a name's wrapped tail) or the state's own prefix first, its brackets closed (中心） is a tail)
_WHOLE_NAME: Final = compiled(r"(?:中共|中国|国家|国务院"
                              r"|(?:(?![省市县区州盟旗镇乡与和及的、（）()])[\u4e00-\u9fff]){1,10}?"
                              r"(?:省|自治区|市|州|盟|地区|县|区|旗|镇|乡|街道))[^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*")


#: a department named by its level alone, as a city's or a district's site titles its departments' reports
#: (市生态环境局, 区教育局: review 12c #2): whole, though no place stands before it (市场…, 区域… are words, no level)
_BARE_DEPARTMENT: Final = compiled(r"(?:市(?!场)|区(?!域)|县|省|州)[\u4e00-\u9fff]{1,14}?"
                                   r"(?:局|委员会|委|办公室|办|中心|院|厅|署)")


def _before_year(folded: str, lo: int, words: int, end: int, floor: int) -> int:
    """:func:`_last_before_year`, or the start of the lines above the year's its agency wrapped from: not when the
    year's line holds a whole name before the year (a long line above it is no piece of a title that is whole)."""
    at = _last_before_year(folded, lo, words)
    if at > lo and folded[at - 1] == "\n" and (named := folded[at:words].strip()) \
            and not _whole(_ABOUT.sub("", _squeeze(_LEAD.sub("", named))).strip(" ,、")):
        return _wrapped_above(folded, at, min(end, _eol(folded, words)), floor)
    return at


def _whole(name: str) -> bool:
    return _WHOLE_NAME.fullmatch(name) is not None or _BARE_DEPARTMENT.fullmatch(name) is not None


def _eol(text: str, at: int) -> int:
    eol = text.find("\n", at)
    return len(text) if eol < 0 else eol


def _width(text: str) -> int:
    """How wide a line is printed, in half-width characters (a Chinese character is two), spaces aside."""
    return sum(1 if c.isascii() else 2 for c in text if not c.isspace())


def _wrapped_above(folded: str, line: int, stop: int, floor: int) -> int:
    """Where a title starts whose year's line (``line``–``stop``) starts inside its agency's name: the lines above
    it that its agency wrapped from (中国（福建）自由贸易试验区平潭片区管理委员会行 / 政审批与市场监督管理局 2024 年…),
    each as wide as the one under it (a wrapped line fills the width) and holding no sentence, date or page's frame;
    else ``line``.  A preamble's sentence, a 文号, a red header's shorter line or the page's path above is not
    the title's."""
    at, width = line, _width(folded[line:stop])
    while at > floor + 1:
        above = folded.rfind("\n", 0, at - 1) + 1
        text = folded[above:at - 1]
        if (above < floor or not text.strip() or _NOT_WRAPPED.search(text) or _FRAME_LINE.match(folded, above, at - 1)
                or _width(text) + WRAP_SLACK < width or line - above > TITLE_AGENCY_MAX):
            break
        at, width = above, _width(text)
    return at


def _runs_on(text: str, at: int) -> bool:
    """Whether a sentence goes on at ``at`` (a Chinese character right after, no space or bracket between)."""
    return at < len(text) and "\u4e00" <= text[at] <= "\u9fff"


class _ForSpec:
    """A format's patterns and labels as the functions ``*_of`` build them (each cached), kept for the format last
    asked (:func:`_for`): a cached function's call hashes its spec in Python (attrs' ``__hash__``, ~2,500
    instructions), where a report asks ~20 of them."""

    def __init__(self, spec: FormatSpec) -> None:
        self.spec = spec
        self.headings = _heading_regex_of(spec)
        self.rows = _row_starts_of(spec)
        self.any_heading = _any_heading_of(spec)
        self.merged_tail = _merged_tail_of(spec)
        self.officials = _official_headings_of(spec)
        self.numerals = tuple(_literal(published.heading_patterns(spec)[p.id][0]) for p in spec.parts)
        self.marks: dict[str, re.Pattern[str]] = {}
        self.first_rows: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {}
        self.labels: dict[str, str] = {}
        self.row_firsts: dict[str, bytes | None] = {}


#: the format last asked of :func:`_for`, and its patterns (one: every report of a run reads the same format); one
#: slot, read once and replaced whole, so that threads parsing reports of two formats at once never see it empty
_LAST_SPEC: Final[list[_ForSpec | None]] = [None]


def _for(spec: FormatSpec) -> _ForSpec:
    """``spec``'s patterns (:class:`_ForSpec`), built again only for another format than the last."""
    last = _LAST_SPEC[0]
    if last is not None and last.spec is spec:
        return last
    made = _ForSpec(spec)
    _LAST_SPEC[0] = made
    return made


def _literal(numeral: str) -> str | None:
    """A part's numeral as its patterns hold it, when it is a literal that no space starts (一), else None."""
    return numeral if numeral and re.escape(numeral) == numeral and not numeral[0].isspace() else None


def _heading_regex(spec: FormatSpec) -> tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]:
    return _for(spec).headings


@functools.cache
def _heading_regex_of(spec: FormatSpec) -> tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]:
    """Per part, in order: (id, its heading in any known wording, its numeral and key word on a line of its own)."""
    out = []
    for part in spec.parts:
        numeral, words = published.heading_patterns(spec)[part.id]
        strong = compiled(rf"{numeral}\s*[、.,]\s*(?:{words})(?:\s*[:：])?")
        keyed = compiled(rf"(?m)^[ \t]*{numeral}\s*[、.,][^\n。]{{0,24}}?(?:{published.PART_KEYS[part.id]})[^\n。]*$")
        out.append((part.id, strong, keyed))
    return tuple(out)


#: a row's or group's first words that tell it from a part's heading
ROW_START: Final = 6


def _row_starts(spec: FormatSpec) -> tuple[tuple[int, frozenset[str]], ...]:
    return _for(spec).rows


@functools.cache
def _row_starts_of(spec: FormatSpec) -> tuple[tuple[int, frozenset[str]], ...]:
    """The first words of every row and group label of the tables (a table's 一、…四、 rows are no part headings),
    by length: (length, the first words of that length)."""
    out = {row.label.zh[:ROW_START] for t in spec.tables for _, row, _ in spec.rows(t.id)}
    for t in spec.tables:
        for block in t.blocks:
            for _, _, groups in iter_rows(block.rows):
                out |= {g.zh[:ROW_START] for g in groups}
    lengths = sorted({len(start) for start in out})
    return tuple((n, frozenset(start for start in out if len(start) == n)) for n in lengths)


def _is_row(folded: str, at: int, rows: tuple[tuple[int, frozenset[str]], ...]) -> bool:
    """A table's row or group label starts at ``at`` (``rows``: :func:`_row_starts`), not a part's heading."""
    head = "".join(folded[at:at + 2 * ROW_START].split()).replace("(", "（").replace(")", "）")  # split: re's \s
    return any(head[:n] in starts for n, starts in rows)


Found = dict[str, tuple[int, int, int]]

#: what a heading named in a sentence follows (an opening quote or bracket: 按照"二、主动公开政府信息情况"栏目)
_OPENERS: Final = frozenset("“‘「『《\"'([【")
#: what follows a heading named in a sentence or a list (a closing quote or bracket, a clause's mark: 全文包括一、
#: 总体情况；二、…), where a printed heading is followed by its line's end or its part's text
_NAMED_AFTER: Final = compiled(r"[ \t]*[”’」』》\"')\]】;,、]")
#: what stands between the headings of a list of them (a 目录: line breaks, marks, dot leaders, a page's number)
_LIST_GAP: Final = compiled(r"[\s;,、。.…·_—|*#>\-]*(?:(?<=[\s.…·])\d{1,3}[ \t]*\n\s*)?")
#: a list of headings: a heading followed by this many more with nothing between them but :data:`_LIST_GAP`'s
LISTED_AFTER: Final = 2


def _any_heading(spec: FormatSpec) -> re.Pattern[str]:
    return _for(spec).any_heading


@functools.cache
def _any_heading_of(spec: FormatSpec) -> re.Pattern[str]:
    """Any part's heading in a known wording, numbered as the form numbers it or otherwise (group k + 1 for part
    k)."""
    return compiled("|".join(f"({strong.pattern}|{_otherwise(spec, k)})"
                             for k, (_, strong, _) in enumerate(_heading_regex_of(spec))))


def _named(folded: str, spec: FormatSpec, k: int, m: re.Match[str]) -> bool:
    """Part ``k``'s heading at ``m`` is named, not printed as one: in quotes (按照"二、…"的要求), in a sentence's list
    (…；二、…；), or in a list of headings (a 目录) — followed by more headings with nothing between, or by an
    earlier part's heading (the list ends where the report's first part starts)."""
    at = m.start()
    while at and folded[at - 1] in " \t":
        at -= 1
    if (at and folded[at - 1] in _OPENERS) or _NAMED_AFTER.match(folded, m.end()):
        return True
    heading, at, last = _any_heading(spec), m.end(), k
    for _ in range(LISTED_AFTER):
        nxt = heading.match(folded, _LIST_GAP.match(folded, at).end())  # type: ignore[union-attr]
        if nxt is None:
            return False
        if (part := (nxt.lastindex or 1) - 1) <= last:
            return True  # a part's heading again right after: this one was a list's
        at, last = nxt.end(), part
    return True


def _first_printed(folded: str, spec: FormatSpec, k: int, strong: re.Pattern[str], cursor: int, end: int,
                   rows: tuple[tuple[int, frozenset[str]], ...]) -> re.Match[str] | None:
    """Part ``k``'s first heading in [cursor, end) that is no table's row and is printed as a heading, not named
    (:func:`_named`); else the first that is no row (a heading followed by an empty part's may look listed).  A
    heading with no other after it is the part's whatever it looks like (and is not asked)."""
    first = None
    m = strong.search(folded, cursor, end)
    while m is not None:
        later = strong.search(folded, m.end(), end)
        # after a listed one, only a heading that starts a line or a sentence can be the part's: a mention inside
        # a sentence (…按照二、主动公开政府信息情况要求…) is not; the listed one was printed (its table an image)
        if not _is_row(folded, m.start(), rows) and (first is None or _starts_sentence(folded, m.start())):
            if later is None and first is None:
                return m
            if not _named(folded, spec, k, m):
                return m
            first = first or m
        m = later
    return first


def _starts_sentence(folded: str, at: int) -> bool:
    while at and folded[at - 1] in " \t\u3000":
        at -= 1
    return not at or folded[at - 1] in _SENTENCE_ENDS


#: what a heading printed as one follows (a line's start aside): the end of a sentence, in text run together
_SENTENCE_ENDS = frozenset("\n。！？；!?;")


def find_parts(folded: str, spec: FormatSpec, start: int, end: int) -> Found:
    """Part id -> (heading start, heading end, how: 0 a known wording, 1 its key word on a line of its
    own or a known wording otherwise numbered, 2 its table's own marks), in the order printed.

    A heading named before the parts (a 目录, a preamble listing them, one quoted in a sentence) is not the part's.
    Parts are looked for in the form's order; then by their key word; then, in a report that prints none of its
    headings as the form numbers them, numbered otherwise (第一部分, 1.); a part printed before the one it follows
    by its wording alone on its line before where it was looked for; and only then by its table's marks."""
    found: Found = {}
    cursor = start
    patterns, rows = _heading_regex(spec), _row_starts(spec)
    missed: dict[str, int] = {}  # a part not found after the part before it: where that part ended
    matches = []
    for k, (part, strong, _) in enumerate(patterns):
        if (m := _first_printed(folded, spec, k, strong, cursor, end, rows)) is not None:
            found[part] = (m.start(), _heading_end(folded, spec, m.end()), 0)
            cursor = m.end()
            matches.append((k, m))
        else:
            missed[part] = cursor
    if len(found) == len(patterns):  # every part by its wording, each after the one before: in order already
        return found
    _by_key_word(folded, spec, start, end, found)
    if not any(not _named(folded, spec, k, m) for k, m in matches):  # a report numbers its parts one way
        _otherwise_numbered(folded, spec, start, end, found)
    _out_of_order(folded, spec, start, missed, found)
    _by_table_marks(folded, spec, start, end, found)
    return dict(sorted(found.items(), key=lambda kv: kv[1][0]))


def _otherwise(spec: FormatSpec, k: int) -> str:
    """Part ``k``'s heading in a known wording numbered otherwise than the form's 一、: 第一部分, （一）, 一 and a space
    (a PDF's text for 、), 1. or 1、."""
    numeral, words = published.heading_patterns(spec)[spec.parts[k].id]
    return rf"(?:{_numbering(numeral, str(k + 1))})[ \t]*(?:{words})(?:[ \t]*:)?"


def _numbering(numeral: str, number: str) -> str:
    return (rf"第[ \t]*{numeral}[ \t]*部分[ \t]*[、.,:]?|\([ \t]*{numeral}[ \t]*\)|{numeral}(?=[ \t])"
            rf"|\(?{number}[ \t]*[、.,)](?!\d)")


@functools.cache
def _numbered_otherwise(spec: FormatSpec) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Any part's heading numbered otherwise (:func:`_otherwise`) at a line's start (group ``n``: its numbering, group
    k + 2: part k's words; a Markdown heading's or bold's marks may stand before it), and the same after a line
    break (a literal first character lets the engine skip to each line's start, where ``^`` in multi-line mode is
    tried at every character): one search for all six, numbering first (a line tries it once, not six times)."""
    numerals = "".join(published.heading_patterns(spec)[p.id][0] for p in spec.parts)
    words = "|".join(f"({published.heading_patterns(spec)[p.id][1]})" for p in spec.parts)
    line = rf"[ \t#*>]*(?P<n>{_numbering(f'[{numerals}]', f'[1-{len(spec.parts)}]')})[ \t]*(?:{words})(?:[ \t]*:)?"
    return compiled(line), compiled("\n" + line)


def _otherwise_numbered(folded: str, spec: FormatSpec, start: int, end: int, found: Found) -> None:
    """Parts not found yet: their heading in a known wording, numbered otherwise (:func:`_numbered_otherwise`) with
    their own number, alone on its line (a line that goes on is a list's item or a sentence), between the parts
    found before and after."""
    patterns, rows = _heading_regex(spec), _row_starts(spec)
    at_line, after = _numbered_otherwise(spec)
    first = at_line.match(folded, start, end) if not start or folded[start - 1] == "\n" else None
    for m in itertools.chain((first,) if first else (), after.finditer(folded, start, end)):
        k = (m.lastindex or 2) - 2
        numeral = published.heading_patterns(spec)[patterns[k][0]][0]
        if (part := patterns[k][0]) in found or not (numeral in m.group("n") or str(k + 1) in m.group("n")):
            continue
        at = m.start() + len(m.group(0)) - len(m.group(0).lstrip())  # its marks (## or **) with it
        lo, hi = _between(found, k, spec, start, end)
        heading_end = _heading_end(folded, spec, m.end())
        eol = folded.find("\n", m.end(), hi)
        if (lo <= at < hi and not folded[heading_end:hi if eol < 0 else eol].strip() and not _is_row(folded, at, rows)
                and not _named(folded, spec, k, m)):
            found[part] = (at, heading_end, 1)


def _out_of_order(folded: str, spec: FormatSpec, start: int, missed: dict[str, int], found: Found) -> None:
    """Parts not found between their neighbours: their heading in a known wording alone on its line before where
    they were looked for (``missed``: a part printed before the one it follows, 四 before 三), outside the
    headings found."""
    rows = _row_starts(spec)
    for k, (part, strong, _) in enumerate(_heading_regex(spec)):
        if part in found or part not in missed:
            continue
        for m in strong.finditer(folded, start, missed[part]):
            inside = any(a <= m.start() < max(b, a + 1) for a, b, _ in found.values())
            if not inside and _alone(folded, m) and not _is_row(folded, m.start(), rows) \
                    and not _named(folded, spec, k, m):
                found[part] = (m.start(), _heading_end(folded, spec, m.end()), 0)
                break


def _between(found: Found, k: int, spec: FormatSpec, start: int, end: int) -> tuple[int, int]:
    """Where part ``k`` may stand: between the parts found before and after it."""
    lo: int | None = None  # the latest end of a heading found before part k's, else start
    hi: int | None = None  # the earliest start of one found after it, else end
    for i, (p, _, _) in enumerate(_heading_regex(spec)):
        if i != k and (at := found.get(p)) is not None:
            if i < k:
                lo = at[1] if lo is None else max(lo, at[1])
            else:
                hi = at[0] if hi is None else min(hi, at[0])
    return start if lo is None else lo, end if hi is None else hi


def _by_key_word(folded: str, spec: FormatSpec, start: int, end: int, found: Found) -> None:
    """Parts not found by their wording: a line of their own with their numeral and key word."""
    patterns = _for(spec)
    for k, (part, _, keyed) in enumerate(patterns.headings):
        if part in found:
            continue
        lo, hi = _between(found, k, spec, start, end)
        numeral = patterns.numerals[k]
        m = keyed.search(folded, lo, hi) if numeral is None else _keyed_line(folded, numeral, keyed, lo, hi)
        while m is not None:
            at = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
            if len(m.group(0).strip()) <= HEADING_LINE_MAX and not _is_row(folded, at, patterns.rows):
                found[part] = (at, m.end(), 1)
                break
            # the next of ``keyed.finditer(folded, lo, hi)``: its matches are never empty
            m = keyed.search(folded, m.end(), hi) if numeral is None else _keyed_line(folded, numeral, keyed, m.end(),
                                                                                       hi)


def _keyed_line(folded: str, numeral: str, keyed: re.Pattern[str], at: int, hi: int) -> re.Match[str] | None:
    """``keyed.search(folded, at, hi)`` (:func:`_heading_regex`'s third: a line's start, spaces or tabs, ``numeral``),
    tried only at the lines whose first character but spaces and tabs is the numeral's, each found by ``str.find``:
    the engine tries a ``^`` in multi-line mode at every character (~100 instructions each)."""
    n = folded.find(numeral, at, hi)
    while n >= 0:
        line = folded.rfind("\n", 0, n) + 1
        if line >= at and not folded[line:n].strip(" \t") and (m := keyed.match(folded, line, hi)) is not None:
            return m
        n = folded.find(numeral, n + 1, hi)
    return None


def _by_table_marks(folded: str, spec: FormatSpec, start: int, end: int, found: Found) -> None:
    """A table whose part heading an excerpt or page dropped: its own marks (a block's title, a header)."""
    tables = {t.id for t in spec.tables}
    for k, (part, _, _) in enumerate(_heading_regex(spec)):
        if part in found or part not in tables:
            continue
        lo, hi = _between(found, k, spec, start, end)
        m = _table_marks(spec, part).search(folded, lo, hi)
        if (at := m.start() if m is not None else _first_row(folded, spec, part, lo, hi)) is not None:
            found[part] = (at, at, 2)


def _merged_tail(spec: FormatSpec) -> re.Pattern[str]:
    return _for(spec).merged_tail


@functools.cache
def _merged_tail_of(spec: FormatSpec) -> re.Pattern[str]:
    """A later part's heading words run on from a heading on its line (五、存在的主要问题及改进情况和其他需要报告的事项:
    parts merged under one heading), then nothing more on the line."""
    words = "|".join(published.heading_patterns(spec)[part.id][1] for part in spec.parts[1:])
    return compiled(rf"[ \t]*(?:和|及|与|以及|、|,)?[ \t]*(?:{words})[ \t]*:?[ \t]*(?=\n|$)")


def _heading_end(folded: str, spec: FormatSpec, at: int) -> int:
    """Where a heading whose known wording ends at ``at`` ends: its line's end when it is printed alone there with
    a few words more (:func:`_line_end_if_heading`) or another part's words (:func:`_merged_tail`)."""
    if at == len(folded) or folded[at] == "\n":
        return at  # the common case: nothing after it on its line
    if (eol := _line_end_if_heading(folded, at)) != at:
        return eol
    m = _merged_tail(spec).match(folded, at)
    return at if m is None else m.end()


def _line_end_if_heading(folded: str, at: int) -> int:
    """A heading printed alone on its line owns the rest of the line (a variant's extra words)."""
    eol = folded.find("\n", at)
    eol = len(folded) if eol < 0 else eol
    if eol - at > HEADING_TAIL_MAX and not folded[at + HEADING_TAIL_MAX].isspace():
        return at  # more than a tail's words (without copying the line: a text on one line is all one line)
    rest = folded[at:eol].rstrip()
    if rest and len(rest) <= HEADING_TAIL_MAX and not rest[0].isspace() and not _NO_HEADING_TAIL.search(rest):
        return eol
    return at


#: what a heading's extra words on its line never hold
_NO_HEADING_TAIL: Final = compiled(r"[。;,:\d\s]")
#: a page's frame after the report (FRAME_END, whose lines start with ``^``), or the heading of the cells' provenance
#: our Markdown prints after the parts (单元格来源, its heading's marks gone: :mod:`.decode`)
_FRAME_ENDS: Final = rf"(?:{published.FRAME_END.pattern.removeprefix('^')}|[^\S\n]*{re.escape(PROVENANCE.zh)}[^\S\n]*$)"
_FRAME_END_LINE: Final = compiled("^" + _FRAME_ENDS, re.M)
#: the same from a line break on (the reference of :func:`_frame_end`'s line test, which replaced it: kept for
#: tests/test_regions_fast.py)
_FRAME_END_AFTER_BREAK: Final = compiled("\n" + _FRAME_ENDS, re.M)


#: the characters below this one (the Basic Multilingual Plane) are looked up in a table of one byte each
_TABLED: Final = 0x10000


def _char_table(chars: Iterable[str]) -> bytes:
    """1 at each of ``chars`` (all below :data:`_TABLED`), 0 elsewhere: a lookup by ``ord`` that makes no string."""
    table = bytearray(_TABLED)
    for char in chars:
        table[ord(char)] = 1
    return bytes(table)


#: the first character (blanks aside) of every line :data:`_FRAME_ENDS` matches, but the lines it matches by a word
#: anywhere in their first words (…ICP备…, …公网安备: :data:`_FRAME_ANYWHERE`); a test reads them from the pattern
_FRAME_FIRST: Final = frozenset("上下相【打关分扫网主承版技政C©" + PROVENANCE.zh[:1])
_FRAME_ANYWHERE: Final = ("ICP备", "公网安备")
_FRAME_FIRST_TABLE: Final = _char_table(_FRAME_FIRST)
#: no character from this one on is a space (``str.isspace``: U+3000 is the last; a test checks)
_NO_SPACE_FROM: Final = 0x3001


def _frame_end(folded: str, start: int, end: int) -> int | None:
    """Where the first line in [start, end) that starts a page's frame starts (``_FRAME_END_LINE``'s search)."""
    if not start:
        m = _FRAME_END_LINE.search(folded, start, end)
        return m.start() if m else None
    return _frame_line(folded, start, end)


def _frame_line(folded: str, start: int, end: int) -> int | None:
    """``_FRAME_END_AFTER_BREAK.search(folded, start - 1, end)``'s line (``start`` > 0), the pattern tried only on the
    lines that may start a frame (:data:`_FRAME_FIRST`, :data:`_FRAME_ANYWHERE`): tried on every line, its
    ``.{0,40}ICP备`` reads each line's first 40 characters, back and forth (~1,000 instructions a line)."""
    line = start if folded[start - 1] == "\n" else folded.find("\n", start, end) + 1
    if not line:
        return None
    icp, mps = _FRAME_ANYWHERE
    at_icp, at_mps = folded.find(icp, line, end), folded.find(mps, line, end)
    while line < end:
        eol = folded.find("\n", line, end)
        eol = end if eol < 0 else eol
        if 0 <= at_icp < line:  # passed: the next after this line's start
            at_icp = folded.find(icp, line, end)
        if 0 <= at_mps < line:
            at_mps = folded.find(mps, line, end)
        if (_frame_first(folded, line, eol) or 0 <= at_icp < eol or 0 <= at_mps < eol) \
                and _FRAME_END_LINE.match(folded, line, end) is not None:
            return line
        line = eol + 1
    return None


def _frame_first(folded: str, line: int, eol: int) -> bool:
    """Whether the line's first character but spaces is one of :data:`_FRAME_FIRST`."""
    for i in range(line, eol):
        c = ord(folded[i])
        if c < _TABLED and _FRAME_FIRST_TABLE[c]:
            return True
        if c >= _NO_SPACE_FROM or not folded[i].isspace():
            return False
    return False
#: the report's signature date alone on its line (its last line when a page's frame follows)
_SIGNED: Final = compiled(r"[ \t]*" + _DATE_ZH + r"[ \t]*")
#: a line that says nothing of a report: no sentence's or clause's mark, no table's row (a '|', two numbers); a
#: short key first (附件：…) or a colon last (相关阅读：)
_NO_STATEMENT: Final = compiled(r"(?:[^\n。;；!?！？|:：\d]{1,6}[:：])?"
                                r"[^\n。;；!?！？|:：\d]*(?:\d+[^\n。;；!?！？|:：\d]*)?(?:[:：][ \t]*)?")


#: lines after a signature that are the report's own, though they state no sentence: a note, a contact, an annex
#: table, the document's disclosure mark (review 11b, #3)
_REPORTS_OWN: Final = compiled(r"[ \t]*[（(]?[ \t]*(?:注|联系|此件|附表|附：)")


def _signed_off(folded: str, last: int, end: int) -> int | None:
    """Where the report ends when only lines that state nothing (a page's link lists and their boxes' headings, an
    attachment's name) follow its signature's date after its last heading: the page's frame, not part 6 (probe 11b
    #6).  Its lines are looked at from the end up, each once, to the first that states something."""
    at, passed = end, False
    while at > last:
        line = folded.rfind("\n", last, at - 1) + 1 if at - 1 > last else last
        if line <= last:
            return None
        stop = at - 1 if folded[at - 1:at] == "\n" else at
        if _SIGNED.fullmatch(folded, line, stop):
            return stop if passed else None
        if not _NO_STATEMENT.fullmatch(folded, line, stop) or _REPORTS_OWN.match(folded, line, stop):
            return None
        passed = passed or bool(folded[line:stop].strip())
        at = line
    return None


#: a table printed (not a sentence naming it): this many numbers after its first mark, before a sentence ends
TABLE_NUMBERS_MIN: Final = 6
#: how far after its mark a table's numbers are counted, and how far after part 2's heading its table starts
TABLE_LOOK: Final = 600
_GLUED_BEFORE: Final = compiled(r"(?:[。!?;！？；]|" + _DATE_ZH + r")[ \t]*$")
#: a date a line starts with (the signature's), not a period's first day (2024年1月1日至…)
_DATE_FIRST: Final = compiled(r"[ \t]*" + _DATE_ZH + r"(?![ \t]*[至到起\-—~－])")
#: a page's title key right before a title (标题: …)
_TITLE_KEY: Final = compiled(r"(?:标题|名称)\s*[:：][ \t]*$")
#: a page's frame starting on the line where this report's last sentence or date ends
_GLUED_FRAME: Final = compiled(r"(?:[。!?;！？；]|" + _DATE_ZH + r")[ \t]*"
                          r"(?P<frame>(?:标题|名称)\s*[:：]|【\s*字体|当前位置|您现在的位置)"
                          r"|(?P<key>(?:标题|名称)\s*[:：][^\n:：]{0,80}?报\s*告[ \t]*$|【\s*字体[^\n]{0,40}$)")
#: frame lines that only a page prints (a report's own last lines may say 日期, 时间 or 来源, or be a rule)
_PAGE_FRAME: Final = compiled(r"(?:" + published.FRAME_START.pattern + "|" + published.FRAME_END.pattern + "|"
                         + published.SCRAPE_FRAME.pattern + r"|\s*(?:" + "|".join(
                             k for k in published.INFO_KEYS if k not in ("日期", "时间", "来源")) + r")\s*[:：])", re.M)


def _alone(folded: str, m: re.Match[str]) -> bool:
    """A heading printed alone on its line (a variant's few extra words allowed), not one a sentence follows."""
    if folded[folded.rfind("\n", 0, m.start()) + 1:m.start()].strip():
        return False
    eol = folded.find("\n", m.end())
    eol = len(folded) if eol < 0 else eol
    return not folded[m.end():eol].strip() or _line_end_if_heading(folded, m.end()) == eol


def _printed_table(folded: str, spec: FormatSpec, table: str, at: int, stop: int) -> bool:
    """Table ``table`` printed in [at, stop): a mark of it, then its numbers before any sentence ends."""
    m = _table_marks(spec, table).search(folded, at, stop)
    if m is None:
        return False
    dot = folded.find("。", m.end(), m.end() + TABLE_LOOK)
    numbers = (n for n in _NUMBER.finditer(folded, m.end(), dot if dot >= 0 else m.end() + TABLE_LOOK)
               if not _COUNTED.match(folded, n.start()))
    return sum(1 for _ in zip(numbers, range(TABLE_NUMBERS_MIN), strict=False)) >= TABLE_NUMBERS_MIN


def _repeated_headings(folded: str, spec: FormatSpec, parts: Found) -> Iterator[tuple[int, bool]]:
    """Part 1's heading printed again after this report's part 2, and part 2's after it; with whether they are
    printed as headings (each alone on its line, or part 2's followed by its table), not named in sentences."""
    (first, strong1, _), (second, strong2, _) = _heading_regex(spec)[:2]
    rows = _row_starts(spec)
    if first not in parts:
        return
    lo = parts[second][1] if second in parts else parts[first][1]
    for m in strong1.finditer(folded, lo):
        if _is_row(folded, m.start(), rows):
            continue
        m2 = strong2.search(folded, m.end())
        while m2 is not None and _is_row(folded, m2.start(), rows):
            m2 = strong2.search(folded, m2.end())
        if m2 is None:
            return
        yield m.start(), (_alone(folded, m) and _alone(folded, m2)) or _printed_table(
            folded, spec, spec.tables[0].id, m2.end(), m2.end() + TABLE_LOOK)


def _repeated_tables(folded: str, spec: FormatSpec, parts: Found, memo: TableSpans, annex: Annex | None,
                     ) -> Iterator[tuple[int, bool]]:
    """Table 2 printed again (its marks and numbers), then table 3's marks, after this report's last heading
    and its annex (:func:`_annex`), when this report printed its own table 2 in its part 2 or its annex."""
    table2, table3 = spec.tables[0].id, spec.tables[1].id
    if table2 not in parts or table3 not in parts:
        return
    if annex is not None and table2 in annex.tables:
        a, b, _ = annex.tables[table2]
    else:
        a, b, _ = _table_span(folded, Span(parts[table2][0], parts[table2][1], parts[table3][0]), spec, table2, memo)
    if not _NUMBER.search(folded, a, b):
        return
    marks, marks3 = _table_marks(spec, table2), _table_marks(spec, table3)
    m = marks.search(folded, max(max(v[1] for v in parts.values()), annex.end if annex is not None else 0))
    m3 = marks3.search(folded, m.end()) if m is not None else None
    while m is not None and m3 is not None:
        if _printed_table(folded, spec, table2, m.start(), m.end()):
            yield m.start(), True
            return
        m = marks.search(folded, m.end())
        if m is not None and m.end() > m3.start():
            m3 = marks3.search(folded, m.end())


_SENTENCE_END: Final = compiled(r"[。!?;！？；]")
_PRINTED: Final = compiled(r"\S")
#: lines of a page's frame or blank ones, which stand before a report as much as after one
_FRAME_LINE: Final = compiled(r"(?:" + published.FRAME_START.pattern + "|" + published.FRAME_END.pattern + "|"
                         + published.SCRAPE_FRAME.pattern + r"|\s*(?:" + "|".join(published.INFO_KEYS)
                         + r")\s*[:：]|\s*[=\-—_*#]{3,}|\s*$)", re.M)


def _back_over_frame(folded: str, at: int, floor: int) -> tuple[int, bool]:
    """``at`` (a line's start) moved up over the page-frame and blank lines above it, not above ``floor``; and
    whether a line only a page prints is among them.  A frame that starts on the line where this report's last
    sentence or date ends starts there."""
    framed = False
    while at > floor:
        above = folded.rfind("\n", 0, at - 1) + 1
        if above < floor or not _FRAME_LINE.match(folded, above, at - 1):
            if glued := [m.start(m.lastgroup or 0) for m in _GLUED_FRAME.finditer(folded, max(above, floor), at - 1)]:
                return (above if above >= floor and _NO_WORDS.fullmatch(folded, above, glued[-1]) else glued[-1]), True
            break
        framed = framed or _PAGE_FRAME.match(folded, above, at - 1) is not None
        at = above
    return at, framed


def _as_title(folded: str, start: int, end: int) -> tuple[int, bool]:
    """Where a title found at ``start``–``end`` starts as printed (its page's 标题: key, its first copy when
    printed twice), and whether it is printed as a title: on a line of its own, or right after this report's
    last sentence or date, or after its page's key; not followed by a sentence's next words."""
    twice = end - start <= start and folded[start - (end - start):start] == folded[start:end]
    if twice:
        start -= end - start  # printed twice (a page's title, then the document's)
    line_start = folded.rfind("\n", 0, start) + 1
    if key := _TITLE_KEY.search(folded, max(line_start, start - 40), start):
        start = key.start()
    led = (_NO_WORDS.fullmatch(folded, line_start, start)
           or _GLUED_BEFORE.search(folded, max(line_start, start - 40), start))
    return start, twice or key is not None or (led is not None and (end == len(folded) or folded[end].isspace()))


class Annex(NamedTuple):
    """Tables printed after the report's last part (an annex after the signature: 附件1 / its caption / the table),
    each where its part prints none: where the annex starts (the first table's 附件 line), where its last table
    ends, and each table's span (the prose after one, up to the next table's 附件 line, its note)."""

    start: int
    end: int
    tables: dict[str, TableSpan]


#: an annex's line before its table: 附件1, 附表2：…, 表一 主动公开政府信息情况
_ANNEX_HEAD: Final = compiled(r"[ \t]*(?:附[ \t]*[件表][ \t]*[0-9一二三四五六七八九十]*|表[ \t]*[0-9一二三四]+)"
                              r"[ \t]*(?:[:：、.][^\n。;；!?！？|]{0,40})?(?:[ \t][^\n。;；!?！？|]{0,40})?")
#: a table's caption on the line under its 附件 line (主动公开政府信息情况): no sentence, no row
_CAPTION: Final = compiled(r"[^\n。;；!?！？|:：]{1,40}")


def _annex(folded: str, spec: FormatSpec, parts: Found, end: int, memo: TableSpans) -> Annex | None:
    """The tables printed after the last part's heading, before ``end`` and before any part 1's heading printed
    again, whose parts print none of their numbers (具体情况详见附件1。): each found at its first structural mark
    followed by its numbers (:func:`_printed_table`), its span from that mark's line to the next table's 附件
    line.  None when no table is printed there (an annex that is another document: 附件：关于…的通知)."""
    if not parts:
        return None
    last = max(v[1] for v in parts.values())
    order = sorted(parts.items(), key=lambda kv: kv[1][0])
    stops = {p: order[i + 1][1][0] if i + 1 < len(order) else end for i, (p, _) in enumerate(order)}
    missing = [t.id for t in spec.tables if t.id in parts and not _cells_printed(
        folded, _table_span(folded, Span(*parts[t.id][:2], max(parts[t.id][1], stops[t.id])), spec, t.id, memo))]
    if not missing:
        return None
    end = min(end, next((at for at, _ in _repeated_headings(folded, spec, parts)), end))
    marks = sorted(at for at in (_printed_after(folded, spec, table, last, end) for table in missing) if at)
    if not marks:
        return None
    floor, sections = last, []
    for at, table in marks:
        at = max(at, floor)
        while at > floor and _label_pieces(folded[(above := folded.rfind("\n", 0, at - 1) + 1):at].split(), spec,
                                           table) and above >= floor:
            at = above  # a header's line above its first mark (行政复议 | 行政诉讼 over 结果维持 …)
        sections.append((_annex_start(folded, at, floor), at, table))
        floor = at
    tables = {}
    for i, (_, at, table) in enumerate(sections):
        stop = sections[i + 1][0] if i + 1 < len(sections) else end
        a, b, inside = table_span(folded, Span(at, at, stop), spec, table)
        if (after := folded[b:stop]).strip():  # prose under the table (a note): its part's, as in a part
            inside += ((b + len(after) - len(after.lstrip()), b + len(after.rstrip())),)
        tables[table] = TableSpan(a, b, inside)
    return Annex(sections[0][0], max(b for _, b, _ in tables.values()), tables)


def _printed_after(folded: str, spec: FormatSpec, table: str, at: int, end: int) -> tuple[int, str] | None:
    """The start of the line of ``table``'s first mark in [at, end) that its numbers follow, and the table."""
    m = _table_marks(spec, table).search(folded, at, end)
    while m is not None and not _printed_table(folded, spec, table, m.start(), m.end()):
        m = _table_marks(spec, table).search(folded, m.end(), end)
    return None if m is None else (folded.rfind("\n", 0, m.start()) + 1, table)


def _cells_printed(folded: str, span: TableSpan) -> bool:
    """Whether a table's span prints a number that is no annex's (附件1) and no year's or date's (2024年)."""
    return any(_cited(folded, m.start()) is None and folded[m.end():m.end() + 1] not in ("年", "月", "日")
               for m in _NUMBER.finditer(folded, span.start, span.end))


def _annex_start(folded: str, at: int, floor: int) -> int:
    """Where the table whose first mark's line starts at ``at`` starts as an annex: at its 附件 line above (附件1,
    or 附件1 then a caption), else at that line."""
    above = folded.rfind("\n", 0, at - 1) + 1 if at > floor else at
    if above < floor or above == at:
        return at
    if _ANNEX_HEAD.fullmatch(folded, above, at - 1):
        return above
    higher = folded.rfind("\n", 0, above - 1) + 1 if above > floor else above
    if higher >= floor and higher < above and _CAPTION.fullmatch(folded, above, at - 1) \
            and _ANNEX_HEAD.fullmatch(folded, higher, above - 1):
        return higher
    return at


def second_report(folded: str, spec: FormatSpec, parts: Found, memo: TableSpans | None = None,
                  annex: Annex | None = None) -> tuple[int, str | None] | None:
    """Where another report starts after this one (a page listing several years' reports, a report
    followed by a subordinate agency's, texts saved one after another), and its title when it has one;
    None when none does.

    Another report prints part 1's and part 2's headings again, or tables 2 and 3 again, after this
    report's last heading.  That alone is no proof (part 6 may go through the parts' headings one by one,
    a sentence after each): another report is said only with its title printed as a title, its page's
    frame, or its headings printed as headings (alone on their lines, or part 2's followed by its table).
    It starts at its title when one stands before what was printed again (else at that), from the start of
    that line (page-frame lines above it included) or from the end of this report's last sentence or date
    on that line.  ``memo``: the table spans found so far in this text (:func:`_table_span`); ``annex``: this
    report's tables printed after its parts (:func:`_annex`), its own, not printed again."""
    repeated = _repeated_tables(folded, spec, parts, {} if memo is None else memo, annex)
    for again, printed in _merged(_repeated_headings(folded, spec, parts), repeated):
        floor = max(v[1] for v in parts.values() if v[0] < again)  # this report's last heading stays its own
        lo = max(floor, again - TITLE_WINDOW)
        title = title_span(folded[lo:again], again - lo, glued=True)
        at, titled = _as_title(folded, lo + title[0], lo + title[1]) if title else (again, False)
        cut, framed = _start_of(folded, max(at, floor), floor, titled)
        if printed or titled or framed:
            return cut, title[2] if title else None
    return None


def _merged(first: Iterator[tuple[int, bool]], second: Iterator[tuple[int, bool]]) -> Iterator[tuple[int, bool]]:
    """``heapq.merge(first, second)`` of two sorted streams: the same items in the same order (a tie the first's),
    each stream asked for its next only when its last is taken, as merge asks; merge is interpreted Python (~2 us
    a report on the compiled path), this is compiled with its callers."""
    a, b = next(first, None), next(second, None)
    while a is not None and b is not None:
        if b < a:
            yield b
            b = next(second, None)
        else:
            yield a
            a = next(first, None)
    while a is not None:
        yield a
        a = next(first, None)
    while b is not None:
        yield b
        b = next(second, None)


def _start_of(folded: str, at: int, floor: int, titled: bool) -> tuple[int, bool]:
    """Where the other report starts, its first words at ``at``, and whether a page's frame stands above it.

    Its whole line when nothing but marks stands before it there (the frame's lines above it too); right
    there when it follows this report's last sentence or date, or is a title printed as one; else after the
    last sentence ending on its line before it (a clause before its title is its own)."""
    line_start = folded.rfind("\n", 0, at) + 1
    if line_start >= floor and _NO_WORDS.fullmatch(folded, line_start, at):
        return _back_over_frame(folded, line_start, floor)
    if titled or _GLUED_BEFORE.search(folded, max(line_start, floor, at - 40), at):
        return at, False
    ends = [m.end() for m in _SENTENCE_END.finditer(folded, max(line_start, floor), at)]
    if line_start >= floor and (d := _DATE_FIRST.match(folded, line_start, at)):
        ends.append(d.end())
    if ends:
        return max(ends), False
    return _back_over_frame(folded, line_start, floor) if line_start >= floor else (floor, False)


def regions(state: State) -> State:
    found, copy = _regions(state, 0)
    if copy is not None and _tables_printed(state.folded, (again := _regions(state, copy))[0]) > _tables_printed(
            state.folded, found) and _same_overview(state.folded, found, again[0]):
        # tables of this report print no number (images) and the same report follows with them printed as text
        # (its attachment): the copy is the report's text, read as the report (review 12c #1)
        read, where = again[0], _where(state, copy)
        said = F.TEXT_COPY(pointer=f"/parts/{min(read.parts, key=lambda p: read.parts[p].start)}", file=state.source,
                           line=where[0], column=where[1], page=where[2], title=read.title[2] if read.title else "")
        return read.but(findings=(*read.findings, said))
    return found


def _same_overview(folded: str, first: State, copy: State) -> bool:
    """Whether the copy prints the first's part 1: the same numbers in the same order, and nearly the same words
    (spaces and image marks aside: a photo or a clause a page adds is no other report).  A title alone does not
    make a copy: 城关镇人民政府 is a town of hundreds of counties, and their reports differ in their numbers
    (review 13a #2)."""
    def words(state: State) -> str:
        span = state.parts.get("overview")  # part 1's id in every format
        text = folded[span.body:span.end].replace(IMAGE_MARK, "") if span is not None else ""
        return "".join(text.split())

    mine, theirs = words(first), words(copy)
    if not mine or not theirs:
        return False
    if mine == theirs:
        return True
    return (_NUMBER.findall(mine) == _NUMBER.findall(theirs)
            and difflib.SequenceMatcher(None, mine, theirs, autojunk=False).ratio() >= SAME_OVERVIEW_RATIO)


#: how alike two copies' part 1 must be, their numbers the same (difflib's ratio: a clause or two added)
SAME_OVERVIEW_RATIO: Final = 0.85


def _tables_printed(folded: str, state: State) -> int:
    """How many of ``state``'s tables print a number in their span (not their images' marks only)."""
    return sum(_NUMBER.search(folded, a, b) is not None for a, b in state.tables.values())


def _where(state: State, at: int) -> tuple[int, int | None, int | None]:
    """The line, column (when text of the report before stands on the line) and page of the first printed character
    from ``at``."""
    shown = (m.start() if (m := _PRINTED.search(state.folded, at)) else at)
    line = state.line(shown)
    column = shown - state.starts[line - 1] + 1 if state.folded[state.starts[line - 1]:shown].strip() else None
    return line, column, state.page(shown)


def _regions(state: State, floor: int) -> tuple[State, int | None]:
    """The regions of the report from ``floor`` on, and where the same report is printed again after it when this
    one's tables print no number (images) while the copy's may (:func:`regions` then reads the copy)."""
    folded = state.folded
    spec = state.registry.format(max(state.registry.formats))  # every format prints the same parts
    first = _first_heading(folded, spec, floor)
    wraps = state.kind != "html"  # a page's paragraph is a line: a title on it is whole
    title = title_span(folded[floor:], (first if first is not None else len(folded)) - floor, wraps=wraps)
    if title is not None and floor:
        title = (title[0] + floor, title[1] + floor, *title[2:])
    start = title[1] if title else floor
    parts = find_parts(folded, spec, start, len(folded))
    body = min((a for a, _, _ in parts.values()), default=None)
    # the headings named before the body (a 目录, a page's outline box): the title is the one above the body, not
    # the last before that list (a sidebar's link to another year's report: probe 11b #2)
    if (first is not None and body is not None and body > first
            and (own := title_span(folded[floor:], body - floor, wraps=wraps)) is not None and own[0] + floor > start):
        title, start = (own[0] + floor, own[1] + floor, *own[2:]), own[1] + floor
        parts = find_parts(folded, spec, start, len(folded))
    found = []
    end = len(folded)
    memo: TableSpans = {}
    annex = _annex(folded, spec, parts, end, memo)
    if (another := second_report(folded, spec, parts, memo, annex)) is not None:
        end = another[0]
        parts = find_parts(folded, spec, start, end)  # this report's parts, before the other's
        # its first printed character; a report run on from this one's last line: the column says where on it
        where = (f"/parts/{max(parts, key=lambda p: parts[p][0])}", *_where(state, end))
    last = max((v[1] for v in parts.values()), default=start)
    if (frame := _frame_end(folded, last, end)) is not None:
        end = frame
    # a page's link lists after the signature only: a text's lines there are its own (附件, 联系人, （此件主动公开）)
    if state.kind == "html" and (signed := _signed_off(folded, last, end)) is not None:
        end = signed
    # tables printed after the last part (附件1…3 after the signature): the report's text ends where they start
    # the annex found above unless the parts or their end changed since (~110,000 instructions a report)
    annex = _annex(folded, spec, parts, end, memo) if another is not None or end != len(folded) else annex
    if annex is not None:
        end = annex.start
    spans: dict[str, Span] = {}
    officials = _official_headings(spec)
    order = list(parts.items())
    for i, (part, (a, b, how)) in enumerate(order):
        stop = order[i + 1][1][0] if i + 1 < len(order) else end
        spans[part] = Span(a, b, max(b, stop))
        if how != 2 and (heading := _printed_otherwise(state, officials[part], part, a, b)) is not None:
            found.append(heading)
    found_tables = {t.id: annex.tables[t.id] if annex is not None and t.id in annex.tables
                    else _table_span(folded, spans[t.id], spec, t.id, memo) for t in spec.tables if t.id in spans}
    tables = {t: (a, b) for t, (a, b, _) in found_tables.items()}
    notes = {t: inside for t, (_, _, inside) in found_tables.items() if inside}
    copy = None
    if another is not None:  # said once the tables are known: a copy is the same report only with the same numbers
        same = _same_title(title, another[1])
        again = _numbers_again(folded, tables.values(), another[0]) if same else None
        # a copy that may print as text the tables this report prints no number of (images): regions reads it
        copy = another[0] if same and again is not False and tables and (
            again is None or not all(_NUMBER.search(folded, a, b) for a, b in tables.values())) else None
        code, said = ((F.REPORT_AGAIN, {"title": another[1]}) if again
                      else (F.SECOND_REPORT, {"what": _another(another[1]) if again is None
                                              else _other_numbers(another[1])}))
        found.append(code(pointer=where[0], file=state.source, line=where[1], column=where[2], page=where[3], **said))
    # the report starts at its title; a title named in a sentence starts the report at that sentence's line
    begin = (title[0] if title[5] else folded.rfind("\n", 0, title[0]) + 1) if title else floor
    return state.but(parts=spans, tables=tables, notes=notes, report_span=(begin, end), title=title,
                     another_report=another[0] if another else None, findings=state.found(*found)), copy


def _official_headings(spec: FormatSpec) -> dict[str, tuple[Label, bool]]:
    return _for(spec).officials


@functools.cache
def _official_headings_of(spec: FormatSpec) -> dict[str, tuple[Label, bool]]:
    """Each part's official heading, and whether it is printed as it is when printed exactly so (the squeeze
    leaves it as it is)."""
    return {p.id: (p.heading, _squeeze(p.heading.zh).replace(" ", "") == p.heading.zh) for p in spec.parts}


def _printed_otherwise(state: State, official_heading: tuple[Label, bool], part: str, a: int, b: int,
                       ) -> Finding | None:
    """GD-PARSE-HEADING when the heading at [a, b) is printed otherwise than the official one
    (:func:`_official_headings`)."""
    official, fixed = official_heading
    if fixed and state.raw[a:b] == official.zh:  # the common case, without the squeeze
        return None
    printed = _squeeze(state.raw[a:b])
    if printed.replace(" ", "") == official.zh:
        return None
    return F.HEADING(pointer=f"/parts/{part}", file=state.source, line=state.line(a), heading=printed,
                     official=official, part=part)


def _numbers_again(folded: str, tables: Iterable[tuple[int, int]], other: int) -> bool | None:
    """Whether the numbers of this report's tables, in their order, are printed again, one after another, in the
    text from ``other`` on (another copy's frame, page marks and lines of a bare page number aside): a copy that
    differs (a corrected version printed after the first) is another report.  None when this report's tables print
    no number (images: review 12c #1): nothing to compare."""
    spans = list(tables)
    if not spans or not _NUMBER.search(folded, min(a for a, _ in spans), max(b for _, b in spans)):
        return None
    # lines of a number alone left out on both sides: a text layer's page number between two rows (review 12c #7),
    # and a table printed a cell a line reads the same in both copies without them
    mine = _NUMBER.findall(_BARE_NUMBER_LINE.sub("", folded[min(a for a, _ in spans):max(b for _, b in spans)]))
    theirs = _NUMBER.findall(_BARE_NUMBER_LINE.sub("", folded[other:]))
    return f",{','.join(mine)}," in f",{','.join(theirs)},"


def _same_title(title: tuple[int, int, str, str, int, bool] | None, other: str | None) -> bool:
    """Whether the other report's title is this report's, spaces aside."""
    return title is not None and other is not None and "".join(title[2].split()) == "".join(other.split())


def _other_numbers(title: str | None) -> Label:
    return Label(f"“{title}”，标题与本报告相同而表中数字不同，或为更正版",
                 f"“{title}”, this report's title with other numbers in its tables: a corrected version?")


def _another(title: str | None) -> Label:
    if title:
        return Label(f"“{title}”", f"“{title}”")
    return Label("部分标题从第一部分重新开始", "the part headings start again from part 1")


def _first_heading(folded: str, spec: FormatSpec, floor: int = 0) -> int | None:
    _, strong, _ = _heading_regex(spec)[0]
    m = strong.search(folded, floor)
    return m.start() if m else None


#: a label's full-width brackets, commas, colons and semicolons as the matching view prints them
def compile_patterns(spec: FormatSpec) -> None:
    """Compile the patterns of ``spec``'s parts and tables, as its first report does (:mod:`.patterns` stores
    their code; a parent may compile them before it forks)."""
    _heading_regex(spec)
    _any_heading(spec)
    _numbered_otherwise(spec)
    _merged_tail(spec)
    for table in spec.tables:
        _table_marks(spec, table.id)
        _first_rows(spec, table.id)


_FOLD: Final = str.maketrans({c: chr(ord(c) - 0xFEE0) for c in "（），：；"})


def _table_marks(spec: FormatSpec, table: str) -> re.Pattern[str]:
    marks = _for(spec).marks
    if (found := marks.get(table)) is None:
        found = marks[table] = _table_marks_of(spec, table)
    return found


@functools.cache
def _table_marks_of(spec: FormatSpec, table: str) -> re.Pattern[str]:
    """A table's structural marks: block titles, corners, column headers (no row label: a sentence may name one)."""
    marks: set[str] = set()
    for block in spec.table(table).blocks:
        for label in (block.label, block.corner, block.columns_heading):
            if label is not None:
                marks.add(label.zh)
        marks |= {c.label.zh for c in block.columns if len(c.label.zh) >= 4}
    # longest first, then in their order (not the set's, which changes with each process's hash seed: the pattern
    # is the same in every process, so that its code is stored, :mod:`.patterns`)
    pieces = sorted(sorted(published._loose(m.translate(_FOLD)[:12]) for m in marks), key=len, reverse=True)
    return compiled("|".join(pieces))


def _first_rows(spec: FormatSpec, table: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    rows = _for(spec).first_rows
    if (found := rows.get(table)) is None:
        found = rows[table] = _first_rows_of(spec, table)
    return found


@functools.cache
def _first_rows_of(spec: FormatSpec, table: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The table's row labels at the start of a line or a '|' cell; and the same after a line break or a '|' (a
    first character of a class lets the engine skip to each, where ``^`` in multi-line mode is tried at every
    character)."""
    labels = sorted(sorted({published._loose(row.label.zh.translate(_FOLD)[:8]) for _, row, _ in spec.rows(table)}),
                    key=len, reverse=True)  # the same in every process (as _table_marks')
    row = r"[ \t]*(?:" + "|".join(labels) + ")"
    return compiled(r"(?m)(?:^|\|)" + row), compiled(r"[\n|]" + row)


def _first_row(folded: str, spec: FormatSpec, table: str, a: int, b: int, before: int | None = None) -> int | None:
    """Where the first of ``_first_rows``' matches in [a, b) starts: at ``a`` if a line starts there, else right
    after the first line break or at the first '|' a row's label follows.  ``before``: only a row before it is
    wanted (a later one may be missed): a row follows a line break or '|', and when few stand before ``before``
    each is tried, instead of a search that runs on past it to the first row (a table's header lines)."""
    at_line, after = _first_rows(spec, table)
    if (not a or folded[a - 1] == "\n") and at_line.match(folded, a, b):
        return a
    if before is not None:
        breaks = [m.start() for m in itertools.islice(_BREAK_OR_BAR.finditer(folded, a, before), ROW_TRIES + 1)]
        if len(breaks) <= ROW_TRIES:
            at = next((at for at in breaks if after.match(folded, at, b)), None)
            return None if at is None else at + (folded[at] == "\n")
    rows = _for(spec).row_firsts
    if table in rows:
        firsts = rows[table]
    else:
        firsts = rows[table] = _row_firsts(spec, table)
    if firsts is None:
        m = after.search(folded, a, b)
        return None if m is None else m.start() + (folded[m.start()] == "\n")
    at = _row_after(folded, firsts, after, a, b)
    return None if at is None else at + (folded[at] == "\n")


def _row_firsts(spec: FormatSpec, table: str) -> bytes | None:
    """The first character of each of the table's row labels as :func:`_first_rows` matches them (its first after
    spaces), as a :func:`_char_table`; None when a label has none (its pattern would match after any break) or one
    beyond the table's characters."""
    out = set()
    for _, row, _ in spec.rows(table):
        label = row.label.zh.translate(_FOLD)[:8]
        first = next((c for c in label if not c.isspace()), "")
        if not first or ord(first) >= _TABLED:
            return None
        out.add(first)
    return _char_table(out)


def _row_after(folded: str, firsts: bytes, after: re.Pattern[str], a: int, b: int) -> int | None:
    """``after.search(folded, a, b).start()`` (:func:`_first_rows`' second: a line break or '|', spaces or tabs, a row's
    label), tried only at the breaks and bars a label's first character (``firsts``: :func:`_row_firsts`) follows: the
    engine tries every label at each (~400 instructions, a table's '|' cells many)."""
    nl, bar = folded.find("\n", a, b), folded.find("|", a, b)
    while nl >= 0 or bar >= 0:
        at = nl if bar < 0 or 0 <= nl < bar else bar
        first = at + 1
        c = ord(folded[first]) if first < b else -1
        while c in (_SPACE, _TAB):
            first += 1
            c = ord(folded[first]) if first < b else -1
        if 0 <= c < _TABLED and firsts[c] and after.match(folded, at, b) is not None:
            return at
        if at == nl:
            nl = folded.find("\n", at + 1, b)
        else:
            bar = folded.find("|", at + 1, b)
    return None


_SPACE: Final = ord(" ")
_TAB: Final = ord("\t")


#: where a row's label may follow (:func:`_first_rows`), and how many of them before a table's first mark are tried
#: one by one
_BREAK_OR_BAR: Final = compiled(r"[\n|]")
ROW_TRIES: Final = 4


#: a note under a table: a published one (:data:`.published.NOTE_LEADS`), or the note this package's pages write
#: under a table on its cells in doubt (``？ 存疑单元格``, :mod:`..io.marks`), which a page republished is read with
_NOTE_LEADS: Final = rf"{published.NOTE_LEADS}|(?:{re.escape(fold(DOUBT))}[^\S\n]*)?{re.escape(DOUBTS.zh)}"
_NOTE_START: Final = compiled(rf"(?:^|\n)[^\S\n]*(?:{_NOTE_LEADS})")
#: the same from a line break on (all but the text's first character): a literal first character lets the engine
#: skip to each line's start
_NOTE_AFTER_BREAK: Final = compiled(rf"\n[^\S\n]*(?:{_NOTE_LEADS})")
#: a word every note's lead holds on its first line (:data:`_NOTE_LEADS`: 注, 备注, 说明, [1]注, [^1]:, 存疑单元格)
_NOTE_WORDS: Final = ("注", "说明", "[", DOUBTS.zh)


def _note(folded: str, at: int, b: int) -> re.Match[str] | None:
    """``_NOTE_AFTER_BREAK.search(folded, at, b)``, tried from the line of the first word a note's lead holds: the
    engine tried its leads at each line break of a table (~80,000 instructions a report), where ``str.find`` of a word
    reads ~1 a character.  A note starts at the break before the line of its lead's word, so not before that line."""
    first = -1
    for word in _NOTE_WORDS:
        if (found := folded.find(word, at, b)) >= 0 and (first < 0 or found < first):
            first = found
    return None if first < 0 else _NOTE_AFTER_BREAK.search(folded, max(at, folded.rfind("\n", at, first)), b)


#: the last digit or '|' mark in a table, searched backwards: the greedy ``.*`` runs to the end and steps back to it
_LAST_MARK: Final = compiled(r".*[0-9|]", re.S)
#: a count stated in a sentence: a number followed by its unit (is not a table's cell)
_COUNTED: Final = compiled(r"\d+(?:\.\d+)?\s*(?:件|条|个|项|次|人|家|篇|期|万元|元|%|余)")
#: a digit, then the rest (``\d+`` as it is): a pattern that starts with a repeat has no first character the engine
#: skips to, and is tried at every character (~200 instructions each, where skipping to a digit is ~100)
_NUMBER: Final = compiled(r"\d\d*(?:\.\d+)?")
#: a line that is a number alone, 1-3 digits (a page number a PDF's text layer left between two rows of a table)
_BARE_NUMBER_LINE: Final = compiled(r"(?m)^[ \t]*\d{1,3}[ \t]*$")
#: what names an annex or a table by its number (具体情况详见附件1, 见附表2, 详见表2): the number is no cell (the
#: tokens skip it too: ``tokens._CITED``)
_CITES: Final = ("附件", "表")


def _cited(folded: str, at: int) -> int | None:
    """Where the number whose digit is at ``at`` starts, when it numbers an annex or a table (附件1, 附表1, 表1), else
    None."""
    while at and folded[at - 1].isdigit():
        at -= 1
    before = folded[max(0, at - 4):at].replace(" ", "")
    return at if before.endswith(_CITES) and folded[at:at + 1].isdigit() else None


def _rows_after(folded: str, spec: FormatSpec, table: str, at: int, b: int) -> int | None:
    """Where the table goes on after the note line at ``at`` (the next line that is not blank, when it is the
    table's: a row's label, a block's title or a column's heading starts it, or it holds a row's numbers, as a row
    whose label wrapped, ``（四）无 1.本机关不掌握… 746 12 0 0 10 1 769``), else None: the note is under the table."""
    eol = folded.find("\n", at, b)
    if eol < 0:
        return None
    line = eol + 1
    while line < b and folded[line] in " \t\u3000\n":  # blank lines between
        line += 1
    line = folded.rfind("\n", eol, line) + 1
    if line >= b:
        return None
    end = folded.find("\n", line, b)
    end = b if end < 0 else end
    if _NOT_A_ROW.search(folded, line, end) is not None:  # a note's own next line, or prose
        if _NOTE_ONLY.search(folded, line, end) is not None:
            return None
        # a colon only: a heading may hold one (（单位：万元）, the corner's 勾稽关系为：), a row does not
        return line if _table_marks(spec, table).match(folded, line, end) else None
    if _table_marks(spec, table).match(folded, line, end) or _label_pieces(folded[line:end].split(), spec, table):
        return line  # a block's title, a heading, or a label wrapped over lines (三、/年/度, 形，不计其他情形）)
    if _first_rows(spec, table)[0].match(folded, line, b) or _ROW_TAIL.search(folded, line, end):
        return line
    return None


#: a row's numbers ending its line, three at least, apart (a label wrapped, then its cells: （四）无 1.本机关… 746 12 0
#: 0 10 1 769); a sentence's numbers have their units and words between them (1月至6月受理)
_ROW_TAIL: Final = compiled(r"(?:(?<=[\s|])|^)(?:\d+(?:\.\d+)?[ \t|]+){2,}\d+(?:\.\d+)?[ \t|]*$", re.M)


def _label_pieces(words: list[str], spec: FormatSpec, table: str) -> bool:
    """Whether the words of a line are all pieces of the table's labels (a header or a row's label wrapped in a
    PDF: ``结果 结果 其他结 尚未``, ``形，不计其他情形）``, ``年``)."""
    labels = _labels(spec, table)
    words = [w for w in (w.strip("|") for w in words) if w]  # '|': a cell's edge in a page's flattened table
    return bool(words) and all(w in labels for w in words)


def _labels(spec: FormatSpec, table: str) -> str:
    labels = _for(spec).labels
    if (found := labels.get(table)) is None:
        found = labels[table] = _labels_of(spec, table)
    return found


@functools.cache
def _labels_of(spec: FormatSpec, table: str) -> str:
    """The table's block titles, corners, headings, columns', rows' and groups' labels, one a line, as the
    matching view prints them (full-width brackets and commas folded)."""
    labels = []
    for block in spec.table(table).blocks:
        labels += [lb.zh for lb in (block.label, block.corner, block.columns_heading) if lb is not None]
        labels += [c.label.zh for c in block.columns]
    for cell in spec.cells():
        if cell.table.id == table:
            labels += [*(g.zh for g in cell.group_labels), cell.row.label.zh]
    return "\n".join(dict.fromkeys(label.translate(_FOLD) for label in labels))


#: what a row's line never holds and a note's lines do (a note on a cell names its row: 规章 · 本年制发件数：存疑)
_NOT_A_ROW: Final = compiled(r"[:：。·›]")
#: the same but a colon, which a table's heading may hold too
_NOTE_ONLY: Final = compiled(r"[。·›]")


def _sentence_end(folded: str, start: int, stop: int, notes: list[tuple[int, int]]) -> int:
    """The first '。' in [start, stop) that is not in one of ``notes`` (a note's sentence is not the table's end),
    or -1."""
    dot = folded.find("。", start, stop)
    for a, b in notes:
        if dot < a:
            break
        if dot < b:
            dot = folded.find("。", b, stop)
    return dot


class TableSpan(NamedTuple):
    """Where a table is in the text, and the notes printed between its rows (each from its line's start to the
    break before the row after it): those are prose, not the table's."""

    start: int
    end: int
    notes: tuple[tuple[int, int], ...]


#: the table spans found in one text, by part span and table (a second report's search finds table 2's first)
TableSpans = dict[tuple[Span, str], TableSpan]


def _table_span(folded: str, span: Span, spec: FormatSpec, table: str, memo: TableSpans) -> TableSpan:
    """:func:`table_span`, found once per text."""
    if (found := memo.get((span, table))) is None:
        found = memo[span, table] = table_span(folded, span, spec, table)
    return found


def table_span(folded: str, span: Span, spec: FormatSpec, table: str) -> TableSpan:
    """Where the table of a part starts and ends inside the part's body.

    It starts at its first structural mark, unless only a heading's tail stands before it; prose
    before it ends with a sentence (。).  It ends at its last number before the first sentence
    after it (a number followed by its unit, 19件, is the sentence's), or at a note under it
    (a note its rows go on after is between them, and the table goes on).
    """
    a, b = span.body, span.end
    mark = _table_marks(spec, table).search(folded, a, b)
    row = _first_row(folded, spec, table, a, b, mark.start() if mark else None)  # the first of the two wins
    marks = [at for at in (mark.start() if mark else None, row) if at is not None]
    start = min(marks) if marks else a
    dot = folded.rfind("。", a, start)
    start = a if dot < 0 else max(dot + 1, folded.find("\n", dot, start) + 1)
    note = _note(folded, start, b) if start else _NOTE_START.search(folded, start, b)
    inside: list[tuple[int, int]] = []
    while note is not None and (rows := _rows_after(folded, spec, table, note.end(), b)) is not None:
        inside.append((note.start() + (folded[note.start()] == "\n"), rows - 1))
        note = _note(folded, rows - 1, b)
    stop = note.start() if note else b
    dot = _sentence_end(folded, start, stop, inside)
    if dot >= 0:
        last = start
        for m in _NUMBER.finditer(folded, start, dot):
            if not _COUNTED.match(folded, m.start()) and _cited(folded, m.start()) is None:
                last = m.end()
        stop = last
    elif last_mark := _LAST_MARK.match(folded, start, stop):  # the table ends at its last number or '|' mark
        while last_mark is not None and (cited := _cited(folded, last_mark.end() - 1)) is not None:
            last_mark = _LAST_MARK.match(folded, start, cited)  # 详见附件3 and no '。': no cell
        if last_mark is None:
            stop = start
        else:
            eol = folded.find("\n", last_mark.end() - 1, stop)
            stop = stop if eol < 0 else eol
    stop = max(start, stop)
    return TableSpan(start, stop, tuple((a, b) for a, b in inside if b <= stop))
