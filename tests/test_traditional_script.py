"""A report in Traditional script is read as its Simplified twin: the parser matches it character by
character folded to Simplified, and so do the rules that match words in its narrative (probe 11, finding 12)."""

from __future__ import annotations

import functools
from typing import Any

import pytest

import govdisclosure as gd
from govdisclosure.api import parse
from govdisclosure.model.convert import to_data
from govdisclosure.rules.document import CHECKS
from govdisclosure.rules.document.narrative import passages, simplified, traditional

from .conftest import DATA

PROBE = DATA / "probe11"
#: every rule that matches words in the narrative: the document rules and GD-M-FEES
CODES = (*(c.code for c in CHECKS), "GD-M-FEES")

pytest.importorskip("opencc")


@functools.cache
def _text(name: str) -> str:
    return (PROBE / name).read_text(encoding="utf-8")


def _parsed(text: str) -> gd.LoadResult:
    return parse(text)


def _said(item: gd.Report | gd.LoadResult) -> set[tuple[str, str | None, Any]]:
    """What the rules say: each finding's code, pointer and what it finds missing."""
    return {(f.code, f.pointer, str(f.params.get("missing"))) for f in gd.validate(item, select=CODES)}


def test_document_rules_read_a_traditional_report_as_its_simplified_twin() -> None:
    plain, trad = _parsed(_text("simplified-2023.txt")), _parsed(_text("traditional-2023.txt"))
    said = _said(trad)
    assert said == _said(plain)
    # the three false warnings of the probe, and the fee the part-6 rule did not see (本年度未收取信息處理費)
    codes = {code for code, _, _ in said}
    assert not codes & {"GD-M-FEES", "GD-M-OVERVIEW-THEMES", "GD-M-PART5-VAGUE"}
    assert all("信息处理费" not in missing for code, _, missing in said if code == "GD-M-PART6-TOPICS")


def test_a_theme_truly_missing_in_traditional_is_still_said_and_quoted_as_published() -> None:
    text = _text("traditional-2023.txt")
    for gone in ("（二）依申請公開。全年新收政府信息公開申請49件，上年結轉4件，均按期答覆。", "（四）平臺建設。優化政府網站信息公開專欄。"):
        assert gone in text
        text = text.replace(gone, "")
    found = [f for f in gd.validate(_parsed(text), select=["GD-M-OVERVIEW-THEMES"])]
    assert [str(f.params["missing"]) for f in found] == ["依申请公开、平台建设"]
    assert found[0].params["quote"].startswith("2023年，青田縣市場監督管理局認真貫徹落實")  # as published


def test_a_vague_part_5_in_traditional_is_still_vague() -> None:
    text = _text("traditional-2023.txt").replace("一是公開內容不夠全面；二是政策解讀形式單一。", "")
    found = gd.validate(_parsed(text), select=["GD-M-PART5-VAGUE"])
    assert [f.code for f in found] == ["GD-M-PART5-VAGUE"]
    assert found[0].params["quote"].startswith("下一步，我局將加強培訓")
    # a problem named in other words, each written otherwise in Traditional script (問題, 不夠), is seen as one
    for problem in ("個別欄目更新還存在問題。", "個別欄目更新不夠及時。"):
        named = text.replace("下一步", problem + "下一步")
        assert gd.validate(_parsed(named), select=["GD-M-PART5-VAGUE"]) == []


def test_fees_charged_in_traditional_are_read_with_their_amount() -> None:
    text = _text("traditional-2023.txt").replace("本年度未收取信息處理費。", "本年度收取信息處理費120元。")
    report = _parsed(text).report
    data = to_data(report)
    for cell in ("received", "carried_over"):  # no request handled: fees charged contradict table 3
        data["requests"][cell]["total"] = 0
    found = [f for f in gd.validate(gd.from_data(data), select=["GD-M-FEES-T3"]) if "amount" in f.params]
    assert [f.params["amount"] for f in found] == ["120"]
    offset = found[0].params["offset"]
    assert report.parts.other[offset:].startswith("本年度收取信息處理費120元")  # the offset is the published text's


def test_a_traditional_report_loaded_from_json_is_read_folded_without_a_run() -> None:
    # a report as the canonical JSON holds it (no parse), its part 5 starting with the heading's tail
    data = to_data(_parsed(_text("traditional-2023.txt")).report)
    data["parts"]["problems"] = "及改進情況\n一是公開內容不夠全面。"
    report = gd.from_data(data)
    assert traditional(report)
    by_field = {p.field: p for p in passages(report)}  # no run's memo: the same reading
    problems = by_field["problems"]
    assert problems.text.lstrip().startswith("一是公開內容不夠全面")  # the heading's tail blanked, offsets kept
    assert len(problems.text) == len(report.parts.problems) == len(problems.view)
    assert problems.view.lstrip() == simplified("一是公開內容不夠全面。")
    assert gd.validate(report, select=["GD-M-PART5-VAGUE"]) == []


def test_a_simplified_report_is_read_as_published() -> None:
    report = _parsed(_text("simplified-2023.txt")).report
    assert not traditional(report)
    assert all(p.view is p.text for p in passages(report))
