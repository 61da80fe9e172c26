"""The rows stage's compiled helpers give what the library functions and the plain ways they stand for give."""

from __future__ import annotations

import bisect
import operator

from hypothesis import given
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure.ingest import PIPELINE, rows
from govdisclosure.ingest.budget import Budget
from govdisclosure.ingest.state import run, start
from govdisclosure.ingest.tokens import Token

from .conftest import DATA

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


def _joined_as_it_was(stream: tuple[Token, ...], items: list[int]) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """The text items joined, as :func:`rows._joined` read them until 2026-12-02: compacted at once, cut apart, the
    pieces not empty joined again (or each compacted alone, where an item holds the cut)."""
    texts = [stream[i].text for i in items]
    whole = rows._CUT.join(texts)
    if not rows._CUT_SAFE or whole.count(rows._CUT) != max(len(items) - 1, 0):
        pieces = [rows._LONG_NOTE.sub("", t) if "(" in t else t for t in map(rows.compact, texts)]
    else:
        whole = rows.compact(whole)
        pieces = (rows._LONG_NOTE_CUT.sub("", whole) if "(" in whole else whole).split(rows._CUT)
    kept, starts, owners, at = [], [], [], 0
    for i, piece in zip(items, pieces, strict=False):
        if piece:
            kept.append(piece)
            starts.append(at)
            owners.append(i)
            at += len(piece)
    return "".join(kept), tuple(starts), tuple(owners)


#: a text item's characters: whitespace (compacted away: an item of it alone is an empty piece), a list number's
#: '、', brackets (a long note dropped), a rewording's words, the cut itself (each item compacted alone), labels
LABEL_TEXTS = st.text(" \t\u3000、1２(()指含档案文件本年其他\x00abcdefghijk", max_size=16)


@given(st.lists(st.tuples(st.sampled_from(("text", "num")), LABEL_TEXTS), max_size=10))
def test_joined_reads_the_pieces_between_the_cuts_as_the_split_did(items: list[tuple[str, str]]) -> None:
    stream = tuple(Token(kind, text, text, k) for k, (kind, text) in enumerate(items))
    texts = rows._text_items(stream)
    labels = rows._joined(stream, texts)
    assert (labels.text, labels.starts, labels.owners) == _joined_as_it_was(stream, texts)
    assert labels == rows.joined(stream)


def test_joined_reads_the_corpus_tables_as_the_split_did() -> None:
    for name in ("001-hutubi-shanggongxinju-2020-seed.txt", "012-pingtan-2022-zfxxgknb.txt",
                 "021-huaian-hongze-district-2023-pdf.txt"):
        report = (DATA / "corpus" / "reports" / name).read_text(encoding="utf-8")
        state = run(start(registry=gd.Registry.core(), source=name, budget=Budget(len(report)), data=report),
                    PIPELINE[:6])
        assert state.streams
        for stream in state.streams.values():
            texts = rows._text_items(stream)
            assert tuple(rows._joined(stream, texts)) == _joined_as_it_was(stream, texts)


# ----------------------------------------------------------------------------- native loops and what they replace

SOFT_TOKENS = st.builds(lambda kind, soft: Token(kind, "|", "", 0, soft=soft), st.sampled_from(("num", "blank")),
                        st.booleans())


@given(st.lists(SOFT_TOKENS, max_size=12))
def test_soft_count_is_the_sum_of_the_soft_fields(tokens: list[Token]) -> None:
    assert rows._soft_count(tuple(tokens)) == sum(t.soft for t in tokens)


MARKERS = st.frozensets(st.sampled_from(("结果维持", "总计", "本年度", "收到", "办理", "")), max_size=5)


@given(st.text(st.sampled_from("结果维持总计本年度收到申请办理 "), max_size=30), MARKERS)
def test_markers_in_counts_the_markers_in_the_text(text: str, markers: frozenset[str]) -> None:
    assert rows._markers_in(text, markers) == sum(map(text.__contains__, markers))


WORDS = st.lists(st.tuples(st.sampled_from(("结果", "维持", "总计", "其他", "")), st.integers(-1, 4)), max_size=5)


