"""Stage ``model``: the canonical data the stages found, made into a typed report (held to the
schema like any other input)."""

from __future__ import annotations

import functools
import json
from typing import Any

import attrs

from ..errors import LoadError
from ..formats.spec import FormatSpec
from ..model import Parts, empty_report
from ..model.convert import from_data, to_data
from .state import State

__all__ = ["assemble"]


@functools.cache
def _blank(spec: FormatSpec) -> str:
    return json.dumps(to_data(empty_report(spec, year=None)))


@functools.cache
def _part_fields() -> tuple[str, ...]:
    """The narrative fields the model has (parts 2–4's prose once the model takes it)."""
    return tuple(f.name for f in attrs.fields(Parts))


def _put(data: dict[str, Any], pointer: str, value: Any) -> None:
    keys = pointer.strip("/").split("/")
    node = data
    for k in keys[:-1]:
        node = node[k]
    node[keys[-1]] = str(value) if value is not None and not isinstance(value, int) else value


def assemble(state: State) -> State:
    spec = state.spec
    assert spec is not None
    data: dict[str, Any] = json.loads(_blank(spec))  # a fresh copy, faster than building the report again
    for pointer, value in state.values.items():
        _put(data, pointer, value)
    data.update(state.meta)
    data["parts"] = {k: state.narrative.get(k) for k in _part_fields()}
    if state.stated:
        data["stated"] = dict(state.stated)
    source = {"source": state.source} if state.source != "<text>" else {}
    data["provenance"] = {p: e | source for p, e in state.provenance.items()}
    try:
        report = from_data(data, spec)
    except LoadError as exc:
        raise exc.with_file(state.source) from None
    return attrs.evolve(state, report=report)
