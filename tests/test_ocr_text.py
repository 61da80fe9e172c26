"""OCR text shapes of probe 12c (tests/data/probe12c-ocr/README.md): spaces inside a table's numbers (#12), numbers
printed after their labels (#7); each failed before."""

from __future__ import annotations

import pytest

import govdisclosure as gd
from govdisclosure.api import parse
from govdisclosure.ingest.solve import UNSPLIT_NOTE, _placed_by_order
from govdisclosure.io.marks import note_text

from .conftest import DATA

HERE = DATA / "probe12c-ocr"
SPACED = "t07-ocr-spaces-in-numbers-2024.txt"
RECEIVED = [217, 1, 0, 0, 0, 0, 218]


def _row(report: gd.Report, row: str) -> list[object]:
    return list(gd.to_data(report)["requests"][row].values())


def test_a_row_of_numbers_spaced_digit_by_digit_is_read_as_its_digits_run_together() -> None:
    """`2 1 7 1 0 0 0 0 2 1 8`: 11 numbers for 7 cells, UNSPLIT (14 cells).  The one split of the digits run together
    that keeps each printed number in one cell and holds the row rule is 217|1|0|0|0|0|218, as the row printed
    without spaces (corpus 013) is read; its provenance says what was printed."""
    result = parse(HERE / SPACED)
    assert "GD-PARSE-UNSPLIT" not in [f.code for f in result.findings]
    assert _row(result.report, "received") == RECEIVED and _row(result.report, "total") == RECEIVED
    assert result.report.provenance["/requests/received/natural_person"].raw == "2 1 7 1 0 0 0 0 2 1 8"


@pytest.mark.parametrize(("printed", "row", "values"), [
    ("217 1 0 0 0 0 2 1 8", "received", RECEIVED),
    ("7 1 0 0 0 0 0 7 1", "granted", [71, 0, 0, 0, 0, 0, 71]),
    ("7 1 0 0 0 0 0 71", "granted", [71, 0, 0, 0, 0, 0, 71]),
])
def test_spaced_numbers_among_whole_ones(printed: str, row: str, values: list[int]) -> None:
    """Variants: one number spaced, two-digit numbers spaced, a spaced one before a whole one."""
    text = (HERE / SPACED).read_text(encoding="utf-8")
    line = "新收政府信息公开申请数量 2 1 7 1 0 0 0 0 2 1 8" if row == "received" else "（一）予以公开 71 0 0 0 0 0 71"
    label = line.rsplit(" ", 7 if row == "granted" else 11)[0]
    result = gd.reads(text.replace(line, f"{label} {printed}", 1), source="t.txt")
    assert _row(result.report, row) == values


def test_a_stray_number_after_a_row_is_no_spaced_digit() -> None:
    """The limit: a row with one number too many (71 0 0 0 0 0 71 5) has no split keeping each number whole: it stays
    unsplit (said), never read as 7|1|… or 710…"""
    text = (HERE / SPACED).read_text(encoding="utf-8")
    result = gd.reads(text.replace("（一）予以公开 71 0 0 0 0 0 71", "（一）予以公开 71 0 0 0 0 0 71 5", 1),
                      source="t.txt")
    assert _row(result.report, "granted") == [None] * 7
    assert "GD-PARSE-UNSPLIT" in [f.code for f in result.findings]


@pytest.mark.parametrize(("printed", "row", "field"), [
    ("行政处罚 １１００ 19", "penalty", "decisions"),  # another row's number drawn onto the line
    ("行政许可 ４５２９ 1400", "licensing", "decisions"),  # a stray second figure
    ("规章 ０ ０ ３ 1", "rules", "in_force"),  # a number too many in a row of three with no rule
])
def test_numbers_too_many_in_a_row_with_no_rule_of_its_own_are_never_joined(printed: str, row: str,
                                                                           field: str) -> None:
    """Review 13a #1: a row with no equation of its own has one way to join any digits, which proves nothing:
    ``行政处罚 1100 19`` stays unsplit (said), never 110019."""
    text = (HERE / SPACED).read_text(encoding="utf-8")
    label = printed.split(" ")[0]
    line = next(line for line in text.split("\n") if line.startswith(label + " "))
    result = gd.reads(text.replace(line, printed, 1), source="t.txt")
    cells = gd.to_data(result.report)["proactive"][row]
    assert cells[field] is None
    assert "GD-PARSE-UNSPLIT" in [f.code for f in result.findings]
    # review 13b #10: said and kept as printed, the numbers apart (never "110019")
    numbers = printed.split(" ", 1)[1]
    unsplit = [f for f in result.findings if f.code == "GD-PARSE-UNSPLIT"]
    assert all(numbers in f.message.zh and numbers in f.message.en for f in unsplit)
    assert result.report.provenance[f"/proactive/{row}/{field}"].raw == numbers


