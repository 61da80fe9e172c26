"""The web page reader's fast paths give what the slow ones give: the selectolax reader what the standard library's
reads on hostile pages (deep nesting, broken tags, tables in tables, entities, spans, superscripts, layout rows), the
depth bound what the scan's own reading of the tags counts, and a table's lines what the PDF reader's rule asked of
every cell gives."""

from __future__ import annotations

import random
import re

import pytest

from govdisclosure.ingest import html, pdfpages
from govdisclosure.ingest.depth import FORMATTING, MAX_DEPTH, _shallow

#: pages an HTML5 parser and Python's read alike, each at an edge of the fast reader's look-ups (a cell laid out by
#: a table or a heading, spans on cells and on other elements, superscripts in any case, the title's)
HOSTILE = {
    "deep nesting": "<div>" * 400 + "<p>一、总体情况</p>" + "<table><tr><td>" * 40 + "收到 | 3"
                    + "</td></tr></table>" * 40 + "</div>" * 400,
    "broken tags": "<TITLE>报告 &amp; 年度</TITLE><p>一、总体情况<p>二<table><tr><td>项目</td><td>数量</td></tr>"
                   "<tr><td>收到申请</td><td>12</td></tr><tr><td>办结</td><td></td></tr></table></span></b>三<b>未闭"
                   "<p>四</div></p>",
    "tables in tables": "<table><tr><td><table><tr><th>项目</th><th>本年新制作数量</th></tr><tr><td>规章</td><td>1</td>"
                        "</tr></table></td></tr><tr><td><H2>二、主动公开</H2></td><td>5</td></tr><tr><td>行政许可</td>"
                        "<td>1523</td><td></td></tr></table>",
    "entities": "<p>&lt;b&gt; &#x4e00;&#19968; &nbsp;x&amp;y &copy;</p><table><tr><td>&#49;&#50;</td><td>&nbsp;</td>"
                "<td>&mdash;</td></tr></table>",
    "spans and superscripts": "<table><tr><TD COLSPAN=2>项目</TD><td rowspan='2'>本年处理决定数量</td></tr><tr><td>一</td>"
                              "<td>二</td></tr><tr><td>收到<SUP>1</SUP></td><td>共62件<sup>3</sup></td><td>m<sup>2</sup>"
                              "</td></tr><tr><td colspan=1000>7？<sup>2</sup></td></tr></table><div colspan=3>正文"
                              "<sup>4</sup></div>",
    "layout rows": "<table><tr><td>标题</td><td><h1>一、总体情况</h1><p>正文</p><table><tr><td>行</td><td>2</td></tr>"
                   "</table></td></tr><tr><th><h6>尾</h6></th></tr></table><dl><dt>发布日期</dt><dd>2021年3月5日</dd></dl>",
    "skipped": "<head><title>t</title><style>td{}</style></head><script>var s='<table><tr><td>1</td></tr></table>';"
               "</script><noscript><p>no</p></noscript><template><h1>x</h1></template><p>可见<img src=a.png></p>",
}


def _lines(out: list[str]) -> str:
    return "\n".join(x.strip() for x in "".join(out).split("\n") if x.strip())


