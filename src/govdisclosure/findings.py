"""Findings: the one thing every part of govdisclosure says about an input.

A rule's verdict, a reason a file could not be loaded (severity ``fatal``, codes ``GD-LOAD-…``)
and a doubt of the parser (codes ``GD-PARSE-…``) are all a :class:`Finding`, so that a tool
handles one list.
"""

from __future__ import annotations

import contextlib
import enum
import os
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from .labels import Label

__all__ = ["Finding", "Severity", "display_path", "path_text", "printable"]


def printable(name: str) -> str:
    """A file name as one line can show it: control characters (a newline in a name) escaped, and bytes that were
    not UTF-8 (a GBK name on a UTF-8 system, which Python holds as lone surrogates) shown as ``\\xNN``."""
    if name.isprintable():
        return name
    with contextlib.suppress(UnicodeError):  # a surrogate not from a name's bytes ('\ud800'): escaped below
        name = os.fsencode(name).decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)


def path_text(path: str | bytes) -> str:
    """A file name as text that names it, not only shows it: what JSON output and the audit's store record.  Every
    character as it is (a newline in a name too: two names that differ only there stay two); only bytes that are
    not UTF-8 (held as lone surrogates, which no UTF-8 text can hold) written ``\\xNN``, as :func:`printable` writes
    them.  Such a name's bytes themselves are kept where they can be (the store's ``inputs.path_bytes``).
    One line of human output shows a name with :func:`printable`."""
    name = path if isinstance(path, str) else os.fsdecode(path)
    if name.isascii():
        return name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return os.fsencode(name).decode("utf-8", "backslashreplace")
        except UnicodeError:  # a surrogate not from a name's bytes ('\ud800')
            return name.encode("utf-8", "backslashreplace").decode("utf-8")
    return name


def display_path(path: str | bytes) -> str:
    """A file name as text on one line: undecodable bytes (a GBK name on a UTF-8 system) shown as ``\\xNN``,
    control characters (a newline in a name) escaped as :func:`printable` escapes them."""
    return printable(path if isinstance(path, str) else os.fsdecode(path))


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
        """0 for fatal … 3 for info: sorts the worst first."""
        return _RANK[self]

    @property
    def label(self) -> Label:
        """The severity's name in both languages (错误 / error)."""
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
    if isinstance(v, Label):  # the JSON's params keep the words of the form (the message has both languages)
        return v.zh
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, Mapping):
        return {str(k): _jsonable(x) for k, x in v.items()}
    return v


def _severity(value: Severity | str) -> Severity:
    return value if type(value) is Severity else Severity(value)  # the common case without Enum's lookup


