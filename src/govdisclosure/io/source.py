"""Reading inputs within limits, and saying where in them a problem is.

Every input of govdisclosure is assumed hostile or broken: a file is read through
:func:`read_source` (a size limit, standard input included, every operating-system error as one
line in both languages), a data format's text is checked against the limits of
:data:`~govdisclosure.io.limits.LIMITS` before a parser sees it, and a problem found in the data
is located (line and column) through the positions its reader recorded (:func:`locate`).
"""

from __future__ import annotations

import bisect
import codecs
import errno
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import attrs

from ..errors import LoadError, problem, undecodable
from ..findings import Finding
from ..labels import Label
from ..model.convert import from_canonical
from .limits import LIMITS

if TYPE_CHECKING:
    from ..model import Report
    from ..registry import Registry

__all__ = [
    "LIMITS",
    "Positions",
    "check_size",
    "line_index",
    "locate",
    "names_a_file",
    "os_reason",
    "read_source",
    "relocated",
    "structure",
    "suffix",
    "too_deep",
]

#: a JSON pointer -> (line, column) of the value there, both from 1 (no column: a line-based format)
Positions = Mapping[str, tuple[int, int | None]]

_REASONS: dict[int, Label] = {
    errno.ENOENT: Label("文件不存在", "no such file"),
    errno.EACCES: Label("无权访问", "permission denied"),
    errno.EPERM: Label("无权访问", "permission denied"),
    errno.EISDIR: Label("这是一个目录，不是文件", "a directory, not a file"),
    errno.ENOTDIR: Label("路径中有一段不是目录", "a part of the path is not a directory"),
    errno.ENAMETOOLONG: Label("文件名过长", "file name too long"),
    errno.ENOSPC: Label("磁盘已满", "no space left on the device"),
    errno.EDQUOT: Label("超出磁盘配额", "disk quota exceeded"),
    errno.EROFS: Label("只读文件系统", "read-only file system"),
    errno.ELOOP: Label("符号链接循环", "too many levels of symbolic links"),
    errno.EIO: Label("输入输出错误", "input/output error"),
    errno.EMFILE: Label("打开的文件过多", "too many open files"),
    errno.EBADF: Label("文件描述符无效（已关闭）", "bad file descriptor (closed)"),
    errno.EEXIST: Label("文件已存在", "the file exists"),
    errno.EBUSY: Label("设备或资源忙", "device or resource busy"),
    errno.EXDEV: Label("不能跨文件系统改名", "cannot rename across file systems"),
    errno.EFBIG: Label("文件过大", "file too large"),
}


def os_reason(exc: OSError) -> Label:
    """Why an operation on a file failed, in both languages (the system's words where we have none)."""
    known = _REASONS.get(exc.errno) if exc.errno is not None else None
    if known is not None:
        return known
    words = exc.strerror or type(exc).__name__
    return Label(f"系统错误：{words}", words)


def _fail(code: str, source: str, zh: str, en: str) -> LoadError:
    return LoadError([problem(code, "", Label(zh, en))], source)


#: bytes read at a time: one read of the limit's size allocated a buffer of 64 MiB for every 10 KB report
#: (three times the time of the read; a batch reads thousands)
READ_CHUNK = 1 << 16


def _read_capped(stream: IO[bytes], limit: int, source: str) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while total <= limit and (chunk := stream.read(min(READ_CHUNK, limit + 1 - total))):
        chunks.append(chunk)
        total += len(chunk)
    if total > limit:
        raise _fail("GD-LOAD-LIMIT", source, f"输入超过 {limit:,} 字节的上限",
                    f"the input is over the limit of {limit:,} bytes")
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def names_a_file(text: str) -> bool:
    """Whether a string names a file that exists (one line, of a path's length), whatever its characters: a
    string given to ``parse`` is then read from that file, not taken as a report's text."""
    return "\n" not in text and len(text) < 4096 and os.path.isfile(text)  # False on any OS error, a NUL too


