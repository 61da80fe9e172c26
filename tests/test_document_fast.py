"""The document rules' faster paths (issue 12) give what their plain definitions give."""

from __future__ import annotations

import pickle
import unicodedata

import attrs
from hypothesis import example, given, settings
from hypothesis import strategies as st

from govdisclosure.formats.spec import Label
from govdisclosure.rules.document.content import _names_a_problem, _Vague, _vague
from govdisclosure.rules.document.narrative import (
    _LONG_TEXT,
    Words,
    _earliest_key,
    _find,
    _label,
    _passage,
    _positions,
    _probe,
    _there,
    fold,
    present,
)
from govdisclosure.rules.document.outline import (
    _HEAD_COUNT,
    _ITEM_SEP,
    _TAIL,
    _count,
    _listing,
    _outline,
    _unjoined,
    parse_outline,
)
from govdisclosure.rules.document.passage import Passage
from govdisclosure.text import normalize
from govdisclosure.text.sentences import _ZERO_WIDTHS, _has_zero_width, isplit, split

# report words, every width of punctuation, the zero widths, every kind of space, and any character
chars = st.one_of(st.sampled_from(list("政府信息公开报告，、（）《》：；。 　\t\n\r\x85\u2028０１2３A") + list(_ZERO_WIDTHS)),
                  st.characters())


def _plain_normalize(text: str) -> str:
    """normalize as defined: NFKC, every Unicode space and the zero widths out."""
    folded = "".join(unicodedata.normalize("NFKC", text).split())
    return "".join(c for c in folded if c not in _ZERO_WIDTHS)


@settings(max_examples=400, deadline=None)
@given(st.text(chars, max_size=40))
def test_zero_width_check_and_normalize_match_their_definitions(text: str) -> None:
    assert _has_zero_width(text) == any(c in text for c in _ZERO_WIDTHS)
    assert normalize(text) == _plain_normalize(text)


def test_each_zero_width_is_seen_alone_and_inside_words() -> None:
    for c in _ZERO_WIDTHS:
        assert _has_zero_width(c) and _has_zero_width(f"政府{c}信息")
        assert normalize(f"政府{c} 信息") == "政府信息"
    assert not _has_zero_width("政府信息公开 \u3000\t")


# ----------------------------------------------------------------------------- sentences, outlines, quotes


_TRIGGERS = ["全文由", "本报告由", "报告由", "报告包括", "报告内容包括", "全文", "告内", "由本报"]  # some overlapping
# a listing's words, stops of both widths, line breaks (some wrapping a line), spaces, a compatibility ideograph
# (⽂, which folds to 文) and any character
outline_chars = st.one_of(st.sampled_from(["全文由", "本报告", "报告由", "包括", "内容", "共分", "6个部分", "六", "方面",
                                           "组成", "等", "、", "，", "；", "。", "！", "?", "\n", " ", "　", "⽂", "概述",
                                           "主动公开", "以及", "和", "\u2028", "政府信息公开工作年度报告"]),
                          st.characters())


def _stated_outline(sentence: str, triggers: list[str]) -> tuple[list[str], int | None] | None:
    """parse_outline as it was written first: the least (place, trigger) of every trigger in the sentence."""
    folded = fold(sentence)
    at = min(((folded.find(t), t) for t in triggers if t in folded), default=None)
    if at is None:
        return None
    rest = folded[at[0] + len(at[1]):]
    stated = None
    m = _HEAD_COUNT.match(rest)
    if m:
        stated, rest = _count(m.group("count")), rest[m.end():]
    m = _TAIL.search(rest)
    if m and m.start() > 0:
        stated = stated or _count(m.group("count"))
        rest = rest[: m.start()]
    items = [_unjoined(i) for i in _ITEM_SEP.split(rest)]
    return [i for i in items if len(i) >= 2], stated


@settings(max_examples=500, deadline=None)
@given(st.lists(outline_chars, max_size=30).map("".join), st.lists(st.sampled_from(_TRIGGERS), max_size=4))
@example("X由本报告由概述、主动公开、其他组成", ["报告由", "由本报"])  # the first found, then one before it ending after it
def test_parse_outline_takes_the_first_trigger_as_its_definition_does(sentence: str, picked: list[str]) -> None:
    triggers = picked or _TRIGGERS
    assert parse_outline(sentence, triggers) == _stated_outline(sentence, triggers)


