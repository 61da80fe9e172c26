from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
EXAMPLES = ROOT / "examples"


def data_path(*parts: str) -> Path:
    """A file the tests carry with them (tests/data; sources in tests/data/MANIFEST.md)."""
    path = DATA.joinpath(*parts)
    assert path.exists(), f"{path} is missing from the repository"
    return path


@pytest.fixture
def example_data():
    def load(name: str) -> dict:
        return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return load
