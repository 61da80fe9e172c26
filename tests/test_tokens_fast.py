"""The tokens stage's faster paths give what the plain way gives.

Each fast path is compared with the way it stands for, kept in the module (the patterns a line was read by
before), on lines drawn from the characters that decide between them (digits of two scripts, separators,
signs, list numbers, marks, labels) and on the corpus's table lines, mutated.
"""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclosure.formats import published
from govdisclosure.formats.spec import FormatSpec
from govdisclosure.ingest import PIPELINE, rows, tokens
from govdisclosure.ingest.budget import Budget
from govdisclosure.ingest.normalise import fold
from govdisclosure.ingest.state import run, start
from govdisclosure.ingest.tokens import Token
from govdisclosure.registry import Registry

from .conftest import DATA

COMPLETE = ("001-hutubi-shanggongxinju-2020-seed.txt", "009-pingtan-2020-zfxxgknb.txt", "012-pingtan-2022-zfxxgknb.txt",
            "013-pingtan-2024-zfxxgknb.txt", "020-huaian-city-2024-pdf.txt", "021-huaian-hongze-district-2023-pdf.txt",
            "022-huaian-hongze-district-2024-pdf.txt")
#: the characters that tell the paths apart, and a few plain ones
ALPHABET = "0123456789１２ \t\u3000\xa0|.、,-+减增无/—–〇○[]^①²本年规章(指)abc元万少加人件"

# ----------------------------------------------------------------------------- the full tokenizer, as it was

#: the tokenizer's pattern as it was, read match by match (finditer) in the order of its alternatives
PLAIN_FORM = (
    rf"(?P<mark>{published.FOOTNOTE_MARK}|[\u2460-\u2473\u00b9\u00b2\u00b3\u2070-\u2079]+)"
    r"|(?P<num>(?:(?P<sign>减少|增加|[-+]|减|增)(?:(?<=[-+])\s?|(?<![-+])\s*)|(?P<dash>–))?(?P<digits>\d+{grouped}(?:\.\d+)?)"
    r"(?P<unit>万元|元|万(?![\u4e00-\u9fff]))?)"
    r"|(?P<blank>(?<![^\s|])(?:[/—–]+|-|无)(?![^\s|]))"
    r"|(?P<zero>(?<![^\s|])[〇○](?![^\s|]))"
    r"|(?P<text>[^\d\s|/—–\-+减增无〇○\[\u2460-\u2473\u00b9\u00b2\u00b3\u2070-\u2079]+"
    r"(?:[ \t]+[^\d\s|/—–\-+减增无〇○\[\u2460-\u2473\u00b9\u00b2\u00b3\u2070-\u2079]+)*|[^\s|])"
)
PLAIN = re.compile(PLAIN_FORM.replace("{grouped}", r"(?:,\d{3}(?!\d))*"))
PLAIN_UNGROUPED = re.compile(PLAIN_FORM.replace("{grouped}", ""))
#: a single digit before '.'/'、' (and a label) numbers the label (2.其他法律…, 1. 属于国家秘密): the pattern the tokens
#: stage matched until 2026-12-02, which :func:`tokens._numbering_after` reads by string methods
_NUMBERING_AFTER = re.compile(r"[.、]\s*(?=[^\d\s|])")


