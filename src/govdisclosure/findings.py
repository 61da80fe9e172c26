"""Findings: what a rule (or the loader) says about a report."""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any, Mapping

import attrs

from .formats.spec import Label

__all__ = ["Finding", "Severity"]


class Severity(str, enum.Enum):
    """How bad a finding is.

    ``fatal``: the input could not be read as a report; ``error``: the published numbers
    contradict each other or the form; ``warning``: very likely wrong, but a legitimate report
    could show it; ``info``: worth a look.
    """

    FATAL = "fatal"
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def label(self) -> Label:
        return _LABELS[self]


_RANK = {Severity.FATAL: 0, Severity.ERROR: 1, Severity.WARNING: 2, Severity.INFO: 3}
_LABELS = {
    Severity.FATAL: Label("无法读取", "fatal"),
    Severity.ERROR: Label("错误", "error"),
    Severity.WARNING: Label("警告", "warning"),
    Severity.INFO: Label("提示", "info"),
}


def _jsonable(v: Any) -> Any:
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, Mapping):
        return {str(k): _jsonable(x) for k, x in v.items()}
    return v


@attrs.frozen(kw_only=True)
class Finding:
    """One finding.

    ``pointer`` is the RFC 6901 JSON pointer of the main cell or field ("" for the whole
    report); ``pointers`` every cell involved, ``labels`` their official labels (same order);
    ``params`` the numbers and names the message was made from (both sides of a sum, the
    blank cells), so that other tools can word it again.
    """

    code: str
    severity: Severity
    message: Label
    pointer: str = ""
    pointers: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    params: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    #: the file the report came from, when known
    file: str | None = None
    #: line in that file (load errors of text formats)
    line: int | None = None

    def text(self, lang: str = "zh") -> str:
        return self.message.get(lang)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "code": self.code,
            "severity": self.severity.value,
            "pointer": self.pointer,
            "line": self.line,
            "pointers": list(self.pointers),
            "labels": list(self.labels),
            "params": _jsonable(dict(self.params)),
            "message": {"zh": self.message.zh, "en": self.message.en},
        }

    def sort_key(self) -> tuple[Any, ...]:
        return (self.file or "", self.severity.rank, self.code, self.pointer)
