"""load(render(r, "docx")) == r for every report: cells, blanks, the narrative and the envelope."""

from __future__ import annotations

import attrs
from docx_helpers import EXAMPLES, render
from hypothesis import given, settings
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure.model.scalars import Text
from govdisclosure.testing import reports

_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40) | st.sampled_from(
    ["", "第一段\n第二段", "\t缩进的一行", "  前后有空格  ", "<b>&amp;</b>", "=SUM(A1)", "中\n\n间空一行"])


@settings(max_examples=40, deadline=None)
@given(report=reports(blanks=True))
def test_a_report_reads_back_equal(report: gd.Report) -> None:
    assert gd.loads(render(report), source="r.docx") == report


def _paragraph_text(text: str | None) -> str | None:
    """What the narrative becomes in Word: one paragraph a line; blank lines at either end are not kept."""
    if text is None:
        return None
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return "\n".join(lines) if lines else None


@settings(max_examples=40, deadline=None)
@given(report=reports(blanks=True), overview=_TEXT, problems=_TEXT, preamble=st.none() | _TEXT,
       title=st.none() | _TEXT.filter(lambda t: "\n" not in t and t.strip() != ""))
def test_any_narrative_reads_back(report: gd.Report, overview: str, problems: str, preamble: str | None,
                                  title: str | None) -> None:
    parts = attrs.evolve(report.parts, overview=Text(overview), problems=Text(problems),
                         preamble=None if preamble is None else Text(preamble))
    report = attrs.evolve(report, parts=parts, title=None if title is None else Text(title))
    read = gd.loads(render(report), source="r.docx")
    assert read.parts.overview == _paragraph_text(overview)
    assert read.parts.problems == _paragraph_text(problems)
    assert read.parts.preamble == _paragraph_text(preamble)
    assert read.title == title
    assert [c for c in read.spec.cells()] == [c for c in report.spec.cells()]
    assert attrs.evolve(read, parts=report.parts) == report


def test_a_part_that_reads_as_a_later_heading_reads_back() -> None:
    """A part's text that is another part's heading (hypothesis takes strings from the code it tests: it wrote
    三、收到和处理政府信息公开申请情况 as part 1) stays that part's text: our document prints headings in their own
    style, and a paragraph in the body's style is text."""
    report = gd.load(str(EXAMPLES / "huaian-city-2024.json"))
    heading = report.spec.parts[2].heading.zh
    parts = attrs.evolve(report.parts, preamble=Text(heading), overview=Text(f"中\n\n{heading}"),
                         problems=Text(report.spec.parts[-1].heading.zh))
    report = attrs.evolve(report, parts=parts)
    read = gd.loads(render(report), source="r.docx")
    assert (read.parts.preamble, read.parts.overview, read.parts.problems) == (
        heading, f"中\n\n{heading}", report.spec.parts[-1].heading.zh)
    assert read == report


def test_a_cell_in_doubt_in_table_4_keeps_the_table() -> None:
    """Table 4's row has no label: a cell printed with a doubt's mark (``？1``) made the row look like text, and the
    table was lost (ten cells read back blank, DOCX-TABLE-MISSING) when a parsed report was written to Word."""
    from govdisclosure.testing import conformance

    for version in ("2019", "2021"):
        report = conformance.provenance_report(gd.Registry.core().format(version))
        assert any(p.startswith("/review_litigation/") for p in report.provenance)
        read = gd.loads(render(report), source="r.docx")
        assert read == report
