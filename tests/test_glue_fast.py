"""The audit worker's glue made cheaper says what it said: the native tests of a finding row's texts and params
(:func:`.native.texts`, :func:`.native.flat_alike`) answer as ``alike`` does, a text's kind is sniffed as by its name,
and a state copied by ``but`` is ``attrs.evolve``'s."""

from __future__ import annotations

import enum
import importlib
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure.ingest import loaders
from govdisclosure.ingest.budget import Budget
from govdisclosure.ingest.decode import sniff
from govdisclosure.ingest.state import State, start
from govdisclosure.io.fastjson import MOST, alike
from govdisclosure.model import native


class _Odd(enum.Enum):
    A = "a"


class _Text(str):
    """A str of another type (orjson and json write its text; ``texts`` says no: the encoder's way)."""


_LEAF = (st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.text(max_size=3) | st.floats(allow_nan=False)
         | st.decimals(allow_nan=False, places=2) | st.just(_Odd.A) | st.builds(_Text, st.text(max_size=2)))
_DATA = st.recursive(_LEAF, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                     | st.dictionaries(st.text(max_size=3) | st.integers(0, 3), inner, max_size=4), max_leaves=20)


@settings(max_examples=500, deadline=None)
@given(data=_DATA)
def test_flat_alike_answers_as_alike_or_asks_it(data: Any) -> None:
    for amounts in (False, True):
        flat = native.flat_alike(data, amounts)
        assert flat is None or flat == alike(data, amounts)


def test_flat_alike_answers_a_findings_params_and_a_reports_values() -> None:
    params = {"rule": "GD-T3-BALANCE", "instances": 5, "blank_cells": ["/requests/total/research"] * 100}
    assert native.flat_alike(params, True) is True
    assert native.flat_alike((1, None, Decimal("1.5"), 7), True) is True
    assert native.flat_alike((1, None, Decimal("1.5")), False) is False
    assert native.flat_alike({"a": [1.5]}, True) is False
    assert native.flat_alike({"a": [[1]]}, True) is None  # deeper: alike walks it
    assert native.flat_alike(dict.fromkeys(map(str, range(MOST)), 1), True) is None  # maybe past what alike walks


@settings(max_examples=300, deadline=None)
@given(items=st.lists(st.text(max_size=3) | st.integers() | st.builds(_Text, st.text(max_size=2)), max_size=5))
def test_texts_is_a_tuple_of_exactly_str(items: list[Any]) -> None:
    assert native.texts(tuple(items)) == all(type(x) is str for x in items)
    assert not native.texts(items)  # a list: the encoder's way


_NAMES = ["", "a", "a.txt", "a.PDF", "a.pdf", "x/a.HTML", "a.htm", "a.md", "a.Markdown", ".pdf", "..pdf", "a.", "a.pdf/",
          "a.pdf/.", "a.pdf/..", "/", "dir.pdf/file", "dir.pdf/file.txt", "a.tar.pdf", "a.pdf.txt", "<text>", "a.pdf ",
          "a\\b.pdf", "//a.html", "a..html", "中文.html", "a.ｐｄｆ", "a.MD", "a.markdown.bak"]


@pytest.mark.parametrize("name", _NAMES)
@pytest.mark.parametrize("data", [b"abc", b"%PDF-1", b"<html><body>x</body></html>", "abc", "<p>x</p>", "%PDF"])
def test_a_texts_kind_is_sniffed_as_by_its_name(name: str, data: bytes | str) -> None:
    assert sniff(loaders._sniffed_name(name), data) == sniff(name, data)


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
