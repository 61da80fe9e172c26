"""Reading Word reports: the template filled with report 013 cell for cell, the narrative by part, and bad
input as located errors or findings — never a traceback, never a cell from the wrong row."""

from __future__ import annotations

import copy
import csv
import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx.oxml.ns import qn
from docx_helpers import CORPUS, EXAMPLES, document, render, save, unique_report
from govdisclosure_docx import document as document_module
from govdisclosure_docx.reader import read_docx
from hypothesis import given, settings
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure.io import package

DOCX_013 = CORPUS / "constructed" / "013-pingtan-2024-template.docx"
CSV_013 = CORPUS / "expected" / "013-pingtan-2024-template-pdf.csv"
TEXT_013 = CORPUS / "reports" / "013-pingtan-2024-zfxxgknb.txt"


def _expected_cells(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        return {f"/{r['table']}/{r['row'].replace('.', '/')}/{r['column']}": r["value"] for r in csv.DictReader(fh)}


def _cell(report: gd.Report, pointer: str) -> Any:
    value: Any = report
    for k in pointer.strip("/").split("/"):
        value = getattr(value, k)
    return value


def _codes(findings: list[Any]) -> set[str]:
    return {f.code for f in findings}


# ----------------------------------------------------------------------------- report 013


def test_the_template_filled_with_report_013_parses_with_every_cell_exact() -> None:
    report = gd.load(DOCX_013)
    expected = _expected_cells(CSV_013)
    assert len(expected) == len(report.spec.cells()) == 200
    got = {p: _cell(report, p) for p in expected}
    assert {p: str(v) for p, v in got.items()} == expected
    assert report.format_version == "2021" and report.variant is None


def test_report_013_title_dates_and_narrative() -> None:
    report = gd.load(DOCX_013)
    assert report.title == "平潭综合实验区2024年度政府信息公开工作年度报告"
    assert report.year == 2024 and report.agency.name == "平潭综合实验区"
    assert report.period is not None and (report.period.start.isoformat(), report.period.end.isoformat()) == (
        "2024-01-01", "2024-12-31")
    published = TEXT_013.read_text(encoding="utf-8")
    parts = report.parts
    assert parts.preamble is not None and parts.preamble.startswith("本报告根据《中华人民共和国政府信息公开条例》")
    assert parts.overview is not None and parts.overview.startswith("2024年，平潭综合实验区坚持")
    assert parts.overview.count("\n") == 5  # the introduction and its five numbered paragraphs
    assert parts.overview.split("\n")[-1].startswith("（五）监督保障方面")
    assert parts.problems is not None and parts.problems in published
    assert parts.other == "2024年，无收取信息处理费情况。"
    for text in (parts.preamble, *parts.overview.split("\n")):
        assert text in published  # the words as published, paragraph by paragraph
    for part in report.spec.parts:
        assert part.heading.zh not in (parts.overview + parts.problems)


def test_report_013_reads_without_doubts() -> None:
    data, findings = read_docx(DOCX_013.read_bytes(), str(DOCX_013))
    # only the parser's notes about the envelope (an experimental zone's level is not in its name)
    assert all(f.severity.value == "info" and f.code.startswith("GD-PARSE-") for f in findings), findings
    assert all(f.file == str(DOCX_013) and f.line is None for f in findings)
    assert not [f for f in gd.validate(gd.from_data(data)) if f.severity.rank <= 1]


# ----------------------------------------------------------------------------- own documents


@pytest.mark.parametrize("example", ["pingtan-2020", "huaian-city-2024", "hutubi-shanggongxinju-2020"])
def test_a_rendered_example_reads_back_equal(example: str) -> None:
    report = gd.load(EXAMPLES / f"{example}.json")
    data, findings = read_docx(render(report), "x.docx")
    assert findings == []
    assert gd.from_data(data) == report


def test_a_title_edited_in_word_wins() -> None:
    report = gd.load(EXAMPLES / "huaian-city-2024.json")
    doc = document(render(report))
    doc.paragraphs[0].runs[0].text = "改过的标题"
    assert gd.loads(save(doc), source="x.docx").title == "改过的标题"


def test_a_published_document_without_our_envelope_is_read_by_its_text() -> None:
    """The same document with the custom property removed: the envelope comes from its words."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    report = gd.load(EXAMPLES / "pingtan-2020.json")
    doc = document(render(report))
    package = doc.part.package
    rid = next(r for r in package.rels.values() if r.reltype == RT.CUSTOM_PROPERTIES).rId
    package.rels.pop(rid)
    read = gd.loads(save(doc), source="x.docx")
    assert read.title == report.title and read.year == report.year
    assert {c.pointer: _cell(read, c.pointer) for c in read.spec.cells()} == \
        {c.pointer: _cell(report, c.pointer) for c in report.spec.cells()}
    assert read.parts.overview == report.parts.overview
    assert read.parts.preamble == report.parts.preamble


# ----------------------------------------------------------------------------- damaged tables


def _rows(doc: Any, table: int) -> list[Any]:
    return list(doc.tables[table]._tbl.iter(qn("w:tr")))


def _row_of(doc: Any, table: int, label: str) -> Any:
    for tr in _rows(doc, table):
        texts = ["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in tr.iter(qn("w:tc"))]
        if label in texts:
            return tr
    raise AssertionError(label)


def test_moved_rows_are_read_by_their_labels() -> None:
    report = unique_report("2021")
    spec = report.spec
    doc = document(render(report))
    received = _row_of(doc, 1, spec.cell("/requests/received/total").row.label.zh)
    forward = _row_of(doc, 1, spec.cell("/requests/carried_forward/total").row.label.zh)
    received.addprevious(forward)  # 四、结转下年度 printed above 一、本年新收
    read, findings = read_docx(save(doc), "moved.docx")
    assert gd.from_data(read) == report
    assert "DOCX-ROW-ORDER" in _codes(findings)


def test_a_missing_row_is_blank_and_reported() -> None:
    report = unique_report("2021")
    spec = report.spec
    doc = document(render(report))
    row = _row_of(doc, 1, spec.cell("/requests/carried_over/total").row.label.zh)
    row.getparent().remove(row)
    read, findings = read_docx(save(doc), "missing.docx")
    got = gd.from_data(read)
    for cell in spec.cells():
        expected = None if cell.pointer.startswith("/requests/carried_over/") else _cell(report, cell.pointer)
        assert _cell(got, cell.pointer) == expected, cell.pointer
    missing = [f for f in findings if f.code == "DOCX-ROW-MISSING"]
    assert [f.pointer for f in missing] == ["/requests/carried_over"]
    assert spec.cell("/requests/carried_over/total").row.label.zh in missing[0].text("zh")


def test_columns_are_read_under_their_headers_not_by_position() -> None:
    """Swap two columns of table 2 (header and values): each value still goes to its column."""
    report = unique_report("2021")
    doc = document(render(report))
    for tr in _rows(doc, 0)[1:4]:  # the header and the two rows of the first block
        tcs = list(tr.iter(qn("w:tc")))
        tcs[1].addprevious(tcs[3])
    read, findings = read_docx(save(doc), "swapped.docx")
    assert gd.from_data(read) == report
    assert findings == []


def test_a_table_split_in_two_still_reads() -> None:
    report = unique_report("2019")
    doc = document(render(report))
    tbl = doc.tables[1]._tbl
    trs = list(tbl.iter(qn("w:tr")))
    second = copy.deepcopy(tbl)
    for tr in list(second.iter(qn("w:tr")))[:14]:
        second.remove(tr)
    for tr in trs[14:]:
        tbl.remove(tr)
    paragraph = copy.deepcopy(doc.paragraphs[0]._p)
    for r in paragraph.iter(qn("w:r")):
        r.getparent().remove(r)
    tbl.addnext(paragraph)
    paragraph.addnext(second)
    read, findings = read_docx(save(doc), "split.docx")
    assert gd.from_data(read) == report
    assert findings == []


def test_text_in_a_count_cell_is_located_and_blank() -> None:
    report = unique_report("2021")
    spec = report.spec
    doc = document(render(report))
    label = spec.cell("/requests/granted/commercial").row.label.zh
    tr = _row_of(doc, 1, label)
    tcs = list(tr.iter(qn("w:tc")))
    # the row's cells: group, label, natural_person, commercial, …
    next(tcs[3].iter(qn("w:t"))).text = "十二件"
    next(tcs[2].iter(qn("w:t"))).text = "１２件"  # full-width digits and a unit: 12, the printed text kept
    read, findings = read_docx(save(doc), "text.docx")
    got = gd.from_data(read)
    assert got.cell("/requests/granted/natural_person") == 12
    assert got.provenance["/requests/granted/natural_person"].raw == "１２件"
    assert got.cell("/requests/granted/commercial") is None
    bad = [f for f in findings if f.code == "DOCX-CELL-TEXT"]
    assert len(bad) == 1 and bad[0].pointer == "/requests/granted/commercial"
    assert "第 2 个表格" in bad[0].text("zh") and "table 2" in bad[0].text("en")
    assert label in bad[0].text("zh") and "十二件" in bad[0].text("zh")


def test_blank_marks_are_null_and_kept() -> None:
    report = unique_report("2019")
    doc = document(render(report))
    tr = _row_of(doc, 0, report.spec.cell("/proactive/rules/made").row.label.zh)
    next(list(tr.iter(qn("w:tc")))[1].iter(qn("w:t"))).text = "—"
    got = gd.loads(save(doc), source="marks.docx")
    assert got.cell("/proactive/rules/made") is None
    assert got.provenance["/proactive/rules/made"].raw == "—"


# ----------------------------------------------------------------------------- damaged rows, at random

_OPS = st.lists(st.tuples(st.sampled_from(["delete", "swap", "duplicate", "blank", "shift", "unmerge"]),
                          st.integers(0, 10_000), st.integers(0, 10_000)), min_size=1, max_size=6)


def _damage(table: Any, op: str, a: int, b: int) -> None:
    """One damage done to a table: a row deleted, moved, duplicated or blanked, a cell lost, a merge broken."""
    trs = list(table.iter(qn("w:tr")))
    if not trs:
        return
    tr, other = trs[a % len(trs)], trs[b % len(trs)]
    tcs = list(tr.iter(qn("w:tc")))
    if op == "delete":
        table.remove(tr)
    elif op == "swap" and tr is not other:
        other.addprevious(tr)
    elif op == "duplicate":
        other.addnext(copy.deepcopy(tr))
    elif op == "blank":
        for t in tr.iter(qn("w:t")):
            t.text = ""
    elif op == "shift" and len(tcs) > 1:  # a cell lost: the row's values slide left
        tr.remove(tcs[b % len(tcs)])
    elif op == "unmerge" and tcs and tcs[b % len(tcs)].tcPr is not None:  # merged cells broken
        pr = tcs[b % len(tcs)].tcPr
        for el in [*pr.iter(qn("w:gridSpan")), *pr.iter(qn("w:vMerge"))]:
            pr.remove(el)


@settings(max_examples=25, deadline=None)
@given(version=st.sampled_from(["2019", "2021"]), ops=_OPS)
def test_damaged_tables_never_give_a_cell_from_the_wrong_row(version: str, ops: list[tuple[str, int, int]]) -> None:
    report = unique_report(version)
    doc = document(render(report))
    for op, a, b in ops:
        _damage(doc.tables[a % len(doc.tables)]._tbl, op, a, b)
    try:
        data, _ = read_docx(save(doc), "damaged.docx")
    except gd.LoadError as exc:
        assert exc.lines("en")  # located, not a traceback
        return
    got = gd.from_data(data)
    for cell in report.spec.cells():
        value = _cell(got, cell.pointer)
        assert value is None or value == _cell(report, cell.pointer), cell.pointer


# ----------------------------------------------------------------------------- not a report


def _load_error(data: bytes, name: str) -> gd.LoadError:
    with pytest.raises(gd.LoadError) as info:
        gd.loads(data, source=name)
    return info.value


def test_a_corrupt_file_is_a_located_error() -> None:
    good = render(gd.load(EXAMPLES / "pingtan-2020.json"))
    for data in (good[: len(good) // 2], b"PK\x03\x04" + b"\x00" * 100, b"not a word file at all"):
        err = _load_error(data, "broken.docx")
        assert err.file == "broken.docx"
        assert any("DOCX-LOAD-CORRUPT" in line for line in err.lines("en"))
        assert "Word" in err.summary("zh") and "Word" in err.summary("en")


def test_a_zip_that_is_not_a_word_file() -> None:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    err = _load_error(buf.getvalue(), "book.docx")
    assert "DOCX-LOAD-CORRUPT" in err.summary("en")


def test_a_password_protected_document() -> None:
    # an encrypted Office file is an OLE compound file holding an EncryptedPackage stream
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64
    err = _load_error(ole, "secret.docx")
    assert "DOCX-LOAD-ENCRYPTED" in err.summary("en")
    assert "密码" in err.summary("zh") and "password" in err.summary("en")


def test_a_word_file_that_is_not_a_report() -> None:
    import docx

    doc = docx.Document()
    doc.add_paragraph("关于召开会议的通知")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "电话", "0591-23165370"
    table.cell(1, 0).text, table.cell(1, 1).text = "邮编", "350400"
    err = _load_error(save(doc), "notice.docx")
    assert "DOCX-NOT-REPORT" in err.summary("en") and "notice.docx" in err.summary("en")


def test_an_old_doc_without_libreoffice_is_refused_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024
    err = _load_error(ole, "old.doc")
    assert "DOCX-LOAD-DOC" in err.summary("en")
    assert "LibreOffice" in err.summary("zh") and ".docx" in err.summary("en")


def _repacked(data: bytes, body: bytes | None = None, *, method: int = zipfile.ZIP_DEFLATED,
              extra: tuple[tuple[str, bytes, int], ...] = ()) -> bytes:
    """The Word file with its main part replaced by ``body`` (stored with ``method``) and ``extra`` members
    (name, bytes, compression method) added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename == "word/document.xml" and body is not None:
                z.writestr(info.filename, body, compress_type=method)
            else:
                z.writestr(info.filename, src.read(info))
        for name, member, how in extra:
            z.writestr(name, member, compress_type=how)
    return out.getvalue()


def _refused(data: bytes, monkeypatch: pytest.MonkeyPatch) -> gd.LoadError:
    """The LoadError of a Word file refused before any of its XML is parsed."""
    parsed: list[Any] = []
    monkeypatch.setattr(document_module, "_PARSER", None)  # a part parsed now would fail otherwise
    monkeypatch.setattr(document_module.etree, "fromstring", lambda *a: parsed.append(a))
    err = _load_error(data, "bomb.docx")
    assert parsed == []
    return err


def test_a_zip_bomb_is_refused_before_it_is_unpacked(monkeypatch: pytest.MonkeyPatch) -> None:
    """One paragraph that deflates a thousand times (the review's xlsx bomb, in Word)."""
    good = render(gd.load(EXAMPLES / "pingtan-2020.json"))
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        main = z.read("word/document.xml")
    para = b"<w:p><w:r><w:t>" + b"A" * (4 * package.RATIO_GRACE) + b"</w:t></w:r></w:p>"
    bomb = _repacked(good, main.replace(b"</w:body>", para + b"</w:body>"))
    assert len(bomb) < len(good) + 50_000
    (problem,) = _refused(bomb, monkeypatch).findings
    assert problem.code == "GD-LOAD-LIMIT" and problem.file == "bomb.docx"
    assert "word/document.xml" in problem.message.zh and "压缩炸弹" in problem.message.zh
    assert f"{package.MAX_RATIO} times" in problem.message.en


def test_parts_and_packages_over_the_limits_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    good = render(gd.load(EXAMPLES / "pingtan-2020.json"))
    # a main part over the limit, stored as it is (no ratio to see): refused by its declared size
    huge = _repacked(good, b"<" + b"A" * document_module.MAX_PART, method=zipfile.ZIP_STORED)
    (problem,) = _load_error(huge, "bomb.docx").findings  # (the package's relations are read first)
    assert problem.code == "GD-LOAD-LIMIT"
    assert f"word/document.xml 解压后 {document_module.MAX_PART + 1:,} 字节" in problem.message.zh
    # pictures are never unpacked, but the whole package has the limit of any input
    monkeypatch.setattr(document_module, "UNPACKED_BYTES", len(good) * 4)
    pictures = _repacked(good, extra=(("word/media/image1.png", b"\x89" * len(good) * 4, zipfile.ZIP_STORED),))
    (problem,) = _refused(pictures, monkeypatch).findings
    assert problem.code == "GD-LOAD-LIMIT" and "the Word document unpacks to" in problem.message.en
    # a compression method Word never writes
    odd = _repacked(good, extra=(("word/media/x.bin", b"x" * 100, zipfile.ZIP_BZIP2),))
    (problem,) = _refused(odd, monkeypatch).findings
    assert problem.code == "DOCX-LOAD-CORRUPT" and "word/media/x.bin" in problem.message.zh
    assert "word/media/x.bin" in problem.message.en and "Office never writes" in problem.message.en


def _libreoffice(tmp_path: Path, source: Path, to: str) -> Path:
    out = tmp_path / "out"
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", to, "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    return out / f"{source.stem}.{to.split(':')[0]}"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_document_saved_again_by_libreoffice_reads_back_equal(tmp_path: Path) -> None:
    report = gd.load(EXAMPLES / "huaian-city-2024.json")
    (tmp_path / "r.docx").write_bytes(render(report))
    assert gd.load(_libreoffice(tmp_path, tmp_path / "r.docx", "docx:MS Word 2007 XML")) == report


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_an_old_doc_is_converted_by_libreoffice(tmp_path: Path) -> None:
    report = gd.load(EXAMPLES / "pingtan-2020.json")
    (tmp_path / "r.docx").write_bytes(render(report))
    read = gd.load(_libreoffice(tmp_path, tmp_path / "r.docx", "doc"))
    for cell in report.spec.cells():
        assert _cell(read, cell.pointer) == _cell(report, cell.pointer), cell.pointer
    assert read.parts.overview == report.parts.overview


# ----------------------------------------------------------------------------- a Word file laid out by an agency

SHANGHAI = Path(__file__).parent / "data" / "073-shanghai-gov-office-2019-from-html.docx"
CSV_073 = CORPUS / "expected" / "073-shanghai-gov-office-2019-wanda-jsstring.csv"


def test_a_word_report_laid_out_by_an_agency() -> None:
    """Shanghai's 2019 page as Word: every cell as published, except four whose colspans do not line up
    with the header over them — blank, and said so, never guessed."""
    result = gd.read(SHANGHAI)
    report = result.report
    assert (report.format_version, report.year, report.agency.name) == ("2019", 2019, "上海市人民政府办公厅")
    assert report.published_on is not None and report.published_on.isoformat() == "2020-01-31"
    expected = _expected_cells(CSV_073)
    misaligned = {f"/proactive/{row}/previous" for row in ("licensing", "other_services", "penalty", "coercion")}
    got = {p: "" if _cell(report, p) is None else str(_cell(report, p)) for p in expected}
    assert {p: v for p, v in got.items() if p not in misaligned} == \
        {p: v for p, v in expected.items() if p not in misaligned}
    assert all(_cell(report, p) is None for p in misaligned)
    rows = [f for f in result.findings if f.code == "DOCX-ROW-CELLS"]
    assert {f.pointer + "/previous" for f in rows} == misaligned
    assert {f.code for f in result.findings if f.code.startswith("DOCX-")} == {"DOCX-ROW-CELLS"}
    assert all(f.severity.value == "info" for f in result.findings if not f.code.startswith("DOCX-"))
    assert report.provenance["/proactive/procurement/amount"].raw == "251000元"
    parts = report.parts
    assert parts.overview is not None and parts.overview.startswith("2019年，上海市人民政府办公厅坚持")
    assert parts.problems is not None and parts.problems.startswith("（一）主要问题")
    assert parts.other == "无。"


def test_the_batch_parser_reads_a_word_file_by_its_extension(registry: Any) -> None:
    """`govdisclosure parse X.docx` (the README's command) said GD-LOAD-BINARY: the batch path used the
    parser of published text alone, not the installed loader of the file's extension (review4, R-b)."""
    from govdisclosure.ingest.batch import parse_many

    [(_, result)] = list(parse_many([str(DOCX_013)], registry=lambda: registry))
    assert isinstance(result, gd.LoadResult) and result.loader == "docx"
    assert result.report == gd.load(DOCX_013)
