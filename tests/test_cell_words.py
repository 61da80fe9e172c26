"""Words printed beside a number in a table cell (review 13b #9, probe 13 #4's doubt): words that mean a change's
sign (下降/降低/减少 minus, 增长/上升/增加 plus; with 了, or 同比/比上年 before them) sign the number, the whole cell
kept as printed and said (GD-PARSE-WORDS-READ); a count's measure word (件, 次, …) is read with its number and said
once; any other words (约12, a note after the number) are said, not read (GD-PARSE-WORDS): none dropped without a
word.  Inputs: ``data/probe13-units/r25-change-tokens.txt`` edited cell by cell, and
``data/review13b-words/`` (see its README)."""

from __future__ import annotations

import html

import pytest

from govdisclosure.api import parse
from govdisclosure.ingest.tokens import cell_words

from .conftest import DATA

BASE = (DATA / "probe13-units" / "r25-change-tokens.txt").read_text(encoding="utf-8")
ROW = "其他对外管理服务事项 | 12 | 减少2 | 95"
CHANGE = "/proactive/other_services/change"


def _piped(cell: str) -> str:
    return BASE.replace(ROW, f"其他对外管理服务事项 | 12 | {cell} | 95")


def _spaced(cell: str) -> str:
    return BASE.replace(ROW, f"其他对外管理服务事项 12 {cell} 95")


def _page(cell: str) -> bytes:
    """The report as a web page, each '|' row a table row of <td> cells."""
    out, rows = [], []
    for line in _piped(cell).split("\n"):
        if " | " in line or line.startswith("|"):
            rows.append("<tr>" + "".join(f"<td>{html.escape(c.strip())}</td>" for c in line.split("|")) + "</tr>")
            continue
        if rows:
            out.append("<table>" + "".join(rows) + "</table>")
            rows = []
        out.append(f"<p>{html.escape(line)}</p>")
    return ("<html><head><meta charset='utf-8'></head><body>" + "\n".join(out) + "</body></html>").encode()


def _parsed(shape: str, cell: str):  # type: ignore[no-untyped-def]
    if shape == "page":
        return parse(_page(cell), from_="html")
    return parse(_piped(cell) if shape == "piped" else _spaced(cell))


def _said(result, code: str) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return [(f.pointer, f.message.zh, f.message.en) for f in result.findings if f.code == code]


SHAPES = ("piped", "spaced", "page")


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("cell,value", [
    ("下降2", -2), ("降低2", -2), ("增长3", 3), ("上升3", 3),  # were +2 (a decrease read as an increase), silently
    ("同比减少2", -2), ("比上年减少2", -2), ("较上年下降2", -2), ("同比增长3", 3),  # 同比 was dropped from the raw
    ("下降了2", -2), ("下降 2", -2),
])
def test_a_change_printed_in_words_is_signed_by_them_kept_whole_and_said(shape: str, cell: str, value: int) -> None:
    result = _parsed(shape, cell)
    proactive = result.report.proactive
    assert (proactive.other_services.previous, proactive.other_services.change,
            proactive.other_services.decisions) == (12, value, 95)
    assert result.report.provenance[CHANGE].raw == cell
    assert _said(result, "GD-PARSE-WORDS-READ") == [
        (CHANGE, f"本年增/减印作“{cell}”，按 {value} 读入", f"Change this year printed “{cell}”: read as {value}")]
    assert not [f for f in result.findings if f.code in ("GD-PARSE-WORDS", "GD-PARSE-NO-ROW")]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("cell,value,words", [
    ("约12", 12, "约"),
    ("12（含转办3）", 12, "（含转办3）"),  # the note's 3 is no cell (it was dropped, the note with it, silently)
    ("同比 12", 12, "同比"),  # 同比 signs nothing alone
])
def test_other_words_beside_a_number_are_said_not_dropped(shape: str, cell: str, value: int, words: str) -> None:
    result = _parsed(shape, cell)
    proactive = result.report.proactive
    assert (proactive.other_services.change, proactive.other_services.decisions) == (value, 95)
    assert result.report.provenance[CHANGE].raw == cell
    assert _said(result, "GD-PARSE-WORDS") == [
        (CHANGE, f"本年增/减印作“{cell}”，按 {value} 读入（“{words}”未读入）",
         f"Change this year printed “{cell}”: read as {value} (“{words}” not read)")]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("cell,value", [("减2件", -2), ("2次", 2), ("12 件", 12)])
