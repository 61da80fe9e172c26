"""Excel workbooks for govdisclosure, as a third-party plugin: a fill-in workbook that checks
itself while the clerk types, any report rendered in the same layout, and a loader that reads
such a workbook (or one like it) back.

- renderer ``xlsx`` (binary): ``govdisclosure render report.json --to xlsx -o report.xlsx``;
  ``govdisclosure new --year 2024 --agency … --level … --to xlsx -o blank.xlsx`` gives the blank
  fill-in workbook;
- loader ``xlsx`` (``.xlsx``, ``.xlsm``): ``govdisclosure.load("report.xlsx")``.

See README.md for the layout and what is read how.
"""

from __future__ import annotations

from typing import Any

import attrs
import govdisclosure as gd
from govdisclosure.formats.spec import Label
from govdisclosure.io import Loader, Renderer
from govdisclosure.model import Report
from govdisclosure.plugins import hookimpl
from govdisclosure.rules import Rule

from .codes import CATALOG
from .read import read_workbook
from .write import render_workbook

__all__ = ["MEDIA_TYPE", "load_xlsx", "read_xlsx", "render_xlsx"]

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _registry(registry: Any) -> Any:
    if registry is not None:
        return registry
    default = getattr(getattr(gd, "Registry", None), "default", None)
    return default() if default is not None else gd.get_registry()


def render_xlsx(report: Report, *, registry: Any = None, **_: Any) -> bytes:
    """The report as a workbook (bytes of an .xlsx file)."""
    return render_workbook(report, tuple(_registry(registry).rules.values()))


def read_xlsx(data: bytes, source: str = "<xlsx>", registry: Any = None) -> tuple[Report, list[gd.Finding]]:
    """The report in a workbook, and what reading it noticed (info and warning findings).

    Raises :class:`govdisclosure.LoadError` naming the sheet and cell of every problem.
    """
    return read_workbook(data, source, _registry(registry))


def load_xlsx(data: bytes, source: str, registry: Any = None) -> Any:
    """The loader: a ``LoadResult`` carrying the findings where core has one, else the report."""
    report, findings = read_xlsx(data, source, registry)
    result = getattr(gd, "LoadResult", None)
    if result is None:
        return report
    return result(report=report, findings=tuple(findings), source=source, loader="xlsx")


@hookimpl
def register_renderers() -> list[Renderer]:
    # binary renderers arrive with core's issue 7: until then the bytes pass through render() as they are
    kwargs: dict[str, Any] = {"binary": True} if any(a.name == "binary" for a in attrs.fields(Renderer)) else {}
    return [Renderer("xlsx", Label("Excel 工作簿（官方表格版式，含公式与核对）",
                                   "Excel workbook (the official tables, with formulas and checks)"),
                     ".xlsx", MEDIA_TYPE, render_xlsx, **kwargs)]  # type: ignore[arg-type]


@hookimpl
def register_loaders() -> list[Loader]:
    return [Loader("xlsx", Label("Excel 工作簿", "Excel workbook"), (".xlsx", ".xlsm"), load_xlsx, binary=True)]


@hookimpl
def register_rules() -> list[Rule]:
    return list(CATALOG)
