"""The codes the Word loader reports, declared once: catalogued through the rules hook (so that
``govdisclosure rules`` lists them) and used to make the findings.

A place in a document is "table T, row R, column C" (counted from 1, tables in document order,
columns on the table's grid); the finding's ``params`` carry the numbers.
"""

from __future__ import annotations

from typing import Any

from govdisclosure.errors import LoadError
from govdisclosure.findings import Finding, Severity
from govdisclosure.labels import Label
from govdisclosure.rules import Rule

__all__ = ["CATALOG", "fatal", "finding"]

FATAL, WARN, INFO = Severity.FATAL, Severity.WARNING, Severity.INFO
_ROW = Label("第 {table} 个表格第 {row} 行", "table {table}, row {row}")
_CELL = Label("第 {table} 个表格第 {row} 行第 {column} 列", "table {table}, row {row}, column {column}")


def _after(where: Label, zh: str, en: str) -> Label:
    return Label(where.zh + zh, where.en + en)


CATALOG: dict[str, Rule] = {r.code: r for r in (
    Rule(code="DOCX-LOAD-CORRUPT", severity=FATAL,
         description=Label("文件不是可读取的 Word 文档（.docx）", "The file is not a readable Word document (.docx)"),
         message=Label("不是可读取的 Word 文档（.docx）：{reason}", "not a readable Word document (.docx): {reason}")),
    Rule(code="DOCX-LOAD-ENCRYPTED", severity=FATAL,
         description=Label("Word 文档设有打开密码", "The Word document is password-protected"),
         message=Label("Word 文档设有打开密码，无法读取：请在 Word 中取消密码（文件 > 信息 > 保护文档）后另存",
                       "the Word document is password-protected: remove the password in Word (File > Info > "
                       "Protect Document) and save it again")),
    Rule(code="DOCX-LOAD-DOC", severity=FATAL,
         description=Label("旧版 Word 二进制文件（.doc），未安装 LibreOffice，无法转换",
                           "An old binary Word file (.doc), and no LibreOffice to convert it"),
         message=Label("旧版 Word 二进制文件（.doc）需要 LibreOffice（soffice 命令）转换后读取：请安装 LibreOffice，"
                       "或在 Word 中另存为 .docx",
                       "an old binary Word file (.doc) is read after conversion by LibreOffice (the soffice "
                       "command): install LibreOffice, or save the file as .docx in Word")),
    Rule(code="DOCX-LOAD-CONVERT", severity=FATAL,
         description=Label("LibreOffice 未能把 .doc 转换为 .docx", "LibreOffice could not convert the .doc to .docx"),
         message=Label("LibreOffice 未能把 .doc 转换为 .docx：{reason}",
                       "LibreOffice could not convert the .doc to .docx: {reason}")),
    Rule(code="DOCX-NOT-REPORT", severity=FATAL,
         description=Label("Word 文档中没有年度报告的表格", "The Word document has none of the report's tables"),
         message=Label("Word 文档中找不到年度报告的表格（共 {tables} 个表格，没有一行的标签是报告格式中的行）",
                       "no table of the annual report in the Word document ({tables} tables, none with a row "
                       "labelled as a row of the form)")),
    Rule(code="DOCX-TABLE-MISSING", severity=WARN,
         description=Label("报告的一张表在文档中没有找到", "One of the report's tables is not in the document"),
         message=Label("找不到表格「{label}」：其单元格均为空（null）", "table {label} not found: its cells are blank "
                                                                     "(null)")),
    Rule(code="DOCX-ROW-MISSING", severity=WARN,
         description=Label("表格缺少格式中的一行", "A row of the form is missing from a table"),
         message=Label("表格「{table_label}」中找不到「{label}」这一行：该行单元格为空（null）",
                       "no row {label} in table {table_label}: its cells are blank (null)")),
    Rule(code="DOCX-ROW-DUPLICATE", severity=WARN,
         description=Label("格式中的一行印了两次（读取先出现的一行）",
                           "A row of the form is printed twice (the first is read)"),
         message=_after(_ROW, "：「{label}」这一行已在第 {first_table} 个表格第 {first_row} 行出现，按先出现的一行读取",
                        ": row {label} was already printed at table {first_table}, row {first_row}; the first one "
                        "is read")),
    Rule(code="DOCX-ROW-ORDER", severity=INFO,
         description=Label("表格的行序与格式不同（各行按标签读取）",
                           "Rows are printed in another order than the form's (each is read by its label)"),
         message=Label("表格「{table_label}」的行序与格式不同：「{label}」印在「{before}」之后；各行按标签读取",
                       "rows of table {table_label} are in another order than the form's: {label} is printed after "
                       "{before}; every row is read by its label")),
    Rule(code="DOCX-ROW-UNKNOWN", severity=WARN,
         description=Label("表格中有格式之外的一行，其数字未读取",
                           "A table row the form does not have: its numbers are not read"),
         message=_after(_ROW, "：「{text}」不是格式中的行，该行的数字未读取",
                        ": {text!r} is not a row of the form; its numbers are not read")),
    Rule(code="DOCX-ROW-CELLS", severity=WARN,
         description=Label("一行的数字单元格与表头的列对不上", "A row's value cells do not line up with the header's "
                                                       "columns"),
         message=_after(_ROW, "：「{label}」一行的 {got} 个数字单元格中，{read} 个对上了表头的列（应有 {expected} 列："
                              "{columns}）；其余未读取，对不上的列为空（null）",
                        ": of the {got} value cells of row {label}, {read} line up with the header's columns "
                        "({expected} expected: {columns}); the others are not read, and the columns left over are "
                        "blank (null)")),
    Rule(code="DOCX-ROW-GRID", severity=WARN,
         description=Label("一行的单元格没有铺满表格的网格（缺了单元格，或合并方式不同）",
                           "A row's cells do not fill the table's grid (a cell lost, or merged otherwise)"),
         message=_after(_ROW, "：单元格没有铺满表格的 {width} 列网格，不能按位置对应表头，该行的{what}未读取",
                        ": its cells do not fill the table's grid of {width} columns, so they cannot be lined up "
                        "with the header; the row's {what} are not read")),
    Rule(code="DOCX-CELL-TEXT", severity=WARN,
         description=Label("单元格内容不是数字（按空读取）", "A cell's text is not a number (read as blank)"),
         message=_after(_CELL, "（{label}）：「{text}」不是{expected}，按空（null）读取",
                        " ({label}): {text!r} is not {expected}; read as blank (null)")),
    Rule(code="DOCX-ENVELOPE", severity=INFO,
         description=Label("标题、年度、日期未能从文档中识别", "The title, year or dates could not be recognised"),
         message=Label("标题、年度、日期未能从文档文字中识别：{reason}",
                       "the title, year and dates could not be read from the document's text: {reason}")),
)}


def finding(code: str, *, pointer: str = "", labels: tuple[str, ...] = (), file: str | None = None,
            **params: Any) -> Finding:
    """A finding of one of :data:`CATALOG`'s codes, its message formatted in both languages (a
    :class:`Label` param in the message's language)."""
    rule = CATALOG[code]
    return Finding.make(code, rule.severity, rule.message, pointer=pointer, labels=labels, file=file, params=params)


def fatal(code: str, file: str | None = None, **params: Any) -> LoadError:
    """The LoadError of a file that cannot be read as a report."""
    return LoadError([finding(code, file=file, **params)], file)
