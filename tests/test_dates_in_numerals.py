"""Years and dates printed in Chinese numerals (hostile probe 11b, defects 5 and 7): a title 临江县水利局二〇二三年政府
信息公开工作年度报告, a period 自二〇二三年一月一日起至二〇二三年十二月三十一日止, a date 二〇二四年一月二十二日 or
二〇二四年元月二十二日 (元月: January) under the signature or on a page's 发布日期 line.  Each test edits one complete
report (``data/ingest/unseen-plain-2023.txt``, which parses exactly) in one way: its title, its period, its
signature's date."""

from __future__ import annotations

import datetime as dt
import re

import pytest

import govdisclosure as gd
from govdisclosure.api import parse
from govdisclosure.ingest.numerals import number

from .conftest import DATA

BASE = (DATA / "ingest" / "unseen-plain-2023.txt").read_text(encoding="utf-8")
AGENCY = "青田县市场监督管理局"
PERIOD = "自2023年1月1日起至2023年12月31日止"
SIGNED = "2024年1月18日"
WHOLE_YEAR = (dt.date(2023, 1, 1), dt.date(2023, 12, 31))


def _edited(title: str | None = None, period: str | None = None, signed: str | None = None) -> str:
    text = BASE if title is None else re.sub(r"^[^\n]*", title, BASE, count=1)
    assert PERIOD in text and text.rstrip().endswith(SIGNED)
    text = text if period is None else text.replace(PERIOD, period)
    return text if signed is None else text.replace(SIGNED, signed)


def _parse(text: str) -> gd.LoadResult:
    return parse(text, from_="text")


@pytest.mark.parametrize(("text", "value"), [
    ("二〇二三", 2023), ("二○二三", 2023), ("二零二三", 2023), ("二0二四", 2024), ("二O一九", 2019), ("二〇〇八", 2008),
    ("元", 1), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20), ("二十二", 22), ("三十一", 31), ("2023", 2023),
    ("二〇二\n三", 2023), ("十\n二", 12),
    ("١", 1), ("٢٠٢١", 2021), ("2٠2١", 2021), ("二0二١", 2021),  # other scripts' digits, which a pattern's \d takes
])
def test_a_number_in_chinese_numerals_is_read_as_the_number_it_is(text: str, value: int) -> None:
    assert number(text) == value


@pytest.mark.parametrize("year", ["二〇二三", "二○二三", "二零二三", "二0二三", "２０２３"],
                         ids=["ling-circle", "white-circle", "ling", "digit-zero", "full-width"])
@pytest.mark.parametrize("shape", ["{agency}{year}年政府信息公开工作年度报告", "{agency}{year}年度政府信息公开工作年度报告",
                                   "{agency}关于{year}年政府信息公开工作年度报告",
                                   "{agency}政府信息公开工作年度报告（{year}年）"],
                         ids=["plain", "niandu", "guanyu", "year-after"])
def test_a_title_with_its_year_in_chinese_numerals_gives_title_agency_and_year(year: str, shape: str) -> None:
    title = shape.format(agency=AGENCY, year=year)
    result = _parse(_edited(title=title, period="自二〇二三年一月一日起至二〇二三年十二月三十一日止",
                            signed="二〇二四年一月十八日"))
    report = result.report
    assert (report.title, report.agency.name, report.year) == (title, AGENCY, 2023)  # as printed
    assert report.published_on == dt.date(2024, 1, 18)
    assert report.period is not None and (report.period.start, report.period.end) == WHOLE_YEAR
    assert report.parts.preamble is not None and not report.parts.preamble.startswith(AGENCY)
    assert "GD-PARSE-YEAR" not in {f.code for f in result.findings}


@pytest.mark.parametrize("period", [
    "自二〇二三年一月一日起至二〇二三年十二月三十一日止",
    "自二〇二三年元月一日起至十二月三十一日止",  # the end's year left out
    "自二〇二\n三年一月一日起至二〇二三年十二\n月三十一日止",  # PDF text wrapped inside the numbers
    "自2023年1月1日起至2023年十二月三十一日止",  # digits, then numerals
], ids=["numerals", "yuanyue-no-end-year", "wrapped", "mixed"])
def test_a_period_in_chinese_numerals_is_read_and_gives_the_year(period: str) -> None:
    title = AGENCY + "政府信息公开工作年度报告"  # no year: the period's says it
    report = _parse(_edited(title=title, period=period)).report
    assert report.period is not None and (report.period.start, report.period.end) == WHOLE_YEAR
    assert report.year == 2023