def suffix(name: str) -> str:
    """``Path(name).suffix``, without making a Path where the name's last part is a plain file name (a batch asks it
    of each input, for its loader and its kind: a Path was ~20 K instructions of one)."""
    base = os.path.basename(name)
    if base and not base.endswith("."):  # (".", "..", "x." and a name ending in a separator: as Path reads them)
        at = base.rfind(".")
        return base[at:] if at > 0 else ""
    return Path(name).suffix


def read_source(path: str | os.PathLike[str], *, stdin: IO[bytes] | None = None,
                limit: int = LIMITS.input_bytes) -> tuple[bytes, str]:
    """The bytes of a file, or of standard input for ``"-"``, and the name to give in messages.

    Reads at most ``limit`` bytes (a device or pipe that never ends stops there); a missing,
    unreadable or closed input is a :class:`~govdisclosure.errors.LoadError` naming it.
    """
    name = os.fspath(path)
    if name == "-":
        stream = stdin if stdin is not None else (sys.stdin.buffer if sys.stdin is not None else None)
        try:
            if stream is None or stream.closed:
                raise OSError(errno.EBADF, "closed")
            return _read_capped(stream, limit, "<stdin>"), "<stdin>"
        except (OSError, ValueError) as exc:  # ValueError: read of a closed file
            reason = os_reason(exc) if isinstance(exc, OSError) else os_reason(OSError(errno.EBADF, "closed"))
            raise _fail("GD-LOAD-INPUT", "<stdin>", f"无法读取标准输入：{reason.zh}",
                        f"standard input cannot be read: {reason.en}") from None
    try:
        with open(name, "rb") as f:
            return _read_capped(f, limit, name), name
    except OSError as exc:
        if _is_content(name):  # load(text) for loads(text): say so, and never echo kilobytes of it as a name
            shown = " ".join(name[:CONTENT_SHOWN].split()) + "…"
            raise _fail("GD-LOAD-INPUT", shown, f"这不是文件名，而是一段内容（{len(name):,} 个字符）：读取内容请用 "
                        "loads() 或 reads()", f"not a file name but content ({len(name):,} characters): read content "
                        "with loads() or reads()") from None
        reason = os_reason(exc)
        raise _fail("GD-LOAD-INPUT", name, f"无法读取文件：{reason.zh}", f"cannot read the file: {reason.en}") from None


#: how much of a content given for a file name an error shows
CONTENT_SHOWN = 40


def _is_content(name: str) -> bool:
    """A "file name" that is a document's content (asked of one that could not be opened): several lines, longer
    than a path can be, or a JSON object."""
    return "\n" in name or len(name) > 4096 or name.lstrip().startswith("{")


#: byte-order marks besides UTF-8's and their encodings (Notepad's "Unicode" is UTF-16 LE); UTF-32's first,
#: as its little-endian mark starts with UTF-16's
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
#: characters no text holds (a tab, line breaks and a form feed aside): bytes read as UTF-16/32 that are not
_NOT_TEXT = "[\x00-\x08\x0b\x0e-\x1f\ud800-\udfff\ufffe\uffff]"  # compiled by re if a file without BOM is not UTF-8


def blank(data: str | bytes) -> bool:
    """Nothing but whitespace, after a UTF-8 byte-order mark if there is one: an empty input (an editor saves an
    empty file with its mark), which every loader and the parser call empty alike."""
    if isinstance(data, bytes):
        body = data[len(codecs.BOM_UTF8):] if data.startswith(codecs.BOM_UTF8) else data
        return not body or body.isspace()
    text = data[1:] if data.startswith("\ufeff") else data
    return not text or text.isspace()


