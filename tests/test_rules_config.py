"""The rules configuration a user writes (``--rules-config``): every wrong value refused, located,
before a rule runs — never a rule crashing on it mid-run, never a value that quietly switches a
rule off.  The cases are the ones a hostile review found (review2, items 5–8)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import govdisclosure as gd
from govdisclosure.config import rules_config
from govdisclosure.errors import LoadError
from govdisclosure.labels import Label

EXAMPLE = str(Path(__file__).parent.parent / "examples" / "pingtan-2020.json")


def problems(tmp_path: Path, body: str | bytes, suffix: str = ".toml") -> list[tuple[str, str, str]]:
    path = tmp_path / f"c{suffix}"
    path.write_bytes(body if isinstance(body, bytes) else body.encode())
    with pytest.raises(LoadError) as caught:
        rules_config(str(path), gd.Registry.default())
    return [(f.code, f.pointer, f.message.zh) for f in caught.value.findings]


@pytest.mark.parametrize("body, code, pointer, words", [
    # inside add.* and inside list entries (these crashed the rule with a raw TypeError/KeyError)
    ('[GD-M-STALE-TOPIC]\nadd.terms = [{ term = "食药监局", from = "2019" }]\n', "GD-LOAD-TYPE",
     "/GD-M-STALE-TOPIC/add/terms/0/from", "整数"),
    ('[GD-M-STALE-TOPIC]\nadd.terms = [{ term = 5, from = 2019 }]\n', "GD-LOAD-TYPE", "/GD-M-STALE-TOPIC/add/terms/0/term",
     "字符串"),
    ('[GD-M-STALE-TOPIC]\nadd.terms = [{ term = "x" }]\n', "GD-LOAD-MISSING", "/GD-M-STALE-TOPIC/add/terms/0/from",
     "缺少 from"),
    ("[GD-M-OUTLINE]\nadd.foreign = 3\n", "GD-LOAD-TYPE", "/GD-M-OUTLINE/add/foreign", "列表"),
    ('[GD-M-OUTLINE]\nadd.nolist = ["x"]\n', "GD-LOAD-UNKNOWN", "/GD-M-OUTLINE/add/nolist", "没有列表 nolist"),
    # values that would switch a rule off or make it meaningless
    ("[GD-M-DUP-PREV]\nthreshold = nan\n", "GD-LOAD-TYPE", "/GD-M-DUP-PREV/threshold", "有限的数字"),
    ("[GD-M-DUP-PREV]\nthreshold = 5\n", "GD-LOAD-TYPE", "/GD-M-DUP-PREV/threshold", "0 到 1 之间"),
    ("[GD-X-JUMP]\nratio = inf\n", "GD-LOAD-TYPE", "/GD-X-JUMP/ratio", "有限的数字"),
    ("[GD-X-JUMP]\nratio = 1e400\n", "GD-LOAD-TYPE", "/GD-X-JUMP/ratio", "有限的数字"),
    ("[GD-X-JUMP]\nmin_value = -5\n", "GD-LOAD-TYPE", "/GD-X-JUMP/min_value", "非负"),
    ("[GD-M-OUTLINE]\nmin_items = 2.5\n", "GD-LOAD-TYPE", "/GD-M-OUTLINE/min_items", "整数"),
    ('[GD-M-DUP-PREV]\nparts = ["nope"]\n', "GD-LOAD-UNKNOWN", "/GD-M-DUP-PREV/parts/0", "应为以下之一"),
    ('[GD-M-ART50-4]\nlevels = ["county"]\n', "GD-LOAD-UNKNOWN", "/GD-M-ART50-4/levels/0", "county_government"),
    ('[GD-M-ART50-4]\nlevels = ["县级政府部门"]\n', "GD-LOAD-UNKNOWN", "/GD-M-ART50-4/levels/0",
     "机关层级写代码：county_department"),
    ('[GD-X-JUMP]\npointers = ["/requests/nope"]\n', "GD-LOAD-UNKNOWN", "/GD-X-JUMP/pointers/0", "单元格指针"),
    ("[GD-M-OUTLINE]\nmin_item = 4\n", "GD-LOAD-UNKNOWN", "/GD-M-OUTLINE/min_item", "min_items"),
    ("[GD-NOPE]\nx = 1\n", "GD-LOAD-UNKNOWN", "/GD-NOPE", "没有规则"),
    # review5 F2: options whose default is empty, and regular expressions, passed the check and crashed the rule
    ('[GD-M-NOTICE-CITE]\nextra_notices = ["国办公开办函〔2019〕60号"]\n', "GD-LOAD-TYPE",
     "/GD-M-NOTICE-CITE/extra_notices/0", "表"),
    ('[GD-M-NOTICE-CITE]\nextra_notices = [{ issuer = "国办公开办函", year = 2019, number = 60 }]\n', "GD-LOAD-MISSING",
     "/GD-M-NOTICE-CITE/extra_notices/0/first", "缺少 first"),
    ("[GD-X-SERIES]\nagencies = [1]\n", "GD-LOAD-TYPE", "/GD-X-SERIES/agencies/0", "列表"),
    ('[GD-X-SERIES]\nagencies = ["淮安市洪泽区人民政府"]\n', "GD-LOAD-TYPE",
     "/GD-X-SERIES/agencies/0", "列表"),
    ('[GD-M-FEES-T3]\namount_patterns = ["(信息处理费"]\n', "GD-LOAD-TYPE", "/GD-M-FEES-T3/amount_patterns/0",
     "有效的正则表达式"),
    ('[GD-M-FEES]\npatterns = ["(收费"]\n', "GD-LOAD-TYPE", "/GD-M-FEES/patterns/0", "有效的正则表达式"),
    ('[GD-M-FEES-T3]\namount_patterns = ["信息处理费"]\n', "GD-LOAD-TYPE", "/GD-M-FEES-T3/amount_patterns/0",
     "捕获组"),
])
def test_a_wrong_value_is_refused_where_it_is(tmp_path: Path, body: str, code: str, pointer: str,
                                              words: str) -> None:
    found = problems(tmp_path, body)
    assert [(c, p) for c, p, _ in found] == [(code, pointer)]
    assert words in found[0][2]


def test_a_yaml_config_takes_decimals(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("GD-M-DUP-PREV:\n  threshold: 0.5\n", encoding="utf-8")
    assert rules_config(str(path), gd.Registry.default()) == {"GD-M-DUP-PREV": {"threshold": 0.5}}
    assert problems(tmp_path, "GD-X-JUMP:\n  ratio: 1e9999\n", ".yaml")[0][1:] == (
        "/GD-X-JUMP/ratio", "应为 有限的数字，实际为 inf")


def test_the_same_checks_in_yaml_and_every_problem_at_once(tmp_path: Path) -> None:
    body = "GD-M-OUTLINE:\n  add: {foreign: 3}\n  min_items: -1\nGD-M-DUP-PREV:\n  threshold: .nan\n"
    assert [p for _, p, _ in problems(tmp_path, body, ".yaml")] == [
        "/GD-M-OUTLINE/add/foreign", "/GD-M-OUTLINE/min_items", "/GD-M-DUP-PREV/threshold"]


def test_well_shaped_values_of_empty_defaults_are_accepted_and_used(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[GD-X-SERIES]\nagencies = [["洪泽区人民政府", "淮安市洪泽区人民政府"]]\n'
                    '[GD-M-NOTICE-CITE]\nextra_notices = [{ issuer = "国办公开办函", year = 2019, number = 60, '
                    'first = 2019, last = 2020 }]\n[GD-M-FEES-T3]\n'
                    "amount_patterns = ['收取(\\d+)元']\n", encoding="utf-8")
    config = rules_config(str(path), gd.Registry.default())
    report = gd.load(EXAMPLE)
    gd.validate(report, config=config)  # every rule runs with them
    assert config["GD-X-SERIES"]["agencies"][0][1] == "淮安市洪泽区人民政府"


def test_what_the_readme_shows_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[GD-M-STALE-TOPIC]\nadd.terms = [{ term = "食药监局", from = 2019 }]\n'
                    "[GD-M-DUP-PREV]\nthreshold = 0.5\n", encoding="utf-8")
    assert rules_config(str(path), gd.Registry.default())["GD-M-DUP-PREV"] == {"threshold": 0.5}


def test_a_json_config_is_read_as_json(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text('{"GD-M-DUP-PREV": {"threshold": 0.5}}', encoding="utf-8")
    assert rules_config(str(path), gd.Registry.default()) == {"GD-M-DUP-PREV": {"threshold": 0.5}}
    assert problems(tmp_path, '{"GD-M-OUTLINE": {"min_items": 2.5}}', ".json")[0][:2] == (
        "GD-LOAD-TYPE", "/GD-M-OUTLINE/min_items")


def test_a_toml_syntax_error_is_said_in_chinese_at_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[GD-M-OUTLINE\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        rules_config(str(path), gd.Registry.default())
    [found] = caught.value.findings
    assert (found.code, found.line, found.column) == ("GD-LOAD-SYNTAX", 1, 14)
    assert "表头末尾缺少“]”" in found.message.zh and "Expected ']'" in found.message.en
    assert "line" not in found.message.zh


@pytest.mark.parametrize("body, line, column, byte", [
    (b"\xff[x]", 1, 1, 1),
    (b'[GD-M-OUTLINE]\nmin_items = "\xb8"\n', 2, 14, 29),
])
def test_bytes_that_are_not_utf8_are_counted_from_one(tmp_path: Path, body: bytes, line: int, column: int,
                                                      byte: int) -> None:
    path = tmp_path / "c.toml"
    path.write_bytes(body)
    with pytest.raises(LoadError) as caught:
        rules_config(str(path), gd.Registry.default())
    [found] = caught.value.findings
    assert (found.code, found.line, found.column) == ("GD-LOAD-BINARY", line, column)
    assert f"第 {byte} 字节" in found.message.zh


def test_a_report_that_is_not_utf8_says_line_column_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "nb.json"
    path.write_bytes(b'{\n  "title": "ab\xb8"}')
    with pytest.raises(LoadError) as caught:
        gd.load(str(path))
    [found] = caught.value.findings
    assert (found.line, found.column) == (2, 15) and "第 17 字节" in found.message.zh


def test_the_cli_refuses_the_file_before_running_a_rule(run: object, tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[GD-M-DUP-PREV]\nthreshold = nan\nparts = ["nope"]\n[GD-X-JUMP]\nratio = inf\n',
                      encoding="utf-8")
    result = run("validate", "--rules-config", str(config), EXAMPLE)  # type: ignore[operator]
    assert result.exit_code == 2
    for pointer in ("/GD-M-DUP-PREV/threshold", "/GD-M-DUP-PREV/parts/0", "/GD-X-JUMP/ratio"):
        assert pointer in result.output
    assert "plugin error" not in result.output


def test_yaml_in_a_toml_file_is_named(tmp_path: Path) -> None:
    [(code, _, words)] = problems(tmp_path, "GD-M-OUTLINE:\n  min_items: 3\n")
    assert code == "GD-LOAD-SYNTAX" and "请用 .yaml 扩展名" in words


def test_a_clerks_gbk_file_is_named_gbk(tmp_path: Path) -> None:
    """Notepad's "ANSI" on a Chinese Windows is GBK (review3, item 11)."""
    path = tmp_path / "report.yaml"
    path.write_bytes(gd.render(gd.new_report(2025), "yaml").encode("gbk"))
    with pytest.raises(LoadError) as caught:
        gd.load(str(path))
    assert "请另存为 UTF-8" in caught.value.findings[0].message.zh
    assert "GBK" not in problems(tmp_path, b'[GD-M-OUTLINE]\nmin_items = "\xb8"\n')[0][2]  # not Chinese: not said


