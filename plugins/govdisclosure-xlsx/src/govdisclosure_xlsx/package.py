"""The workbook's zip package, within limits before openpyxl unpacks anything (a zip bomb is refused, not
unpacked): core's :func:`govdisclosure.io.package.check_package`, with the workbook's words and codes."""

from __future__ import annotations

import zipfile

from govdisclosure.formats.spec import Label
from govdisclosure.io.limits import LIMITS
from govdisclosure.io.package import MAX_RATIO, RATIO_GRACE, check_package

__all__ = ["MAX_RATIO", "RATIO_GRACE", "UNPACKED_BYTES", "package_problem"]

#: all members unpacked together: a workbook is a report in a format (10-300 KB unpacked), so it has
#: the bound of the text any data format of ours may hold
UNPACKED_BYTES = LIMITS.data_chars


def package_problem(archive: zipfile.ZipFile) -> tuple[str, Label] | None:
    """(code, what is wrong) when unpacking ``archive`` would go beyond the limits, else None."""
    return check_package(archive, Label("工作簿", "the workbook"), unpacked_bytes=UNPACKED_BYTES,
                         corrupt_code="XLSX-LOAD-CORRUPT")
