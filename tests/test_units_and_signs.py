"""Units printed in a table's header and signs printed in words or other scripts (hostile probe 13, findings 3, 4
and 8): a minus of any form is a minus and 减少/增加 are 减/增, the raw kept; an amount's unit printed in its column's
header is the cell's unit (converted to the form's fixed unit and said, or kept as published where the form fixes
none); 万 alone after an amount is 万元.  Inputs: ``data/probe13-units/`` (see its README), edited per test."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

import govdisclosure as gd
from govdisclosure.api import parse
from govdisclosure.audit.aggregate import aggregate

from .conftest import DATA

HERE = DATA / "probe13-units"


def _text(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


def _edited(name: str, old: str, new: str) -> str:
    text = _text(name)
    assert old in text
    return text.replace(old, new)


CHANGES = "其他对外管理服务事项 | 12 | 减少2 | 95"
PENALTY = "行政处罚 | 31 | −1 | 57"


@pytest.mark.parametrize("other,penalty,values", [
    ("减少2", "−1", (-2, -1)),  # the probe's: 减少 in words, U+2212 MINUS SIGN
    ("增加2", "–1", (2, -1)),  # 增加 in words, an en dash right before the digits
    ("减少 2", "﹣1", (-2, -1)),  # a space after the word, the small hyphen-minus
    ("减2", "‒1", (-2, -1)),  # the figure dash
    ("减少了2", "−1", (-2, -1)),  # review 13b #9: 了 after the word (+2 before, silently)
    ("减少 了 2", "−1", (-2, -1)),
    ("增加了2", "−1", (2, -1)),
    ("减了2", "−1", (-2, -1)),
    ("减少了  2", "−1", (-2, -1)),  # review 14 F-b: two spaces (+2 before, silently)
    ("减少  2", "−1", (-2, -1)),
])
def test_a_change_printed_with_a_minus_of_another_script_or_in_words_keeps_its_sign(
        other: str, penalty: str, values: tuple[int, int]) -> None:
    """Probe 13 #4: "−1" (U+2212) and "减少2" were read +1 and +2, silently, the raw not kept."""
    text = _edited("r25-change-tokens.txt", CHANGES, CHANGES.replace("减少2", other))
    text = text.replace(PENALTY, PENALTY.replace("−1", penalty))
    result = parse(text)
    report = result.report
    assert (report.proactive.other_services.change, report.proactive.penalty.change) == values
    assert report.proactive.other_services.decisions == 95 and report.proactive.penalty.decisions == 57
    assert report.provenance["/proactive/other_services/change"].raw == other
    assert report.provenance["/proactive/penalty/change"].raw == penalty
    assert not [f for f in result.findings if f.code.startswith(("GD-PARSE-NO-ROW", "GD-PARSE-UNSPLIT"))]


@pytest.mark.parametrize("dash", ["−", "–", "-", "﹣"])
def test_a_lone_minus_in_a_cell_is_a_blank_mark_not_a_row_label(dash: str) -> None:
    """Probe 13 #4, second face: with a lone "−" in a cell, "减少" and "−" were taken as row labels: 95 and 57 were
    dropped and the report was blamed for rows named 减少 and − (GD-PARSE-NO-ROW, GD-T2-UNKNOWN-ROW)."""
    text = _edited("r25-change-tokens.txt", "行政强制 | 5 | 0 | 3", f"行政强制 | 5 | 0 | {dash}")
    result = parse(text)
    proactive = result.report.proactive
    assert (proactive.other_services.change, proactive.other_services.decisions) == (-2, 95)
    assert (proactive.penalty.change, proactive.penalty.decisions) == (-1, 57)
    assert proactive.coercion.decisions is None
    assert result.report.provenance["/proactive/coercion/decisions"].raw == dash
    codes = {f.code for f in result.findings}
    assert "GD-PARSE-NO-ROW" not in codes
    assert "GD-T2-UNKNOWN-ROW" not in {f.code for f in gd.validate(result.report)}


@pytest.mark.parametrize("printed,value", [("25.1万", "25.1"), ("25万", "25"), ("25.1万元", "25.1")])
def test_an_amount_printed_with_wan_alone_is_in_wanyuan(printed: str, value: str) -> None:
    """Probe 13 #8: "25.1万" (万 without 元) was read 25.1 with no unit: the 万 dropped silently."""
    result = parse(_edited("r34-amount-wan-only.txt", "| 25.1万", f"| {printed}"))
    assert result.report.proactive.procurement.amount == Decimal(value)
    prov = result.report.provenance["/proactive/procurement/amount"]
    assert (prov.raw, prov.unit) == (printed, "万元")
    assert f"| {value}万元 |" in gd.render(result.report, "markdown")


