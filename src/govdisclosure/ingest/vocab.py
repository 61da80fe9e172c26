"""How published reports word things: normalisation, part headings, known typos, narrative phrases.

The official labels themselves come from the declaration (govdisclosure.formats); this module
holds only what a parser needs beyond them — the variety of real reports — as data.
"""

from __future__ import annotations

import functools
import re
import unicodedata

#: published misspellings and old wordings, mapped to the official text (after normalisation)
TYPOS: dict[str, str] = {
    "行政止公开": "行政法规禁止公开",
    "行政法复议": "行政复议",
}

#: a key phrase for each part heading: "三、" alone is not enough, table 3 has rows 三、 and 四、 too
PART_PATTERNS: dict[str, str] = {
    "overview": r"一[、.]\s*总体情况",
    "proactive": r"二[、.]\s*(?:行政机关)?主动公开",
    "requests": r"三[、.]\s*收到和处理",
    "review_litigation": r"四[、.][^\n]{0,24}?复议",
    "problems": r"五[、.][^\n]{0,30}?问题",
    "other": r"六[、.]\s*其他需要报告",
}

#: where a table starts when an excerpt or page drops its part heading
TABLE_STARTS: dict[str, str] = {
    "proactive": r"第二十条第",
    "requests": r"\(本列数据的勾稽关系|一、本年新收政府信息公开申请",
    "review_litigation": r"行政复议[^\n]{0,12}行政诉讼",
}

#: narrative phrases for table-2 cells, by column id: a sentence naming the row and one of these
#: words, then "N件", states the cell (e.g. 制发行政规范性文件62件)
CELL_WORDS: dict[str, tuple[str, ...]] = {
    "issued": ("制发", "印发", "出台"),
    "repealed": ("废止",),
    "in_force": ("现行有效",),
}

#: counts the narrative states, for GD-M-TEXT-NUMBERS: name -> patterns whose group 1 is the count
STATED: dict[str, tuple[str, ...]] = {
    "received": (r"(?:共|全年|累计)?(?:收到|受理|新收)[^。；，,]{0,20}?(?:政府信息)?公开申请(?:共计?)?(\d+)件",),
    "carried_forward": (r"结转(?:至|到)?下(?:一)?年度?(?:继续)?(?:办理|答复)?(?:的?申请)?(\d+)件",
                        r"(\d+)件(?:申请)?(?:顺延|结转)(?:到|至)?下(?:一)?年度"),
    "reviews": (r"行政复议(?:案件)?(?:共计?)?(\d+)(?:件|起)",),
    "lawsuits": (r"行政诉讼(?:案件)?(?:共计?)?(\d+)(?:件|起)",),
    "fees": (r"信息处理费(?:共计?|合计)?(\d+(?:\.\d+)?)元",),
}

_SPACE = re.compile(r"\s+")
_NUMBERING = re.compile(r"(?<![0-9])([1-9])[、．]")


def normalize(text: str) -> str:
    """NFKC (full-width digits and brackets to half-width), 1、 → 1., no whitespace, known typos fixed."""
    return compact(unicodedata.normalize("NFKC", text))


def compact(text: str) -> str:
    """:func:`normalize` for text that is NFKC already (the parser's lines)."""
    text = _NUMBERING.sub(r"\1.", text)
    text = _SPACE.sub("", text)
    for wrong, right in TYPOS.items():
        text = text.replace(wrong, right)
    return text


def strip_notes(label: str) -> str:
    """A label without explanatory notes in brackets (规范性文件(指…) → 规范性文件)."""
    return re.sub(r"\((?:指|含|设区|行政机关|单位)[^()]*\)$", "", label)


@functools.cache
def traditional_converter():  # type: ignore[no-untyped-def]
    """OpenCC's Taiwan-to-Simplified converter (with phrases: 檔案 → 文件), if installed."""
    try:
        import opencc  # type: ignore[import-not-found]
    except ImportError:
        return None
    for config in ("tw2sp", "tw2sp.json", "t2s", "t2s.json"):
        try:
            return opencc.OpenCC(config)
        except Exception:
            continue
    return None


# characters that exist only in Traditional script and are common in these reports
_TRADITIONAL = re.compile("[開報務處與規範資訊據錄機關請單條項當數無總計結訴複議權態環]")


def looks_traditional(text: str) -> bool:
    return len(_TRADITIONAL.findall(text, 0, 5000)) >= 5
