"""The balances' loop (``rules.sums.failing``: native code in the compiled build) lists what the engine's generated
test (``engine._fused``, ``engine._tests``) lists: the same marks in the same order, for a report without blanks and
for one with, over each format's balances and over instances of any shape (long sides, slices, weights other than
1); where the generated test raises, the loop raises the same."""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure.formats.spec import FormatSpec
from govdisclosure.labels import Label
from govdisclosure.rules import engine, sums
from govdisclosure.rules.compiled import Instance

from .conftest import EXAMPLES

#: the values a report's cell may hold, and what a caller may put there: ints (small ones, to make sums equal; big and
#: negative ones), Decimals (of more digits than the context keeps, -0, exponents), blanks, and a bool
VALUES = st.one_of(
    st.integers(min_value=0, max_value=3), st.integers(), st.integers(min_value=-(2**80), max_value=2**80),
    st.decimals(allow_nan=False, allow_infinity=False), st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.just(Decimal("-0")), st.just(Decimal("1.00000000000000000000000000000001")), st.none(), st.just(True))


def _outcome(test: Callable[[], list[Any]]) -> Any:
    """What a test gives, or the type of what it raises (a blank in a sum, a Decimal past the context's limits)."""
    try:
        return test()
    except (TypeError, ArithmeticError) as exc:  # compared: each raises what the other raises
        return type(exc)


def _specs() -> list[FormatSpec]:
    reg = gd.Registry.core()
    return [reg.format(v) for v in reg.formats] + [reg.format(v.extends, v.id) for v in reg.variants.values()]


@functools.cache
def _bases() -> dict[str, tuple[Any, ...]]:
    """The values of the examples, by format: reports that balance, to be changed a little."""
    out: dict[str, tuple[Any, ...]] = {}
    for path in sorted(EXAMPLES.glob("*.json")):
        report = gd.load(path)
        out.setdefault(report.spec.version, report.values())
    return out


def test_the_formats_balances_are_chains_and_slices_each_in_bytes() -> None:
    """The premise: the formats' balances sum sides both ways (a chain of one term, of more; a slice, from 0), and
    the compiled build tests them all with the loop (every slot in a byte)."""
    for spec in _specs():
        program = engine._program(gd.Registry.core().runnable(spec), spec)
        sides = [[slot for slot, _ in side] for eq in program.balances
                 for inst in engine._plan(eq, spec, None).instances for side in (inst.left, inst.right)]
        assert any(engine._sliced(s) for s in sides), spec.version
        assert any(engine._chained(s) and len(s) == 1 for s in sides)
        assert any(engine._chained(s) and len(s) > 1 for s in sides)
        ops, marks = engine._flat(program.balances, spec)
        assert ops is not None and len(marks) > 20


def test_slots_past_a_byte_keep_the_generated_test() -> None:
    at = Label("", "")
    assert engine._ops([Instance("GD-TEST", at, ((255, 1),), ((1, 1),))]) is not None
    assert engine._ops([Instance("GD-TEST", at, ((256, 1),), ((1, 1),))]) is None
    assert engine._ops([Instance("GD-TEST", at, tuple((s % 7, 1) for s in range(128)), ((1, 1),))]) is None


@pytest.mark.parametrize("spec", _specs(), ids=lambda s: f"{s.version}-{s.variant}")
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_the_loop_lists_what_the_generated_test_lists(spec: FormatSpec, data: st.DataObject) -> None:
    program = engine._program(gd.Registry.core().runnable(spec), spec)
    complete, blanks = engine._fused(program.balances, spec)
    ops, marks = engine._flat(program.balances, spec)
    assert ops is not None
    size = len(spec.cells())
    base = _bases().get(spec.version)
    if base is not None and len(base) == size and data.draw(st.booleans()):  # a balanced report, a few cells changed
        values = list(base)
        for at, value in data.draw(st.dictionaries(st.integers(0, size - 1), VALUES, max_size=6)).items():
            values[at] = value
    else:
        values = data.draw(st.lists(VALUES, min_size=size, max_size=size))
    v = tuple(values)
    assert _outcome(lambda: sums.failing(ops, marks, v, True)) == _outcome(lambda: blanks(v))
    assert _outcome(lambda: sums.failing(ops, marks, v, False)) == _outcome(lambda: complete(v))


#: a side of an instance over 40 slots: a few slots (a chain), many (a sum of a tuple), slots evenly apart (a slice)
SIDES = st.one_of(
    st.lists(st.tuples(st.integers(0, 39), st.sampled_from((1, 1, 1, -1, 2))), min_size=1, max_size=40),
    st.builds(lambda start, step, n: tuple((s, 1) for s in range(start, 40, step))[:n],
              st.integers(0, 3), st.integers(1, 4), st.integers(1, 12)))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(SIDES, SIDES), max_size=6), st.lists(VALUES, min_size=40, max_size=40),
       st.lists(st.integers(0, 3), min_size=40, max_size=40), st.booleans())
def test_the_loop_sums_instances_of_any_shape_as_the_generated_test(
        sides: list[tuple[Any, Any]], values: list[Any], small: list[int], blanks: bool) -> None:
    instances = tuple(Instance("GD-TEST", Label("", ""), tuple(left), tuple(right)) for left, right in sides)
    generated = engine._compiled(engine._tests(instances, blanks, str))
    ops, marks = engine._ops(list(instances)), tuple(range(len(instances)))
    assert ops is not None
    for v in (tuple(values), tuple(small)):  # any values; small counts, whose sums are often equal
        assert _outcome(lambda: sums.failing(ops, marks, v, blanks)) == _outcome(lambda: generated(v))  # noqa: B023


def test_a_chain_takes_its_first_decimal_as_it_is_and_a_sum_from_zero_rounds_it() -> None:
    """The premise of the heads: ``v[0]`` and ``0 + v[0]`` differ past the context's digits, and the loop keeps it."""
    long = Decimal("1.00000000000000000000000000000001")
    chain = Instance("GD-TEST", Label("", ""), ((0, 1),), ((1, 1),))
    sliced = Instance("GD-TEST", Label("", ""), tuple((s, 1) for s in range(0, 18, 2)), ((1, 1),))
    values = (long, Decimal(1), *([Decimal(0)] * 16))
    assert engine._compiled(engine._tests((chain, sliced), False, str))(values) == [0]
    assert sums.failing(engine._ops([chain, sliced]), (0, 1), values, False) == [0]