@pytest.mark.parametrize(("signed", "on"), [
    ("二〇二四年一月十八日", dt.date(2024, 1, 18)),
    ("二〇二四年元月二十二日", dt.date(2024, 1, 22)),
    ("2024年元月18日", dt.date(2024, 1, 18)),
    ("二零二四年二月二十九日", dt.date(2024, 2, 29)),
    ("二〇二四年二月三十日", None),  # no such day: unread, as 2024年2月30日 is
    ("二〇二四年十三月一日", None),
], ids=["numerals", "yuanyue", "digits-yuanyue", "ling-leap-day", "no-such-day", "no-such-month"])
def test_a_signature_dated_in_chinese_numerals_gives_the_publication_date(signed: str, on: dt.date | None) -> None:
    report = _parse(_edited(signed=signed)).report
    assert report.published_on == on
    assert report.parts.other is not None and report.parts.other.endswith(signed)  # kept as printed


@pytest.mark.parametrize("line", ["发布日期：二〇二四年一月二十二日", "发布日期 二〇二四年元月二十二日",
                                  "发布日期：２０２４年１月２２日"], ids=["colon", "spaced-yuanyue", "full-width"])
def test_a_publication_date_line_in_chinese_numerals_is_read(line: str) -> None:
    text = _edited(signed="")
    first_line_end = text.index("\n") + 1
    report = _parse(text[:first_line_end] + line + "\n" + text[first_line_end:]).report
    assert report.published_on == dt.date(2024, 1, 22)


def test_a_date_in_chinese_numerals_is_no_title_year() -> None:
    """A signature dated 二〇二四年一月十八日 run on into a title's words is a date, as 2024年1月18日 is."""
    title = AGENCY + "二〇二四年一月十八日政府信息公开工作年度报告"
    report = _parse(_edited(title=title)).report
    assert report.year == 2023  # the period's, not the date's year


def test_another_report_titled_in_chinese_numerals_is_named_by_its_title() -> None:
    """Two reports saved one after the other, both dated in numerals: the first keeps its signature's date, and the
    second is said by its title."""
    first = _edited(title=AGENCY + "二〇二三年政府信息公开工作年度报告", signed="二〇二四年一月十八日")
    second = first.replace(AGENCY, "青田县交通运输局")
    result = _parse(first.rstrip() + "\n" + second)
    assert (result.report.title, result.report.year) == (AGENCY + "二〇二三年政府信息公开工作年度报告", 2023)
    assert result.report.published_on == dt.date(2024, 1, 18)
    [said] = [f for f in result.findings if f.code == "GD-PARSE-SECOND-REPORT"]
    assert "青田县交通运输局二〇二三年政府信息公开工作年度报告" in str(said.message)


def test_a_month_then_a_count_in_numerals_is_no_date() -> None:
    """Review 11b, #5: "2024年1月十余个部门…" after the signature was read as 2024-01-10 (a day in numerals with its
    日 left out); a day in numerals is read only with its 日."""
    text = (DATA / "ingest" / "unseen-plain-2023.txt").read_text(encoding="utf-8")
    signed = "青田县市场监督管理局\n2024年1月18日\n"
    assert text.endswith(signed)
    tail = "2024年1月十余个部门完成了自查。\n"
    assert parse(text[:-len(signed)] + tail, from_="text").report.published_on is None
    assert parse(text + tail, from_="text").report.published_on == dt.date(2024, 1, 18)


def test_a_date_with_another_scripts_digit_is_read_not_a_crash() -> None:
    """Review 15 #3: 2021年١月20日 under the signature (an Arabic-Indic 1, which the date pattern's \\d takes) was an
    internal error (KeyError) of the whole parse."""
    result = _parse(_edited(signed="2024年١月18日"))
    assert result.report.published_on == dt.date(2024, 1, 18)
