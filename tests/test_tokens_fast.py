"""The tokens stage's faster paths give what the plain way gives.

Each fast path is compared with the way it stands for, kept in the module (the patterns a line was read by
before), on lines drawn from the characters that decide between them (digits of two scripts, separators,
signs, list numbers, marks, labels) and on the corpus's table lines, mutated.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclosure.ingest import tokens
from govdisclosure.ingest.normalise import fold

from .conftest import DATA

#: the characters that tell the paths apart, and a few plain ones
ALPHABET = "0123456789１２ \t\u3000\xa0|.、,-+减增无/—〇○[]^①²本年规章(指)abc"


def _lines() -> list[str]:
    """The lines of the corpus's reports that hold a digit (tables, mostly), folded."""
    out = []
    for path in sorted((DATA / "corpus" / "reports").glob("*.txt")):
        out += [line for line in fold(path.read_text(encoding="utf-8")).split("\n") if any(c.isdigit() for c in line)]
    return out


LINES = _lines()


def _mutated(line: str, rng: random.Random) -> str:
    chars = list(line)
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(chars))
        what = rng.random()
        if what < 0.4:
            chars.insert(at, rng.choice(ALPHABET))
        elif what < 0.7 and at < len(chars):
            del chars[at]
        elif at < len(chars):
            chars[at] = rng.choice(ALPHABET)
    return "".join(chars)


def _ends_in_a_number(line: str) -> bool:
    core = line.strip(tokens._SEPARATORS)
    return core != "" and core[-1].isdecimal()


def _row_line_both_ways(line: str) -> tuple[list[tokens.Token], list[tokens.Token]]:
    raw = line.replace("0", "０")  # the published text differs from the folded one (each token's raw is read there)
    fast: list[tokens.Token] = []
    plain: list[tokens.Token] = []
    tokens._row_line(line, 7, "#" * 7 + raw, fast)
    tokens._row_line_by_patterns(line, 7, "#" * 7 + raw, plain)
    return fast, plain


@settings(max_examples=3000, deadline=None)
@given(st.text(ALPHABET, min_size=1, max_size=30).filter(_ends_in_a_number))
def test_a_line_that_numbers_end_is_read_as_the_patterns_read_it(line: str) -> None:
    fast, plain = _row_line_both_ways(line)
    assert fast == plain


#: a line in pieces: labels, numbers of up to 17 digits (a count has at most 15), separators, signs, list numbers
PIECES = st.lists(st.one_of(st.sampled_from(["本年", "规章", "2.", "1、", "a\u3000b", "(指2019年)", "-", "减", "无", "—"]),
                            st.sampled_from(["0", "12", "305", "1" * 15, "2" * 16, "3" * 17]), st.text(" \t\u3000|", min_size=1, max_size=2),
                            st.text(ALPHABET, max_size=3)), min_size=1, max_size=12).map("".join)


@settings(max_examples=3000, deadline=None)
@given(PIECES.filter(_ends_in_a_number))
def test_a_line_of_labels_and_numbers_is_read_as_the_patterns_read_it(line: str) -> None:
    fast, plain = _row_line_both_ways(line)
    assert fast == plain


@pytest.mark.parametrize("seed", range(4))
def test_the_corpus_lines_that_numbers_end_are_read_as_the_patterns_read_them(seed: int) -> None:
    rng = random.Random(seed)
    lines = [line if seed == 0 else _mutated(line, rng) for line in LINES]
    lines += [line + rng.choice((" 12", "12", " 1234567890123456", "-3", " 5 6", "|7|", "\u3000８")) for line in LINES]
    read = 0
    for line in filter(_ends_in_a_number, lines):
        fast, plain = _row_line_both_ways(line)
        assert fast == plain, line
        read += 1
    assert read > 500
