"""The declaration matches the spec's tables.md (tests/data/spec/tables.md): every id and verbatim label, in order."""

from __future__ import annotations

import re

import pytest

import govdisclosure as gd
from govdisclosure.formats.spec import Row, iter_rows

from .conftest import data_path


def _md_rows(section: str) -> list[list[str]]:
    """Rows of the markdown tables in one section of tables.md (cells stripped)."""
    out = []
    for line in section.splitlines():
        if line.startswith("|") and not set(line) <= set("|- "):
            out.append([c.strip() for c in line.strip().strip("|").split("|")])
    return out[1:] if out else out


@pytest.fixture(scope="module")
def tables_md() -> str:
    return data_path("spec", "tables.md").read_text(encoding="utf-8")


def _section(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i:text.index(end, i + len(start))]


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_table2_rows_columns_and_labels(tables_md: str, version: str) -> None:
    section = _section(tables_md, f"### {version} format", "###" if version == "2021" else "## Table 3")
    spec = gd.Registry.default().format(version)
    declared = [(block.label.zh, row.id, row.label.zh, [(c.id, c.label.zh) for c in block.columns])
                for block in spec.table("proactive").blocks for _, row, _ in iter_rows(block.rows)]
    expected = []
    previous_columns: list[tuple[str, str]] = []
    for block, row_id, label, columns in _md_rows(section):
        cols = re.findall(r"`(\w+)`: ([^·—]+?)(?: —| ·|$|\s\()", columns)
        cols = [(cid, text.strip()) for cid, text in cols]
        if not cols:  # "same three"
            cols = previous_columns
        previous_columns = cols
        expected.append((block, row_id.strip("`"), label, cols))
    assert declared == expected


def test_table3_rows_in_order(tables_md: str) -> None:
    rows = _md_rows(_section(tables_md, "Rows, in this order", "Every cell is"))
    ids = [(r[0].strip("`"), r[1]) for r in rows if r[0]]
    for version in ("2019", "2021"):
        spec = gd.Registry.default().format(version)
        declared = [(".".join(p), row.label.zh) for p, row, _ in spec.rows("requests")]
        expected = [(i, label) for i, label in ids
                    if not (version == "2019" and i.startswith("other."))
                    and not (version == "2021" and i == "other")]
        # the markdown labels of `other` carry a note after " — "; the label is before it
        expected = [(i, label.split(" — ")[0]) for i, label in expected]
        assert declared == expected
        assert len(declared) == (23 if version == "2019" else 25)


def test_table3_columns_and_groups(tables_md: str) -> None:
    rows = _md_rows(_section(tables_md, "Columns (申请人情况", "Rows, in this order"))
    spec = gd.Registry.default().format("2021")
    block = spec.table("requests").blocks[0]
    assert [(c.id, c.label.zh, c.group.zh if c.group else "") for c in block.columns] == \
        [(r[0].strip("`"), r[1], r[2]) for r in rows]
    assert block.columns_heading.zh == "申请人情况"
    # group headings are merged cells without values, as the form lays them out
    headings = [g.zh for _, _, g in _iter_groups(block.rows)]
    assert "三、本年度办理结果" in headings and "（三）不予公开" in headings


def _iter_groups(nodes):
    for path, row, groups in iter_rows(nodes):
        for g in groups:
            yield path, row, g


def test_table4_groups_and_columns(tables_md: str) -> None:
    section = _section(tables_md, "## Table 4", "## Layout of the form")
    md = _md_rows(section)
    spec = gd.Registry.default().format("2019")
    block = spec.table("review_litigation").blocks[0]
    assert [c.id for c in block.columns] == ["upheld", "corrected", "other", "pending", "total"]
    assert [(c.id, c.label.zh) for c in block.columns] == [(r[0].strip("`"), r[1]) for r in md if len(r) == 2 and r[0].startswith("`")]
    rows = [(p[0], row.label.zh, [g.zh for g in groups]) for p, row, groups in iter_rows(block.rows)]
    assert rows == [("review", "行政复议", []), ("litigation_direct", "未经复议直接起诉", ["行政诉讼"]),
                    ("litigation_after_review", "复议后起诉", ["行政诉讼"])]


def test_result_leaves_and_years() -> None:
    reg = gd.Registry.default()
    for version, leaves in (("2019", 19), ("2021", 21)):
        spec = reg.format(version)
        results = [p for p, _, _ in spec.rows("requests")
                   if p not in (("received",), ("carried_over",), ("total",), ("carried_forward",))]
        assert len(results) == leaves
    assert reg.format_for_year(2019).version == "2019"
    assert reg.format_for_year(2020).version == "2019"
    assert reg.format_for_year(2021).version == "2021"
    assert reg.format_for_year(2030).version == "2021"


def test_parts_headings_are_official() -> None:
    spec = gd.Registry.default().format("2021")
    assert [p.heading.zh for p in spec.parts] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def test_every_label_is_declared_once_per_format() -> None:
    for version in ("2019", "2021"):
        spec = gd.Registry.default().format(version)
        pointers = [c.pointer for c in spec.cells()]
        assert len(pointers) == len(set(pointers))
        assert all(isinstance(c.row, Row) for c in spec.cells())


@pytest.mark.parametrize("bad", ["__init__", "__weakref__", "__class__", "class", "1st", "a-b", "其他文件ª", "ｆｕｌｌ"])
def test_an_id_python_reserves_or_cannot_hold_is_refused_at_declaration(bad: str) -> None:
    """A row id becomes an attribute of the generated class: ``Row("__init__", …)`` in a plugin's variant
    gave a TypeError traceback when a report was loaded; one Python reads as another (``其他文件ª`` is NFKC's
    ``其他文件a``) an AttributeError when a report was made."""
    from govdisclosure.formats.spec import Label

    with pytest.raises(gd.DeclarationError, match="not a valid id"):
        Row(bad, Label("某行", "a row"))
