"""The parser's shortcuts in its decode and regions stages answer as what they replace: ``sniff`` without a ``Path``
for a name with no dot, and ``_merged`` for ``heapq.merge`` (checked here on many inputs, pure and compiled)."""

from __future__ import annotations

import functools
import heapq
import operator
import random
from collections.abc import Iterator
from pathlib import Path
from re import _constants, _parser  # type: ignore[attr-defined]
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclosure.formats.spec import FormatSpec, Label, Row
from govdisclosure.ingest import PIPELINE, regions
from govdisclosure.ingest.budget import Budget
from govdisclosure.ingest.decode import sniff
from govdisclosure.ingest.regions import _merged
from govdisclosure.ingest.state import run, start
from govdisclosure.registry import Registry

from .conftest import DATA

_name_pieces = st.sampled_from([".", "..", "/", "\\", ".pdf", ".PDF", ".html", ".htm", ".md", ".markdown", ".txt",
                                "<text>", "report", "报告", " ", "a.b/", "pdf", "html", "~"])
_names = st.lists(_name_pieces | st.text(max_size=4), max_size=6).map("".join)
_data = st.sampled_from(["", "报告", "<html><body>", "%PDF-1.7", b"%PDF-1.4", b"<p>x</p>", b"plain"])


@settings(max_examples=1500, deadline=None)
@given(_names, _data)
def test_sniff_reads_a_suffix_as_path_does(name: str, data: bytes | str) -> None:
    """``sniff`` reads a name's suffix through ``Path`` only where the name holds a dot: ``Path`` finds none in a
    name without one, and such a name's kind is then the data's, as for any name with no known suffix."""
    dotless = name.replace(".", "")
    assert Path(dotless).suffix == ""
    assert sniff(dotless, data) == sniff("<text>", data)
    if Path(name).suffix.lower() in (".pdf", ".html", ".htm", ".md", ".markdown"):
        assert sniff(name, data) == {".pdf": "pdf", ".html": "html", ".htm": "html", ".md": "markdown",
                                     ".markdown": "markdown"}[Path(name).suffix.lower()]
    else:
        assert sniff(name, data) == sniff("<text>", data)


def test_sniff_on_names_seen() -> None:
    assert [sniff(n, "x") for n in ("<text>", "a.PDF", "b.htm", "c.markdown", "dir.pdf/report", "noext", ".pdf")] == [
        "text", "pdf", "html", "markdown", "text", "text", "text"]


_items = st.lists(st.tuples(st.integers(0, 6), st.booleans()), max_size=6).map(sorted)


class _Asked:
    """A stream that records when each of its items is asked for (merge's laziness is part of what it does)."""

    def __init__(self, name: str, items: list[tuple[int, bool]], log: list[str]) -> None:
        self.name, self.items, self.log = name, iter(items), log

    def __iter__(self) -> Iterator[tuple[int, bool]]:
        return self

    def __next__(self) -> tuple[int, bool]:
        self.log.append(self.name)
        return next(self.items)


@settings(max_examples=1500, deadline=None)
@given(_items, _items, st.integers(0, 13))
def test_merged_is_heapq_merge_and_as_lazy(first: list[tuple[int, bool]], second: list[tuple[int, bool]],
                                           taken: int) -> None:
    ours: list[str] = []
    theirs: list[str] = []
    got = list(zip(_merged(_Asked("a", first, ours), _Asked("b", second, ours)), range(taken), strict=False))
    want = list(zip(heapq.merge(_Asked("a", first, theirs), _Asked("b", second, theirs)), range(taken), strict=False))
    assert got == want
    assert ours == theirs  # each stream asked as often, in the same order, for as many items taken
    assert list(_merged(iter(first), iter(second))) == sorted(first + second)


# ----------------------------------------------------------------------------- regions' searches, tried where they may match

