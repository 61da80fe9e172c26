"""The command line as a user meets it: exit codes, languages, JSON output, bad input in a batch."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from .conftest import EXAMPLES, ROOT

EXAMPLE_NAMES = sorted(p.stem for p in EXAMPLES.glob("*.json"))


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_examples_give_their_committed_findings(run, name: str) -> None:
    result = run("validate", "--output", "json", f"examples/{name}.json")
    committed = json.loads((EXAMPLES / "findings" / f"{name}.json").read_text(encoding="utf-8"))
    assert json.loads(result.stdout) == committed, (
        f"regenerate with: govdisclosure validate --output json examples/{name}.json > "
        f"examples/findings/{name}.json")


def test_example_findings_are_the_published_defects(run) -> None:
    seed = json.loads(run("validate", "--output", "json", "examples/hutubi-shanggongxinju-2020.json").stdout)
    # the seed's numbers are sound; its text is not (the document rules, issue 11)
    assert {f["code"] for f in seed} == {"GD-M-OUTLINE", "GD-M-OVERVIEW-THEMES", "GD-M-PART5-VAGUE", "GD-M-STALE-TOPIC"}
    found = json.loads(run("validate", "--output", "json", "examples/pingtan-2020.json").stdout)
    errors = [(f["code"], f["pointer"], f["params"]["left"], f["params"]["right"]) for f in found
              if f["severity"] == "error"]
    assert errors == [("GD-T3-RESULTS-SUM", "/requests/total/natural_person", 20, 26),
                      ("GD-T3-RESULTS-SUM", "/requests/total/total", 21, 27)]
    huaian = json.loads(run("validate", "--output", "json", "examples/huaian-city-2024.json").stdout)
    # balances; only the overview is long (and its text says nothing of 考核/评议/追究, nor of part 6's topics)
    assert [(f["severity"], f["code"]) for f in huaian] == [
        ("warning", "GD-M-ART50-4"), ("info", "GD-M-OVERVIEW-LENGTH"), ("info", "GD-M-PART6-TOPICS")]


def test_validate_text_names_file_code_severity_labels_numbers(run) -> None:
    result = run("validate", "examples/pingtan-2020.json")
    assert result.exit_code == 1
    line = result.stdout.splitlines()[0]
    assert line.startswith("examples/pingtan-2020.json: 错误 GD-T3-RESULTS-SUM /requests/total/natural_person")
    assert "（七）总计 · 自然人" in line and "20" in line and "26" in line
    en = run("validate", "--lang", "en", "examples/pingtan-2020.json").stdout
    assert "error GD-T3-RESULTS-SUM" in en and "the sum of the result rows = 26" in en


def test_exit_codes(run, tmp_path: Path) -> None:
    assert run("validate", "examples/hutubi-shanggongxinju-2020.json").exit_code == 0
    assert run("validate", "examples/huaian-city-2024.json").exit_code == 0  # info only
    assert run("validate", "examples/pingtan-2020.json").exit_code == 1
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    assert run("validate", str(empty)).exit_code == 2


def test_bad_inputs_in_a_batch(run, tmp_path: Path) -> None:
    bad = {
        "syntax.json": b'{"format_version": "2021",',
        "empty.json": b"",
        "binary.json": b"\x00\x01\x02PK",
        "negative.json": (EXAMPLES / "huaian-city-2024.json").read_bytes().replace(b'"pending": 37', b'"pending": -37'),
        "report.yaml": b"format_version: 2021\nyear: [",
    }
    for name, content in bad.items():
        (tmp_path / name).write_bytes(content)
    paths = [str(tmp_path / n) for n in bad]
    result = run("validate", *paths, "examples/pingtan-2020.json", "missing.json")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == len(bad) + 1 and "Traceback" not in result.stderr
    # located in the file, with the official labels (issue 9)
    assert any("negative.json: 第 " in line and " /review_litigation/review/pending [" in line and "应为 非负整数" in line
               for line in lines)
    assert any("syntax.json: 第 1 行" in line for line in lines)  # the place in the message's language
    assert any("missing.json" in line and "GD-LOAD-INPUT" in line for line in lines)
    assert "GD-T3-RESULTS-SUM" in result.stdout  # the good file is still checked
    # a 2021 row in a 2019 report: one line, the place named, the rest counted
    data = json.loads((EXAMPLES / "pingtan-2020.json").read_text(encoding="utf-8"))
    data["requests"]["other"] = {"no_correction": data["requests"]["other"]}
    (tmp_path / "mixed.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    # every problem of the file is listed (issue 9), the unknown key first: it explains the missing ones
    mixed = run("validate", "--lang", "en", str(tmp_path / "mixed.json"))
    assert mixed.exit_code == 2
    problems = mixed.stderr.splitlines()
    assert "/requests/other/no_correction: unknown field" in problems[0]
    assert len(problems) == 8 and all("/requests/other/" in line and "missing" in line for line in problems[1:])
    as_json = json.loads(run("validate", "--output", "json", *paths, "examples/pingtan-2020.json").stdout)
    fatal = {Path(f["file"]).name for f in as_json if f["severity"] == "fatal"}
    assert fatal == set(bad)
    assert any(f["file"] == "examples/pingtan-2020.json" for f in as_json)


def test_stdin(run) -> None:
    text = (EXAMPLES / "pingtan-2020.json").read_text(encoding="utf-8")
    result = run("validate", "--output", "json", "-", input=text)
    assert result.exit_code == 1
    assert {f["file"] for f in json.loads(result.stdout)} == {"<stdin>"}


def test_previous_file_and_series_of_inputs(run, tmp_path: Path) -> None:
    data = json.loads((EXAMPLES / "huaian-city-2024.json").read_text(encoding="utf-8"))
    prev = dict(data, year=2023, title=None, period=None)
    prev["requests"] = dict(data["requests"], carried_forward=dict(data["requests"]["carried_over"], total=35,
                                                                     natural_person=35))
    path = tmp_path / "prev.json"
    path.write_text(json.dumps(prev, ensure_ascii=False), encoding="utf-8")
    with_previous = json.loads(run("validate", "--output", "json", "--previous", str(path),
                                   "examples/huaian-city-2024.json").stdout)
    carry = [(f["code"], f["pointer"]) for f in with_previous if f["code"] == "GD-X-CARRY"]
    assert carry == [("GD-X-CARRY", "/requests/carried_over/natural_person"),
                     ("GD-X-CARRY", "/requests/carried_over/total")]
    # the same pairing found among the inputs: same agency, consecutive years
    batch = json.loads(run("validate", "--output", "json", str(path), "examples/huaian-city-2024.json").stdout)
    assert [(f["code"], f["file"]) for f in batch if f["code"] == "GD-X-CARRY"] == \
        [("GD-X-CARRY", "examples/huaian-city-2024.json")] * 2


def test_rules_listing(run) -> None:
    rows = json.loads(run("rules", "--output", "json").stdout)
    codes = {r["code"]: r for r in rows}
    assert codes["GD-T3-BALANCE"]["severity"] == "error" and codes["GD-T3-BALANCE"]["kind"] == "equation"
    assert codes["GD-X-IN-FORCE"]["formats"] == ["2021"] and codes["GD-X-IN-FORCE"]["scope"] == "series"
    assert all(r["description"]["zh"] and r["description"]["en"] for r in rows)
    assert "GD-T3-BALANCE" in run("rules").stdout


def test_schema_command_matches_committed(run) -> None:
    for version in ("2019", "2021"):
        out = json.loads(run("schema", "--format-version", version).stdout)
        assert out == json.loads((ROOT / "schemas" / f"report-{version}.schema.json").read_text(encoding="utf-8"))
    assert run("schema", "--format-version", "2008").exit_code == 2


def test_new_fill_and_render(run, tmp_path: Path) -> None:
    out = tmp_path / "new.json"
    result = run("new", "--year", "2024", "--agency", "某县商务局", "--level", "county_department", "-o", str(out))
    assert result.exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format_version"] == "2021" and data["agency"]["name"] == "某县商务局"
    assert data["requests"]["other"]["fee_unpaid"]["total"] is None
    old = json.loads(run("new", "--year", "2020", "--agency", "x", "--level", "township").stdout)
    assert old["format_version"] == "2019" and "procurement" in old["proactive"]
    # an author types only the parts; fill derives the totals
    for key, node in data["requests"].items():
        if key == "total":  # （七）总计 is left blank, as is every row's 总计 column
            continue
        for row in ([node] if "total" in node else node.values()):
            for c in row:
                if c != "total":
                    row[c] = 0
    data["requests"]["granted"]["natural_person"] = 3
    data["requests"]["received"]["natural_person"] = 3
    for group in data["review_litigation"].values():
        group.update(upheld=1, corrected=0, other=0, pending=0)
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    filled_path = tmp_path / "filled.json"
    result = run("fill", str(out), "-o", str(filled_path))
    filled = json.loads(filled_path.read_text(encoding="utf-8"))
    assert filled["requests"]["total"]["natural_person"] == 3 and filled["requests"]["total"]["total"] == 3
    assert filled["requests"]["granted"]["total"] == 3 and filled["review_litigation"]["review"]["total"] == 1
    rendered = run("render", str(filled_path), "--to", "json")
    assert json.loads(rendered.stdout) == filled
    assert run("render", str(filled_path), "--to", "nope").exit_code == 2


def test_an_output_named_csv_is_the_tidy_csv_that_reads_back(run, tmp_path: Path) -> None:
    """csv and csv-wide both write .csv: JSON was written into new.csv (probe 11, #13), which validate refused."""
    import govdisclosure as gd

    for command in (["new", "--year", "2023", "--agency", "某县商务局", "--level", "county_department"],
                    ["render", "examples/pingtan-2020.json"]):
        out = tmp_path / f"{command[0]}.csv"
        assert run(*command, "-o", str(out)).exit_code == 0
        assert out.read_text(encoding="utf-8").startswith("table,row,column,value,row_label,column_label")
        assert gd.load(out) == gd.loads(run(*command, "--to", "json").stdout)  # the same report as JSON
    assert gd.load(tmp_path / "new.csv").agency.name == "某县商务局"


def test_render_many(run, tmp_path: Path) -> None:
    files = [f"examples/{n}.json" for n in EXAMPLE_NAMES]
    folder = tmp_path / "html"
    result = run("render", *files, "--to", "html", "--findings", "-o", str(folder))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.html" for n in EXAMPLE_NAMES)
    assert 'class="gd-flag"' in (folder / "pingtan-2020.html").read_text(encoding="utf-8")
    wide = tmp_path / "all.csv"
    assert run("render", *files, "--to", "csv-wide", "--bom", "-o", str(wide)).exit_code == 0
    text = wide.read_text(encoding="utf-8")
    assert text.startswith("\ufeff") and len(text.strip().splitlines()) == 1 + len(files)
    assert run("render", *files, "--to", "markdown").exit_code == 2  # several files need -o FOLDER
    fragment = run("render", "examples/pingtan-2020.json", "--to", "html", "--fragment").stdout
    assert fragment.startswith('<article class="gd-report"')
    both = run("render", "examples/pingtan-2020.json", "missing.json", "--to", "markdown", "-o", str(tmp_path / "md"))
    assert both.exit_code == 2 and (tmp_path / "md" / "pingtan-2020.md").exists()


def test_plugins_listing_text(run) -> None:
    out = run("plugins").stdout
    assert "core-formats" in out and "formats: 2019, 2021" in out


def test_module_entry_point() -> None:
    import subprocess
    import sys
    result = subprocess.run([sys.executable, "-m", "govdisclosure", "--help"], capture_output=True, text=True,
                            env=dict(os.environ), timeout=60)
    assert result.returncode == 0 and "validate" in result.stdout


@pytest.mark.parametrize("doc,args", [("rules.md", ["rules", "--output", "markdown"]),
                                      ("formats.md", ["formats", "--output", "markdown"])])
def test_generated_docs_are_fresh(run, doc: str, args: list[str]) -> None:
    committed = (ROOT / "docs" / doc).read_text(encoding="utf-8")
    assert run(*args).stdout == committed, f"regenerate: govdisclosure {' '.join(args)} > docs/{doc}"


def test_formats_listing_json(run) -> None:
    listing = json.loads(run("formats", "--output", "json", "--format-version", "2021").stdout)
    cells = {c["pointer"]: c for c in listing[0]["cells"]}
    assert cells["/requests/other/fee_unpaid/total"]["groups"] == ["三、本年度办理结果", "（六）其他处理"]
    assert cells["/proactive/fees/amount"]["kind"] == "amount"


@pytest.mark.parametrize(("args", "zh"), [(["validate", "--foo", "x.json"], "没有选项 --foo"),
                                          (["validate"], "缺少参数 FILES..."), (["nosuch"], "没有命令 nosuch"),
                                          (["new", "--year", "abc"], "选项 --year 的值无效"),
                                          (["render", "--to"], "选项 --to 需要一个值"),
                                          # click's suggestions too (they were said in English only)
                                          (["parse", "--jbos", "2", "x"], "没有选项 --jbos（是否想输入：--jobs？）"),
                                          (["parsee"], "没有命令 parsee（是否想输入：compare、parse？）"),
                                          (["audit", "-o", "x"], "没有选项 -o")])
def test_click_usage_errors_are_said_in_both_languages(run, args: list[str], zh: str) -> None:
    result = run(*args)
    assert result.exit_code == 2 and f"错误 / Error: {zh} / " in result.output
    if args != ["render", "--to"]:  # (click gives no usage for an option's missing value)
        # once: the commands' own formatter says it in both languages already ("用法 / 用法 / Usage:" was shown)
        assert result.output.count("用法 / Usage: ") == 1 and "用法 / 用法" not in result.output
        assert "帮助 / help: " in result.output


def test_the_audits_commands_are_imported_when_asked_for_and_listed_always() -> None:
    """A clerk's validate or parse does not import the audit's modules or SQLite; --help lists them, a typo is
    matched against them, --version reads the installed version when asked."""
    import subprocess
    import sys

    from click.testing import CliRunner

    from govdisclosure.cli import cli

    code = ("import sys, govdisclosure.cli; print(sorted(m for m in sys.modules if m.startswith('govdisclosure.audit')"
            " or m in ('sqlite3', 'importlib.metadata')))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert "govdisclosure.audit" not in run.stdout and "sqlite3" not in run.stdout, run.stdout
    listed = CliRunner().invoke(cli, ["--help"])
    assert all(f"  {name} " in listed.output for name in ("aggregate", "audit", "compare"))
    typo = CliRunner().invoke(cli, ["audt"])
    assert typo.exit_code == 2 and "'audit'" in typo.output
    version = CliRunner().invoke(cli, ["--version"])
    assert version.exit_code == 0 and version.output.startswith("govdisclosure, version ")


def test_ctrl_c_is_one_line_in_both_languages_and_exit_130(monkeypatch: pytest.MonkeyPatch) -> None:
    """click printed 'Aborted!' and exited 1, which says "errors found"; the audit already said it and gave 130."""
    from click.testing import CliRunner

    from govdisclosure import cli as cli_module

    def stopped(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_module, "_parsed", stopped)
    result = CliRunner().invoke(cli_module.cli, ["parse", str(EXAMPLES.parent / "examples" / "published" / "x.txt")])
    assert result.exit_code == 130 and result.stderr.strip() == "govdisclosure: 已中断 / interrupted", result.output


def test_a_batchs_workers_leave_ctrl_c_to_the_parent() -> None:
    """Each worker took the Ctrl-C too, and printed its own traceback; the parent stops the batch."""
    import multiprocessing
    import signal

    from govdisclosure.ingest.batch import _started

    def probe(queue: multiprocessing.Queue[bool]) -> None:
        _started()
        queue.put(signal.getsignal(signal.SIGINT) is signal.SIG_IGN)

    context = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue[bool] = context.Queue()
    child = context.Process(target=probe, args=(queue,))
    child.start()
    assert queue.get(timeout=60) is True
    child.join(timeout=60)


@pytest.mark.skipif(os.name != "posix", reason="a name's bytes that are not UTF-8: POSIX file systems")
def test_a_file_name_not_utf8_is_shown_as_its_bytes_in_text_and_in_json(tmp_path: Path) -> None:
    """A GBK name on a UTF-8 system: the text said 'na\\udcffme.json' and ``--output json`` wrote the byte 0xFF
    itself, which no JSON reader reads; both say ``\\xff``, as the audit's CSV and page do."""
    from click.testing import CliRunner

    from govdisclosure.cli import cli
    from govdisclosure.findings import display_path, printable

    name = os.fsdecode(b"na\xffme.json")
    try:
        (tmp_path / name).write_bytes((EXAMPLES / "pingtan-2020.json").read_bytes())
    except (OSError, UnicodeError):
        pytest.skip("the file system refuses a name that is not UTF-8")
    path = str(tmp_path / name)
    shown = str(tmp_path / "na\\xffme.json")
    result = CliRunner().invoke(cli, ["validate", "--output", "json", path])
    found = json.loads(result.stdout.encode("utf-8", "surrogateescape").decode("utf-8"))  # strict: valid UTF-8
    assert found and {f["file"] for f in found} == {shown}
    text = CliRunner().invoke(cli, ["validate", path])
    assert text.stdout.splitlines()[0].startswith(f"{shown}: ") and "\\udcff" not in text.stdout
    assert printable("a\ud800b") == "a\\ud800b" and printable("a\nb") == "a\\nb" and display_path(b"x\xffy") == "x\\xffy"


@pytest.mark.parametrize("args", [["--help"], ["validate", "--help"], ["audit", "-h"], ["aggregate", "--help"]])
def test_help_is_in_both_languages_throughout(args: list[str]) -> None:
    """click's own words (Usage, Options, Commands, 'Show this message and exit.') were English only, and the list
    of commands gave six of them in Chinese only."""
    from click.testing import CliRunner

    from govdisclosure.cli import cli

    shown = CliRunner().invoke(cli, args, terminal_width=200, prog_name="govdisclosure").output
    assert shown.startswith("用法 / Usage: govdisclosure") and "选项 / Options:" in shown
    assert "-h, --help" in shown and "显示此帮助并退出 / Show this message and exit." in shown
    if args == ["--help"]:
        listed = shown.split("命令 / Commands:")[1].strip().splitlines()
        assert len(listed) == 12 and all(re.search(r"[\u4e00-\u9fff].*/ [A-Z]", line) for line in listed), listed


@pytest.mark.parametrize("command", [["validate"], ["parse", "-o", "OUT"], ["render", "--to", "json", "-o", "OUT"]])
def test_standard_input_named_twice_is_refused(command: list[str], tmp_path: Path) -> None:
    """validate called the second '-' empty; parse wrote the same report twice (stdin.json, stdin-2.json)."""
    from click.testing import CliRunner

    from govdisclosure.cli import cli

    args = [str(tmp_path) if a == "OUT" else a for a in command]
    data = (EXAMPLES / "pingtan-2020.json").read_bytes()
    result = CliRunner().invoke(cli, [*args, "-", "-", "--lang", "en"], input=data)
    assert result.exit_code == 2 and result.stderr.strip() == "standard input is read once: '-' is given 2 times"
    assert not list(tmp_path.iterdir())


def test_parse_of_our_own_json_or_yaml_given_as_data_reads_it(tmp_path: Path) -> None:
    """``parse -`` of canonical JSON (and gd.parse of its bytes or text) was refused as 'not a report' (only a file's
    extension chose the JSON reader); our own formats are known by their marks, as README says; an error on
    standard input is named '-', as the user named it, not '<text>'."""
    from click.testing import CliRunner

    import govdisclosure as gd
    from govdisclosure.cli import cli

    path = EXAMPLES / "pingtan-2020.json"
    expected = gd.load(path)
    assert gd.parse(path.read_bytes()).report == expected == gd.parse(path.read_text(encoding="utf-8")).report
    yaml_text = gd.render(expected, "yaml")
    assert gd.parse(yaml_text).report == expected
    markdown = gd.render(gd.load(EXAMPLES / "huaian-city-2024.json"), "markdown")  # its marker line (133 cells lost)
    assert gd.parse(markdown.encode()).report.requests == gd.load(EXAMPLES / "huaian-city-2024.json").requests  # type: ignore[attr-defined]
    result = CliRunner().invoke(cli, ["parse", "-"], input=path.read_bytes())
    assert result.exit_code == 0 and gd.loads(result.stdout, source="out.json") == expected
    refused = CliRunner().invoke(cli, ["parse", "-"], input=b"nothing here")
    assert refused.exit_code == 2 and refused.stderr.startswith("-: ")
