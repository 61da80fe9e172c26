"""Stage ``normalise``: the text as lines, in a form labels can be matched in.

Each :class:`~.text.Line` keeps its number in the source (and its page, for PDFs).
"""

from __future__ import annotations

import attrs

from . import findings as F
from .state import State
from .text import prepare
from .vocab import looks_traditional, traditional_converter

__all__ = ["normalise"]


def normalise(state: State) -> State:
    convert = None
    found = []
    if looks_traditional(state.text):
        converter = traditional_converter()
        if converter is None:
            found.append(F.NO_OPENCC(file=state.source))
        else:
            convert = converter.convert
    lines = prepare(state.text, convert)
    return attrs.evolve(state, lines=tuple(lines), findings=state.found(*found))
