"""Stage ``model``: what the stages found made into a typed report by the model's own
:func:`~govdisclosure.model.convert.from_values`: the same report, held to the same checks, as
:func:`~govdisclosure.model.convert.from_data` makes of the canonical data, without structuring the
cells' values through the generic converter (the cost of a parse's last stage)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import attrs

from ..errors import LoadError
from ..findings import display_path
from ..formats.spec import CellKind, FormatSpec
from ..model import Parts
from ..model.convert import from_values
from .state import State

__all__ = ["assemble", "tables_of"]


def _amount(value: Any) -> Any:
    return None if value is None else str(value)


@functools.cache
def tables_of(spec: FormatSpec) -> Callable[[tuple[Any, ...]], dict[str, Any]]:
    """A function (generated once per format) from the cells' values in document order to the
    tables' canonical data: nested dicts, amounts as strings."""
    tree: dict[str, Any] = {}
    for i, cell in enumerate(spec.cells()):
        node = tree.setdefault(cell.table.id, {})
        for key in cell.path:
            node = node.setdefault(key, {})
        node[cell.column.id] = f"a(v[{i}])" if cell.column.kind is CellKind.AMOUNT else f"v[{i}]"

    def source(node: Any) -> str:
        if isinstance(node, str):
            return node
        return "{" + ", ".join(f"{k!r}: {source(v)}" for k, v in node.items()) + "}"

    namespace: dict[str, Any] = {"a": _amount}
    exec(f"def tables(v):\n    return {source(tree)}\n", namespace)
    out: Callable[[tuple[Any, ...]], dict[str, Any]] = namespace["tables"]
    return out


def _tables(spec: FormatSpec) -> Callable[[tuple[Any, ...]], dict[str, Any]]:
    """:func:`tables_of` the format, made when first called: only a report the builder does not take needs it (none
    of the parser's), so no process compiles it for nothing."""
    return lambda values: tables_of(spec)(values)


@functools.cache
def _part_fields() -> tuple[str, ...]:
    """The narrative fields the model has (parts 2–4's prose once the model takes it)."""
    return tuple(f.name for f in attrs.fields(Parts))


def assemble(state: State) -> State:
    spec = state.spec
    assert spec is not None
    meta = state.meta
    data: dict[str, Any] = {
        "year": meta.get("year"), "title": meta.get("title"), "agency": meta.get("agency"),
        "published_on": meta.get("published_on"),
        "parts": {k: state.narrative.get(k) for k in _part_fields()},
    }
    for key in ("period", "notice"):
        if key in meta:
            data[key] = meta[key]
    if state.stated:
        data["stated"] = dict(state.stated)
    if state.provenance:
        data["provenance"] = state.provenance
    try:
        # a text given as such names no file: its provenance says no source.  Every text is cut from the
        # normalised text (or the page's title, normalised too), where no character a text may not hold is
        # left (normalise replaces each), or is our own words; the source is display_path's, escaped: the
        # texts are not searched for one again (a quarter of this stage; tests/test_model_fast.py holds it)
        report = from_values(data, state.values, spec, _tables(spec),
                             source=display_path(state.source) if state.source != "<text>" else None,
                             normalised=True)
    except LoadError as exc:
        raise exc.with_file(state.source) from None
    return state.but(report=report)

