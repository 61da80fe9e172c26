"""Every rule of rules.md, passing and failing; the engine's blank semantics; properties."""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure.findings import Severity
from govdisclosure.testing import reports

from .conftest import DATA, EXAMPLES

Data = dict[str, Any]


def _example(name: str) -> Data:
    import json
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


H, P, S = "huaian-city-2024", "pingtan-2020", "hutubi-shanggongxinju-2020"


def _set(data: Data, pointer: str, value: Any) -> Data:
    node = data
    keys = pointer.strip("/").split("/")
    for k in keys[:-1]:
        node = node[k]
    node[keys[-1]] = value
    return data


def _add(data: Data, pointer: str, delta: int) -> Data:
    node = data
    keys = pointer.strip("/").split("/")
    for k in keys[:-1]:
        node = node[k]
    node[keys[-1]] += delta
    return data


def _prev_huaian(mutate: Callable[[Data], Any] = lambda d: None) -> Data:
    d = _example(H)
    d["year"] = 2023
    d["title"] = None
    d["period"] = None
    for c, v in _example(H)["requests"]["carried_over"].items():
        d["requests"]["carried_forward"][c] = v
    d["proactive"]["rules"]["in_force"] = 11 - 1 + 0
    d["proactive"]["normative_documents"]["in_force"] = 66 - 8 + 26
    mutate(d)
    return d


def _prev_pingtan(mutate: Callable[[Data], Any] = lambda d: None) -> Data:
    d = _example(P)
    d["year"] = 2019
    d["title"] = None
    d["period"] = None
    for row in ("licensing", "other_services", "penalty", "coercion", "fees"):
        d["proactive"][row]["change"] = 0
    for c, v in _example(P)["requests"]["carried_over"].items():
        d["requests"]["carried_forward"][c] = v
    mutate(d)
    return d


def _single_other_row(d: Data) -> None:
    d["variant"] = "single-other-row"
    other = d["requests"]["other"]
    d["requests"]["other"] = {c: sum(other[r][c] for r in other) for c in other["other"]}


