"""docs/plugins.md runs as written: a plugin author who copies it gets what it shows.

The page is run from top to bottom in a temporary folder: every block whose first line is ``# file: PATH``
is written there (blocks naming one path are appended in order), the plugin is "installed" from the page's
pyproject.toml (a dist-info carrying its entry points, as pip leaves one), then every other block is run in
order — Python (doctest when it has ``>>>`` prompts, else executed, with the plugin in use), console sessions
(each ``$`` command in a shell; the lines shown after it must appear in its output, in order, a line
ending in `` …`` as the start of one; ``# exit N`` gives the exit status, else 0; ``pip`` commands are the
install step, done as above), JSON and TOML (parsed).
"""

from __future__ import annotations

import doctest
import importlib
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from govdisclosure.errors import LoadError
from govdisclosure.findings import Finding
from govdisclosure.formats import RowAddition, RowReplacement, Variant
from govdisclosure.io import Loader, LoadResult, Renderer, RenderOptions
from govdisclosure.io.toml import loads_toml
from govdisclosure.registry import DEFAULT_PLUGINS, Registry
from govdisclosure.rules import Rule, RuleContext
from govdisclosure.testing import reports, use_plugins

from .apidoc import signature
from .conftest import ROOT

DOC = ROOT / "docs" / "plugins.md"
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```$", re.M | re.S)
FILE = re.compile(r"\A# file: (\S+)\n")
EXIT = re.compile(r"\s+# exit (\d+)$")


@attrs.frozen
class Block:
    lang: str
    text: str
    line: int  #: line of the opening fence in docs/plugins.md

    @property
    def file(self) -> str | None:
        match = FILE.match(self.text)
        return match.group(1) if match else None

    def where(self) -> str:
        return f"docs/plugins.md:{self.line}"


def _blocks(text: str) -> list[Block]:
    return [Block(m.group(1), m.group(2), text.count("\n", 0, m.start()) + 1) for m in FENCE.finditer(text)]


BLOCKS = _blocks(DOC.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- the page, run


def _install(root: Path) -> tuple[Path, str]:
    """What ``pip install -e .`` leaves: a dist-info with the page's entry points, beside the source."""
    project = loads_toml((root / "pyproject.toml").read_text(encoding="utf-8"))
    meta, points = project["project"], project["project"]["entry-points"]["govdisclosure"]
    site = root / ".site"
    info = site / f"{meta['name'].replace('-', '_')}-{meta['version']}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {meta['name']}\nVersion: {meta['version']}\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text(
        "[govdisclosure]\n" + "".join(f"{k} = {v}\n" for k, v in points.items()), encoding="utf-8")
    [module] = points.values()
    return site, module


def _shell_env(root: Path, site: Path, src: Path) -> dict[str, str]:
    """The author's shell: this Python as ``python`` and ``govdisclosure``, the plugin installed, no overrides."""
    bin_dir = root / ".bin"
    bin_dir.mkdir()
    for name, run in (("python", ""), ("govdisclosure", "-m govdisclosure")):
        script = bin_dir / name
        script.write_text(f'#!/bin/sh\nexec "{sys.executable}" {run} "$@"\n', encoding="utf-8")
        script.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVDISCLOSURE_")}
    env["PATH"] = os.pathsep.join([str(bin_dir), env.get("PATH", "")])
    env["PYTHONPATH"] = os.pathsep.join([str(site), str(src), env.get("PYTHONPATH", "")])
    return env


def _commands(block: Block) -> Iterator[tuple[str, list[str]]]:
    """(command, the output lines shown after it) of a console block."""
    command: str | None = None
    shown: list[str] = []
    for line in block.text.splitlines():
        if line.startswith("$ "):
            if command is not None:
                yield command, shown
            command, shown = line[2:], []
        elif line.strip():
            shown.append(line.rstrip())
    if command is not None:
        yield command, shown


def _in_order(shown: list[str], output: str) -> str | None:
    """The first shown line that is not in the output (after the previous one), or None."""
    lines = iter(output.splitlines())
    for want in shown:
        want = want.removesuffix(" …")
        if not any(want in got for got in lines):
            return want
    return None


def _run_console(block: Block, cwd: Path, env: dict[str, str]) -> None:
    for command, shown in _commands(block):
        if command.startswith("pip "):
            continue  # the install step: done by _install
        match = EXIT.search(command)
        want = int(match.group(1)) if match else 0
        done = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
        output = done.stdout + done.stderr
        assert done.returncode == want, f"{block.where()}: `{command}` exited {done.returncode}:\n{output}"
        missing = _in_order(shown, output)
        assert missing is None, f"{block.where()}: `{command}` did not print {missing!r}; it printed:\n{output}"


def _run_python(block: Block, namespace: dict[str, Any]) -> None:
    if ">>>" not in block.text:
        exec(compile(block.text, block.where(), "exec"), namespace)  # running the documentation
        return
    test = doctest.DocTestParser().get_doctest(block.text, namespace, block.where(), str(DOC), block.line)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report = io.StringIO()
    runner.run(test, out=report.write)
    assert not runner.failures, report.getvalue()


@pytest.fixture
def written(tmp_path: Path) -> Iterator[Path]:
    """The page's files, written out; the plugin's module removed from the process afterwards."""
    for block in BLOCKS:
        if block.file is not None:
            path = tmp_path / block.file
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as out:
                out.write(block.text)
    yield tmp_path
    for name, module in list(sys.modules.items()):
        if str(getattr(module, "__file__", None) or "").startswith(str(tmp_path)):
            del sys.modules[name]


def test_the_page_runs(written: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site, module_name = _install(written)
    src = written / "src"
    env = _shell_env(written, site, src)
    monkeypatch.syspath_prepend(str(src))
    monkeypatch.chdir(written)
    plugin = importlib.import_module(module_name)
    namespace: dict[str, Any] = {"__name__": "plugins_md"}
    runners: dict[str, Callable[[Block], object]] = {
        "python": lambda b: _run_python(b, namespace),
        "console": lambda b: _run_console(b, written, env),
        "json": lambda b: json.loads(b.text),
        "toml": lambda b: loads_toml(b.text),
        "text": lambda b: None,  # a folder tree
    }
    with use_plugins(plugin):
        for block in BLOCKS:
            assert block.lang in runners, f"{block.where()}: a ```{block.lang} block: say how to run it here"
            if block.file is None:
                runners[block.lang](block)