def unicode_text(data: bytes, source: str) -> str | bytes:
    """The text of bytes in UTF-16 or UTF-32, with a byte-order mark or without one (told by where its NULs
    are: the high bytes of ASCII characters), or UTF-8 holding a stray NUL; other bytes as they are (UTF-8 is
    decoded where it is read).
    The one reading of these encodings for every input: a report, a published text, a rules config."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise LoadError([undecodable(exc, encoding=encoding.upper())], source) from None
    head = data[:4096]
    if b"\x00" not in head:
        return data
    if head.count(0) * 10 < len(head):
        # a stray NUL or two in UTF-8 text (said where it is, as any control character is, where the text is read),
        # not UTF-16 or UTF-32, which have a NUL in most of their ASCII characters and Chinese seldom valid as UTF-8
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    for encoding in _without_bom(head, len(data)):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not re.search(_NOT_TEXT, text):
            return text
    return data


def _without_bom(head: bytes, size: int) -> list[str]:
    """The encodings bytes without a mark may be in, by where their NULs fall (most on one side)."""
    zeros = [head[k::4].count(0) for k in range(4)]
    out = []
    if size % 4 == 0 and zeros[2] + zeros[3] > 1.5 * (zeros[0] + zeros[1]) and min(zeros[2], zeros[3]) > zeros[0]:
        out.append("utf-32-le")
    if size % 4 == 0 and zeros[0] + zeros[1] > 1.5 * (zeros[2] + zeros[3]) and min(zeros[0], zeros[1]) > zeros[3]:
        out.append("utf-32-be")
    odd, even = zeros[1] + zeros[3], zeros[0] + zeros[2]
    if size % 2 == 0 and odd != even:
        out.append("utf-16-le" if odd > even else "utf-16-be")
    return out


def check_size(text: str | bytes, source: str, limit: int = LIMITS.data_chars, what: Label | None = None) -> None:
    """Refuse a data input longer than ``limit`` before any parser spends time on it."""
    if len(text) > limit:
        kind = what or Label("报告数据", "report data")
        raise _fail("GD-LOAD-LIMIT", source, f"{kind.zh}超过 {limit:,} 个字符的上限（实际 {len(text):,}）",
                    f"{kind.en} over the limit of {limit:,} characters ({len(text):,})")


def too_deep(source: str, line: int, column: int, limit: int = LIMITS.depth) -> LoadError:
    """The error for objects and arrays nested deeper than ``limit``."""
    words = Label(f"嵌套超过 {limit} 层的上限", f"nested deeper than the limit of {limit} levels")
    return LoadError([problem("GD-LOAD-LIMIT", "", words, line=line, column=column)], source)


def line_index(text: str) -> Callable[[int], tuple[int, int]]:
    """``offset -> (line, column)``, both from 1, for one text."""
    starts = [0]
    at = text.find("\n")
    while at != -1:
        starts.append(at + 1)
        at = text.find("\n", at + 1)

    def where(offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(starts, offset) - 1
        return i + 1, offset - starts[i] + 1
    return where


def _ancestor(pointer: str, positions: Positions) -> tuple[int, int | None] | None:
    while True:
        found = positions.get(pointer)
        if found is not None or not pointer:
            return found
        pointer = pointer.rsplit("/", 1)[0]


def locate(findings: Iterable[Finding], positions: Positions) -> list[Finding]:
    """The findings, each with the line and column of its pointer (or of the nearest enclosing
    value: a missing field is located at the object that lacks it) where it has none."""
    out = []
    for f in findings:
        at = _ancestor(f.pointer, positions) if f.line is None and f.pointer else None
        out.append(f if at is None else attrs.evolve(f, line=at[0], column=at[1]))
    return out


def relocated(exc: LoadError, positions: Positions | Callable[[], Positions]) -> LoadError:
    """``exc`` with its findings located (``positions`` may be computed only now, when needed)."""
    found = positions() if callable(positions) else positions
    return LoadError(locate(exc.findings, found), exc.file)


def structure(data: Any, source: str, registry: Registry, positions: Positions | Callable[[], Positions]) -> Report:
    """A report from canonical data read by one of our readers, its problems located in the input."""
    try:
        return from_canonical(data, source=source, registry=registry)
    except LoadError as exc:
        raise relocated(exc, positions) from None
