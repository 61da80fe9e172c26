"""Copied text: from the same agency's previous report (series) and between the reports of one run (batch)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ...findings import Finding
from ...formats.spec import Label
from ...text import Sentence, SentenceIndex, fingerprint, needed, overlap, sentences
from .narrative import Passage, fold, option, passages, quote_at, quoting, raw_offset

if TYPE_CHECKING:
    from ...model import Report
    from ..types import RuleContext

__all__ = ["dup_peer", "dup_prev", "regions", "same_agency"]


def _quotes(repeated: Sequence[tuple[Sentence, Sentence]], owner: dict[int, Passage], n: int) -> list[dict[str, Any]]:
    out = []
    for mine, theirs in repeated[:n]:
        passage = owner[id(mine)]
        out.append({"quote": quoting(mine.text, passage.name, passage.field, mine.start)["quote"],
                    "part": passage.field, "offset": mine.start, "other_offset": theirs.start})
    return out


def _sentences(report: Report, fields: Sequence[str], min_chars: int, memo: dict[Any, Any] | None = None
               ) -> tuple[list[Sentence], dict[int, Passage]]:
    out: list[Sentence] = []
    owner: dict[int, Passage] = {}
    for passage in passages(report, fields, memo):
        for s in sentences(passage.text, year=report.year, min_chars=min_chars):
            out.append(s)
            owner[id(s)] = passage
    return out, owner


def dup_prev(report: Report, previous: Report, ctx: RuleContext) -> Iterator[Finding]:
    opts = ctx.options
    for field in option(opts, "parts"):
        mine, owner = _sentences(report, [field], opts["min_chars"], ctx.memo)
        theirs, _ = _sentences(previous, [field], opts["min_chars"], ctx.memo)
        if not theirs:
            continue
        o = overlap(mine, theirs)
        if o.sentences < opts["min_sentences"] or len(o.repeated) < needed(o.sentences, opts["threshold"]):
            continue
        quotes = _quotes(o.repeated, owner, opts["quotes"])
        head = o.repeated[0][0]
        yield ctx.finding(pointer=f"/parts/{field}", share=f"{o.share:.0%}", repeated=len(o.repeated),
                          sentences=o.sentences, previous_year=previous.year, quotes=quotes,
                          **quote_at(owner[id(head)], head.start))


# ----------------------------------------------------------------------------- across a run


def same_agency(a: Report, b: Report) -> bool | None:
    """Whether two reports are the same agency's (None: a name is missing, so it cannot be told).
    Names that differ only by a leading region (洪泽区人民政府, 淮安市洪泽区人民政府) are the same."""
    if not a.agency.name or not b.agency.name:
        return None
    x, y = fold(a.agency.name), fold(b.agency.name)
    return x == y or x.endswith(y) or y.endswith(x)


def regions(name: str | None, suffixes: Sequence[str], generic: Sequence[str] = ()) -> list[str]:
    """The regions an agency's name starts with, most general first
    (淮安市洪泽区人民政府 → 淮安市, 洪泽区); generic words (开发区, 城市) are left out."""
    if not name:
        return []
    rx = _region_rx(tuple(suffixes))
    out, rest = [], fold(name)
    while True:
        m = rx.match(rest)
        if m is None:
            break
        out.append(m.group(1))
        rest = rest[m.end():]
    return [r for r in out if r not in generic]


@functools.lru_cache(maxsize=8)
def _region_rx(suffixes: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("(.{1,10}?(?:" + "|".join(re.escape(s) for s in sorted(suffixes, key=len, reverse=True)) + "))")


def _kind(region: str, suffixes: Sequence[str]) -> str:
    return next(s for s in sorted(suffixes, key=len, reverse=True) if region.endswith(s))


def _who(report: Report) -> str:
    return f"{report.agency.name or '?'} {report.year or ''}".strip()


def dup_peer(reports: Sequence[Report], ctx: RuleContext) -> Iterator[tuple[int, Finding]]:
    opts = ctx.options
    parts, min_chars = option(opts, "parts"), opts["min_chars"]
    index = SentenceIndex()
    for r in reports:  # only the sentences' hashes are kept: a run can hold thousands of reports
        index.add(fingerprint(_sentences(r, parts, min_chars)[0]))
    n = len(reports)
    max_df = max(2, int(opts["boilerplate_share"] * n)) if n >= opts["boilerplate_min_reports"] else None
    threshold = opts["threshold"]
    peers: dict[int, list[tuple[float, int, int]]] = {}
    for m in index.matches(threshold, max_df=max_df):
        if same_agency(reports[m.a], reports[m.b]) is not False:
            continue  # the same agency (another year: GD-M-DUP-PREV), or it cannot be told
        for me, other, share in ((m.a, m.b, m.share_a), (m.b, m.a, m.share_b)):
            counted = round(m.shared / share) if share else 0
            if counted >= opts["min_sentences"] and m.shared >= needed(counted, threshold):
                peers.setdefault(me, []).append((share, other, counted))
    for me in sorted(peers):
        found = sorted(peers[me], key=lambda p: (-p[0], p[1]))
        share, other, counted = found[0]
        mine, owner = _sentences(reports[me], parts, min_chars)
        o = overlap(mine, _sentences(reports[other], parts, min_chars)[0])
        quotes = _quotes(o.repeated, owner, opts["quotes"])
        head = o.repeated[0][0]
        what = Label(f"与本次核查的另一机关（{_who(reports[other])}）的报告近乎相同：{share:.0%} 的句子逐字相同"
                     + (f"（另有 {len(found) - 1} 份报告也是如此）" if len(found) > 1 else ""),
                     f"near-identical to another agency's report in this run ({_who(reports[other])}): {share:.0%} "
                     "of the sentences are the same word for word"
                     + (f" ({len(found) - 1} more reports too)" if len(found) > 1 else ""))
        yield me, ctx.finding(pointer=f"/parts/{owner[id(head)].field}", what=what, share=f"{share:.0%}",
                              sentences=counted, other=other, other_agency=reports[other].agency.name,
                              peers=[{"index": o_, "share": round(s, 3)} for s, o_, _ in found[:10]],
                              quotes=quotes, **quote_at(owner[id(head)], head.start))
    yield from _names(reports, ctx)


def _mentions(passage: Passage, names: dict[str, list[int]], kind: str, lengths: Sequence[int]
              ) -> Iterator[tuple[str, int]]:
    """Region names of ``names`` in the passage: found by their last character(s) (the kind), so that
    the cost does not grow with the number of names."""
    flat = passage.flat
    for m in re.finditer(re.escape(kind), flat):
        end = m.end()
        for length in lengths:
            if length <= end and flat[end - length:end] in names:
                yield flat[end - length:end], raw_offset(passage.text, end - length)


def _names(reports: Sequence[Report], ctx: RuleContext) -> Iterator[tuple[int, Finding]]:
    """Another report's region named in the body, where both are regions of the same kind (两个县, 两个镇)."""
    opts = ctx.options
    suffixes, generic = option(opts, "region_suffixes"), option(opts, "generic_regions")
    chains = [regions(r.agency.name, suffixes, generic) for r in reports]
    names: dict[str, dict[str, list[int]]] = {}  # kind -> region name -> reports
    for i, chain in enumerate(chains):
        if chain and len(chain[-1]) >= opts["min_name_chars"]:
            names.setdefault(_kind(chain[-1], suffixes), {}).setdefault(chain[-1], []).append(i)
    lengths = {kind: sorted({len(n) for n in known}) for kind, known in names.items()}
    for j, chain in enumerate(chains):
        kind = _kind(chain[-1], suffixes) if chain else None
        if kind not in names:
            continue
        seen: set[str] = set()
        for passage in passages(reports[j]):
            for name, offset in _mentions(passage, names[kind], kind, lengths[kind]):
                if name in seen or name in chain:
                    continue
                seen.add(name)
                owner = next((i for i in names[kind][name] if same_agency(reports[i], reports[j]) is False), None)
                if owner is None:
                    continue
                what = Label(f"正文提到{name}（本次核查中{_who(reports[owner])}所在地），疑为照抄他处报告的遗留",
                             f"the text names {name}, the region of another report in this run "
                             f"({_who(reports[owner])}): probably left over from a copied report")
                yield j, ctx.finding(pointer=passage.pointer, what=what, name=name, other=owner,
                                     other_agency=reports[owner].agency.name, **quote_at(passage, offset))
