"""How published reports word things, beyond the official form: what a parser needs to read them.

The official labels live in :mod:`.official` and nowhere else: every pattern here that needs one
is built from a :class:`~.spec.FormatSpec` (its parts, rows and groups), so that a label is
written once.  What is written here is only the variety of real reports — other wordings of a
part's heading, known misprints, the phrases a narrative states a count with, the words of a web
page's frame — as data.  Patterns apply to text whose full-width ASCII has been folded to
half-width (``，`` → ``,``, ``（`` → ``(``), as the parser matches it.
"""

from __future__ import annotations

import functools
import re

from .spec import FormatSpec, Label

__all__ = [
    "CELL_WORDS",
    "FEE_WORDS",
    "FOOTNOTE_MARK",
    "FRAME_END",
    "FRAME_START",
    "INFO_KEYS",
    "LEVEL_RULES",
    "MUNICIPALITIES",
    "NOTE_LEADS",
    "PART_KEYS",
    "PART_VARIANTS",
    "QUALIFIERS",
    "REWORDINGS",
    "SCRAPE_FRAME",
    "heading_patterns",
    "stated_patterns",
]

# ----------------------------------------------------------------------------- part headings

#: a phrase that identifies each part's heading after its numeral (一、…六、), whatever the wording
PART_KEYS: dict[str, str] = {
    "overview": r"总体|概述|概况|基本情况",
    "proactive": r"主动公开",
    "requests": r"收到和处理|依申请公开|申请公开",
    "review_litigation": r"复议|诉讼",
    "problems": r"问题",
    "other": r"其他|需要报告|需要说明",
}

#: whole headings published in other wordings (after the numeral), besides the form's own; {review} and
#: {lawsuit} are table 4's own words, from the declaration
PART_VARIANTS: dict[str, tuple[str, ...]] = {
    "overview": (r"概\s*述", r"(?:工作)?概\s*况", r"基本情况", r"总体情况"),
    "proactive": (r"(?:行政机关)?主动公开政府信息(?:的)?情况", r"主动公开(?:政府信息)?(?:工作)?情况"),
    "requests": (r"收到和处理政府信息公开申请(?:的)?情况", r"依申请公开(?:政府信息)?(?:工作)?(?:的)?情况"),
    "review_litigation": (
        r"(?:因)?政府信息公开(?:工作|申请)?(?:被申请|被)?(?:提起)?{review}[、,和及]?(?:提起)?{lawsuit}(?:的)?情况",
        r"{review}[、,和及]?{lawsuit}(?:的)?情况"),
    "problems": (r"(?:政府信息公开)?(?:工作)?(?:存在的)?(?:主要)?问题"
                 r"(?:及|和|与|以及)(?:其)?(?:改进|整改)(?:情况|措施|计划|方向)?",),
    "other": (r"(?:其他)?需要(?:报告|说明)的(?:其他)?事项(?:与附表|及附表)?",),
}


def _loose(text: str) -> str:
    """A literal that may be printed with spaces (or a line break) between its characters."""
    return r"\s*".join(re.escape(c) for c in text if not c.isspace())


@functools.cache
def heading_patterns(spec: FormatSpec) -> dict[str, tuple[str, str]]:
    """Part id -> (numeral, pattern of the heading's words after it): the form's wording (spaced
    or not), then the published variants.  The numeral is the heading's own (一 … 六)."""
    out: dict[str, tuple[str, str]] = {}
    review = spec.cell("/review_litigation/review/total").row.label.zh
    names = {"review": review[:2] + "法?" + review[2:],  # 行政法复议: a misprint seen
             "lawsuit": spec.cell("/review_litigation/litigation_direct/total").group_labels[-1].zh}
    for part in spec.parts:
        numeral, _, words = part.heading.zh.partition("、")
        variants = (v.format(**names) for v in PART_VARIANTS.get(part.id, ()))
        out[part.id] = (numeral, "|".join((_loose(words), *variants)))
    return out


# ----------------------------------------------------------------------------- misprints

#: wordings read as another in labels only (never in the narrative): Taiwan-style words a machine
#: conversion put into a Traditional copy (檔案 for 文件; its characters are converted one by one).
#: Misprints of a single row's label are that row's ``aliases`` in the declaration.
REWORDINGS: dict[str, str] = {"档案": "文件"}


# ----------------------------------------------------------------------------- the narrative

#: words that say which column of table 2 a narrative count is: 制发…文件62件
CELL_WORDS: dict[str, tuple[str, ...]] = {
    "issued": ("制发", "印发", "出台"),
    "repealed": ("废止",),
    "in_force": ("现行有效",),
}

