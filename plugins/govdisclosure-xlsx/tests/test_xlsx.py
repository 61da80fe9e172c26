"""The xlsx plugin: the fill-in workbook, rendering, reading back, and workbooks from elsewhere."""

from __future__ import annotations

import io
import json
import re
import sys
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import govdisclosure_xlsx
import openpyxl
import pytest
from clerk import expected_report, fill_like_a_clerk, typed_values
from govdisclosure_xlsx import package, plan, read_xlsx, render_xlsx
from govdisclosure_xlsx.write import COVER, FAIL, INCOMPLETE, PASS
from openpyxl.utils import range_boundaries

import govdisclosure as gd
from govdisclosure.formats.spec import CellKind
from govdisclosure.io.layout import walk_rows
from govdisclosure.testing import conformance

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
EXAMPLES = HERE.parents[2] / "examples"


def _book(data: bytes, **kw: Any) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data), **kw)


def _save(wb: Any) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _load(data: bytes, registry: Any, name: str = "report.xlsx") -> Any:
    return gd.loads(data, source=name, loader="xlsx", registry=registry)


def _error(data: bytes, registry: Any) -> str:
    with pytest.raises(gd.LoadError) as exc:
        _load(data, registry)
    return "\n".join(exc.value.lines("zh") + exc.value.lines("en"))


def _huaian() -> Any:
    return gd.load(EXAMPLES / "huaian-city-2024.json")


def _cells(formula: str) -> set[tuple[int, int]]:
    """The cells a formula refers to, ranges expanded."""
    out = set()
    for a, b in re.findall(r"\b([A-Z]+[0-9]+)(?::([A-Z]+[0-9]+))?", formula):
        lo_c, lo_r, hi_c, hi_r = range_boundaries(f"{a}:{b or a}")
        out |= {(r, c) for r in range(lo_r, hi_r + 1) for c in range(lo_c, hi_c + 1)}
    return out


# ----------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("name", ["huaian-city-2024", "pingtan-2020", "hutubi-shanggongxinju-2020"])
def test_examples_read_back_equal(name: str, registry: Any) -> None:
    report = gd.load(EXAMPLES / f"{name}.json")
    assert _load(render_xlsx(report, registry=registry), registry) == report


def test_the_plugin_conforms(registry: Any) -> None:
    """Round trip (a hypothesis property), hostile text, blanks, bad input, the catalogued codes."""
    bad = {**conformance.BAD_INPUTS, **{p.name: p.read_bytes() for p in DATA.glob("*.xls*") if "-" in p.stem
                                        and p.stem.startswith(("old", "password"))}}
    conformance.check_plugin(govdisclosure_xlsx, registry=registry, prefix="XLSX-", bad_inputs=bad,
                             max_examples=30)


def test_exact_amounts_long_texts_and_provenance_read_back(registry: Any) -> None:
    data = gd.to_data(_huaian())
    data["proactive"]["fees"]["amount"] = "123456789012345.000000000000001"  # more than a double holds: kept as text
    data["parts"]["overview"] = "第一段。\n" + "长" * 70_000 + "\r\n_x0041_ 结束"
    data["provenance"] = {"/requests/received/total": {"raw": "12件", "line": 3, "note": "=1+1"}}
    report = gd.from_data(data)
    assert _load(render_xlsx(report, registry=registry), registry) == report


# ----------------------------------------------------------------------------- the fill-in workbook


def test_every_derivable_total_is_a_live_formula_of_its_addends(registry: Any) -> None:
    blank = gd.new_report(2024, agency="某县商务局", level="county_department")
    wb = _book(render_xlsx(blank, registry=registry))
    spec = blank.spec
    totals = plan.sums(spec, registry.rules.values())
    # the total columns and rows of tables 3 and 4 are all derived, from the declared equations
    assert {c.pointer for c in spec.cells() if "total" in (c.column.id, c.row.id)} <= set(totals)
    for pointer, total in totals.items():
        geo = plan.geometry(spec, total.target.table.id)
        cell = wb[plan.sheet_name(spec, geo.table)].cell(*geo.positions[pointer])
        assert cell.data_type == "f" and cell.protection.locked, pointer
        assert _cells(cell.value) == {geo.positions[a.pointer] for a in total.addends}, pointer