#: the inputs the searches below read: the corpus's reports and pages (folded as the regions stage reads them)
_TEXTS = sorted([*(DATA / "corpus" / "reports").glob("*.txt"), *(DATA / "ingest").glob("*.html"),
                 *(DATA / "probe12b").glob("*.html"), *(DATA / "probe11b").glob("*.html")])


@functools.cache
def _spec() -> FormatSpec:
    registry = Registry.default()
    return registry.format(max(registry.formats))


@functools.cache
def _folded(path: Path) -> str:
    registry = Registry.default()
    data = path.read_bytes()
    state = start(registry=registry, source=str(path), budget=Budget(len(data)), data=data,
                  kind="html" if path.suffix == ".html" else "text")
    return run(state, PIPELINE[:2]).folded


def _spans(text: str, rnd: random.Random, n: int) -> list[tuple[int, int]]:
    out = [(0, len(text)), (1, len(text))] if text else [(0, 0)]
    for _ in range(n):
        a = rnd.randrange(0, len(text) + 1)
        out.append((a, rnd.randrange(a, len(text) + 1)))
    return out


def _mutated(text: str, pieces: list[str], rnd: random.Random) -> str:
    """``text`` with pieces put in at line starts and anywhere (a heading, a frame's line, a row's label)."""
    out = text
    for _ in range(12):
        at = rnd.randrange(0, len(out) + 1)
        if rnd.random() < 0.5 and (line := out.rfind("\n", 0, at)) >= 0:
            at = line + 1
        out = out[:at] + rnd.choice(pieces) + out[at:]
    return out


def _keyed_finditer(text: str, k: int, a: int, b: int) -> list[tuple[int, int]]:
    """The keyed headings' matches as ``_by_key_word`` read them before: the pattern's own search, match by match."""
    return [m.span() for m in regions._heading_regex(_spec())[k][2].finditer(text, a, b)]


def _keyed_lines(text: str, k: int, a: int, b: int) -> list[tuple[int, int]]:
    keyed, numeral = regions._heading_regex(_spec())[k][2], regions._for(_spec()).numerals[k]
    assert numeral is not None
    out, m = [], regions._keyed_line(text, numeral, keyed, a, b)
    while m is not None:
        out.append(m.span())
        m = regions._keyed_line(text, numeral, keyed, m.end(), b)
    return out


def _frame_search(text: str, a: int, b: int) -> int | None:
    """The frame's first line as ``_frame_end`` found it before (``a`` > 0): the pattern after a line break."""
    m = regions._FRAME_END_AFTER_BREAK.search(text, a - 1, b)
    return None if m is None else m.start() + 1


def _row_search(text: str, table: str, a: int, b: int) -> int | None:
    m = regions._first_rows(_spec(), table)[1].search(text, a, b)
    return None if m is None else m.start()


def _row_tried(text: str, table: str, a: int, b: int) -> int | None:
    firsts = regions._row_firsts(_spec(), table)
    assert firsts is not None
    return regions._row_after(text, firsts, regions._first_rows(_spec(), table)[1], a, b)


#: words a heading, a frame's line or a row's label is made of, and what stands around them
_HEADING_PIECES = ["一、总体情况", "二、主动公开政府信息情况", " 三 、收到和处理政府信息公开申请情况\n", "\t四.复议诉讼\n",
                   "五、存在的问题", "六、其他需要报告的事项\n", "一\n、概述", "二、", "\n", " ", "\t", "\u3000", "。", "一审",
                   "统一", "六,需要说明\n", "四、行政复议、行政诉讼情况" + "很长" * 20 + "\n"]
_FRAME_PIECES = ["上一篇：", "下一条", "相关链接", "【打印】", "【 关闭 】", "关闭窗口", "分享到", "扫一扫", "网站地图",
                 "主办单位", "承办：某局\n", "版权所有", "技术支持", "政府网站标识码", "网站标识码", "Copyright", "©",
                 "苏ICP备12345", "ICP备案号", "京公网安备", "x" * 39 + "ICP备", "x" * 41 + "ICP备", "y" * 21 + "公网安备",
                 regions.PROVENANCE.zh, " " + regions.PROVENANCE.zh + " \n", "\n", " ", "\u3000", "\t", "上", "相", "【",
                 "打", "政府", "ICP", "公网"]


