"""The document rules' word searches (issue 12): the faster ways give what the plain patterns give."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure.formats.spec import Label
from govdisclosure.rules.document import CHECKS, content
from govdisclosure.rules.document import narrative as nv
from govdisclosure.rules.document.narrative import Passage, Words, finds, firsts, present
from govdisclosure.traditional import TRADITIONAL_CHARS, TRADITIONAL_MIN, TRADITIONAL_WINDOW, looks_traditional

#: lists of words that overlap (one inside another, one starting another), of several sizes, and the shipped ones
LISTS = (
    ("考核", "考评", "绩效评估", "测评"),
    ("社会评议", "评议", "群众评价", "满意度"),
    ("责任追究", "追责", "问责"),
    ("丁丁", "丁丁丁", "丁"),
    ("ab", "ＡＢ", "abc"),
    ("公开申请", "主动公开", "申请公开", "公开"),
    ("化解过剩产能", "去产能", "十三五", "经信委", "经信系统", "经信局"),
)
WORDS = sorted({w for words in LISTS for w in words})
_OPTIONS = {c.code: c.options for c in CHECKS}
SHIPPED = (content._themes(_OPTIONS["GD-M-OVERVIEW-THEMES"]).words, content._art50(_OPTIONS["GD-M-ART50-4"]).topics.words,
           content._part6(_OPTIONS["GD-M-PART6-TOPICS"]).words)


def _plain(words: Words) -> Words:
    """The same lists searched by their patterns alone (no key looked for on its own first)."""
    return attrs.evolve(words, few=(), keys=tuple(() for _ in words.lists))


PAD = "政府信息公开工作年度报告。\n" * (nv._LONG_TEXT // 14 + 1)
FILLER = st.text(st.sampled_from("政府信息公开报告工作，。 \n丁ab"), max_size=12)


@st.composite
def texts(draw: st.DrawFn, words: list[str] = WORDS) -> str:
    """A text of a few of the words (most often none, or one: then each key of a list is the only one
    found), their pieces, filler and wraps; long enough, half the time, for the checks (``nv._LONG_TEXT``)."""
    vocab = draw(st.lists(st.sampled_from(words), max_size=2))
    bits = [*vocab, *(w[:1] for w in vocab), *(w[1:] for w in vocab)]
    piece = st.one_of(FILLER, st.sampled_from(bits)) if bits else FILLER
    pad = draw(st.sampled_from(["", PAD]))  # filler that makes the text long, anywhere in it
    return pad.join(["".join(draw(st.lists(piece, max_size=30))) for _ in range(2)])


def _passages(parts: list[str]) -> list[Passage]:
    return [Passage(f"p{k}", text, Label(f"p{k}", f"p{k}")) for k, text in enumerate(parts) if text.strip()]


@settings(max_examples=600, deadline=None)
@given(st.data(), st.lists(st.sampled_from(range(len(LISTS))), min_size=1, max_size=4))
def test_present_firsts_and_finds_match_the_patterns(data: st.DataObject, chosen: list[int]) -> None:
    mine = sorted({w for k in chosen for w in LISTS[k]})  # the texts are made of the lists' own words
    passages = _passages(data.draw(st.lists(texts(mine), min_size=1, max_size=3)))
    if not passages:
        return
    words = Words.of([LISTS[k] for k in chosen])
    plain = _plain(words)
    assert present(passages, words) == present(passages, plain)
    assert firsts(passages, words) == firsts(passages, plain)
    assert finds(passages, words) == finds(passages, plain)
    for each in ([LISTS[k]] for k in chosen):
        one = Words.of(each)
        assert finds(passages, one) == finds(passages, _plain(one))


@settings(max_examples=100, deadline=None)
@given(st.lists(texts(), min_size=1, max_size=3))
def test_shipped_topics_match_the_patterns(parts: list[str]) -> None:
    passages = _passages(parts)
    for words in SHIPPED:
        assert present(passages, words) == present(passages, _plain(words))


SHIPPED_WORDS = sorted({w for words in SHIPPED for keys in words.lists for _, w in keys})


@settings(max_examples=300, deadline=None)
@given(st.lists(texts(SHIPPED_WORDS), min_size=1, max_size=3))
def test_shipped_lists_of_up_to_twelve_keys_are_looked_for_one_by_one_as_the_patterns_find_them(parts: list[str]
                                                                                                 ) -> None:
    """The themes' lists (of 1 to 10 keys) are looked for key by key in a long text: in texts of their own words,
    pieces of them and wraps, what the patterns alone find."""
    themes = SHIPPED[0]
    assert [len(k) for k in themes.keys] == [1, 3, 9, 10, 6]
    passages = _passages(parts)
    if not passages:
        return
    for words in SHIPPED:
        assert present(passages, words) == present(passages, _plain(words))
        assert firsts(passages, words) == firsts(passages, _plain(words))


def test_few_keys_are_looked_for_one_by_one() -> None:
    words = Words.of([LISTS[0], LISTS[2]])
    assert words.keys[0] and words.few  # four keys, seven in all
    assert not Words.of([LISTS[0], LISTS[4]]).few  # "ab" and "abc" in both widths: ten keys
    assert not Words.of([LISTS[6] + LISTS[1] + LISTS[0]]).keys[0]  # fourteen keys: the pattern does better
    long = "政府信息公开" * (nv._LONG_TEXT // 6 + 1)
    keys, pairs = words.keys[0], words.lists[0]
    assert nv._earliest_key(long, keys, pairs) is None
    assert nv._earliest_key(long + "绩效评估考评", keys, pairs) == (len(long), ("绩效评估", (4, "绩效评估")))


CORPUS = sorted((Path(__file__).parent / "data" / "corpus" / "reports").glob("*.txt"))


@pytest.mark.parametrize("path", CORPUS[:12], ids=lambda p: p.name)
def test_a_runs_passages_are_those_read_field_by_field(path: Path) -> None:
    report = gd.parse(path.read_text(encoding="utf-8"), from_="text").report
    cut = attrs.evolve(report, parts=attrs.evolve(report.parts, problems="   ", other=None))  # blank and missing parts
    for r in (report, cut):
        memo: dict[Any, Any] = {}
        for fields in (None, ["overview"], ["other", "preamble", "other"], ["problems"], ["nope"], [], None):
            assert nv.passages(r, fields, memo) == nv.passages(r, fields)
        every = {p.field: p for p in nv.passages(r, None, memo)}
        assert all(p is every[p.field] for p in nv.passages(r, ["overview", "other"], memo))  # read once per run


def _plain_headings(passages: list[Passage]) -> list[tuple[Passage, int, str, str]]:
    """top_headings as defined: every line that starts with a numeral after its indent, matched."""
    out = []
    for p in passages:
        pos = 0
        for raw in p.text.split("\n"):
            if raw.lstrip()[:1] in "一二三四五六七八九十":
                m = nv._HEADING.match(raw)
                if m is not None:
                    out.append((p, pos + m.start("title"), m.group("title").strip(), m.group(0).strip()))
            pos += len(raw) + 1
    return out


LINE_BITS = st.sampled_from(["一、", "二.", "十一．", "一二三四、", "三 、", "一是", "四", "、", "。", "总体情况", "存在的主要问题",
                             "及改进情况", "其他需要报告的事项", " ", "\u3000", "\t", "\r", "\x85", "\u2028", "\x0b", "\n",
                             "\n\n", "；", "?", "x" * 41])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(LINE_BITS, max_size=12).map("".join), min_size=1, max_size=3))
def test_heading_lines_are_those_read_line_by_line(parts: list[str]) -> None:
    passages = [Passage(f"p{k}", text, Label("p", "p")) for k, text in enumerate(parts)]
    assert list(nv.top_headings(passages)) == _plain_headings(passages)


@settings(max_examples=300, deadline=None)
@given(st.lists(texts(), min_size=1, max_size=3), st.sampled_from(range(len(LISTS))))
def test_the_earliest_key_is_the_patterns_first_match(parts: list[str], k: int) -> None:
    """Each key looked for only before the first found so far: the place of the pattern's first match."""
    words = Words.of([LISTS[k]])
    keys = tuple(dict.fromkeys(key for key, _ in words.lists[0]))
    for text in parts:
        m = words.each[0].search(text)
        found = nv._earliest_key(text, keys, words.lists[0])
        assert (found[0] if found is not None else None) == (m.start() if m is not None else None)


