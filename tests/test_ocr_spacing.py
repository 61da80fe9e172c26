"""OCR's spaces inside a table's numbers (probe 12c #12; tests/data/probe12c-ocr/README.md): each failed before."""

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
