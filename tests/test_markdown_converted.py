"""Reports converted from PDF to Markdown by a tool (MinerU, marker, docling, pandoc): what each writes around a table
is markup, and the tables read as the same report's text does (probe 12c, findings 2, 4, 6 and 10)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

import govdisclosure as gd
from govdisclosure.api import parse

from .conftest import DATA

INGEST = DATA / "ingest"
CORPUS = DATA / "corpus" / "reports"


def _corpus(name: str) -> gd.Report:
    return parse((CORPUS / name).read_text(encoding="utf-8")).report


def _codes(result: gd.ParseResult) -> list[str]:
    return [f.code for f in result.findings]


def _same_tables(got: gd.ParseResult, want: gd.Report, *, table2: bool = True) -> None:
    """Tables 3 and 4 as the report's, and no number said to fit no row or no split (of table 2's too)."""
    assert got.report.requests == want.requests
    assert got.report.review_litigation == want.review_litigation  # type: ignore[attr-defined]
    assert not [f for f in got.findings if f.code in ("GD-PARSE-NO-ROW", "GD-PARSE-UNSPLIT")
                and (table2 or not f.pointer.startswith("/proactive"))]


def _013() -> gd.Report:  # the probe's report: corpus 013's cells (its table 2 with 62 | 33 | 440)
    return _corpus("013-pingtan-2024-zfxxgknb.txt")


def _table3(markdown: str) -> tuple[int, int]:
    """Where a Markdown rendering's table 3 starts (its first row) and ends (the blank line after it)."""
    start = markdown.index("| （本列数据")
    return start, markdown.index("\n\n", start) + 1


def test_html_tables_inside_markdown_are_read_as_a_pages() -> None:
    """MinerU writes every table as one line of ``<table><tr><td rowspan=…>``: it was left as text (196 of 200
    cells null, NO-ROW quoting ``</td><td>``, validate's false "part missing" ERRORs)."""
    got = parse(INGEST / "converted-mineru-html.md")
    _same_tables(got, _013())
    rules, normative = got.report.proactive.rules, got.report.proactive.normative_documents  # type: ignore[attr-defined]
    assert (rules.issued, rules.repealed, rules.in_force) == (0, 0, 0)
    assert (normative.issued, normative.repealed, normative.in_force) == (62, 33, 440)
    # the one-value blocks (行政许可 | 4529 | <td></td> | <td></td>: review 12c #11) read their value, as the report's
    got2, want2 = got.report.proactive, _013().proactive  # type: ignore[attr-defined]
    assert [getattr(got2, k) for k in ("licensing", "penalty", "coercion", "fees")] == [
        getattr(want2, k) for k in ("licensing", "penalty", "coercion", "fees")]  # 4529, 1100, 65, 18651.06


@pytest.mark.parametrize("shape", ["one-line", "lines-uppercase", "in-a-div"])
def test_a_pages_table_put_in_markdown_is_read(shape: str) -> None:
    """Variant: another report's table 3 as our own page writes it, put in its Markdown in place of the GFM table."""
    report = _corpus("022-huaian-hongze-district-2024-pdf.txt")
    page = gd.render(report, "html")
    table = next(t for t in re.findall(r"<table.*?</table>", page, re.S) if "本年新收" in t)
    if shape == "one-line":
        table = table.replace("\n", "")
    elif shape == "lines-uppercase":
        table = table.replace("<table", '<TABLE border="1"').replace("</table>", "</TABLE>").replace("<tr", "\n<tr")
    else:
        table = f'<div align="center">\n{table}\n</div>'
    markdown = gd.render(report, "markdown")
    start, end = _table3(markdown)
    got = parse(f"{markdown[:start]}{table}\n{markdown[end:]}", from_="markdown")
    _same_tables(got, report)


def test_delimiter_rows_after_data_rows_are_markup() -> None:
    """marker/MinerU write a headerless page table as one GFM table per row, the row taken for the header and a
    ``| --- |`` under it: the delimiter was read as a row of blanks and table 3 lost whole, with no finding."""
    _same_tables(parse(INGEST / "converted-rows-headerless.md"), _013())


@pytest.mark.parametrize("delimiter", ["| :---: |", "|---:|", "|-|"])
def test_delimiter_rows_in_any_alignment_after_each_row_are_markup(delimiter: str) -> None:
    report = _corpus("022-huaian-hongze-district-2024-pdf.txt")
    markdown = gd.render(report, "markdown")
    start, end = _table3(markdown)
    rows = markdown[start:end].splitlines()[2:]  # each data row a table of its own, its delimiter under it
    width = 8
    cell = delimiter.strip("|").strip()
    lines = [f"{row}\n|{f' {cell} |' * width}\n" if re.search(r"\d \|", row) else f"{row}\n" for row in rows]
    got = parse(f"{markdown[:start]}{chr(10).join(lines)}\n{markdown[end:]}", from_="markdown")
    _same_tables(got, report)