def _plain_tokens(line: str, line_start: int, raw: str, piped: bool) -> list[Token]:
    out: list[Token] = []
    text: list[str] = []
    text_at = text_end = 0

    def flush(before: re.Match[str] | None = None) -> None:
        # words touching a number in its cell (review 13b #9): right before it (after a separator, or starting a
        # line of cells) with a space or a tab between at most, or a note in brackets right after one
        start = text_at - line_start
        cell = before is not None and line[text_end - line_start:before.start()] in ("", " ", "\t") and (
            (start > 0 and line[start - 1] in tokens._SEPARATORS) or (start == 0 and (
                piped or before.end() == len(line.rstrip(tokens._SEPARATORS)))))
        cell = cell or (text[0][0] == "(" and bool(out) and out[-1].kind == "num"
                        and out[-1].at + len(out[-1].raw) == text_at)
        out.append(Token("text", "".join(text), "".join(text), text_at, None, False, cell))
        text.clear()

    def num(piece: str, sign: str | None, digits: str, unit: str | None, at: int, cell: bool) -> Token:
        value = "-" + digits if sign in ("-", "减", "减少", "–") else digits
        return Token("num", value, raw[at:at + len(piece)].strip(), at, unit, False, cell)

    pattern = PLAIN_UNGROUPED if "," in line and tokens._CELL_COMMA.search(line) else PLAIN
    for m in pattern.finditer(line):
        kind, at = m.lastgroup, line_start + m.start()
        if kind == "text":
            if not text and m.group() in tuple(tokens.MEASURE_WORDS) and out and out[-1].kind == "num" and line[
                    out[-1].at + len(out[-1].raw) - line_start:m.start()] in ("", " ", "\t") and (
                    m.end() == len(line) or line[m.end()] in tokens._SEPARATORS):  # 2次: the count's measure word
                out[-1] = out[-1]._replace(raw=raw[out[-1].at:at + 1])
                continue
            text_at = text_at if text else at
            text.append(m.group())
            text_end = line_start + m.end()
            continue
        if kind == "mark":
            continue
        if text:
            flush(m if kind == "num" else None)
        piece, end = m.group(), m.end()
        sign, unit = m.group("sign") or m.group("dash"), "万元" if m.group("unit") == "万" else m.group("unit")
        if kind == "num":
            if end < len(line) and line[end] in ".、" and m.group("unit") is None and "." not in m.group("digits") \
                    and _NUMBERING_AFTER.match(line, end):  # its last digit numbers the label after it
                if len(m.group("digits")) > 1:
                    out.append(num(piece[:-1], sign, m.group("digits")[:-1], None, at, piped))
                text.append(m.group("digits")[-1])
                text_at = line_start + end - 1
            elif "," in piece:
                out.append(num(piece, sign, m.group("digits").replace(",", ""), unit, at, True))
            else:
                out.append(num(piece, sign, m.group("digits"), unit, at, piped))
        elif kind == "zero":
            out.append(Token("num", "0", raw[at:at + 1], at, None, False, piped))
        else:
            out.append(Token("blank", piece, raw[at:at + len(piece)], at, None, False, piped))
    if text:
        flush()
    return out


def test_a_run_of_text_holds_text_characters_spaces_and_tabs_only() -> None:
    """The run's class (text characters, a space, a tab) written out: whitespace but those two listed by hand."""
    text, run = re.compile(tokens._TEXT_CHAR), re.compile(tokens._RUN_CHAR)
    for char in map(chr, [*range(0xD800), *range(0xE000, 0x10000), 0x1D7CE, 0x1F600]):
        assert bool(run.match(char)) == (bool(text.match(char)) or char in " \t"), hex(ord(char))


def _tokens_both_ways(line: str) -> tuple[list[Token], list[Token]]:
    raw = "#" * 7 + line.replace("0", "０")  # the published text differs from the folded one
    fast: list[Token] = []
    tokens._tokens(line, 7, raw, fast, "|" in line)
    return fast, _plain_tokens(line, 7, raw, "|" in line)


@settings(max_examples=3000, deadline=None)
@given(st.text(ALPHABET, min_size=1, max_size=40))
def test_the_full_tokenizer_reads_a_line_as_it_did_match_by_match(line: str) -> None:
    fast, plain = _tokens_both_ways(line)
    assert fast == plain


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


@settings(max_examples=2000, deadline=None)
@given(PIECES)
def test_the_full_tokenizer_reads_a_line_of_labels_and_numbers_as_it_did(line: str) -> None:
    fast, plain = _tokens_both_ways(line)
    assert fast == plain


@pytest.mark.parametrize("seed", range(4))
def test_the_corpus_lines_are_tokenized_as_they_were(seed: int) -> None:
    rng = random.Random(seed)
    for line in LINES:
        line = line if seed == 0 else _mutated(line, rng)
        fast, plain = _tokens_both_ways(line)
        assert fast == plain, line


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


# ----------------------------------------------------------------------------- rows: the labels found


def _plain_find(labels: rows.Labels, searched: tuple[rows.Searched, ...]) -> list[rows.LabelHit]:
    """Each row's first key found where no label was found already (marked in a bytearray), as it was."""
    text = labels.text
    taken = bytearray(len(text))
    hits = []
    for path, row, keys, forms in searched:
        for key in keys:
            at = text.find(key)
            while at >= 0 and taken.find(1, at, at + len(key)) >= 0:
                at = text.find(key, at + 1)
            if at < 0:
                continue
            taken[at:at + len(key)] = b"\x01" * len(key)
            printed = forms[0] if text.startswith(forms[0], at) else rows._printed(labels, at, forms)
            hits.append(rows.LabelHit(path, row, labels.owner(at), printed, at))
            break
    return sorted(hits, key=lambda h: h.at)


