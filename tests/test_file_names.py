"""A file's name is its identity where it is recorded (the audit's store, its JSON summary), and is escaped only
where one line shows it (the summary's lines, the audit page): a name with a newline and one with a backslash and
an n are two files (probe 11, finding 8)."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import attrs
import pytest

from govdisclosure.audit import audit
from govdisclosure.audit.agencies import AgencyMap, Mapped
from govdisclosure.audit.page import write_page
from govdisclosure.audit.store import Store
from govdisclosure.findings import path_text, printable

from .conftest import DATA
from .test_audit import _doc, _write

REPORT = DATA / "probe11" / "simplified-2023.txt"
NEWLINE, BACKSLASH_N = "name\nwith newline.txt", "name\\nwith newline.txt"

pytestmark = pytest.mark.skipif(os.name != "posix", reason="a newline in a file's name: POSIX file systems")


def test_a_name_as_text_keeps_every_character_and_writes_only_undecodable_bytes() -> None:
    assert path_text(NEWLINE) == NEWLINE != path_text(BACKSLASH_N) == BACKSLASH_N
    assert printable(NEWLINE) == printable(BACKSLASH_N)  # shown on one line, the two look alike
    assert path_text("年报\t2023\u200b.txt") == "年报\t2023\u200b.txt"
    assert path_text(b"gbk\xb9\xfa.txt") == path_text(os.fsdecode(b"gbk\xb9\xfa.txt")) == "gbk\\xb9\\xfa.txt"
    assert path_text("a\ud800b") == "a\\ud800b"  # a surrogate that no name's bytes give
    json.dumps(path_text(b"x\xff\ny"), ensure_ascii=False).encode("utf-8")  # JSON and SQLite can hold it


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("jobs", [0, 2])
def test_the_audit_records_each_file_by_its_name_and_shows_it_escaped(tmp_path: Path, jobs: int) -> None:
    src = tmp_path / "in"
    src.mkdir()
    text = REPORT.read_text(encoding="utf-8")
    try:
        (src / NEWLINE).write_text(text, encoding="utf-8")
    except OSError:
        pytest.skip("the file system refuses a newline in a name")
    (src / BACKSLASH_N).write_text(text.replace("青田县", "丽水县"), encoding="utf-8")  # another report
    _write(src, "json\nreport.json", _doc(seed=3))  # read on its own (not with the published texts)
    _write(src, "bad\nfile.json", {"year": 2020})
    db = tmp_path / "a.sqlite"
    summary = audit([str(src)], str(db), jobs=jobs)
    # both reports stored, each under its own name: the path is the name, a newline in it too
    assert summary.reports == 3
    sources = {os.path.basename(str(s)) for (s,) in _rows(db, "SELECT source FROM reports")}
    assert sources == {NEWLINE, BACKSLASH_N, "json\nreport.json"}
    inputs = {os.path.basename(str(p)): bytes(b) for p, b in _rows(db, "SELECT path, path_bytes FROM inputs")}
    assert {name: os.fsencode(src / name) for name in (NEWLINE, BACKSLASH_N, "json\nreport.json", "bad\nfile.json")
            } == inputs
    assert [os.path.basename(p) for p, *_ in summary.failed] == ["bad\nfile.json"]
    assert "bad\nfile.json" in json.dumps(attrs.asdict(summary), ensure_ascii=False, default=str).replace("\\n", "\n")
    # one line shows a name escaped: the summary, the page
    lines = [line for lang in ("zh", "en") for line in summary.lines(lang)]
    assert not any("\n" in line for line in lines) and any("bad\\nfile.json: " in line for line in lines)
    page = tmp_path / "audit.html"
    with Store(str(db)) as store:
        write_page(store, str(page))
    html = page.read_text(encoding="utf-8")
    assert "bad\\nfile.json" in html and "bad\nfile.json" not in html and "name\nwith" not in html


def test_an_agency_map_row_names_a_file_by_its_name(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    try:
        path = src / NEWLINE
        path.write_text(REPORT.read_text(encoding="utf-8"), encoding="utf-8")
    except OSError:
        pytest.skip("the file system refuses a newline in a name")
    agencies = AgencyMap(((str(path), Mapped("qt-amr", "青田县市场监管局", None, None)),))
    audit([str(src)], str(tmp_path / "a.sqlite"), jobs=0, agencies=agencies)
    assert _rows(tmp_path / "a.sqlite", "SELECT agency_key, agency FROM reports") == [("id:qt-amr", "青田县市场监管局")]


def test_validate_json_names_each_file_by_its_name(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from govdisclosure.cli import cli

    try:
        (tmp_path / NEWLINE).write_text(REPORT.read_text(encoding="utf-8"), encoding="utf-8")
    except OSError:
        pytest.skip("the file system refuses a newline in a name")
    (tmp_path / BACKSLASH_N).write_text(REPORT.read_text(encoding="utf-8"), encoding="utf-8")
    paths = [str(tmp_path / NEWLINE), str(tmp_path / BACKSLASH_N)]
    found = json.loads(CliRunner().invoke(cli, ["validate", "--output", "json", *paths]).stdout)
    assert {f["file"] for f in found} == set(paths)  # each a path that exists, the two apart
    text = CliRunner().invoke(cli, ["validate", *paths]).stdout
    assert f"{printable(paths[0])}: " in text and "name\nwith" not in text  # one line shows it escaped
