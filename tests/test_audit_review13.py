"""Probable republications as review 13a found them (/work/coord/review13a-findings.md #3, #8): names that nest in a
chain (a county's report on the county, city and province portals) told "not one agency", and a township's report
republished, with a count or two, no longer listed at all.  The reports are built here (the reviewer's inputs,
review13a-inputs/audit-chain and audit-township, are such JSON reports under those names)."""

from __future__ import annotations

from pathlib import Path

import pytest

from govdisclosure.audit import Store, audit
from govdisclosure.audit.page import write_page
from govdisclosure.audit.store import REPUBLISHED_COUNTS

from .test_audit import _doc, _write
from .test_audit_review12 import _map
from .test_audit_review12b_summary import _sparse


@pytest.mark.parametrize("names", [
    ("白河县人民政府", "青川市白河县人民政府", "川北省青川市白河县人民政府"),  # the reviewer's chain
    ("教育局", "县教育局", "白河县教育局", "青川市白河县教育局"),  # four levels
    ("城关镇人民政府", "白河县城关镇人民政府", "青川市白河县城关镇人民政府")])
def test_names_that_nest_in_a_chain_are_one_republication(tmp_path: Path, names: tuple[str, ...]) -> None:
    # review 13a #3: three identical reports whose names nest in a chain were one "group": "a template copied or a
    # report under the wrong name, check before mapping"; each name ends with every shorter one: one agency's
    # report republished by the portals above it, to be mapped to one id
    src = tmp_path / "in"
    same = _doc(year=2023, agency=names[0], seed=1)
    for i, name in enumerate(names):
        _write(src / f"level{i}", "2023.json", {**same, "agency": {**same["agency"], "name": name}})
    db = tmp_path / "a.sqlite"
    summary = audit([str(src)], str(db), jobs=0)
    assert summary.republication_groups == () and summary.republications_few == ()
    # each longer name with the shortest: mapping the rows maps the chain
    assert sorted((a, b) for _, a, _, b, _ in summary.republications) == [(n, names[0]) for n in sorted(names[1:])]
    lines = summary.lines()
    head = next(i for i, line in enumerate(lines) if line.startswith("可能是同一份报告以不同机关名称发布"))
    assert "1 处" in lines[head] and "请用 --agencies 对照" in lines[head]
    assert lines[head + 1].startswith("  ≈ 2023 ") and [n for n in reversed(names) if n in lines[head + 1]] == list(
        reversed(names)) and lines[head + 1].index(names[-1]) < lines[head + 1].index(f" {names[0]} (")
    assert not any("勿直接" in line for line in lines)
    assert any("probable republications" in line and ": 1," in line for line in summary.lines("en"))
    page = tmp_path / "index.html"
    with Store(str(db)) as store:
        write_page(store, str(page), top=5)
    text = page.read_text(encoding="utf-8")
    assert "template copied" not in text and f"<td>{names[-1]}</td>" in text
    mapping = _map(tmp_path, *(f"{n},one" for n in names))
    assert audit([str(src)], str(db), jobs=0, agencies=mapping).republications == ()


@pytest.mark.parametrize("other", ["青川市白河县人民政府", "另县人民政府"])
def test_a_chain_with_a_name_that_does_not_nest_is_still_a_group(tmp_path: Path, other: str) -> None:
    # review 13a #3: the group warning is for a fan: 白河县人民政府 ≈ 川北省青川市白河县人民政府 and ≈ 另市白河县人民政府
    # (which do not nest in each other), or 县人民政府 ≈ 白河县… and ≈ 另县… — whatever chain the rest make
    src = tmp_path / "in"
    short = "白河县人民政府" if other != "另县人民政府" else "县人民政府"
    names = (short, "川北省青川市白河县人民政府", "另市白河县人民政府" if other != "另县人民政府" else other, other)
    same = _doc(year=2023, agency=short, seed=2)
    for i, name in enumerate(dict.fromkeys(names)):
        _write(src, f"{i}.json", {**same, "agency": {**same["agency"], "name": name}})
    summary = audit([str(src)], str(tmp_path / "a.sqlite"), jobs=0)
    assert summary.republications == () and summary.republications_few == ()
    ((_, members),) = summary.republication_groups
    assert {a for a, _ in members} == set(names)
    assert any("勿直接用 --agencies 对照" in line for line in summary.lines())


@pytest.mark.parametrize("counts", [1, 3, REPUBLISHED_COUNTS - 1])
def test_a_township_republished_with_few_counts_is_listed_to_check(tmp_path: Path, counts: int) -> None:
    # review 13a #8: below REPUBLISHED_COUNTS non-zero counts a real township republication (城关镇人民政府 on the
    # county's site, 白河县城关镇人民政府 on the city's portal) was listed nowhere and summed twice; a single match (or
    # a chain) is listed apart, "few counts: check"; a fan of a common town name (the chance the threshold guards
    # against) is not listed, but how many reports were left out is said
    src = tmp_path / "in"
    town = _sparse("城关镇人民政府", counts)
    _write(src / "county-site", "chengguan.json", town)
    _write(src / "city-portal", "baihe-chengguan.json",
           {**town, "agency": {**town["agency"], "name": "白河县城关镇人民政府"}})
    # another town's: zeros but a count: its own numbers; all zeros: no republication to tell from any other
    _write(src / "county-site", "hekou.json", _sparse("河口镇人民政府", 2))
    _write(src / "a", "zeros.json", _sparse("东坝镇人民政府", 0))
    _write(src / "b", "zeros.json", {**_sparse("东坝镇人民政府", 0), "agency": {**town["agency"], "name": "某县东坝镇人民政府"}})
    # a fan of a common name, few counts: 新村镇人民政府 ≈ 甲县新村镇人民政府 and ≈ 乙县新村镇人民政府
    fan = _sparse("新村镇人民政府", counts)
    for i, name in enumerate(("新村镇人民政府", "甲县新村镇人民政府", "乙县新村镇人民政府")):
        _write(src / "fan", f"{i}.json", {**fan, "agency": {**fan["agency"], "name": name}})
    db = tmp_path / "a.sqlite"
    summary = audit([str(src)], str(db), jobs=0)
    assert summary.republications == () and summary.republication_groups == ()
    assert [(a, Path(s).parent.name, b, Path(t).parent.name) for _, a, s, b, t in summary.republications_few] == [
        ("白河县城关镇人民政府", "city-portal", "城关镇人民政府", "county-site")]
    assert summary.republications_left_out == 3
    lines, en = summary.lines(), summary.lines("en")
    few = next(i for i, line in enumerate(lines) if f"非零的数不足 {REPUBLISHED_COUNTS} 个（数少" in line)
    assert "1 处" in lines[few] and "白河县城关镇人民政府" in lines[few + 1] and "新村镇" not in lines[few + 1]
    assert any(line.startswith("另有 3 份报告") and "未列出" in line for line in lines)
    assert any("few counts: check" in line for line in en)
    assert any(line.startswith("3 more reports under names that nest") for line in en)
    page = tmp_path / "index.html"
    with Store(str(db)) as store:
        write_page(store, str(page), top=5)
    text = page.read_text(encoding="utf-8")
    assert "few counts: check" in text and "<td>白河县城关镇人民政府</td>" in text and "3 more reports" in text
