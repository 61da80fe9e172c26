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


class _Pointer(str):
    """A pointer of the format's, as a str of another type (not a plain key)."""


_ENTRIES = [
    {}, {"/a": {}}, {"/a": {"raw": "1", "line": 2}, "/b": {"line": 3}}, {"/c": {"line": 1}}, {"/a": []},
    {1: {"line": 1}}, {_Pointer("/a"): {"line": 1}}, {"/a": {"line": 1}, "/b": None},
    # every field, in the class's order and another; a text of another str type; the largest count
    {"/a": {"raw": "7", "unit": "万元", "source": "b.txt", "line": 1, "column": 2, "page": 3, "label": "x", "note": "n",
            "candidates": "1|2"}},
    {"/a": {"candidates": "1|2", "note": "n", "line": MAX_COUNT, "raw": _Pointer("7"), "page": 0}},
    # an entry's own source (taken only when none is given), of another type or null
    {"/a": {"source": "b.txt"}}, {"/a": {"source": 1, "line": 2}}, {"/a": {"source": None}},
    # what no builder takes: a null, a bool, a float, a count out of range, a text that is no str, an unknown key
    {"/a": {"raw": None}}, {"/a": {"line": None}}, {"/a": {"line": True}}, {"/a": {"line": 1.0}},
    {"/a": {"line": -1}}, {"/a": {"page": MAX_COUNT + 1}}, {"/a": {"label": 1}}, {"/a": {"lines": 1}},
    {"/a": {1: 1}}, {"/a": {"line": 1}, "/b": {"raw": "1", "x": 2}},
]


@pytest.mark.parametrize("entries", _ENTRIES)
@pytest.mark.parametrize("source", ["a.txt", None])
def test_provenance_entries_made_alike(entries: dict[Any, Any], source: str | None,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The provenance's keys, entries and fields refused by the native loop as the builders of the entries' shapes
    refuse them, and the same entries made either way, the same texts gathered (in another order)."""
    known = frozenset({"/a", "/b"})
    monkeypatch.setattr(native, "NATIVE", False)
    texts: list[Any] = []
    try:
        plain = build._provenance(entries, known, source, texts)
    except build.NotPlain:
        plain = None
    gathered: list[Any] = []
    try:
        made = native.provenance_entries(entries, known, source, gathered, build._entry_maker())
    except native.NotPlain:
        made = None
    assert made == plain
    if made is not None:
        assert [type(e) for e in made.values()] == [type(e) for e in plain.values()]
        assert sorted(gathered) == sorted(texts[len(entries) if source is not None else 0:])
    monkeypatch.setattr(native, "NATIVE", True)
    texts = []
    try:
        assert build._provenance(entries, known, source, texts) == plain
    except build.NotPlain:
        assert plain is None