FEES_HEADER = "信息内容 | 本年收费金额（单位：元）"


@pytest.mark.parametrize("header,cell,value,said", [
    ("本年收费金额（单位：元）", "123500", "12.35", True),  # the probe's
    ("本年收费金额(单位:元)", "75451234.5", "7545.12345", True),  # half-width brackets and colon
    ("本年收费金额（元）", "1000", "0.1", True),  # the unit alone in brackets
    ("本年收费金额（单位：万元）", "12.35", "12.35", False),  # the form's own unit: nothing to convert
    ("本年收费金额（单位：元）", "12.35万元", "12.35", False),  # a unit in the cell is the cell's
])
def test_a_fees_amount_under_a_header_in_yuan_is_recorded_in_the_forms_wanyuan(header: str, cell: str, value: str,
                                                                               said: bool) -> None:
    """Probe 13 #3: under 本年收费金额（单位：元）, 123500 was read 123500 万元 (×10,000) with no finding, and rendered under
    （单位：万元）.  The header's unit is the cell's: converted as a unit printed in the cell is, said naming the
    header; provenance keeps what was printed and no unit (the value is in the form's)."""
    text = _edited("r20-fees-header-in-yuan.txt", FEES_HEADER, f"信息内容 | {header}")
    result = parse(text.replace("行政事业性收费 | 123500", f"行政事业性收费 | {cell}"))
    assert result.report.proactive.fees.amount == Decimal(value)
    units = [f for f in result.findings if f.code == "GD-PARSE-UNIT"]
    assert len(units) == said
    prov = result.report.provenance["/proactive/fees/amount"]
    assert prov.unit == ("万元" if cell.endswith("万元") else None)  # the form's unit printed in the cell: kept
    if said:
        assert prov.raw == cell and prov.line == 19
        assert header in units[0].text("zh") and f"recorded as {value} in the form's unit (万元)" in units[0].text("en")
    assert f"| 行政事业性收费 | {value}{prov.unit or ''} |" in gd.render(result.report, "markdown")


def test_an_amount_converted_from_a_unit_in_its_cell_is_summed_in_the_forms_unit() -> None:
    """A fees amount printed 123500元 was converted to 12.35 but provenance kept unit 元: the page rendered
    「12.35元」 under （单位：万元）, and aggregate read 12.35 元 and shifted it again (0.001235)."""
    text = _text("r20-fees-header-in-yuan.txt").replace(FEES_HEADER, "信息内容 | 本年收费金额（单位：万元）")
    first = parse(text.replace("行政事业性收费 | 123500", "行政事业性收费 | 123500元")).report
    second = parse(text.replace("行政事业性收费 | 123500", "行政事业性收费 | 2.5")).report
    assert first.proactive.fees.amount == Decimal("12.35")
    assert first.provenance["/proactive/fees/amount"].raw == "123500元"
    assert "| 行政事业性收费 | 12.35 |" in gd.render(first, "markdown")
    second = attrs.evolve(second, agency=attrs.evolve(second.agency, name="另一局"))
    total = aggregate([("a.json", first), ("b.json", second)])
    assert total.proactive.fees.amount == Decimal("14.85")


PROCUREMENT_HEADER = "| 信息内容 | 采购项目数量 | 采购总金额（元） |  |"


@pytest.mark.parametrize("header,unit", [
    ("采购总金额（元）", "元"),  # the probe's
    ("采购总金额(万元)", "万元"),  # the Hubei page's
    ("采购总金额（单位：万元）", "万元"),
    ("采购总金额", None),  # no unit printed: none kept
])
def test_a_procurement_unit_printed_in_the_header_is_kept_as_published(header: str, unit: str | None) -> None:
    """Probe 13 #8: 2019's 采购总金额 fixes no unit (tables.md: keep the unit as published); printed in the header it
    was lost (the page showed a bare 86500, aggregate said 「未注明」)."""
    result = parse(_edited("r13-2019fmt-2020.md", PROCUREMENT_HEADER,
                           PROCUREMENT_HEADER.replace("采购总金额（元）", header)))
    report = result.report
    assert report.proactive.procurement.amount == Decimal("86500")
    prov = report.provenance.get("/proactive/procurement/amount")
    assert (prov.unit if prov is not None else None) == unit
    assert not [f for f in result.findings if f.code == "GD-PARSE-UNIT"]
    assert f"| 政府集中采购 | 2 | 86500{unit or ''} |" in gd.render(report, "markdown")