@attrs.frozen(kw_only=True)
class Finding:
    """One finding about one report (or one input).

    ``pointer`` is the RFC 6901 JSON pointer of the main cell or field ("" for the whole
    report); ``pointers`` every cell involved, ``labels`` their official labels (same order);
    ``params`` the numbers and names the message was made from (both sides of a sum, the
    blank cells), so that other tools can word it again.  ``file``, ``line``, ``column`` and
    ``page`` locate it in the source when it is known (load errors, parsed reports).
    """

    code: str
    severity: Severity = attrs.field(converter=_severity)
    message: Label
    pointer: str = ""
    pointers: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    params: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    file: str | None = None
    line: int | None = None
    column: int | None = None
    page: int | None = None

    @classmethod
    def make(cls, code: str, severity: Severity | str, template: Label, *, pointer: str = "",
             pointers: tuple[str, ...] | list[str] = (), labels: tuple[str, ...] | list[str] = (),
             file: str | None = None, line: int | None = None, column: int | None = None,
             page: int | None = None, params: Mapping[str, Any] | None = None, **more: Any) -> Finding:
        """A finding whose message is ``template`` (``str.format`` in both languages) filled from
        ``params`` and the other keyword arguments; a param that is a :class:`Label` is written in
        the message's language (and kept in ``params`` as the form's words).  A param named like a
        location field — ``line``, ``column`` … — must go in ``params``."""
        zh: dict[str, Any] = {**params, **more} if params else more
        named = []
        for key, value in zh.items():  # a loop, not a comprehension: no function made for each finding
            if isinstance(value, Label):
                named.append((key, value))
        en = zh  # the same words in both languages, but for the Labels
        if named:  # a finding is made for every failing cell: the others are copied at C speed
            en = zh.copy()
            for key, value in named:
                zh[key], en[key] = value.zh, value.en
        message = Label(template.zh.format_map(zh), template.en.format_map(en))
        ptrs, named_labels = tuple(pointers) or ((pointer,) if pointer else ()), tuple(labels)
        if cls is not Finding:  # a subclass's own __init__
            return cls(code=code, severity=severity, message=message, pointer=pointer, pointers=ptrs,
                       labels=named_labels, params=zh, file=file, line=line, column=column, page=page)
        return _finding(code, _severity(severity), message, pointer, ptrs, named_labels, zh, file, line, column, page)

    def text(self, lang: str = "zh") -> str:
        """The message in ``lang`` ("zh" or "en")."""
        return self.message.get(lang)

    def where(self, lang: str = "en") -> str:
        """The place: page, line and column of the source where known (in ``lang``), else the JSON pointer."""
        if self.line is None:
            if self.page is not None:  # a PDF's page, where no line is known
                return f"第 {self.page} 页" if lang == "zh" else f"page {self.page}"
            return self.pointer or "/"
        if lang == "zh":
            return ((f"第 {self.page} 页，" if self.page is not None else "") + f"第 {self.line} 行"
                    + (f"第 {self.column} 列" if self.column is not None else ""))
        at = f"line {self.line}" + (f", column {self.column}" if self.column is not None else "")
        return (f"page {self.page}, " if self.page is not None else "") + at

    def to_dict(self) -> dict[str, Any]:
        """The finding as JSON data (the shape of ``schemas/findings.schema.json``)."""
        out: dict[str, Any] = {
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
        if self.column is not None:
            out["column"] = self.column
        if self.page is not None:
            out["page"] = self.page
        return out

    def sort_key(self) -> tuple[Any, ...]:
        """File, then severity (worst first), then code, then pointer."""
        return (self.file or "", self.severity.rank, self.code, self.pointer)



class _Building(Finding):
    """A finding being made: :class:`Finding` with plain assignment and no slot of its own, given its class
    once every field is set (Python lets an object change to a class of the same layout; as the model's
    builders make their objects).  It never leaves this module, but Python lists it among
    ``Finding.__subclasses__()``."""

    __slots__ = ()
    __setattr__ = object.__setattr__
    __delattr__ = object.__delattr__  # both: a class's assignment is generic only if its deletion is too


_new_finding = object.__new__
#: the fields :func:`_finding` sets, each once: attrs' fields of a finding (checked here, once)
_FIELDS = ("code", "severity", "message", "pointer", "pointers", "labels", "params", "file", "line", "column", "page")
if tuple(f.name for f in attrs.fields(Finding)) != _FIELDS or any(
        f.validator is not None or (f.converter is not None and f.name != "severity") or not f.init
        for f in attrs.fields(Finding)) or hasattr(Finding, "__attrs_post_init__"):
    raise TypeError("Finding: _finding would not make what attrs' __init__ makes")


def _finding(code: str, severity: Severity, message: Label, pointer: str, pointers: tuple[str, ...],
             labels: tuple[str, ...], params: dict[str, Any], file: str | None, line: int | None, column: int | None,
             page: int | None) -> Finding:
    """``Finding(code=code, severity=severity, …)``, each field given (``severity`` converted already): the same
    object as attrs' ``__init__`` makes, without its keyword call and its ``__setattr__`` call per field, which
    cost as much as the rest of a finding (one is made for every failing cell)."""
    finding: Any = _new_finding(_Building)
    finding.code = code
    finding.severity = severity
    finding.message = message
    finding.pointer = pointer
    finding.pointers = pointers
    finding.labels = labels
    finding.params = params
    finding.file = file
    finding.line = line
    finding.column = column
    finding.page = page
    finding.__class__ = Finding
    made: Finding = finding
    return made
