"""The document rules: what evaluators check beyond the numbers (rules-document.md).

The report's outline, copied and stale text, wrong notices and label variants.  Most are
heuristics: warnings or info, each finding quoting the words that triggered it with their place
(params ``quote``, ``place``, ``part``, ``offset`` or ``line``).  Thresholds and word lists are the
rules' ``options``, declared in ``rules/data/document.toml`` (imported from :mod:`.shipped`, generated
from it); a user overrides them with ``--rules-config`` (a table per code; lists can be extended under
``add``), and a regional variant's plugin registers its own version of a rule with :func:`extend`.

Registered through the ``govdisclosure`` entry point ``core-document``, as a third party's rules are.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ...findings import Finding
from ...formats.spec import Label
from ...plugins import hookimpl
from ..types import Check, Rule
from ..types import extended as merged
from .memo import per_options
from .shipped import OPTIONS

__all__ = ["CHECKS", "extend", "options", "register_rules"]


def _data() -> dict[str, dict[str, Any]]:
    return OPTIONS


def options(code: str) -> dict[str, Any]:
    """The shipped options of a document rule (a fresh copy)."""
    return dict(_data()[code])


REPLACES = "replaces"  #: option naming the rule a variant's version stands in for


def _replaced(code: str, variant: str | None, registry: Any) -> bool:
    if variant is None or registry is None:
        return False
    return (code, variant) in _replacements(registry)


@per_options
def _replacements(registry: Any) -> frozenset[tuple[str, str]]:
    """(code, variant) for each rule a variant's version stands in for, in a registry."""
    return frozenset((r.options[REPLACES], variant) for r in registry.rules.values()
                     if isinstance(r, Rule) and r.options and r.options.get(REPLACES) is not None and r.variants
                     for variant in r.variants)


#: the modules of the checks, imported when one of their rules first runs: registering the rules (every
#: command's start, a parse's too) compiles none of their patterns and makes none of their classes
MODULES = ("content", "copying", "narrative", "outline", "tables")
_CHECKS: dict[str, Callable[..., Any]] = {}


def _function(name: str) -> Callable[..., Any]:
    """The check ``module.function`` of this package, imported once."""
    check = _CHECKS.get(name)
    if check is None:
        module, function = name.split(".")
        check = _CHECKS[name] = getattr(importlib.import_module(f"{__name__}.{module}"), function)
    return check


def __getattr__(name: str) -> Any:
    """The checks' modules as attributes of the package, as they were when it imported them."""
    if name in MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _unless_replaced(name: str, scope: str) -> Callable[..., Any]:
    """The check ``name`` (``module.function``), skipping a report whose variant has its own version of the
    rule (:func:`extend`)."""
    module, function = name.split(".")

    def run_batch(reports: Any, ctx: Any) -> Iterable[Finding]:
        return _function(name)(reports, ctx)  # type: ignore[no-any-return]

    def run(report: Any, *rest: Any) -> Iterable[Finding]:
        variant = report.variant
        if variant is not None:
            ctx = rest[-1]
            if ctx.options.get(REPLACES) is None and _replaced(ctx.rule.code, variant, ctx.registry):
                return ()
        return _function(name)(report, *rest)  # type: ignore[no-any-return]

    made = run_batch if scope == "batch" else run
    made.__name__ = made.__qualname__ = function
    made.__module__ = f"{__name__}.{module}"
    return made


QUOTE_ZH, QUOTE_EN = "{place}：“{quote}”", "{place}: “{quote}”"


def _check(code: str, severity: str, check: str, description: tuple[str, str], message: tuple[str, str],
           **kw: Any) -> Check:
    return Check(code=code, severity=severity, check=_unless_replaced(check, kw.get("scope", "report")),
                 description=Label(*description), message=Label(*message), options=options(code),
                 option_kinds=_data().get("option_kinds", {}).get(code, {}), **kw)


