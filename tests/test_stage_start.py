"""The stages' start: their patterns' stored code (``ingest/patterns_code.py``) is ``re.compile``'s, every pattern
a report of either official format compiles is stored, and the constants spelled out to spare the start's work
are what they stand for."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from govdisclosure.ingest import patterns, tokens

from .conftest import DATA

STORED = patterns._STORED
#: the engine's code is stored for one Python (the one the module was generated with)
needs_stored = pytest.mark.skipif(not STORED, reason="no code stored for this Python's engine")


def _run(code: str, seed: str = "0") -> str:
    """What a fresh interpreter prints running ``code`` (core's plugins only; ``seed``: its hash seed)."""
    env = {**os.environ, "GOVDISCLOSURE_PLUGINS": "core", "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout


@needs_stored
def test_every_stored_pattern_is_re_compiles() -> None:
    """A pattern made of its stored code is the one ``re.compile`` makes: ``==`` compares the pattern, its flags and
    its code; its groups are compared too."""
    for (pattern, flags), _ in STORED.items():
        fast, plain = patterns.compiled(pattern, flags), re.compile(pattern, flags)
        assert fast == plain, pattern
        assert (fast.flags, fast.groups, fast.groupindex) == (plain.flags, plain.groups, plain.groupindex), pattern


def test_a_pattern_not_stored_is_compiled() -> None:
    assert ("(?:not stored)+x", 0) not in STORED
    assert patterns.compiled("(?:not stored)+x", re.M) == re.compile("(?:not stored)+x", re.M)
    assert patterns.compiled("(?:not stored)+x").fullmatch("not storednot storedx")


def test_equal_patterns_have_equal_code() -> None:
    """What the comparison above relies on: patterns differ when their code does."""
    assert re.compile("a|b") != re.compile("b|a")
    assert re.compile("a", re.M) != re.compile("a")


@pytest.mark.parametrize("seed", ["0", "1", "17"])
def test_the_stored_code_is_in_step(seed: str) -> None:
    """``patterns_code.py`` holds the code of every pattern the stages compile (at import and for each official
    format's parts and tables), as ``python -m govdisclosure.ingest.patterns_gen`` writes it, whatever the hash seed
    (a pattern made from a set in its order would differ from process to process)."""
    if not STORED:
        pytest.skip("no code stored for this Python's engine")
    out = subprocess.run([sys.executable, "-m", "govdisclosure.ingest.patterns_gen", "--check"], capture_output=True,
                         text=True, env={**os.environ, "GOVDISCLOSURE_PLUGINS": "core", "PYTHONHASHSEED": seed})
    assert out.returncode == 0, f"{out.stdout}: run python -m govdisclosure.ingest.patterns_gen"


@needs_stored
def test_parsing_compiles_no_pattern_that_is_not_stored() -> None:
    """Reports of both official formats, as text, Markdown and a web page: every pattern the stages ask for was
    stored (none compiled at a start or first report)."""
    paths = sorted(str(p) for p in (DATA / "corpus" / "reports").glob("*.*") if p.suffix in (".txt", ".html"))
    code = (f"import json, govdisclosure as gd\nfrom pathlib import Path\nfrom govdisclosure.ingest import patterns\n"
            f"for p in {paths!r}:\n"
            f"    r = gd.parse(Path(p)).report\n"
            f"    gd.parse(gd.render(r, 'markdown'), from_='markdown')\n"
            f"print(json.dumps([k for k in patterns._ASKED if k not in patterns._STORED]))")
    years = {int(name.split("-")[-2]) for name in map(os.path.basename, paths) if name.split("-")[-2].isdigit()}
    assert min(years) < 2021 <= max(years)  # both formats met
    assert json.loads(_run(code).splitlines()[-1]) == []


def test_whitespace_is_every_whitespace_character() -> None:
    assert "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()) == tokens.WHITESPACE
    assert all(re.fullmatch(r"\s", c) for c in tokens.WHITESPACE)
    assert "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c != "\n") + "|" == tokens._SEPARATORS
