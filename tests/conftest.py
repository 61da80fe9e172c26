from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from govdisclosure.registry import Registry, using

# core's tests (and the commands they run in subprocesses) see core's plugins only, whatever else is
# installed; a test that wants more says so (use_plugins, or its own environment)
os.environ["GOVDISCLOSURE_PLUGINS"] = "core"

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
EXAMPLES = ROOT / "examples"


def data_path(*parts: str) -> Path:
    """A file the tests carry with them (tests/data; sources in tests/data/MANIFEST.md)."""
    path = DATA.joinpath(*parts)
    assert path.exists(), f"{path} is missing from the repository"
    return path


@pytest.fixture(autouse=True)
def _core_plugins_only():
    """Core's tests run with core's plugins only: a plugin installed beside it cannot change them
    (a test that wants more says so with ``use_plugins``)."""
    with using(Registry.core()):
        yield


@pytest.fixture
def example_data():
    def load(name: str) -> dict:
        return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return load


@pytest.fixture
def run(monkeypatch):
    """The CLI in process, from the project's folder: ``run("validate", path)`` gives click's result."""
    from click.testing import CliRunner

    from govdisclosure.cli import cli

    monkeypatch.chdir(ROOT)

    def invoke(*args: str, input: str | bytes | None = None):
        return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
    return invoke