@settings(max_examples=300, deadline=None)
@given(st.lists(outline_chars, max_size=40).map("".join))
def test_isplit_gives_splits_sentences_one_by_one(text: str) -> None:
    sentences = isplit(text)
    assert not isinstance(sentences, list | tuple)  # cut as they are asked for, compiled too
    assert list(sentences) == split(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(outline_chars, max_size=40).map("".join), st.lists(st.sampled_from(_TRIGGERS), min_size=1, max_size=4),
       st.integers(1, 3))
def test_the_listing_is_the_first_sentence_parse_outline_reads_one_in(text: str, triggers: list[str], least: int) -> None:
    compiled = _outline({"triggers": triggers, "part_words": {}, "foreign": []})
    expected = None
    for start, _, words in split(text):
        parsed = _stated_outline(words, triggers)
        if parsed is not None and len(parsed[0]) >= least:
            expected = (start, *parsed)
            break
    assert _listing(Passage("preamble", text, Label("前言", "preamble")), compiled, least) == expected


def _assert_frozen(made: object, field: str) -> None:
    try:
        setattr(made, field, "x")
    except attrs.exceptions.FrozenInstanceError:
        pass
    else:
        raise AssertionError(f"{type(made).__name__}: made, it is not frozen")


@settings(max_examples=100, deadline=None)
@given(st.text(chars, max_size=20), st.text(chars, max_size=20))
def test_a_passage_read_is_the_passage_attrs_makes(text: str, view: str) -> None:
    made = _passage("overview", text, Label("概述", "overview"), view, "".join(view.split()))
    expected = Passage("overview", text, Label("概述", "overview"), view, "".join(view.split()))
    assert type(made) is Passage and made == expected and hash(made) == hash(expected)
    assert [getattr(made, f) for f in ("field", "text", "name", "view", "flat")] == [
        getattr(expected, f) for f in ("field", "text", "name", "view", "flat")]
    _assert_frozen(made, "text")


@settings(max_examples=100, deadline=None)
@given(st.text(chars, max_size=20), st.text(chars, max_size=20))
def test_a_label_made_is_the_label_attrs_makes(zh: str, en: str) -> None:
    made, expected = _label(zh, en), Label(zh, en)
    assert type(made) is Label and made == expected and hash(made) == hash(expected) and repr(made) == repr(expected)
    assert (made.zh, made.en, made.get("en"), str(made)) == (expected.zh, expected.en, expected.get("en"), str(expected))
    assert {made: 1}[expected] == 1 and pickle.loads(pickle.dumps(made)) == expected
    assert attrs.evolve(made, en="x") == Label(zh, "x")
    _assert_frozen(made, "zh")


def _startswith_there(text: str, at: int, pairs: tuple[tuple[str, str], ...]) -> tuple[str, tuple[int, str]]:
    """What :func:`_there` gives, as it was first written (``startswith`` and ``min``)."""
    there = [(k, w) for k, w in pairs if text.startswith(k, at)]
    return min(w for _, w in there), min((len(k), w) for k, w in there)


# words that begin one another, share their starts and repeat, in both widths
topic_words = st.lists(st.sampled_from(["公开", "公开申请", "申请公开", "依申请", "申请", "丁丁", "丁", "ABC", "ＡＢ",
                                        "A", "信息", "信息管理", "管理"]), min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.lists(topic_words, min_size=1, max_size=4),
       st.lists(st.sampled_from(["公开", "申请", "依", "丁", "A", "ＡＢＣ", "信息管理", "，", "\n", " "]), max_size=30))
def test_what_is_found_at_the_first_key_is_what_startswith_finds(lists: list[list[str]], pieces: list[str]) -> None:
    words = Words.of(lists)
    text = "".join("".join(pieces).split())
    for keys, pairs in zip(words.keys, words.lists, strict=True):
        uniq = tuple(dict.fromkeys(k for k, _ in pairs))
        found = _earliest_key(text, keys or uniq, pairs)
        if found is None:
            assert all(text.find(k) < 0 for k in uniq)
            continue
        at, there = found
        assert at == min(text.find(k) for k in uniq if text.find(k) >= 0)
        assert there == _startswith_there(text, at, pairs) == _there(text, at, pairs)
    passage = Passage("overview", text, Label("概述", "overview"))
    expected = [None if not (places := [text.find(k) for k, _ in pairs if text.find(k) >= 0]) else
                (passage, _startswith_there(text, min(places), pairs)[0]) for pairs in words.lists]
    assert present([passage], words) == expected if text else True


