"""An empty cell between two '|' inside a text row (review 14 #3): read as separators only, the numbers after it
moved one column left, silently (9 | 2 || 0 | 1 | 0 | 12 read research 0 … other_org 12, total blank).  It keeps its
column as a blank, as a page's empty <td> does; an empty cell before the row's first value (a merged label cell
printed apart) or after its last (the row's edge) is no value's.  Input: ``data/review14/r01-empty-cell.txt``, its
（一）予以公开 row (and two others) edited."""

from __future__ import annotations

import pytest

from govdisclosure.api import parse

from .conftest import DATA

BASE = (DATA / "review14" / "r01-empty-cell.txt").read_text(encoding="utf-8")
GRANTED = "（一）予以公开 | 9 | 2 || 0 | 1 | 0 | 12"
FIELDS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total")


def _granted(row: str):  # type: ignore[no-untyped-def]
    result = parse(BASE.replace(GRANTED, row))
    granted = result.report.requests.granted
    return result, tuple(getattr(granted, f) for f in FIELDS)


@pytest.mark.parametrize("row,values", [
    (GRANTED, (9, 2, None, 0, 1, 0, 12)),  # read 9 2 0 1 0 12 and a blank total
    ("（一）予以公开 | 9 | 2 | | 0 | 1 | 0 | 12", (9, 2, None, 0, 1, 0, 12)),
    ("（一）予以公开 | 9 | 2 |\u3000| 0 | 1 | 0 | 12", (9, 2, None, 0, 1, 0, 12)),  # an ideographic space in it
    ("（一）予以公开 | 9 | | | 0 | 1 | 0 | 12", (9, None, None, 0, 1, 0, 12)),  # two
    ("（一）予以公开 | 9 | 2 | — | | 1 | 0 | 12", (9, 2, None, None, 1, 0, 12)),  # after a blank mark
    ("（一）予以公开 9 2 || 0 1 0 12", (9, 2, None, 0, 1, 0, 12)),  # the row's other cells a space apart
    # no value's: before the first value (after the label), after the last
    ("（一）予以公开 | | 9 | 2 | 0 | 0 | 1 | 0 | 12", (9, 2, 0, 0, 1, 0, 12)),
    ("（一）予以公开 | 9 | 2 | 0 | 0 | 1 | 0 | 12 | |", (9, 2, 0, 0, 1, 0, 12)),
])
def test_an_empty_cell_inside_a_piped_row_keeps_its_column(row: str, values: tuple[int | None, ...]) -> None:
    result, read = _granted(row)
    assert read == values
    assert not [f for f in result.findings if f.code.startswith("GD-PARSE-") and f.code not in (
        "GD-PARSE-LEVEL", "GD-PARSE-WORDS-READ")]


def test_an_empty_cell_in_other_tables_keeps_its_column() -> None:
    text = BASE.replace("规范性文件 | 4 | 4 | 37", "规范性文件 | 4 || 37").replace(
        "2 | 1 | 0 | 1 | 4 | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 1 | 0 | 1", "2 | 1 | | 1 | 4 | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 1 | 0 | 1")
    report = parse(text).report
    normative, review = report.proactive.normative_documents, report.review_litigation.review
    assert (normative.made, normative.published, normative.total_published) == (4, None, 37)
    assert (review.upheld, review.corrected, review.other, review.pending, review.total) == (2, 1, None, 1, 4)


def test_a_row_wider_with_an_empty_cell_is_left_blank_and_said_with_it() -> None:
    # one number more: its total read 5 (the extra number), silently
    result, read = _granted("（一）予以公开 | 9 | 2 | | 0 | 1 | 0 | 12 | 5")
    assert read == (None,) * 7
    [wider] = [f for f in result.findings if f.code == "GD-PARSE-ROW-WIDER"]
    assert "9 | 2 | （空） | 0 | 1 | 0 | 12 | 5" in wider.message.zh
    assert result.report.provenance["/requests/granted/total"].raw == "9 2 | 0 1 0 12 5"


def test_a_row_not_split_shows_its_empty_cell() -> None:
    result, read = _granted("（一）予以公开 | 9 | 2 | | 001 | 0 | 12")
    assert read == (None,) * 7
    assert result.report.provenance["/requests/granted/total"].raw == "9 2 | 001 0 12"  # was 9 2 001 0 12
