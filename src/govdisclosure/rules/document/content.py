"""What the parts say: part 1's themes, 第五十条第四项, part 5's problems, part 6's topics and fees, stale topics."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import attrs

from ...findings import Finding
from ...formats.spec import Label
from .narrative import (
    Passage,
    Words,
    _label,
    finds,
    first,
    fold,
    fold_chars,
    fold_offset,
    folded,
    option,
    passages,
    per_options,
    present,
    quote_at,
    quoting,
)

if TYPE_CHECKING:
    from ...model import Report
    from ..types import RuleContext

__all__ = ["art50_4", "fees_t3", "overview_themes", "part5_vague", "part6_topics", "stale_topic"]


@attrs.frozen
class _Topics:
    """A rule's topics, compiled once per options: their names, and their words for the search."""

    names: tuple[Label, ...]
    words: Words


def _topics(items: Sequence[dict[str, Any]]) -> _Topics:
    return _Topics(tuple(Label(t["zh"], t.get("en", t["zh"])) for t in items), Words.of(t["words"] for t in items))


@functools.lru_cache(maxsize=256)
def _join(labels: tuple[Label, ...]) -> Label:
    return Label("、".join(x.zh for x in labels), ", ".join(x.en for x in labels))


def _opening(passage: Passage) -> dict[str, Any]:
    """Quote a part's first sentence (what a finding about the part as a whole shows)."""
    return quote_at(passage, len(passage.text) - len(passage.text.lstrip()))


def _missing(texts: Sequence[Passage], topics: _Topics) -> tuple[list[Label], list[dict[str, Any]]]:
    missing, found = [], []
    for name, where in zip(topics.names, present(texts, topics.words), strict=True):
        if where is None:
            missing.append(name)
        else:
            found.append({"topic": name.zh, "word": where[1], "part": where[0].field})
    return missing, found


@per_options
def _themes(options: Mapping[str, Any]) -> _Topics:
    return _topics(option(options, "themes"))


def overview_themes(report: Report, ctx: RuleContext) -> list[Finding]:
    texts = passages(report, ["overview"], ctx.memo)
    if not texts:
        return []  # a missing part is GD-M-SECTIONS's finding
    themes = _themes(ctx.options)
    missing, found = _missing(texts, themes)
    if len(missing) < ctx.options["min_missing"]:
        return []
    return [ctx.finding(pointer=texts[0].pointer, missing=_join(tuple(missing)), count=len(missing),
                        themes=len(themes.names), found=found, chars=len(texts[0].flat), **_opening(texts[0]))]


@attrs.frozen
class _Art50:
    levels: frozenset[str]
    name_suffixes: tuple[str, ...]
    needs_parts: frozenset[str]
    topics: _Topics


@per_options
def _art50(options: Mapping[str, Any]) -> _Art50:
    return _Art50(frozenset(option(options, "levels")), tuple(option(options, "name_suffixes")),
                  frozenset(option(options, "needs_parts")), _topics(option(options, "topics")))


def _government(report: Report, opts: _Art50) -> Label | None:
    """What the finding says the agency is: a people's government by its recorded level, or taken for one by its
    name when the level is not known (a 开发区管理委员会 is a 派出机构 that may act as one: said as inferred, not
    as a fact, probe 13 #14); None when it is not one."""
    level, name = report.agency.level, report.agency.name or ""
    if level is not None:
        return _IS_GOVERNMENT if level in opts.levels else None
    suffix = next((s for s in opts.name_suffixes if name.endswith(s)), None)
    if suffix is None:
        return None
    if suffix == "人民政府":
        return _IS_GOVERNMENT
    return _label(f"按名称（“{suffix}”）推断为人民政府（层级未定）",
                  f"is taken for a people's government by its name (“{suffix}”; its level is not known)")


_IS_GOVERNMENT = Label("是人民政府", "is a people's government")
#: where a finding about the whole text is (made once: a Label's attrs ``__init__`` is interpreted)
_WHOLE_TEXT = Label("全文", "the whole text")


def art50_4(report: Report, ctx: RuleContext) -> list[Finding]:
    opts = _art50(ctx.options)
    government = _government(report, opts)
    if government is None:
        return []
    texts = tuple(p for p in passages(report, None, ctx.memo) if p.field != "preamble")
    if not {p.field for p in texts} >= opts.needs_parts:
        return []  # an excerpt: what it leaves out cannot be told
    topics = opts.topics
    missing, found = _missing(texts, topics)
    if len(topics.names) - len(missing) >= ctx.options["min_topics"]:
        return []
    searched = _label("、".join(p.name.zh for p in texts), "; ".join(p.name.en for p in texts))
    return [ctx.finding(pointer="/parts", missing=_join(tuple(missing)), agency=report.agency.name or "",
                        level=report.agency.level, searched=searched, found=found, government=government,
                        **quoting("", _WHOLE_TEXT, ""))]


