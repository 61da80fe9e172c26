from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import docx_helpers  # first: it puts the plugin's src on the path
import pytest

from govdisclosure.testing import use_plugins


@pytest.fixture(autouse=True)
def registry() -> Iterator[Any]:
    """Core's plugins and this one, whatever else is installed."""
    with use_plugins(docx_helpers.govdisclosure_docx) as reg:
        yield reg