#: words just before a statement that make it another count than the table's (一审…案件 is
#: not all lawsuits); a statement preceded by one of them is not read
QUALIFIERS: tuple[str, ...] = ("一审", "二审", "再审", "审结", "判决", "败诉", "胜诉", "纠错", "应诉", "出庭", "其中")


@functools.cache
def stated_patterns(spec: FormatSpec) -> dict[str, tuple[re.Pattern[str], ...]]:
    """The narrative's statements of counts the tables also give (GD-M-TEXT-NUMBERS): name ->
    patterns whose group 1 is the count (its digits, and commas between groups of three), in text with no
    whitespace.  Each starts with a literal (the search is fast); :data:`QUALIFIERS` are checked before
    the match."""
    review = re.escape(spec.cell("/review_litigation/review/total").row.label.zh)
    lawsuit = re.escape(spec.cell("/review_litigation/litigation_direct/total").group_labels[-1].zh)
    # a count of at most 15 digits, grouped by thousands or not (3,119 or 3119; a full-width comma folds to ','),
    # not the end of a longer one
    count = r"\d{1,3}(?:,\d{3}){1,4}|\d{1,15}"
    n = rf"(?<!\d)(?<!\d,)({count})"
    # the same where a statement starts with it: a digit first lets the engine skip to each digit (a lookbehind
    # first is tried at every character, 2.4x slower); the lookbehinds after it say the same
    n_first = r"(\d(?<!\d\d)(?<!\d,\d)(?:\d{0,2}(?:,\d{3}){1,4}|\d{0,14}))"
    return {
        "received": (re.compile(r"(?:收到|受理|新收|接收|办理)[^。;,]{0,20}?公开申请(?:共计?|合计)?" + n + r"件"),),
        "carried_forward": (re.compile(r"结转(?:至|到)?下(?:一)?年度?(?:继续)?(?:办理|答复)?(?:的?申请)?" + n + r"件"),
                            re.compile(n_first + r"件(?:申请)?(?:顺延|结转)(?:到|至)?下(?:一)?年度")),
        "reviews": (re.compile(review + r"(?:案件)?(?:立案)?(?:共计?|合计)?" + n + r"(?:件|起)"),),
        "lawsuits": (re.compile(lawsuit + r"(?:案件)?(?:立案)?(?:共计?|合计)?" + n + r"(?:件|起)"),),
        "fees": (re.compile(rf"处理费(?:共计?|合计|收入)?(?<!\d)((?:{count})(?:\.\d+)?)元"),),
    }


#: the one statement pattern that starts with its number (:func:`stated_patterns`: its name and
#: index), which the regex engine tries at every character: the words it must hold, and how far
#: before the first of them (15 digits and their 4 commas, 件, 申请) a match can start, so that the search starts there
NUMBER_FIRST: tuple[str, int, tuple[str, ...], int] = ("carried_forward", 1, ("顺延", "结转"), 19 + len("件申请"))
#: the same for the statement pattern that starts with one of several words (a class of first characters, tried at
#: every character too): its 公开申请 stands at most 2 + 20 characters after where it starts
WORDS_AFTER: tuple[str, int, tuple[str, ...], int] = ("received", 0, ("公开申请",), len("收到") + 20)


#: the wordings part 6 says information-processing fees with (GD-M-FEES looks for one of them)
FEE_WORDS = re.compile(r"处理费|收取[^。]{0,12}费用|收费")

#: a footnote's mark after a number or a word: ``[1]``, or a Markdown footnote's reference ``[^1]`` (as our Markdown
#: marks a cell in doubt); circled and superscript digits (① ¹) are marks too, in the tokenizer
FOOTNOTE_MARK = r"\[\^?\d{1,3}\]"
#: how a note under a table starts (a note ends the table: what follows is prose): 注：, numbered (注1：, 注①：,
#: 注（1）：, 注一：, 注[1]： or [1]注： where the cell's mark is [1]), 说明：, 备注：, or a Markdown footnote's
#: definition (``[^1]:``, as our Markdown writes the note on a cell in doubt)
NOTE_LEADS = (r"(?:\[\d{1,3}\][^\S\n]*)?(?:注|说明|备注)"
              r"(?:[^\S\n]*(?:[(（\[【]?(?:\d{1,2}|[一二三四五六七八九十]{1,2})[)）\]】]?|[\u2460-\u2473]))?"
              r"\s*[:：]|\[\^\d{1,3}\]:")

# ----------------------------------------------------------------------------- web pages