# code -> (failing case, passing case); a case is (base, mutation of this year, previous year or None)
CASES: dict[str, tuple[tuple, tuple]] = {
    "GD-T3-BALANCE": ((H, lambda d: (_add(d, "/requests/received/natural_person", 1),
                                     _add(d, "/requests/received/total", 1)), None), (H, None, None)),
    "GD-T3-RESULTS-SUM": ((P, None, None), (H, None, None)),
    "GD-T3-COLUMN-SUM": ((H, lambda d: _add(d, "/requests/granted/total", 1), None), (H, None, None)),
    "GD-T4-SUM": ((H, lambda d: _add(d, "/review_litigation/review/upheld", 1), None), (H, None, None)),
    "GD-X-CARRY": ((H, None, _prev_huaian(lambda d: _add(d, "/requests/carried_forward/commercial", 2))),
                   (H, None, _prev_huaian())),
    "GD-X-IN-FORCE": ((H, None, _prev_huaian(lambda d: _add(d, "/proactive/rules/in_force", 1))),
                      (H, None, _prev_huaian())),
    "GD-X-PREVIOUS": ((P, None, _prev_pingtan(lambda d: _set(d, "/proactive/licensing/change", 5))),
                      (P, None, _prev_pingtan())),
    "GD-X-SERIES": ((H, None, _prev_huaian(lambda d: d.__setitem__("year", 2022))), (H, None, _prev_huaian())),
    "GD-UNCHECKED": ((H, lambda d: _set(d, "/requests/granted/research", None), None), (H, None, None)),
    "GD-T2-BLANK": ((H, lambda d: _set(d, "/proactive/penalty/decisions", None), None), (H, None, None)),
    "GD-T3-BLANK": ((H, lambda d: _set(d, "/requests/unable/not_held/research", None), None), (H, None, None)),
    "GD-T4-BLANK": ((H, lambda d: _set(d, "/review_litigation/review/pending", None), None), (H, None, None)),
    "GD-T2-LEVEL": ((H, lambda d: _set(d, "/agency/level", "township"), None), (H, None, None)),
    "GD-T2-PUBLISHED": ((P, lambda d: _set(d, "/proactive/rules/published", 8), None), (P, None, None)),
    "GD-T3-OTHER-HIGH": ((P, None, None), (S, None, None)),
    "GD-M-FORMAT": ((H, lambda d: (_set(d, "/year", 2020), d.__setitem__("title", None),
                                   d.__setitem__("period", None)), None), (H, None, None)),
    "GD-M-DEADLINE": ((H, lambda d: _set(d, "/published_on", "2025-03-11"), None),
                      (H, lambda d: _set(d, "/published_on", "2025-03-10"), None)),
    "GD-M-SECTIONS": ((H, lambda d: _set(d, "/parts/problems", " "), None), (H, None, None)),
    "GD-M-YEAR": ((H, lambda d: _set(d, "/published_on", "2024-12-30"), None),
                  (H, lambda d: _set(d, "/published_on", "2025-01-20"), None)),
    "GD-M-OVERVIEW-LENGTH": ((H, None, None), (H, lambda d: _set(d, "/parts/overview", "全年主动公开。" * 100), None)),
    "GD-T3-OTHER-SINGLE": ((H, _single_other_row, None), (H, None, None)),
    "GD-M-TEXT-NUMBERS": ((H, lambda d: d.__setitem__("stated", {"received": 3000}), None),
                          (H, lambda d: d.__setitem__("stated", {"received": 3119 + 34, "reviews": 351}), None)),
    "GD-PARSE-UNSETTLED": ((H, lambda d: (_set(d, "/requests/granted/research", None), d.__setitem__(
        "provenance", {"/requests/granted/research": {"raw": "0050", "candidates": "0|50"}})), None),
                           (H, lambda d: _set(d, "/requests/granted/research", None), None)),
    "GD-M-FEES": ((H, lambda d: _set(d, "/parts/other", "无。"), None), (H, None, None)),
    # a caller's value (a loader refuses it): the case's function of the data gives one of the report loaded
    "GD-CELL-VALUE": ((H, lambda d: lambda r: r.with_cells({"/requests/received/natural_person": "3"}), None),
                      (P, lambda d: lambda r: r.with_cells({"/proactive/penalty/change": -5}), None)),
}


def _run(case: tuple) -> list[gd.Finding]:
    base, mutate, previous = case
    data = copy.deepcopy(_example(base))
    after = mutate(data) if mutate else None
    prev = gd.from_data(previous) if previous else None
    report = gd.from_data(data)
    return gd.validate(after(report) if callable(after) else report, prev)


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fails_and_passes(code: str) -> None:
    failing, passing = CASES[code]
    assert code in {f.code for f in _run(failing)}
    assert code not in {f.code for f in _run(passing)}


def test_every_rule_has_a_case() -> None:
    # catalogue-only codes (load problems, the parser's findings) are tested with the loaders and the parser
    from govdisclosure.rules import UNCHECKED, Check, Equation

    from .test_document_rules import CASES as DOCUMENT_CASES

    codes = {code for code, rule in gd.Registry.default().rules.items() if isinstance(rule, (Check, Equation))}
    assert codes | {UNCHECKED} == set(CASES) | set(DOCUMENT_CASES)


def _only(findings, code):
    return [f for f in findings if f.code == code]


