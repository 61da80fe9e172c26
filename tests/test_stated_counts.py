"""The counts the narrative states are this year's: a count introduced by 上年/去年/上一年/同比 is last year's, and
is not read as the report's (probe 11, finding 14)."""

from __future__ import annotations

import pytest

import govdisclosure as gd
from govdisclosure.ingest.narrative import stated

from .conftest import DATA

REPORT = DATA / "probe11" / "last-year-count-2023.txt"


def test_last_years_count_before_this_years_is_not_the_stated_count() -> None:
    result = gd.parse(REPORT)
    assert result.report.stated.received == 49  # not last year's 52
    assert [f for f in gd.validate(result, select=["GD-M-TEXT-NUMBERS"])] == []


@pytest.mark.parametrize(("text", "said"), [
    # this year's after last year's, in other wordings
    ("去年受理政府信息公开申请52件,今年受理政府信息公开申请49件。", {"received": 49}),
    ("上一年度收到政府信息公开申请52件;本年度收到政府信息公开申请49件。", {"received": 49}),
    ("办理上年结转的政府信息公开申请4件,新收政府信息公开申请49件。", {"received": 49}),
    # last year named, then this year in the same clause: this year's
    ("与上年相比本年共收到政府信息公开申请49件。", {"received": 49}),
    # only last year's: none taken
    ("上年共收到政府信息公开申请52件。", {}),
    ("同比上年收到政府信息公开申请52件。", {}),
    ("上年全年共收到政府信息公开申请52件。", {}),
    # last year's after this year's is left as it was: the first statement is this year's
    ("本年收到政府信息公开申请49件,比上年收到政府信息公开申请52件减少3件。", {"received": 49}),
    ("全年新收政府信息公开申请49件,比上年(52件)减少3件。", {"received": 49}),
    # the other statements too
    ("上年行政复议3件,本年行政复议7件。", {"reviews": 7}),
    ("去年收取信息处理费100元,今年未收取。", {}),
    # a year named by its number is not last year's
    ("2023年收到政府信息公开申请49件。", {"received": 49}),
])
def test_a_count_of_last_year_is_not_this_years(text: str, said: dict[str, int]) -> None:
    spec = gd.parse(REPORT).report.spec
    assert stated(text, spec) == said
