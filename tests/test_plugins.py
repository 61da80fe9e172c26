"""The plugin surface: hooks documented and tested, a third-party plugin installed and used."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import attrs
import pytest

import govdisclosure as gd
from govdisclosure.errors import PluginError
from govdisclosure.formats import Label, Row, RowAddition, Variant
from govdisclosure.io import Loader, Renderer
from govdisclosure.plugins import hookimpl
from govdisclosure.registry import HOOKS, Registry
from govdisclosure.rules import Check, Equation, Leaves, Severity
from govdisclosure.testing import use_plugins

from .conftest import EXAMPLES, ROOT

TINY = textwrap.dedent('''
    """A third party's plugin: a province's extra table-2 row and a rule about it."""
    from govdisclosure.formats import Label, Row, RowAddition, Variant
    from govdisclosure.plugins import hookimpl
    from govdisclosure.rules import Check, Severity

    VARIANT = Variant(
        id="testprov", extends="2019", label=Label("测试省", "Test province"),
        add_rows=(RowAddition("proactive", after="normative_documents",
                              rows=(Row("testprov_other_documents", Label("其他主动公开文件", "Other documents")),)),),
    )

    def _check(report, ctx):
        value = report.proactive.testprov_other_documents.made
        if value is not None and value > 10:
            yield ctx.finding(pointer="/proactive/testprov_other_documents/made", value=value)

    @hookimpl
    def register_variants():
        return [VARIANT]

    @hookimpl
    def register_rules():
        return [Check(code="TINY-OTHER-DOCS", severity=Severity.WARNING, variants={"testprov"}, check=_check,
                      description=Label("其他主动公开文件过多", "Too many other documents"),
                      message=Label("其他主动公开文件 {value} 件", "{value} other documents"))]
''')


@pytest.fixture
def tiny_plugin_dir(tmp_path: Path) -> Path:
    """A plugin 'installed' the way pip leaves one: a module plus a dist-info with its entry point."""
    (tmp_path / "gd_tiny_plugin.py").write_text(TINY, encoding="utf-8")
    info = tmp_path / "gd_tiny_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: gd-tiny-plugin\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[govdisclosure]\ntiny = gd_tiny_plugin\n", encoding="utf-8")
    return tmp_path


def _variant_report(made: int) -> dict:
    data = json.loads((EXAMPLES / "pingtan-2020.json").read_text(encoding="utf-8"))
    data["variant"] = "testprov"
    proactive = {}
    for key, value in data["proactive"].items():
        proactive[key] = value
        if key == "normative_documents":
            proactive["testprov_other_documents"] = {"made": made, "published": made, "total_published": made}
    data["proactive"] = proactive
    return data


def _cli(args: list[str], plugin_dir: Path | None = None, stdin: str | None = None,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = dict(os.environ)
    full_env.pop("GOVDISCLOSURE_BLOCK_PLUGINS", None)
    full_env.pop("GOVDISCLOSURE_PLUGINS", None)  # this test is about what is installed
    if plugin_dir is not None:
        full_env["PYTHONPATH"] = os.pathsep.join([str(plugin_dir), full_env.get("PYTHONPATH", "")])
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "govdisclosure", *args], capture_output=True, text=True,
                          input=stdin, env=full_env, cwd=ROOT, timeout=120)


def test_installed_plugin_is_listed_and_used(tiny_plugin_dir: Path, tmp_path: Path) -> None:
    listed = _cli(["plugins", "--output", "json"], tiny_plugin_dir)
    assert listed.returncode == 0, listed.stderr
    plugins = {p["name"]: p for p in json.loads(listed.stdout)}
    assert plugins["tiny"]["distribution"] == "gd-tiny-plugin"
    assert plugins["tiny"]["provides"] == {"variants": ["testprov"], "rules": ["TINY-OTHER-DOCS"]}
    assert plugins["core-formats"]["provides"] == {"formats": ["2019", "2021"], "variants": ["single-other-row"]}

    report = tmp_path / "variant.json"
    report.write_text(json.dumps(_variant_report(12), ensure_ascii=False), encoding="utf-8")
    run = _cli(["validate", "--output", "json", str(report)], tiny_plugin_dir)
    codes = {(f["code"], f["pointer"]) for f in json.loads(run.stdout)}
    assert ("TINY-OTHER-DOCS", "/proactive/testprov_other_documents/made") in codes
    assert ("GD-T3-RESULTS-SUM", "/requests/total/total") in codes  # core rules still run

    schema = _cli(["schema", "--format-version", "2019", "--variant", "testprov"], tiny_plugin_dir)
    assert "testprov_other_documents" in json.loads(schema.stdout)["properties"]["proactive"]["properties"]

    without = _cli(["validate", str(report)], None)
    assert without.returncode == 2 and "/variant" in without.stderr and "Traceback" not in without.stderr

    blocked = _cli(["plugins", "--output", "json"], tiny_plugin_dir, env={"GOVDISCLOSURE_BLOCK_PLUGINS": "tiny"})
    assert "tiny" not in {p["name"] for p in json.loads(blocked.stdout)}


def _dist(folder: Path, dist: str, entry_points: str, module: str | None = None) -> None:
    """A distribution 'installed' in ``folder`` as pip leaves one (its entry points; ``module`` its code)."""
    info = folder / f"{dist.replace('-', '_')}-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[govdisclosure]\n{entry_points}\n", encoding="utf-8")
    if module is not None:
        (folder / f"{module}.py").write_text(TINY, encoding="utf-8")


def test_two_plugins_of_one_name_are_refused_not_one_dropped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    """Two distributions declaring the same entry-point name: one of them was silently left out (its rules,
    loaders, variant gone); a third party's plugin named as one of core's replaced core's (17 rules gone)."""
    _dist(tmp_path / "a", "gd-one", "tiny = gd_one", "gd_one")
    _dist(tmp_path / "b", "gd-two", "tiny = gd_two", "gd_two")
    monkeypatch.syspath_prepend(str(tmp_path / "a"))
    monkeypatch.syspath_prepend(str(tmp_path / "b"))
    with pytest.raises(PluginError, match=r"两个插件同名 'tiny'.* / two plugins are named 'tiny' .*gd-one"):
        Registry.of(entry_points=True)
    # blocked by name, neither is loaded and nothing clashes
    assert "tiny" not in {p.name for p in Registry.of(entry_points=True, block=("tiny",)).plugins()}


