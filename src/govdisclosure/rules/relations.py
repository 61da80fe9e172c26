"""The balancing invariants (勾稽关系) of rules.md, declared as data for the engine.

Rows and columns are named by their ids; groups by their key (``results``), so that a variant's
extra result row is summed without any change here.
"""

from __future__ import annotations

from ..findings import Severity
from ..labels import Label
from ..plugins import hookimpl
from .engine import UNCHECKED
from .types import Columns, Equation, Leaves, Rule, Term

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
COLUMN_MSG = Label("「{at}」列：{left_name} = {left} ≠ {right_name} = {right}（差 {diff}）",
                   "column {at}: {left_name} = {left} ≠ {right_name} = {right} (difference {diff})")
ROW_MSG = Label("「{at}」行：{left_name} = {left} ≠ {right_name} = {right}（差 {diff}）",
                "row {at}: {left_name} = {left} ≠ {right_name} = {right} (difference {diff})")

EQUATIONS: tuple[Equation, ...] = (
    Equation(
        code="GD-T3-BALANCE", severity=ERROR, table="requests", over="columns",
        left=("total", "carried_forward"), right=("received", "carried_over"),
        description=Label("表三每列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度（表中注明的勾稽关系）",
                          "Table 3, every column: received + carried over = total + carried forward (the rule printed "
                          "on the form)"),
        message=COLUMN_MSG,
    ),
    Equation(
        code="GD-T3-RESULTS-SUM", severity=ERROR, table="requests", over="columns",
        left=("total",), right=(Leaves("results", exclude=("total",)),), derives=True,
        right_name=Label("各项办理结果之和", "the sum of the result rows"),
        description=Label("表三每列：办理结果总计 = 各项办理结果（第一至第六项）之和",
                          "Table 3, every column: (7) total = the sum of every result row, (1) to (6)"),
        message=COLUMN_MSG,
    ),
    Equation(
        code="GD-T3-COLUMN-SUM", severity=ERROR, table="requests", over="rows",
        left=("total",), right=(Columns(exclude=("total",)),), derives=True,
        right_name=Label("各类申请人之和", "the sum of the applicant columns"),
        description=Label("表三每行：总计 = 各类申请人之和",
                          "Table 3, every row: total = the sum of the six applicant columns"),
        message=ROW_MSG,
    ),
    Equation(
        code="GD-T4-SUM", severity=ERROR, table="review_litigation", over="rows",
        left=("total",), right=(Columns(exclude=("total",)),), derives=True,
        description=Label("表四每组：结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计",
                          "Table 4, each group: upheld + corrected + other + pending = total"),
        message=ROW_MSG,
    ),
    Equation(
        code="GD-X-CARRY", severity=ERROR, scope="series", table="requests", over="columns",
        left=("carried_over",), right=(Term("carried_forward", previous=True),),
        description=Label("跨年：上年报告结转下年度的申请数 = 本年报告上年结转的申请数，逐列",
                          "Across years: last year's carried forward = this year's carried over, every column"),
        message=COLUMN_MSG,
    ),
    Equation(
        code="GD-X-IN-FORCE", severity=WARNING, scope="series", formats={"2021"}, table="proactive", over="rows",
        along=("rules", "normative_documents"),
        left=("in_force", "repealed"), right=(Term("in_force", previous=True), "issued"),
        description=Label("跨年（2021 格式）：现行有效 = 上年现行有效 + 本年制发 − 本年废止",
                          "Across years (2021 format): in force = last year's in force + issued − repealed"),
        message=ROW_MSG,
    ),
    Equation(
        code="GD-X-PREVIOUS", severity=WARNING, scope="series", formats={"2019"}, table="proactive", over="rows",
        along=("licensing", "other_services", "penalty", "coercion", "fees"),
        left=("previous",), right=(Term("previous", previous=True), Term("change", previous=True)),
        description=Label("跨年（2019 格式）：上一年项目数 = 上年报告的上一年项目数 + 上年报告的增减数",
                          "Across years (2019 format): previous items = last year's previous items + last year's "
                          "change"),
        message=ROW_MSG,
    ),
)

#: codes the engine and the loader emit themselves, catalogued so that `govdisclosure rules` lists them
CATALOG: tuple[Rule, ...] = (
    Rule(code=UNCHECKED, severity=INFO,
         description=Label("某条勾稽关系因空白单元格无法完整核对（空白不按 0 计）",
                           "A balance could not be fully checked because of blank cells (a blank is never 0)"),
         message=Label("{rule}", "{rule}")),
    *(
        Rule(code=code, severity=Severity.FATAL, description=desc, message=Label("{where}", "{where}"))
        for code, desc in (
            ("GD-LOAD-SYNTAX", Label("文件不是合法的 JSON/YAML", "The file is not valid JSON or YAML")),
            ("GD-LOAD-EMPTY", Label("文件为空", "The file is empty")),
            ("GD-LOAD-BINARY", Label("文件不是 UTF-8 文本", "The file is not UTF-8 text")),
            ("GD-LOAD-TYPE", Label("值的类型或范围不对", "A value has the wrong type or range")),
            ("GD-LOAD-MISSING", Label("缺少必需的字段或单元格", "A required field or cell is missing")),
            ("GD-LOAD-UNKNOWN", Label("有格式未声明的字段或行", "A field or row the format does not declare")),
            ("GD-LOAD-FORMAT", Label("缺少或无法识别 format_version", "format_version is missing or unknown")),
            ("GD-LOAD-VARIANT", Label("未安装或不适用的地区变体", "The variant is not installed or does not fit")),
            ("GD-LOAD-NOT-REPORT", Label("不是年度报告（找不到部分标题与表格，或 PDF 无文字层）",
                                         "Not a report (no part headings and tables, or a PDF without text)")),
            ("GD-LOAD-INPUT", Label("无法读取输入（文件不存在、无对应读取器）",
                                    "The input cannot be read (no such file, no loader for it)")),
            ("GD-LOAD-LIMIT", Label("输入超出限度（大小、位数、嵌套层数、处理时间）",
                                    "The input exceeds a limit (size, digits, nesting, time)")),
        )
    ),
)


@hookimpl
def register_rules() -> list[Rule]:
    return [*EQUATIONS, *CATALOG]