def test_input_cells_are_unlocked_marked_and_validated(registry: Any) -> None:
    blank = gd.new_report(2020)  # the 2019 format: counts, signed changes and amounts
    wb = _book(render_xlsx(blank, registry=registry))
    spec = blank.spec
    kinds: Counter[CellKind] = Counter()
    for table in spec.tables:
        ws = wb[plan.sheet_name(spec, table.id)]
        assert ws.protection.sheet
        validations = {(r, c): dv for dv in ws.data_validations.dataValidation for rng in dv.sqref.ranges
                       for r in range(rng.min_row, rng.max_row + 1) for c in range(rng.min_col, rng.max_col + 1)}
        for pointer, pos in plan.geometry(spec, table.id).positions.items():
            cell = ws.cell(*pos)
            if cell.data_type == "f":
                continue
            kind = spec.cell(pointer).column.kind
            kinds[kind] += 1
            dv = validations[pos]
            assert not cell.protection.locked and cell.fill.fgColor.rgb.endswith("FFF2CC"), pointer
            assert dv.type == {CellKind.COUNT: "whole", CellKind.SIGNED: "whole", CellKind.AMOUNT: "decimal"}[kind]
            assert (dv.operator, dv.formula1) == (("between", "-1000000000") if kind is CellKind.SIGNED
                                                  else ("greaterThanOrEqual", "0")), pointer
    assert set(kinds) == set(CellKind)


def test_check_area_has_one_formula_per_balance(registry: Any) -> None:
    report = _huaian()
    wb = _book(render_xlsx(report, registry=registry))
    checks = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
              if c.data_type == "f" and PASS in str(c.value)]
    balances = plan.balances(report.spec, registry.rules.values())
    assert len(checks) == len(balances) > 0
    labels = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if str(c.value).startswith("核对")}
    assert {b.code for b in balances} == {re.match(r"核对 (\S+)：", lb)[1] for lb in labels}  # type: ignore[index]


def _check_results(data: bytes) -> dict[tuple[str, int, int], str]:
    """The check cells' values as LibreOffice computed them: (sheet, row, column) -> 通过/不平衡/未填完."""
    formulas, values = _book(data), _book(data, data_only=True)
    return {(ws.title, c.row, c.column): values[ws.title].cell(c.row, c.column).value
            for ws in formulas.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "f" and PASS in str(c.value)}


def test_a_workbook_saved_by_libreoffice_loads(registry: Any) -> None:
    data = (DATA / "libreoffice-huaian-city-2024.xlsx").read_bytes()
    report, findings = read_xlsx(data, "lo.xlsx", registry)
    assert report == _huaian()
    assert "XLSX-RECOMPUTED" not in {f.code for f in findings}  # LibreOffice stored the results
    assert set(_check_results(data).values()) == {PASS}


def test_clerk_fills_the_blank_workbook_and_it_validates(registry: Any) -> None:
    blank = render_xlsx(gd.new_report(2024, agency="某县商务局", level="county_department"), registry=registry)
    typed = typed_values(gd.new_report(2024).spec)
    filled = fill_like_a_clerk(blank, typed)
    report, findings = read_xlsx(filled, "filled.xlsx", registry)
    assert report == expected_report(typed)
    assert report.requests.total.total is not None and report.review_litigation.review.total is not None
    assert "XLSX-RECOMPUTED" in {f.code for f in findings}  # openpyxl stores no formula results
    assert [f.code for f in gd.validate(report, registry=registry) if f.severity.value in ("fatal", "error")] == []
    # a clerk who deleted the total formulas: the totals are blank, and fill computes them
    wb = _book(filled)
    for pointer, total in plan.sums(report.spec, registry.rules.values()).items():
        geo = plan.geometry(report.spec, total.target.table.id)
        wb[plan.sheet_name(report.spec, geo.table)].cell(*geo.positions[pointer]).value = None
    bare = _load(_save(wb), registry)
    assert bare.requests.total.total is None
    refilled, pointers = gd.fill_totals(bare, registry=registry)
    assert refilled == report and "/requests/total/total" in pointers


