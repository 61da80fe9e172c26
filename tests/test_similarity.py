"""govdisclosure.text: sentences, year masking, overlap and the sentence-hash index."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclosure.text import (
    YEAR_MARK,
    SentenceIndex,
    fingerprint,
    mask_years,
    needed,
    normalize,
    overlap,
    sentences,
    split,
)

# words of real reports (seed 001, 平潭 2020), split the way the parts print them
SEED = ("2020年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，进一步加强政府信息公开工作。"
        "一是加强组织领导；二是丰富公开内容！\n全年主动公开政府信息45条。")

text_chars = st.sampled_from(list("政府信息公开工作年度报告我局认真贯彻，、（）《》 　\t０１2３2023年。；！？;!?\n"))


def test_split_on_stops_and_line_breaks_with_offsets() -> None:
    parts = split(SEED)
    assert [w for _, _, w in parts] == [
        "2020年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，进一步加强政府信息公开工作",
        "一是加强组织领导", "二是丰富公开内容", "全年主动公开政府信息45条"]
    for start, end, words in parts:
        assert SEED[start:end] == words


@given(st.text(text_chars, max_size=80))
def test_split_quotes_the_text_as_printed(text: str) -> None:
    for start, end, words in split(text):
        assert normalize(text[start:end]) == normalize(words)
        assert words == words.strip() and words
        assert not set(words) & set("。；！？;!?\n")


def test_wrapped_pdf_lines_are_joined_but_line_breaks_after_a_heading_are_not() -> None:
    # corpus 020 (淮安市 2024, PDF text): sentences wrap over lines
    pdf = ("本报告由淮安市人民政府办公室根据《中华人民共和国政府\n"
           "信息公开条例》（国令第 711 号）（以下简称《条例》）规定编\n"
           "制。报告所列统计期限自 2024 年 1 月 1 日至 2024 年 12 月 31 日。\n"
           "一、总体情况\n"
           "2024 年，我市坚持以习近平新时代中国特色社会主义思想为\n"
           "指导，认真学习宣传贯彻党的二十大和二十届二中、三中全会精\n"
           "神，圆满完成了各项任务。")
    words = [w for _, _, w in split(pdf)]
    assert words[0] == ("本报告由淮安市人民政府办公室根据《中华人民共和国政府信息公开条例》"
                        "（国令第 711 号）（以下简称《条例》）规定编制")
    assert words[2] == "一、总体情况"
    assert words[3].endswith("思想为指导，认真学习宣传贯彻党的二十大和二十届二中、三中全会精神，圆满完成了各项任务")
    # the same words on a web page, one paragraph a line: the same keys
    web = pdf.replace("\n", "").replace("。一、总体情况", "。\n一、总体情况\n")
    assert [s.key for s in sentences(pdf)] == [s.key for s in sentences(web)]


@given(st.text(text_chars, max_size=80))
def test_normalize_is_idempotent_and_drops_space(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert not any(c.isspace() for c in once)


def test_normalize_folds_width() -> None:
    assert normalize("全年收到申请１２件（含 结转）") == normalize("全年收到申请12件(含结转)")


@pytest.mark.parametrize("year", [2019, 2020, 2023, 2024])
def test_year_masking_hides_the_year_swap(year: int) -> None:
    template = "{y}年，本机关共收到申请{n}件，较{p}年有所增加，{ny}年将继续推进。二〇{cn}年一月"
    cn = {2019: "一九", 2020: "二〇", 2023: "二三", 2024: "二四"}[year]
    this = template.format(y=year, p=year - 1, ny=year + 1, n=12, cn=cn)
    nxt = template.format(y=year + 1, p=year, ny=year + 2, n=12,
                          cn={2019: "二〇", 2020: "二一", 2023: "二四", 2024: "二五"}[year])
    assert mask_years(normalize(this), year) == mask_years(normalize(nxt), year + 1)
    assert YEAR_MARK in mask_years(this, year)
    # an older year and other numbers stay
    assert "2008年" in mask_years("2008年条例", 2023) and "12件" in mask_years(this, year)
    assert mask_years(this, None) == this


def test_year_masking_leaves_longer_numbers() -> None:
    assert mask_years("编号120235号，金额20230元", 2023) == "编号120235号，金额20230元"


def test_sentences_leave_out_short_headings() -> None:
    keys = [s.key for s in sentences("一、总体情况\n无。" + SEED, year=2020)]
    assert all(len(k) >= 10 for k in keys) and len(keys) == 2  # the two long sentences
    assert keys[0].startswith(YEAR_MARK)


def test_overlap_quotes_both_texts() -> None:
    prev = sentences(SEED, year=2020, min_chars=6)
    this = sentences(SEED.replace("2020年", "2021年").replace("45条", "52条") + "新增一项工作安排说明。",
                     year=2021, min_chars=6)
    o = overlap(this, prev)
    assert o.sentences == 5 and len(o.repeated) == 3 and o.share == pytest.approx(0.6)
    mine, theirs = o.repeated[0]
    assert mine.text.startswith("2021年") and theirs.text.startswith("2020年")
    assert overlap(prev, prev).share == 1.0
    assert overlap((), prev).share == 0.0


keys = st.lists(st.sampled_from([f"句子{i:02d}的内容足够长" for i in range(12)]), max_size=8)


@given(keys, keys)
def test_overlap_share_is_a_share(a: list[str], b: list[str]) -> None:
    sa, sb = sentences("。".join(a)), sentences("。".join(b))
    o = overlap(sa, sb)
    assert 0.0 <= o.share <= 1.0
    assert o.sentences == len(set(a))
    assert {s.key for s, _ in o.repeated} == set(a) & set(b)
    assert all(x.key == y.key for x, y in o.repeated)


def _brute(docs: list[frozenset[int]], threshold: float, min_shared: int) -> list[tuple[int, int, int]]:
    out = []
    for a, b in itertools.combinations(range(len(docs)), 2):
        shared = len(docs[a] & docs[b])
        if shared >= min_shared and docs[a] and docs[b] and (
                shared >= needed(len(docs[a]), threshold) or shared >= needed(len(docs[b]), threshold)):
            out.append((a, b, shared))
    return out


@settings(max_examples=200)
@given(st.lists(st.frozensets(st.integers(0, 15), max_size=10), max_size=12),
       st.sampled_from([0.3, 0.5, 0.8, 0.9, 1.0]), st.integers(1, 3))
def test_index_finds_exactly_the_pairs_all_pairs_would(docs: list[frozenset[int]], threshold: float,
                                                       min_shared: int) -> None:
    index = SentenceIndex()
    for d in docs:
        index.add(d)
    got = [(m.a, m.b, m.shared) for m in index.matches(threshold, min_shared=min_shared)]
    assert got == _brute(docs, threshold, min_shared)
    outside = docs[0] if docs else frozenset()
    near = [(m.b, m.shared) for m in index.neighbours(outside, threshold, min_shared=min_shared)]
    assert near == [(b, len(outside & d)) for b, d in enumerate(docs)
                    if outside and d and len(outside & d) >= min_shared
                    and (len(outside & d) >= needed(len(outside), threshold)
                         or len(outside & d) >= needed(len(d), threshold))]


def test_index_drops_boilerplate_when_asked() -> None:
    common = {100, 101, 102}
    docs = [frozenset(common | {i}) for i in range(5)] + [frozenset({7, 8, 9}), frozenset({7, 8, 9, 10})]
    index = SentenceIndex()
    for d in docs:
        index.add(d)
    assert len(index.matches(0.7)) == 10 + 1  # the five boilerplate texts pair up, and the real copy
    only = index.matches(0.7, max_df=3)
    assert [(m.a, m.b) for m in only] == [(5, 6)] and only[0].share_a == 1.0 and only[0].share_b == 0.75


def test_index_on_texts_with_the_year_swapped() -> None:
    index = SentenceIndex()
    texts = ((2020, SEED), (2021, SEED.replace("2020", "2021") + "本年度另行开展了专项培训三次。"),
             (2021, "全然不同的一段文字内容在此。"))
    for year, text in texts:
        index.add(fingerprint(sentences(text, year=year, min_chars=6)))
    [m] = index.matches(0.75)
    assert (m.a, m.b, m.shared) == (0, 1, 4) and m.share_a == 1.0 and m.share_b == pytest.approx(0.8)
    with pytest.raises(ValueError, match="threshold"):
        index.matches(0)


@given(st.text(st.one_of(text_chars, st.characters(min_codepoint=0x20, max_codepoint=0x2FFFF)), max_size=60))
def test_fold_width_is_nfkc(text: str) -> None:
    import unicodedata

    from govdisclosure.text import fold_width

    assert fold_width(text) == unicodedata.normalize("NFKC", text)
    assert normalize(text) == "".join(unicodedata.normalize("NFKC", text).split()).replace("\u200b", "").replace(
        "\ufeff", "").replace("\u200c", "").replace("\u200d", "").replace("\u2060", "")


def test_the_forms_theme_headings_are_not_sentences_to_copy() -> None:
    """Every conforming report prints 30号's themes as headings: they made 洪泽 2023 → 2024 read as 36%
    copied where one sentence in ten is (review4, R-l)."""
    from govdisclosure.text import sentences

    text = "（二）依申请公开情况。\n（四）政府信息公开平台建设情况。\n全年共收到政府信息公开申请17件，均已按期答复。"
    assert [s.text for s in sentences(text)] == ["全年共收到政府信息公开申请17件，均已按期答复"]
    # an agency's own numbered heading is its words, and is kept
    assert len(sentences("（一）强化组织协调，着力规范公开工作。")) == 1
