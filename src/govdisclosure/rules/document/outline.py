"""The report's outline and envelope: the preamble's list of parts, old headings, the notice cited, the period."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ...findings import Finding
from ...formats.spec import Label
from ...text.sentences import isplit
from ..values import run_values
from .narrative import (
    Passage,
    Words,
    _label,
    first,
    fold,
    folded,
    option,
    passages,
    per_options,
    quote_at,
    quoting,
    raw_offset,
    simplified,
    top_headings,
    traditional,
)

if TYPE_CHECKING:
    from ...formats.spec import FormatSpec
    from ...model import Report
    from ...registry import Registry
    from ..types import RuleContext

SOURCE = Label("原文", "the source")
_NOTICE_CITED = Label("所引通知", "the notice cited")  #: where a notice the report records is (made once)
_PERIOD = Label("统计期限", "the statistics period")  #: where a period without words of it is
_CN_NUMBERS = {c: i for i, c in enumerate("一二三四五六七八九十", 1)}
_COUNT = r"(?P<count>[0-9]{1,2}|[一二三四五六七八九十])个?大?"
_HEAD_COUNT = re.compile(r"^" + _COUNT + r"(?:部分|方面)[:：]?")
_TAIL = re.compile(r"(?:等)?(?:" + _COUNT + r")?(?:部分|方面|项内容|内容)(?:组成|内容)?.*$")
#: every match of _TAIL holds one of these words, at most _TAIL_LEAD characters after the match's start
#: (等, a count of two digits with 个大, and the 项 of 项内容): _TAIL is searched from there, not from each
#: character of the sentence (its optional start makes a search try every character, slowly)
_TAIL_WORD = re.compile(r"部分|方面|内容")
_TAIL_LEAD = 6
_ITEM_SEP = re.compile(r"[、,，;；]")
_JOINERS = ("以及", "及", "和", "与")  #: a word that joins the last item, taken off its start (the first that fits)


def _count(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) if text.isdigit() else _CN_NUMBERS.get(text)


def _present(report: Report, ctx: RuleContext, part_id: str, is_table: bool) -> bool:
    if is_table:
        return any(v is not None for v in run_values(report, part_id, ctx.memo))
    text = getattr(report.parts, part_id, None)
    return isinstance(text, str) and bool(text.strip())


def parse_outline(sentence: str, triggers: list[str]) -> tuple[list[str], int | None] | None:
    """The items of a sentence listing the report's parts, and the count it states (if any)."""
    folded = fold(sentence)
    at = -1
    for t in triggers:  # where the first trigger is: each looked for only up to the first found so far
        i = folded.find(t) if at < 0 else folded.find(t, 0, at + len(t))
        if i >= 0:
            at = i
    return _parsed(folded, at, sorted(triggers)) if at >= 0 else None


def _parsed(folded: str, at: int, ordered: Sequence[str]) -> tuple[list[str], int | None]:
    """:func:`parse_outline` of a folded sentence whose first trigger is at ``at``: the list follows the least of
    the triggers there (the shortest, of two one of which begins the other): the first there of ``ordered``, the
    triggers sorted."""
    trigger = ""
    for t in ordered:
        if folded.find(t, at, at + len(t)) == at:  # t is there (str.find: a C call, where startswith's is not)
            trigger = t
            break
    rest = folded[at + len(trigger):]
    stated = None
    m = _HEAD_COUNT.match(rest)
    if m:  # 本报告共分6个部分：总体情况、…
        stated, rest = _count(m.group("count")), rest[m.end():]
    word = _TAIL_WORD.search(rest)
    m = _TAIL.search(rest, max(0, word.start() - _TAIL_LEAD)) if word is not None else None
    if m and m.start() > 0:
        stated = stated or _count(m.group("count"))
        rest = rest[: m.start()]
    items = [_unjoined(i) for i in _ITEM_SEP.split(rest)]
    return [i for i in items if len(i) >= 2], stated


def _unjoined(item: str) -> str:
    if item[:1] in "以及和与":
        for word in _JOINERS:
            if item.startswith(word):
                return item[len(word):]
    return item


@attrs.frozen
class _Outline:
    """The rule's options compiled once: its triggers (as :func:`parse_outline` takes them, and as
    patterns), and its words folded as the list's items are."""

    triggers: list[str]
    ordered: tuple[str, ...]  #: the triggers sorted, each once (:func:`_parsed`)
    found: re.Pattern[str] | None  #: any trigger, folded (None: no triggers): what a passage is searched for
    any: re.Pattern[str]  #: any trigger as given: what a folded sentence must hold to be parsed
    foreign: tuple[tuple[str, str], ...]  #: (word, folded)
    part_words: tuple[tuple[str, tuple[str, ...]], ...]  #: part id -> its words, folded


@per_options
def _outline(options: Mapping[str, Any]) -> _Outline:
    triggers = option(options, "triggers")
    part_words: Mapping[str, Sequence[str]] = option(options, "part_words")
    found = re.compile("|".join(re.escape(folded(t)) for t in triggers)) if triggers else None
    return _Outline(triggers, tuple(sorted(set(triggers))), found,
                    re.compile("|".join(re.escape(t) for t in triggers) if triggers else r"(?!)"),
                    tuple((w, fold(w)) for w in option(options, "foreign")),
                    tuple((pid, tuple(fold(w) for w in words)) for pid, words in part_words.items()))