CHECKS: tuple[Check, ...] = (
    _check("GD-M-OUTLINE", "warning", "outline.outline",
           ("正文前所列的报告组成部分不属于格式规定的六个部分（如概述、政策法规、化解过剩产能、申诉），或与所用标题不符",
            "The preamble's list of the report's parts names parts that are not among the six of the form (概述, "
            "政策法规, 化解过剩产能, 申诉…) or disagrees with the headings used"),
           (f"正文前所列组成部分与格式不符（{{problem}}）。{QUOTE_ZH}",
            f"The preamble's list of parts does not match the form ({{problem}}). {QUOTE_EN}")),
    _check("GD-M-OLD-OUTLINE", "error", "outline.old_outline",
           ("2019 年度起的报告仍用 2019 年以前的提纲作标题（概述、咨询处理、收费及减免、申诉、回应解读、机构建设和"
            "保障经费、会议和培训、举报投诉中两项以上）",
            "A report of 2019 on uses the pre-2019 outline for its headings (two or more of 概述, 咨询处理, "
            "收费及减免, 申诉, 回应解读, 机构建设和保障经费, 会议和培训, 举报投诉)"),
           (f"{{year}} 年度报告的标题沿用 2019 年以前的提纲（{{markers}}）。{QUOTE_ZH}",
            f"A {{year}} report has headings of the pre-2019 outline ({{markers}}). {QUOTE_EN}")),
    _check("GD-M-NOTICE-CITE", "warning", "outline.notice_cite",
           ("所引格式通知与报告年度不符：2019—2020 年度报告引用国办公开办函〔2021〕30号，或 2021 年度起的报告只引用"
            "国办公开办函〔2019〕60号",
            "The format notice cited does not fit the year: a 2019–2020 report citing 国办公开办函〔2021〕30号, or a "
            "report of 2021 on citing only 国办公开办函〔2019〕60号"),
           (f"{{year}} 年度报告引用了{{cited}}，该通知适用于{{serves}}报告。{QUOTE_ZH}",
            f"A {{year}} report cites {{cited}}, the notice for {{serves}} reports. {QUOTE_EN}")),
    _check("GD-M-STAT-PERIOD", "error", "outline.stat_period",
           ("所述统计期限不是报告年度的 1 月 1 日至 12 月 31 日（年份不符另见 GD-M-YEAR）",
            "The statistics period stated is not 1 January to 31 December of the report year (a wrong year alone: "
            "GD-M-YEAR)"),
           (f"统计期限为 {{start}} 至 {{end}}，应为 {{full_start}} 至 {{full_end}}。{QUOTE_ZH}",
            f"The statistics period is {{start}} to {{end}}, not {{full_start}} to {{full_end}}. {QUOTE_EN}")),
    _check("GD-M-OVERVIEW-THEMES", "warning", "content.overview_themes",
           ("第一部分漏写五项主题（主动公开、依申请公开、政府信息管理、平台建设、监督保障）中的两项以上",
            "Part 1 leaves out two or more of its five themes (proactive disclosure, disclosure on request, "
            "information management, platforms, oversight)"),
           (f"{{where}}未涉及{{missing}}（五项主题缺 {{count}} 项）。{QUOTE_ZH}",
            f"{{where}} says nothing of {{missing}} ({{count}} of the five themes missing). {QUOTE_EN}")),
    _check("GD-M-ART50-4", "warning", "content.art50_4",
           ("人民政府（含乡镇、街道）的报告未提及工作考核、社会评议和责任追究结果（条例第五十条第四项）",
            "A people's government's report (township and street office included) says nothing of performance "
            "review, public appraisal and accountability (条例 art. 50(4))"),
           ("{agency}{government}，其报告（{searched}）未提及{missing}（条例第五十条第四项）",
            "{agency} {government}; its report ({searched}) says nothing of {missing} (条例 art. 50(4))")),
    _check("GD-M-PART5-VAGUE", "warning", "content.part5_vague",
           ("第五部分未指出具体问题（只有“进一步……”之类的措施），或只写“无”",
            "Part 5 names no concrete problem (only measures such as 进一步…), or only says none"),
           (f"第五部分{{kind}}。{QUOTE_ZH}", f"Part 5: {{kind}}. {QUOTE_EN}")),
    _check("GD-M-PART6-TOPICS", "info", "content.part6_topics",
           ("2021 格式：第六部分未涉及信息处理费、年度政务公开工作要点落实、人大代表建议和政协提案办理结果公开、"
            "政务公开创新之一",
            "2021 format: part 6 is silent on one of fees, the year's work points, deputies' suggestions and CPPCC "
            "proposals, innovation"),
           (f"{{where}}未涉及{{missing}}。{QUOTE_ZH}", f"{{where}} is silent on {{missing}}. {QUOTE_EN}"),
           formats={"2021"}),
    _check("GD-M-FEES-T3", "warning", "content.fees_t3",
           ("2021 格式：表三有因逾期未缴费不再处理的申请而第六部分未提及收费，"
            "或第六部分称收取了信息处理费而表三没有申请",
            "2021 format: table 3 has requests closed for unpaid fees but part 6 reports no fee notices, or part 6 "
            "reports fees charged while table 3 has no requests"),
           (f"{{kind}}。{QUOTE_ZH}", f"{{kind}}. {QUOTE_EN}"), formats={"2021"}),
    _check("GD-M-STALE-TOPIC", "info", "content.stale_topic",
           ("过时的套话：与往年工作要点相关的提法（化解过剩产能/去产能、2021 年度起的“十三五”、"
            "机构改革撤销的经信委等）",
            "Stale boilerplate: a topic of earlier years' work points (化解过剩产能/去产能, 十三五 in a 2021+ report, "
            "a body abolished in a reorganisation such as 经信委)"),
           (f"{{year}} 年度报告提到“{{term}}”（{{why}}）。{QUOTE_ZH}",
            f"A {{year}} report speaks of “{{term}}” ({{why}}). {QUOTE_EN}")),
    _check("GD-M-DUP-PREV", "warning", "copying.dup_prev",
           ("第一、五部分照搬本机关上年报告：逐字相同的句子占 90% 以上（年份替换后比较）",
            "Parts 1 and 5 repeat the same agency's previous report: 90% or more of the sentences are the same word "
            "for word (years masked)"),
           (f"与上年（{{previous_year}} 年度）报告相比，{{share}} 的句子逐字相同"
            f"（{{repeated}}/{{sentences}} 句）。{QUOTE_ZH}",
            f"{{share}} of the sentences are the same word for word as in the {{previous_year}} report "
            f"({{repeated}} of {{sentences}}). {QUOTE_EN}"), scope="series"),
    _check("GD-M-DUP-PEER", "warning", "copying.dup_peer",
           ("与同批核查的另一机关的报告近乎相同，或正文出现另一机关、地区的名称",
            "Near-identical text with another agency's report in the same run, or another agency's or region's name "
            "in the body"),
           (f"{{what}}。{QUOTE_ZH}", f"{{what}}. {QUOTE_EN}"), scope="batch"),
    _check("GD-X-SAME-NUMBERS", "warning", "tables.same_numbers",
           ("表格的每个单元格都与上年相同且至少一个不为零（照搬的表格）",
            "Every table cell equals last year's and at least one is non-zero (a copied table)"),
           (f"{{cells}} 个单元格全部与上年（{{previous_year}} 年度）相同，其中 {{nonzero}} 个不为零。{QUOTE_ZH}",
            f"All {{cells}} cells equal the {{previous_year}} report's, {{nonzero}} of them non-zero. {QUOTE_EN}"),
           scope="series"),
    _check("GD-X-JUMP", "info", "tables.jump",
           ("关键总数（收到申请、办理结果总计、行政处罚、行政许可决定）比上年增减超过 5 倍（两年都不少于 10）",
            "A key total (requests received, results total, penalty decisions, licensing decisions) changes year on "
            "year by a ratio above 5 or below 1/5 (both years at least 10)"),
           (f"{{label}}：上年（{{previous_year}} 年度）{{previous}}，本年 {{value}}（×{{factor}}）。{QUOTE_ZH}",
            f"{{label_en}}: {{previous}} in {{previous_year}}, {{value}} now (×{{factor}}). {QUOTE_EN}"),
           scope="series"),
    _check("GD-T2-LABEL", "info", "tables.t2_label",
           ("表二的行标签是旧版或其他写法（如 2021 格式表中印着 2019 格式的行名），或印有另一官方版本独有的行"
            "（如 2021 格式表中 2019 格式才有的对外管理服务、集中采购行，其数字本格式无处可填）："
            "标签写法不同，并非用错模板",
            "A table-2 label printed in an older or other form for the version (a 2019 row name in a 2021 table), "
            "or a row only the other official version has (the 2019 format's other external services or "
            "procurement row in a 2021 table: its numbers have no cell in this format): a label variant, not a "
            "wrong template"),
           ("表二{said}（{kind}；{place}）", "Table 2 {said} ({kind}; {place})")),
    _check("GD-T2-UNKNOWN-ROW", "warning", "tables.t2_unknown_row",
           ("表二有一行不属于任何官方格式或已加载的地区变体（如未加载湖北变体时的“其他主动公开文件”）",
            "A table-2 row that no official version and no loaded variant declares (e.g. 其他主动公开文件 without "
            "the Hubei variant)"),
           ("表二有格式中没有的一行，未读入{hint}：“{quote}”（数字 {numbers}；{place}）",
            "Table 2 has a row the format does not declare, not read{hint}: “{quote}” (numbers {numbers}; {place})")),
    _check("GD-T2-TOTAL-EQ-NEW", "info", "tables.t2_total_eq_new",
           ("2019 格式：表二某行的公开总数等于本年新公开数（且大于 0），总数可能读错或填错",
            "2019 format: a table-2 row's total published equals its newly published this year (> 0): the total "
            "was probably misread"),
           (f"表二“{{row}}”行的公开总数等于本年新公开数（{{value}}），总数可能有误。{QUOTE_ZH}",
            f"Table 2, “{{row}}”: the total published equals the newly published ({{value}}); the total is probably "
            f"wrong. {QUOTE_EN}"), formats={"2019"}),
)


# ----------------------------------------------------------------------------- variants' versions of a rule

def extend(code: str, *, new_code: str, variants: Iterable[str], severity: str | None = None,
           add: Mapping[str, Any] | None = None, **overrides: Any) -> Check:
    """A regional variant's version of a document rule, for its plugin's ``register_rules``.

    The new rule runs on the variant's reports instead of ``code`` (which then skips them), with
    the shipped options overridden by ``overrides`` and lists extended by ``add``::

        extend("GD-M-PART6-TOPICS", new_code="SD-M-PART6-TOPICS", variants={"shandong"}, severity="warning")
    """
    base = next(c for c in CHECKS if c.code == code)
    opts = merged(options(code), dict(overrides))
    if add:
        opts = {**opts, "add": merged(opts.get("add") or {}, dict(add))}
    opts[REPLACES] = code
    return Check(code=new_code, severity=severity or base.severity, description=base.description,
                 message=base.message, formats=base.formats, variants=frozenset(variants), scope=base.scope,
                 options=opts, check=base.check)


@hookimpl
def register_rules() -> list[Rule]:
    return list(CHECKS)
