"""Stage ``regions``: where the report is in its text, its title, each part's heading and body, and
where each table sits inside its part.

A part starts after its *whole* heading, however it is worded (the form's words, spaced or not,
or a published variant: :mod:`govdisclosure.formats.published`), and ends where the next part's
heading starts.  The report ends where a web page's frame begins (上一篇, related links, the
footer); lines of the frame before it (breadcrumb, the page's info table) are not the report's
text either.  A table binds rows only inside its own region: from its first structural mark
(a block's title such as 第二十条…, a column header, the first row at a line's start) to its last number.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from ..formats import published
from ..formats.spec import FormatSpec, Label, iter_rows
from . import findings as F
from .state import State

__all__ = ["Span", "regions", "second_report", "title_span"]


class Span(NamedTuple):
    """Offsets into the text: a part's heading starts at ``start``, its body runs ``body``–``end``."""

    start: int
    body: int
    end: int


#: the report's title: agency, year, then the words every title ends with (spaces and a line break allowed)
_TITLE_YEAR = re.compile(r"20\d\d(?=\s*年)")
_TITLE_TAIL = re.compile(r"\s*年度?\s*(?P<after>[^\n。;《》]{0,40}?)"
                         r"政\s*府\s*信\s*息\s*公\s*开\s*(?:工\s*作\s*)?(?:年\s*度\s*)?报\s*告")
#: the agency before the year is at most this long, and stops at a line or a sentence
TITLE_AGENCY_MAX = 60
#: the head of the text searched for the title
TITLE_WINDOW = 3000
#: a line that is only a heading (no sentence after it) is at most this long, numeral included
HEADING_LINE_MAX = 40
#: words a heading printed alone on its line may have beyond a known wording (its words, then 概述)
HEADING_TAIL_MAX = 6
_LEAD = re.compile(r"^.*(?:公布|发布|编制|印发|标题\s*[:：]|名称\s*[:：]|现将)\s*")
_SQUEEZE = re.compile(r"(?<=[\u4e00-\u9fff\d])\s+(?=[\u4e00-\u9fff\d])|\s*\n\s*")
_RULE = re.compile(r"^\s*[=\-—_*#]{3,}")


def _squeeze(text: str) -> str:
    return _SQUEEZE.sub("", text).strip()


def _agency_above(folded: str, year: int, start: int) -> tuple[str, int]:
    """The agency alone on the line above a title that starts with its year (淮安市人民政府 /
    2024 年政府信息公开工作年度报告), with where it starts; else ("", start)."""
    line_start = folded.rfind("\n", 0, year) + 1
    if folded[line_start:year].strip() or not line_start:
        return "", start
    above_start = folded.rfind("\n", 0, line_start - 1) + 1
    above = folded[above_start:line_start - 1].strip()
    if above and len(above) <= TITLE_AGENCY_MAX // 2 and not re.search(r"[。,;:：]", above):
        return above, folded.index(above, above_start)
    return "", start


def title_span(folded: str, limit: int) -> tuple[int, int, str, str, int, bool] | None:
    """(start, end, title, agency, year, alone) of the report's title before ``limit``, or None.

    A title printed as a title (at a line's start, or right after the same title printed once
    more) beats one named in a sentence (现向社会公布…年度报告); the last such wins (a page's
    info table may name it first).  ``alone`` says it is printed as a title.
    """
    best: tuple[int, int, str, str, int, bool] | None = None
    previous_end = 0
    for y in _TITLE_YEAR.finditer(folded, 0, min(limit, TITLE_WINDOW)):
        tail = _TITLE_TAIL.match(folded, y.end()) if y.start() >= previous_end else None
        if tail is None or folded.count("《", 0, y.start()) > folded.count("》", 0, y.start()):
            continue  # no title here, or the title of a cited document, not this report's
        lo = max(previous_end, y.start() - TITLE_AGENCY_MAX)
        window = folded[lo:y.start()]
        lo += max(window.rfind(c) for c in "\n。;:：《》") + 1
        printed_before = folded[lo:y.start()]
        before = _LEAD.sub("", printed_before).strip(" ,、")
        start = lo + printed_before.find(before) if before else y.start()
        if not before and not tail.group("after").strip():
            before, start = _agency_above(folded, y.start(), start)
        agency = _squeeze(before or tail.group("after")).strip(" ,、")
        if not agency:
            continue
        alone = not folded[folded.rfind("\n", 0, start) + 1:start].strip() or start == previous_end
        previous_end = tail.end()
        found = (start, tail.end(), _squeeze(folded[start:tail.end()]), agency, int(y.group(0)), alone)
        if best is None or alone:
            best = found
    return best


