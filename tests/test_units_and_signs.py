"""Units printed in a table's header and signs printed in words or other scripts (hostile probe 13, findings 3, 4
and 8): a minus of any form is a minus and 减少/增加 are 减/增, the raw kept; an amount's unit printed in its column's
header is the cell's unit (converted to the form's fixed unit and said, or kept as published where the form fixes
none); 万 alone after an amount is 万元.  Inputs: ``data/probe13-units/`` (see its README), edited per test."""

from __future__ import annotations

from decimal import Decimal

import pytest

import govdisclosure as gd
from govdisclosure.api import parse

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