def test_balance_finding_names_cells_labels_and_numbers() -> None:
    data = _add(_add(_example(H), "/requests/received/natural_person", 1), "/requests/received/total", 1)
    found = _only(gd.validate(gd.from_data(data)), "GD-T3-BALANCE")
    assert [f.pointer for f in found] == ["/requests/total/natural_person", "/requests/total/total"]
    f = found[0]
    assert f.severity is Severity.ERROR
    req = _example(H)["requests"]
    assert f.params["left"] == req["total"]["natural_person"] + req["carried_forward"]["natural_person"] == 2932 + 103
    assert f.params["right"] == req["received"]["natural_person"] + 1 + req["carried_over"]["natural_person"]
    assert f.params["left"] - f.params["right"] == f.params["diff"] == -1
    assert f.pointers == ("/requests/total/natural_person", "/requests/carried_forward/natural_person",
                          "/requests/received/natural_person", "/requests/carried_over/natural_person")
    assert f.labels[0] == "（七）总计 · 自然人"
    assert "≠" in f.text("zh") and "自然人" in f.text("zh") and "Natural persons" in f.text("en")


def test_results_sum_lists_every_result_row_of_its_format() -> None:
    f = _only(gd.validate(gd.from_data(_example(P))), "GD-T3-RESULTS-SUM")[0]
    assert f.params == f.params | {"left": 20, "right": 26, "diff": -6, "at": "自然人"}
    assert len(f.pointers) == 1 + 19  # (七)总计 and the 19 result rows of the 2019 format
    data = _example(H)
    data["requests"]["other"]["fee_unpaid"]["natural_person"] += 1
    f = _only(gd.validate(gd.from_data(data)), "GD-T3-RESULTS-SUM")[0]
    assert len(f.pointers) == 1 + 21 and "/requests/other/fee_unpaid/natural_person" in f.pointers


def test_blank_is_never_counted_as_zero() -> None:
    data = _set(_example(H), "/requests/granted/research", None)
    findings = gd.validate(gd.from_data(data))
    assert not [f for f in findings if f.severity is Severity.ERROR]
    unchecked = {f.params["rule"]: f for f in _only(findings, "GD-UNCHECKED")}
    assert set(unchecked) == {"GD-T3-COLUMN-SUM", "GD-T3-RESULTS-SUM"}
    assert unchecked["GD-T3-COLUMN-SUM"].params["blank_cells"] == ["/requests/granted/research"]


def test_blank_cannot_hide_a_certain_error() -> None:
    data = _example(H)
    _set(data, "/requests/granted/research", None)
    _set(data, "/requests/partially_granted/research", 5)
    _set(data, "/requests/total/research", 0)  # the present result rows already exceed it
    found = [f for f in _only(gd.validate(gd.from_data(data)), "GD-T3-RESULTS-SUM") if f.params["at"] == "科研机构"]
    assert len(found) == 1
    assert found[0].params["blank_cells"] == ["/requests/granted/research"]
    assert "空白" in found[0].text("zh") and "blank" in found[0].text("en")


def test_blank_total_is_not_assessable() -> None:
    data = _set(_example(H), "/review_litigation/review/total", None)
    findings = gd.validate(gd.from_data(data))
    assert not _only(findings, "GD-T4-SUM")
    assert [f.params["rule"] for f in _only(findings, "GD-UNCHECKED")] == ["GD-T4-SUM"]
    assert _only(findings, "GD-T4-BLANK")[0].pointers == ("/review_litigation/review/total",)


def test_cross_year_skipped_when_years_not_consecutive() -> None:
    prev = gd.from_data(_prev_huaian(lambda d: (d.__setitem__("year", 2022),
                                                _add(d, "/requests/carried_forward/total", 9))))
    findings = gd.validate(gd.from_data(_example(H)), prev)
    assert _only(findings, "GD-X-SERIES") and not _only(findings, "GD-X-CARRY")


def test_cross_year_carry_pointer_and_params() -> None:
    prev = gd.from_data(_prev_huaian(lambda d: _add(d, "/requests/carried_forward/commercial", 2)))
    found = _only(gd.validate(gd.from_data(_example(H)), prev), "GD-X-CARRY")
    assert [f.pointer for f in found] == ["/requests/carried_over/commercial"]
    assert found[0].params["cells"] == {"/requests/carried_over/commercial": 0,
                                        "previous:/requests/carried_forward/commercial": 2}


