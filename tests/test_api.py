"""The public API as a tool builder meets it: names, one registry passed, pickling, one exception base."""

from __future__ import annotations

import datetime
import enum
import functools
import json
import multiprocessing
import pickle
import pydoc
import re
import warnings
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure.errors import (
    DeclarationError,
    GovDisclosureError,
    LoadError,
    PluginError,
    RenderError,
    RuleDeclarationError,
    ScalarError,
    UnknownFormatError,
    problem,
)
from govdisclosure.formats import Label, Row, RowAddition, Variant
from govdisclosure.plugins import hookimpl
from govdisclosure.rules import Check
from govdisclosure.testing import use_plugins

from .conftest import DATA, EXAMPLES


class _Province:
    @hookimpl
    def register_variants(self):
        return [Variant(id="testprov", extends="2019", label=Label("测试省", "Test province"),
                        add_rows=(RowAddition("proactive", "normative_documents",
                                              (Row("testprov_other_documents", Label("其他主动公开文件", "Other")),)),))]


def test_parse_is_a_function_and_schema_a_function() -> None:
    result = gd.parse((DATA / "corpus" / "reports" / "013-pingtan-2024-zfxxgknb.txt").read_text(encoding="utf-8"))
    assert isinstance(result, gd.LoadResult) and result.report.year == 2024
    import govdisclosure.schemas  # noqa: F401 - importing the module must not hide the function

    assert callable(gd.schema) and gd.schema("2021")["$id"].endswith("report-2021")
    assert callable(gd.parse)


def test_official_reports_load_as_their_typed_classes() -> None:
    report = gd.load(EXAMPLES / "huaian-city-2024.json")
    assert isinstance(report, gd.Report2021) and not isinstance(report, gd.Report2019)
    assert report.requests.withheld.state_secret.natural_person == 2
    assert isinstance(gd.load(EXAMPLES / "pingtan-2020.json"), gd.Report2019)


def test_reports_findings_results_and_errors_pickle_to_equal_values() -> None:
    report = gd.load(EXAMPLES / "pingtan-2020.json")
    result = gd.read(DATA / "corpus" / "reports" / "009-pingtan-2020-zfxxgknb.txt")
    findings = gd.validate(result)
    assert findings and result.findings
    for value in (report, result, findings):
        assert pickle.loads(pickle.dumps(value)) == value
    errors = [
        LoadError([problem("GD-LOAD-TYPE", "/year", Label("整数", "an integer"), got="x")], "a.json"),
        PluginError("plugin 'x': boom"), DeclarationError("bad"), RuleDeclarationError("bad"),
        UnknownFormatError("no format 2031"), RenderError("no renderer"), ScalarError("bad"),
    ]
    for exc in errors:
        back = pickle.loads(pickle.dumps(exc))
        assert back == exc and str(back) == str(exc) and isinstance(back, GovDisclosureError)


def test_a_variant_report_pickles_by_its_spec() -> None:
    with use_plugins(_Province()) as reg:
        data = gd.to_data(gd.new_report(2020, format_version="2019", variant="testprov", registry=reg))
        data["proactive"]["testprov_other_documents"] = {"made": 3, "published": 2, "total_published": 9}
        report = gd.from_data(data, registry=reg)
        back = pickle.loads(pickle.dumps(report))
        assert back == report and back.proactive.testprov_other_documents.total_published == 9


def _load_in_worker(path: str) -> object:
    return gd.load(path)


