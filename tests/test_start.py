"""The command line's start: what a command that does not need a module leaves unimported, and the lazily
built pipeline equal to the stages named one by one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import govdisclosure as gd
from govdisclosure import ingest

DATA = Path(__file__).parent / "data"

#: modules a start that validates canonical JSON never needs: the parser's stages (their patterns are most of
#: the start's regular expressions), PyYAML, the HTML parser with html's entities, the entry-point scan's
#: importlib.metadata (core's plugins only: GOVDISCLOSURE_PLUGINS=core)
NOT_FOR_JSON = ("govdisclosure.ingest.decode", "govdisclosure.ingest.normalise", "govdisclosure.ingest.regions",
                "govdisclosure.ingest.narrative", "govdisclosure.ingest.metadata", "govdisclosure.ingest.tokens",
                "govdisclosure.ingest.rows", "govdisclosure.ingest.solve", "govdisclosure.ingest.solver",
                "govdisclosure.ingest.assemble", "govdisclosure.ingest.html", "yaml", "html", "html.parser",
                "importlib.metadata")


def _imported_after(code: str) -> set[str]:
    """The modules a fresh interpreter has imported after ``code`` (core's plugins only)."""
    env = {**os.environ, "GOVDISCLOSURE_PLUGINS": "core"}
    out = subprocess.run([sys.executable, "-c", f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, env=env, check=True).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_validating_canonical_json_imports_no_parser_yaml_html_or_metadata(tmp_path: Path) -> None:
    report = gd.parse(DATA / "corpus" / "reports" / "013-pingtan-2024-zfxxgknb.txt").report
    path = tmp_path / "report.json"
    path.write_text(gd.dump(report), encoding="utf-8")
    modules = _imported_after(f"import govdisclosure as gd\nlist(gd.validate(gd.load({str(path)!r})))")
    assert "govdisclosure.rules.checks" in modules  # the rules did run
    assert not modules & set(NOT_FOR_JSON), sorted(modules & set(NOT_FOR_JSON))


def test_parsing_a_text_imports_the_stages_and_still_no_yaml_or_html_parser() -> None:
    name = DATA / "corpus" / "reports" / "013-pingtan-2024-zfxxgknb.txt"
    modules = _imported_after(f"import govdisclosure as gd\ngd.parse({str(name)!r})")
    assert {m for m in NOT_FOR_JSON if m.startswith("govdisclosure.ingest.") and m != "govdisclosure.ingest.html"
            } <= modules
    assert not modules & {"yaml", "html", "html.parser", "govdisclosure.ingest.html"}


def test_bytes_decoded_by_the_charset_module() -> None:
    from govdisclosure.ingest import charset

    report = (DATA / "corpus" / "reports" / "013-pingtan-2024-zfxxgknb.txt").read_text(encoding="utf-8")
    for text, data in ((report, report.encode("gb18030")), ("年度报告", "年度报告".encode("utf-16")),
                       ('<meta charset="gbk">年度报告', '<meta charset="gbk">年度报告'.encode("gbk")),
                       ("年度", "\ufeff年度".encode())):
        assert charset.decode_bytes(data, "<t>") == text


def test_the_lazy_pipeline_is_the_stages_in_order() -> None:
    from govdisclosure.ingest import assemble, decode, metadata, narrative, normalise, regions, rows, solve, tokens

    eager = (("decode", decode.decode), ("normalise", normalise.normalise), ("regions", regions.regions),
             ("narrative", narrative.narrative), ("metadata", metadata.metadata), ("tokens", tokens.tokens),
             ("rows", rows.rows), ("solve", solve.solve), ("model", assemble.assemble))
    assert eager == ingest.PIPELINE
    assert eager[:5] == ingest.ENVELOPE_STAGES
    assert ingest.PIPELINE is ingest.PIPELINE  # built once
    from govdisclosure.ingest import PIPELINE

    assert eager == PIPELINE


def test_the_stages_modules_are_attributes_of_the_package() -> None:
    assert ingest.rows is sys.modules["govdisclosure.ingest.rows"]
    assert ingest.tokens.not_a_report is sys.modules["govdisclosure.ingest.tokens"].not_a_report
    with pytest.raises(AttributeError, match="no_such_stage"):
        ingest.no_such_stage  # noqa: B018


def test_yaml_read_and_written_after_its_lazy_import() -> None:
    from govdisclosure.io.jsonio import dump_yaml, read_yaml

    data = {"a": "010", "b": 10, "c": "两行\n文字", "d": None, "e": "true"}
    text = dump_yaml(data)
    assert read_yaml(text, "<t>") == data
    assert text == dump_yaml(data)  # the writer made once gives the same text


def test_a_registry_imports_the_audits_rules_but_not_its_run_store_or_sqlite() -> None:
    """Every registry has the core-audit plugin (the audit's rules): the package it is in imports the run, the
    store, the pool and SQLite only when one of their names is asked for."""
    imported = _imported_after("from govdisclosure.registry import Registry\nRegistry.default()")
    assert "govdisclosure.audit.rules" in imported
    assert not imported & {"govdisclosure.audit.run", "govdisclosure.audit.store", "govdisclosure.audit.pool",
                           "govdisclosure.audit.agencies", "sqlite3"}


def test_the_audits_names_are_what_they_were_however_they_are_reached() -> None:
    """Each name of govdisclosure.audit is its module's object, also after the modules were imported another way
    (an import of the module ``examine`` binds the package's name ``examine``: the function must win)."""
    code = ("import govdisclosure.audit.run, govdisclosure.audit.examine, govdisclosure.audit.store\n"
            "import govdisclosure.audit as a\n"
            "print(json.dumps([[n, type(getattr(a, n)).__name__, getattr(a, n).__module__] for n in a.__all__]))")
    env = {**os.environ, "GOVDISCLOSURE_PLUGINS": "core"}
    for first in ("", "import govdisclosure.audit.examine\n"):
        out = subprocess.run([sys.executable, "-c", f"import json\n{first}{code}"], capture_output=True, text=True,
                             env=env, check=True).stdout
        names = {n: (kind, module) for n, kind, module in json.loads(out.splitlines()[-1])}
        assert names["examine"] == ("function", "govdisclosure.audit.examine")
        assert names["audit"] == ("function", "govdisclosure.audit.run")
        assert names["Store"] == ("type", "govdisclosure.audit.store")
        assert names["AgencyMap"][1] == "govdisclosure.audit.agencies"
    with pytest.raises(AttributeError):
        import govdisclosure.audit as audit_package

        audit_package.nothing_of_that_name  # noqa: B018


#: modules a parse never needs, that its start imported before: the document rules' checks (their patterns and
#: classes; the rules are registered without them), the sentence tools (the HTML renderer's and those rules'),
#: the model's code generator (a variant's classes only), a batch's process pool (one input's parse), the
#: writers' table layout and the csv module (the HTML, Markdown and CSV plugins' writing and reading only)
NOT_FOR_ONE_PARSE = ("govdisclosure.rules.document.narrative", "govdisclosure.rules.document.content",
                     "govdisclosure.rules.document.outline", "govdisclosure.rules.document.copying",
                     "govdisclosure.rules.document.tables", "govdisclosure.text", "govdisclosure.text.sentences",
                     "govdisclosure.model.codegen", "textwrap", "concurrent.futures", "multiprocessing",
                     "govdisclosure.io.layout", "csv")


def test_one_parse_imports_no_document_check_sentence_tool_codegen_or_pool(tmp_path: Path) -> None:
    name = DATA / "corpus" / "reports" / "013-pingtan-2024-zfxxgknb.txt"
    code = ("import sys\nimport govdisclosure.cli as c\nsys.argv = ['govdisclosure', 'parse', '-o', "
            f"{str(tmp_path / 'out.json')!r}, {str(name)!r}]\ntry:\n    c.main()\nexcept SystemExit:\n    pass")
    modules = _imported_after(code)
    assert (tmp_path / "out.json").exists()
    assert "govdisclosure.rules.document" in modules  # the rules registered
    assert not modules & set(NOT_FOR_ONE_PARSE), sorted(modules & set(NOT_FOR_ONE_PARSE))


def test_the_document_rules_run_the_functions_they_name() -> None:
    """Each document rule's check is its module's function, imported when the rule first runs: named as that
    function, and calling it is calling the function (the findings are the function's)."""
    import importlib

    from govdisclosure.rules import document
    from govdisclosure.rules.document import CHECKS

    assert len(CHECKS) == 17
    seen = set()
    for rule in CHECKS:
        module = importlib.import_module(rule.check.__module__)
        function = getattr(module, rule.check.__name__)
        assert document._function(f"{module.__name__.rsplit('.', 1)[1]}.{function.__name__}") is function
        seen.add(module.__name__)
        assert getattr(document, module.__name__.rsplit(".", 1)[1]) is module
    assert seen == {f"govdisclosure.rules.document.{m}" for m in ("content", "copying", "outline", "tables")}
    with pytest.raises(AttributeError, match="no_such_module"):
        document.no_such_module  # noqa: B018


def test_document_rules_find_what_their_functions_find() -> None:
    """The registered checks (deferred) and the modules' functions called directly give the same findings on
    corpus reports, each alone and with the previous year's report (series rules)."""
    import importlib

    from govdisclosure.rules import RuleContext
    from govdisclosure.rules.document import CHECKS

    reports = [gd.parse(p).report for p in sorted((DATA / "corpus" / "reports").glob("*.txt"))[:6]]
    registry = gd.Registry.default()
    found = 0
    for rule in CHECKS:
        function = getattr(importlib.import_module(rule.check.__module__), rule.check.__name__)
        for i, report in enumerate(reports):
            ctx = RuleContext(rule, {}, registry=registry)
            plain = RuleContext(rule, {}, registry=registry)
            if rule.scope == "report":
                assert list(rule.check(report, ctx)) == list(function(report, plain))
                found += len(list(function(report, plain)))
            elif rule.scope == "series":
                previous = reports[i - 1]
                assert list(rule.check(report, previous, ctx)) == list(function(report, previous, plain))
        if rule.scope == "batch":
            ctx = RuleContext(rule, {}, registry=registry)
            plain = RuleContext(rule, {}, registry=registry)
            assert list(rule.check(reports, ctx)) == list(function(reports, plain))
    assert found  # the reports give the rules something to find


def test_the_registrys_plugin_manager_finds_the_hooks_pluggy_finds() -> None:
    """The manager that passes over a module's names holding no function finds, name by name, what pluggy's own
    finds: in every core plugin module, and in a module holding every kind of thing pluggy looks at."""
    import functools
    import importlib
    import os.path
    import types

    import pluggy

    from govdisclosure.plugins import NAME, hookimpl
    from govdisclosure.registry import DEFAULT_PLUGINS, _PluginManager

    made, plain = _PluginManager(NAME), pluggy.PluginManager(NAME)
    odd = types.ModuleType("odd")

    class Holder:
        @staticmethod
        @hookimpl
        def register_rules() -> list[object]:
            return []

        @classmethod
        @hookimpl
        def register_formats(cls) -> list[object]:
            return []

    @hookimpl(specname="register_loaders")
    def loaders_by_another_name() -> list[object]:
        return []

    odd.__dict__.update(a_function=loaders_by_another_name, static=Holder.__dict__["register_rules"],
                        class_method=Holder.__dict__["register_formats"], bound=Holder.register_formats,
                        builtin=os.getpid, a_class=Holder, a_partial=functools.partial(loaders_by_another_name),
                        constant=3, module=os.path)
    for module in (*(importlib.import_module(m) for m in DEFAULT_PLUGINS.values()), odd):
        for name in dir(module):
            assert made.parse_hookimpl_opts(module, name) == plain.parse_hookimpl_opts(module, name), (module, name)
    assert made.parse_hookimpl_opts(odd, "a_function") is not None
    assert made.parse_hookimpl_opts(odd, "static") is not None


def test_a_forking_batch_imports_the_stages_in_the_parent_once() -> None:
    """``parse --jobs``: the parent imports the stages before its workers are forked (they inherit them, rather
    than each importing them and compiling their patterns), and gives what one process gives."""
    names = [str(DATA / "corpus" / "reports" / n) for n in ("009-pingtan-2020-zfxxgknb.txt",
                                                          "013-pingtan-2024-zfxxgknb.txt")]
    code = ("import multiprocessing, sys\nfrom govdisclosure.ingest.batch import parse_many\n"
            "from govdisclosure.registry import Registry\n"
            f"two = [r.report for _, r in parse_many({names!r}, registry=Registry.default, jobs=2)]\n"
            "staged = 'govdisclosure.ingest.regions' in sys.modules\n"
            f"one = [r.report for _, r in parse_many({names!r}, registry=Registry.default)]\n"
            "print(multiprocessing.get_start_method(), staged, two == one)")
    env = {**os.environ, "GOVDISCLOSURE_PLUGINS": "core"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    method, staged, same = out.split()
    assert same == "True"
    assert staged == str(method == "fork")


def test_the_shipped_document_options_are_the_toml() -> None:
    """``rules/document/shipped.py`` (imported at every start that registers the rules) holds what
    ``rules/data/document.toml`` declares, as ``python -m govdisclosure.rules.docdata`` writes it."""
    from govdisclosure.rules import docdata
    from govdisclosure.rules.document import CHECKS, options
    from govdisclosure.rules.document.shipped import OPTIONS

    assert docdata.SHIPPED.read_text(encoding="utf-8") == docdata.shipped_source(), \
        "stale: run python -m govdisclosure.rules.docdata"
    assert docdata.read_toml() == OPTIONS
    assert list(OPTIONS) == list(docdata.read_toml())  # in the TOML's order
    assert all(options(c.code) == docdata.read_toml()[c.code] for c in CHECKS)
    assert docdata.main(["--check"]) == 0


def test_registering_the_rules_reads_no_toml() -> None:
    imported = _imported_after("from govdisclosure.registry import Registry\nRegistry.default()")
    assert not imported & {"tomllib", "tomli", "govdisclosure.rules.docdata"}
