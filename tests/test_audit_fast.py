"""The audit's fast paths give exactly what the plain ways give: the envelope written without the tables, the
values and provenance written straight to JSON, a finding's row by encoders made once."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure.audit.examine import (
    _JSON,
    _VALUES_JSON,
    envelope_data,
    examine_bytes,
    finding_row,
    flatten,
)
from govdisclosure.findings import Finding, Severity
from govdisclosure.formats.spec import Label
from govdisclosure.model.convert import to_data
from govdisclosure.testing import balanced_data

from .conftest import DATA, EXAMPLES

CORPUS = DATA / "corpus" / "reports"


def _plain_flatten(report: Any) -> tuple[dict[str, Any], tuple[Any, ...], dict[str, Any]]:
    """flatten as it was written first: the whole canonical data, its tables and provenance taken out."""
    data = to_data(report)
    provenance = data.pop("provenance", None) or {}
    for table in report.spec.tables:
        data.pop(table.id, None)
    return data, tuple(str(v) if isinstance(v, Decimal) else v for v in report.values()), provenance


def _plain_row(f: Finding) -> tuple[str, ...]:
    params = json.dumps(dict(f.params), ensure_ascii=False, sort_keys=True, default=str) if f.params else "{}"
    return (f.code, f.severity.value, f.pointer, json.dumps(list(f.pointers), ensure_ascii=False),
            json.dumps(list(f.labels), ensure_ascii=False), params, f.message.zh, f.message.en)


def _reports() -> list[Any]:
    """The corpus's reports (parsed), the examples (loaded), and generated ones with the envelope's optional
    fields varied: no period, a notice, stated numbers some blank, parts blank or not, amounts, both formats."""
    reg = gd.Registry.default()
    out = []
    for path in sorted(CORPUS.iterdir()):
        if path.name != "MANIFEST.tsv":
            try:
                out.append(gd.reads(path.read_bytes(), source=str(path)).report)
            except gd.LoadError:
                continue
    out += [gd.load(str(p)) for p in sorted(EXAMPLES.glob("*.json"))]
    rng = random.Random(5)
    for i in range(24):
        year = 2019 + i % 6
        data = balanced_data(reg.format_for_year(year), rng.randint, year=year)
        if i % 3 == 0:
            data["period"] = {"start": f"{year}-01-01", "end": f"{year}-12-31"}
        if i % 4 == 1:
            data["notice"] = "国办公开办函〔2021〕30号"
        if i % 5 == 2:
            data["title"] = None
            data["published_on"] = f"{year + 1}-03-0{1 + i % 9}"
        data["agency"] = {"name": f"某机关{i}" if i % 7 else None, "level": "county_department" if i % 2 else None,
                          "region": "某省" if i % 3 else None}
        for key in list(data.get("parts", {})):
            data["parts"][key] = None if rng.random() < 0.4 else f"第{i}段“引号”\\ \n\t文字"
        report = gd.from_data(data)
        out.append(report)
        out.append(attrs.evolve(report, provenance={p: gd.model.CellProvenance(raw=f"{i}.5万", unit="万元", line=i)
                                                    for p in [c.pointer for c in report.spec.cells()][i:i + 3]}))
    return out


REPORTS = _reports()


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: f"{r.format_version}-{r.year}-{r.agency.name}")
def test_flatten_is_the_canonical_data_less_its_tables(report: Any) -> None:
    plain = _plain_flatten(report)
    assert flatten(report) == plain
    assert list(envelope_data(report)) == list(plain[0])  # the keys' order too: the JSON text follows it
    assert _JSON.encode(envelope_data(report)) == json.dumps(plain[0], ensure_ascii=False)
    assert _VALUES_JSON.encode(report.values()) == json.dumps(plain[1], ensure_ascii=False)


def test_the_reports_compared_vary_what_the_envelope_writes() -> None:
    assert {r.format_version for r in REPORTS} == {"2019", "2021"} and any(r.variant for r in REPORTS)
    for field in ("stated", "period", "notice", "title", "provenance"):
        assert any(getattr(r, field) for r in REPORTS) and not all(getattr(r, field) for r in REPORTS), field
    assert any(isinstance(v, Decimal) for r in REPORTS for v in r.values())


def test_examine_writes_what_flatten_gives() -> None:
    for path in sorted(CORPUS.iterdir()):
        if path.name == "MANIFEST.tsv":
            continue
        outcome = examine_bytes(path.read_bytes(), str(path))
        if isinstance(outcome, gd.audit.Examined):
            report = gd.reads(path.read_bytes(), source=str(path)).report
            envelope, values, provenance = _plain_flatten(report)
            assert outcome.envelope == json.dumps(envelope, ensure_ascii=False)
            assert outcome.values == json.dumps(values, ensure_ascii=False)
            assert outcome.provenance == (json.dumps(provenance, ensure_ascii=False) if provenance else None)
            found = gd.validate(gd.reads(path.read_bytes(), source=str(path)))
            assert outcome.findings == tuple(_plain_row(f) for f in found)


def test_a_value_the_encoder_cannot_write_fails_as_before() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        _VALUES_JSON.encode((1, None, object()))
    assert _VALUES_JSON.encode((1, None, Decimal("1.50"), "x")) == json.dumps([1, None, "1.50", "x"])


_TEXT = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(['"', "\\", "\n", "\x00", "\u2028", "，"]))


@settings(max_examples=300, deadline=None)
@given(pointers=st.lists(_TEXT | st.integers(), max_size=4), labels=st.lists(_TEXT, max_size=4),
       params=st.dictionaries(_TEXT, st.none() | st.integers() | _TEXT | st.lists(_TEXT, max_size=2)
                              | st.decimals(allow_nan=False, places=2), max_size=4))
def test_a_finding_row_is_the_one_json_dumps_makes(pointers: list[Any], labels: list[str],
                                                   params: dict[str, Any]) -> None:
    f = Finding(code="GD-TEST", severity=Severity.WARNING, message=Label("中文", "text"), pointer="/a/b",
                pointers=tuple(pointers), labels=tuple(labels), params=params)
    assert finding_row(f) == _plain_row(f)