def test_a_plugin_named_as_one_of_cores_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _dist(tmp_path, "gd-impostor", "core-checks = gd_impostor", "gd_impostor")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(PluginError, match=r"'core-checks' 属于核心.* / the plugin name 'core-checks' is core's"):
        Registry.of(entry_points=True)


@pytest.mark.parametrize("label", [Label("", "Test"), Label("测试", " "), "测试"])
def test_a_variant_or_its_rows_without_both_languages_is_refused(label: object) -> None:
    base = Variant(id="halfway", extends="2019", label=Label("测试省", "Test province"))
    row = Row("halfway_docs", Label("其他文件", "Other documents"))
    for variant in (attrs.evolve(base, label=label),
                    attrs.evolve(base, add_rows=(RowAddition("proactive", after="normative_documents",
                                                             rows=(attrs.evolve(row, label=label),)),))):
        class Halfway:
            @hookimpl
            def register_variants(self, variant: Variant = variant) -> list[Variant]:
                return [variant]

        with pytest.raises(PluginError, match=r"插件 .* 的地方变体 'halfway'：字段 .* / plugin .*: variant 'halfway'"), \
                use_plugins(Halfway()):
            pass


def test_builtins_come_through_the_entry_point() -> None:
    from importlib import metadata
    eps = {ep.name: ep.value for ep in metadata.entry_points(group="govdisclosure")}
    assert eps["core-formats"] == "govdisclosure.formats.official"
    plugins = {p.name: p for p in Registry.of(entry_points=True).plugins()}
    assert {"core-formats", "core-relations", "core-checks", "core-json"} <= plugins.keys()
    assert plugins["core-formats"].distribution == "govdisclosure"