#: where a web page's frame begins after the report (上一篇, related links, the site's footer).  These
#: patterns are searched line by line in a whole text (re.M): their spaces never span a line end, or
#: every line start of a run of blank lines would scan the whole run (quadratic, then cubic in regions);
#: and no two runs of spaces follow each other (``【?\s*打印`` after ``^\s*`` is quadratic in a line of spaces)
FRAME_END = re.compile(
    r"^[^\S\n]*(?:上一篇|下一篇|上一条|下一条|相关链接|相关文章|相关信息|相关阅读|(?:【[^\S\n]*)?打印[^\S\n]*】?|"
    r"(?:【[^\S\n]*)?关闭[^\S\n]*】?|关闭窗口|"
    r"打印本页|分享到|扫一扫|网站地图|主办单位|承办单位|(?:主办|承办)[^\S\n]*[:：][^\n。，,；;]*$|版权所有|技术支持|"
    r"(?:政府)?网站标识码|Copyright|©|.{0,40}ICP备(?:案号|[^\S\n]*\d)|.{0,20}公网安备)")

#: lines of a page's frame before the report (navigation, breadcrumb, its info table)
FRAME_START = re.compile(r"^[^\S\n]*(?:当前位置|您现在的位置|首页[^\S\n]*[>＞»]|【[^\S\n]*字体|字号|浏览次数|访问量)")

#: lines a scraper writes above a saved page's text (its column, address, where it was saved): frame, not report
SCRAPE_FRAME = re.compile(r"^[^\S\n]*(?:(?:栏目|原文链接|原文地址|本地目录)[^\S\n]*[:：]|页面链接与图片)")

#: the page's info table: key -> the report field it fills; where several keys fill one field, the earlier key here
#: wins wherever it is printed (a gov.cn info table prints 成文日期, the date written, before 发布日期)
INFO_KEYS: dict[str, str] = {
    "发布日期": "published_on", "发布时间": "published_on", "公开日期": "published_on", "成文日期": "published_on",
    "日期": "published_on", "时间": "published_on", "发布机构": "agency", "发文机关": "agency", "来源": "",
    "索引号": "", "主题分类": "", "文号": "", "标题": "title", "名称": "title",
}

# ----------------------------------------------------------------------------- agency level

#: the four municipalities directly under the central government: their city-wide government is provincial
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")

#: (pattern on the agency's name, level, what the name says the agency is) in order; the first that matches
#: decides; level "" when the name does not settle it (a zone's rank is not in its name)
LEVEL_RULES: tuple[tuple[str, str, Label], ...] = (
    (r"(?:镇|乡)人民政府$|(?:镇|乡)$|街道办事处$|街道$", "township",
     Label("乡镇或街道", "a township or street office")),
    (r"^(?:北京|天津|上海|重庆)市人民政府$", "provincial_government",
     Label("直辖市人民政府", "a municipality's government")),
    (r"^(?:北京|天津|上海|重庆)市(?:人民政府)?[^区县]*(?:厅|局|委员会|委|办公室|办|中心)$", "provincial_department",
     Label("直辖市的部门", "a department of a municipality")),
    (r"^[^市县区]*省人民政府$|自治区人民政府$", "provincial_government",
     Label("省级人民政府", "a provincial government")),
    (r"^[^市县区]*(?:省|自治区)[^市县区]*(?:厅|局|委员会|委|办公室|中心)$", "provincial_department",
     Label("省级部门", "a provincial department")),
    (r"(?:综合实验区|开发区|高新区|新区|管理区|试验区|园区)(?:管理委员会|管委会)?$", "",
     Label("开发区、实验区", "a development or pilot zone")),
    (r"(?:综合实验区|开发区|高新区|新区|管理区|试验区|园区)(?:管理)?(?:委员会)?[^区]*(?:局|办|办公室|中心|委)$", "",
     Label("开发区、实验区的部门或办事机构", "a department or office of a development or pilot zone")),
    (r"^[^县区]*市人民政府$|^[^县区]*州人民政府$|^[^县区]*盟行政公署$", "city_government",
     Label("设区的市、州人民政府", "a city or prefecture government")),
    (r"(?:县|区|旗)人民政府$", "county_government", Label("县、区人民政府", "a county or district government")),
    (r"(?:县|区|旗)[^县区]*(?:局|委员会|委|办公室|中心)$", "county_department",
     Label("县、区的部门", "a county department")),
    (r"市[^县区]*(?:局|委员会|委|办公室|厅|中心)$", "city_department", Label("市的部门", "a city department")),
)
