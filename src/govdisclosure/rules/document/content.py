"""What the parts say: part 1's themes, 第五十条第四项, part 5's problems, part 6's topics and fees, stale topics."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from ...findings import Finding
from ...formats.spec import Label
from .narrative import Passage, find, first, fold, fold_offsets, folded, option, passages, present, quote_at, quoting

if TYPE_CHECKING:
    from ...model import Report
    from ..types import RuleContext

__all__ = ["art50_4", "fees_t3", "overview_themes", "part5_vague", "part6_topics", "stale_topic"]


def _topics(items: Sequence[dict[str, Any]]) -> list[tuple[Label, list[str]]]:
    return [(Label(t["zh"], t.get("en", t["zh"])), list(t["words"])) for t in items]


def _join(labels: Sequence[Label]) -> Label:
    return Label("、".join(x.zh for x in labels), ", ".join(x.en for x in labels))


def _opening(passage: Passage) -> dict[str, Any]:
    """Quote a part's first sentence (what a finding about the part as a whole shows)."""
    return quote_at(passage, len(passage.text) - len(passage.text.lstrip()))


def _missing(texts: Sequence[Passage], topics: list[tuple[Label, list[str]]]
             ) -> tuple[list[Label], list[dict[str, Any]]]:
    missing, found = [], []
    for (name, _), where in zip(topics, present(texts, [words for _, words in topics]), strict=True):
        if where is None:
            missing.append(name)
        else:
            found.append({"topic": name.zh, "word": where[1], "part": where[0].field})
    return missing, found


