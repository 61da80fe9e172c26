"""Stage ``metadata``: title, agency and its level, year, dates and notice.

The title (found by :mod:`.regions`) gives the agency and the year; a web page's frame (its info
table: 发布日期, 发布机构 …) gives what the report's own text does not; the date under the
signature is the publication date when nothing else says.
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import re
from typing import Any, Final

from ..findings import Finding
from ..formats import published
from ..formats.spec import Label
from ..model.scalars import LEVEL_LABELS
from . import findings as F
from .narrative import INFO_LINE
from .numerals import ZH_DAY, ZH_MONTH, ZH_YEAR, number, zh_day, zh_month, zh_year
from .patterns import compiled
from .regions import _SQUEEZE, title_span
from .state import State

__all__ = ["agency_level", "metadata"]

#: a date; its year, month and day may each be printed in Chinese numerals (二〇二四年元月二十二日, 2024年元月22日)
#: a day in Chinese numerals only with its 日 (2024年1月十余个部门 is no date: review 11b, #5)
_DATE: Final = (rf"(20\d\d|{ZH_YEAR})\s*[年\-/.]\s*(\d{{1,2}}|{ZH_MONTH})\s*[月\-/.]\s*"
                rf"(\d{{1,2}}|(?:{ZH_DAY})(?=\s*日))\s*日?")
_DATE_RE: Final = compiled(_DATE)
#: a date as a period states it; PDF text wraps lines anywhere, inside a number too (20\n23, 二〇\n二三)
_WRAP: Final = r"\n?"
_Y: Final = rf"(2\n?0\n?\d\n?\d|{zh_year(_WRAP)})"
_M: Final = rf"(\d(?:\n?\d)?|{zh_month(_WRAP)})"
_DAY: Final = rf"(\d(?:\n?\d)?|{zh_day(_WRAP)})"
_D: Final = _Y + r"\s*年\s*" + _M + r"\s*月\s*" + _DAY + r"\s*日"
#: between the period's dates: a line break, but no blank line and no sentence's end
_GAP: Final = r"(?:[^\n。]|\n(?![ \t]*\n))"
#: the statistics period; the second date may leave out its year (2024年1月1日至12月31日)
_PERIOD: Final = compiled(_D + _GAP + r"{0,6}?(?:至|到|—|-|~)" + _GAP + r"{0,3}?"
                     r"(?:" + _Y + r"\s*年\s*)?" + _M + r"\s*月\s*" + _DAY + r"\s*日")
_NOTICE_HEAD: Final = "国办公开办函"
_NOTICE: Final = compiled(_NOTICE_HEAD + r"\s*[〔\[(（]\s*(20\d\d)\s*[〕\])）]\s*(\d+)\s*号")
#: a key of a page's info table and its value: "发布日期：2025-01-21", "发布日期： | 2025-01-21" (a table's cells)
_INFO_KEY: Final = "|".join(sorted(published.INFO_KEYS, key=len, reverse=True))
#: a key and its value; a value is never the next key (发布机构 | 发布日期 | 2024-01-20: the agency's cell left empty
#: and dropped, review 13a #9)
_INFO: Final = compiled(r"(?P<key>" + _INFO_KEY + r")\s*(?:[:：][ \t]*\|?|[ \t]*\|)[ \t]*"
                   r"(?P<value>(?![ \t]*(?:" + _INFO_KEY + r")[ \t]*(?:[:：|]|$))[^\n|]{0,60}?)"
                   r"(?=\s{2,}|[ \t]*\||[ \t]*$)", re.M)
#: a date key and its date on a line of their own with only spaces between, as a page's info table printed to PDF
#: reads ("发布日期 2021年3月5日"): no colon, so only a date key and only a date
_INFO_DATE_LINE: Final = (r"[ \t]*(?P<key>" + "|".join(k for k, f in published.INFO_KEYS.items() if f == "published_on"
                                                  and len(k) > 2) + r")[ \t]+(?P<value>" + _DATE + ")")
_INFO_DATE: Final = compiled("^" + _INFO_DATE_LINE, re.M)
#: the same after a line break: a literal first character lets the engine skip to each line's start, where ``^``
#: in multi-line mode is tried at every character
_INFO_DATE_AFTER_BREAK: Final = compiled("\n" + _INFO_DATE_LINE)
_YEAR_SAID: Final = compiled(rf"(20\d\d|{ZH_YEAR})\s*年度?\s*(?:本机关|我局|我委|我办)?"
                             r"政府信息公开(?:工作)?(?:情况|年度报告)")
#: how far into the text the year is looked for in a sentence, when there is no title
YEAR_WINDOW: Final = 2000
_NO_AGENCY: Final = Label("机关名称也无从确定", "nor is the agency known")
#: the signature's date is looked for in the report's last characters
SIGNATURE_WINDOW: Final = 200
#: what may stand before a signature's date on its line: nothing, or the agency's name (ending as agencies' names
#: end) and a space (汉寿县财政局 2022年1月24日), no sentence (本报告于2020年12月28日经…) nor a list's row
#: (不动产登记开放日 2023年11月8日: review 13b #3)
_SIGNATURE_BEFORE: Final = compiled(r"(?:[^\n。，,;；:：、!?！？]{0,40}"
                                    r"[局委办院府厅署会心所处站队部镇乡室司行馆校园社联）)][ \t\u3000]+)?[ \t\u3000]*")
#: what may follow a signature's date to the report's end: no words (a page number, marks)
_NO_WORDS_TO_END: Final = compiled(r"[^\u4e00-\u9fffA-Za-z]*\Z")
#: a title's two years (2019—2020年度, 2019年至2020年度): the report covers both
_TWO_YEARS: Final = compiled(rf"(20\d\d|{ZH_YEAR})\s*(?:年度?)?\s*(?:[—―–~-]+|至|到)\s*(20\d\d|{ZH_YEAR})\s*年")
#: the first year part 1 names (2021年，我局…), looked for in its first characters
_OVERVIEW_YEAR: Final = compiled(rf"(20\d\d|{ZH_YEAR})\s*年")
OVERVIEW_YEAR_WINDOW: Final = 60
#: published.LEVEL_RULES with their patterns compiled once
_LEVEL_RULES: Final = tuple((compiled(pattern), value, reason) for pattern, value, reason in published.LEVEL_RULES)


def _number(text: str) -> int:
    """:func:`.numerals.number`, ASCII digits read here (that module runs interpreted: a call costs ~10x)."""
    return int(text) if text.isdigit() and text.isascii() else number(text)


def _date(y: str, m: str, d: str) -> str | None:
    try:
        return dt.date(_number(y), _number(m), _number(d)).isoformat()
    except ValueError:
        return None


def agency_level(name: str | None) -> tuple[str | None, Label | None]:
    """A guess at the agency's level from its name, and why (None when the name does not settle it)."""
    if not name:
        return None, None
    for pattern, value, reason in _LEVEL_RULES:
        if pattern.search(name):
            return (value or None), reason
    return None, None