def test_numbers_run_together_are_quoted_as_printed() -> None:
    """Review 13b #10's other side: numbers printed touching (`2648-18538`) are quoted so, not spaced."""
    text = (HERE / SPACED).read_text(encoding="utf-8")
    line = next(line for line in text.split("\n") if line.startswith("行政处罚 "))
    result = gd.reads(text.replace(line, "行政处罚 2648-18538", 1), source="t.txt")
    assert result.report.provenance["/proactive/penalty/decisions"].raw == "2648-18538"


APART = "t03-ocr-numbers-after-labels-2024.txt"


def _apart(how: str) -> str:
    """t03 as printed ('as printed'), in two blocks of labels then numbers ('two blocks'), with a line of numbers
    missing ('line missing') or two rows' numbers on one line ('two on a line')."""
    lines = (HERE / APART).read_text(encoding="utf-8").split("\n")
    a, b = lines.index("一、本年新收政府信息公开申请数量"), lines.index("四、结转下年度继续办理") + 1
    labels, numbers = lines[a:b], lines[b:b + b - a]
    body = {"as printed": labels + numbers, "two blocks": labels[:12] + numbers[:12] + labels[12:] + numbers[12:],
            "line missing": labels + numbers[:10] + numbers[11:],
            "two on a line": [*labels, *numbers[:3], numbers[3] + " " + numbers[4], *numbers[5:]]}[how]
    return "\n".join(lines[:a] + body + lines[b + b - a:])


@pytest.mark.parametrize("how", ["as printed", "two blocks"])
def test_numbers_printed_after_their_labels_a_row_a_line_are_read_in_order(how: str) -> None:
    """probe 12c #7: table 3's labels, then its 25 lines of 7 numbers: all 175 went to the last row (UNSPLIT of a
    175-digit run) and validate blamed the report (GD-M-SECTIONS, 168 blanks).  Each line is its label's row, in
    order, when the lines are as many as the labels and each as wide as its row; said (GD-PARSE-NUMBERS-APART)."""
    result = gd.reads(_apart(how), source="t.txt")
    codes = [f.code for f in result.findings]
    assert "GD-PARSE-NUMBERS-APART" in codes and "GD-PARSE-UNSPLIT" not in codes
    assert _row(result.report, "received") == RECEIVED and _row(result.report, "total") == RECEIVED
    assert _row(result.report, "carried_forward") == [0] * 7
    assert gd.to_data(result.report)["requests"]["unable"]["not_held"]["natural_person"] == 75
    assert not [f for f in gd.validate(result) if f.code in ("GD-M-SECTIONS", "GD-T3-BLANK")]


@pytest.mark.parametrize("how", ["line missing", "two on a line"])
def test_numbers_after_their_labels_that_do_not_line_up_are_said_not_read_by_order(how: str) -> None:
    """The limit: lines that do not match the rows (one too few, two rows on one) are not given to rows by order;
    the finding says the numbers were printed apart from their labels."""
    result = gd.reads(_apart(how), source="t.txt")
    (said,) = [f for f in result.findings if f.code == "GD-PARSE-NUMBERS-APART"]
    assert "not read by their order" in said.text("en")
    assert _row(result.report, "granted") == [None] * 7


def _page_number(how: str, at: int, number: str = "3") -> str:
    """``_apart(how)`` with a line holding only a page number after its ``at``-th number line."""
    lines = _apart(how).split("\n")
    first = lines.index("四、结转下年度继续办理") + 1
    if how == "two blocks":  # after the second block's labels
        first = max(i for i, line in enumerate(lines) if line == "四、结转下年度继续办理") + 1
    return "\n".join([*lines[:first + at], number, *lines[first + at:]])


@pytest.mark.parametrize(("how", "at", "number"), [("as printed", 9, "3"), ("as printed", 0, "12"),
                                                   ("as printed", 24, "105"), ("two blocks", 5, "4")])
def test_a_page_number_among_the_number_lines_is_left_out(how: str, at: int, number: str) -> None:
    """Review 13a #4: a scan's page number on a line of its own among the 25 number lines (``3``) made them 26, 'not
    read by their order', and all 175 numbers went to 四、结转's row again (UNSPLIT).  A line of one short number
    alone is left out where the others then line up, as regions leaves it out of a copy."""
    result = gd.reads(_page_number(how, at, number), source="t.txt")
    codes = [f.code for f in result.findings]
    assert "GD-PARSE-NUMBERS-APART" in codes and "GD-PARSE-UNSPLIT" not in codes
    assert _row(result.report, "received") == RECEIVED and _row(result.report, "total") == RECEIVED
    assert _row(result.report, "carried_forward") == [0] * 7
    said = [f for f in result.findings if f.code == "GD-PARSE-NUMBERS-APART"]
    assert all("read row by row" in f.text("en") for f in said)