def test_a_worker_raising_a_load_error_does_not_hang_the_pool(tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format_version": "2021", "year": "x"}', encoding="utf-8")
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        good = pool.apply_async(_load_in_worker, (str(EXAMPLES / "huaian-city-2024.json"),))
        failing = pool.apply_async(_load_in_worker, (str(bad),))
        assert good.get(timeout=120).year == 2024
        with pytest.raises(LoadError) as info:
            failing.get(timeout=120)
        assert info.value.file == str(bad) and info.value.findings


def test_every_exception_the_library_raises_is_one_type() -> None:
    reg = gd.Registry.core()
    with pytest.raises(GovDisclosureError):
        reg.format("2031")
    with pytest.raises(GovDisclosureError):
        reg.format("2019", "nowhere")
    with pytest.raises(GovDisclosureError):
        gd.render(gd.load(EXAMPLES / "pingtan-2020.json"), "no-such-format")
    with pytest.raises(GovDisclosureError):
        gd.loads("not a report at all", source="x.json")
    with pytest.raises(KeyError):  # and still what it was before, for old callers
        reg.format("2031")


def test_registry_is_passed_not_reached_for() -> None:
    with use_plugins(_Province()) as with_province:
        pass
    data = gd.to_data(gd.new_report(2020, format_version="2019", variant="testprov", registry=with_province))
    text = gd.dump(gd.from_data(data, registry=with_province))
    # outside the block the default registry has no such variant, the explicit one has
    with pytest.raises(LoadError):
        gd.loads(text, source="v.json", registry=gd.Registry.core())
    assert gd.loads(text, source="v.json", registry=with_province).variant == "testprov"
    for fmt in ("html", "markdown", "csv"):
        rendered = gd.render(gd.loads(text, registry=with_province), fmt, registry=with_province)
        assert gd.loads(rendered, source=f"v.{'md' if fmt == 'markdown' else fmt}",
                        registry=with_province).variant == "testprov"


def test_old_names_still_work_with_a_deprecation_warning() -> None:
    with pytest.warns(DeprecationWarning):
        registry = gd.get_registry()
    assert "2021" in registry.formats
    with pytest.warns(DeprecationWarning):
        from govdisclosure.schema import generate_schema
    assert generate_schema(registry.format("2021"))["$id"].endswith("2021")
    with pytest.warns(DeprecationWarning):
        assert gd.parse(EXAMPLES.parent / "examples" / "published" / "013-pingtan-2024-zfxxgknb.txt").doubts


def test_help_lists_the_public_names_with_a_line_each() -> None:
    text = pydoc.render_doc(gd, renderer=pydoc.plaintext)
    for name in gd.__all__:
        obj = getattr(gd, name)
        assert name in text
        if callable(obj):
            assert (obj.__doc__ or "").strip(), f"{name} has no docstring"


def test_no_deprecation_warning_from_the_library_itself() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        result = gd.read(DATA / "corpus" / "reports" / "012-pingtan-2022-zfxxgknb.txt")
        gd.validate(result)
        for fmt in ("html", "markdown", "csv", "json"):
            gd.render(result.report, fmt)


def test_the_api_reference_is_fresh() -> None:
    from govdisclosure.rules import engine

    from . import apidoc

    if engine.__file__.endswith((".so", ".pyd")):  # README: mypyc keeps no docstrings; api.md is made from the source
        pytest.skip("the compiled build's functions have no docstrings to compare: run under the pure build")

    committed = (EXAMPLES.parent / "docs" / "api.md").read_text(encoding="utf-8")
    assert apidoc.render() == committed, "regenerate: python tests/apidoc.py > docs/api.md"
    for name in gd.__all__:
        assert f"**`{name}" in committed


def test_a_findings_place_is_said_in_the_readers_language() -> None:
    make = functools.partial(gd.Finding.make, "GD-X", "info", gd.Label("a", "a"), pointer="/parts/overview")
    assert make().where("zh") == "/parts/overview"
    assert make(line=3, column=2).where("zh") == "第 3 行第 2 列" and make(line=3).where("en") == "line 3"
    assert make(page=2, line=4).where("en") == "page 2, line 4"
    assert make(page=2).where("zh") == "第 2 页" and make(page=2).where("en") == "page 2"  # a PDF page, no line


def test_a_problem_of_the_whole_input_names_no_place(tmp_path) -> None:
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    with pytest.raises(gd.LoadError) as info:
        gd.read(junk)
    line = info.value.lines("zh")[0]
    assert line.startswith(f"{junk}: 无法读取的 PDF（文件已损坏，或不是 PDF") and "/:" not in line
    assert "an unreadable PDF (damaged, or not a PDF" in info.value.lines("en")[0]


def test_a_cell_of_the_other_format_is_a_keyerror_that_names_the_format() -> None:
    report = gd.load(EXAMPLES / "pingtan-2020.json")
    with pytest.raises(KeyError, match="格式 2019 没有单元格 /proactive/fees/amount"):
        report.cell("/proactive/fees/amount")
    with pytest.raises(KeyError, match="no cell /nope in format 2019"):
        report.with_cells({"/nope": 1})


def test_findings_of_a_read_report_name_its_file() -> None:
    """The parser's findings carried file=path, the rules' file=None, in one list (review4, R-n3)."""
    path = str(EXAMPLES / "pingtan-2020.json")
    found = gd.validate(gd.read(path))
    assert found and all(f.file == path for f in found)
    assert all(f.file is None for f in gd.validate(gd.load(path)))  # a bare report has no file to name


def test_a_csv_wide_file_is_said_to_be_write_only(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(gd.render(gd.load(EXAMPLES / "pingtan-2020.json"), "csv-wide"), encoding="utf-8")
    with pytest.raises(gd.LoadError, match="csv-wide"):
        gd.load(str(path))


# -- canonical JSON written by orjson (the [fast] extra) is the standard library's text, byte for byte ----------

_json_leaves = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.floats()
                | st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=())))