@functools.cache
def _row_pieces(table: str) -> list[str]:
    labels = [row.label.zh for _, row, _ in _spec().rows(table)]
    return [*labels, *(label[:3] for label in labels), " ".join(labels[0]), "|", "| ", "\n", " \t", "|\n", "x"]


@pytest.mark.parametrize("path", _TEXTS, ids=lambda p: p.name)
def test_keyed_line_reads_as_the_search(path: Path) -> None:
    folded, rnd = _folded(path), random.Random(path.name)
    for text in (folded, *(_mutated(folded, _HEADING_PIECES, rnd) for _ in range(3))):
        for a, b in _spans(text, rnd, 20):
            for k in range(len(_spec().parts)):
                assert _keyed_lines(text, k, a, b) == _keyed_finditer(text, k, a, b)


@pytest.mark.parametrize("path", _TEXTS, ids=lambda p: p.name)
def test_frame_line_reads_as_the_search(path: Path) -> None:
    folded, rnd = _folded(path), random.Random(path.name)
    for text in (folded, *(_mutated(folded, _FRAME_PIECES, rnd) for _ in range(6))):
        for a, b in _spans(text, rnd, 30):
            if a:
                assert regions._frame_end(text, a, b) == _frame_search(text, a, b)


@pytest.mark.parametrize("path", _TEXTS, ids=lambda p: p.name)
def test_row_after_reads_as_the_search(path: Path) -> None:
    folded, rnd = _folded(path), random.Random(path.name)
    for table in (t.id for t in _spec().tables):
        for text in (folded, *(_mutated(folded, _row_pieces(table), rnd) for _ in range(3))):
            for a, b in _spans(text, rnd, 20):
                assert _row_tried(text, table, a, b) == _row_search(text, table, a, b)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_HEADING_PIECES + _FRAME_PIECES + _row_pieces("requests")), max_size=30).map("".join),
       st.integers(0, 400), st.integers(0, 400))
def test_searches_tried_where_they_may_match(text: str, a: int, b: int) -> None:
    a, b = min(a, len(text)), min(max(a, b), len(text))
    for k in range(len(_spec().parts)):
        assert _keyed_lines(text, k, a, b) == _keyed_finditer(text, k, a, b)
    if a:
        assert regions._frame_end(text, a, b) == _frame_search(text, a, b)
    for table in (t.id for t in _spec().tables):
        assert _row_tried(text, table, a, b) == _row_search(text, table, a, b)


def _first_row_labelled(zh: str) -> FormatSpec:
    """The format with its first table's first row labelled ``zh``."""
    spec = _spec()
    table = spec.tables[0]
    block = table.blocks[0]
    rows = (Row("odd", Label(zh, "odd")), *block.rows[1:])
    table = attrs.evolve(table, blocks=(attrs.evolve(block, rows=rows), *table.blocks[1:]))
    return attrs.evolve(spec, tables=(table, *spec.tables[1:]))


def test_row_firsts_is_none_where_a_label_has_no_first_character_in_the_table() -> None:
    table = _spec().tables[0].id
    assert regions._row_firsts(_first_row_labelled("其他"), table) is not None
    assert regions._row_firsts(_first_row_labelled(" \u3000"), table) is None  # (spaces only)
    assert regions._row_firsts(_first_row_labelled("\U00020000表"), table) is None  # (past the table's characters)