@pytest.mark.parametrize("year", [2020, 2025])
def test_a_blank_with_zeros_keeps_its_totals_live(year: int, registry: Any) -> None:
    # review2 item 4: new --zeros wrote every total as a red "differs from its parts" value, no formula
    blank = gd.new_report(year, agency="某县统计局", level="county_department", zeros=True, registry=registry)
    wb = _book(render_xlsx(blank, registry=registry, form=True))
    totals = plan.sums(blank.spec, registry.rules.values())
    for pointer, total in totals.items():
        geo = plan.geometry(blank.spec, total.target.table.id)
        cell = wb[plan.sheet_name(blank.spec, geo.table)].cell(*geo.positions[pointer])
        assert str(cell.value).startswith("=") and cell.comment is None, pointer
    report = _load(_save(wb), registry)  # the workbook computes the totals: 0 where nothing was typed
    assert report.requests.total.total == 0 and not [f for f in gd.validate(report, registry=registry)
                                                     if f.code.startswith(("GD-T", "GD-UNCHECKED"))]
    # as a report (not a form), a blank total is written as the report has it: it reads back blank
    assert _load(render_xlsx(blank, registry=registry), registry) == blank


def test_libreoffice_computes_the_formulas_as_the_equations_do(registry: Any) -> None:
    data = (DATA / "libreoffice-clerk-unbalanced.xlsx").read_bytes()
    report, _ = read_xlsx(data, "clerk.xlsx", registry)
    typed = json.loads((DATA / "clerk-unbalanced-typed.json").read_text(encoding="utf-8"))
    assert report == expected_report(typed)
    results = _check_results(data)
    spec = report.spec
    geo = plan.geometry(spec, "requests")
    col = {c: geo.positions[f"/requests/received/{c}"][1] for c in ("natural_person", "commercial", "research")}
    balance_row = next(r for (s, r, c), v in results.items() if s == plan.sheet_name(spec, "requests")
                       and r > geo.bottom and c == col["natural_person"] and v == FAIL)
    row = {c: results[(plan.sheet_name(spec, "requests"), balance_row, col[c])] for c in col}
    assert row == {"natural_person": FAIL, "commercial": INCOMPLETE, "research": PASS}
    assert [f.code for f in gd.validate(report, registry=registry) if f.code == "GD-T3-BALANCE"] == ["GD-T3-BALANCE"]


# ----------------------------------------------------------------------------- what a clerk may type


@pytest.mark.parametrize("typed", ["12件", "１２", "12.5", "-3", "十二", True])
def test_text_in_a_count_cell_is_a_located_error(typed: Any, registry: Any) -> None:
    report = _huaian()
    spec = report.spec
    pointer = "/requests/received/commercial"
    wb = _book(render_xlsx(report, registry=registry))
    pos = plan.geometry(spec, "requests").positions[pointer]
    sheet = plan.sheet_name(spec, "requests")
    wb[sheet].cell(*pos).value = typed
    text = _error(_save(wb), registry)
    ref = f"{sheet}!{wb[sheet].cell(*pos).coordinate}"
    cell = spec.cell(pointer)
    assert ref in text and cell.row.label.zh in text and cell.column.label.zh in text and "GD-LOAD-TYPE" in text
    assert cell.row.label.en in text  # and in English


def test_digits_stored_as_text_and_blank_cells(registry: Any) -> None:
    report = _huaian()
    wb = _book(render_xlsx(report, registry=registry))
    sheet = wb[plan.sheet_name(report.spec, "requests")]
    positions = plan.geometry(report.spec, "requests").positions
    sheet.cell(*positions["/requests/received/commercial"]).value = " 53 "  # Excel's "number stored as text"
    sheet.cell(*positions["/requests/granted/research"]).value = None
    result = gd.reads(_save(wb), source="t.xlsx", registry=registry)
    back = result.report
    assert back.requests.received.commercial == 53
    assert back.requests.granted.research is None and back.requests.granted.total is None  # blank is not 0
    # Excel's totals skip text: said, so that the workbook's blank total and ours are not two silent answers
    [said] = [f for f in result.findings if f.code == "XLSX-TEXT-NUMBER"]
    assert said.pointer == "/requests/received/commercial" and "' 53 '" in said.message.zh