def test_the_page_builds_a_whole_plugin_and_runs_its_tests() -> None:
    files = {b.file for b in BLOCKS if b.file}
    assert {"pyproject.toml", "src/govdisclosure_mycounty/__init__.py", "tests/test_mycounty.py"} <= files
    commands = [c for b in BLOCKS if b.lang == "console" for c, _ in _commands(b)]
    assert any(c.startswith("python -m pytest") for c in commands)
    assert any(c.startswith("pip install") for c in commands)  # the step _install stands for


# ----------------------------------------------------------------------------- what the page names, exists


def _default(value: Any) -> str:
    if value is None or isinstance(value, (bool, int)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if value == ():
        return "()"
    return "..."


def _signature(obj: Callable[..., Any], *, method: bool = False) -> str:
    """A signature as the page writes it: no annotations, defaults short."""
    return signature(obj, default=_default, method=method)[1:-1]


SIGNATURES: dict[str, tuple[Callable[..., Any], bool]] = {
    "govdisclosure.io.Loader": (Loader, False),
    "govdisclosure.io.Renderer": (Renderer, False),
    "govdisclosure.formats.Variant": (Variant, False),
    "RowAddition": (RowAddition, False),
    "RowReplacement": (RowReplacement, False),
    "govdisclosure.LoadResult": (LoadResult, False),
    "govdisclosure.errors.LoadError": (LoadError, False),
    "govdisclosure.findings.Finding.make": (Finding.make, False),
    "govdisclosure.testing.use_plugins": (use_plugins, False),
    "govdisclosure.testing.reports": (reports, False),
    "Registry.of": (Registry.of, False),
    "ctx.finding": (RuleContext.finding, True),
}


@pytest.mark.parametrize("name", SIGNATURES)
def test_signatures_on_the_page_are_the_codes(name: str) -> None:
    obj, method = SIGNATURES[name]
    page = " ".join(DOC.read_text(encoding="utf-8").split())
    written = f"{name}({_signature(obj, method=method)})"
    assert written in page, f"docs/plugins.md should say `{written}`"


def test_fields_and_names_on_the_page_exist() -> None:
    page = DOC.read_text(encoding="utf-8")
    first_cells = " ".join(line.split("|")[1] for line in page.splitlines() if line.startswith("| `"))
    assert {f.name for f in attrs.fields(Rule)} <= set(re.findall(r"`(\w+)`", first_cells))
    assert {f.name for f in attrs.fields(RenderOptions)} <= set(re.findall(r"`(\w+)`", page))
    public = {n for n in dir(RuleContext) if not n.startswith("_")} - {"memo", "rule"}
    assert public <= set(re.findall(r"`ctx\.(\w+)", page))
    listed = re.search(r"核心自己的是 (.*?)/", page)
    assert listed is not None and set(re.findall(r"`([\w-]+)`", listed.group(1))) == set(DEFAULT_PLUGINS)
    for path in re.findall(r"\]\(\.\./(plugins/[\w-]+)\)", page):
        assert (ROOT / path / "pyproject.toml").exists(), path
