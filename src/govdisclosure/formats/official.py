"""The two official formats, 2019 (国办公开办函〔2019〕60号) and 2021 (国办公开办函〔2021〕30号).

Every official label of the report lives here, verbatim, and nowhere else.  This module is a
plugin like any other: it registers the formats through the ``govdisclosure`` entry point.
"""

from __future__ import annotations

from ..plugins import hookimpl
from .spec import (
    Block,
    CellKind,
    Column,
    FormatSpec,
    Group,
    Label,
    Part,
    Row,
    RowReplacement,
    StatedCount,
    TableSpec,
    Variant,
)

L = Label

# ----------------------------------------------------------------------------- parts

def _parts(t2: str = "proactive") -> tuple[Part, ...]:
    return (
        Part(1, L("一、总体情况", "1. Overview"), "overview"),
        Part(2, L("二、主动公开政府信息情况", "2. Proactive disclosure"), t2, is_table=True),
        Part(3, L("三、收到和处理政府信息公开申请情况", "3. Requests received and handled"), "requests", is_table=True),
        Part(4, L("四、政府信息公开行政复议、行政诉讼情况", "4. Administrative review and litigation"),
             "review_litigation", is_table=True),
        Part(5, L("五、存在的主要问题及改进情况", "5. Main problems and improvements"), "problems"),
        Part(6, L("六、其他需要报告的事项", "6. Other matters"), "other"),
    )


# ----------------------------------------------------------------------------- table 2

INFO = L("信息内容", "Item")
ART20 = {
    1: L("第二十条第（一）项", "Article 20 (1)"),
    5: L("第二十条第（五）项", "Article 20 (5)"),
    6: L("第二十条第（六）项", "Article 20 (6)"),
    8: L("第二十条第（八）项", "Article 20 (8)"),
    9: L("第二十条第（九）项", "Article 20 (9)"),
}
RULES = Row("rules", L("规章", "Rules (规章)"))
LICENSING = Row("licensing", L("行政许可", "Administrative licensing"))
PENALTY = Row("penalty", L("行政处罚", "Administrative penalties"))
COERCION = Row("coercion", L("行政强制", "Administrative coercion"))
FEES = Row("fees", L("行政事业性收费", "Administrative fees"))

PREVIOUS = Column("previous", L("上一年项目数量", "Items in the previous year"))
CHANGE = Column("change", L("本年增/减", "Change this year"), CellKind.SIGNED)

PROACTIVE_2019 = TableSpec("proactive", L("主动公开政府信息情况", "Proactive disclosure"), (
    Block(
        label=ART20[1], corner=INFO, name="Documents",
        columns=(
            Column("made", L("本年新制作数量", "Newly made this year")),
            Column("published", L("本年新公开数量", "Newly published this year")),
            Column("total_published", L("对外公开总数量", "Total published")),
        ),
        rows=(RULES, Row("normative_documents", L("规范性文件", "Normative documents"))),
    ),
    Block(
        label=ART20[5], corner=INFO, name="Items",
        columns=(PREVIOUS, CHANGE, Column("decisions", L("处理决定数量", "Decisions"))),
        rows=(LICENSING, Row("other_services", L("其他对外管理服务事项", "Other external administrative services"),
                             aliases=("其他对外管理服务数量",))),
    ),
    Block(
        label=ART20[6], corner=INFO, name="Items",
        columns=(PREVIOUS, CHANGE, Column("decisions", L("处理决定数量", "Decisions"))),
        rows=(PENALTY, COERCION),
    ),
    Block(label=ART20[8], corner=INFO, name="FeeItems", columns=(PREVIOUS, CHANGE), rows=(FEES,)),
    Block(
        label=ART20[9], corner=INFO, name="Procurement",
        columns=(
            Column("projects", L("采购项目数量", "Procurement projects")),
            Column("amount", L("采购总金额", "Total procurement amount"), CellKind.AMOUNT),
        ),
        rows=(Row("procurement", L("政府集中采购", "Centralised government procurement")),),
    ),
))

