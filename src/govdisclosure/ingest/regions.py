"""Stage ``regions``: where each part of the report starts and ends (its heading, its table)."""

from __future__ import annotations

from typing import NamedTuple

import attrs

from .state import State
from .text import find_parts

__all__ = ["Span", "regions"]


class Span(NamedTuple):
    """Where a part starts: (line index, heading start offset, offset where the part's body starts)."""

    line: int
    start: int
    body: int


def regions(state: State) -> State:
    parts = {k: Span(*v) for k, v in find_parts(list(state.lines)).items()}
    return attrs.evolve(state, parts=parts)