def test_fill_totals_fills_only_blank_totals() -> None:
    data = _example(H)
    for c in data["requests"]["total"]:
        data["requests"]["total"][c] = None
    for row in ("received", "granted"):
        data["requests"][row]["total"] = None
    data["review_litigation"]["review"]["total"] = None
    data["requests"]["carried_forward"]["natural_person"] = None  # not a sum: stays blank
    blanked = gd.from_data(data)
    filled, pointers = gd.fill_totals(blanked)
    original = gd.from_data(_example(H))
    assert filled.requests.total == original.requests.total
    assert filled.requests.received.total == 3119 and filled.requests.granted.total == original.requests.granted.total
    assert filled.review_litigation.review.total == 351
    assert filled.requests.carried_forward.natural_person is None
    assert "/requests/total/total" in pointers and len(pointers) == len(set(pointers)) == 7 + 2 + 1


# ----------------------------------------------------------------------------- properties

def _errors(findings) -> list:
    return [f for f in findings if f.severity in (Severity.ERROR, Severity.FATAL)]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=reports(blanks=False))
def test_balanced_reports_have_no_error(report) -> None:
    assert _errors(gd.validate(report)) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=reports(blanks=True))
def test_blanks_never_invent_an_error(report) -> None:
    # a wholly blank table is rightly GD-M-SECTIONS; no balance may fail because of blanks
    assert [f for f in _errors(gd.validate(report)) if f.code != "GD-M-SECTIONS"] == []


def _expected(pointer: str) -> set[tuple[str, str]]:
    """The (code, pointer) of the errors that changing one table-3/4 cell must raise."""
    parts = pointer.strip("/").split("/")
    table, row, column = parts[0], "/".join(parts[1:-1]), parts[-1]
    if table == "review_litigation":
        return {("GD-T4-SUM", f"/review_litigation/{row}/total")}
    out = {("GD-T3-COLUMN-SUM", f"/requests/{row}/total")}
    if row in ("received", "carried_over", "carried_forward"):
        out.add(("GD-T3-BALANCE", f"/requests/total/{column}"))
    elif row == "total":
        out |= {("GD-T3-BALANCE", f"/requests/total/{column}"), ("GD-T3-RESULTS-SUM", f"/requests/total/{column}")}
    else:
        out.add(("GD-T3-RESULTS-SUM", f"/requests/total/{column}"))
    return out


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=reports(blanks=False), data=st.data())
def test_one_changed_cell_fires_the_right_rules_at_the_right_pointers(report, data) -> None:
    cells = [c for c in report.spec.cells() if c.table.id in ("requests", "review_litigation")]
    cell = data.draw(st.sampled_from(cells))
    delta = data.draw(st.integers(1, 5))
    changed = report.with_cells({cell.pointer: report.cell(cell.pointer) + delta})
    got = {(f.code, f.pointer) for f in _errors(gd.validate(changed))}
    assert got == _expected(cell.pointer)


def test_a_users_options_are_merged_once_per_run_and_follow_a_change() -> None:
    from govdisclosure.rules.engine import _options

    rule = next(r for r in gd.Registry.core().rules.values() if r.options)
    key = next(iter(rule.options))
    config: dict[str, dict[str, object]] = {rule.code: {key: 7}}
    first = _options(rule, config)
    assert first[key] == 7 and _options(rule, config) is first  # what a check compiled from it is reused
    config[rule.code][key] = 8  # changed in place between runs: seen
    assert _options(rule, config)[key] == 8
    assert _options(rule, None) is rule.options