def outline(report: Report, ctx: RuleContext) -> list[Finding]:
    opts = ctx.options
    compiled = _outline(opts)
    trigger = compiled.found
    places = passages(report, ["preamble"], ctx.memo) or passages(report, ["overview"], ctx.memo)
    if trigger is None or not places:
        return []
    for passage in places:
        if trigger.search(passage.flat) is None:
            continue
        found = _listing(passage, compiled, opts["min_items"])
        if found is None:
            continue
        start, items, stated = found
        listed = "|".join(items)  # one string: a word is looked for once, never across two items
        foreign = [w for w, key in compiled.foreign if key in listed]
        named = {pid for pid, words in compiled.part_words if any(map(listed.__contains__, words))}
        missing = [p for p in report.spec.parts if p.id not in named]
        absent_but_printed = [p for p in missing if _present(report, ctx, p.id, p.is_table)]
        six = len(report.spec.parts)
        problems_zh, problems_en = [], []
        if foreign:
            problems_zh.append(f"列出{'、'.join(foreign)}，不属于格式规定的{six}个部分")
            problems_en.append(f"it lists {', '.join(foreign)}, not among the {six} parts of the form")
        if absent_but_printed or (missing and stated == six):
            gone = absent_but_printed or missing
            problems_zh.append(f"未列出{'、'.join(p.heading.zh for p in gone)}")
            problems_en.append(f"it leaves out {'; '.join(p.heading.en for p in gone)}")
        if stated is not None and stated != six:
            problems_zh.append(f"称共{stated}个部分")
            problems_en.append(f"it speaks of {stated} parts")
        if not problems_zh:
            return []
        problem = _label("；".join(problems_zh), "; ".join(problems_en))
        return [ctx.finding(pointer=passage.pointer, problem=problem, foreign=foreign,
                            missing=[p.id for p in missing], stated=stated, **quote_at(passage, start))]
    return []


def _listing(passage: Passage, compiled: _Outline, min_items: int) -> tuple[int, list[str], int | None] | None:
    """The passage's first sentence that lists the report's parts: where, its items, the count it states."""
    for start, _, sentence in isplit(passage.view):  # the listing is near the start: the rest is not cut
        folded = fold(sentence)
        found = compiled.any.search(folded)  # where the first trigger is (none: parse_outline finds no list)
        if found is not None:
            parsed = _parsed(folded, found.start(), compiled.ordered)
            if len(parsed[0]) >= min_items:
                return start, *parsed
    return None


