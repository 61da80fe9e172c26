"""Hubei's variant: loaded, checked, described and rendered by core as any report is, and put through
govdisclosure's conformance kit with every renderer that reads its output back — core's alone, and with whatever
else is installed (the xlsx and docx plugins, say)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))  # the tests run from a clone whether or not the plugin is installed

import govdisclosure_hubei  # noqa: E402

import govdisclosure as gd  # noqa: E402
from govdisclosure.registry import Registry, using  # noqa: E402
from govdisclosure.testing import conformance, use_plugins  # noqa: E402

REPO = HERE.parent.parent.parent
EXAMPLE = REPO / "examples" / "pingtan-2020.json"
#: a published Hubei report (Traditional-script copy) with the added row; see tests/data/corpus/reports/MANIFEST.tsv
PUBLISHED = REPO / "tests" / "data" / "corpus" / "reports" / "050-wuhan-shengtaihuanjingju-2020-pages-excerpt-trad.txt"
ROW = "/proactive/hubei_other_documents"


@pytest.fixture(autouse=True)
def registry() -> Iterator[Registry]:
    """Core's plugins and this one, whatever else is installed: the default inside every test."""
    with use_plugins(govdisclosure_hubei) as reg:
        yield reg


def _hubei_report(other: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["variant"] = "hubei"
    proactive = {}
    for key, value in data["proactive"].items():
        proactive[key] = value
        if key == "normative_documents":
            proactive["hubei_other_documents"] = other
    data["proactive"] = proactive
    return data


def test_the_added_row_takes_its_blocks_columns(registry: Registry) -> None:
    spec = registry.format("2019", "hubei")
    official = registry.format("2019")
    assert [c.pointer for c in spec.cells() if c.pointer.startswith(ROW + "/")] == [
        f"{ROW}/{col.id}" for col in official.cell("/proactive/normative_documents/made").block.columns]
    assert len(spec.cells()) == len(official.cells()) + 3
    assert spec.label_at(ROW) == govdisclosure_hubei.HUBEI.add_rows[0].rows[0].label


def test_variant_row_loads_and_round_trips() -> None:
    report = gd.from_data(_hubei_report({"made": 3, "published": 3, "total_published": 40}))
    assert report.variant == "hubei" and report.cell(f"{ROW}/total_published") == 40
    assert gd.loads(gd.dump(report)) == report


def test_core_rules_apply_to_the_variant_row() -> None:
    report = gd.from_data(_hubei_report({"made": 3, "published": 5, "total_published": 4}))
    found = [f for f in gd.validate(report) if f.code == "GD-T2-PUBLISHED"]
    assert {f.pointer for f in found} == {f"{ROW}/published", f"{ROW}/made"}
    assert "其他主动公开文件" in found[0].text("zh")
    assert all(label.startswith("其他主动公开文件 · ") for f in found for label in f.labels)


def test_schema_of_the_variant_requires_the_row() -> None:
    import jsonschema  # type: ignore[import-untyped]  # core's dependency; its stubs are not

    schema = gd.schema("2019", "hubei")
    good = _hubei_report({"made": 0, "published": 0, "total_published": 0})
    assert jsonschema.Draft202012Validator(schema).is_valid(good)
    bad = dict(good, proactive={k: v for k, v in good["proactive"].items() if k != "hubei_other_documents"})
    assert not jsonschema.Draft202012Validator(schema).is_valid(bad)
    with pytest.raises(gd.LoadError):
        gd.from_data(bad)


def test_the_page_names_the_variant_and_prints_its_row() -> None:
    report = gd.from_data(_hubei_report({"made": 3, "published": 3, "total_published": 40}))
    page = gd.render(report, "html")
    assert govdisclosure_hubei.HUBEI.label.zh in page
    assert f'data-cell="{ROW}/total_published">40<' in page
    assert "| 其他主动公开文件 | 3 | 3 | 40 |" in gd.render(report, "markdown")


def test_official_reports_are_unaffected() -> None:
    assert gd.load(EXAMPLE).variant is None


def test_a_published_hubei_report_is_parsed_with_the_row() -> None:
    pytest.importorskip("opencc")  # the copy is in Traditional script
    result = gd.parse(PUBLISHED)
    cells = [result.report.cell(f"{ROW}/{c}") for c in ("made", "published", "total_published")]
    assert (result.report.variant, cells) == ("hubei", [186, 86, 255])
    assert "GD-PARSE-NO-ROW" not in {f.code for f in result.findings}


def test_a_registry_built_later_parses_the_row_too() -> None:
    """Specs are cached by value: a second registry's equal spec must not find the first one's rows unusable
    (the parser once compared blocks by identity and then placed no number at all)."""
    pytest.importorskip("opencc")
    script = (f"import sys; sys.path.insert(0, {str(HERE.parent / 'src')!r})\n"
              "import govdisclosure as gd, govdisclosure_hubei\n"
              "gd.Registry.of(govdisclosure_hubei).format('2019', 'hubei').rows('proactive')\n"
              f"row = gd.parse({str(PUBLISHED)!r}, registry=gd.Registry.of(govdisclosure_hubei))"
              ".report.proactive.hubei_other_documents\n"
              "print(row.made, row.published, row.total_published)\n")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.stdout.split() == ["186", "86", "255"], run.stderr


# ----------------------------------------------------------------------------- the conformance kit


@pytest.mark.parametrize("which", ["core", "installed"])
def test_every_renderer_keeps_hubei_reports(which: str) -> None:
    """Every renderer tells a blank cell from 0 in Hubei reports, the row included; those with a loader of their
    own read generated Hubei reports (some cells blank) back equal. Problems of all renderers reported at once."""
    # this plugin, with core's alone or with every installed one (this one too, when installed)
    reg = Registry.of(govdisclosure_hubei, entry_points=which == "installed")
    spec = reg.format("2019", "hubei")
    sample = gd.from_data(_hubei_report({"made": 1, "published": 1, "total_published": 1}), registry=reg)
    read_back, problems = [], []
    with using(reg):
        conformance.check_plugin(govdisclosure_hubei, registry=reg)  # what it registers besides the variant
        for name, renderer in reg.renderers.items():
            if not renderer.can_render(sample):
                continue
            checks: list[tuple[Any, dict[str, Any]]] = [(conformance.check_blanks, {})]
            if name in reg.loaders:
                read_back.append(name)
                checks.append((conformance.check_round_trip_property, {"max_examples": 8}))
            for check, extra in checks:
                try:
                    check(name, registry=reg, spec=spec, **extra)
                except conformance.ConformanceError as exc:
                    problems.append(str(exc))
    assert {"json", "html", "markdown", "csv"} <= set(read_back)
    assert not problems, "\n".join(problems)
