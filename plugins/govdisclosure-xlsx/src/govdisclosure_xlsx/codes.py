"""The codes this plugin's findings carry, catalogued (``govdisclosure rules`` lists them)."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from govdisclosure.errors import LoadError
from govdisclosure.findings import Severity
from govdisclosure.formats.spec import Label
from govdisclosure.rules import Rule

F, W, INFO = Severity.FATAL, Severity.WARNING, Severity.INFO
WHERE = Label("{where}", "{where}")

CATALOG: tuple[Rule, ...] = tuple(
    Rule(code=code, severity=severity, description=description, message=WHERE)
    for code, severity, description in (
        ("XLSX-LOAD-CORRUPT", F, Label("文件已损坏或不是 .xlsx 工作簿",
                                       "The file is damaged or not an .xlsx workbook")),
        ("XLSX-LOAD-ENCRYPTED", F, Label("工作簿设有打开密码，无法读取", "The workbook is encrypted with a password")),
        ("XLSX-LOAD-XLS", F, Label("旧版 Excel 97-2003（.xls）文件，须另存为 .xlsx",
                                   "An old Excel 97-2003 (.xls) file: save it as .xlsx")),
        ("XLSX-LOAD-NO-TABLE", F, Label("找不到某张表所在的工作表", "No sheet holds one of the tables")),
        ("XLSX-LOAD-NO-LABEL", F, Label("工作表中找不到某个官方行或列标签",
                                        "An official row or column label is missing")),
        ("XLSX-LOAD-AMBIGUOUS", F, Label("某个行或列标签出现多处，无法确定数值位置",
                                         "A row or column label appears more than once")),
        ("XLSX-LOAD-FORMULA", F, Label("数值单元格是未保存结果的公式",
                                       "A value cell holds a formula with no stored result")),
        ("XLSX-YEAR", W, Label("工作表标题中的年份与报告年度不符",
                               "A sheet title names another year than the report's")),
        ("XLSX-YEAR-UNKNOWN", W, Label("工作簿没有写明报告年度：年度为空，未按年度核对格式版本",
                                       "The workbook does not say the report's year: the format is not checked "
                                       "against it")),
        ("XLSX-FORMAT-GUESSED", INFO, Label("工作簿未写明格式版本，按标签判定",
                                            "The format version was taken from the labels")),
        ("XLSX-RECOMPUTED", INFO, Label("工作簿未保存公式结果，合计按勾稽关系计算",
                                        "Totals computed from the equations: the workbook stores no formula results")),
        ("XLSX-TEXT-NUMBER", W, Label("数字存为文本：已按其显示的数字读取，但 Excel 的合计公式不计入它",
                                      "A number stored as text: read as the number it shows; Excel's totals skip it")),
        ("XLSX-UNREAD-TEXT", W, Label("工作表中有不在任何表格或字段中的长文字，未读取",
                                      "A sheet holds long text outside every table and field: not read")),
        ("XLSX-EXTRA-SHEET", INFO, Label("工作簿中有未读取的工作表", "The workbook has sheets that were not read")),
    )
)


def relocate(exc: LoadError, where: Mapping[str, str], source: str) -> LoadError:
    """Core's verdicts on the data read from the workbook, each led by the sheet and cell it came from."""
    out = []
    for f in exc.findings:
        at = where.get(f.pointer)
        if at is not None:
            f = attrs.evolve(f, message=Label(f"{at}：{f.message.zh}", f"{at}: {f.message.en}"),
                             params={**f.params, "cell": at})
        out.append(f)
    return LoadError(out, source)
