"""aggregate (the sum of balanced reports balances), compare (cells, copied narrative) and the Dask path."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure.audit import audit
from govdisclosure.audit.aggregate import aggregate
from govdisclosure.audit.compare import compare
from govdisclosure.cli import cli
from govdisclosure.errors import LoadError
from govdisclosure.rules.types import Equation
from govdisclosure.testing import balanced_data, reports

from .conftest import DATA, EXAMPLES

BALANCES = frozenset(r.code for r in gd.Registry.default().rules.values()
                     if isinstance(r, Equation) and r.scope == "report")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["2019", "2021"]).flatmap(
    lambda v: st.lists(reports(gd.Registry.default().format(v)), min_size=1, max_size=5)))
def test_the_aggregate_of_balanced_reports_balances(items: list[gd.Report]) -> None:
    same_year = [(f"r{i}.json", attrs.evolve(r, year=items[0].year, agency=_named(r, f"部门{i}")))
                 for i, r in enumerate(items)]
    for _, r in same_year:
        assert not [f for f in gd.validate(r) if f.code in BALANCES]
    total = aggregate(same_year, agency="某市（汇总）")
    assert not [f for f in gd.validate(total) if f.code in BALANCES]
    assert total.values() == tuple(map(sum, zip(*(r.values() for _, r in same_year), strict=True)))
    assert all(f"r{i}.json" in (total.parts.preamble or "") for i in range(len(items)))


def test_a_blank_in_any_input_is_blank_in_the_sum_with_the_inputs_named() -> None:
    reg = gd.Registry.default()
    spec = reg.format("2021")
    a = gd.from_data(balanced_data(spec, random.Random(1).randint, year=2022))
    data = balanced_data(spec, random.Random(2).randint, year=2022)
    data["requests"]["granted"]["research"] = None
    data["agency"]["name"] = "另一部门"
    b = gd.from_data(data)
    total = aggregate([("a.json", a), ("b.json", b)])
    assert total.cell("/requests/granted/research") is None
    assert total.provenance["/requests/granted/research"].note == "空白于：b.json / blank in: b.json"
    assert total.cell("/requests/granted/natural_person") == a.cell("/requests/granted/natural_person") + b.cell(
        "/requests/granted/natural_person")
    assert total == gd.loads(gd.dump(total), source="total.json")  # the total is a report like any other
    with pytest.raises(LoadError) as err:
        aggregate([("a.json", a), ("c.json", attrs.evolve(b, year=2023))])
    assert err.value.file == "c.json" and "/year" in err.value.lines("en")[0]


def _named(report: gd.Report, name: str) -> gd.Agency:
    return attrs.evolve(report.agency, name=name)


def test_a_report_given_twice_is_refused_not_summed_twice(tmp_path: Path) -> None:
    """The same file twice, a copy, or another file of the same agency's report of the year: each was summed again
    (3119 requests became 6238, exit 0); refused, naming both inputs."""
    one = gd.load(EXAMPLES / "huaian-city-2024.json")
    parsed = gd.parse(DATA / "corpus" / "reports" / "020-huaian-city-2024-pdf.txt").report
    for second in (one, parsed):
        with pytest.raises(LoadError) as err:
            aggregate([("a.json", one), ("b.json", attrs.evolve(one, agency=_named(one, "另一部门"))),
                       ("c.txt", second)])
        assert err.value.file == "c.txt"
        assert err.value.lines("en")[0] == ("c.txt: /agency/name: each report summed once: the same agency (淮安市人民政府)"
                                            " and year as a.json [GD-LOAD-INPUT]")
    with pytest.raises(LoadError, match=r"as a\.json"):  # the same name twice (one string object): refused too
        aggregate([("a.json", one), ("a.json", one)])
    unnamed = attrs.evolve(one, agency=_named(one, None))  # type: ignore[arg-type]
    with pytest.raises(LoadError, match="not named"):
        aggregate([("a.json", unnamed), ("b.json", unnamed)])
    other = unnamed.with_cells({"/requests/received/commercial": 1})
    assert aggregate([("a.json", unnamed), ("b.json", other)]).year == 2024  # two unnamed agencies' reports
    run = CliRunner().invoke(cli, ["aggregate", str(EXAMPLES / "huaian-city-2024.json"),
                                   str(EXAMPLES / "huaian-city-2024.json"), "-o", str(tmp_path / "t.json")])
    assert run.exit_code == 2 and "每份报告只汇总一次" in run.output and not (tmp_path / "t.json").exists()


def test_aggregate_cli(tmp_path: Path) -> None:
    reg = gd.Registry.default()
    paths = []
    for i in range(3):
        data = balanced_data(reg.format("2021"), random.Random(i).randint, year=2023)
        data["agency"]["name"] = f"某部门{i}"
        path = tmp_path / f"dept{i}.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        paths.append(str(path))
    out = tmp_path / "total.json"
    run = CliRunner().invoke(cli, ["aggregate", *paths, "-o", str(out), "--agency", "某市", "--lang", "en"])
    assert run.exit_code == 0, run.output
    assert "3 reports summed" in run.output and "0 balance errors" in run.output
    total = gd.load(out)
    assert total.agency.name == "某市" and total.year == 2023
    nowhere = tmp_path / "no such folder" / "total.json"
    run = CliRunner().invoke(cli, ["aggregate", *paths, "-o", str(nowhere)])
    assert run.exit_code == 2 and isinstance(run.exception, SystemExit), run.output
    assert f"{nowhere}: 所在目录" in run.output and "does not exist" in run.output and not nowhere.exists()


def test_compare_lists_changed_cells_with_both_values_and_the_difference() -> None:
    old = gd.load(EXAMPLES / "pingtan-2020.json")
    new = old.with_cells({"/requests/granted/natural_person": 9, "/requests/received/research": None})
    result = compare(old, new)
    changed = {c.pointer: (c.old, c.new, c.difference) for c in result.changed}
    assert changed == {"/requests/granted/natural_person": (6, 9, 3), "/requests/received/research": (0, None, None)}
    assert result.cells == len(list(old.cells()))
    across = compare(old, gd.load(EXAMPLES / "huaian-city-2024.json"))  # 2019 against 2021: shared pointers only
    assert 0 < across.cells < len(list(old.cells()))


def test_compare_cli_json(tmp_path: Path) -> None:
    old = gd.load(EXAMPLES / "pingtan-2020.json")
    new = old.with_cells({"/requests/granted/natural_person": 9})
    path = tmp_path / "new.json"
    path.write_text(gd.dump(new), encoding="utf-8")
    run = CliRunner().invoke(cli, ["compare", str(EXAMPLES / "pingtan-2020.json"), str(path), "--output", "json"])
    assert run.exit_code == 0, run.output
    data = json.loads(run.output)
    assert data["changed"] == [{"pointer": "/requests/granted/natural_person",
                                "row_label": "三、本年度办理结果 › （一）予以公开",
                                "column_label": "自然人", "old": 6, "new": 9, "difference": 3}]
    text = CliRunner().invoke(cli, ["compare", str(EXAMPLES / "pingtan-2020.json"), str(path), "--lang", "en"])
    assert "6 → 9 (+3)" in text.output


def test_compare_quotes_the_copied_narrative() -> None:
    pytest.importorskip("govdisclosure.text")
    old = gd.load(EXAMPLES / "pingtan-2020.json")
    copied = "我区高度重视政府信息公开工作，坚持以公开为常态、不公开为例外。"
    old = attrs.evolve(old, parts=attrs.evolve(old.parts, overview=copied + "全年共收到申请21件。"))
    new = attrs.evolve(old, year=2021, parts=attrs.evolve(old.parts, overview=copied + "全年共收到申请35件。"))
    result = compare(old, new)
    assert result.narrative is not None
    overview = next(p for p in result.narrative if p.part == "overview")
    assert overview.sentences == 2 and overview.share == 0.5
    assert overview.repeated[0].startswith("我区高度重视政府信息公开工作")


def test_the_dask_path_writes_the_same_store(tmp_path: Path) -> None:
    pytest.importorskip("dask.bag")
    from govdisclosure.audit.on_dask import dask_executor

    src = tmp_path / "in"
    src.mkdir()
    reg = gd.Registry.default()
    for i in range(12):
        data = balanced_data(reg.format_for_year(2020 + i % 4), random.Random(i).randint, year=2020 + i % 4)
        data["agency"] = {"name": f"机关{i // 4}", "level": "county_department", "region": None}
        (src / f"r{i}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (src / "bad.json").write_text("{", encoding="utf-8")
    on_dask, local = tmp_path / "dask.sqlite", tmp_path / "local.sqlite"
    summary = audit([str(src)], str(on_dask), executor=dask_executor("processes", limit=30, partition=4))
    audit([str(src)], str(local), jobs=0)
    assert summary.examined == 13 and summary.reports == 12 and len(summary.failed) == 1

    def dump(db: Path) -> list[Any]:
        con = sqlite3.connect(db)
        try:
            return [con.execute("SELECT r.source, f.code, f.pointer, f.message_en FROM findings f JOIN reports r "
                                "USING (report_id) ORDER BY 1, 2, 3, 4").fetchall(),
                    con.execute("SELECT r.source, v.cell_id, v.value FROM cell_values v JOIN reports r USING "
                                "(report_id) ORDER BY 1, 2").fetchall(),
                    con.execute("SELECT path, status, error_code FROM inputs ORDER BY path").fetchall()]
        finally:
            con.close()

    assert dump(on_dask) == dump(local)


def test_audit_cli_on_dask(tmp_path: Path) -> None:
    pytest.importorskip("dask.bag")
    db = tmp_path / "a.sqlite"
    inputs = [str(EXAMPLES / "pingtan-2020.json"), str(EXAMPLES / "huaian-city-2024.json")]
    run = CliRunner().invoke(cli, ["audit", *inputs, "--db", str(db), "--dask", "threads", "--lang", "en"])
    assert run.exit_code == 1, run.output  # pingtan 2020's error, found on Dask
    assert "reports in the store: 2" in run.output and "GD-T3-RESULTS-SUM" in run.output


def test_an_aggregate_speaks_chinese_in_its_text_and_raises_no_parser_doubt() -> None:
    """Review4 R-m: English inside the sum's preamble; GD-PARSE-UNSETTLED for a cell blank in an input;
    Python's 'None' in a message."""
    from govdisclosure.audit.aggregate import aggregate

    one = gd.load(EXAMPLES / "huaian-city-2024.json")
    blank = attrs.evolve(one.with_cells({"/requests/received/commercial": None}), agency=_named(one, "另一部门"))
    summed = aggregate([("a.json", one), ("b.json", blank)])
    assert summed.parts.preamble == "本报告由 2 份报告逐格相加汇总而成：a.json、b.json。"
    assert summed.provenance["/requests/received/commercial"].note is not None
    assert "GD-PARSE-UNSETTLED" not in {f.code for f in gd.validate(summed)}
    variant = gd.parse(DATA / "corpus" / "reports" / "021-huaian-hongze-district-2023-pdf.txt").report
    with pytest.raises(gd.LoadError) as caught:
        aggregate([("a.json", one), ("021.txt", variant)])
    assert "与 a.json 相同（无（官方格式））" in caught.value.findings[0].message.zh


def test_compare_reads_an_amount_in_each_sides_unit() -> None:
    """Review 13b #7: the same amount, 38.6 万元 and 386000 元, was compared as a change of +385961.4."""
    from govdisclosure.audit.compare import compare

    old, new = (gd.read(DATA / "review13b" / name).report for name in ("m1-2019-purchase-wanyuan.txt",
                                                            "m2-2019-purchase-yuan.txt"))
    change = next(c for c in compare(old, new).changed if c.pointer == "/proactive/procurement/amount")
    assert (change.old_unit, change.new_unit, change.difference) == ("万元", "元", 0)
    back = next(c for c in compare(new, old).changed if c.pointer == "/proactive/procurement/amount")
    assert back.difference == 0
