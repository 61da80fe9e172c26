"""Every exception govdisclosure raises derives from :class:`GovDisclosureError`.

The reasons an input is not a report are :class:`~govdisclosure.findings.Finding` objects of
severity ``fatal`` carried by :class:`LoadError`, each naming the place (JSON pointer, or
line and column) and what was expected.  Every exception pickles to an equal value, so that a
worker process can raise one to its parent.
"""

from __future__ import annotations

import codecs
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .findings import Finding, Severity, printable
from .labels import Label

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "UNSET",
    "DeclarationError",
    "GovDisclosureError",
    "LoadError",
    "PluginError",
    "RenderError",
    "RuleDeclarationError",
    "ScalarError",
    "UnknownFormatError",
    "UnknownRuleError",
    "problem",
]

#: the longest repr of a published value quoted in a message: a hostile value is never printed whole
QUOTE_LIMIT = 40


class GovDisclosureError(Exception):
    """Base of every exception govdisclosure raises.

    ``args`` holds the whole state (pickling rebuilds the exception from it), and two
    exceptions are equal when their type and ``args`` are.
    """

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and isinstance(other, BaseException) and self.args == other.args

    def __hash__(self) -> int:
        return hash((type(self), str(self)))

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else type(self).__name__


class DeclarationError(GovDisclosureError, ValueError):
    """A format, variant or rule declaration is inconsistent (raised loudly, at registration)."""


class RuleDeclarationError(DeclarationError):
    """An equation names a row or column its format does not have."""


class PluginError(GovDisclosureError, RuntimeError):
    """A plugin failed to load or contributed something inconsistent; the message names the plugin."""


class UnknownFormatError(GovDisclosureError, KeyError):
    """No installed format version, variant or renderer by that name, no format for a year, or no table or cell
    of that id in a format (a ``KeyError`` too)."""


class UnknownRuleError(GovDisclosureError, KeyError):
    """A ``select`` that names no installed rule (a code, or a prefix such as ``GD-M-``): it would select nothing
    and a report would pass unchecked.  The message names the closest codes installed (a ``KeyError`` too)."""


class RenderError(GovDisclosureError, ValueError):
    """A report cannot be written in the format asked for (no such renderer, or not for this format)."""


class ScalarError(GovDisclosureError, ValueError):
    """A value of the wrong type or range (the scalar's ``expected`` says what was wanted)."""


def quote(value: Any, limit: int = QUOTE_LIMIT) -> str:
    """A short repr of a published value for a message: bounded, whatever the value's size."""
    if isinstance(value, str) and len(value) > limit:
        value = value[:limit]
    elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"<an integer of about {int(value.bit_length() * 0.30103) + 1} digits>"
    elif isinstance(value, (list, tuple, dict)) and len(value) > 8:
        return f"<a {type(value).__name__} of {len(value)} items>"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"

    def __reduce__(self) -> str:
        return "UNSET"


#: ``got`` when a problem is not about a value (a missing field, a syntax error)
UNSET: Any = _Unset()

# problems that say what is wrong themselves, rather than "expected …, got …"
_PLAIN = frozenset({"GD-LOAD-UNKNOWN", "GD-LOAD-MISSING", "GD-LOAD-EMPTY", "GD-LOAD-BINARY", "GD-LOAD-SYNTAX",
                    "GD-LOAD-NOT-REPORT", "GD-LOAD-INPUT", "GD-LOAD-LIMIT"})


def problem(code: str, pointer: str, expected: Label, got: Any = UNSET, *, line: int | None = None,
            column: int | None = None, page: int | None = None, labels: Sequence[str] = (),
            file: str | None = None, **params: Any) -> Finding:
    """A reason an input is not a report, as a fatal :class:`Finding`.

    ``expected`` says what was expected at ``pointer`` (or at ``line``/``column``), ``got`` what
    was found (quoted briefly, never whole).
    """
    shown = {} if got is UNSET else {"got": quote(got)}
    if code in _PLAIN:
        zh, en = expected.zh, expected.en
    else:
        zh, en = f"应为 {expected.zh}", f"expected {expected.en}"
    if shown:
        zh, en = zh + f"，实际为 {shown['got']}", en + f", got {shown['got']}"
    return Finding(code=code, severity=Severity.FATAL, message=Label(zh, en), pointer=pointer,
                   pointers=(pointer,) if pointer else (), labels=tuple(labels), file=file, line=line, column=column,
                   page=page, params={"expected": expected, **shown, **params})


