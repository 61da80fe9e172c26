"""Word for govdisclosure: the report in the official template's layout, and published Word reports read back.

- ``govdisclosure render report.json --to docx -o report.docx``: the report as the official
  Word template (国办公开办函〔2021〕30号 and the 2019 format) lays it out;
- ``govdisclosure.load("report.docx")``, ``govdisclosure validate report.docx``: a Word report
  (made from the official template, or by this plugin) read by its tables' cells and its
  paragraphs; an old binary ``.doc`` through LibreOffice when ``soffice`` is installed.

A third-party plugin: it uses govdisclosure's public API and hooks only.
"""

from __future__ import annotations

from typing import Any

from govdisclosure.formats.spec import Label
from govdisclosure.io import Loader, Renderer
from govdisclosure.plugins import hookimpl

__all__ = ["MEDIA_TYPE", "load_docx", "register_loaders", "register_renderers", "register_rules", "render_docx"]

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def render_docx(report: Any, **options: Any) -> bytes:
    """The report as a .docx file (bytes); see :func:`govdisclosure_docx.writer.render_docx`."""
    from .writer import render_docx as render

    return render(report, **options)


def load_docx(data: Any, source: str, registry: Any = None) -> Any:
    """Canonical data of a Word report (bytes of a .docx or .doc)."""
    from .reader import read_docx

    if isinstance(data, str):
        data = data.encode("latin-1", "replace")
    out, _findings = read_docx(data, source, registry)
    return out


def _sniff(head: str) -> bool:
    return head.startswith("PK\x03\x04") and "word/" in head


@hookimpl
def register_renderers() -> list[Renderer]:
    return [Renderer("docx", Label("Word（官方模板版式）", "Word, in the official template's layout"), ".docx",
                     MEDIA_TYPE, render_docx)]


@hookimpl
def register_loaders() -> list[Loader]:
    return [Loader("docx", Label("Word 文档（.docx；.doc 需 LibreOffice）", "Word documents (.docx; .doc needs "
                                                                         "LibreOffice)"),
                   (".docx", ".doc"), load_docx, sniff=_sniff, binary=True)]


@hookimpl
def register_rules() -> list[Any]:
    return []