@functools.cache
def _conclusion(level: str | None) -> Label:
    """What GD-PARSE-LEVEL concludes: the level by its name in each language, or that it is left blank."""
    if level is None:
        return Label("层级无法确定，留空", "the level is not settled: left blank")
    name = LEVEL_LABELS[level]
    return Label(f"层级定为“{name.zh}”", f"the level is taken as “{name.en}”")


def _take(out: dict[str, str], field: str, value: str, printed: str, m: re.Match[str]) -> None:
    out[field] = value
    if field in ("title", "agency"):
        out["printed_" + field] = printed[m.start("value"):m.end("value")].strip()


_KEY_RANK = {key: i for i, key in enumerate(published.INFO_KEYS)}
#: the keys that hold no shorter key (日期 for 发布日期): a text holding none of them holds no key
_SHORTEST_KEYS: Final = tuple(k for k in published.INFO_KEYS if not any(o != k and o in k for o in published.INFO_KEYS))
_NO_RANK = len(_KEY_RANK)


def _info(text: str, printed: str, after: tuple[int, int] = (0, 0)) -> dict[str, str]:
    """The page's info table before the report (索引号, 发布机构, 发布日期 …): report field -> value, and the title
    and the agency as printed (``printed`` is the published text whose matching view is ``text``) under
    "printed_title" and "printed_agency".  Where several keys fill a field, the one ranked first in INFO_KEYS
    wins; the page's frame after the report (``text[after[0]:after[1]]``: related links, each with its own date)
    only fills a field nothing else did, the first it prints."""
    out: dict[str, str] = {}
    if not any(key in text for key in _SHORTEST_KEYS):  # each match holds a key (tests at C speed: most texts hold
        return out  # none, where the engine tries a key's first character at each character)
    rank: dict[str, int] = {}  # the rank in INFO_KEYS of the key each field was taken from
    later: list[re.Match[str]] = []
    for m in _INFO.finditer(text):
        if after[0] <= m.start() < after[1]:
            later.append(m)
            continue
        key = m.group("key")
        field = published.INFO_KEYS[key]
        value = m.group("value").strip()
        if not field or not value or rank.get(field, _NO_RANK) <= _KEY_RANK[key]:
            continue
        rank[field] = _KEY_RANK[key]
        _take(out, field, value, printed, m)
    for m in later:
        field, value = published.INFO_KEYS[m.group("key")], m.group("value").strip()
        if field and value and field not in out:
            _take(out, field, value, printed, m)
    if "published_on" not in out and (dated := _INFO_DATE.match(text) or _INFO_DATE_AFTER_BREAK.search(text)):
        out["published_on"] = dated.group("value")
    return out


