"""The report's year, agency and date where the title disagrees with the rest of the report (probe 13 #7, #9, #12).

Inputs: ``tests/data/probe13-meta/`` (the probe's constructed reports, README there); the variants are edits of
them made here.
"""

from __future__ import annotations

import datetime as dt

import pytest

import govdisclosure as gd
from govdisclosure.api import parse

from .conftest import DATA

HERE = DATA / "probe13-meta"
R09 = (HERE / "r09-title-year-wrong.txt").read_text(encoding="utf-8")
R11 = (HERE / "r11-two-years.txt").read_text(encoding="utf-8")
R32 = (HERE / "r32-short-headings-early-date.md").read_text(encoding="utf-8")
SIGNED_32 = "\n\n2020年12月28日\n"


def _year_findings(result: gd.LoadResult) -> list[tuple[str, str]]:
    """The findings on the year and the date, parse's and the rules': (code, pointer)."""
    assert result.report is not None
    found = [*result.findings, *gd.validate(result.report)]
    return sorted((f.code, f.pointer) for f in found
                  if f.code in ("GD-PARSE-TITLE-YEAR", "GD-M-YEAR", "GD-M-FORMAT", "GD-M-DEADLINE"))


@pytest.mark.parametrize(("text", "kind", "title_year", "evidence"), [
    (R09, "text", "2022", ("第一部分所述年份（2021年）", "落款日期 2022-01-20")),
    ((HERE / "r10-title-2020-tables-2021.html").read_text(encoding="utf-8"), "html", "2020",
     ("第一部分所述年份（2021年）", "落款日期 2022-01-24")),
    (R09.replace("2022年政府", "二〇二〇年政府", 1), "text", "2020", ("第一部分所述年份（2021年）",)),  # in numerals
    (R09.replace("2021年，我局", "一年来，我局", 1), "text", "2022", ("落款日期 2022-01-20",)),  # part 1 names no year
], ids=["r09-title-2022", "r10-title-2020-page", "title-in-numerals", "no-year-in-part-1"])
def test_a_title_year_the_period_and_the_rest_contradict_is_not_the_report_year(
        text: str, kind: str, title_year: str, evidence: tuple[str, ...]) -> None:
    """Probe 13 #7: one wrong year in the title outvoted the period, part 1's year, the signature's date (and the
    table version): year 2020 for a 2021 report, with a false GD-M-FORMAT, a GD-M-DEADLINE 358 days late and
    GD-M-YEAR on the period.  Now the year is theirs, the title stays as printed, a parse finding says why, and
    GD-M-YEAR names the title."""
    result = parse(text, from_=kind)
    report = result.report
    assert report.year == 2021 and report.title is not None and title_year in report.title.replace("二〇二〇", "2020")
    assert report.agency.level == "county_department"
    assert _year_findings(result) == [("GD-M-YEAR", "/title"), ("GD-PARSE-TITLE-YEAR", "/year")]
    [said] = [f for f in result.findings if f.code == "GD-PARSE-TITLE-YEAR"]
    assert "报告年度取 2021" in said.message.zh and "统计期限 2021-01-01 至 2021-12-31" in said.message.zh
    assert all(e in said.message.zh for e in evidence) and "the report year is taken as 2021" in said.message.en


@pytest.mark.parametrize(("edit", "year", "found"), [
    # the period alone against the title (part 1 names no year, no signature): the title decides
    (lambda t: t.replace("2021年，我局", "一年来，我局", 1).replace("石门县教育局\n2022年1月20日", ""), 2022,
     [("GD-M-YEAR", "/period/end"), ("GD-M-YEAR", "/period/start")]),
    # last year's period copied under this year's title, part 1 and date: the period is the one wrong
    (lambda t: t.replace("2022年政府", "2021年政府", 1).replace("自2021年1月1日起至2021年12月31日止",
                                                             "自2020年1月1日起至2020年12月31日止"), 2021,
     [("GD-M-YEAR", "/period/end"), ("GD-M-YEAR", "/period/start")]),
    # no period printed: the title's year, whatever else says
    (lambda t: t.replace("2022年政府", "2020年政府", 1).replace("本报告所列数据统计期限自2021年1月1日起至2021年12月31日止。\n", ""),
     2020, [("GD-M-DEADLINE", "/published_on"), ("GD-M-FORMAT", "/format_version")]),
], ids=["period-alone", "period-copied", "no-period"])
def test_the_period_without_more_of_the_report_does_not_outvote_the_title(edit, year: int,  # type: ignore[no-untyped-def]
                                                                        found: list[tuple[str, str]]) -> None:
    """Probe 13 #7, the conservative side: the title's year stands unless the period and more agree against it."""
    result = parse(edit(R09), from_="text")
    assert result.report.year == year
    assert _year_findings(result) == found