def _streams() -> list[tuple[tuple[Token, ...], FormatSpec, str]]:
    """Each table's stream of the corpus's complete reports, with the format it is printed in."""
    out = []
    for name in COMPLETE:
        state = run(start(registry=Registry.core(), source=name, budget=Budget(10**6),
                          data=(DATA / "corpus" / "reports" / name).read_text(encoding="utf-8")), PIPELINE[:7])
        assert state.spec is not None
        out += [(stream, state.spec, table) for table, stream in state.streams.items()]
    return out


STREAMS = _streams()


@pytest.mark.parametrize("seed", range(6))
def test_the_labels_are_found_where_no_label_was_found_already_as_before(seed: int) -> None:
    """The corpus's tables, their text items shuffled, repeated, cut and mutated: labels printed twice, out of order,
    overlapping (a shorter label inside a longer one) and missing."""
    rng = random.Random(seed)
    for stream, spec, table in STREAMS:
        texts = [t for t in stream if t.kind == "text"]
        for _ in range(5):
            picked = rng.sample(texts, len(texts)) + rng.choices(texts, k=rng.randint(0, 4)) if seed else texts
            picked = [t._replace(text=_mutated(t.text, rng) if rng.random() < 0.3 else t.text) for t in picked]
            labels = rows.joined(tuple(picked))
            searched = rows._searched(spec, table)
            assert rows._find(labels, searched) == _plain_find(labels, searched)


@settings(max_examples=1500, deadline=None)
@given(st.text("规章本年其他1.", max_size=40), st.lists(st.lists(st.text("规章本年其他1.", min_size=1, max_size=4),
                                                               min_size=1, max_size=3), max_size=8))
def test_keys_that_overlap_are_found_apart_as_before(text: str, keys: list[list[str]]) -> None:
    labels = rows.Labels(text, (0,), (0,))
    searched = tuple(((str(i),), None, tuple(k), tuple(k)) for i, k in enumerate(keys))
    assert rows._find(labels, searched) == _plain_find(labels, searched)  # type: ignore[arg-type]


@settings(max_examples=3000, deadline=None)
@given(st.text(ALPHABET + "\n\x1c\u2029", max_size=12), st.integers(min_value=0, max_value=12))
def test_a_numbering_after_a_number_is_read_as_the_pattern_reads_it(line: str, end: int) -> None:
    for sep in (".", "、"):
        probe = line[:end] + sep + line[end:]
        at = min(end, len(line))
        assert tokens._numbering_after(probe, at) == (_NUMBERING_AFTER.match(probe, at) is not None)


def _numbers_as_it_was(numbers: str, first: int, raw: str, out: list[Token], piped: bool) -> None:
    """``tokens._numbers`` before its test of one space between the numbers was a loop (and its raw's a bounded find)."""
    if numbers.isdigit():
        out.append(Token("num", numbers, raw[first:first + len(numbers)], first, None, False, piped))
        return
    parts = numbers.split(" ")
    if "" not in parts and "".join(parts).isdigit():
        same = raw.startswith(numbers, first)
        at = first
        for digits in parts:
            out.append(Token("num", digits, digits if same else raw[at:at + len(digits)], at, None, False, piped))
            at += len(digits) + 1
        return
    pos = 0
    for digits in (numbers.replace("|", " ") if "|" in numbers else numbers).split():
        pos = numbers.find(digits, pos)
        at = first + pos
        out.append(Token("num", digits, raw[at:at + len(digits)], at, None, False, piped))
        pos += len(digits)


@settings(max_examples=3000, deadline=None)
@given(st.text("0123456789１ \t|\u3000", min_size=1, max_size=20).map(lambda s: s.strip(tokens._SEPARATORS) or "7"),
       st.integers(min_value=0, max_value=3), st.booleans(), st.booleans())
def test_plain_numbers_are_read_as_they_were(numbers: str, first: int, folded: bool, piped: bool) -> None:
    raw = "#" * first + (numbers.replace("0", "０") if folded else numbers) + "#"
    fast: list[Token] = []
    plain: list[Token] = []
    tokens._numbers(numbers, first, raw, fast, piped)
    _numbers_as_it_was(numbers, first, raw, plain, piped)
    assert fast == plain


# ----------------------------------------------------------------------------- a plain label, by character


def test_no_decimal_digit_stands_where_the_label_table_says_none_does() -> None:
    low, high = tokens._NO_DIGITS
    assert not [hex(c) for c in range(low, high) if chr(c).isdecimal()]