@pytest.mark.parametrize("path", _TEXTS[::4], ids=lambda p: p.name)
def test_a_table_without_first_characters_finds_its_first_row_by_the_search(path: Path) -> None:
    folded, rnd = _folded(path), random.Random(path.name)
    spec, rows = _spec(), regions._for(_spec()).row_firsts
    found_at_breaks: set[bool] = set()
    for table in (t.id for t in spec.tables):
        spans = [(text, a, b) for text in (folded, _mutated(folded, _row_pieces(table), rnd))
                 for a, b in _spans(text, rnd, 20)]
        tried = [regions._first_row(text, spec, table, a, b) for text, a, b in spans]
        kept = rows.get(table, regions._row_firsts(spec, table))
        rows[table] = None  # (as a format whose label has no first character makes it)
        try:
            assert [regions._first_row(text, spec, table, a, b) for text, a, b in spans] == tried
        finally:
            rows[table] = kept
        found_at_breaks.update(at > a and text[at - 1] == "\n" for (text, a, _), at in zip(spans, tried, strict=True)
                               if at)
    assert True in found_at_breaks  # (rows found after a line break: where the branch adds one)


def _first_chars(items: list[tuple[Any, Any]]) -> set[str]:
    """The characters a parsed pattern's match may start with; a repeat of any character must be followed by one of
    :data:`regions._FRAME_ANYWHERE` (its lines are tried by that word)."""
    if not items:
        return {""}
    (op, arg), rest = items[0], items[1:]
    if op is _constants.LITERAL:
        return {chr(arg)}
    if op is _constants.SUBPATTERN:
        return _first_chars([*arg[3], *rest])
    if op is _constants.BRANCH:
        return set().union(*(_first_chars([*branch, *rest]) for branch in arg[1]))
    if op is _constants.IN:
        return {chr(v) for kind, v in arg if kind is _constants.LITERAL} | ({"?"} if any(
            kind is not _constants.LITERAL for kind, _ in arg) else set())
    if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):
        low, _, body = arg
        if list(body) == list(_parser.parse(r"[^\S\n]")):  # blanks: the words after them decide
            return _first_chars(rest)
        if list(body) == [(_constants.ANY, None)]:
            word = "".join(chr(v) for o, v in rest if o is _constants.LITERAL)  # the literal run after it
            assert word.startswith(regions._FRAME_ANYWHERE), word
            return set()
        return _first_chars(list(body)) | (_first_chars(rest) if low == 0 else set())
    if op is _constants.AT:
        return _first_chars(rest)
    raise AssertionError(op)


def test_frame_first_characters_are_the_patterns() -> None:
    """Every line :data:`regions._FRAME_ENDS` matches starts (blanks aside) with one of ``_FRAME_FIRST``, or holds one
    of ``_FRAME_ANYWHERE``: the lines ``_frame_end`` tries are all it may match."""
    assert _first_chars(list(_parser.parse(regions._FRAME_ENDS))) <= regions._FRAME_FIRST


def test_for_gives_what_the_cached_functions_give() -> None:
    """The patterns kept for the format last asked are those its cached functions built, for each format in turn."""
    registry = Registry.default()
    for version in [*registry.formats, *registry.formats]:
        spec = registry.format(version)
        assert regions._heading_regex(spec) is regions._heading_regex_of(spec)
        assert regions._row_starts(spec) is regions._row_starts_of(spec)
        assert regions._any_heading(spec) is regions._any_heading_of(spec)
        assert regions._merged_tail(spec) is regions._merged_tail_of(spec)
        assert regions._official_headings(spec) is regions._official_headings_of(spec)
        for table in (t.id for t in spec.tables):
            assert regions._table_marks(spec, table) is regions._table_marks_of(spec, table)
            # a pair compiled code boxes anew on each return: the same patterns in it
            assert all(map(operator.is_, regions._first_rows(spec, table), regions._first_rows_of(spec, table)))
            assert regions._labels(spec, table) is regions._labels_of(spec, table)


def test_no_space_from_u3001() -> None:
    """``_frame_first`` asks ``str.isspace`` only below ``_NO_SPACE_FROM``."""
    assert chr(regions._NO_SPACE_FROM - 1).isspace()
    assert not any(chr(c).isspace() for c in range(regions._NO_SPACE_FROM, 0x110000))
