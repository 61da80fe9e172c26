"""The builder's native check of the cells (:mod:`govdisclosure.model.native`, the compiled build's) takes and refuses
what the pure way takes and refuses."""

from __future__ import annotations

from typing import Any

import pytest

from govdisclosure.model import build, native
from govdisclosure.model.scalars import MAX_COUNT


@pytest.mark.parametrize("values", [
    (None, 0, 1, MAX_COUNT), (None, -1), (MAX_COUNT + 1,), (True,), (1.0,), ("1",), (-MAX_COUNT, MAX_COUNT)])
@pytest.mark.parametrize("lowest", [0, -MAX_COUNT])
def test_cells_checked_as_in_bulk(values: tuple[Any, ...], lowest: int) -> None:
    row = (7, *values)  # a cell outside the slots is not checked
    slots = tuple(range(1, len(row)))
    try:
        build._check_integers(values, lowest)
        plain = True
    except build.NotPlain:
        plain = False
    try:
        native.check_cells(row, slots, lowest)
        assert plain
    except native.NotPlain:
        assert not plain