def test_a_typed_formula_without_a_result_is_a_located_error(registry: Any) -> None:
    report = _huaian()
    wb = _book(render_xlsx(report, registry=registry))
    sheet = plan.sheet_name(report.spec, "requests")
    pos = plan.geometry(report.spec, "requests").positions["/requests/granted/research"]
    wb[sheet].cell(*pos).value = "=3+4"
    text = _error(_save(wb), registry)
    assert f"{sheet}!{wb[sheet].cell(*pos).coordinate}" in text and "XLSX-LOAD-FORMULA" in text


def test_formula_text_stays_text(registry: Any) -> None:
    data = gd.to_data(_huaian())
    data["title"] = '=HYPERLINK("http://example.invalid","点击")'
    data["agency"]["region"] = "@SUM(1,1)"
    report = gd.from_data(data)
    rendered = render_xlsx(report, registry=registry)
    cover = _book(rendered)[COVER]
    cells = [c for row in cover.iter_rows() for c in row if c.value in (data["title"], "@SUM(1,1)")]
    assert len(cells) == 2 and all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert _load(rendered, registry) == report


# ----------------------------------------------------------------------------- workbooks from elsewhere


def _foreign_workbook(report: Any) -> bytes:
    """Another tool's workbook: the three tables on one sheet in the official order, under a title,
    two blank lines between them, labels in column B, table 3's rows in another order, a notes
    sheet first, and no cover sheet."""
    spec = report.spec
    wb = openpyxl.Workbook()
    wb.active.title = "填报说明"
    wb.active["A1"] = "本工作簿由某系统导出"
    ws = wb.create_sheet("年报")
    ws["A1"] = "某县商务局政府信息公开工作年度报告（统计表）"
    row = 3
    for table in spec.tables:
        ws.cell(row, 1, spec.table(table.id).label.zh)
        row += 2
        for block in table.blocks:
            if block.transposed:
                col = 2
                for _path, r, _, _ in walk_rows(block.rows):
                    ws.cell(row, col, r.label.zh)
                    for i, c in enumerate(block.columns):
                        ws.cell(row + 1, col + i, c.label.zh)
                        ws.cell(row + 2, col + i, report.cell(f"/{table.id}/{'/'.join(_path)}/{c.id}"))
                    col += len(block.columns)
                row += 5
                continue
            if block.label is not None:
                ws.cell(row, 2, block.label.zh)
                row += 1
            for i, c in enumerate(block.columns):
                ws.cell(row, 3 + i, c.label.zh)
            row += 1
            rows = list(walk_rows(block.rows))
            if table.id == "requests":
                rows = rows[::-1]  # another order
            for path, r, _, _ in rows:
                ws.cell(row, 2, r.label.zh)
                for i, c in enumerate(block.columns):
                    value = report.cell(f"/{table.id}/{'/'.join(path)}/{c.id}")
                    ws.cell(row, 3 + i, float(value) if isinstance(value, Decimal) else value)
                row += 1
        row += 2
    return _save(wb)


def test_a_workbook_from_another_tool_is_read_by_its_labels(registry: Any) -> None:
    report = _huaian()
    back, findings = read_xlsx(_foreign_workbook(report), "foreign.xlsx", registry)
    assert back.values() == report.values()
    assert {"XLSX-FORMAT-GUESSED", "XLSX-EXTRA-SHEET"} <= {f.code for f in findings}


def test_a_missing_row_label_is_an_error_not_a_guess(registry: Any) -> None:
    report = _huaian()
    data = _foreign_workbook(report)
    wb = _book(data)
    label = report.spec.cell("/requests/withheld/third_party/total").row.label.zh
    cell = next(c for row in wb["年报"].iter_rows() for c in row if c.value == label)
    cell.value = "4.第三方"  # another tool's wording
    text = _error(_save(wb), registry)
    assert label in text and "XLSX-LOAD-NO-LABEL" in text and "年报" in text