@attrs.frozen
class _Vague:
    empty: frozenset[str]  #: what a part 5 that says nothing is (folded)
    problem: re.Pattern[str] | None  #: any word that names a problem (None: no words)
    reference: re.Pattern[str] | None  #: "针对存在的问题，…": a problem referred to, not named


@per_options
def _vague(options: Mapping[str, Any]) -> _Vague:
    problem_words, measure_words = option(options, "problem_words"), option(options, "measure_words")
    problem = re.compile("|".join(re.escape(folded(w)) for w in problem_words)) if problem_words else None
    reference = re.compile("(?:" + "|".join(re.escape(folded(w)) for w in measure_words)
                           + r")[^,，;；。]{0,80}?(?:问题|不足)") if measure_words else None
    # bounded: an unbounded lazy scan restarts at every measure word, quadratic on a long clause
    return _Vague(frozenset(fold(w) for w in option(options, "empty")), problem, reference)


def _names_a_problem(passage: Passage, opts: _Vague) -> bool:
    """Whether part 5 names a problem: a problem word, once the problems referred to (:attr:`_Vague.reference`) are
    taken out.  A problem word before the first of them stands: then they are not taken out (a pass over the text)."""
    problem, reference, flat = opts.problem, opts.reference, passage.flat
    if problem is None:
        return False
    named = problem.search(flat)
    referred = reference.search(flat) if reference is not None else None
    if reference is None or referred is None:
        return named is not None
    if named is not None and named.end() <= referred.start():
        return True  # the text up to the first reference is the same once the references are out
    return problem.search(reference.sub("", flat)) is not None


def part5_vague(report: Report, ctx: RuleContext) -> list[Finding]:
    texts = passages(report, ["problems"], ctx.memo)
    if not texts:
        return []
    opts = _vague(ctx.options)
    passage = texts[0]
    stripped = passage.view.strip()
    body = re.sub(r"[。.;；,，!！]", "", fold(stripped)) if len(stripped) <= 30 else None
    if body is not None and body in opts.empty:
        return [ctx.finding(pointer=passage.pointer, kind=_SAYS_NONE, **_opening(passage))]
    if _names_a_problem(passage, opts):
        return []
    return [ctx.finding(pointer=passage.pointer, kind=_MEASURES_ONLY, **_opening(passage))]


#: what GD-M-PART5-VAGUE finds (made once)
_SAYS_NONE = Label("只写了“无”", "it only says none")
_MEASURES_ONLY = Label("只有“进一步……”之类的措施，未指出具体问题", "it lists measures (进一步…) and names no problem")


@per_options
def _part6(options: Mapping[str, Any]) -> _Topics:
    return _topics(option(options, "topics"))


def part6_topics(report: Report, ctx: RuleContext) -> list[Finding]:
    texts = passages(report, ["other"], ctx.memo)
    if not texts:
        return []
    missing, found = _missing(texts, _part6(ctx.options))
    if not missing:
        return []
    return [ctx.finding(pointer=texts[0].pointer, missing=_join(tuple(missing)), count=len(missing), found=found,
                        **_opening(texts[0]))]


def _cell(report: Report, pointer: str) -> Any:
    try:
        return report.cell(pointer)
    except KeyError:
        return None


def _amount(texts: Sequence[Passage], patterns: Sequence[re.Pattern[str]]) -> tuple[Decimal, dict[str, Any]] | None:
    for passage in texts:
        flat = fold_chars(passage.view)  # part 6 as NFKC text, character by character: what the patterns are for
        for pattern in patterns:
            for m in pattern.finditer(flat):
                try:
                    value = Decimal(m.group(1))
                except InvalidOperation:
                    continue
                return value, quote_at(passage, fold_offset(passage.view, m.start()))
    return None


#: part 6, when it is not there to quote
_PART6 = Label("第六部分", "part 6")


@attrs.frozen
class _Fees:
    fee_words: Words
    amount_patterns: tuple[re.Pattern[str], ...]


