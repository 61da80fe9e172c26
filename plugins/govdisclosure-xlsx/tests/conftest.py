from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))  # the plugin's tests run from a clone without installing it
sys.path.insert(0, str(HERE))

pytest.importorskip("openpyxl")


@pytest.fixture
def registry() -> Iterator[Any]:
    """Core's plugins and this one, no entry-point scan."""
    import govdisclosure_xlsx

    from govdisclosure.testing import use_plugins

    with use_plugins(govdisclosure_xlsx) as reg:
        yield reg