def test_broken_merges_inserted_rows_and_a_wrong_year_in_the_title(registry: Any) -> None:
    report = _huaian()
    wb = _book(render_xlsx(report, registry=registry))
    for name in (plan.sheet_name(report.spec, "requests"), plan.sheet_name(report.spec, "review_litigation")):
        ws = wb[name]
        for rng in list(ws.merged_cells.ranges):
            ws.unmerge_cells(str(rng))
        ws.insert_rows(2, amount=3)  # rows above the table: everything moves down
        ws["A1"] = "2023年" + str(ws["A1"].value or "")
    back, findings = read_xlsx(_save(wb), "moved.xlsx", registry)
    assert back == report
    years = [f for f in findings if f.code == "XLSX-YEAR"]
    assert len(years) == 2 and "!A1" in years[0].message.zh and "2023" in years[0].message.en


@pytest.mark.parametrize(("name", "code"), [("password-protected.xlsx", "XLSX-LOAD-ENCRYPTED"),
                                            ("old-format.xls", "XLSX-LOAD-XLS")])
def test_encrypted_and_old_format_files_say_what_to_do(name: str, code: str, registry: Any) -> None:
    text = _error((DATA / name).read_bytes(), registry)
    assert code in text and ".xlsx" in text and "report.xlsx" in text