def test_text_numbers_names_the_cells_the_text_was_held_to() -> None:
    """'正文为 17，表格为 95 / 95' did not say what the two 95s were (review3, item 20)."""
    result = gd.read(str(DATA / "corpus" / "reports" / "022-huaian-hongze-district-2024-pdf.txt"))
    [found] = [f for f in gd.validate(result) if f.code == "GD-M-TEXT-NUMBERS"]
    assert "表格为 95（一、本年新收政府信息公开申请数量 · 总计） / 95（一、本年新收政府信息公开申请数量 · 总计 + " \
           "二、上年结转政府信息公开申请数量 · 总计）" in found.message.zh
    assert "95 (I. New requests this year · Total + II. Carried over from last year · Total)" in found.message.en


def test_a_period_that_starts_after_it_ends_is_an_error() -> None:
    """Both the schema and the model accept it; a rule says it (review4, R-n10)."""
    data = gd.to_data(gd.load(EXAMPLES / "pingtan-2020.json"))
    data["period"] = {"start": "2020-12-31", "end": "2020-01-01"}
    found = [f for f in gd.validate(gd.from_data(data)) if f.code == "GD-M-YEAR"]
    assert [f.pointer for f in found] == ["/period"] and "起日晚于止日" in found[0].message.zh


@pytest.mark.parametrize("pointer, value, expected", [
    ("/requests/received/natural_person", "3", "a non-negative integer"),
    ("/requests/received/natural_person", -1, "a non-negative integer"),
    ("/requests/received/natural_person", 1.5, "a non-negative integer"),
    ("/requests/received/natural_person", "", "a non-negative integer"),  # falsy values too (validate raised on "")
    ("/requests/received/natural_person", 0.0, "a non-negative integer"),
    ("/requests/received/natural_person", Decimal("0"), "a non-negative integer"),
    ("/requests/received/natural_person", Decimal("3"), "a non-negative integer"),
    ("/proactive/fees/amount", Decimal("-2"), "a non-negative number"),
    ("/proactive/fees/amount", Decimal("NaN"), "a non-negative number"),
    ("/proactive/fees/amount", "12元", "a non-negative number"),
])
def test_a_cell_value_no_cell_holds_is_named_and_checks_nothing_else(pointer: str, value: object,
                                                                      expected: str) -> None:
    """A value a caller put in a cell: a text made validate raise TypeError (the balances added it), -1 was judged
    only by the balances it broke; each is named, and the other rules take it as unknown (no balance is computed
    from it)."""
    report = gd.load(EXAMPLES / "huaian-city-2024.json").with_cells({pointer: value})  # type: ignore[dict-item]
    found = gd.validate(report)
    [said] = [f for f in found if f.code == "GD-CELL-VALUE"]
    assert said.pointer == pointer and said.severity is Severity.ERROR and said.text("en").endswith(expected)
    assert said.text("zh").startswith("值 ")
    clean = {f.code for f in gd.validate(gd.load(EXAMPLES / "huaian-city-2024.json"))}
    assert {f.code for f in found} - clean - {"GD-CELL-VALUE", "GD-T3-BLANK", "GD-T2-BLANK", "GD-UNCHECKED"} == set()



@pytest.mark.parametrize("title,year,found", [
    ("淮安市人民政府二〇二四年政府信息公开工作年度报告", 2024, None),
    ("淮安市人民政府二〇二三年政府信息公开工作年度报告", 2024, "二〇二三"),
    ("淮安市人民政府二○二四年度政府信息公开工作年度报告", 2023, "二○二四"),
])
def test_a_titles_year_in_chinese_numerals_is_checked(title: str, year: int, found: str | None) -> None:
    """GD-M-YEAR read a title's year in Arabic digits only: 二〇二三年… under a 2024 report went unchecked (the parser
    reads such titles since session 11)."""
    data = _set(_set(_example(H), "/title", title), "/year", year)
    data["period"], data["published_on"] = None, None
    said = [f for f in gd.validate(gd.from_data(data)) if f.code == "GD-M-YEAR"]
    assert [f.params.get("found") for f in said] == ([found] if found else [])
    assert all(f.pointer == "/title" for f in said)