@per_options
def _fees(options: Mapping[str, Any]) -> _Fees:
    return _Fees(Words.of([option(options, "fee_words")]),
                 tuple(re.compile(p) for p in option(options, "amount_patterns")))


def fees_t3(report: Report, ctx: RuleContext) -> list[Finding]:
    opts = _fees(ctx.options)
    out: list[Finding] = []
    unpaid = _cell(report, "/requests/other/fee_unpaid/total")
    if unpaid:
        texts = passages(report, ["other"], ctx.memo)
        mention = first(texts, opts.fee_words)
        if mention is None:
            where = _opening(texts[0]) if texts else quoting("", _PART6, "other")
            out.append(ctx.finding(pointer="/requests/other/fee_unpaid/total", unpaid=unpaid,
                                   kind=_label(f"表三有 {unpaid} 件申请因逾期未缴费不再处理，第六部分未提及收费",
                                               f"table 3 has {unpaid} requests closed for unpaid fees; part 6 says "
                                               "nothing of fees"), **where))
    received, carried = _cell(report, "/requests/received/total"), _cell(report, "/requests/carried_over/total")
    if received != 0 or carried not in (0, None):
        return out  # requests were handled: fees charged are no contradiction (part 6 is not read for them)
    charged = _amount(passages(report, ["other"], ctx.memo), opts.amount_patterns)
    if charged is not None and charged[0] > 0:
        amount, where = charged
        out.append(ctx.finding(pointer="/parts/other", pointers=["/parts/other", "/requests/received/total"],
                               amount=str(amount),
                               kind=_label(f"第六部分称收取信息处理费 {amount} 元，表三却没有申请",
                                           f"part 6 reports {amount} yuan of fees charged, table 3 has no requests"),
                               **where))
    return out


@attrs.frozen
class _Stale:
    terms: tuple[dict[str, Any], ...]
    before: tuple[str, ...]  #: right before a term, it is history (原经信委)
    after: tuple[str, ...]  #: right after ("十三五"期间)
    skip: frozenset[str]  #: fields not searched
    #: what :meth:`stale_in` found by year (given empty: a default would keep the module out of the compiled build)
    by_year: dict[int, tuple[dict[str, dict[str, Any]], Words]] = attrs.field(eq=False)

    def stale_in(self, year: int) -> tuple[dict[str, dict[str, Any]], Words]:
        """The terms stale in a year's report, by term, and their words for the search."""
        found = self.by_year.get(year)
        if found is None:
            terms = {t["term"]: t for t in self.terms if year >= t["from"]}
            found = self.by_year[year] = (terms, Words.of([tuple(terms)]))
        return found


@per_options
def _stale(options: Mapping[str, Any]) -> _Stale:
    return _Stale(tuple(option(options, "terms")), tuple(option(options, "history_before")),
                  tuple(option(options, "history_after")), frozenset(option(options, "skip") or ()), {})


def _history(passage: Passage, start: int, end: int, opts: _Stale) -> bool:
    """Whether a term is quoted as history: 原经信委, "十三五"期间."""
    before = fold(passage.view[max(0, start - 4):start])
    tail = fold(passage.view[end:end + 6]).lstrip("”\"」』’'")
    return before.endswith(opts.before) or tail.startswith(opts.after)


def stale_topic(report: Report, ctx: RuleContext) -> list[Finding]:
    year = report.year
    if year is None:
        return []
    opts = _stale(ctx.options)
    texts = tuple(p for p in passages(report, None, ctx.memo) if p.field not in opts.skip)
    terms, words = opts.stale_in(year)
    if not texts or not terms:
        return []
    by_sentence: dict[tuple[int, int], dict[str, Any]] = {}
    for k, hits in enumerate(finds(texts, words)):
        seen: set[str] = set()
        for hit in hits:
            if hit.word in seen or _history(hit.passage, hit.start, hit.end, opts):
                continue  # the first use in a part is enough; history is not stale boilerplate
            seen.add(hit.word)
            term = terms[hit.word]
            where = hit.params()
            entry = by_sentence.setdefault((k, where["offset"]), {"terms": [], "why": [], **where})
            entry["terms"].append(term["term"])
            if term.get("why") and term["why"] not in entry["why"]:
                entry["why"].append(term["why"])
    out: list[Finding] = []
    for (k, _), entry in sorted(by_sentence.items()):
        out.append(ctx.finding(pointer=texts[k].pointer, year=year, term="、".join(entry.pop("terms")),
                               why="；".join(entry.pop("why")), **entry))
    return out
