"""The codes the Word loader reports, declared once: catalogued through the rules hook (so that
``govdisclosure rules`` lists them) and used to make the findings.

A place in a document is "table T, row R, column C" (counted from 1, tables in document order,
columns on the table's grid), or "paragraph P".
"""

from __future__ import annotations

from typing import Any

import attrs
from govdisclosure.findings import Finding, Severity
from govdisclosure.formats.spec import Label

__all__ = ["CODES", "Code", "fatal", "finding"]


@attrs.frozen
class Code:
    code: str
    severity: Severity
    description: Label
    message: Label  #: str.format templates, filled from the finding's params


_WHERE = Label("第 {table} 个表格第 {row} 行", "table {table}, row {row}")
_CELL = Label("第 {table} 个表格第 {row} 行第 {column} 列", "table {table}, row {row}, column {column}")

CODES = {c.code: c for c in (
    Code("DOCX-LOAD-CORRUPT", Severity.FATAL,
         Label("文件不是可读取的 Word 文档（.docx）", "the file is not a readable Word document (.docx)"),
         Label("不是可读取的 Word 文档（.docx）：{reason}", "not a readable Word document (.docx): {reason}")),
    Code("DOCX-LOAD-ENCRYPTED", Severity.FATAL,
         Label("Word 文档设有打开密码", "the Word document is password-protected"),
         Label("Word 文档设有打开密码，无法读取：请在 Word 中取消密码（文件 > 信息 > 保护文档）后另存",
               "the Word document is password-protected: remove the password in Word (File > Info > Protect "
               "Document) and save it again")),
    Code("DOCX-LOAD-DOC", Severity.FATAL,
         Label("旧版 Word 二进制文件（.doc），未安装 LibreOffice，无法转换",
               "an old binary Word file (.doc) and no LibreOffice to convert it"),
         Label("旧版 Word 二进制文件（.doc）需要 LibreOffice（soffice 命令）转换后读取：请安装 LibreOffice，"
               "或在 Word 中另存为 .docx",
               "an old binary Word file (.doc) is read after conversion by LibreOffice (the soffice command): "
               "install LibreOffice, or save the file as .docx in Word")),
    Code("DOCX-LOAD-CONVERT", Severity.FATAL,
         Label("LibreOffice 未能把 .doc 转换为 .docx", "LibreOffice could not convert the .doc to .docx"),
         Label("LibreOffice 未能把 .doc 转换为 .docx：{reason}", "LibreOffice could not convert the .doc to .docx: "
                                                             "{reason}")),
    Code("DOCX-NOT-REPORT", Severity.FATAL,
         Label("Word 文档中没有年度报告的表格", "the Word document has none of the report's tables"),
         Label("Word 文档中找不到年度报告的表格（{tables} 个表格，没有一行的标签是报告格式的行）",
               "no table of the annual report in the Word document ({tables} tables, none with a row labelled as "
               "the form's rows)")),
    Code("DOCX-TABLE-MISSING", Severity.WARNING,
         Label("报告的一张表在文档中没有找到", "one of the report's tables is not in the document"),
         Label("找不到表格「{label}」：其单元格均为空（null）",
               "table {label_en} not found: its cells are blank (null)")),
    Code("DOCX-ROW-MISSING", Severity.WARNING,
         Label("表格缺少格式中的一行", "a row of the form is missing from a table"),
         Label("表格「{table_label}」中找不到「{label}」这一行：该行单元格为空（null）",
               "no row {label_en} in table {table_label_en}: its cells are blank (null)")),
    Code("DOCX-ROW-DUPLICATE", Severity.WARNING,
         Label("同一行印了两次", "a row of the form is printed twice"),
         Label(_WHERE.zh + "：「{label}」这一行已在第 {first_table} 个表格第 {first_row} 行出现，按先出现的一行读取",
               _WHERE.en + ": row {label_en} already printed at table {first_table}, row {first_row}; the first "
                           "one is read")),
    Code("DOCX-ROW-ORDER", Severity.INFO,
         Label("表格的行序与格式不同（按标签读取）", "rows printed in another order than the form's (read by label)"),
         Label("表格「{table_label}」的行序与格式不同：「{label}」印在「{before}」之后；各行按标签读取",
               "rows of table {table_label_en} are in another order than the form's: {label_en} is printed after "
               "{before_en}; every row is read by its label")),
    Code("DOCX-ROW-UNKNOWN", Severity.WARNING,
         Label("表格中有格式之外的一行，其数字未读取", "a table row the form does not have: its numbers are not read"),
         Label(_WHERE.zh + "：「{text}」不是格式中的行，该行的数字未读取",
               _WHERE.en + ": {text} is not a row of the form; its numbers are not read")),
    Code("DOCX-ROW-CELLS", Severity.WARNING,
         Label("一行的数字单元格与表头的列对不上", "a row's value cells do not line up with the header's columns"),
         Label(_WHERE.zh + "：「{label}」一行有 {got} 个数字单元格，应为 {expected} 个（{columns}）；"
                           "无法对应的单元格未读取",
               _WHERE.en + ": row {label_en} has {got} value cells, expected {expected} ({columns_en}); the cells that "
                           "cannot be matched to a column are not read")),
    Code("DOCX-ROW-GRID", Severity.WARNING,
         Label("一行的单元格没有铺满表格的网格（缺了单元格，或合并方式不同）",
               "a row's cells do not fill the table's grid (a cell lost, or merged otherwise)"),
         Label(_WHERE.zh + "：单元格没有铺满表格的 {width} 列网格，不能按位置对应表头，该行{what}未读取",
               _WHERE.en + ": its cells do not fill the table's grid of {width} columns, so they cannot be "
                           "lined up with the header; the row's {what_en} not read")),
    Code("DOCX-CELL-TEXT", Severity.WARNING,
         Label("单元格内容不是数字", "a cell's text is not a number"),
         Label(_CELL.zh + "（{label}）：「{text}」不是{expected}，按空（null）读取",
               _CELL.en + " ({label_en}): {text!r} is not {expected_en}; read as blank (null)")),
    Code("DOCX-ENVELOPE", Severity.INFO,
         Label("标题、年度、日期未能从文档中识别", "the title, year or dates could not be recognised"),
         Label("标题、年度、日期未能从文档文字中识别：{reason}", "the title, year and dates could not be read from "
                                                          "the document's text: {reason}")),
)}


