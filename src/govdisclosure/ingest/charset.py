"""The text of an input's bytes, whatever its encoding: apart from the page's flattening (:mod:`.html`), so that
a text's parse imports no HTML parser (the standard library's, with html's entities: ~8 ms of a start)."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from ..errors import LoadError, problem, undecodable
from ..io.source import unicode_text
from ..labels import Label

__all__ = ["decode_bytes"]

#: a page's declared encoding
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def decode_bytes(data: bytes, source: str) -> str:
    """Text of bytes: UTF-16/32 (io.source.unicode_text), UTF-8's mark, then the page's meta charset, then
    UTF-8, then detection, then GB18030."""
    text = unicode_text(data, source)
    if isinstance(text, str):
        return text
    if b"\x00" in data[:4096]:
        raise LoadError([problem("GD-LOAD-BINARY", "", Label("二进制文件，不是文本报告",
                                                             "a binary file: not a text report"))], source)
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:  # a byte-order mark, then bytes of another encoding (or none)
            starts = Label("以 UTF-8 标记开头，但", "starts with a UTF-8 byte-order mark, but ")
            raise LoadError([undecodable(exc, starts)], source) from None
    as_utf8: UnicodeDecodeError | None = None
    for encoding in _candidates(data):
        if encoding in ("gb2312", "gbk"):
            encoding = "gb18030"  # a superset: pages labelled gb2312 often hold GBK characters
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            as_utf8 = as_utf8 or (exc if encoding == "utf-8" else None)
        except LookupError:
            continue
    # no encoding reads it: where it first stops being UTF-8 (the encoding of most reports), by line and column
    unknown = Label("无法识别的文本编码：", "an unrecognised text encoding: ")
    raise LoadError([undecodable(as_utf8, unknown) if as_utf8 is not None else
                     problem("GD-LOAD-BINARY", "", Label(unknown.zh.rstrip("："), unknown.en.rstrip(": ")))], source)


def _candidates(data: bytes) -> Iterator[str]:
    """The encodings to try, in order; detection (the costliest by far) only once the cheap ones failed."""
    head = data[:4096]
    # from the first '<' (a declaration starts there): the case-blind pattern is tried at every byte before it, the
    # whole head of a text (~20,000 instructions)
    lt = head.find(b"<")
    declared = _META.search(head, lt) if lt >= 0 else None
    if declared:
        yield declared.group(1).decode("ascii").lower()
    yield "utf-8"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None:
            yield best.encoding
    except ImportError:
        pass
    yield "gb18030"