def undecodable(exc: UnicodeDecodeError, what: Label | None = None, encoding: str = "UTF-8") -> Finding:
    """GD-LOAD-BINARY for bytes that are not ``encoding`` text, at the bad byte's line and column
    (both counted from 1, as an editor counts) and its byte number, also from 1."""
    byte = exc.start + 1
    what = what or Label("", "")
    words = Label(f"{what.zh}不是 {encoding} 文本（第 {byte} 字节）", f"{what.en}not {encoding} text (byte {byte})")
    if codecs.lookup(exc.encoding).name not in ("utf-8", "utf-8-sig"):
        return problem("GD-LOAD-BINARY", "", words)  # lines of UTF-16 are not counted by b"\n"
    if _looks_gbk(bytes(exc.object)):  # Notepad's "ANSI" on a Chinese Windows
        words = Label(f"{words.zh}；文件似为 GBK（GB18030）编码，请另存为 UTF-8",
                      f"{words.en}; the file looks GBK (GB18030) encoded: save it as UTF-8")
    head = bytes(exc.object[:exc.start]).removeprefix(codecs.BOM_UTF8)
    line = head.count(b"\n") + 1
    # the column in characters, as an editor counts them, of the text before the bad byte on its line
    column = len(head[head.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
    return problem("GD-LOAD-BINARY", "", words, line=line, column=column)


def _looks_gbk(data: bytes) -> bool:
    if b"\x00" in data[:4096]:  # no GBK text holds NULs (UTF-16 does)
        return False
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def Problem(code: str, pointer: str, expected: Label, got: Any = UNSET, line: int | None = None,
            column: int | None = None) -> Finding:
    """Deprecated: use :func:`problem` (a load problem is a :class:`Finding` now)."""
    warnings.warn("govdisclosure.errors.Problem is deprecated; use govdisclosure.errors.problem()",
                  DeprecationWarning, stacklevel=2)
    return problem(code, pointer, expected, got, line=line, column=column)


class LoadError(GovDisclosureError):
    """The input could not be read as a report. ``findings`` says where and why (severity fatal)."""

    def __init__(self, findings: Iterable[Finding], file: str | None = None) -> None:
        found = tuple(f if f.file == file or file is None else _with_file(f, file) for f in findings)
        super().__init__(found, file)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every problem of the input, in the order found."""
        return self.args[0]  # type: ignore[no-any-return]

    @property
    def file(self) -> str | None:
        """The input's name, when known."""
        return self.args[1]  # type: ignore[no-any-return]

    @property
    def problems(self) -> tuple[Finding, ...]:
        """Deprecated alias of :attr:`findings`."""
        warnings.warn("LoadError.problems is deprecated; use LoadError.findings", DeprecationWarning, stacklevel=2)
        return self.findings

    def __str__(self) -> str:
        lines = self.lines("en")
        return lines[0] if lines else "not a report"

    def with_file(self, file: str) -> LoadError:
        """The same problems, naming ``file``."""
        return LoadError(self.findings, file)

    def lines(self, lang: str = "zh") -> list[str]:
        """One self-contained line per problem: ``file: where [official label]: what was expected [code]``
        (where: the line and column when known, and the JSON pointer)."""
        prefix = f"{printable(self.file)}: " if self.file else ""
        out = []
        for f in self.findings:
            if not f.pointer and f.line is None and f.page is None and not f.labels:
                out.append(f"{prefix}{f.text(lang)} [{f.code}]")  # the whole input: no place to name
                continue
            where = f.where(lang) + (f" {f.pointer}" if f.line is not None and f.pointer else "")
            labels = f" [{'；'.join(f.labels)}]" if f.labels else ""
            out.append(f"{prefix}{where}{labels}: {f.text(lang)} [{f.code}]")
        return out

    def summary(self, lang: str = "zh") -> str:
        """One line: the first problem, and how many more there are."""
        first = self.lines(lang)[0] if self.findings else f"{self.file}: not a report"
        more = len(self.findings) - 1
        if more > 0:
            first += (f"（另有 {more} 处问题，--output json 列出全部）" if lang == "zh"
                      else f" (and {more} more problems; --output json lists them all)")
        return first


def _with_file(finding: Finding, file: str) -> Finding:
    return attrs.evolve(finding, file=file)
