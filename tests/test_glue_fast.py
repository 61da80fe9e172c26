"""The audit worker's glue made cheaper says what it said: the native test of a finding row's texts
(:func:`.fastjson.texts`) and ``alike`` of its params, a state copied by ``but`` is ``attrs.evolve``'s, and an
Examined record made straight-line is attrs'."""

from __future__ import annotations

import importlib
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure.ingest.budget import Budget
from govdisclosure.ingest.state import State, start
from govdisclosure.io.fastjson import alike, texts


class _Text(str):
    """A str of another type (orjson and json write its text; ``texts`` says no: the encoder's way)."""


def test_alike_answers_a_findings_params_and_a_reports_values() -> None:
    params = {"rule": "GD-T3-BALANCE", "instances": 5, "blank_cells": ["/requests/total/research"] * 100}
    assert alike(params, True)
    assert alike((1, None, Decimal("1.5"), 7), True)
    assert not alike((1, None, Decimal("1.5")), False)
    assert not alike({"a": [1.5]}, True)
    assert alike({"a": [[1], (2, "x")]}, True) and not alike({"a": [[1], (2, 1.5)]}, True)


@settings(max_examples=300, deadline=None)
@given(items=st.lists(st.text(max_size=3) | st.integers() | st.builds(_Text, st.text(max_size=2)), max_size=5))
def test_texts_is_a_tuple_of_exactly_str(items: list[Any]) -> None:
    assert texts(tuple(items)) == all(type(x) is str for x in items)
    assert not texts(items)  # a list: the encoder's way


def test_a_state_copied_is_the_one_evolve_makes() -> None:
    reg = gd.Registry.default()
    budget = Budget(3)
    state = start(registry=reg, source="x.txt", budget=budget, data=b"abc")
    assert state == State(registry=reg, source="x.txt", budget=budget, data=b"abc")
    assert list(vars(state)) == [f.name for f in attrs.fields(State)]
    copied = state.but(text="t", raw="r")
    assert copied == attrs.evolve(state, text="t", raw="r") and type(copied) is State
    assert (state.text, state.raw) == ("", "")  # the state copied is unchanged
    assert list(vars(copied)) == list(vars(state))
    with pytest.raises(KeyError, match="nothing"):
        state.but(text="t", nothing=1)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        copied.text = "x"  # type: ignore[misc]
    assert start(registry=reg, source="a", budget=budget).parts is not start(registry=reg, source="a",
                                                                              budget=budget).parts  # each its own


@pytest.mark.parametrize("pairs", [None, (("h", (("c",) * 8,)),)])
def test_an_examined_record_made_straight_is_the_one_attrs_makes(pairs: Any) -> None:
    examining = importlib.import_module("govdisclosure.audit.examine")  # (the package's name ``examine``: a function)
    fields = ("a.txt", "d", 3, "text", "2021", None, "机关", "county", "区", 2021, "2022-01-31", "标题", b"{}", b"[1]",
              None, (("GD-X", "error", "/a", "[]", "[]", "{}", "zh", "en"),), 0.5)
    given = {} if pairs is None else {"pairs": pairs}
    made, expected = examining._examined(*fields, **given), examining.Examined(*fields, **given)
    assert made == expected and type(made) is examining.Examined
    assert attrs.astuple(made, recurse=False) == attrs.astuple(expected, recurse=False)