_json_data = st.recursive(_json_leaves, lambda inner: st.lists(inner, max_size=4)
                          | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(_json_data)
def test_json_text_is_the_standard_librarys(data: object) -> None:
    """Including what orjson refuses (integers past 64 bits, lone surrogates) or writes otherwise (floats:
    NaN as null, 1e-07 as 1e-7): those fall back."""
    from govdisclosure.api import _json_text

    pytest.importorskip("orjson")
    assert _json_text(data) == json.dumps(data, ensure_ascii=False, indent=2)
    assert _json_text(data, indent=None) == json.dumps(data, ensure_ascii=False)


class _Colour(enum.Enum):
    RED = "红"


class _Rank(enum.IntEnum):
    ONE = 1


class _Name(str):
    pass


#: leaves a caller may put into a report's data that orjson writes and the standard library refuses, or writes
#: otherwise (a date, an enum, a tuple of floats), besides JSON's own
_odd_leaves = (st.dates() | st.sampled_from([_Colour.RED, _Rank.ONE, _Name("名"), Decimal("1.5"), (1e-07, "x"), ()]))


@settings(max_examples=300, deadline=None)
@given(st.recursive(_json_leaves | _odd_leaves, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=20))
def test_json_text_is_the_same_with_or_without_orjson(data: object) -> None:
    """What dump writes does not depend on the [fast] extra: data the standard library refuses (a date, an enum a
    caller put in a text field) is refused with orjson installed too, and what it writes otherwise (an IntEnum,
    a str subclass, a tuple holding a float) is written as it writes it."""
    from govdisclosure.api import _json_text

    pytest.importorskip("orjson")
    try:
        expected = json.dumps(data, ensure_ascii=False, indent=2)
    except (TypeError, ValueError):
        with pytest.raises(gd.RenderError):
            _json_text(data)
    else:
        assert _json_text(data) == expected


def test_dump_of_a_caller_s_date_or_enum_is_refused_with_or_without_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    """A date or an enum put in a text field was written by orjson ("2021-01-02", "红") and refused by the
    standard library: dump's text depended on the extra.  Refused by both now, naming the field."""
    from govdisclosure import api

    pytest.importorskip("orjson")
    report = gd.load(EXAMPLES / "huaian-city-2024.json")
    for odd in (datetime.date(2021, 1, 2), _Colour.RED):
        odd_report = attrs.evolve(report, title=odd)
        for orjson in (api._orjson, None):
            monkeypatch.setattr(api, "_orjson", orjson)
            with pytest.raises(gd.RenderError, match=r"^/title: 值 "):
                gd.dump(odd_report)
            with pytest.raises(gd.RenderError, match=r"^/title: 值 "):
                api._dump_utf8(odd_report)
        monkeypatch.undo()


@pytest.mark.parametrize("odd", [1.5, float("nan"), 1e16, True, Decimal("2.5"), -3, 10**20, None])
@pytest.mark.parametrize("pointer", ["/requests/total/total", "/proactive/fees/amount", "/proactive/rules/issued"])
def test_dump_of_a_report_with_an_odd_cell_is_its_datas_standard_json(pointer: str, odd: object) -> None:
    """dump reads the cells of counts straight when each is an int or a blank, and looks for floats outside the
    tables only then: a cell a caller set to a float, a bool, a Decimal or a huge int is written as the standard
    library writes to_data's data (NaN as NaN, not as null), or refused as it refuses it."""
    from govdisclosure.api import _dump_utf8
    from govdisclosure.model.convert import to_data

    report = gd.load(EXAMPLES / "huaian-city-2024.json")
    odd_report = report.with_cells({pointer: odd})  # type: ignore[dict-item]
    try:
        expected = json.dumps(to_data(odd_report), ensure_ascii=False, indent=2) + "\n"
    except TypeError:  # a Decimal in a cell of counts: the standard library refuses it; dump says where, in both
        for write in (gd.dump, _dump_utf8, lambda r: gd.render(r, "yaml")):
            with pytest.raises(gd.RenderError, match=f"^{re.escape(pointer)}: 值 Decimal.*/ the value Decimal"):
                write(odd_report)
    else:
        assert gd.dump(odd_report) == expected
        assert _dump_utf8(odd_report) == expected.encode("utf-8")  # what parse -o writes
    assert gd.dump(report) == json.dumps(to_data(report), ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("odd", [1.5, float("nan"), 1e16, True, [2.0, "x"], Decimal("2.5"), 10**20, "行", 7])
@pytest.mark.parametrize("field", ["line", "raw"])
def test_dump_of_a_report_with_odd_provenance_is_its_datas_standard_json(field: str, odd: object) -> None:
    """The provenance is not walked for floats when each value written is a text or an int: a caller's float,
    list or Decimal there is written as the standard library writes it (NaN as NaN, 1e16 as 1e+16), or refused."""
    from govdisclosure.api import _dump_utf8
    from govdisclosure.model import CellProvenance
    from govdisclosure.model.convert import to_data

    report = gd.parse(DATA / "corpus" / "reports" / "013-pingtan-2024-zfxxgknb.txt").report
    assert report.provenance
    pointer = next(iter(report.provenance))
    odd_report = attrs.evolve(report, provenance={**report.provenance, pointer: CellProvenance(**{field: odd})})
    try:
        expected = json.dumps(to_data(odd_report), ensure_ascii=False, indent=2) + "\n"
    except TypeError:
        key = pointer.replace("~", "~0").replace("/", "~1")  # a provenance key is a pointer: one step of a path
        with pytest.raises(gd.RenderError, match=f"^/provenance/{re.escape(key)}/{field}: .*Decimal"):
            _dump_utf8(odd_report)
    else:
        assert gd.dump(odd_report) == expected
        assert _dump_utf8(odd_report) == expected.encode("utf-8")


def test_dump_of_data_json_cannot_hold_says_where_and_what() -> None:
    """A value the standard library cannot write (put there by a caller: the model keeps what it is given) is a
    RenderError naming its JSON pointer, in both languages; a list that holds itself too, not a walk forever."""
    from govdisclosure.api import _json_text

    data: dict[str, object] = {"a/b": [1, {"k~": {"x": {1, 2}}}], "fine": "文本"}
    with pytest.raises(gd.RenderError, match=r"^/a~1b/1/k~0/x: 值 \{1, 2\}（set）不能写成 JSON.* / the value \{1, 2\}"):
        _json_text(data)
    loop: list[object] = [0]
    loop.append(loop)
    with pytest.raises(gd.RenderError, match=r"^/loop/1: 值包含其自身.* / the value holds itself"):
        _json_text({"loop": loop})
    with pytest.raises(gd.RenderError, match=r"^/tables: 值 \('t',\)（tuple）"):  # a key JSON cannot write
        _json_text({"tables": {("t",): 1}})
    huge = gd.load(EXAMPLES / "huaian-city-2024.json").with_cells({"/requests/received/natural_person": 10**5000})
    for write in (gd.dump, lambda r: gd.render(r, "yaml")):  # past Python's digits as text: the cell, not "/"
        with pytest.raises(gd.RenderError, match=r"^/requests/received/natural_person: 值 <an integer of about"):
            write(huge)


def test_dump_of_every_example_is_the_standard_librarys() -> None:
    from govdisclosure.api import _dump_utf8
    from govdisclosure.model.convert import to_data

    for path in sorted(EXAMPLES.glob("*.json")):
        report = gd.load(path)
        expected = json.dumps(to_data(report), ensure_ascii=False, indent=2) + "\n"
        assert gd.dump(report) == expected, path
        assert _dump_utf8(report) == expected.encode("utf-8"), path  # what parse -o writes


def test_validate_checks_its_config_as_the_command_line_does() -> None:
    """An unknown rule or option, or a value of the wrong kind, was ignored or raised inside a core rule
    (PluginError: rule GD-M-OLD-OUTLINE failed: TypeError); --rules-config refused each, located."""
    report = gd.load(EXAMPLES / "pingtan-2020.json")
    for config, where in (({"NOPE-X": {"a": 1}}, "/NOPE-X"), ({"GD-M-OLD-OUTLINE": {"nope": 1}}, "/GD-M-OLD-OUTLINE/nope"),
                          ({"GD-M-OLD-OUTLINE": {"min_markers": "abc"}}, "/GD-M-OLD-OUTLINE/min_markers")):
        with pytest.raises(gd.LoadError) as raised:
            gd.validate(report, config=config)
        assert [f.pointer for f in raised.value.findings] == [where]
        with pytest.raises(gd.LoadError) as raised:
            gd.validate_batch([report], config=config)
        assert [f.pointer for f in raised.value.findings] == [where]
    default = gd.Registry.core().rules["GD-M-OLD-OUTLINE"].options
    assert gd.validate(report, config={"GD-M-OLD-OUTLINE": dict(default)}) == gd.validate(report)


def test_a_select_that_names_no_rule_is_refused(run) -> None:
    """A mistyped --select (GD-T3-RESULT-SUM for GD-T3-RESULTS-SUM) selected nothing: '0 errors', exit 0, on a
    report with two."""
    report = gd.load(EXAMPLES / "pingtan-2020.json")
    for select in (["GD-T3-RESULT-SUM"], ["GD-T3-", "NOPE-"], "GD-T3-RESULT-SUM"):
        with pytest.raises(gd.UnknownRuleError, match=r"没有代码为或以 .* / no installed rule's code is or starts with"):
            gd.validate(report, select=select)
        with pytest.raises(KeyError):
            gd.validate_batch([report], select=select)
    assert len(gd.validate(report, select=["GD-T3"])) == len(gd.validate(report, select=["GD-T3-"])) > 0
    result = run("validate", str(EXAMPLES / "pingtan-2020.json"), "--select", "GD-T3-RESULT-SUM")
    assert result.exit_code == 2 and "did you mean GD-T3-RESULTS-SUM?" in result.output
    assert "Traceback" not in result.output


def test_a_selection_is_checked_against_each_registry_every_time() -> None:
    """Which codes of a --select name no rule is worked out once per list and registry (it was ~300 K instructions
    a validate): asked again it refuses again, and a registry with another plugin's rule answers for its own."""

    class _Plugin:
        @hookimpl
        def register_rules(self) -> list[Check]:
            return [Check(code="X-SELECTED", severity="info", check=lambda report, ctx: (),
                             description=Label("测试", "test"), message=Label("测试", "test"))]

    report = gd.load(EXAMPLES / "pingtan-2020.json")
    for _ in range(2):
        with pytest.raises(gd.UnknownRuleError, match="X-SELECTED"):
            gd.validate(report, select=["X-SELECTED"])
    with use_plugins(_Plugin()) as registry:
        assert gd.validate(report, select=["X-SELECTED"]) == []
        assert registry._unknown_codes(("X-SELECTED", "X-", "GD-T3", "NOPE")) == ("NOPE",)
    assert gd.Registry.core()._unknown_codes(("X-SELECTED", "GD-T3")) == ("X-SELECTED",)


def test_a_selection_follows_a_registrys_rules_as_they_change() -> None:
    """The selection's unknown codes are worked out again when a caller changes the registry's rules (review 16 #1):
    a rule taken away is refused, one added under a new code accepted."""
    report = gd.load(EXAMPLES / "pingtan-2020.json")
    registry = gd.Registry.of()
    assert gd.validate(report, select=["GD-T3-RESULTS-SUM"], registry=registry)
    rule = registry.rules.pop("GD-T3-RESULTS-SUM")
    with pytest.raises(gd.UnknownRuleError, match="GD-T3-RESULTS-SUM"):
        gd.validate(report, select=["GD-T3-RESULTS-SUM"], registry=registry)
    with pytest.raises(gd.UnknownRuleError, match="GD-X-NEW"):
        gd.validate(report, select=["GD-X-NEW"], registry=registry)
    registry.rules["GD-X-NEW"] = attrs.evolve(rule, code="GD-X-NEW")
    assert gd.validate(report, select=["GD-X-NEW"], registry=registry)


def test_validate_takes_options_as_code_writes_them() -> None:
    """A tuple word list, a Decimal threshold and a read-only mapping ran before the options were checked; they are
    read as the file readers read them (a list, a float, a dict). A float for a whole number is refused, as in a
    file."""
    from decimal import Decimal
    from types import MappingProxyType

    report = gd.load(EXAMPLES / "pingtan-2020.json")
    rules = gd.Registry.core().rules
    words = next(code for code, rule in rules.items() if any(isinstance(v, list) for v in rule.options.values()))
    key = next(k for k, v in rules[words].options.items() if isinstance(v, list))
    as_list = gd.validate(report, config={words: {key: list(rules[words].options[key])}})
    assert gd.validate(report, config={words: {key: tuple(rules[words].options[key])}}) == as_list
    assert gd.validate(report, config=MappingProxyType({words: MappingProxyType({key: ["x"]})})) == \
        gd.validate(report, config={words: {key: ["x"]}})
    share = next((code, k) for code, rule in rules.items() for k, v in rule.options.items()
                 if isinstance(v, float) and 0 < v < 1)
    assert gd.validate(report, config={share[0]: {share[1]: Decimal("0.5")}}) == \
        gd.validate(report, config={share[0]: {share[1]: 0.5}})
    whole = next((code, k) for code, rule in rules.items() for k, v in rule.options.items()
                 if isinstance(v, int) and not isinstance(v, bool))
    with pytest.raises(gd.LoadError, match="whole number"):
        gd.validate(report, config={whole[0]: {whole[1]: 500.0}})


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from("ab.é /\\:~"), max_size=12))
def test_an_inputs_suffix_is_paths(name: str) -> None:
    """The loader an input's suffix names is found without making a Path for each input of a batch: the same
    suffix as Path's, for any name (trailing dots and separators, hidden files, "..")."""
    from govdisclosure.io.source import suffix

    assert suffix(name) == Path(name).suffix