def test_a_damaged_workbook_is_a_located_error(registry: Any) -> None:
    data = render_xlsx(_huaian(), registry=registry)
    third = len(data) // 3
    for damaged in (data[: len(data) // 2], data[:third] + b"\x00" * third + data[2 * third:]):
        assert "XLSX-LOAD-CORRUPT" in _error(damaged, registry)


def test_the_plugin_is_listed_by_core(registry: Any) -> None:
    assert "xlsx" in registry.renderers and "xlsx" in registry.loaders
    assert {"XLSX-LOAD-XLS", "XLSX-YEAR"} <= set(registry.rules)


def test_a_regional_variant_row_is_laid_out_and_read_back(registry: Any) -> None:
    """A variant's extra row (the Hubei plugin's) gets its cells, validation and totals like any
    official row; without the variant's plugin the workbook is refused, never read without it."""
    sys.path.insert(0, str(HERE.parents[1] / "govdisclosure-hubei" / "src"))
    import govdisclosure_hubei

    from govdisclosure.testing import use_plugins

    data = gd.to_data(gd.load(EXAMPLES / "pingtan-2020.json"))
    data["variant"] = "hubei"
    data["proactive"]["hubei_other_documents"] = {"made": 3, "published": 3, "total_published": 40}
    with use_plugins(govdisclosure_xlsx, govdisclosure_hubei) as both:
        report = gd.from_data(data, registry=both)
        workbook = render_xlsx(report, registry=both)
        assert _load(workbook, both) == report
    assert "GD-LOAD-VARIANT" in _error(workbook, registry)


# ----------------------------------------------------------------------------- zip bombs, text left unread


def _repacked(data: bytes, sheet: str | None = None, cell: bytes = b"", *,
              extra: tuple[tuple[str, bytes, int], ...] = ()) -> bytes:
    """The workbook with ``cell`` (a <row> of XML) added to the sheet named ``sheet``, and ``extra``
    members (name, bytes, compression method)."""
    part = _sheet_part(data, sheet) if sheet else None
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for info in src.infolist():
                body = src.read(info)
                if info.filename == part:
                    body = body.replace(b"</sheetData>", cell + b"</sheetData>")
                z.writestr(info.filename, body)
            for name, body, method in extra:
                z.writestr(name, body, compress_type=method)
    return out.getvalue()


def _sheet_part(data: bytes, sheet: str) -> str:
    """The member holding a sheet (openpyxl's read-only sheets know it)."""
    return str(_book(data, read_only=True)[sheet]._worksheet_path)


def _text_row(text: str, row: int = 1000) -> bytes:
    return f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>{text}</t></is></c></row>'.encode()


def _blank_workbook(registry: Any) -> bytes:
    return render_xlsx(gd.new_report(2025, agency="某县统计局", level="county_department"), registry=registry)


def _refused(data: bytes, registry: Any, monkeypatch: pytest.MonkeyPatch) -> gd.LoadError:
    """The LoadError of a workbook refused before openpyxl opens it (it is never called)."""
    opened = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(a))
    with pytest.raises(gd.LoadError) as exc:
        _load(data, registry)
    assert opened == []
    return exc.value


def test_a_zip_bomb_is_refused_before_it_is_unpacked(registry: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The review's bomb, smaller: one inline-string cell that deflates a thousand times."""
    blank = _blank_workbook(registry)
    sheet = plan.sheet_name(gd.new_report(2025).spec, "requests")
    bomb = _repacked(blank, sheet, _text_row("A" * (4 * package.RATIO_GRACE)))
    assert len(bomb) < len(blank) + 50_000
    error = _refused(bomb, registry, monkeypatch)
    (problem,) = error.findings
    assert problem.code == "GD-LOAD-LIMIT" and problem.file == "report.xlsx"
    assert "xl/worksheets/sheet" in problem.message.zh and "压缩炸弹" in problem.message.zh
    assert f"{package.MAX_RATIO} times" in problem.message.en and "not unpacked" in problem.message.en


def test_a_package_over_the_unpacked_limit_is_refused(registry: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Members that do not compress at all, together over the limit: the total is what counts."""
    half = package.UNPACKED_BYTES // 2 + 1
    big = _repacked(_blank_workbook(registry), extra=(("xl/media/image1.png", b"\x89" * half, zipfile.ZIP_STORED),
                                                      ("xl/media/image2.png", b"\x89" * half, zipfile.ZIP_STORED)))
    (problem,) = _refused(big, registry, monkeypatch).findings
    assert problem.code == "GD-LOAD-LIMIT"
    assert f"{package.UNPACKED_BYTES:,} 字节的上限" in problem.message.zh and "xl/media/image" in problem.message.zh
    assert "the workbook unpacks to" in problem.message.en


def test_a_compression_method_excel_never_writes_is_refused(registry: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    odd = _repacked(_blank_workbook(registry), extra=(("xl/media/x.bin", b"x" * 100, zipfile.ZIP_BZIP2),))
    (problem,) = _refused(odd, registry, monkeypatch).findings
    assert problem.code == "XLSX-LOAD-CORRUPT" and "xl/media/x.bin" in problem.message.zh


def test_long_text_outside_the_tables_is_said_not_dropped_in_silence(registry: Any) -> None:
    """Under the ratio's grace a well-compressed cell loads; its text, read by no table or field, is named."""
    spec = gd.new_report(2025).spec
    sheet = plan.sheet_name(spec, "requests")
    text = "某" * (package.RATIO_GRACE // 4)  # 3 bytes a character: under the grace
    data = _repacked(_blank_workbook(registry), sheet, _text_row(text) + _text_row("注：数据截至年底。", 1001))
    report, findings = read_xlsx(data, "notes.xlsx", registry)
    assert report.values() == gd.new_report(2025, registry=registry).values()
    (unread,) = [f for f in findings if f.code == "XLSX-UNREAD-TEXT"]
    assert unread.severity is gd.Severity.WARNING and unread.file == "notes.xlsx"
    assert f"{sheet}”中 1 个单元格" in unread.message.zh and f"A1000（{len(text):,} 字）" in unread.message.zh
    assert "A1001" not in unread.message.zh  # a short note is not said


def test_our_own_workbooks_leave_no_text_unread(registry: Any) -> None:
    """Every text this plugin writes is read back (a part longer than a cell continues in the rows under it);
    so is every text of the workbook LibreOffice saved."""
    for name in ("huaian-city-2024", "hutubi-shanggongxinju-2020"):
        data = gd.to_data(gd.load(EXAMPLES / f"{name}.json"))
        data["parts"]["problems"] = "存在的主要问题。" * 8000
        report = gd.from_data(data, registry=registry)
        back, findings = read_xlsx(render_xlsx(report, registry=registry), "own.xlsx", registry)
        assert back == report and "XLSX-UNREAD-TEXT" not in {f.code for f in findings}
    _, findings = read_xlsx((DATA / "libreoffice-huaian-city-2024.xlsx").read_bytes(), "lo.xlsx", registry)
    assert "XLSX-UNREAD-TEXT" not in {f.code for f in findings}


def test_every_problem_of_a_workbook_in_one_round(registry: Any) -> None:
    """A bad table cell and a bad level on the cover: both said at once, not the level only after the
    cell is fixed (review3, item 12)."""
    report = _huaian()
    wb = _book(render_xlsx(report, registry=registry))
    cover = wb[COVER]
    [level] = [c for row in cover.iter_rows() for c in row if c.value == "设区的市级人民政府"]
    level.value = "县级部门"  # not a level's name
    sheet = wb[plan.sheet_name(report.spec, "requests")]
    sheet.cell(*plan.geometry(report.spec, "requests").positions["/requests/received/commercial"]).value = "12件"
    with pytest.raises(gd.LoadError) as caught:
        _load(_save(wb), registry)
    assert {f.pointer for f in caught.value.findings} == {"/requests/received/commercial", "/agency/level"}


@pytest.mark.parametrize(("title", "second", "expected"), [
    ("临江县人民政府2024年政府信息公开工作年度报告统计表",
     "填报单位：临江县人民政府办公室        统计期限：2024年1月1日至2024年12月31日",
     ("临江县人民政府2024年政府信息公开工作年度报告", 2024, "临江县人民政府", "county_government")),
    ("临江县交通运输局2023年度政府信息公开工作年度报告（统计表）", None,
     ("临江县交通运输局2023年度政府信息公开工作年度报告", 2023, "临江县交通运输局", "county_department")),
], ids=["county-government-with-period", "department-2023"])
def test_a_title_row_names_the_agency_and_year(title: str, second: str | None, expected: tuple[Any, ...],
                                              registry: Any) -> None:
    """Probe 12a #9: a statistics office's workbook, no cover sheet, its title row naming the agency and year:
    year, title and agency were null, and nothing said the year was unknown. They are read from the title row
    (by core's parser, from the workbook's words), the cells by their labels as before."""
    report = _huaian()
    wb = _book(_foreign_workbook(report))
    wb["年报"]["A1"] = title
    if second is not None:
        wb["年报"]["A2"] = second
    back, findings = read_xlsx(_save(wb), "titled.xlsx", registry)
    assert (back.title, back.year, back.agency.name, back.agency.level) == expected
    assert back.values() == report.values()
    codes = {f.code for f in findings}
    assert "XLSX-YEAR-UNKNOWN" not in codes and "XLSX-YEAR" not in codes
    if second is not None:
        assert back.period is not None and (back.period.start.isoformat(), back.period.end.isoformat()) == (
            "2024-01-01", "2024-12-31")


def test_a_workbook_that_names_no_year_says_so(registry: Any) -> None:
    """No cover, and a title without a year: the year is null, and a warning says so (the format is then not
    checked against the year: GD-M-FORMAT cannot run)."""
    back, findings = read_xlsx(_foreign_workbook(_huaian()), "no-year.xlsx", registry)
    assert back.year is None
    [unknown] = [f for f in findings if f.code == "XLSX-YEAR-UNKNOWN"]
    assert unknown.severity.value == "warning" and unknown.pointer == "/year"
    assert "年度" in unknown.message.zh and "year" in unknown.message.en


def test_our_workbook_of_a_report_without_a_year_reads_back_as_it_was(registry: Any) -> None:
    """A report whose year is null (a parsed excerpt) whose title names one: its workbook (a cover naming the
    format) reads back with the null year, not the title's, and without a warning the JSON would not give."""
    data = gd.to_data(_huaian())
    data["year"] = None
    report = gd.from_data(data, registry=registry)
    back, findings = read_xlsx(render_xlsx(report, registry=registry), "null-year.xlsx", registry)
    assert back == report and report.title is not None and "2024" in str(report.title)
    assert "XLSX-YEAR-UNKNOWN" not in {f.code for f in findings}


def test_the_plugin_registers_without_importing_openpyxl() -> None:
    """Every command of every user with the plugin installed imports it (the entry-point scan): openpyxl, ~0.2 s,
    is imported when a workbook is first read or written (2026-12-02)."""
    import subprocess

    code = ("import sys, govdisclosure as gd, govdisclosure_xlsx; reg = gd.Registry.of(govdisclosure_xlsx); "
            "assert 'xlsx' in reg.loaders and 'xlsx' in reg.renderers; print('openpyxl' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**__import__("os").environ, "PYTHONPATH": str(Path(govdisclosure_xlsx.__file__).parents[1])})
    assert done.stdout.strip() == "False", done.stdout + done.stderr