def test_numbers_in_inline_math_are_read() -> None:
    """MinerU writes a cell it took for a formula as ``$2 1 7$``, ``$1 8 6 5 1 . 0 6$``: the spaced digits were read
    as separate numbers (wrong values, no finding), ``$$`` taken as a row label (147 cells null)."""
    got = parse(INGEST / "converted-latex-spaced.md")
    _same_tables(got, _013())
    assert got.report.proactive.fees.amount == Decimal("18651.06")  # type: ignore[attr-defined]
    assert got.report.proactive.licensing.decisions == 4529  # type: ignore[attr-defined]


@pytest.mark.parametrize("math", ["$ {} $", "$$ {} $$", "${}$"])
def test_numbers_in_math_of_any_spacing_are_read(math: str) -> None:
    report = _corpus("022-huaian-hongze-district-2024-pdf.txt")
    markdown = gd.render(report, "markdown")
    start, end = _table3(markdown)
    spaced = re.sub(r"(?<=\| )(\d+)(?= \|)", lambda m: math.format(" ".join(m.group(1))), markdown[start:end])
    assert "$" in spaced
    got = parse(f"{markdown[:start]}{spaced}{markdown[end:]}", from_="markdown")
    _same_tables(got, report)


def test_a_dollar_sign_in_prose_stays() -> None:
    from govdisclosure.ingest.decode import _markdown

    assert _markdown("费用 $5 与 $6 元，$1 2$3", "x") == "费用 $5 与 $6 元，$1 2$3"
    assert _markdown("| 行政许可 | $1 8 6 5 1 . 0 6$ |", "x") == "行政许可 | 18651.06"


def test_pandocs_empty_merged_label_cells_are_no_blanks() -> None:
    """pandoc writes the official table 3's merged label cells as empty cells: ``| 一、本年新收… |  |  | 217 |``.
    They were read as two blank values glued to the row's numbers (6 rows, 42 cells null)."""
    _same_tables(parse(INGEST / "converted-pandoc-empty-cells.md"), _013())


def _pandoc_table3(report: gd.Report) -> str:
    """The report's table 3 in the official layout's three label columns, merged cells left empty as pandoc does."""
    markdown = gd.render(report, "markdown")
    start, end = _table3(markdown)
    lines, group, pending = ["| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） |  |  | 申请人情况 |"
                             + "  |" * 6, "| --- |" + " --- |" * 9], "", ""
    for row in markdown[start:end].splitlines()[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        label = cells[0].replace("\\", "")
        if label.startswith("**"):  # a group's heading: its label printed in the group's first row
            group = label.strip("*")
            pending = group
            continue
        numbers = " | ".join(cells[1:])
        if label.startswith(("一、", "二、", "四、")):
            lines.append(f"| {label} |  |  | {numbers} |")
        elif label[0].isdigit():  # a reason under （三）…（五）
            lines.append(f"|  | {pending if pending != '三、本年度办理结果' else ''} | {label} | {numbers} |")
            pending = ""
        else:  # （一）…（七）: 三's first row carries 三's label
            head = pending if pending == "三、本年度办理结果" else ""
            lines.append(f"| {head} | {label} |  | {numbers} |")
            pending = ""
    return markdown[:start] + "\n".join(lines) + "\n" + markdown[end:]


@pytest.mark.parametrize("name", ["022-huaian-hongze-district-2024-pdf.txt", "013-pingtan-2024-zfxxgknb.txt"])
def test_pandocs_layout_of_another_report_is_read(name: str) -> None:
    report = _corpus(name)
    text = _pandoc_table3(report)
    assert "|  |  | " in text
    _same_tables(parse(text, from_="markdown"), report)


def test_an_empty_value_column_stays_blank() -> None:
    """Empty cells right after a label are a blank column where no row prints a label there (table 2's
    本年制发件数 blank in every row): the rule for merged label cells takes none of them."""
    report = _corpus("022-huaian-hongze-district-2024-pdf.txt")
    markdown = gd.render(report, "markdown").replace("| 规章 | 0 | 0 | 0 |", "| 规章 |  | 0 | 0 |").replace(
        "| 行政规范性文件 | 3 | 0 | 8 |", "| 行政规范性文件 |  | 0 | 8 |")
    proactive = parse(markdown, from_="markdown").report.proactive  # type: ignore[attr-defined]
    rules, normative = proactive.rules, proactive.normative_documents
    assert (rules.issued, rules.repealed, rules.in_force) == (None, 0, 0)
    assert (normative.issued, normative.repealed, normative.in_force) == (None, 0, 8)
