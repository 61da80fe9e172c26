"""Word for govdisclosure: the report in the official template's layout, and Word reports read back.

- ``govdisclosure render report.json --to docx -o report.docx``: the report as the official
  Word template lays it out, for both format versions;
- ``govdisclosure.load("report.docx")``, ``govdisclosure validate report.docx``: a Word report
  (made from the official template, or by this plugin) read by its tables' cells and its
  paragraphs; an old binary ``.doc`` through LibreOffice when ``soffice`` is installed.

A third-party plugin: it uses govdisclosure's public API and hooks only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from govdisclosure.io import Loader, LoadResult, Renderer
from govdisclosure.labels import Label
from govdisclosure.plugins import hookimpl

if TYPE_CHECKING:
    from govdisclosure.model import Report
    from govdisclosure.registry import Registry
    from govdisclosure.rules import Rule

__all__ = ["MEDIA_TYPE", "load_docx", "register_loaders", "register_renderers", "register_rules", "render_docx"]

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def render_docx(report: Report, /, **options: Any) -> bytes:
    """The report as a .docx file in the official template's layout (``findings=``: shade the cells
    they concern)."""
    from .writer import render_docx as render

    return render(report, **options)


def load_docx(data: str | bytes, source: str, registry: Registry) -> LoadResult:
    """A Word report (the bytes of a .docx, or of a .doc through LibreOffice) with what reading found."""
    import govdisclosure as gd

    from .reader import read_docx

    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogateescape")
    out, findings = read_docx(raw, source, registry)
    report = gd.from_data(out, source=source, registry=registry)
    return LoadResult(report, tuple(findings), source, "docx")


def _sniff(head: str) -> bool:
    """A zip package with Word's parts (the part names sit near the start of the archive)."""
    return head.startswith("PK\x03\x04") and "word/" in head


@hookimpl
def register_renderers() -> list[Renderer]:
    return [Renderer("docx", Label("Word（官方模板版式）", "Word, in the official template's layout"), ".docx",
                     MEDIA_TYPE, render_docx, binary=True)]


@hookimpl
def register_loaders() -> list[Loader]:
    return [Loader("docx", Label("Word 文档（.docx；.doc 需 LibreOffice）",
                                 "Word documents (.docx; .doc needs LibreOffice)"),
                   (".docx", ".doc"), load_docx, sniff=_sniff, binary=True)]


@hookimpl
def register_rules() -> list[Rule]:
    from .codes import CATALOG

    return list(CATALOG.values())