DECISIONS_2021 = Column("decisions", L("本年处理决定数量", "Decisions this year"))
PROACTIVE_2021 = TableSpec("proactive", L("主动公开政府信息情况", "Proactive disclosure"), (
    Block(
        label=ART20[1], corner=INFO, name="Documents",
        columns=(
            Column("issued", L("本年制发件数", "Issued this year")),
            Column("repealed", L("本年废止件数", "Repealed this year")),
            Column("in_force", L("现行有效件数", "In force")),
        ),
        rows=(RULES, Row("normative_documents", L("行政规范性文件", "Administrative normative documents"),
                         aliases=("规范性文件",))),
    ),
    Block(label=ART20[5], corner=INFO, name="Decisions", columns=(DECISIONS_2021,), rows=(LICENSING,)),
    Block(label=ART20[6], corner=INFO, name="Decisions", columns=(DECISIONS_2021,), rows=(PENALTY, COERCION)),
    Block(
        label=ART20[8], corner=INFO, name="Fees",
        columns=(Column("amount", L("本年收费金额（单位：万元）", "Fees collected this year (10,000 yuan)"),
                        CellKind.AMOUNT),),
        rows=(FEES,),
    ),
))

# ----------------------------------------------------------------------------- table 3

LEGAL_PERSON = L("法人或其他组织", "Legal persons and other organisations")
APPLICANTS = (
    Column("natural_person", L("自然人", "Natural persons")),
    Column("commercial", L("商业企业", "Commercial enterprises"), group=LEGAL_PERSON),
    Column("research", L("科研机构", "Research institutions"), group=LEGAL_PERSON),
    Column("social_welfare", L("社会公益组织", "Public-interest organisations"), group=LEGAL_PERSON),
    Column("legal_services", L("法律服务机构", "Legal-service institutions"), group=LEGAL_PERSON),
    Column("other_org", L("其他", "Other organisations"), group=LEGAL_PERSON),
    Column("total", L("总计", "Total")),
)

