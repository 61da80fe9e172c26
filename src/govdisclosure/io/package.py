"""A zip package (an Office file: .xlsx, .docx, .odt …) checked against the limits before anything
in it is unpacked, so that a loader plugin refuses a decompression bomb instead of unpacking it.

The sizes checked are the ones the archive declares: Python's ``zipfile`` never yields more bytes of
a member than its declared size, so what is declared bounds what a reader built on it unpacks::

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        refused = check_package(archive, Label("工作簿", "the workbook"), corrupt_code="MY-LOAD-CORRUPT")
        if refused:
            code, reason = refused
            ...  # a LoadError of the plugin's own making, with ``code`` and ``reason``
"""

from __future__ import annotations

import zipfile

from ..labels import Label
from .limits import LIMITS

__all__ = ["MAX_RATIO", "RATIO_GRACE", "check_package"]

#: how much larger than its compressed bytes a member may unpack to: Office's XML compresses 5-25 times;
#: a bomb, a thousand times (Apache POI refuses the same ratio)
MAX_RATIO = 100
#: members smaller than this may compress as well as they like (a few hundred repeated empty cells do)
RATIO_GRACE = 2**20
#: the compression methods Office writes (bzip2 and lzma decompress without a bound per read)
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
_OTHERS = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "lzma"}


def check_package(archive: zipfile.ZipFile, what: Label, *, unpacked_bytes: int = LIMITS.data_chars,
                  corrupt_code: str = "GD-LOAD-BINARY") -> tuple[str, Label] | None:
    """(code, what is wrong) when unpacking ``archive`` would go beyond the limits, else None.

    ``what`` names the package in a sentence ("工作簿" / "the workbook"); ``unpacked_bytes`` bounds all
    its members together (a report in a data format by default); a member compressed by a method
    Office never writes gets ``corrupt_code`` (a plugin's own ``…-LOAD-CORRUPT``), a bomb
    ``GD-LOAD-LIMIT`` naming the part."""
    members = archive.infolist()
    for m in members:
        if m.compress_type not in _METHODS:
            method = _OTHERS.get(m.compress_type, str(m.compress_type))
            return corrupt_code, Label(
                f"部件 {m.filename} 的压缩方法（{method}）不是 Office 文件所用的（deflate 或不压缩）",
                f"the part {m.filename} uses a compression method ({method}) Office never writes "
                f"(deflate or stored)")
        if m.file_size > RATIO_GRACE and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            return "GD-LOAD-LIMIT", Label(
                f"部件 {m.filename} 由 {m.compress_size:,} 字节解压为 {m.file_size:,} 字节，"
                f"超过 {MAX_RATIO} 倍的压缩比上限（可能是压缩炸弹），未解压",
                f"the part {m.filename} unpacks from {m.compress_size:,} to {m.file_size:,} bytes, over the limit "
                f"of {MAX_RATIO} times (a decompression bomb?): not unpacked")
    total = sum(m.file_size for m in members)
    if total > unpacked_bytes:
        largest = max(members, key=lambda m: m.file_size)
        return "GD-LOAD-LIMIT", Label(
            f"{what.zh}解压后共 {total:,} 字节，超过 {unpacked_bytes:,} 字节的上限（最大的部件 {largest.filename}："
            f"{largest.file_size:,} 字节），未解压",
            f"{what.en} unpacks to {total:,} bytes, over the limit of {unpacked_bytes:,} bytes (the largest "
            f"part, {largest.filename}: {largest.file_size:,} bytes): not unpacked")
    return None
