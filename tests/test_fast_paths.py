"""The parser's fast paths give what the plain ones give: the direct build of the typed report
(``from_values``) makes what ``from_data`` makes of the same canonical data, and where a value is not
plain, fails as ``from_data`` fails; a statement searched from its words finds what a whole search finds."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import govdisclosure as gd
from govdisclosure.ingest.assemble import tables_of
from govdisclosure.model.convert import from_data, from_values, to_data

REPORT = Path(__file__).parent / "data" / "corpus" / "reports" / "013-pingtan-2024-zfxxgknb.txt"


def _envelope(report: gd.Report) -> dict:
    data = to_data(report)
    return {k: v for k, v in data.items()
            if k not in ("format_version", "variant") and k not in {t.id for t in report.spec.tables}}


def test_same_report() -> None:
    report = gd.parse(REPORT).report
    spec = report.spec
    built = from_values(_envelope(report), report.values(), spec, tables_of(spec))
    assert built == report and built.provenance == report.provenance
    assert gd.dump(built) == gd.dump(report)


@pytest.mark.parametrize("bad", [-1, 10**15, True, "7", 1.5])
def test_a_value_not_plain_fails_as_from_data(bad: object) -> None:
    report = gd.parse(REPORT).report
    spec = report.spec
    values = (bad, *report.values()[1:])
    envelope = _envelope(report)
    with pytest.raises(gd.LoadError) as slow:
        from_data({**envelope, **tables_of(spec)(values)}, spec)
    with pytest.raises(gd.LoadError) as fast:
        from_values(envelope, values, spec, tables_of(spec))
    assert [f.to_dict() for f in fast.value.findings] == [f.to_dict() for f in slow.value.findings]


def test_an_amount_and_provenance_not_plain() -> None:
    report = gd.parse(REPORT).report
    spec = report.spec
    amount = next(i for i, c in enumerate(spec.cells()) if c.column.kind.name == "AMOUNT")
    values = list(report.values())
    values[amount] = Decimal("1E+2")
    envelope = _envelope(report)
    with pytest.raises(gd.LoadError) as slow:
        from_data({**envelope, **tables_of(spec)(tuple(values))}, spec)
    with pytest.raises(gd.LoadError) as fast:
        from_values(envelope, tuple(values), spec, tables_of(spec))
    assert [f.to_dict() for f in fast.value.findings] == [f.to_dict() for f in slow.value.findings]
    envelope["provenance"] = {**envelope.get("provenance", {}), spec.cells()[0].pointer: {"raw": "a\x00b"}}
    with pytest.raises(gd.LoadError) as slow:
        from_data({**envelope, **tables_of(spec)(report.values())}, spec)
    with pytest.raises(gd.LoadError) as fast:
        from_values(envelope, report.values(), spec, tables_of(spec))
    assert [f.to_dict() for f in fast.value.findings] == [f.to_dict() for f in slow.value.findings]


def test_number_first_statement_searched_from_its_words() -> None:
    """The narrative's one number-first pattern is searched from before its first word: the same matches."""
    from govdisclosure.formats import published
    from govdisclosure.ingest.narrative import stated

    spec = gd.parse(REPORT).report.spec
    name, index, words, lead = published.NUMBER_FIRST
    pattern = published.stated_patterns(spec)[name][index]
    assert pattern.pattern.startswith(r"(?<!\d)(\d{1,15})件(?:申请)?(?:" + "|".join(words) + ")") and lead == 18
    for text in ("前言" * 50 + "123456789012345件申请结转下一年度", "共5件顺延至下年度", "12件结转到下年度", "无"):
        assert stated(text, spec).get("carried_forward") == (
            int(m.group(1)) if (m := pattern.search(text)) else None)


@pytest.mark.parametrize("entries", [{"/requests/total/natural_person": {}},
                                     {"/requests/total/natural_person": {"raw": None}},
                                     {"/no/such/cell": {"raw": "1"}}])
def test_provenance_that_says_nothing_or_names_no_cell(entries: dict) -> None:
    report = gd.parse(REPORT).report
    spec = report.spec
    envelope = _envelope(report)
    envelope["provenance"] = {**envelope.get("provenance", {}), **entries}
    with pytest.raises(gd.LoadError) as slow:
        from_data({**envelope, **tables_of(spec)(report.values())}, spec)
    with pytest.raises(gd.LoadError) as fast:
        from_values(envelope, report.values(), spec, tables_of(spec))
    assert [f.to_dict() for f in fast.value.findings] == [f.to_dict() for f in slow.value.findings]