# keys looked for by one of their characters (管, 委, 请, 训: low bytes memchr meets seldom, not the most frequent) or
# by str.find (公开属性, 政府信息: none such), which repeat, overlap themselves (管管) and one another (管理培训)
probe_keys = ["信息管理", "经信委", "依申请", "培训", "管管", "管理培训", "公开属性", "政府信息", "管", "A管"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*probe_keys, "信", "理", "请", "管", "A", "，", "\u7ba1\u7ba1"]), max_size=30),
       st.sampled_from(probe_keys), st.integers(0, 80), st.integers(0, 80))
def test_a_key_is_found_by_its_probe_where_str_find_finds_it(pieces: list[str], key: str, start: int, end: int) -> None:
    text = "".join(pieces)
    assert _find(text, key, start, end) == text.find(key, start, end)
    assert _find(text, key, 0, len(text)) == text.find(key)
    assert _find(text, key, start, len(text) + 5) == text.find(key, start)


def test_a_key_is_looked_for_by_a_rare_character_with_a_quiet_low_byte() -> None:
    assert [_probe(k)[0] for k in ("信息管理", "经信委", "依申请", "公开属性", "政府信息", "管", "AB")] == [
        2, 2, 2, -1, -1, -1, -1]
    assert _probe("信息管理") == (2, "管")


def _every_place(text: str, key: str) -> list[int]:
    places, at = [], text.find(key)
    while at >= 0:
        places.append(at)
        at = text.find(key, at + 1)
    return places


# keys that share their first two characters (looked for after that start) or not, a lone character among them
stale_words = st.lists(st.sampled_from(["经信委", "经信局", "经信系统", "经信", "去产能", "化解过剩产能", "十三五", "丁",
                                        "丁丁", "AB", "ABC"]), min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(stale_words, st.lists(st.sampled_from(["经信", "委", "局", "系统", "产能", "去", "十三五", "丁", "A", "BC", "报告"]),
                             max_size=40), st.integers(0, _LONG_TEXT), st.booleans())
def test_each_key_is_found_where_a_plain_search_finds_it(words: list[str], pieces: list[str], pad: int,
                                                         every: bool) -> None:
    compiled = Words.of([words])
    for text in ("".join(pieces), "".join(pieces) + "，" * pad, "，" * pad + "".join(pieces)):  # short and long
        expected = {k: (p if every else p[:1]) for k, _ in compiled.pairs if (p := _every_place(text, k))}
        assert _positions(text, compiled, every) == expected


def _names_a_problem_as_first_written(passage: Passage, opts: _Vague) -> bool:
    """:func:`_names_a_problem` as it was first written: the references always taken out first."""
    if opts.problem is None:
        return False
    flat = opts.reference.sub("", passage.flat) if opts.reference is not None else passage.flat
    return opts.problem.search(flat) is not None


_PART5_OPTIONS = {"problem_words": ["问题", "不足", "有待"], "measure_words": ["针对", "进一步"], "empty": ["无"]}


# problem words before, inside and after the references, and pieces a reference's removal joins into one (问 + 题)
@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["问题", "不足", "有待", "针对", "进一步", "问", "题", "不", "足", "加强", "，", "。", "的"]),
                max_size=30), st.booleans())
def test_a_problem_is_named_where_the_first_definition_names_one(pieces: list[str], measures: bool) -> None:
    opts = _vague(_PART5_OPTIONS if measures else {**_PART5_OPTIONS, "measure_words": []})
    passage = Passage("problems", "".join(pieces), Label("问题", "problems"))
    assert _names_a_problem(passage, opts) == _names_a_problem_as_first_written(passage, opts)
    assert _names_a_problem(Passage("problems", "问针对其问题题", Label("问题", "problems")), _vague(_PART5_OPTIONS))
