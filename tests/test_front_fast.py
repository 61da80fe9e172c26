"""The front stages' faster paths (normalise, regions, metadata) give what the plain way gives.

Each fast path is compared with the way it stands for, on texts drawn from the characters that decide between
them (line breaks, spaces, dashes, digits, the words a pattern needs) and on the corpus's reports, mutated.  The
compiled build takes some paths and pure Python the others: both are called here, whichever build runs.
"""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclosure.ingest import metadata, normalise, regions

from .conftest import DATA

REPORTS = sorted((DATA / "corpus" / "reports").glob("*.txt"))


def _corpus() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in REPORTS]


def _mutated(text: str, rng: random.Random, alphabet: str) -> str:
    """``text`` with a few pieces cut, repeated or replaced by characters of ``alphabet``."""
    chars = list(text)
    for _ in range(rng.randint(1, 12)):
        if not chars:
            break
        at = rng.randrange(len(chars))
        what = rng.random()
        if what < 0.4:
            chars[at:at] = rng.choices(alphabet, k=rng.randint(1, 6))
        elif what < 0.7:
            del chars[at:at + rng.randint(1, 40)]
        else:
            chars[at:at] = chars[max(0, at - 30):at]
    return "".join(chars)


# ----------------------------------------------------------------------------- normalise

#: what a line start and a footer are told by
LINES = "\n\n\n \t-—–第页共/,0129١ab一二\u3000("


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=LINES, max_size=80))
def test_line_starts_found_are_the_line_breaks_matched(text: str) -> None:
    assert normalise._starts_found(text) == normalise._starts_matched(text)


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=LINES, max_size=80))
def test_footers_tried_by_line_are_the_footers_matched(text: str) -> None:
    starts = normalise._starts_matched(text)
    assert normalise._footers_by_line(text, starts) == normalise._footers_matched(text)


def test_a_line_whose_first_character_may_start_a_footer_is_every_line_the_pattern_can_match() -> None:
    """Over the whole BMP: a character :func:`normalise._may_start_footer` turns down starts no footer."""
    for c in range(0x10000):
        if not normalise._may_start_footer(c):
            line = chr(c) + "- 2 -"
            assert normalise.FOOTER.match(chr(c) + " 2 /6") is None and normalise.FOOTER.match(line) is None, hex(c)
            assert not chr(c).isdecimal() and chr(c) not in " \t-—–第", hex(c)


@pytest.mark.parametrize("seed", range(6))
def test_the_corpus_mutated_has_the_same_line_starts_and_footers_both_ways(seed: int) -> None:
    rng = random.Random(seed)
    for text in _corpus():
        for _ in range(8):
            view = normalise.fold(_mutated(text, rng, LINES))
            starts = normalise._starts_found(view)
            assert starts == normalise._starts_matched(view)
            assert normalise._footers_by_line(view, starts) == normalise._footers_matched(view)


#: what the one scan of a plain text stops at, and what it passes: characters to fold (full-width, odd spaces,
#: radicals), characters no report can hold, Traditional ones, plain ones, one above U+FFFF
SCAN = "，：（）１Ａ\u3000\xa0\t\u2212⼀⻔\x00\x0b\x7f\ud800\ufffe\u202e\u2066開報務處與規範一二年度报告\n 12ab\U0001d7ce"


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=SCAN, max_size=40))
def test_the_plain_view_scanned_by_character_is_the_one_matched(text: str) -> None:
    assert normalise._plain_view_by_char(text) == normalise._plain_view_matched(text)


def test_the_scans_table_stops_where_the_engines_set_does() -> None:
    """Over the whole BMP: each character the table says to fold, give up on or count, and only those, is one of
    ``_SCAN_HEAD``'s set, each of its class."""
    table = normalise._stops_table()
    for c in range(0x10000):
        char = chr(c)
        kind = table[c]
        assert (kind != normalise._GO_ON) == (normalise._SCAN_HEAD.match(char) is not None), hex(c)
        assert (kind == normalise._TO_FOLD) == (c in normalise.FOLD), hex(c)
        assert (kind == normalise._UNREADABLE) == (normalise._UNUSUAL.match(char) is not None), hex(c)