WITHHELD = Group(L("（三）不予公开", "(3) Withheld"), id="withheld", children=(
    Row("state_secret", L("1.属于国家秘密", "1. State secret")),
    Row("prohibited_by_law", L("2.其他法律行政法规禁止公开", "2. Prohibited by other laws or regulations"),
        aliases=("2.其他法律行政止公开",)),
    Row("security_stability", L("3.危及“三安全一稳定”", "3. Endangers security or stability")),
    Row("third_party", L("4.保护第三方合法权益", "4. Protects a third party's lawful rights")),
    Row("internal_affairs", L("5.属于三类内部事务信息", "5. Internal-affairs information")),
    Row("process_information", L("6.属于四类过程性信息", "6. Process information")),
    Row("enforcement_files", L("7.属于行政执法案卷", "7. Enforcement case files")),
    Row("inquiry_matters", L("8.属于行政查询事项", "8. Administrative inquiry matters")),
))
UNABLE = Group(L("（四）无法提供", "(4) Unable to provide"), id="unable", children=(
    Row("not_held", L("1.本机关不掌握相关政府信息", "1. Not held by this agency")),
    Row("needs_creation", L("2.没有现成信息需要另行制作", "2. Would need to be newly produced")),
    Row("unclear_after_correction", L("3.补正后申请内容仍不明确", "3. Still unclear after correction")),
))
NOT_PROCESSED = Group(L("（五）不予处理", "(5) Not processed"), id="not_processed", children=(
    Row("petitions", L("1.信访举报投诉类申请", "1. Petitions, reports, complaints")),
    Row("repeated", L("2.重复申请", "2. Repeated requests")),
    Row("publications", L("3.要求提供公开出版物", "3. Requests for publications")),
    Row("excessive", L("4.无正当理由大量反复申请", "4. Excessive repeated requests")),
    Row("confirmation", L("5.要求行政机关确认或重新出具已获取信息",
                          "5. Requests to confirm or re-issue information already obtained")),
))
OTHER_LABEL = L("（六）其他处理", "(6) Other handling")
OTHER_2019 = Row("other", OTHER_LABEL)
OTHER_2021 = Group(OTHER_LABEL, id="other", children=(
    Row("no_correction", L("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                           "1. No correction in time; no longer processed")),
    Row("fee_unpaid", L("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                        "2. Fee not paid in time; no longer processed")),
    Row("other", L("3.其他", "3. Other")),
))


def _requests(other: Row | Group) -> TableSpec:
    results = Group(L("三、本年度办理结果", "III. Results this year"), name="results", children=(
        Row("granted", L("（一）予以公开", "(1) Granted")),
        Row("partially_granted", L("（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
                                   "(2) Partially granted")),
        WITHHELD, UNABLE, NOT_PROCESSED, other,
        Row("total", L("（七）总计", "(7) Total")),
    ))
    return TableSpec("requests", L("收到和处理政府信息公开申请情况", "Requests received and handled"), (
        Block(
            name="Applicants",
            corner=L("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                     "(In each column: item 1 + item 2 = item 3 + item 4)"),
            columns_heading=L("申请人情况", "Applicants"),
            columns=APPLICANTS,
            rows=(
                Row("received", L("一、本年新收政府信息公开申请数量", "I. New requests this year")),
                Row("carried_over", L("二、上年结转政府信息公开申请数量", "II. Carried over from last year")),
                results,
                Row("carried_forward", L("四、结转下年度继续办理", "IV. Carried forward to next year")),
            ),
        ),
    ))


# ----------------------------------------------------------------------------- table 4

REVIEW_LITIGATION = TableSpec(
    "review_litigation", L("政府信息公开行政复议、行政诉讼情况", "Administrative review and litigation"), (
        Block(
            transposed=True, name="Outcomes",
            columns=(
                Column("upheld", L("结果维持", "Upheld")),
                Column("corrected", L("结果纠正", "Corrected")),
                Column("other", L("其他结果", "Other outcome")),
                Column("pending", L("尚未审结", "Pending")),
                Column("total", L("总计", "Total")),
            ),
            rows=(
                Row("review", L("行政复议", "Administrative review")),
                Group(L("行政诉讼", "Administrative litigation"), name="litigation", children=(
                    Row("litigation_direct", L("未经复议直接起诉", "Filed directly, without review")),
                    Row("litigation_after_review", L("复议后起诉", "Filed after review")),
                )),
            ),
        ),
    ))

# ----------------------------------------------------------------------------- what a narrative states

STATED = (
    StatedCount("received", L("正文所述收到申请数", "Requests received"),
                readings=(("/requests/received/total",), ("/requests/received/total", "/requests/carried_over/total"))),
    StatedCount("carried_forward", L("正文所述结转下年度数", "Requests carried forward"),
                readings=(("/requests/carried_forward/total",),)),
    StatedCount("reviews", L("正文所述行政复议数", "Administrative reviews"),
                readings=(("/review_litigation/review/total",),)),
    StatedCount("lawsuits", L("正文所述行政诉讼数", "Lawsuits"),
                readings=(("/review_litigation/litigation_direct/total",
                           "/review_litigation/litigation_after_review/total"),)),
    StatedCount("fees", L("正文所述信息处理费（元）", "Information-processing fees charged (yuan)"), CellKind.AMOUNT),
)

# ----------------------------------------------------------------------------- formats

FORMAT_2019 = FormatSpec(
    version="2019",
    label=L("中华人民共和国政府信息公开工作年度报告格式（试行）", "Annual report format (trial), 2019"),
    notice="国办公开办函〔2019〕60号",
    first_year=2019,
    last_year=2020,
    parts=_parts(),
    tables=(PROACTIVE_2019, _requests(OTHER_2019), REVIEW_LITIGATION),
    stated=STATED,
)

FORMAT_2021 = FormatSpec(
    version="2021",
    label=L("中华人民共和国政府信息公开工作年度报告格式", "Annual report format, revised 2021"),
    notice="国办公开办函〔2021〕30号",
    first_year=2021,
    last_year=None,
    parts=_parts(),
    tables=(PROACTIVE_2021, _requests(OTHER_2021), REVIEW_LITIGATION),
    stated=STATED,
)


#: 2021 tables that still print the 2019 form's single （六）其他处理 row (seen in Jiangsu, 2023–2024):
#: loaded as published, and reported by GD-T3-OTHER-SINGLE
SINGLE_OTHER_ROW = Variant(
    id="single-other-row", extends="2021",
    label=L("2021 格式，但（六）其他处理印为一行", "2021 format with (6) other handling printed as one row"),
    replace_rows=(RowReplacement("requests", "other", (OTHER_2019,)),),
)


@hookimpl
def register_formats() -> list[FormatSpec]:
    return [FORMAT_2019, FORMAT_2021]


@hookimpl
def register_variants() -> list[Variant]:
    return [SINGLE_OTHER_ROW]
