from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

import govdisclosure_hubei  # noqa: E402

import govdisclosure as gd  # noqa: E402
from govdisclosure.testing import use_plugins  # noqa: E402

EXAMPLE = HERE.parent.parent.parent / "examples" / "pingtan-2020.json"


def _hubei_report(other: dict) -> dict:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["variant"] = "hubei"
    proactive = {}
    for key, value in data["proactive"].items():
        proactive[key] = value
        if key == "normative_documents":
            proactive["hubei_other_documents"] = other
    data["proactive"] = proactive
    return data


def test_variant_row_loads_and_round_trips() -> None:
    with use_plugins(govdisclosure_hubei):
        report = gd.from_data(_hubei_report({"made": 3, "published": 3, "total_published": 40}))
        assert report.variant == "hubei" and report.proactive.hubei_other_documents.total_published == 40
        assert gd.loads(gd.dump(report)) == report


def test_core_rules_apply_to_the_variant_row() -> None:
    with use_plugins(govdisclosure_hubei):
        report = gd.from_data(_hubei_report({"made": 3, "published": 5, "total_published": 4}))
        found = [f for f in gd.validate(report) if f.code == "GD-T2-PUBLISHED"]
        assert {f.pointer for f in found} == {"/proactive/hubei_other_documents/published",
                                              "/proactive/hubei_other_documents/made"}
        assert "其他主动公开文件" in found[0].text("zh")


def test_schema_of_the_variant_requires_the_row() -> None:
    import jsonschema

    with use_plugins(govdisclosure_hubei):
        schema = gd.schema("2019", "hubei")
        good = _hubei_report({"made": 0, "published": 0, "total_published": 0})
        assert jsonschema.Draft202012Validator(schema).is_valid(good)
        bad = dict(good, proactive={k: v for k, v in good["proactive"].items() if k != "hubei_other_documents"})
        assert not jsonschema.Draft202012Validator(schema).is_valid(bad)
        with pytest.raises(gd.LoadError):
            gd.from_data(bad)


def test_official_reports_are_unaffected() -> None:
    with use_plugins(govdisclosure_hubei):
        assert gd.load(EXAMPLE).variant is None
