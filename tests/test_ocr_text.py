"""OCR text shapes of probe 12c (tests/data/probe12c-ocr/README.md): spaces inside a table's numbers (#12), numbers
printed after their labels (#7); each failed before."""

from __future__ import annotations

import pytest

import govdisclosure as gd
from govdisclosure.api import parse

from .conftest import DATA

HERE = DATA / "probe12c-ocr"
SPACED = "t07-ocr-spaces-in-numbers-2024.txt"
RECEIVED = [217, 1, 0, 0, 0, 0, 218]


def _row(report: gd.Report, row: str) -> list[object]:
    return list(gd.to_data(report)["requests"][row].values())


def test_a_row_of_numbers_spaced_digit_by_digit_is_read_as_its_digits_run_together() -> None:
    """`2 1 7 1 0 0 0 0 2 1 8`: 11 numbers for 7 cells, UNSPLIT (14 cells).  The one split of the digits run together
    that keeps each printed number in one cell and holds the row rule is 217|1|0|0|0|0|218, as the row printed
    without spaces (corpus 013) is read; its provenance says what was printed."""
    result = parse(HERE / SPACED)
    assert "GD-PARSE-UNSPLIT" not in [f.code for f in result.findings]
    assert _row(result.report, "received") == RECEIVED and _row(result.report, "total") == RECEIVED
    assert result.report.provenance["/requests/received/natural_person"].raw == "2 1 7 1 0 0 0 0 2 1 8"


@pytest.mark.parametrize(("printed", "row", "values"), [
    ("217 1 0 0 0 0 2 1 8", "received", RECEIVED),
    ("7 1 0 0 0 0 0 7 1", "granted", [71, 0, 0, 0, 0, 0, 71]),
    ("7 1 0 0 0 0 0 71", "granted", [71, 0, 0, 0, 0, 0, 71]),
])
def test_spaced_numbers_among_whole_ones(printed: str, row: str, values: list[int]) -> None:
    """Variants: one number spaced, two-digit numbers spaced, a spaced one before a whole one."""
    text = (HERE / SPACED).read_text(encoding="utf-8")
    line = "新收政府信息公开申请数量 2 1 7 1 0 0 0 0 2 1 8" if row == "received" else "（一）予以公开 71 0 0 0 0 0 71"
    label = line.rsplit(" ", 7 if row == "granted" else 11)[0]
    result = gd.reads(text.replace(line, f"{label} {printed}", 1), source="t.txt")
    assert _row(result.report, row) == values


def test_a_stray_number_after_a_row_is_no_spaced_digit() -> None:
    """The limit: a row with one number too many (71 0 0 0 0 0 71 5) has no split keeping each number whole: it stays
    unsplit (said), never read as 7|1|… or 710…"""
    text = (HERE / SPACED).read_text(encoding="utf-8")
    result = gd.reads(text.replace("（一）予以公开 71 0 0 0 0 0 71", "（一）予以公开 71 0 0 0 0 0 71 5", 1),
                      source="t.txt")
    assert _row(result.report, "granted") == [None] * 7
    assert "GD-PARSE-UNSPLIT" in [f.code for f in result.findings]


@pytest.mark.parametrize(("printed", "row", "field"), [
    ("行政处罚 １１００ 19", "penalty", "decisions"),  # another row's number drawn onto the line
    ("行政许可 ４５２９ 1400", "licensing", "decisions"),  # a stray second figure
    ("规章 ０ ０ ３ 1", "rules", "in_force"),  # a number too many in a row of three with no rule
])
def test_numbers_too_many_in_a_row_with_no_rule_of_its_own_are_never_joined(printed: str, row: str,
                                                                           field: str) -> None:
    """Review 13a #1: a row with no equation of its own has one way to join any digits, which proves nothing:
    ``行政处罚 1100 19`` stays unsplit (said), never 110019."""
    text = (HERE / SPACED).read_text(encoding="utf-8")
    label = printed.split(" ")[0]
    line = next(line for line in text.split("\n") if line.startswith(label + " "))
    result = gd.reads(text.replace(line, printed, 1), source="t.txt")
    cells = gd.to_data(result.report)["proactive"][row]
    assert cells[field] is None
    assert "GD-PARSE-UNSPLIT" in [f.code for f in result.findings]


APART = "t03-ocr-numbers-after-labels-2024.txt"


def _apart(how: str) -> str:
    """t03 as printed ('as printed'), in two blocks of labels then numbers ('two blocks'), with a line of numbers
    missing ('line missing') or two rows' numbers on one line ('two on a line')."""
    lines = (HERE / APART).read_text(encoding="utf-8").split("\n")
    a, b = lines.index("一、本年新收政府信息公开申请数量"), lines.index("四、结转下年度继续办理") + 1
    labels, numbers = lines[a:b], lines[b:b + b - a]
    body = {"as printed": labels + numbers, "two blocks": labels[:12] + numbers[:12] + labels[12:] + numbers[12:],
            "line missing": labels + numbers[:10] + numbers[11:],
            "two on a line": [*labels, *numbers[:3], numbers[3] + " " + numbers[4], *numbers[5:]]}[how]
    return "\n".join(lines[:a] + body + lines[b + b - a:])


@pytest.mark.parametrize("how", ["as printed", "two blocks"])
def test_numbers_printed_after_their_labels_a_row_a_line_are_read_in_order(how: str) -> None:
    """probe 12c #7: table 3's labels, then its 25 lines of 7 numbers: all 175 went to the last row (UNSPLIT of a
    175-digit run) and validate blamed the report (GD-M-SECTIONS, 168 blanks).  Each line is its label's row, in
    order, when the lines are as many as the labels and each as wide as its row; said (GD-PARSE-NUMBERS-APART)."""
    result = gd.reads(_apart(how), source="t.txt")
    codes = [f.code for f in result.findings]
    assert "GD-PARSE-NUMBERS-APART" in codes and "GD-PARSE-UNSPLIT" not in codes
    assert _row(result.report, "received") == RECEIVED and _row(result.report, "total") == RECEIVED
    assert _row(result.report, "carried_forward") == [0] * 7
    assert gd.to_data(result.report)["requests"]["unable"]["not_held"]["natural_person"] == 75
    assert not [f for f in gd.validate(result) if f.code in ("GD-M-SECTIONS", "GD-T3-BLANK")]


@pytest.mark.parametrize("how", ["line missing", "two on a line"])
def test_numbers_after_their_labels_that_do_not_line_up_are_said_not_read_by_order(how: str) -> None:
    """The limit: lines that do not match the rows (one too few, two rows on one) are not given to rows by order;
    the finding says the numbers were printed apart from their labels."""
    result = gd.reads(_apart(how), source="t.txt")
    (said,) = [f for f in result.findings if f.code == "GD-PARSE-NUMBERS-APART"]
    assert "not read by their order" in said.text("en")
    assert _row(result.report, "granted") == [None] * 7
