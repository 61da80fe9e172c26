"""The canonical JSON's tables written from a template per report class (``model.convert.orjson_data``, the cells'
JSON by ``model.native.tables_json``: native code in the compiled build) give the standard library's text of
``to_data``, byte for byte, or are not used (None: the plain way then)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure import api
from govdisclosure.formats import Label, Row, RowAddition, Variant
from govdisclosure.model import CellProvenance, convert
from govdisclosure.plugins import hookimpl
from govdisclosure.testing import use_plugins

orjson = pytest.importorskip("orjson")

CORPUS = Path(__file__).parent / "data" / "corpus" / "reports"
EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.json"))


class _Province:
    @hookimpl
    def register_variants(self) -> list[Variant]:
        return [Variant(id="testprov", extends="2019", label=Label("测试省", "Test province"),
                        add_rows=(RowAddition("proactive", "normative_documents",
                                              (Row("testprov_other_documents", Label("其他主动公开文件", "Other")),)),))]


def _standard(report: gd.Report) -> bytes | None:
    """What the standard library writes of the report's data (None: it refuses the data)."""
    try:
        return (json.dumps(gd.to_data(report), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    except (TypeError, ValueError):
        return None


def _templated(report: gd.Report) -> bytes | None:
    """The template's way alone (in pure Python too, where the writer leaves it to the compiled build)."""
    data = convert.orjson_data(report)
    return None if data is None else orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


@pytest.fixture(autouse=True)
def _native(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert, "NATIVE", True)


def _reports() -> list[gd.Report]:
    parsed = [gd.read(p).report for p in sorted(CORPUS.iterdir()) if p.suffix in (".txt", ".html")]
    with use_plugins(_Province()) as reg:
        variant = gd.new_report(2020, format_version="2019", variant="testprov", registry=reg)
        data = gd.to_data(variant)
        data["proactive"]["testprov_other_documents"] = {"made": 3, "published": None, "total_published": 1001}
        variant = gd.from_data(data, registry=reg)
    return [*parsed, *(gd.load(p) for p in EXAMPLES), variant, gd.new_report(2021), gd.new_report(2019)]


def test_every_corpus_report_is_written_from_the_template_as_the_standard_library_writes_it() -> None:
    reports = _reports()
    assert len(reports) >= 20
    for report in reports:
        expected = _standard(report)
        assert expected is not None
        assert _templated(report) == expected, report.spec.version
        assert api._dump_utf8(report) == expected
        assert gd.dump(report) == expected.decode("utf-8")
        amounts = [c.pointer for c in report.spec.cells() if c.column.kind.name == "AMOUNT"]
        counts = [c.pointer for c in report.spec.cells() if c.column.kind.name != "AMOUNT"]
        for odd in (report.with_cells({p: None for p in counts[::3]}),
                    report.with_cells({p: 10**15 - 1 for p in counts[1::4]}),
                    report.with_cells({counts[0]: 2**64 - 1, counts[1]: -(2**63)}),
                    *(report.with_cells({p: value for p in amounts}) for value in (
                        Decimal("1E+2"), Decimal("-0.000001"), Decimal("12345678.9"), None))):
            assert _templated(odd) == _standard(odd)


_ODD_COUNTS = st.one_of(st.none(), st.integers(-10**20, 10**20), st.booleans(), st.floats(allow_nan=False),
                        st.decimals(allow_nan=False, places=2), st.sampled_from(["7", "", "行"]))
_ODD_AMOUNTS = st.one_of(st.none(), st.decimals(allow_nan=False, allow_infinity=False), st.floats(allow_nan=False),
                         st.integers(0, 10**6))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_odd_cells_are_written_as_the_plain_way_writes_them_or_left_to_it(data: Any) -> None:
    """Any cell holding what the model does not make of data (a caller's bool, float, text, huge int, Decimal in a
    cell of counts, a float amount) is left to the plain way (None) or written as it writes it."""
    report = data.draw(st.sampled_from(_BASES))
    cells = report.spec.cells()
    picked = data.draw(st.lists(st.sampled_from(cells), max_size=6, unique=True))
    odd = report.with_cells({c.pointer: data.draw(_ODD_AMOUNTS if c.column.kind.name == "AMOUNT" else _ODD_COUNTS)
                             for c in picked})
    templated = _templated(odd)
    if templated is not None:
        assert templated == _standard(odd)
        assert all(type(v) is int or v is None or c.column.kind.name == "AMOUNT" for c, v in zip(
            cells, odd.values(), strict=True))
    try:
        expected = _standard(odd)
    except Exception:  # noqa: BLE001 - not this test's matter: what the writer says of it is test_api's
        return
    if expected is not None:
        assert api._dump_utf8(odd) == expected


_BASES = [gd.parse(CORPUS / "013-pingtan-2024-zfxxgknb.txt").report, gd.load(EXAMPLES[0]), gd.new_report(2019)]


def test_an_int_past_what_orjson_writes_is_left_to_the_plain_way() -> None:
    """Past 64 bits orjson refuses an int: the standard library writes it, or (past Python's digits as text) the plain
    way's error names the cell."""
    pointer = _BASES[1].spec.cells()[0].pointer
    for big in (2**64, -(2**63) - 1, 10**30):
        assert convert.orjson_data(_BASES[1].with_cells({pointer: big})) is None
    huge = _BASES[1].with_cells({pointer: 10**5000})
    assert convert.orjson_data(huge) is None
    with pytest.raises(gd.RenderError, match=f"^{pointer}: "):
        api._dump_utf8(huge)


def test_a_lone_surrogate_or_a_float_outside_the_tables_is_left_to_the_plain_way() -> None:
    import attrs

    report = _BASES[0]
    assert _templated(report) is not None
    assert convert.orjson_data(attrs.evolve(report, title=1.5)) is None  # type: ignore[arg-type]
    surrogate = attrs.evolve(report, title="x\ud800")
    assert convert.orjson_data(surrogate) is not None  # alike: orjson refuses it when writing ...
    with pytest.raises(TypeError):
        _templated(surrogate)
    assert api._fast_utf8(surrogate) is None  # ... and the writer then takes the plain way
    entry = next(iter(report.provenance))
    odd = attrs.evolve(report, provenance={**report.provenance, entry: CellProvenance(line=1.5)})  # type: ignore[arg-type]
    assert convert.orjson_data(odd) is None


def test_the_template_is_not_made_for_tables_holding_a_field_that_is_no_cell(monkeypatch: pytest.MonkeyPatch) -> None:
    """A leaf of the tables written that is no cell's mark: no template (the plain way then)."""
    cls = type(_BASES[0])
    envelope, tables = convert._PLAIN_WRITERS.get(cls) or convert._plain_writers(cls)

    def more(report: Any) -> dict[str, Any]:
        out = tables(report)
        out[cls.spec.tables[0].id]["extra"] = 1
        return out
    monkeypatch.setitem(convert._PLAIN_WRITERS, cls, (envelope, more))
    assert convert._json_tables(cls) is False
