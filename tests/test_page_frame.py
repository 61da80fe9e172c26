"""A report on a site's page and the page around it (hostile probe 11b, defects 2, 4, 6 and 8): each test edits one
complete page (``data/probe11b/page-sidebar-2023.html``, whose cells and parts parse exactly) in one way, and asks
that the report's cells, title, year and parts are what the page's article prints, and the page's frame none of
them."""

from __future__ import annotations

import re

import pytest

import govdisclosure as gd
from govdisclosure.api import parse
from govdisclosure.ingest import html

from .conftest import DATA

BASE = (DATA / "probe11b" / "page-sidebar-2023.html").read_text(encoding="utf-8")
TITLE = "临江县教育局2023年政府信息公开工作年度报告"
_GROUP = re.compile(r'<tr><td rowspan="(\d+)">（')


def _page(page: str, reader: str, monkeypatch: pytest.MonkeyPatch) -> gd.LoadResult:
    """The page parsed with the fast reader (selectolax) or the standard library's."""
    if reader == "fast":
        pytest.importorskip("selectolax")
    elif html.__file__.endswith((".so", ".pyd")):  # compiled: a call inside the module is direct, not patched
        pytest.skip("the standard library's reader is tested in the pure Python build")
    else:
        monkeypatch.setattr(html, "_flatten_fast", lambda text: None)
    return parse(page, from_="html")


def _unmerged(page: str, empty: str) -> str:
    """Table 3's group cells (（三）不予公开 …) printed once each and ``empty`` in the group's later rows, as a CMS
    that unmerges a Word table prints them."""
    out, pending = [], 0
    for line in page.split("\n"):
        if m := _GROUP.match(line):
            pending = int(m.group(1)) - 1
            line = line.replace(f' rowspan="{m.group(1)}"', "", 1)
        elif pending and line.startswith("<tr>"):
            line, pending = line.replace("<tr>", "<tr>" + empty, 1), pending - 1
        out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("reader", ["fast", "stdlib"])
@pytest.mark.parametrize("empty", ["<td></td>", "<td>&nbsp;</td>", "<td></td><td> </td>", "<td><p></p></td>"],
                         ids=["empty", "nbsp", "two-empty", "empty-paragraph"])
def test_an_empty_cell_before_a_rows_label_is_no_value(empty: str, reader: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Probe 11b #4: a group cell printed empty in the group's later rows became a blank mark ('— | 2.重复申请 | 2 |
    …') that joined the row's numbers: all 105 cells of 不予公开 … 其他处理 were null (GD-PARSE-UNSPLIT)."""
    page = _unmerged(BASE, empty)
    assert page.count(empty) == 15  # 7 + 2 + 4 + 2 rows
    result = _page(page, reader, monkeypatch)
    assert result.report.values() == parse(BASE, from_="html").report.values()
    assert not [f for f in result.findings if f.code == "GD-PARSE-UNSPLIT"]


def test_an_empty_cell_before_a_value_is_still_a_blank() -> None:
    """Only a label ends the cells that are no values: an empty cell before a number is the row's blank."""
    assert html.row_line([("", True), ("5", True), ("3", True)]) == "\n— | 5 | 3\n"
    assert html.row_line([("", True), ("12.5万元", True)]) == "\n— | 12.5万元\n"
    assert html.row_line([("", True), ("—", True), ("3", True)]) == "\n— | — | 3\n"
    assert html.row_line([("", True), ("2.重复申请", True), ("2", True), ("", True)]) == "\n2.重复申请 | 2 | —\n"