def _format(template: str, params: dict[str, Any]) -> str:
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def finding(code: str, *, pointer: str = "", pointers: tuple[str, ...] = (), labels: tuple[str, ...] = (),
            file: str | None = None, **params: Any) -> Finding:
    """A finding of one of :data:`CODES`, its message formatted in both languages.

    A param that is a :class:`Label` gives its zh to the Chinese text and its en (as ``<name>_en``)
    to the English one.
    """
    spec = CODES[code]
    zh = {k: (v.zh if isinstance(v, Label) else v) for k, v in params.items()}
    en = {k: (v.en if isinstance(v, Label) else v) for k, v in params.items()}
    en.update({f"{k}_en": v.en for k, v in params.items() if isinstance(v, Label)})
    en.update({f"{k}_en": v for k, v in params.items() if not isinstance(v, Label) and f"{k}_en" not in en})
    plain = {k: (v.zh if isinstance(v, Label) else v) for k, v in params.items()}
    return Finding(code=code, severity=spec.severity, pointer=pointer, pointers=pointers, labels=labels,
                   message=Label(_format(spec.message.zh, zh), _format(spec.message.en, en)), params=plain,
                   file=file)


def fatal(code: str, file: str | None = None, **params: Any) -> Exception:
    """The LoadError of a file that cannot be read as a report."""
    from govdisclosure.errors import LoadError, Problem

    f = finding(code, file=file, **params)
    return LoadError([Problem(code, "", f.message)], file)
