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


@pytest.mark.parametrize("entries", [
    {}, {"/a": {}}, {"/a": {"raw": "1", "line": 2}, "/b": {"line": 3}}, {"/c": {"line": 1}}, {"/a": []},
    {1: {"line": 1}}, {_Pointer("/a"): {"line": 1}}, {"/a": {"line": 1}, "/b": None}])
@pytest.mark.parametrize("native_build", [False, True])
def test_provenance_entries_checked_alike(entries: dict[Any, Any], native_build: bool,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The provenance's keys and entries refused (or each entry's fields listed) by the native loop as the pure way
    refuses them, and the same entries built either way."""
    known = frozenset({"/a", "/b"})
    try:
        plain = build._provenance(entries, known, "a.txt", [])
    except build.NotPlain:
        plain = None
    shapes = native.entry_shapes(entries, known)
    assert (shapes is None) == (plain is None)
    if shapes is not None:
        assert shapes == [tuple(e) for e in entries.values()]
    monkeypatch.setattr(native, "NATIVE", native_build)
    texts: list[Any] = []
    try:
        assert build._provenance(entries, known, "a.txt", texts) == plain
    except build.NotPlain:
        assert plain is None
