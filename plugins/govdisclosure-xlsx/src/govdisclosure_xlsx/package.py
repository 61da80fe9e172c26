"""The workbook's zip package, within limits before openpyxl unpacks anything (a zip bomb is refused, not unpacked).

The sizes checked are the ones the archive declares: Python's ``zipfile`` (which openpyxl reads
through) never yields more bytes of a member than its declared size, so what is declared bounds what
is unpacked.
"""

from __future__ import annotations

import zipfile

from govdisclosure.formats.spec import Label
from govdisclosure.io.limits import LIMITS

__all__ = ["MAX_RATIO", "RATIO_GRACE", "UNPACKED_BYTES", "package_problem"]

#: all members unpacked together: a workbook is a report in a format (10-300 KB unpacked), so it has
#: the bound of the text any data format of ours may hold
UNPACKED_BYTES = LIMITS.data_chars
#: how much larger than its compressed bytes a member may unpack to: Office's XML compresses 5-25 times;
#: a bomb, a thousand times (Apache POI refuses the same ratio)
MAX_RATIO = 100
#: members smaller than this may compress as well as they like (a few hundred repeated empty cells do)
RATIO_GRACE = 2**20
#: the compression methods Office writes (bzip2 and lzma decompress without a bound per read)
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}


def package_problem(archive: zipfile.ZipFile) -> tuple[str, Label] | None:
    """(code, what is wrong) when unpacking ``archive`` would go beyond the limits, else None."""
    members = archive.infolist()
    for m in members:
        if m.compress_type not in _METHODS:
            return "XLSX-LOAD-CORRUPT", Label(
                f"部件 {m.filename} 的压缩方法（{m.compress_type}）不是 Excel 所用的（deflate 或不压缩）",
                f"the part {m.filename} uses a compression method ({m.compress_type}) Excel never writes "
                f"(deflate or stored)")
        if m.file_size > RATIO_GRACE and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            return "GD-LOAD-LIMIT", Label(
                f"部件 {m.filename} 由 {m.compress_size:,} 字节解压为 {m.file_size:,} 字节，"
                f"超过 {MAX_RATIO} 倍的压缩比上限（可能是压缩炸弹），未解压",
                f"the part {m.filename} unpacks from {m.compress_size:,} to {m.file_size:,} bytes, over the limit "
                f"of {MAX_RATIO} times (a decompression bomb?): not unpacked")
    total = sum(m.file_size for m in members)
    if total > UNPACKED_BYTES:
        largest = max(members, key=lambda m: m.file_size)
        return "GD-LOAD-LIMIT", Label(
            f"工作簿解压后共 {total:,} 字节，超过 {UNPACKED_BYTES:,} 字节的上限（最大的部件 {largest.filename}："
            f"{largest.file_size:,} 字节），未解压",
            f"the workbook unpacks to {total:,} bytes, over the limit of {UNPACKED_BYTES:,} bytes (the largest "
            f"part, {largest.filename}: {largest.file_size:,} bytes): not unpacked")
    return None
