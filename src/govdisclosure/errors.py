"""Why an input is not a report: located problems, never a traceback."""

from __future__ import annotations

from typing import Any

import attrs

from .findings import Finding, Severity
from .formats.spec import Label

__all__ = ["LoadError", "Problem"]


def _short(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


#: ``Problem.got`` when the problem is not about a value (a missing field, a syntax error)
UNSET: Any = _Unset()


@attrs.frozen
class Problem:
    """One reason an input could not be loaded.

    ``pointer`` is a JSON pointer into the document ("" for the whole document); ``line`` and
    ``column`` are set instead for syntax errors.
    """

    code: str
    pointer: str
    expected: Label
    got: Any = attrs.field(default=UNSET, eq=False)
    line: int | None = None
    column: int | None = None

    def where(self) -> str:
        if self.line is not None:
            return f"line {self.line}" + (f", column {self.column}" if self.column is not None else "")
        return self.pointer or "/"

    def text(self, lang: str = "zh") -> str:
        got = "" if self.got is UNSET else (
            f"，实际为 {_short(self.got)}" if lang == "zh" else f", got {_short(self.got)}")
        lead = "应为" if lang == "zh" else "expected"
        if self.code in ("GD-LOAD-UNKNOWN", "GD-LOAD-MISSING", "GD-LOAD-EMPTY", "GD-LOAD-BINARY", "GD-LOAD-SYNTAX",
                         "GD-LOAD-NOT-REPORT", "GD-LOAD-INPUT"):
            return self.expected.get(lang) + got
        return f"{lead} {self.expected.get(lang)}{got}"


class LoadError(Exception):
    """The input could not be read as a report. ``problems`` says where and why."""

    def __init__(self, problems: list[Problem], file: str | None = None) -> None:
        self.problems = list(problems)
        self.file = file
        super().__init__(self.lines("en")[0] if self.problems else "not a report")

    def with_file(self, file: str) -> "LoadError":
        return LoadError(self.problems, file)

    def lines(self, lang: str = "zh") -> list[str]:
        """One self-contained line per problem: ``file: where: what was expected``."""
        prefix = f"{self.file}: " if self.file else ""
        return [f"{prefix}{p.where()}: {p.text(lang)} [{p.code}]" for p in self.problems]

    def summary(self, lang: str = "zh") -> str:
        """One line: the first problem, and how many more there are."""
        first = self.lines(lang)[0] if self.problems else f"{self.file}: not a report"
        more = len(self.problems) - 1
        if more > 0:
            first += (f"（另有 {more} 处问题，--output json 列出全部）" if lang == "zh"
                      else f" (and {more} more problems; --output json lists them all)")
        return first

    def findings(self) -> list[Finding]:
        return [
            Finding(code=p.code, severity=Severity.FATAL, pointer=p.pointer, file=self.file, line=p.line,
                    message=Label(p.text("zh"), p.text("en")),
                    params={"where": p.where()} | ({} if p.got is UNSET else {"got": _short(p.got)}))
            for p in self.problems
        ]
