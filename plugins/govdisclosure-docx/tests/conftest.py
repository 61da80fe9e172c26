from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

#: without python-docx (core installed alone) this folder is not collected, and the run's header says why
HAVE_DOCX = importlib.util.find_spec("docx") is not None

# the tests run from a clone whether or not the plugin is installed
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    return None if HAVE_DOCX else True


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not HAVE_DOCX:
        terminalreporter.write_line("govdisclosure-docx: tests not collected, python-docx is not installed "
                                    "(pip install ./plugins/govdisclosure-docx)")


@pytest.fixture(autouse=True)
def registry() -> Iterator[Any]:
    """Core's plugins and this one, whatever else is installed."""
    import docx_helpers  # puts the plugin's src on the path

    from govdisclosure.testing import use_plugins

    with use_plugins(docx_helpers.govdisclosure_docx) as reg:
        yield reg