@functools.cache
def _heading_regex(spec: FormatSpec) -> tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]:
    """Per part, in order: (id, its heading in any known wording, its numeral and key word on a line of its own)."""
    out = []
    for part in spec.parts:
        numeral, words = published.heading_patterns(spec)[part.id]
        strong = re.compile(rf"{numeral}\s*[、.,]\s*(?:{words})(?:\s*[:：])?")
        keyed = re.compile(rf"(?m)^[ \t]*{numeral}\s*[、.,][^\n。]{{0,24}}?(?:{published.PART_KEYS[part.id]})[^\n。]*$")
        out.append((part.id, strong, keyed))
    return tuple(out)


@functools.cache
def _row_starts(spec: FormatSpec) -> tuple[str, ...]:
    """The first words of every row and group label of the tables (a table's 一、…四、 rows are no part headings)."""
    out = {row.label.zh[:6] for t in spec.tables for _, row, _ in spec.rows(t.id)}
    for t in spec.tables:
        for block in t.blocks:
            for _, _, groups in iter_rows(block.rows):
                out |= {g.zh[:6] for g in groups}
    return tuple(sorted(out))


def _is_row(folded: str, at: int, spec: FormatSpec) -> bool:
    head = re.sub(r"\s+", "", folded[at:at + 12]).replace("(", "（").replace(")", "）")
    return head.startswith(_row_starts(spec))


Found = dict[str, tuple[int, int, int]]


def find_parts(folded: str, spec: FormatSpec, start: int, end: int) -> Found:
    """Part id -> (heading start, heading end, how: 0 a known wording, 1 its key word on a line of its
    own, 2 its table's own marks), in the order printed."""
    found: Found = {}
    cursor = start
    for part, strong, _ in _heading_regex(spec):
        m = strong.search(folded, cursor, end)
        while m is not None and _is_row(folded, m.start(), spec):
            m = strong.search(folded, m.end(), end)
        if m is not None:
            found[part] = (m.start(), _line_end_if_heading(folded, m.end()), 0)
            cursor = m.end()
    _by_key_word(folded, spec, start, end, found)
    _by_table_marks(folded, spec, start, end, found)
    return dict(sorted(found.items(), key=lambda kv: kv[1][0]))


def _between(found: Found, k: int, spec: FormatSpec, start: int, end: int) -> tuple[int, int]:
    """Where part ``k`` may stand: between the parts found before and after it."""
    patterns = _heading_regex(spec)
    lo = max((found[p][1] for p, _, _ in patterns[:k] if p in found), default=start)
    hi = min((found[p][0] for p, _, _ in patterns[k + 1:] if p in found), default=end)
    return lo, hi


def _by_key_word(folded: str, spec: FormatSpec, start: int, end: int, found: Found) -> None:
    """Parts not found by their wording: a line of their own with their numeral and key word."""
    for k, (part, _, keyed) in enumerate(_heading_regex(spec)):
        if part in found:
            continue
        lo, hi = _between(found, k, spec, start, end)
        for m in keyed.finditer(folded, lo, hi):
            at = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
            if len(m.group(0).strip()) <= HEADING_LINE_MAX and not _is_row(folded, at, spec):
                found[part] = (at, m.end(), 1)
                break


def _by_table_marks(folded: str, spec: FormatSpec, start: int, end: int, found: Found) -> None:
    """A table whose part heading an excerpt or page dropped: its own marks (a block's title, a header)."""
    tables = {t.id for t in spec.tables}
    for k, (part, _, _) in enumerate(_heading_regex(spec)):
        if part in found or part not in tables:
            continue
        lo, hi = _between(found, k, spec, start, end)
        m = _table_marks(spec, part).search(folded, lo, hi) or _first_rows(spec, part).search(folded, lo, hi)
        if m is not None:
            found[part] = (m.start(), m.start(), 2)


def _line_end_if_heading(folded: str, at: int) -> int:
    """A heading printed alone on its line owns the rest of the line (a variant's extra words)."""
    eol = folded.find("\n", at)
    eol = len(folded) if eol < 0 else eol
    rest = folded[at:eol].rstrip()
    if rest and len(rest) <= HEADING_TAIL_MAX and not rest[0].isspace() and not re.search(r"[。;,:\d\s]", rest):
        return eol
    return at