@given(st.text(st.sampled_from("结果维持总计其他法人 "), max_size=20), WORDS)
def test_any_word_is_any(piece: str, words: list[tuple[str, int]]) -> None:
    assert rows._any_word(piece, tuple(words)) == any(w in piece for w, _ in words)


@given(st.lists(TOKENS, max_size=8), st.integers(-2, 10), st.integers(-2, 10))
def test_texts_only_is_the_slice_test(stream: list[Token], start: int, end: int) -> None:
    start = max(start, 0)  # (where the header is read: an item's index and one past it, never negative)
    end = max(end, 0)
    plain = not any(t.kind != "text" for t in tuple(stream)[start:end])
    assert rows._texts_only(tuple(stream), start, end) == plain


HITS = st.lists(st.builds(lambda path, item, at: rows.LabelHit((path,), None, item, "", at),  # type: ignore[arg-type]
                          st.sampled_from("abcdef"), st.integers(0, 6), st.integers(0, 6)), min_size=1, max_size=8)


@given(HITS)
def test_last_in_text_is_the_max_by_item_and_place(hits: list[rows.LabelHit]) -> None:
    assert rows._last_in_text(hits) is max(hits, key=lambda hit: (hit.item, hit.at))


def _detect_as_it_was(reg: gd.Registry, tables: dict[str, str], year: int | None) -> tuple[str, int]:
    """:func:`rows._detect_format`'s choice as it was made (sums of maps, ``max`` by a key)."""
    bases = tuple(reg.format(v) for v in reg.formats)
    own = rows._plans(bases)[0]
    scores = {spec.version: sum(sum(map(tables.get(table, "").__contains__, own[(spec.version, table)]))
                                for table in ("proactive", "requests")) for spec in bases}
    if max(scores.values(), default=0) == 0:
        spec = bases[-1] if year is None else reg.format_for_year(year)
        return spec.version, int(year is None)
    return max(bases, key=lambda s: (scores[s.version], s.version)).version, 0


def _marker_texts() -> st.SearchStrategy[str]:
    reg = gd.Registry.core()
    own = rows._plans(tuple(reg.format(v) for v in reg.formats))[0]
    markers = sorted({m for ms in own.values() for m in ms})
    return st.lists(st.sampled_from([*markers, "办理结果", "本年"]), max_size=6).map("".join)


@given(_marker_texts(), _marker_texts(), st.sampled_from((None, 2019, 2021)))
def test_detect_format_chooses_as_it_did(proactive: str, requests: str, year: int | None) -> None:
    reg = gd.Registry.core()
    bases = tuple(reg.format(v) for v in reg.formats)
    tables = {"proactive": proactive, "requests": requests}
    spec, found = rows._detect_format(reg, bases, tables, year)
    version, guessed = _detect_as_it_was(reg, tables, year)
    assert (spec.version, len(found)) == (version, guessed)


def test_plan_forms_are_the_block_words_forms() -> None:
    reg = gd.Registry.core()
    bases = tuple(reg.format(v) for v in reg.formats)
    for spec in bases:
        for table, plan in rows._plan(spec, bases).items():
            assert plan.forms == tuple(tuple([w.word for w in block]) for block in plan.words), table


@given(st.text(st.sampled_from("()()\x00ab中文、 "), max_size=60))
def test_without_long_notes_is_the_pattern(text: str) -> None:
    assert rows._without_long_notes(text) == rows._LONG_NOTE_CUT.sub("", text)


@given(st.lists(st.sampled_from(("(", ")", "\x00", "a" * 9, "中" * 10, "b", "(含转办3)")), max_size=12))
def test_without_long_notes_is_the_pattern_near_its_bound(pieces: list[str]) -> None:
    text = "".join(pieces)  # (runs of about the bound's length between brackets and cuts)
    assert rows._without_long_notes(text) == rows._LONG_NOTE_CUT.sub("", text)


@given(st.lists(st.integers(0, 3), max_size=4), st.lists(st.integers(0, 3), max_size=4))
def test_same_objects_is_all_of_is(a: list[int], b: list[int]) -> None:
    objects = [object() for _ in range(4)]
    kept, bases = tuple(objects[k] for k in a), tuple(objects[k] for k in b)
    assert rows._same_objects(kept, bases) == all(map(operator.is_, kept, bases))  # type: ignore[arg-type]