def test_a_page_number_line_does_not_make_lines_that_do_not_line_up_read() -> None:
    """The limit: the page number is left out only where the rest then lines up; a line missing besides stays
    unread by order (said)."""
    lines = _apart("line missing").split("\n")
    first = lines.index("四、结转下年度继续办理") + 1
    result = gd.reads("\n".join([*lines[:first + 9], "3", *lines[first + 9:]]), source="t.txt")
    (said,) = [f for f in result.findings if f.code == "GD-PARSE-NUMBERS-APART"]
    assert "not read by their order" in said.text("en")
    assert _row(result.report, "granted") == [None] * 7


PLAIN = DATA / "ingest" / "unseen-plain-2023.txt"
#: 2.其他法律行政法规禁止公开's numbers 1 0 0 0 0 0 1 wrapped below its label, after 1.属于国家秘密 printed blank
_WRAPPED = {"4 then 3": "1 0 0 0\n0 0 1", "over three lines": "1 0\n0 0 0\n0 1", "6 then 1": "1 0 0 0 0 0\n1"}


@pytest.mark.parametrize("printed", list(_WRAPPED.values()), ids=list(_WRAPPED))
def test_a_blank_row_then_a_row_whose_numbers_wrap_below_its_label_is_no_numbers_apart(printed: str) -> None:
    """Review 13a #6: 1.属于国家秘密 printed with no number, then 2.其他法律行政法规禁止公开 with its 7 numbers wrapped
    onto the lines below (a narrow page's text layer): read right, but said GD-PARSE-NUMBERS-APART ('not read by
    their order').  A group no wider than its last label's row is that row's, wrapped: nothing to say."""
    text = PLAIN.read_text(encoding="utf-8")
    text = _sub_once(text, "1.属于国家秘密 0 0 0 0 0 0 0\n2.其他法律行政法规禁止公开 1 0 0 0 0 0 1",
                     "1.属于国家秘密\n2.其他法律行政法规禁止公开\n" + printed)
    result = gd.reads(text, source="t.txt")
    codes = [f.code for f in result.findings]
    assert "GD-PARSE-NUMBERS-APART" not in codes and "GD-PARSE-UNSPLIT" not in codes
    withheld = gd.to_data(result.report)["requests"]["withheld"]
    assert list(withheld["prohibited_by_law"].values()) == [1, 0, 0, 0, 0, 0, 1]
    assert list(withheld["state_secret"].values()) == [None] * 7


def _sub_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_cells_read_by_the_labels_order_say_so_in_their_provenance() -> None:
    """Review 13a #7: the cells given their numbers by the labels' order carried a plain {source, line}: two number
    lines swapped (received 0…0, carried_over 217…218: every sum still balances) looked printed so.  Each such cell's
    provenance now says how it was read, in both languages; a cell printed blank ('—') gets none (a note on a blank
    printed so would be a split the parser could not settle: GD-PARSE-UNSETTLED); a report printed label by label
    carries no such note."""
    lines = _apart("as printed").split("\n")
    first = lines.index("四、结转下年度继续办理") + 1
    lines[first], lines[first + 1] = lines[first + 1], lines[first]
    lines[first + 2] = "71 0 — 0 0 0 71"
    result = gd.reads("\n".join(lines), source="t.txt")
    assert _row(result.report, "carried_over") == RECEIVED  # as printed: the note is what tells
    prov = result.report.provenance
    by_order = [p for p, entry in prov.items() if entry.note and "labels' order" in entry.note]
    assert len(by_order) == 25 * 7 - 1
    assert prov["/requests/granted/research"].note is None and _row(result.report, "granted")[2] is None
    assert "GD-PARSE-UNSETTLED" not in [f.code for f in gd.validate(result)]
    shown = note_text(prov["/requests/carried_over/total"].note or "")
    zh, en = shown.zh, shown.en
    assert "按标签的顺序" in zh and en.endswith("not by a label on its line")
    plain = gd.reads(PLAIN.read_text(encoding="utf-8"), source="t.txt").report.provenance
    assert not [p for p, entry in plain.items() if entry.note and "labels' order" in entry.note]


def test_a_note_of_its_own_is_kept_before_the_labels_order() -> None:
    """A cell's own note (its digits' split) comes first, the labels' order after it, each language with its own
    half (``io.marks.note_text`` shows each)."""
    result = gd.reads(_apart("as printed"), source="t.txt")
    spec = result.report.spec
    provenance: dict[str, dict[str, object]] = {"/requests/received/natural_person": {"note": UNSPLIT_NOTE}}
    every = [c.pointer for c in spec.cells()]
    slot = {p: k for k, p in enumerate(every)}
    values = [0] * len(every)
    _placed_by_order(spec, "requests", frozenset({("received",)}), provenance, values, slot)
    shown = note_text(str(provenance["/requests/received/natural_person"]["note"]))
    zh, en = shown.zh, shown.en
    assert zh.startswith("无法把本行数字拆分") and "按标签的顺序" in zh and "labels' order" not in zh
    assert en.startswith("the row's numbers could not be split") and en.endswith("not by a label on its line")
    assert len(provenance) == 7