def _plugin_rule(kinds: dict[str, str]) -> Any:
    from govdisclosure.plugins import hookimpl
    from govdisclosure.rules.types import Check

    seen: list[dict[str, Any]] = []

    def check(report: Any, ctx: Any) -> list[Any]:
        seen.append(dict(ctx.options))
        return []

    rule = Check(code="ZX-FEES-BIG", severity="info", description=Label("测试", "test"), message=Label("测试", "test"),
                 options={"drop_factor": 0.5, "mode": "other", "offset": 0, "words": ["a"]}, option_kinds=kinds,
                 check=check)

    class Plugin:
        @hookimpl
        def register_rules(self) -> list[Any]:
            return [rule]

    return gd.Registry.of(Plugin()), seen


def test_a_plugin_declares_what_its_options_take_and_add_works_for_every_rule(tmp_path: Path) -> None:
    """A plugin's legal values were refused by kinds guessed from its defaults, and add.<list> worked
    only for the rules that read it themselves (review3, item 8)."""
    body = '[ZX-FEES-BIG]\ndrop_factor = 1.5\nmode = "strict"\noffset = -2\nadd.words = ["x"]\n'
    path = tmp_path / "c.toml"
    path.write_text(body, encoding="utf-8")
    guessed, _ = _plugin_rule({})
    with pytest.raises(LoadError) as caught:
        rules_config(str(path), guessed)
    assert sorted(f.pointer for f in caught.value.findings) == [
        "/ZX-FEES-BIG/drop_factor", "/ZX-FEES-BIG/mode", "/ZX-FEES-BIG/offset"]
    declared, seen = _plugin_rule({"drop_factor": "number", "mode": "text", "offset": "whole"})
    config = rules_config(str(path), declared)
    gd.validate(gd.load(EXAMPLE), select=["ZX-"], config=config, registry=declared)
    assert seen[0]["words"] == ["a", "x"] and seen[0]["drop_factor"] == 1.5 and seen[0]["offset"] == -2
    path.write_text('[ZX-FEES-BIG]\noffset = 2.5\nadd.words = [3]\n', encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        rules_config(str(path), declared)
    assert sorted(f.pointer for f in caught.value.findings) == ["/ZX-FEES-BIG/add/words/0", "/ZX-FEES-BIG/offset"]


def test_an_option_kind_is_checked_when_the_rule_is_declared() -> None:
    from govdisclosure.errors import DeclarationError

    with pytest.raises(DeclarationError, match="not one of the rule's options"):
        _plugin_rule({"nope": "number"})
    with pytest.raises(DeclarationError, match="option kind 'float'"):
        _plugin_rule({"offset": "float"})


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-32-le"])
def test_files_saved_by_windows_tools_are_read(tmp_path: Path, encoding: str) -> None:
    """Notepad's "Unicode" is UTF-16 with a byte-order mark; other tools write it without one (review5 F4):
    a report, a rules config and a published text so saved are all read, by one decoder."""
    report = tmp_path / "report.yaml"
    report.write_bytes(gd.render(gd.new_report(2025), "yaml").encode(encoding))
    assert gd.load(str(report)).year == 2025
    config = tmp_path / "c.toml"
    config.write_bytes("[GD-M-DUP-PREV]\nthreshold = 0.5\n".encode(encoding))
    assert rules_config(str(config), gd.Registry.default()) == {"GD-M-DUP-PREV": {"threshold": 0.5}}
    published = (Path(__file__).parent.parent / "examples" / "published" / "013-pingtan-2024-zfxxgknb.txt")
    text = tmp_path / "013.txt"
    text.write_bytes(published.read_text(encoding="utf-8").encode(encoding))
    read, utf8 = gd.parse(text).report, gd.parse(published).report
    assert read.values() == utf8.values() and read.parts == utf8.parts and read.title == utf8.title


def test_a_cell_option_names_a_cell_of_the_formats_the_rule_runs_on(tmp_path: Path) -> None:
    """Review5 F8.6: a 2021-only rule's cell option took a 2019 pointer, and the rule died on every report."""
    from govdisclosure.plugins import hookimpl
    from govdisclosure.rules.types import Check

    rule = Check(code="ZX-CELL", severity="info", description=Label("测试", "test"), message=Label("测试", "test"),
                 formats={"2021"}, options={"cell": "/requests/received/total"}, option_kinds={"cell": "cell"},
                 check=lambda report, ctx: [])

    class Plugin:
        @hookimpl
        def register_rules(self) -> list[Any]:
            return [rule]

    registry = gd.Registry.of(Plugin())
    path = tmp_path / "c.toml"
    path.write_text('[ZX-CELL]\ncell = "/proactive/procurement/amount"\n', encoding="utf-8")  # 2019's only
    with pytest.raises(LoadError) as caught:
        rules_config(str(path), registry)
    assert caught.value.findings[0].pointer == "/ZX-CELL/cell"
    path.write_text('[ZX-CELL]\ncell = "/proactive/fees/amount"\n', encoding="utf-8")  # 2021's
    assert rules_config(str(path), registry) == {"ZX-CELL": {"cell": "/proactive/fees/amount"}}


def test_a_jump_from_or_to_zero_is_no_ratio_when_min_value_lets_zeros_through() -> None:
    """Review 14 #6: min_value = 0 (accepted) let a cell of 0 into GD-X-JUMP's ratio: ZeroDivisionError, the whole run
    aborted as a plugin error.  A zero has no ratio: the cell is passed over, the other rules run."""
    from .conftest import DATA

    here = DATA / "review14"
    config = rules_config(str(here / "c4-jump-min0.toml"), gd.Registry.default())
    now, previous = gd.load(here / "s1-now2023.json"), gd.load(here / "s1-prev2022.json")
    assert 0 in now.values() and 0 in previous.values()
    found = gd.validate(now, previous=previous, config=config)
    assert not [f for f in found if f.code == "GD-X-JUMP" and "0" in (str(f.params.get("value")), str(f.params.get(
        "previous")))]
    assert found  # the other rules ran


def test_ignore_drops_the_engines_unchecked_findings() -> None:
    """Review 14 #7: ``--ignore GD-UNCHECKED`` (a code ``govdisclosure rules`` lists) kept every GD-UNCHECKED: the
    engine says it for any balance that blanks leave open, and the ignore list was never asked."""
    from .conftest import DATA

    report = gd.load(DATA / "review14" / "s1-now2023.json")
    assert "GD-UNCHECKED" in [f.code for f in gd.validate(report)]
    for ignore in (["GD-UNCHECKED"], ["GD-UNCHECKED", "GD-T3"]):
        found = gd.validate(report, ignore=ignore)
        assert "GD-UNCHECKED" not in [f.code for f in found] and found
    assert "GD-UNCHECKED" in [f.code for f in gd.validate(report, select=["GD-T3"])]  # a selected rule's, still said