def test_a_blocked_plugins_distribution_is_asked_no_more_than_its_name(tmp_path: Path) -> None:
    """Blocking a plugin is the way around a broken one: its distribution's Version is never read (the metadata cache
    read it with the Name, and the importlib_metadata backport, once imported, raises for a field that is missing:
    review 17 #1)."""
    pytest.importorskip("importlib_metadata")
    info = tmp_path / "govdisclosure_fake-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: govdisclosure_fake\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[govdisclosure]\nfake = fakeplug\n", encoding="utf-8")
    (tmp_path / "fakeplug.py").write_text("", encoding="utf-8")
    code = ("import importlib_metadata, govdisclosure as gd; "
            "print(sorted(p.name for p in gd.Registry.of(entry_points=True).plugins() if p.name == 'fake'))")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path]), "GOVDISCLOSURE_BLOCK_PLUGINS": "fake"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, "[]"), done.stderr[-2000:]


def test_a_distributions_metadata_is_read_once_a_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each read of ``Distribution.metadata`` parses its whole METADATA file (core's README with it): three reads
    an entry point were ~40 parses, a quarter of a command's start (2026-12-02)."""
    from importlib import metadata

    reads: list[object] = []

    def counting(real: property) -> property:
        def counted(dist: metadata.Distribution) -> object:
            reads.append(dist)
            return real.fget(dist)  # type: ignore[misc]
        return property(counted)

    # the classes the scan's distributions are of: importlib.metadata's, or the importlib_metadata backport's where
    # a package imported it (its finder then answers the standard library's discovery: seen in the full suite)
    for cls in {type(ep.dist) for ep in metadata.entry_points(group="govdisclosure")}:
        monkeypatch.setattr(cls, "metadata", counting(cls.metadata))  # type: ignore[arg-type]
    # the cache of the module Registry's code reads (another test may have imported the package anew)
    monkeypatch.setitem(Registry._collect.__globals__, "_METADATA", {})
    plugins = {p.name: p for p in Registry.of(entry_points=True).plugins()}
    dists = {p.distribution for p in plugins.values() if p.distribution is not None}
    assert "govdisclosure" in dists and plugins["core-formats"].version
    assert 0 < len(reads) <= len(dists), (len(reads), dists)


# ----------------------------------------------------------------------------- one test per hook


class _Tiny:
    """The tiny plugin as an object, for in-process tests."""

    @hookimpl
    def register_variants(self):
        return [Variant(id="testprov", extends="2019", label=Label("测试省", "Test province"),
                        add_rows=(RowAddition("proactive", "normative_documents",
                                              (Row("testprov_other_documents", Label("其他主动公开文件", "Other")),)),))]


def test_hook_register_formats() -> None:
    from govdisclosure.formats.official import FORMAT_2019, FORMAT_2021

    future = attrs.evolve(FORMAT_2021, version="2031", notice="（假想的新格式）", first_year=2031)
    past = attrs.evolve(FORMAT_2021, last_year=2030)

    class Future:
        @hookimpl
        def register_formats(self):
            return [future]

    class Core:  # core's formats with 2021's years closed, as a revision would
        @hookimpl
        def register_formats(self):
            return [FORMAT_2019, past]

    with pytest.raises(PluginError, match=r"两个插件注册了同一格式 '2021'.* / format '2021' is registered by two plugins"):
        class Clash:
            @hookimpl
            def register_formats(self):
                return [FORMAT_2021]
        with use_plugins(Clash()):
            pass
    with use_plugins(Future(), Core(), block=("core-formats",)) as reg:
        assert reg.format_for_year(2031).version == "2031"
        report = gd.new_report(2031)
        assert report.format_version == "2031" and gd.loads(gd.dump(report)) == report


def test_hook_register_variants() -> None:
    with use_plugins(_Tiny()) as reg:
        spec = reg.format("2019", "testprov")
        assert [p for p, _, _ in spec.rows("proactive")][:3] == [("rules",), ("normative_documents",),
                                                                  ("testprov_other_documents",)]
        report = gd.from_data(_variant_report(3))
        assert report.variant == "testprov" and report.proactive.testprov_other_documents.made == 3
        assert gd.loads(gd.dump(report)) == report
        assert "testprov_other_documents" in gd.schema("2019", "testprov")["properties"]["proactive"]["required"]


def test_hook_register_rules() -> None:
    seen = []

    def check(report, ctx):
        seen.append(report.year)
        yield ctx.finding(pointer="/year", year=report.year)

    class Rules:
        @hookimpl
        def register_rules(self):
            return [Check(code="X-YEAR", severity=Severity.INFO, check=check, formats={"2021"},
                          description=Label("年度", "year"), message=Label("{year} 年", "year {year}"))]

    with use_plugins(Rules()):
        findings = gd.validate(gd.load(EXAMPLES / "huaian-city-2024.json"))
        assert [(f.code, f.text("en")) for f in findings if f.code == "X-YEAR"] == [("X-YEAR", "year 2024")]
        gd.validate(gd.load(EXAMPLES / "pingtan-2020.json"))  # gated to 2021: not called
        assert seen == [2024]


def test_hook_register_loaders() -> None:
    def load_kv(text, source, registry):
        data = json.loads((EXAMPLES / "huaian-city-2024.json").read_text(encoding="utf-8"))
        for line in text.splitlines():
            key, value = line.split("=")
            data["requests"]["received"][key] = int(value)
        return data

    class KV:
        @hookimpl
        def register_loaders(self):
            return [Loader("kv", Label("键值", "key=value"), (".kv",), load_kv)]

    with use_plugins(KV()):
        report = gd.loads("natural_person=1", source="r.kv")
        assert report.requests.received.natural_person == 1


def test_a_loader_of_the_old_two_argument_form_still_works() -> None:
    def load_old(text, source):
        return json.loads((EXAMPLES / "huaian-city-2024.json").read_text(encoding="utf-8"))

    class Old:
        @hookimpl
        def register_loaders(self):
            return [Loader("old", Label("旧式", "old style"), (".old",), load_old)]

    with pytest.warns(DeprecationWarning, match="registry"), use_plugins(Old()) as reg:
        assert gd.loads("x", source="r.old", registry=reg).year == 2024


def test_hook_register_renderers() -> None:
    class Count:
        @hookimpl
        def register_renderers(self):
            return [Renderer("count", Label("计数", "count"), ".txt", "text/plain",
                             lambda report, **_: str(report.requests.received.total))]

    with use_plugins(Count()):
        assert gd.render(gd.load(EXAMPLES / "huaian-city-2024.json"), "count") == "3119"
        assert json.loads(gd.render(gd.load(EXAMPLES / "huaian-city-2024.json"), "json"))["year"] == 2024


def test_every_hook_has_a_test() -> None:
    names = set(globals())
    assert {f"test_hook_{h}" for h in HOOKS} <= names
    assert set(HOOKS) == {name for name in dir(Registry.core().pm.hook) if not name.startswith("_")}


def test_every_hook_is_documented_with_its_signature() -> None:
    doc = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    pm = Registry.core().pm
    for name in HOOKS:
        args = ", ".join(getattr(pm.hook, name).spec.argnames)
        assert re.search(rf"^### `{name}\({re.escape(args)}\)`", doc, re.M), name


def test_a_broken_plugin_is_named_not_swallowed() -> None:
    class Broken:
        @hookimpl
        def register_rules(self):
            raise RuntimeError("boom")

    with pytest.raises(PluginError, match="boom"), use_plugins(Broken()):
        pass


@pytest.mark.parametrize("scope", ["report", "series"])
@pytest.mark.parametrize("junk", [None, "x", {"code": "X"}])
def test_a_check_that_yields_no_finding_is_named(scope: str, junk: object) -> None:
    """A check that yielded None passed unseen (the API returned [None]; the CLI said 'internal error:
    AttributeError'); any value that is not a finding names the rule, in both languages."""
    def check(*args: object) -> object:
        yield junk

    class Junk:
        @hookimpl
        def register_rules(self):
            return [Check(code="JUNK-YIELD", severity=Severity.WARNING, scope=scope, check=check,
                          description=Label("坏规则", "A bad rule"), message=Label("坏", "bad"))]

    report = gd.load(EXAMPLES / "huaian-city-2024.json")
    previous = attrs.evolve(report, year=2023)
    with use_plugins(Junk()) as reg, pytest.raises(
            PluginError, match=r"规则 JUNK-YIELD 的检查给出了 .*，应为 Finding.* / rule JUNK-YIELD: its check yielded"):
        gd.validate(report, previous if scope == "series" else None, select=["JUNK-"], registry=reg)


@pytest.mark.parametrize(("change", "named"), [
    ({"left": ("total", "carried_forward"), "right": ("recieved", "carried_over")}, "row 'recieved'"),
    ({"table": "reqeusts"}, "table 'reqeusts'"),
    ({"along": ("natural_person", "nobody")}, "column 'nobody' (along)"),
    ({"right": (Leaves("withheld", exclude=("state_secrets",)),), "left": ("granted",)}, "row 'state_secrets'"),
    ({"right": (Leaves("witheld"),), "left": ("granted",)}, "group 'witheld'"),
])
def test_an_equation_naming_what_its_formats_lack_is_refused(change: dict[str, object], named: str) -> None:
    """A misspelt row left an equation with no instance: listed by `rules`, never run, validate clean."""
    good = Equation(code="TYPO-BALANCE", severity=Severity.ERROR, table="requests", over="columns",
                    left=("total", "carried_forward"), right=("received", "carried_over"),
                    description=Label("平衡", "balance"), message=Label("不平衡", "unbalanced"))

    class Typo:
        def __init__(self, rule: Equation) -> None:
            self.rule = rule

        @hookimpl
        def register_rules(self):
            return [self.rule]

    with use_plugins(Typo(good)) as reg:  # as written, it is accepted and runs
        assert "TYPO-BALANCE" in reg.rules
    with pytest.raises(PluginError, match=rf"规则 TYPO-BALANCE 写了格式中没有的名称：.* / plugin .*: rule "
                                          rf"TYPO-BALANCE names what its formats do not have: {re.escape(named)}"), \
            use_plugins(Typo(attrs.evolve(good, **change))):
        pass


def test_a_loader_that_raises_is_named_with_its_plugin_and_file(tmp_path: Path) -> None:
    """A loader's bug escaped as a bare KeyError (not a GovDisclosureError; the CLI said 'internal error')."""
    def load_broken(text: str, source: str, registry: object) -> object:
        raise KeyError("loader boom")

    class Broken:
        @hookimpl
        def register_loaders(self):
            return [Loader("brk", Label("坏读取器", "broken loader"), (".brk",), load_broken)]

    path = tmp_path / "r.brk"
    path.write_text("x", encoding="utf-8")
    with use_plugins(Broken()) as reg:
        for call in (lambda: gd.load(path, registry=reg), lambda: gd.loads("x", source="r.brk", registry=reg),
                     lambda: gd.parse(path, registry=reg)):
            with pytest.raises(PluginError, match=r"插件 'Broken' 的读取器 'brk' 读取 .*r\.brk 时出错 / plugin "
                                                  r"'Broken': loader 'brk' failed on .*r\.brk: KeyError: 'loader boom'"):
                call()
