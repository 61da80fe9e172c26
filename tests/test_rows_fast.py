"""The rows stage's compiled helpers give what the library functions and the plain ways they stand for give."""

from __future__ import annotations

import bisect

from hypothesis import given
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure.ingest import rows
from govdisclosure.ingest.tokens import Token

INTS = st.integers(min_value=-3, max_value=40)


@given(st.lists(INTS, max_size=40), INTS)
def test_bisect_left_is_bisect(a: list[int], x: int) -> None:
    assert rows._bisect_left(a, x) == bisect.bisect_left(a, x)
    assert rows._bisect_left(sorted(a), x) == bisect.bisect_left(sorted(a), x)  # (the same steps: unsorted alike)


@given(st.lists(INTS, max_size=40), INTS)
def test_bisect_right_is_bisect(a: list[int], x: int) -> None:
    assert rows._bisect_right(tuple(a), x) == bisect.bisect_right(a, x)
    assert rows._bisect_right(tuple(sorted(a)), x) == bisect.bisect_right(sorted(a), x)


#: tokens as a stream holds them: text (words of the 2021 form's table 4 header, others), numbers, marks
TOKENS = st.builds(
    lambda kind, text, cell: Token(kind, text, text, 0, cell=cell),
    st.sampled_from(("text", "num", "blank")),
    st.sampled_from(("结果维持", "行政复议 行政诉讼", "总计", "尚未审结", "本年度无", "12", "/", "(含转办3)", "")),
    st.booleans())


@given(st.lists(TOKENS, max_size=8))
def test_words_only_is_the_plain_test(stream: list[Token]) -> None:
    spec = gd.Registry.core().format("2021")
    for table in rows.TABLES:
        plain = all(t.kind == "text" and not rows._header_only(spec, table, t.text) for t in stream)
        assert rows._words_only(spec, table, tuple(stream)) == plain


@given(st.lists(TOKENS, max_size=8))
def test_beside_without_cell_words_keeps_the_rows(stream: list[Token]) -> None:
    texts = rows._text_items(tuple(stream))
    assigned: list[tuple[Token, ...] | None] = [None]
    out = rows._beside(tuple(stream), texts, assigned, [], "", lambda at: 1)
    if not any(stream[i].cell for i in texts):  # (the plain test)
        assert out is assigned
    else:
        assert out is not assigned


def test_plan_labelled_rows_are_the_printed_rows_with_a_label() -> None:
    """``_blank_rows_after`` reads the rows with a label and the place of a hit's among them from the plan."""
    reg = gd.Registry.core()
    bases = tuple(reg.format(v) for v in reg.formats)
    for spec in bases:
        for table, plan in rows._plan(spec, bases).items():
            paths = [(path, row) for path, row, _ in plan.printed if row is not None]
            assert list(plan.labelled) == paths
            for path, _ in paths:
                assert plan.labelled_at[path] == max(k for k, (p, _) in enumerate(paths) if p == path)
            assert {searched[0] for searched in plan.searched} == {path for path, _ in paths}, table