def test_a_label_looked_up_by_character_is_plain_where_the_pattern_finds_nothing(monkeypatch: pytest.MonkeyPatch,
                                                                                 ) -> None:
    """Over every character (each alone), and on labels drawn from ``ALPHABET`` (the table is made where compiled
    only: made here for pure Python)."""
    monkeypatch.setattr(tokens, "_UNPLAIN_TABLE", tokens._unplain_table())
    for c in range(0x110000):
        assert tokens._none_unplain_by_char(chr(c)) == (tokens._UNPLAIN.search(chr(c)) is None), hex(c)
    rng = random.Random(5)
    for _ in range(3000):
        label = "".join(rng.choices(ALPHABET + "、٣", k=rng.randint(0, 8)))
        assert tokens._none_unplain_by_char(label) == (tokens._UNPLAIN.search(label) is None), label


# ----------------------------------------------------------------------------- the tokens found by characters


def _found_both_ways(line: str) -> None:
    body = line.rstrip(tokens._SEPARATORS)
    for pattern in (tokens._TOKEN, tokens._TOKEN_UNGROUPED):
        assert tokens._found_by_chars(body, pattern) == pattern.findall(body), (line, pattern is tokens._TOKEN)


#: the characters that decide between the plain tokens and the pattern's (signs, dashes, marks, units, decimals)
FOUND_ALPHABET = ALPHABET + "^元万了加少,.\u2460\u00b9\u2070\U0001d7ce\U0001f600\x85\u2029ab"


@settings(max_examples=5000, deadline=None)
@given(st.text(FOUND_ALPHABET, min_size=1, max_size=40))
def test_the_tokens_found_by_characters_are_those_the_pattern_finds(line: str) -> None:
    _found_both_ways(line)


@settings(max_examples=2000, deadline=None)
@given(PIECES)
def test_the_tokens_of_labels_and_numbers_found_by_characters_are_the_pattern_s(line: str) -> None:
    _found_both_ways(line)


@pytest.mark.parametrize("seed", range(4))
def test_the_corpus_lines_tokens_found_by_characters_are_the_pattern_s(seed: int) -> None:
    rng = random.Random(seed)
    for line in LINES:
        _found_both_ways(line if seed == 0 else _mutated(line, rng))


def test_a_line_that_is_no_plain_label_is_none_the_text_line_pattern_reads() -> None:
    """``items`` gives the full tokenizer a line that is no plain label (``_plain``): ``_TEXT_LINE`` read none."""
    rng = random.Random(5)
    for line in LINES + [_mutated(line, rng) for line in LINES]:
        core = line.strip(tokens._SEPARATORS)
        if core and not tokens._plain(core):
            assert tokens._TEXT_LINE.match(line) is None, line


@settings(max_examples=3000, deadline=None)
@given(st.text(FOUND_ALPHABET, min_size=1, max_size=30))
def test_a_line_the_text_line_pattern_reads_is_a_plain_label(line: str) -> None:
    core = line.strip(tokens._SEPARATORS)
    if core and tokens._TEXT_LINE.match(line) is not None:
        assert tokens._plain(core), line


NOTE_ALPHABET = "()\n本年1２ab|\U0001d7ce\u4e00\u9fff\u9fa5\u3400"


@settings(max_examples=5000, deadline=None)
@given(st.text(NOTE_ALPHABET, max_size=30))
def test_a_note_is_told_as_the_note_pattern_finds_one(region: str) -> None:
    assert tokens._has_note(region) == (tokens._NOTE.search(region) is not None)


@pytest.mark.parametrize("seed", range(3))
def test_the_corpus_notes_are_told_as_the_note_pattern_finds_them(seed: int) -> None:
    rng = random.Random(seed)
    for path in sorted((DATA / "corpus" / "reports").glob("*.txt")):
        text = fold(path.read_text(encoding="utf-8"))
        for at in range(0, len(text), 400):
            region = text[at:at + 600] if seed == 0 else _mutated(text[at:at + 600], rng)
            assert tokens._has_note(region) == (tokens._NOTE.search(region) is not None), region


@settings(max_examples=5000, deadline=None)
@given(st.text("减增少加了-+–—/[^]无 \t\u3000|01１.,元万本a", min_size=1, max_size=16))
def test_signs_units_and_marks_found_by_characters_are_those_the_pattern_finds(line: str) -> None:
    _found_both_ways(line)