@per_options
def _markers(options: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """The old outline's markers with their folded forms, once per options."""
    return tuple((m, fold(m)) for m in option(options, "markers"))


def _marked(line: str, markers: tuple[tuple[str, str], ...]) -> list[str]:
    """The markers a heading holds (folded, the line and the markers alike)."""
    key = fold(line)
    return [m for m, folded_marker in markers if folded_marker in key]


def old_outline(report: Report, ctx: RuleContext) -> list[Finding]:
    opts = ctx.options
    if report.year is None or report.year < opts["from_year"]:
        return []
    markers = _markers(opts)
    # (heading as printed, where: the params that quote it, made for the first hit only)
    found: list[tuple[str, Callable[[], dict[str, Any]]]] = []
    for passage, offset, _, line in top_headings(passages(report, None, ctx.memo)):
        found.append((line, functools.partial(quoting, line, passage.name, passage.field, offset)))
    for f in ctx.load_findings:  # headings the parser saw but did not take for one of the six parts
        if f.code == "GD-PARSE-HEADING" and f.params.get("heading"):
            heading = str(f.params["heading"])
            found.append((heading, functools.partial(quoting, heading, SOURCE, str(f.params.get("part") or ""),
                                                     line=f.line)))
    script = traditional(report, ctx.memo)  # a heading in Traditional script is matched folded, as the parser does
    hits = [(line, where, _marked(simplified(line) if script else line, markers)) for line, where in found]
    hits = [h for h in hits if h[2]]
    order = [m for m, _ in markers]
    distinct = sorted({m for _, _, ms in hits for m in ms}, key=order.index)
    if len(distinct) < opts["min_markers"]:
        return []
    where = hits[0][1]()
    finding = ctx.finding(pointer="", year=report.year, markers="、".join(distinct),
                          headings=[line for line, _, _ in hits], **where)
    at = where["line"]  # not ``line``, a heading above: compiled, a variable keeps its first type (str)
    return [attrs.evolve(finding, line=at) if at is not None else finding]


# ----------------------------------------------------------------------------- the format notice

# after the issuer, in text without whitespace, digits and brackets in either width
_NOTICE = r"[〔\[［(（【]?(?P<year>[12１２][0-9０-９]{3})[〕\]］)）】]?第?(?P<number>[0-9０-９]{1,4})号"


@functools.lru_cache(maxsize=8)
def notices(specs: tuple[FormatSpec, ...]) -> list[dict[str, Any]]:
    """The format notices the formats declare (``FormatSpec.notice``) with the years they serve."""
    out = []
    for spec in specs:
        m = re.match(r"(?P<issuer>\D+?)[〔\[(（]\s*(?P<year>\d{4})\s*[〕\])）]\s*(?P<number>\d+)\s*号", spec.notice)
        if m:
            out.append({"issuer": m.group("issuer"), "year": int(m.group("year")), "number": int(m.group("number")),
                        "first": spec.first_year, "last": spec.last_year, "cite": spec.notice})
    return out


@attrs.frozen
class _Notices:
    """The known format notices compiled for the search: by issuer (in order), the pattern of a
    citation and the notices by (year, number)."""

    known: tuple[dict[str, Any], ...]
    issuers: tuple[tuple[str, re.Pattern[str], dict[tuple[int, int], list[dict[str, Any]]]], ...]

    @classmethod
    def of(cls, known: Sequence[dict[str, Any]]) -> _Notices:
        issuers = []
        for issuer in sorted({n["issuer"] for n in known}):
            by_number: dict[tuple[int, int], list[dict[str, Any]]] = {}
            for n in known:
                if n["issuer"] == issuer:
                    by_number.setdefault((n["year"], n["number"]), []).append(n)
            issuers.append((folded(issuer), re.compile(re.escape(folded(issuer)) + _NOTICE), by_number))
        return cls(tuple(known), tuple(issuers))


@per_options
def _declared(registry: Registry) -> _Notices:
    """The notices of a registry's formats."""
    return _Notices.of(notices(tuple(registry.formats.values())))


def _known(report: Report, ctx: RuleContext) -> _Notices:
    base = _declared(ctx.registry) if ctx.registry is not None else _Notices.of(notices((report.spec,)))
    extra = ctx.options.get("extra_notices")
    return _Notices.of([*base.known, *extra]) if extra else base


def _cites(text: str, known: _Notices) -> list[tuple[dict[str, Any], int]]:
    """The known notices cited in a text, with where each citation starts (folded offset)."""
    out: list[tuple[dict[str, Any], int]] = []
    for issuer, rx, by_number in known.issuers:
        if issuer not in text:
            continue
        for m in rx.finditer(text):
            for n in by_number.get((int(m.group("year")), int(m.group("number"))), ()):
                out.append((n, m.start()))
    return out


def _serves(notice: dict[str, Any]) -> Label:
    if notice.get("last") is None:
        return _label(f"{notice['first']} 年度起", f"{notice['first']} onwards")
    return _label(f"{notice['first']}—{notice['last']} 年度", f"{notice['first']}–{notice['last']}")


def notice_cite(report: Report, ctx: RuleContext) -> list[Finding]:
    year = report.year
    if year is None:
        return []
    known = _known(report, ctx)
    # (notice, the passage citing it and where, folded; None: the notice recorded): quoted when it is wrong
    cited: list[tuple[dict[str, Any], Passage | None, int]] = []
    for passage in passages(report, None, ctx.memo):
        cited.extend((n, passage, at) for n, at in _cites(passage.flat, known))
    if not cited and report.notice:  # the notice the parser or the author recorded
        cited.extend((n, None, 0) for n, _ in _cites(folded(report.notice), known))
    if not cited:
        return []
    serving = [n for n, _, _ in cited if year >= n["first"] and (n["last"] is None or year <= n["last"])]
    for n, source, at in cited:
        too_new = year < n["first"]
        superseded = n["last"] is not None and year > n["last"] and not serving
        if too_new or superseded:
            where = (quote_at(source, raw_offset(source.text, at)) if source is not None
                     else quoting(report.notice or "", _NOTICE_CITED, "notice"))
            return [ctx.finding(pointer="/notice" if where["part"] == "notice" else f"/parts/{where['part']}",
                                year=year, cited=n["cite"], serves=_serves(n), **where)]
    return []


# ----------------------------------------------------------------------------- the statistics period

@per_options
def _period_words(options: Mapping[str, Any]) -> Words:
    return Words.of([option(options, "words")])


def stat_period(report: Report, ctx: RuleContext) -> list[Finding]:
    period = report.period
    if period is None:
        return []
    start, end = period.start, period.end
    year = report.year or start.year
    # a wrong year alone is GD-M-YEAR's finding; this rule is about a period that is not a calendar year
    if (start.month, start.day) == (1, 1) and (end.month, end.day) == (12, 31) and start.year == end.year:
        return []
    hit = first(passages(report, None, ctx.memo), _period_words(ctx.options))
    where = hit.params() if hit is not None else quoting(
        f"{start.isoformat()} — {end.isoformat()}", _PERIOD, "period")
    return [ctx.finding(pointer="/period", pointers=["/period/start", "/period/end"], start=start.isoformat(),
                        end=end.isoformat(), year=year, full_start=dt.date(year, 1, 1).isoformat(),
                        full_end=dt.date(year, 12, 31).isoformat(), **where)]


__all__ = ["notice_cite", "old_outline", "outline", "parse_outline", "stat_period"]
