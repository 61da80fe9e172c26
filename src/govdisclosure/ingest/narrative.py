"""Stage ``narrative``: the text of the narrative parts, and the numbers the narrative states."""

from __future__ import annotations

from typing import Any

import attrs

from . import meta
from .regions import Span
from .state import State
from .text import Line, region
from .vocab import normalize, strip_notes

__all__ = ["narrative"]

NARRATIVE_PARTS = ("overview", "problems", "other")


def _part_text(lines: tuple[Line, ...], parts: dict[str, Span], part: str) -> str | None:
    pieces = region(list(lines), parts, part)
    if not pieces:
        return None
    return "\n".join(t for _, t in pieces).strip()


def _labels(state: State) -> dict[str, str]:
    """Table 2's row labels (every installed format's, normalised) -> their pointer prefix."""
    labels: dict[str, str] = {}
    for version in state.registry.formats:
        spec = state.registry.format(version)
        for path, row, _ in spec.rows("proactive"):
            prefix = f"/proactive/{'/'.join(path)}/"
            labels[normalize(strip_notes(row.label.zh))] = prefix
            labels.update({normalize(a): prefix for a in row.aliases})
    return labels


def narrative(state: State) -> State:
    parts = dict(state.parts)
    full = "\n".join(line.text for line in state.lines)
    texts: dict[str, Any] = {p: _part_text(state.lines, parts, p) for p in NARRATIVE_PARTS}
    first = parts.get("overview")
    preamble = "\n".join(line.text for line in state.lines[:first[0]]).strip() if first else None
    texts["preamble"] = preamble or None
    overview = texts["overview"] or full
    stated = meta.stated("\n".join(filter(None, (texts["overview"], texts["other"]))) or full)
    return attrs.evolve(state, narrative=texts, stated=stated, stated_cells=meta.stated_cells(overview, _labels(state)))
