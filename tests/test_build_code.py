"""The official formats' builders' committed code (``model/built2019.py`` ...): in step with what :mod:`.build`
writes, used for that very source only, and a parse that compiles no builder or tables function."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import govdisclosure as gd
from govdisclosure.formats.official import FORMAT_2019, FORMAT_2021
from govdisclosure.model import build

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("seed", ["0", "1", "17"])
def test_the_committed_builders_are_in_step(seed: str) -> None:
    """``python -m govdisclosure.model.build_gen --check``, whatever the hash seed (a source written in a set's
    order would differ from process to process)."""
    out = subprocess.run([sys.executable, "-m", "govdisclosure.model.build_gen", "--check"], capture_output=True,
                         text=True, env={**os.environ, "GOVDISCLOSURE_PLUGINS": "core", "PYTHONHASHSEED": seed})
    assert out.returncode == 0, f"{out.stdout}: run python -m govdisclosure.model.build_gen"


@pytest.mark.parametrize("spec", [FORMAT_2019, FORMAT_2021], ids=["2019", "2021"])
def test_an_official_formats_builders_are_its_committed_code(spec) -> None:
    committed = build.committed(spec.version)
    assert len(committed) == len(set(build.sources(spec))) == 2  # the values builders differ in globals only
    made = [build.data_builder(spec), build.values_builder(spec, False), build.values_builder(spec, True)]
    assert [f.__code__ for f in made] == [committed[text] for text in build.sources(spec)]
    assert all(f.__name__ == f.__qualname__ == "build" for f in made)


def test_a_source_not_committed_is_compiled() -> None:
    """Code is taken for its very source only: another source of the same version is compiled (as a variant's,
    or any source once the committed module is stale)."""
    src = build._Source()
    src.emit(1, "return 1")
    made = src.function("def build(d):", "a test", "2021")
    assert made(None) == 1
    assert made.__code__.co_filename == "<builder of a test>"
    assert build.committed("1999") == {}


def test_a_parse_compiles_no_format_builder_and_no_tables_function() -> None:
    """A fresh process parses a report compiling no builder of its format (committed) and no function from the
    cells' values to the tables (made only for a report the builder does not take)."""
    names = [str(DATA / "corpus" / "reports" / "013-pingtan-2024-zfxxgknb.txt")]
    code = ("import builtins, sys\nimport govdisclosure as gd\nseen = []\nreal = builtins.compile\n"
            "def compile(source, filename, *args, **kwargs):\n    seen.append(str(filename))\n"
            "    return real(source, filename, *args, **kwargs)\nbuiltins.compile = compile\n"
            f"for name in {names!r}:\n    gd.parse(name)\n"
            "from govdisclosure.ingest.assemble import tables_of\nprint(seen, tables_of.cache_info().currsize)")
    env = {**os.environ, "GOVDISCLOSURE_PLUGINS": "core"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert "<builder of format" not in out.splitlines()[-1]
    assert out.split()[-1] == "0"  # tables_of made for no format
    assert gd.parse(names[0]).report is not None