def _as_printed(state: State, start: int, end: int, title: str, agency: str) -> tuple[str, str]:
    """The title found in the view's [start, end) (squeezed as :func:`.regions.title_span` squeezes it) and the
    agency in it, in the published characters (full-width brackets stay full-width)."""
    view, text = state.folded[start:end], state.raw[start:end]
    squeezed = [m.span() for m in _SQUEEZE.finditer(view)]
    at = _without(view, squeezed).find(title)
    if at < 0:  # a page's <title>: as published already
        return title, agency
    printed = _without(text, squeezed)[at:at + len(title)]
    at = title.find(agency) if agency else -1
    return printed, (printed[at:at + len(agency)] if at >= 0 else agency)


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` without the characters of ``spans`` (in order, not overlapping)."""
    pieces, at = [], 0
    for a, b in spans:
        pieces.append(text[at:a])
        at = b
    return "".join([*pieces, text[at:]])


def _without_footers(folded: str, start: int, end: int, footers: tuple[tuple[int, int], ...]) -> str:
    """The report's text (``start``–``end``) without its page footer lines ("- 1 -") and their line breaks:
    a sentence running over a page break reads on, as the period "自 2023 年 1 月 1 日 / - 1 - / 起至 …" does."""
    out, at = [], start
    for a, b in footers:
        if a < start or b > end:
            continue
        stop = b + 1 if folded[b:b + 1] == "\n" else b
        out.append(folded[at:a])
        at = stop
    return "".join([*out, folded[at:end]])


def _period(text: str, start: int = 0, end: int | None = None) -> dict[str, str] | None:
    """The statistics period stated in ``text`` (between ``start`` and ``end``: _PERIOD looks at nothing outside
    what it matches but for a line break after it, so this is the period of that part cut out)."""
    m = _PERIOD.search(text, start, len(text) if end is None else end)
    if not m:
        return None
    y1, m1, d1, y2, m2, d2 = ("".join(g.split()) if g else g for g in m.groups())
    first, last = _date(y1, m1, d1), _date(y2 or y1, m2, d2)
    return {"start": first, "end": last} if first and last else None


def _on_info_line(folded: str, at: int) -> bool:
    """Whether an offset is on a line of a page's info table or of our renders' envelope (格式版本 | …（国办公开办函
    〔2021〕30号）: the format the page was written in, not a notice the report cites)."""
    return INFO_LINE.match(folded, folded.rfind("\n", 0, at) + 1) is not None


def _signed(info: dict[str, str], tail: str) -> tuple[str | None, bool]:
    """The page's publication date (its info table), else the last date at the end (the signature's, or one in a
    sentence); and whether it is surely the report's own: the info table's, or a date printed as a signature (on a
    line of its own or after the agency's name, no words after it to the report's end)."""
    if "published_on" in info and (d := _DATE_RE.search(info["published_on"])):
        return _date(*d.group(1, 2, 3)), True
    last = collections.deque(_DATE_RE.finditer(tail), maxlen=1)
    if not last:
        return None, False
    at = last[0]
    alone = _SIGNATURE_BEFORE.fullmatch(tail, tail.rfind("\n", 0, at.start()) + 1, at.start()) is not None \
        and _NO_WORDS_TO_END.match(tail, at.end()) is not None
    return _date(*at.group(1, 2, 3)), alone


def _published_on(signed: tuple[str | None, bool], year: int | None) -> str | None:
    """The publication date: the signature's when it is surely one, else a date after the report year (a date in
    that year in the last sentence tells of the year's work: a date printed as a signature is kept in the year too,
    so that GD-M-YEAR can say it was dated before the year ended, probe 13 #12)."""
    date, sure = signed
    return date if date and (sure or year is None or int(date[:4]) > year) else None


def _overview_year(state: State) -> int | None:
    """The first year part 1 names in its first words (2021年，我局…), if any."""
    span = state.parts.get("overview")
    if span is None:
        return None
    m = _OVERVIEW_YEAR.search(state.folded, span.body, min(span.end, span.body + OVERVIEW_YEAR_WINDOW))
    return number(m.group(1)) if m else None


def _title_year(state: State, title: tuple[int, int, str, str, int, bool], period: dict[str, str] | None,
                signed: str | None) -> tuple[int, Finding | None]:
    """The report year when the title names one: the title's, unless the statistics period (one calendar year) and
    a signature dated in the year after it agree on another (part 1 not naming the title's year first), as a copied
    title's wrong year would leave them (probe 13 #7); or the later of a title's two years (#9).  With a finding
    saying which and why where the title does not settle it alone."""
    year = title[4]
    if two := _TWO_YEARS.search(title[2]):
        first, last = number(two.group(1)), number(two.group(2))
        if first < last == year:
            return year, F.TITLE_YEAR(
                pointer="/year", file=state.source, year=year,
                said=Label(f"标题载有两个年度（{first}—{last}）", f"the title names two years ({first}—{last})"),
                why=Label("取其中后一年", "the later of the two"))
    if period is None or period["start"][:4] != period["end"][:4] or int(period["start"][:4]) == year:
        return year, None
    other = int(period["start"][:4])
    said = _overview_year(state)
    signed_year = int(signed[:4]) if signed else None
    # a witness outside the period is needed: a signature dated in the year after the period's.  Part 1's year only
    # adds its word: 与2022年相比… names last year, and a period copied from last year is the commonest slip
    # (review 13b #2)
    if signed_year != other + 1 or said == year:
        return year, None  # the title decides, GD-M-YEAR names the period
    zh, en = [f"统计期限 {period['start']} 至 {period['end']}"], [f"the statistics period {period['start']} to "
                                                                 f"{period['end']}"]
    if said == other:
        zh.append(f"第一部分所述年份（{other}年）")
        en.append(f"the year part 1 names ({other})")
    if signed and signed_year == other + 1:
        zh.append(f"落款日期 {signed}")
        en.append(f"the date signed {signed}")
    return other, F.TITLE_YEAR(
        pointer="/year", file=state.source, year=other,
        said=Label(f"标题所载年份 {year} 与报告其余部分不符", f"the title's year {year} disagrees with the rest of "
                                                                "the report"),
        why=Label("、".join(zh) + "一致；标题保留原样", ", ".join(en) + " agree; the title is kept as printed"))


def metadata(state: State) -> State:
    folded = state.folded
    start, end = state.report_span
    stop = len(folded) if state.another_report is None else state.another_report
    frame = folded[:start] + "\n" + folded[end:stop] if (start or end < stop) else ""
    first = min((s.start for s in state.parts.values()), default=len(folded))
    raw = state.raw
    after = (start + 1, start + 1 + stop - end) if frame else (0, 0)  # the frame after the report, in ``frame``
    info = _info(frame + "\n" + folded[start:min(first, start + YEAR_WINDOW)],
                 (raw[:start] + "\n" + raw[end:stop] if (start or end < stop) else "") + "\n"
                 + raw[start:min(first, start + YEAR_WINDOW)], after)
    title = state.title
    if title is None and state.page_title:
        found_title = title_span(state.page_title, len(state.page_title))
        title = (0, 0, *found_title[2:]) if found_title else None
    printed = _as_printed(state, title[0], title[1], title[2], title[3]) if title else None
    out: dict[str, Any] = {"title": printed[0] if printed else info.get("printed_title")}
    footed = any(start <= a and b <= end for a, b in state.footers)  # else the text as it is, not a copy
    period = _period(_without_footers(folded, start, end, state.footers)) if footed else _period(folded, start, end)
    signed = _signed(info, folded[max(start, end - SIGNATURE_WINDOW):end])
    year, doubt = _title_year(state, title, period, signed[0]) if title else (None, None)
    if year is None and (said := _YEAR_SAID.search(folded, 0, YEAR_WINDOW)):
        year = number(said.group(1))
    if period:
        out["period"] = period
        year = year or int(period["start"][:4])
    published_on = _published_on(signed, year)
    if published_on:
        out["published_on"] = published_on
    # every notice starts with its literal: str.find skips to it at C speed (the engine reads ~5 instructions a char)
    cited = folded.find(_NOTICE_HEAD, start, end)
    notice = next((m for m in _NOTICE.finditer(folded, cited, end) if not _on_info_line(folded, m.start())),
                  None) if cited >= 0 else None
    if notice:
        out["notice"] = f"国办公开办函〔{notice.group(1)}〕{notice.group(2)}号"
    agency = (title[3] if title else "") or info.get("agency") or None  # a title that names none: the page's
    level, reason = agency_level(agency)
    agency = (printed[1] if printed else "") or info.get("printed_agency") or None  # 关于2023年…报告 names none
    found = [] if year is not None else [F.NO_YEAR(pointer="/year", file=state.source)]
    if doubt is not None:
        found.append(doubt)
    if out["title"] is None:
        whose = (_NO_AGENCY if agency is None
                else Label(f"机关“{agency}”取自网页的信息栏", f"the agency “{agency}” is the page's info table's"))
        found.append(F.NO_TITLE(pointer="/title", file=state.source, agency=whose))
    if reason is not None:
        found.append(F.LEVEL(pointer="/agency/level", file=state.source, reason=reason, level=level,
                             conclusion=_conclusion(level)))
    out["year"] = year
    out["agency"] = {"name": agency, "level": level, "region": None}
    return state.but(meta=out, findings=state.found(*found))