_FRAME_END_LINE = re.compile(published.FRAME_END.pattern, re.M)


def _repeated_headings(folded: str, spec: FormatSpec, parts: Found) -> int | None:
    """Part 1's heading printed again after this report's part 2, and part 2's after it."""
    (first, strong1, _), (second, strong2, _) = _heading_regex(spec)[:2]
    if first not in parts:
        return None
    lo = parts[second][1] if second in parts else parts[first][1]
    for m in strong1.finditer(folded, lo):
        if _is_row(folded, m.start(), spec):
            continue
        m2 = strong2.search(folded, m.end())
        while m2 is not None and _is_row(folded, m2.start(), spec):
            m2 = strong2.search(folded, m2.end())
        return m.start() if m2 is not None else None
    return None


def _repeated_tables(folded: str, spec: FormatSpec, parts: Found) -> int | None:
    """Table 2's marks, then table 3's, after this report's last heading, when this report printed its
    own table 2 in its part 2 (a report whose tables are an appendix after part 6 has no second)."""
    table2, table3 = spec.tables[0].id, spec.tables[1].id
    if table2 not in parts or table3 not in parts:
        return None
    a, b = table_span(folded, Span(parts[table2][0], parts[table2][1], parts[table3][0]), spec, table2)
    if not _NUMBER.search(folded, a, b):
        return None
    m = _table_marks(spec, table2).search(folded, max(v[1] for v in parts.values()))
    if m is None or _table_marks(spec, table3).search(folded, m.end()) is None:
        return None
    return m.start()


_SENTENCE_END = re.compile(r"[。!?;！？；]")
_PRINTED = re.compile(r"\S")
#: lines of a page's frame or blank ones, which stand before a report as much as after one
_FRAME_LINE = re.compile(r"(?:" + published.FRAME_START.pattern + "|" + published.FRAME_END.pattern + r"|\s*(?:"
                         + "|".join(published.INFO_KEYS) + r")\s*[:：]|\s*[=\-—_*#]{3,}|\s*$)", re.M)


def _back_over_frame(folded: str, at: int, floor: int) -> int:
    """``at`` (a line's start) moved up over the page-frame and blank lines above it, not above ``floor``."""
    while at > floor:
        above = folded.rfind("\n", 0, at - 1) + 1
        if above < floor or not _FRAME_LINE.match(folded, above, at - 1):
            break
        at = above
    return at


def second_report(folded: str, spec: FormatSpec, parts: Found) -> tuple[int, str | None] | None:
    """Where another report starts after this one (a page listing several years' reports, a report
    followed by a subordinate agency's), and its title when it has one; None when none does.

    Another report prints part 1's and part 2's headings again, or tables 2 and 3 again, after this
    report's last heading.  It starts at its title when one stands before that (else at what was
    printed again), from the start of that line (page-frame lines above it included) or from the end
    of the sentence before it on that line."""
    found = [x for x in (_repeated_headings(folded, spec, parts), _repeated_tables(folded, spec, parts))
             if x is not None]
    if not found:
        return None
    again = min(found)
    floor = max(v[1] for v in parts.values() if v[0] < again)  # this report's last heading stays its own
    lo = max(floor, again - TITLE_WINDOW)
    title = title_span(folded[lo:again], again - lo)
    at = lo + title[0] if title else again
    line_start = folded.rfind("\n", 0, at) + 1
    ends = [m.end() for m in _SENTENCE_END.finditer(folded, max(line_start, floor), at)]
    if max([line_start, *ends]) == line_start >= floor:
        return _back_over_frame(folded, line_start, floor), title[2] if title else None
    return max([line_start, floor, *ends]), title[2] if title else None


