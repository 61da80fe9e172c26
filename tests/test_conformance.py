"""The conformance kit: it passes core's conforming renderers and catches a plugin that is not."""

from __future__ import annotations

import types
from typing import Any

import pytest

import govdisclosure as gd
from govdisclosure.errors import LoadError
from govdisclosure.findings import Severity
from govdisclosure.formats.spec import Label
from govdisclosure.io import Loader, Renderer
from govdisclosure.rules.types import Rule
from govdisclosure.testing import conformance, use_plugins


@pytest.mark.parametrize("renderer", ["json", "html", "markdown"])
def test_core_renderers_conform(renderer: str) -> None:
    conformance.check_hostile_text(renderer)
    conformance.check_blanks(renderer)
    conformance.check_round_trip_property(renderer, max_examples=5)
    conformance.check_provenance(renderer)


def _careless_plugin() -> types.SimpleNamespace:
    """A plugin that makes every mistake the kit looks for."""

    def render(report: Any, **_: Any) -> str:
        # raw text into HTML, blanks written as 0
        cells = "".join(f"<td>{v or 0}</td>" for _, v in report.cells())
        return f"<html><h1>{report.title}</h1><table><tr>{cells}</tr></table></html>"

    def load(text: Any, source: str, *_: Any) -> Any:
        if text.startswith("["):
            raise LoadError([], source)  # no finding: says nothing about where
        return int(text)  # anything else: a ValueError traceback

    rule = Rule(code="OTHER-CODE", severity=Severity.ERROR, description=Label("only English", "only English"),
                message=Label("{a}", "{b}"))
    return types.SimpleNamespace(
        register_renderers=lambda: [Renderer("careless", Label("粗心", "careless"), ".careless", "text/html", render)],
        register_loaders=lambda: [Loader("careless", Label("粗心", "careless"), (".careless",), load)],
        register_rules=lambda: [rule],
    )


def test_the_kit_catches_a_careless_plugin() -> None:
    plugin = _careless_plugin()
    with use_plugins() as registry:
        registry.renderers.update({r.name: r for r in plugin.register_renderers()})
        registry.loaders.update({ld.name: ld for ld in plugin.register_loaders()})
        with pytest.raises(conformance.ConformanceError) as hostile:
            conformance.check_hostile_text("careless", registry=registry, round_trip=False)
        assert "script" in str(hostile.value) and "img@onerror" in str(hostile.value)
        with pytest.raises(conformance.ConformanceError) as loader:
            conformance.check_loader("careless", registry=registry)
        assert "plain-text: raised ValueError" in str(loader.value)
        assert "json-array: LoadError without findings" in str(loader.value)
        with pytest.raises(conformance.ConformanceError) as blanks:
            conformance.check_round_trip("careless", gd.new_report(2024), registry=registry)
        assert "does not load back" in str(blanks.value) or "differs" in str(blanks.value)
    with pytest.raises(conformance.ConformanceError) as rules:
        conformance.check_rules(plugin.register_rules(), prefix="MY-")
    text = str(rules.value)
    assert "does not start with" in text and "no Chinese" in text and "different parameters" in text


def test_check_rule_accepts_a_well_made_rule() -> None:
    conformance.check_rule(Rule(code="MY-RULE-ONE", severity=Severity.WARNING,
                                description=Label("某条规则", "Some rule"),
                                message=Label("第 {n} 行", "row {n}")), prefix="MY-")


def test_hostile_report_carries_the_text_everywhere() -> None:
    report = conformance.hostile_report(gd.new_report(2024).spec, "=1+1")
    assert report.title == report.agency.name == report.parts.overview == "=1+1"
    assert gd.validate(report, select=["GD-T3-BALANCE"]) == []