@pytest.mark.parametrize("seed", range(4))
def test_the_corpus_mutated_has_the_same_plain_view_both_ways(seed: int) -> None:
    rng = random.Random(seed)
    for text in _corpus():
        for _ in range(6):
            mutated = _mutated(text, rng, SCAN)
            assert normalise._plain_view_by_char(mutated) == normalise._plain_view_matched(mutated)


# ----------------------------------------------------------------------------- regions

#: what a note under a table is told by: its leads' words and marks, line breaks, spaces, digits
NOTES = "\n\n \t注说明备[]^1②:：?？存疑单元格一（）(a。"


def _same_match(a: object, b: object) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and a.span() == b.span())  # type: ignore[attr-defined]


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=NOTES, max_size=60), st.integers(0, 60), st.integers(0, 60))
def test_a_note_tried_from_its_words_line_is_the_one_the_engine_finds(text: str, at: int, b: int) -> None:
    assert _same_match(regions._note(text, at, b), regions._NOTE_AFTER_BREAK.search(text, at, b))


@settings(max_examples=300, deadline=None)
@given(st.from_regex(regions._NOTE_AFTER_BREAK.pattern, fullmatch=True))
def test_every_note_the_pattern_matches_holds_a_word_it_is_tried_by(text: str) -> None:
    """Each lead :data:`regions._NOTE_LEADS` may hold (a lead added to it must hold one of ``_NOTE_WORDS``)."""
    assert _same_match(regions._note(text, 0, len(text)), regions._NOTE_AFTER_BREAK.search(text))


@pytest.mark.parametrize("seed", range(4))
def test_the_corpus_mutated_has_the_same_notes_both_ways(seed: int) -> None:
    rng = random.Random(seed)
    for text in _corpus():
        view = normalise.fold(_mutated(text, rng, NOTES))
        for at in range(1, len(view), 97):
            assert _same_match(regions._note(view, at, len(view)), regions._NOTE_AFTER_BREAK.search(view, at))


# ----------------------------------------------------------------------------- metadata

#: what a page's info table is told by: its keys' characters, the marks after them, spaces, dates
INFO = "发布日期时间公开成文机构文关来源索引号主题分类标题名称:：|| \t\n\u3000\xa0202415-/.年月日ab"


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=INFO, max_size=80))
def test_a_date_under_its_key_found_after_a_line_break_is_the_one_the_engine_finds(text: str) -> None:
    after = metadata._INFO_DATE.match(text) or metadata._INFO_DATE_AFTER_BREAK.search(text)
    plain = metadata._INFO_DATE.search(text)
    assert (after and after.groupdict()) == (plain and plain.groupdict())

_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.. ,年件一\n٣０", max_size=40), st.integers(0, 45), st.integers(0, 45))
def test_a_number_is_found_as_the_plain_pattern_finds_it(text: str, pos: int, endpos: int) -> None:
    assert [m.span() for m in regions._NUMBER.finditer(text, pos, endpos)] == [
        m.span() for m in _PLAIN_NUMBER.finditer(text, pos, endpos)]
    assert regions._NUMBER.findall(text) == _PLAIN_NUMBER.findall(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(("国办公开办函", "〔2021〕", "30号", "国办", "\n", "格式版本 | ", "公开办函")),
                max_size=10))
def test_a_notice_is_found_from_its_literal(pieces: list[str]) -> None:
    text = "".join(pieces)
    cited = text.find(metadata._NOTICE_HEAD)
    assert [m.span() for m in metadata._NOTICE.finditer(text, max(cited, 0))] == [
        m.span() for m in metadata._NOTICE.finditer(text)]
