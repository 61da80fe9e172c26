"""Defects a review of session 13's first fix round found (review 13a), each with the input that showed it."""

from __future__ import annotations

import govdisclosure as gd

from .conftest import DATA

HERE = DATA / "review13a"


def test_a_pages_info_box_row_is_no_agency_nor_its_empty_value_the_next_key() -> None:
    """#9: the info box's row above a title naming no agency (文号 | — | 有效性 | 有效) was taken as the title's agency
    line; and 发布机构 left empty took the next key (发布日期) as its value.  Now: no title (said), no agency from a
    key, the date from the box."""
    result = gd.read(HERE / "h9-info-box-empty-value.html")
    report = result.report
    assert report.title is None and "GD-PARSE-NO-TITLE" in [f.code for f in result.findings]
    assert report.agency.name is None
    assert str(report.published_on) == "2024-01-20"
