"""The codes the audit itself emits, catalogued like every rule (``govdisclosure rules`` lists them)."""

from __future__ import annotations

from typing import Any

from ..findings import Finding, Severity
from ..formats.spec import Label
from ..plugins import hookimpl
from ..rules.types import Rule

__all__ = ["AUDIT_RULES", "BLANK_FORM", "CRASH", "DUPLICATE", "LOOP", "NOT_FILE", "OUTSIDE", "TIMEOUT", "make"]


def make(rule: Rule, *, pointer: str = "", **params: Any) -> Finding:
    """A finding of one of the audit's own codes (catalogue entries without a check function)."""
    return Finding.make(rule.code, rule.severity, rule.message, pointer=pointer, params=params)



DUPLICATE = Rule(
    code="GD-AUDIT-DUPLICATE", severity=Severity.WARNING,
    description=Label("同一机关同一年度有两份（或更多）不同的报告：都保留，都标出",
                      "Two (or more) different reports claim the same agency and year: all are kept and flagged"),
    message=Label("{year} 年度同一机关共有 {count} 份不同的报告（另见：{others}）；{cells}",
                  "{count} different reports for this agency and {year} (see also: {others}); {cells}"))
TIMEOUT = Rule(
    code="GD-AUDIT-TIMEOUT", severity=Severity.FATAL,
    description=Label("读取单个输入超过时限，已中止",
                      "Reading one input took longer than the time limit and was cut off"),
    message=Label("读取超过 {seconds} 秒，已中止", "reading took more than {seconds} s and was cut off"))
CRASH = Rule(
    code="GD-AUDIT-CRASH", severity=Severity.FATAL,
    description=Label("读取器在这个输入上出错（读取器的缺陷，已记录，批处理继续）",
                      "A loader failed on this input (a loader bug: recorded, the batch goes on)"),
    message=Label("{error}", "{error}"))
BLANK_FORM = Rule(
    code="GD-AUDIT-BLANK-FORM", severity=Severity.FATAL,
    description=Label("空白表格（没有机关、没有年度、所有单元格都为空，如未填写的官方模板）：不计为报告",
                      "A blank form (no agency, no year, every cell blank: an unfilled official template): "
                      "not counted as a report"),
    message=Label("空白表格：没有机关名称、没有年度，{cells} 个单元格都为空（未填写的模板？），不计为报告",
                  "a blank form: no agency name, no year, all {cells} cells blank (an unfilled template?): "
                  "not counted as a report"))
# the paths a walk leaves out on purpose (listed in the summary, not stored as inputs)
LOOP = Rule(
    code="GD-AUDIT-LOOP", severity=Severity.INFO,
    description=Label("目录经符号链接再次出现（循环），只读一次",
                      "A folder reached again through symlinks (a loop): read once"),
    message=Label("目录已经读过（符号链接循环或重复），只读一次",
                  "folder already walked (a symlink loop or a repeat): read once"))
OUTSIDE = Rule(
    code="GD-AUDIT-OUTSIDE", severity=Severity.INFO,
    description=Label("符号链接指向所审目录之外，未读取", "A symbolic link out of the audited folders: not read"),
    message=Label("符号链接指向所审目录之外（{target}），未读取",
                  "a symbolic link out of the audited folders (to {target}): not read"))
NOT_FILE = Rule(
    code="GD-AUDIT-NOT-FILE", severity=Severity.INFO,
    description=Label("不是普通文件（命名管道、套接字、设备），未读取",
                      "Not a regular file (a named pipe, a socket, a device): not read"),
    message=Label("不是普通文件（{kind}），未读取", "not a regular file ({kind}): not read"))

AUDIT_RULES: tuple[Rule, ...] = (DUPLICATE, TIMEOUT, CRASH, BLANK_FORM, LOOP, OUTSIDE, NOT_FILE)


@hookimpl
def register_rules() -> list[Rule]:
    return list(AUDIT_RULES)