def overview_themes(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    texts = passages(report, ["overview"])
    if not texts:
        return  # a missing part is GD-M-SECTIONS's finding
    themes = _topics(option(ctx.options, "themes"))
    missing, found = _missing(texts, themes)
    if len(missing) >= ctx.options["min_missing"]:
        yield ctx.finding(pointer=texts[0].pointer, missing=_join(missing), count=len(missing), themes=len(themes),
                          found=found, chars=len(folded(texts[0].text)), **_opening(texts[0]))


def _government(report: Report, opts: Any) -> bool:
    level, name = report.agency.level, report.agency.name or ""
    if level is not None:
        return level in option(opts, "levels")
    return any(name.endswith(s) for s in option(opts, "name_suffixes"))


def art50_4(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    if not _government(report, ctx.options):
        return
    texts = tuple(p for p in passages(report) if p.field != "preamble")
    if not {p.field for p in texts} >= set(option(ctx.options, "needs_parts")):
        return  # an excerpt: what it leaves out cannot be told
    topics = _topics(option(ctx.options, "topics"))
    missing, found = _missing(texts, topics)
    if len(topics) - len(missing) < ctx.options["min_topics"]:
        searched = Label("、".join(p.name.zh for p in texts), "; ".join(p.name.en for p in texts))
        yield ctx.finding(pointer="/parts", missing=_join(missing), agency=report.agency.name or "",
                          level=report.agency.level, searched=searched, found=found,
                          **quoting("", Label("全文", "the whole text"), ""))


@functools.lru_cache(maxsize=16)
def _reference(measure_words: tuple[str, ...]) -> re.Pattern[str]:
    # "针对存在的问题，…" / "解决…问题": a problem referred to, not named
    return re.compile("(?:" + "|".join(re.escape(folded(w)) for w in measure_words) + r")[^,，;；。]*?(?:问题|不足)")


def _names_a_problem(text: str, problem_words: list[str], measure_words: list[str]) -> bool:
    flat = _reference(tuple(measure_words)).sub("", folded(text)) if measure_words else folded(text)
    return any(folded(w) in flat for w in problem_words)


def part5_vague(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    texts = passages(report, ["problems"])
    if not texts:
        return
    passage = texts[0]
    stripped = passage.text.strip()
    body = re.sub(r"[。.;；,，!！]", "", fold(stripped)) if len(stripped) <= 30 else None
    if body is not None and body in {fold(w) for w in option(ctx.options, "empty")}:
        yield ctx.finding(pointer=passage.pointer, kind=Label("只写了“无”", "it only says none"),
                          **_opening(passage))
        return
    if _names_a_problem(passage.text, option(ctx.options, "problem_words"), option(ctx.options, "measure_words")):
        return
    yield ctx.finding(pointer=passage.pointer, kind=Label("只有“进一步……”之类的措施，未指出具体问题",
                                                          "it lists measures (进一步…) and names no problem"),
                      **_opening(passage))


def part6_topics(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    texts = passages(report, ["other"])
    if not texts:
        return
    topics = _topics(option(ctx.options, "topics"))
    missing, found = _missing(texts, topics)
    if missing:
        yield ctx.finding(pointer=texts[0].pointer, missing=_join(missing), count=len(missing), found=found,
                          **_opening(texts[0]))


def _cell(report: Report, pointer: str) -> Any:
    try:
        return report.cell(pointer)
    except KeyError:
        return None


def _amount(texts: Sequence[Passage], patterns: list[str]) -> tuple[Decimal, dict[str, Any]] | None:
    for passage in texts:
        flat, where = fold_offsets(passage.text)  # part 6 is short: the patterns are written for NFKC text
        for pattern in patterns:
            for m in re.finditer(pattern, flat):
                try:
                    value = Decimal(m.group(1))
                except InvalidOperation:
                    continue
                return value, quote_at(passage, where[m.start()])
    return None


def fees_t3(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    texts = passages(report, ["other"])
    opts = ctx.options
    unpaid = _cell(report, "/requests/other/fee_unpaid/total")
    if unpaid:
        mention = first(texts, option(opts, "fee_words"))
        if mention is None:
            where = _opening(texts[0]) if texts else quoting("", Label("第六部分", "part 6"), "other")
            yield ctx.finding(pointer="/requests/other/fee_unpaid/total", unpaid=unpaid,
                              kind=Label(f"表三有 {unpaid} 件申请因逾期未缴费不再处理，第六部分未提及收费",
                                         f"table 3 has {unpaid} requests closed for unpaid fees; part 6 says "
                                         "nothing of fees"), **where)
    charged = _amount(texts, option(opts, "amount_patterns"))
    received, carried = _cell(report, "/requests/received/total"), _cell(report, "/requests/carried_over/total")
    if charged is not None and charged[0] > 0 and received == 0 and carried in (0, None):
        amount, where = charged
        yield ctx.finding(pointer="/parts/other", pointers=["/parts/other", "/requests/received/total"],
                          amount=str(amount),
                          kind=Label(f"第六部分称收取信息处理费 {amount} 元，表三却没有申请",
                                     f"part 6 reports {amount} yuan of fees charged, table 3 has no requests"),
                          **where)


def stale_topic(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    year = report.year
    if year is None:
        return
    opts = ctx.options
    before, after = option(opts, "history_before"), option(opts, "history_after")
    skip = set(option(opts, "skip") or ())
    texts = tuple(p for p in passages(report) if p.field not in skip)
    by_sentence: dict[tuple[int, int], dict[str, Any]] = {}
    terms = {t["term"]: t for t in option(opts, "terms") if year >= t["from"]}
    for k, passage in enumerate(texts):
        seen: set[str] = set()
        for hit in find(passage, terms):
            if hit.word in seen:
                continue  # the first use in a part is enough
            folded_before = fold(passage.text[max(0, hit.start - 4):hit.start])
            tail = fold(passage.text[hit.end:hit.end + 6]).lstrip("”\"」』’'")
            if any(folded_before.endswith(b) for b in before) or any(tail.startswith(a) for a in after):
                continue  # 原经信委, "十三五"期间: history, not stale boilerplate
            seen.add(hit.word)
            term = terms[hit.word]
            where = hit.params()
            entry = by_sentence.setdefault((k, where["offset"]), {"terms": [], "why": [], **where})
            entry["terms"].append(term["term"])
            if term.get("why") and term["why"] not in entry["why"]:
                entry["why"].append(term["why"])
    for (k, _), entry in sorted(by_sentence.items()):
        yield ctx.finding(pointer=texts[k].pointer, year=year, term="、".join(entry.pop("terms")),
                          why="；".join(entry.pop("why")), **entry)