def regions(state: State) -> State:
    folded = state.folded
    spec = state.registry.format(max(state.registry.formats))  # every format prints the same parts
    first = _first_heading(folded, spec)
    title = title_span(folded, first if first is not None else len(folded))
    start = title[1] if title else 0
    parts = find_parts(folded, spec, start, len(folded))
    found = []
    end = len(folded)
    if (another := second_report(folded, spec, parts)) is not None:
        end = another[0]
        parts = find_parts(folded, spec, start, end)  # this report's parts, before the other's
        shown = (m.start() if (m := _PRINTED.search(folded, end)) else end)  # its first printed line
        found.append(F.SECOND_REPORT(pointer=f"/parts/{max(parts, key=lambda p: parts[p][0])}", file=state.source,
                                     line=state.line(shown), page=state.page(shown), what=_another(another[1])))
    last = max((v[1] for v in parts.values()), default=start)
    m = _FRAME_END_LINE.search(folded, last, end)
    end = m.start() if m else end
    spans: dict[str, Span] = {}
    order = list(parts.items())
    for i, (part, (a, b, how)) in enumerate(order):
        stop = order[i + 1][1][0] if i + 1 < len(order) else end
        spans[part] = Span(a, b, max(b, stop))
        printed = _squeeze(state.raw[a:b])
        official = next(p.heading for p in spec.parts if p.id == part)
        if how != 2 and printed.replace(" ", "") != official.zh:
            found.append(F.HEADING(pointer=f"/parts/{part}", file=state.source, line=state.line(a), heading=printed,
                                   official=official, part=part))
    tables = {t.id: table_span(folded, spans[t.id], spec, t.id) for t in spec.tables if t.id in spans}
    # the report starts at its title; a title named in a sentence starts the report at that sentence's line
    begin = (title[0] if title[5] else folded.rfind("\n", 0, title[0]) + 1) if title else 0
    return state.but(parts=spans, tables=tables, report_span=(begin, end), title=title,
                     another_report=another[0] if another else None, findings=state.found(*found))


def _another(title: str | None) -> Label:
    if title:
        return Label(f"“{title}”", f"“{title}”")
    return Label("部分标题从第一部分重新开始", "the part headings start again from part 1")


def _first_heading(folded: str, spec: FormatSpec) -> int | None:
    _, strong, _ = _heading_regex(spec)[0]
    m = strong.search(folded)
    return m.start() if m else None


@functools.cache
def _table_marks(spec: FormatSpec, table: str) -> re.Pattern[str]:
    """A table's structural marks: block titles, corners, column headers (no row label: a sentence may name one)."""
    marks: set[str] = set()
    for block in spec.table(table).blocks:
        for label in (block.label, block.corner, block.columns_heading):
            if label is not None:
                marks.add(label.zh)
        marks |= {c.label.zh for c in block.columns if len(c.label.zh) >= 4}
    fold = str.maketrans({c: chr(ord(c) - 0xFEE0) for c in "（），：；"})
    pieces = sorted((published._loose(m.translate(fold)[:12]) for m in marks), key=len, reverse=True)
    return re.compile("|".join(pieces))


@functools.cache
def _first_rows(spec: FormatSpec, table: str) -> re.Pattern[str]:
    """The table's row labels at the start of a line or a '|' cell."""
    fold = str.maketrans({c: chr(ord(c) - 0xFEE0) for c in "（），：；"})
    labels = sorted({published._loose(row.label.zh.translate(fold)[:8]) for _, row, _ in spec.rows(table)},
                    key=len, reverse=True)
    return re.compile(r"(?m)(?:^|\|)[ \t]*(?:" + "|".join(labels) + ")")


#: a count stated in a sentence: a number followed by its unit (is not a table's cell)
_COUNTED = re.compile(r"\d+(?:\.\d+)?\s*(?:件|条|个|项|次|人|家|篇|期|万元|元|%|余)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def table_span(folded: str, span: Span, spec: FormatSpec, table: str) -> tuple[int, int]:
    """Where the table of a part starts and ends inside the part's body.

    It starts at its first structural mark, unless only a heading's tail stands before it; prose
    before it ends with a sentence (。).  It ends at its last number before the first sentence
    after it (a number followed by its unit, 19件, is the sentence's), or at a note under it.
    """
    a, b = span.body, span.end
    marks = [m.start() for m in (_table_marks(spec, table).search(folded, a, b), _first_rows(spec, table).search(
        folded, a, b)) if m is not None]
    start = min(marks) if marks else a
    dot = folded.rfind("。", a, start)
    start = a if dot < 0 else max(dot + 1, folded.find("\n", dot, start) + 1)
    note = published.NOTE_START.search(folded, start, b)
    stop = note.start() if note else b
    dot = folded.find("。", start, stop)
    if dot >= 0:
        last = start
        for m in _NUMBER.finditer(folded, start, dot):
            if not _COUNTED.match(folded, m.start()):
                last = m.end()
        stop = last
    else:  # the table ends at its last number or '|' mark
        last = max(folded.rfind(d, start, stop) for d in "0123456789|")
        if last >= 0:
            eol = folded.find("\n", last, stop)
            stop = stop if eol < 0 else eol
    return start, max(start, stop)
