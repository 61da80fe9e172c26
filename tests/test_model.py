"""Loading and dumping: faithful to what was published, strict about shape, errors located."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest

import govdisclosure as gd
from govdisclosure.errors import LoadError

from .conftest import EXAMPLES

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.json"))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_examples_round_trip_exactly(path) -> None:
    text = path.read_text(encoding="utf-8")
    report = gd.load(path)
    assert gd.dump(report) == text
    assert json.loads(gd.dump(report)) == json.loads(text)


def test_typed_access_and_pointers(example_data) -> None:
    report = gd.from_data(example_data("huaian-city-2024"))
    assert type(report).__name__ == "Report2021"
    assert report.requests.received.total == 3119
    assert report.requests.other.fee_unpaid.total == report.cell("/requests/other/fee_unpaid/total")
    assert report.proactive.fees.amount == Decimal("96171.6")
    assert report.review_litigation.review.total == 351
    cells = dict((c.pointer, v) for c, v in report.cells())
    assert len(cells) == 10 + 25 * 7 + 15
    assert cells["/requests/carried_forward/total"] == 103


def test_wrong_numbers_load_faithfully(example_data) -> None:
    report = gd.from_data(example_data("pingtan-2020"))
    assert report.requests.total.natural_person == 20  # not the 26 the rows add up to
    assert report.proactive.penalty.change == -18
    assert report.provenance["/proactive/procurement/amount"].unit == "元"


def test_blank_is_not_zero(example_data) -> None:
    data = example_data("huaian-city-2024")
    data["requests"]["granted"]["research"] = None
    report = gd.from_data(data)
    assert report.requests.granted.research is None
    assert json.loads(gd.dump(report))["requests"]["granted"]["research"] is None


def test_yaml_loads_same_report(example_data, tmp_path) -> None:
    yaml = pytest.importorskip("yaml")
    data = example_data("huaian-city-2024")
    path = tmp_path / "r.yaml"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    text = text.replace("'96171.6'", "96171.6")  # an author writing the amount unquoted
    path.write_text(text, encoding="utf-8")
    assert gd.load(path) == gd.from_data(data)


def _problems(data, **kw) -> list:
    with pytest.raises(LoadError) as info:
        gd.from_data(data, source="x.json", **kw)
    return [(p.code, p.pointer) for p in info.value.findings]


BAD = [
    ("string count", lambda d: d["requests"]["received"].__setitem__("total", "3119"),
     [("GD-LOAD-TYPE", "/requests/received/total")]),
    ("float count", lambda d: d["requests"]["received"].__setitem__("total", 3.5),
     [("GD-LOAD-TYPE", "/requests/received/total")]),
    ("bool count", lambda d: d["review_litigation"]["review"].__setitem__("upheld", True),
     [("GD-LOAD-TYPE", "/review_litigation/review/upheld")]),
    ("negative count", lambda d: d["requests"]["withheld"]["state_secret"].__setitem__("natural_person", -1),
     [("GD-LOAD-TYPE", "/requests/withheld/state_secret/natural_person")]),
    ("unknown field", lambda d: d.__setitem__("extra", 1), [("GD-LOAD-UNKNOWN", "/extra")]),
    ("unknown row", lambda d: d["proactive"].__setitem__("procurement", {"projects": 1, "amount": "1"}),
     [("GD-LOAD-UNKNOWN", "/proactive/procurement")]),
    ("missing cell", lambda d: d["requests"]["granted"].pop("research"),
     [("GD-LOAD-MISSING", "/requests/granted/research")]),
    ("missing table", lambda d: d.pop("review_litigation"), [("GD-LOAD-MISSING", "/review_litigation")]),
    # a number is taken when it converts exactly (issue 9); not a negative one
    ("amount as negative number", lambda d: d["proactive"]["fees"].__setitem__("amount", -96171.6),
     [("GD-LOAD-TYPE", "/proactive/fees/amount")]),
    ("control character", lambda d: d["parts"].__setitem__("other", "无\x00"), [("GD-LOAD-TYPE", "/parts/other")]),
    ("bad level", lambda d: d["agency"].__setitem__("level", "county"), [("GD-LOAD-TYPE", "/agency/level")]),
    ("bad date", lambda d: d.__setitem__("published_on", "2025-02-30"), [("GD-LOAD-TYPE", "/published_on")]),
    ("row not object", lambda d: d["requests"].__setitem__("granted", [1, 2]), [("GD-LOAD-TYPE", "/requests/granted")]),
    ("no format", lambda d: d.pop("format_version"), [("GD-LOAD-FORMAT", "/format_version")]),
    ("unknown format", lambda d: d.__setitem__("format_version", "2008"), [("GD-LOAD-FORMAT", "/format_version")]),
    ("unknown variant", lambda d: d.__setitem__("variant", "atlantis"), [("GD-LOAD-VARIANT", "/variant")]),
    ("empty provenance", lambda d: d.__setitem__("provenance", {"/requests/total/total": {}}),
     [("GD-LOAD-TYPE", "/provenance/~1requests~1total~1total")]),
    ("provenance of no cell", lambda d: d.__setitem__("provenance", {"/requests/nope/total": {"raw": "/"}}),
     [("GD-LOAD-UNKNOWN", "/provenance/~1requests~1nope~1total")]),
]


@pytest.mark.parametrize("name,mutate,expected", BAD, ids=[b[0] for b in BAD])
def test_bad_documents_are_located(example_data, name, mutate, expected) -> None:
    data = copy.deepcopy(example_data("huaian-city-2024"))
    mutate(data)
    assert _problems(data) == expected


def test_2021_row_in_2019_report(example_data) -> None:
    data = example_data("pingtan-2020")
    data["requests"]["other"] = {"no_correction": dict(data["requests"]["other"]),
                                 "fee_unpaid": dict(data["requests"]["other"]),
                                 "other": dict(data["requests"]["other"])}
    problems = _problems(data)
    assert ("GD-LOAD-UNKNOWN", "/requests/other/no_correction") in problems
    assert all(p[1].startswith("/requests/other") for p in problems)


def test_every_problem_is_reported_not_just_the_first(example_data) -> None:
    data = example_data("huaian-city-2024")
    data["requests"]["received"]["total"] = -5
    data["review_litigation"]["review"]["total"] = "x"
    data["title"] = 5
    assert sorted(_problems(data)) == [("GD-LOAD-TYPE", "/requests/received/total"),
                                       ("GD-LOAD-TYPE", "/review_litigation/review/total"),
                                       ("GD-LOAD-TYPE", "/title")]


@pytest.mark.parametrize("content,code,where", [
    (b"", "GD-LOAD-EMPTY", "/"),
    (b"  \n", "GD-LOAD-EMPTY", "/"),
    (b"\xef\xbb\xbf", "GD-LOAD-EMPTY", "/"),  # an empty file an editor saved with its byte-order mark
    (b"\xef\xbb\xbf \r\n", "GD-LOAD-EMPTY", "/"),
    (b"\xff\xfe", "GD-LOAD-EMPTY", "/"),  # the same, saved as UTF-16
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "GD-LOAD-BINARY", "/"),
    (b"{\"format_version\": \"2021\",\n  \"year\": }", "GD-LOAD-SYNTAX", "line 2, column 11"),
    (b"[1, 2]", "GD-LOAD-TYPE", "/"),
    ("\u4e2d\u6587".encode("gbk"), "GD-LOAD-BINARY", "line 1, column 1"),  # the first bad byte
    (b'{"a": 1, "a": 2}', "GD-LOAD-SYNTAX", "line 1, column 10"),  # the repeated key, located
])
def test_unreadable_inputs(tmp_path, content, code, where) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(LoadError) as info:
        gd.load(path)
    problem = info.value.findings[0]
    assert (problem.code, problem.where()) == (code, where)
    line = info.value.lines("en")[0]
    assert line.startswith(f"{path}: ") and "\n" not in line


def test_messages_in_both_languages(example_data) -> None:
    data = example_data("huaian-city-2024")
    data["requests"]["received"]["total"] = -1
    with pytest.raises(LoadError) as info:
        gd.from_data(data, source="r.json")
    zh, en = info.value.lines("zh")[0], info.value.lines("en")[0]
    assert zh == ("r.json: /requests/received/total [一、本年新收政府信息公开申请数量 · 总计]: "
                  "应为 非负整数（最多 15 位），实际为 -1 [GD-LOAD-TYPE]")
    assert en == ("r.json: /requests/received/total [一、本年新收政府信息公开申请数量 · 总计]: "
                  "expected a non-negative integer (at most 15 digits), got -1 [GD-LOAD-TYPE]")


def test_integral_float_is_the_same_count(example_data) -> None:
    data = example_data("huaian-city-2024")
    data["requests"]["received"]["total"] = 3119.0  # JSON Schema's "integer" admits it
    assert gd.from_data(data).requests.received.total == 3119


def test_new_report_and_with_cells() -> None:
    report = gd.new_report(2024, agency="某县商务局", level="county_department")
    assert report.format_version == "2021" and report.requests.total.total is None
    changed = report.with_cells({"/requests/total/total": 5})
    assert changed.requests.total.total == 5 and report.requests.total.total is None
    assert gd.new_report(2020).format_version == "2019"


def test_a_table_or_cell_the_format_has_not_is_a_named_error_in_both_languages() -> None:
    """``report.cells(table='nope')`` raised a bare KeyError('nope'): docs/api.md says every exception is a
    GovDisclosureError; it names the format and what it has, and is still a KeyError."""
    report = gd.load(EXAMPLES / "pingtan-2020.json")
    for call in (lambda: list(report.cells(table="nope")), lambda: report.values(table="nope"),
                 lambda: report.spec.table("nope")):
        with pytest.raises(gd.UnknownFormatError, match=r"^格式 2019 没有表格 'nope'（有：proactive、requests、"
                                                         r"review_litigation）/ no table 'nope' in format 2019"):
            call()
    for call in (lambda: report.cell("/x"), lambda: report.with_cells({"/x": 1})):
        with pytest.raises(KeyError, match="no cell /x in format 2019"):
            call()
