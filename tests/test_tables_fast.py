"""The tables' stages (tokens, rows) read as they did before their speed pass 7.

The full tokenizer's pattern has two groups (the separators, the token) and tells a token's kind from its first
character; it is compared here with the pattern of one group for each kind, read the way it was read.  The labels
found are kept as spans; they are compared with the text rebuilt with each label blanked, as it was.
"""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclosure.formats import published
from govdisclosure.ingest import rows, tokens
from govdisclosure.ingest.tokens import Token

from .test_tokens_fast import ALPHABET, LINES, PIECES, STREAMS, _mutated

# ----------------------------------------------------------------------------- tokens: a group for each kind

#: the tokenizer's pattern as it was: a group for each kind (text run, mark, number, blank mark, other character)
SIX_FORM = (
    rf"([\s|]*)(?:({tokens._TEXT_CHAR}{tokens._RUN_CHAR}*(?<={tokens._TEXT_CHAR}))"
    rf"|({published.FOOTNOTE_MARK}|[\u2460-\u2473\u00b9\u00b2\u00b3\u2070-\u2079]+)"
    rf"|((?:(?:减少|增加|[减增])\s*|[-+]\s?|–|)\d+{{grouped}}(?:\.\d+)?(?:万元|元|万(?![\u4e00-\u9fff])|))"
    r"|((?<![^\s|])(?:[/—–]+|-|无|[〇○])(?![^\s|]))"
    r"|([^\s|]))"
)
SIX = re.compile(SIX_FORM.replace("{grouped}", r"(?:,\d{3}(?!\d))*"))
SIX_UNGROUPED = re.compile(SIX_FORM.replace("{grouped}", ""))


def _six_tokens(line: str, line_start: int, raw: str, piped: bool) -> list[Token]:
    """``tokens._tokens`` as it was: the kind read from the group that matched."""
    out: list[Token] = []
    text: list[str] = []
    text_at = 0
    pattern = SIX_UNGROUPED if "," in line and tokens._CELL_COMMA.search(line) else SIX
    at = line_start
    text_end = 0
    for seps, run, mark, num, blank, other in pattern.findall(line.rstrip(tokens._SEPARATORS)):
        at += len(seps)
        if run or other:
            piece = run or other
            if not text and piece[0] in tokens.MEASURE_WORDS and tokens._measured(piece, seps, at, line, line_start,
                                                                                   raw, out):
                at += 1
                continue
            if not text:
                text_at = at
            text.append(piece)
            at += len(piece)
            text_end = at
            continue
        if mark:
            at += len(mark)
            continue
        if num:  # the words before it (review 13b #9): as the tokenizer reads them, which test_cell_words tests
            alone = piped or at - line_start + len(num) == len(line.rstrip(tokens._SEPARATORS))
            sign = tokens._before_number(text, text_at, text_end == at - len(seps), seps, num[0], line, line_start,
                                         alone, out) if text else None
            numbering = tokens._number(line, num, at, line_start, raw, out, piped) if sign is None else \
                tokens._signed_by(sign, text, text_at, line, num, at, line_start, raw, out, piped)
            at += len(num)
            if numbering:
                text.append(numbering)
                text_at = at - 1
            continue
        if text:
            tokens._text(text, text_at, out, text[0][0] == "(" and tokens._note(text, text_at, out))
        if blank in ("〇", "○"):
            out.append(Token("num", "0", raw[at:at + 1], at, None, False, piped))
            at += 1
        else:
            out.append(Token("blank", blank, raw[at:at + len(blank)], at, None, False, piped))
            at += len(blank)
    if text:
        tokens._text(text, text_at, out, text[0][0] == "(" and tokens._note(text, text_at, out))
    return out


def _both(line: str) -> tuple[list[Token], list[Token]]:
    raw = "#" * 7 + line.replace("0", "０")  # the published text differs from the folded one
    fast: list[Token] = []
    tokens._tokens(line, 7, raw, fast, "|" in line)
    return fast, _six_tokens(line, 7, raw, "|" in line)


#: the special characters alone, repeated, between separators, before digits, after text and at the line's ends
SPECIAL = st.text("/—–-+减增无〇○[]^①²⁵ \t\u3000|0１本.、,元万少加", min_size=1, max_size=24)


def test_the_pattern_finds_the_same_tokens_with_two_groups() -> None:
    for line in LINES:
        six = [(seps, "".join(rest)) for seps, *rest in SIX.findall(line)]
        assert tokens._TOKEN.findall(line) == six, line


@settings(max_examples=4000, deadline=None)
@given(SPECIAL)
def test_a_special_character_is_read_as_the_group_it_matched(line: str) -> None:
    fast, six = _both(line)
    assert fast == six


@settings(max_examples=3000, deadline=None)
@given(st.one_of(st.text(ALPHABET, min_size=1, max_size=40), PIECES))
def test_a_line_is_read_as_with_a_group_for_each_kind(line: str) -> None:
    fast, six = _both(line)
    assert fast == six


@pytest.mark.parametrize("seed", range(4))
def test_the_corpus_lines_are_read_as_with_a_group_for_each_kind(seed: int) -> None:
    rng = random.Random(seed)
    for line in LINES:
        line = line if seed == 0 else _mutated(line, rng)
        fast, six = _both(line)
        assert fast == six, line


# ----------------------------------------------------------------------------- rows: the labels found


def _blanked_find(labels: rows.Labels, searched: tuple[rows.Searched, ...]) -> list[rows.LabelHit]:
    """``rows._find`` as it was: the text rebuilt with each label found blanked (a space: no key holds one)."""
    text = labels.text
    untaken = text
    hits = []
    for path, row, keys, forms in searched:
        for key in keys:
            at = untaken.find(key)
            if at < 0:
                continue
            untaken = untaken[:at] + " " * len(key) + untaken[at + len(key):]
            printed = forms[0] if text.startswith(forms[0], at) else rows._printed(labels, at, forms)
            hits.append(rows.LabelHit(path, row, labels.owner(at), printed, at))
            break
    return sorted(hits, key=lambda h: h.at)


@pytest.mark.parametrize("seed", range(6))
def test_the_labels_are_found_as_with_the_text_blanked(seed: int) -> None:
    rng = random.Random(seed)
    for stream, spec, table in STREAMS:
        texts = [t for t in stream if t.kind == "text"]
        for _ in range(5):
            picked = rng.sample(texts, len(texts)) + rng.choices(texts, k=rng.randint(0, 4)) if seed else texts
            picked = [t._replace(text=_mutated(t.text, rng) if rng.random() < 0.3 else t.text) for t in picked]
            labels = rows.joined(tuple(picked))
            searched = rows._searched(spec, table)
            assert rows._find(labels, searched) == _blanked_find(labels, searched)


@settings(max_examples=3000, deadline=None)
@given(st.text("规章本年其他1.", max_size=40), st.lists(st.lists(st.text("规章本年其他1.", max_size=4),
                                                               min_size=1, max_size=3), max_size=8))
def test_keys_that_overlap_or_are_empty_are_found_as_with_the_text_blanked(text: str, keys: list[list[str]]) -> None:
    labels = rows.Labels(text, (0,), (0,))
    searched = tuple(((str(i),), None, tuple(k), tuple(k)) for i, k in enumerate(keys))
    assert rows._find(labels, searched) == _blanked_find(labels, searched)  # type: ignore[arg-type]
