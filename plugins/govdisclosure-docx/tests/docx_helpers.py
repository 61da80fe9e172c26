"""Helpers of the docx plugin's tests (a module of its own name: several plugins' tests may share a session)."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))  # the tests run from a clone whether or not the plugin is installed

import govdisclosure_docx  # noqa: E402

import govdisclosure as gd  # noqa: E402
from govdisclosure.formats.spec import CellKind  # noqa: E402

__all__ = ["CORPUS", "EXAMPLES", "REPO", "document", "govdisclosure_docx", "render", "save", "unique_report"]

REPO = HERE.parent.parent.parent
EXAMPLES = REPO / "examples"
CORPUS = REPO / "tests" / "data" / "corpus"


def render(report: gd.Report, **options: Any) -> bytes:
    return govdisclosure_docx.render_docx(report, **options)


def document(data: bytes) -> Any:
    import docx

    return docx.Document(io.BytesIO(data))


def save(doc: Any) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def unique_report(version: str) -> gd.Report:
    """A report of ``version`` whose every cell holds a different number: a cell read from the wrong row
    or column cannot go unnoticed."""
    spec = gd.Registry.default().format(version)
    data = gd.to_data(gd.new_report(spec.first_year, format_version=version, agency="某县某局"))
    for i, cell in enumerate(spec.cells()):
        keys = cell.pointer.strip("/").split("/")
        node = data
        for k in keys[:-1]:
            node = node[k]
        node[keys[-1]] = f"{1000 + i}.5" if cell.column.kind is CellKind.AMOUNT else 1000 + i
    data["parts"] = {"preamble": None, "overview": "总体情况的文字。\n第二段。", "problems": "问题。",
                     "other": "另需报告的事项。"}
    return gd.from_data(data)
