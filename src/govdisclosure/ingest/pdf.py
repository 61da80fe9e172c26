"""PDF: the text layer, page by page, through pdfplumber (the ``[pdf]`` extra)."""

from __future__ import annotations

import io

from ..errors import LoadError, Problem
from ..formats.spec import Label


def pdf_text(data: bytes, source: str) -> tuple[str, tuple[int, ...]]:
    """The text of every page, joined by newlines (as the corpus's ``-pdf.txt`` extracts are made),
    and the page of each line."""
    try:
        import pdfplumber  # type: ignore[import-not-found]
    except ImportError:
        raise LoadError([Problem("GD-LOAD-INPUT", "", Label("读取 PDF 需要安装 pdfplumber：pip install govdisclosure[pdf]",
                                                            "reading PDF needs pdfplumber: pip install govdisclosure[pdf]"))],
                        source) from None
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except Exception as exc:
        raise LoadError([Problem("GD-LOAD-BINARY", "", Label(f"无法读取的 PDF：{exc}", f"an unreadable PDF: {exc}"))],
                        source) from None
    text = "\n".join(pages)
    numbers = tuple(n for n, page in enumerate(pages, 1) for _ in page.split("\n"))
    if not text.strip():
        raise LoadError([Problem("GD-LOAD-NOT-REPORT", "", Label(
            "不是年度报告：PDF 没有文字层（扫描件，此处不做文字识别）",
            "not a report: the PDF has no text layer (a scan; no OCR here)"))], source)
    return text, numbers