@pytest.mark.parametrize("years", ["2019—2020年度", "2019年—2020年度", "2019-2020年", "2019年至2020年度",
                                   "二〇一九至二〇二〇年度", "2019～2020年度", "\n2019—2020年度"])
def test_a_title_of_two_years_names_its_agency_and_says_which_year_is_taken(years: str) -> None:
    """Probe 13 #9: 来凤县司法局2019—2020年度…年度报告 gave the agency "来凤县司法局2019—" (its level lost: its
    series never joins its other years') and year 2020 without a word.  Now the agency is 来凤县司法局 and a
    finding says the title names two years and which is taken (the later; the rules judge the period)."""
    result = parse(R11.replace("2019—2020年度", years, 1), from_="text")
    report = result.report
    assert (report.agency.name, report.agency.level, report.year) == ("来凤县司法局", "county_department", 2020)
    assert report.title == "来凤县司法局" + years.strip() + "政府信息公开工作年度报告"  # as printed
    [said] = [f for f in result.findings if f.code == "GD-PARSE-TITLE-YEAR"]
    assert said.message.zh == "标题载有两个年度（2019—2020）：报告年度取 2020（取其中后一年）"
    assert said.message.en == "the title names two years (2019—2020): the report year is taken as 2020 (the later of the two)"
    assert ("GD-M-YEAR", "/period/start") in _year_findings(result)


@pytest.mark.parametrize(("signed", "published"), [
    (SIGNED_32, dt.date(2020, 12, 28)),
    ("\n\n古丈县民政局　2020年12月28日\n", dt.date(2020, 12, 28)),  # after the agency on its line
    ("\n\n2021年1月15日\n", dt.date(2021, 1, 15)),
    ("\n\n本报告于2020年12月28日经局务会审议通过。\n", None),  # a sentence's date, no signature
    ("我局于2020年12月28日召开专题会议\n", None),  # run on from part 6's last sentence
], ids=["alone-in-the-year", "after-the-agency", "after-the-year", "in-a-sentence", "in-part-6"])
def test_a_signature_dated_in_the_report_year_is_kept_for_the_rules(signed: str, published: dt.date | None) -> None:
    """Probe 13 #12: a signature dated 2020年12月28日 under a 2020 report was dropped (only dates after the year
    were taken), so GD-M-YEAR's "dated before its year ended" could never fire.  A date printed as a signature is
    now the publication date whatever its year; a date in a sentence is still none."""
    assert R32.endswith(SIGNED_32)
    result = parse(R32[:-len(SIGNED_32)] + signed, from_="markdown")
    assert result.report.year == 2020 and result.report.published_on == published
    early = published is not None and published.year == 2020
    assert _year_findings(result) == ([("GD-M-YEAR", "/published_on")] if early else [])


REVIEW13B = DATA / "review13b"


@pytest.mark.parametrize("name", ["y1-title-right-period-copied-no-date.txt", "y2-period-copied-overview-compares.txt"])
def test_a_period_copied_from_last_year_does_not_outvote_the_title(name: str) -> None:
    """Review 13b #2: a period left at last year's and part 1 comparing with last year (与2022年相比…) outvoted the
    title's right year.  Only a signature dated in the year after the period's is a witness outside the period."""
    result = gd.read(REVIEW13B / name)
    assert result.report.year == 2023
    assert "GD-PARSE-TITLE-YEAR" not in [f.code for f in result.findings]
    assert {f.pointer for f in gd.validate(result) if f.code == "GD-M-YEAR"} == {"/period/start", "/period/end"}


def test_a_date_in_a_list_at_part_6s_end_is_no_signature() -> None:
    """Review 13b #3: with no signature, part 6's last line 不动产登记开放日 2023年11月8日 was taken as the date signed,
    and GD-M-YEAR said the report was dated before its year ended."""
    result = gd.read(REVIEW13B / "y4-part6-event-list-no-signature.txt")
    assert result.report.published_on is None
    assert "GD-M-YEAR" not in [f.code for f in gd.validate(result)]


def test_a_report_signed_on_31_december_is_not_dated_before_its_year_ended() -> None:
    """Review 13b #4: the year ends with its 31 December."""
    result = gd.read(REVIEW13B / "y3-signed-dec31.txt")
    assert str(result.report.published_on) == "2023-12-31"
    assert "GD-M-YEAR" not in [f.code for f in gd.validate(result)]