def test_a_counts_measure_word_is_read_with_its_number_and_said(shape: str, cell: str, value: int) -> None:
    result = _parsed(shape, cell)
    assert result.report.proactive.other_services.change == value
    assert result.report.provenance[CHANGE].raw == cell
    assert [p for p, _, _ in _said(result, "GD-PARSE-WORDS-READ")] == [CHANGE]
    assert not _said(result, "GD-PARSE-WORDS")


@pytest.mark.parametrize("cell,code", [("约12", "GD-PARSE-WORDS"), ("下降2", "GD-PARSE-WORDS-READ"),
                                       ("12（含转办3）", "GD-PARSE-WORDS")])
def test_words_in_a_cell_printed_on_a_line_of_its_own_are_said(cell: str, code: str) -> None:
    """A table printed a cell a line (no separators): the words beside the number are said all the same."""
    result = parse(BASE.replace(ROW, f"其他对外管理服务事项\n12\n{cell}\n95"))
    assert result.report.provenance[CHANGE].raw == cell
    assert [p for p, _, _ in _said(result, code)] == [CHANGE]


def test_measure_words_in_many_cells_are_said_once() -> None:
    text = BASE.replace(ROW, "其他对外管理服务事项 | 12 | 2次 | 95").replace(
        "（一）予以公开 | 9 | 2 | 0 | 0 | 1 | 0 | 12", "（一）予以公开 | 9件 | 2 件 | 0 | 0 | 1 | 0 | 12件")
    result = parse(text)
    assert (result.report.requests.granted.natural_person, result.report.requests.granted.total) == (9, 12)
    assert _said(result, "GD-PARSE-WORDS-READ") == [
        (CHANGE, "本年增/减印作“2次”，按 2 读入（另有 3 格的数字后也印有量词，同样读入）",
         "Change this year printed “2次”: read as 2 (3 more cells print a measure word after their number, read "
         "alike)")]


def test_the_reviews_report_keeps_its_signs_and_raws() -> None:
    """Review 13b #9: 减少了2 and 比上年减少1 are -2 and -1, each cell's raw whole (比上年 was dropped from it)."""
    result = parse(DATA / "review13b-words" / "k1-2019-change-words.txt")
    proactive, provenance = result.report.proactive, result.report.provenance
    assert (proactive.other_services.change, proactive.penalty.change) == (-2, -1)
    assert (provenance[CHANGE].raw, provenance["/proactive/penalty/change"].raw) == ("减少了2", "比上年减少1")
    assert [p for p, _, _ in _said(result, "GD-PARSE-WORDS-READ")] == [CHANGE, "/proactive/penalty/change"]


def test_labels_headers_and_notes_with_such_words_are_no_signs() -> None:
    """A row's label, the header's 本年增/减 and a note's sentence stay text: no number is signed by them."""
    text = BASE.replace("行政强制 | 5 | 0 | 3", "行政强制 | 5 | 0 | 3\n注：行政许可事项较上年下降2项，同比增长 3 项")
    result = parse(text)
    proactive = result.report.proactive
    assert (proactive.licensing.change, proactive.coercion.change, proactive.coercion.decisions) == (3, 0, 3)
    assert proactive.fees.previous == 4
    assert not [f for f in result.findings if f.code.startswith("GD-PARSE-WORDS")
                and f.pointer != CHANGE]  # (减少2 in the base: said)


def test_a_change_in_words_not_read_as_they_mean_is_said_unread() -> None:
    """較上年減少1 in a text of simplified script (減 traditional, the view keeps it: no sign) is read 1: said as
    words not read, never as a sign read."""
    result = parse(BASE.replace("行政处罚 | 31 | −1 | 57", "行政处罚 | 31 | 較上年減少1 | 57"))
    assert result.report.proactive.penalty.change == 1
    assert ("/proactive/penalty/change", "本年增/减印作“較上年減少1”，按 1 读入（“較上年減少”未读入）") in [
        (p, zh) for p, zh, _ in _said(result, "GD-PARSE-WORDS")]


@pytest.mark.parametrize("raw,expected", [
    ("12", None), ("减2", None), ("−1", None), ("38.6万元", None), ("１２", None), ("2,932", None),
    ("下降2", ("下降", "minus")), ("同比减少2件", ("同比减少…件", "minus")), ("上升 3", ("上升", "plus")),
    ("同比+3", ("同比+", "plus")), ("2次", ("次", "measure")),
    ("约12", ("约", "unread")), ("12件以上", ("件以上", "unread")), ("同比 12", ("同比", "unread")),
])
def test_a_cells_words_are_told_from_its_raw(raw: str, expected: tuple[str, str] | None) -> None:
    assert cell_words(raw) == expected
