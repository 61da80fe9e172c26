"""Excel workbooks for govdisclosure, as a third-party plugin: a fill-in workbook that checks
itself while the clerk types, any report rendered in the same layout, and a loader that reads
such a workbook (or one like it) back.

- renderer ``xlsx`` (binary): ``govdisclosure render report.json --to xlsx -o report.xlsx``;
  ``govdisclosure new --year 2024 --agency … --level … --to xlsx -o blank.xlsx`` gives the blank
  fill-in workbook;
- loader ``xlsx`` (``.xlsx``, ``.xlsm``; an old ``.xls`` is refused with what to do):
  ``govdisclosure.load("report.xlsx")``.

See README.md for the layout and what is read how.
"""

from __future__ import annotations

from typing import Any

from govdisclosure.findings import Finding
from govdisclosure.formats.spec import Label
from govdisclosure.io import Loader, LoadResult, Renderer, RenderOptions
from govdisclosure.model import Report
from govdisclosure.plugins import hookimpl
from govdisclosure.registry import Registry, resolve_registry
from govdisclosure.rules import Rule

# the reader and the writer are imported when first used: they import openpyxl, which took ~0.2 s (a third of
# a command's start) in every command of every user who installed this plugin, most of which never touch a workbook
from .codes import CATALOG

__all__ = ["MEDIA_TYPE", "load_xlsx", "read_xlsx", "render_xlsx"]

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render_xlsx(report: Report, /, **options: Any) -> bytes:
    """The report as a workbook (the bytes of an .xlsx file). Options: ``registry`` (whose rules
    give the totals and checks; default: the installed plugins); ``form`` (a blank to fill in, as
    ``govdisclosure new`` writes: every blank total a formula); others are ignored."""
    from .write import render_workbook

    opts = RenderOptions.of(options)
    return render_workbook(report, tuple(resolve_registry(opts.registry).rules.values()), form=opts.form)


def read_xlsx(data: bytes, source: str = "<xlsx>", registry: Registry | None = None
              ) -> tuple[Report, list[Finding]]:
    """The report in a workbook, and what reading it noticed (info and warning findings).

    Raises :class:`govdisclosure.LoadError` naming the sheet and cell of every problem.
    """
    from .read import read_workbook

    return read_workbook(data, source, resolve_registry(registry))


def load_xlsx(data: bytes | str, source: str, registry: Registry) -> LoadResult:
    """The loader contract: the report with the findings reading it gave."""
    from .read import read_workbook

    report, findings = read_workbook(data, source, registry)
    return LoadResult(report=report, findings=tuple(findings), source=source, loader="xlsx")


@hookimpl
def register_renderers() -> list[Renderer]:
    return [Renderer("xlsx", Label("Excel 工作簿（官方表格版式，含公式与核对）",
                                   "Excel workbook (the official tables, with formulas and checks)"),
                     ".xlsx", MEDIA_TYPE, render_xlsx, binary=True)]


@hookimpl
def register_loaders() -> list[Loader]:
    return [Loader("xlsx", Label("Excel 工作簿", "Excel workbook"), (".xlsx", ".xlsm", ".xls"), load_xlsx,
                   binary=True)]


@hookimpl
def register_rules() -> list[Rule]:
    return list(CATALOG)