#: Traditional characters among others: NULs, a non-BMP one
TRADITIONAL = st.text(st.sampled_from(TRADITIONAL_CHARS[:8] + "政府信息公开报告，。 \n丁\0\ufffe😀\x01"), max_size=40)


@settings(max_examples=500, deadline=None)
@given(st.lists(TRADITIONAL, max_size=4), st.sampled_from(["", PAD, "開" * 3]))
def test_traditional_is_the_parsers_test(pieces: list[str], pad: str) -> None:
    head = pad.join(pieces)[:TRADITIONAL_WINDOW]
    assert looks_traditional(head) == _looks_traditional_by_pattern(head)
    across = "丁" * (TRADITIONAL_WINDOW - 20) + head  # the head across the window's edge
    assert looks_traditional(across) == _looks_traditional_by_pattern(across)


#: the test as a character set's matches counted (what it was until 2026-12-02)
_TRADITIONAL_SET = re.compile(f"[{TRADITIONAL_CHARS}]")


def _looks_traditional_by_pattern(text: str) -> bool:
    return len(_TRADITIONAL_SET.findall(text, 0, TRADITIONAL_WINDOW)) >= TRADITIONAL_MIN


def test_traditional_counts_every_character() -> None:
    assert looks_traditional(TRADITIONAL_CHARS) and looks_traditional(TRADITIONAL_CHARS[-TRADITIONAL_MIN:])
    assert not looks_traditional("\0" * 9 + TRADITIONAL_CHARS[-TRADITIONAL_MIN + 1:])
    assert not looks_traditional("x" * TRADITIONAL_WINDOW + TRADITIONAL_CHARS)  # outside the window
    for n in range(TRADITIONAL_MIN + 1):
        head = "".join(TRADITIONAL_CHARS[k % 3] for k in range(n))
        assert looks_traditional(head) == _looks_traditional_by_pattern(head) == (n >= TRADITIONAL_MIN)