@pytest.mark.parametrize("page", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_fast_reader_reads_a_hostile_page_as_the_standard_one(page: str) -> None:
    pytest.importorskip("selectolax")
    fast, standard = html._flatten_fast(page), html._flatten_stdlib(page)
    assert fast is not None
    assert _lines(fast[0]) == _lines(standard[0]) and fast[1].split() == standard[1].split()


#: the scan's reading of a start tag (``depth._TAG``): '<', an ASCII letter, the name up to a space, '/' or '>';
#: at every '<' (the bound counts one inside another's attributes too: the scan does not, the bound only grows)
_START_NAME = re.compile(r"(?=<([A-Za-z][^\s/>]*))")


def _bound(page: str) -> int:
    """The depth bound as the scan reads the tags: each start tag, a formatting element's twice."""
    return sum(2 if name.lower() in FORMATTING else 1 for name in _START_NAME.findall(page))


def test_the_depth_bound_counts_the_start_tags_as_the_scan_reads_them() -> None:
    """Near the limit, with names the scan reads as formatting only in lower case (a Kelvin sign's k), names
    Unicode's case folding would match but the scan does not (ſ, ı), names cut at any delimiter or the page's end."""
    names = ["b", "B", "big", "bIg", "br", "body", "tt", "td", "tr", "table", "s", "span", "strike", "stri\u212ae",
             "strong", "small", "sup", "ſtrong", "bıg", "a", "abbr", "i", "img", "u", "ul", "code", "em", "font",
             "nobr", "p", "div", "x1", "b-", "b\u3000", "i\u00a0"]
    tails = ["", ">", " class=a>", "/>", "\t>", "\u3000>", "\n", "x>"]
    rng = random.Random(21)
    for _ in range(300):
        n = rng.randint(MAX_DEPTH // 4, MAX_DEPTH)
        parts = [rng.choice(["<", "</", "<!", "< ", "文", ""]) if rng.random() < 0.1
                 else f"<{rng.choice(names)}{rng.choice(tails)}" for _ in range(n)]
        for page in ("".join(parts), "".join(parts) + "<b", "".join(parts) + "<"):
            assert _shallow(page) == (_bound(page) <= MAX_DEPTH), page[-40:]


Rows = list[tuple[list[html.Cell], list[html.Span]]]


def _grid_by_dicts(rows: Rows) -> tuple[list[list[str | None]], list[list[int]]] | None:
    """:func:`html._grid` as it was written first, each row's grid a dict by column (the reference)."""
    grids: list[list[str | None]] = []
    starts: list[list[int]] = []
    below: dict[int, int] = {}
    for cells, spans in rows:
        grid: dict[int, str | None] = dict.fromkeys(below)
        at, col = [], 0
        for (text, _), (colspan, rowspan) in zip(cells, spans, strict=True):
            while col in grid:
                col += 1
            if col + colspan > html._MAX_WIDTH:
                return None
            at.append(col)
            for k in range(col, col + colspan):
                grid[k] = text if k == col else None
                if rowspan > 1:
                    below[k] = rowspan
            col += colspan
        below = {k: n - 1 for k, n in below.items() if n > 1}
        grids.append([grid.get(k) for k in range(max(grid, default=-1) + 1)])
        starts.append(at)
    return grids, starts


def _table_lines_asking_each_time(rows: Rows) -> list[str]:
    """:func:`html.table_lines` as it was written first: the PDF reader's tests asked of the grid as each need
    came (the reference its fast path is checked against)."""
    laid = _grid_by_dicts(rows)
    values_from = None if laid is None else min(
        (i for grid in laid[0] for i, c in enumerate(grid) if pdfpages.is_number(c)), default=None)
    if laid is None or values_from is None:
        return [html.row_line(cells) for cells, _ in rows]
    grids, starts = laid
    header = [pdfpages.is_header(grid, values_from) for grid in grids]
    kept = pdfpages.by_header(grids, values_from)
    lines = []
    for r, (cells, _) in enumerate(rows):
        if header[r] or (r + 1 < len(rows) and header[r + 1] and not any(map(pdfpages.is_number, grids[r]))):
            lines.append(html.row_line([(text, False) for text, _ in cells]))
        else:
            lines.append(html.row_line([cell for cell, col in zip(cells, starts[r], strict=True)
                                        if kept[r][col] is not None]))
    return lines


def test_a_tables_lines_are_what_the_pdf_readers_rule_gives_asked_cell_by_cell() -> None:
    texts = ["", "", " ", "项目", "本年新制作数量", "收到申请", "行政许可", "1", "12", "3.5", "1.2.3", "²", "①", " 7 ",
             "—", "？", "7？", "共62件", "[1]", "0"]
    rng = random.Random(12)
    for _ in range(400):
        width = rng.randint(1, 6)
        rows = []
        for _ in range(rng.randint(1, 8)):
            cells = [(rng.choice(texts), rng.random() < 0.8) for _ in range(rng.randint(1, width))]
            spans = [(rng.choice([1, 1, 1, 2, 3]), rng.choice([1, 1, 1, 2])) for _ in cells]
            rows.append((cells, spans))
        assert html._grid(rows) == _grid_by_dicts(rows), rows
        assert html.table_lines(rows) == _table_lines_asking_each_time(rows), rows


def test_a_grid_laid_out_by_lists_is_the_one_laid_out_by_dicts() -> None:
    """Spans over covered columns, rowspans running past the table's end, rows shorter than the one above, and
    grids wider than the widest laid out (None)."""
    rng = random.Random(7)
    for _ in range(600):
        rows: Rows = []
        for _ in range(rng.randint(1, 10)):
            n = rng.choice([0, 1, 2, 3, 5, 9, 40, html._MAX_WIDTH + 1])
            cells = [(rng.choice(["", "1", "项目"]), True) for _ in range(n)]
            spans = [(rng.choice([1, 1, 2, 3, html._MAX_SPAN]) if rng.random() < 0.3 else 1,
                      rng.choice([1, 2, 3, 7]) if rng.random() < 0.3 else 1) for _ in cells]
            rows.append((cells, spans))
        assert html._grid(rows) == _grid_by_dicts(rows), rows
