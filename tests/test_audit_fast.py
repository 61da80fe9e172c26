"""The audit's fast paths give exactly what the plain ways give: the envelope written without the tables, the
values and provenance written straight to JSON (by orjson where it writes what json writes), a finding's row by
encoders made once."""

from __future__ import annotations

import enum
import functools
import json
import random
import sqlite3
import sys
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
    _json_text,
    _values_text,
    envelope_data,
    examine_bytes,
    finding_row,
    flatten,
    row_params,
)
from govdisclosure.audit.store import FINDING_PARAMS
from govdisclosure.findings import Finding, Severity
from govdisclosure.formats.spec import Label
from govdisclosure.io.fastjson import alike
from govdisclosure.model.convert import to_data
from govdisclosure.rules.engine import UNCHECKED
from govdisclosure.testing import balanced_data

from .conftest import DATA, EXAMPLES

#: the module (the package's name ``examine`` is its function)
examining = sys.modules["govdisclosure.audit.examine"]

CORPUS = DATA / "corpus" / "reports"


def _plain_flatten(report: Any) -> tuple[dict[str, Any], tuple[Any, ...], dict[str, Any]]:
    """flatten as it was written first: the whole canonical data, its tables and provenance taken out."""
    data = to_data(report)
    provenance = data.pop("provenance", None) or {}
    for table in report.spec.tables:
        data.pop(table.id, None)
    return data, tuple(str(v) if isinstance(v, Decimal) else v for v in report.values()), provenance


def _dumps(data: Any, **options: Any) -> str:
    """The store's JSON text: json's, compact."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), **options)


def _utf8(data: Any) -> bytes:
    """What the store is given of JSON data (:class:`Examined`'s fields): json's compact text as UTF-8."""
    return _dumps(data).encode("utf-8")


def _plain_row(f: Finding) -> tuple[str, ...]:
    params = _dumps(dict(f.params), sort_keys=True, default=str) if f.params else "{}"
    return (f.code, f.severity.value, f.pointer, _dumps(list(f.pointers)), _dumps(list(f.labels)), params,
            f.message.zh, f.message.en)


def _whole(row: tuple[str, ...]) -> tuple[str, ...]:
    """A stored finding row with its params as the store's views read them (:data:`.store.FINDING_PARAMS`, run by
    SQLite: GD-UNCHECKED's blank cells put back from its pointers)."""
    with sqlite3.connect(":memory:") as db:
        (params,) = db.execute(f"SELECT {FINDING_PARAMS} FROM (SELECT ? AS code, ? AS pointers, ? AS params) f",
                               (row[0], row[3], row[5])).fetchone()
    return (*row[:5], params, *row[6:])


@pytest.fixture(params=["orjson", "json"])
def writer(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test run with orjson (the [fast] extra) and with the standard library alone."""
    if request.param == "json":
        monkeypatch.setattr(examining, "_orjson", None)
    else:
        pytest.importorskip("orjson")
    return str(request.param)


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
def test_flatten_is_the_canonical_data_less_its_tables(report: Any, writer: str) -> None:
    plain = _plain_flatten(report)
    assert flatten(report) == plain
    assert list(envelope_data(report)) == list(plain[0])  # the keys' order too: the JSON text follows it
    assert _json_text(envelope_data(report)) == _JSON.encode(envelope_data(report)).encode() == _utf8(plain[0])
    assert _values_text(report.values()) == _VALUES_JSON.encode(report.values()).encode() == _utf8(plain[1])


def test_the_reports_compared_vary_what_the_envelope_writes() -> None:
    assert {r.format_version for r in REPORTS} == {"2019", "2021"} and any(r.variant for r in REPORTS)
    for field in ("stated", "period", "notice", "title", "provenance"):
        assert any(getattr(r, field) for r in REPORTS) and not all(getattr(r, field) for r in REPORTS), field
    assert any(isinstance(v, Decimal) for r in REPORTS for v in r.values())


def test_examine_writes_what_flatten_gives(writer: str) -> None:
    stored_once: set[str] = set()
    for path in sorted(CORPUS.iterdir()):
        if path.name == "MANIFEST.tsv":
            continue
        outcome = examine_bytes(path.read_bytes(), str(path))
        if isinstance(outcome, gd.audit.Examined):
            report = gd.reads(path.read_bytes(), source=str(path)).report
            envelope, values, provenance = _plain_flatten(report)
            assert outcome.envelope == _utf8(envelope)
            assert outcome.values == _utf8(values)
            assert outcome.provenance == (_utf8(provenance) if provenance else None)
            found = gd.validate(gd.reads(path.read_bytes(), source=str(path)))
            assert tuple(map(_whole, outcome.findings)) == tuple(_plain_row(f) for f in found)
            stored_once.update(row[5] for row in outcome.findings if row[0] == UNCHECKED)
    # GD-UNCHECKED's blank cells (its pointers again) were half of a store's bytes: written once
    assert stored_once and all(json.loads(p).keys() == {"instances", "rule"} for p in stored_once)


def test_a_value_the_encoder_cannot_write_fails_as_before() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        _VALUES_JSON.encode((1, None, object()))
    assert _VALUES_JSON.encode((1, None, Decimal("1.50"), "x")) == _dumps([1, None, "1.50", "x"])
    with pytest.raises(TypeError, match="not JSON serializable"):
        _values_text((1, None, object()))


_TEXT = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(['"', "\\", "\n", "\x00", "\u2028", "，"]))


@settings(max_examples=300, deadline=None)
@given(pointers=st.lists(_TEXT | st.integers(), max_size=4), labels=st.lists(_TEXT, max_size=4),
       params=st.dictionaries(_TEXT, st.none() | st.integers() | _TEXT | st.lists(_TEXT, max_size=2)
                              | st.decimals(allow_nan=False, places=2), max_size=4))
def test_a_finding_row_is_the_one_json_dumps_makes(pointers: list[Any], labels: list[str],
                                                   params: dict[str, Any]) -> None:
    # (run with orjson where installed: the standard library's own path is the one the other tests also take)
    f = Finding(code="GD-TEST", severity=Severity.WARNING, message=Label("中文", "text"), pointer="/a/b",
                pointers=tuple(pointers), labels=tuple(labels), params=params)
    assert finding_row(f) == _plain_row(f)


@settings(max_examples=300, deadline=None)
@given(pointers=st.lists(_TEXT, max_size=6), rule=_TEXT, instances=st.integers(min_value=0, max_value=10**6),
       as_tuple=st.booleans(), other=st.sampled_from([None, ["/x"], "more"]))
def test_gd_unchecked_blank_cells_are_stored_once_and_read_back_whole(
        pointers: list[str], rule: str, instances: int, as_tuple: bool, other: Any) -> None:
    cells: Any = tuple(pointers) if as_tuple else list(pointers)
    params: dict[str, Any] = {"rule": rule, "instances": instances, "blank_cells": cells}
    if other == "more":  # not the engine's params: written whole
        params["z"] = 1
    elif other is not None:  # blank cells other than its pointers: written whole
        params["blank_cells"] = [*pointers, *other]
    f = Finding(code=UNCHECKED, severity=Severity.INFO, message=Label("中文", "text"), pointer="",
                pointers=tuple(pointers), labels=(), params=params)
    row = finding_row(f)
    assert _whole(row) == _plain_row(f)
    assert row_params(row) == json.loads(_plain_row(f)[5]) and list(row_params(row)) == sorted(params)
    assert ("blank_cells" in json.loads(row[5])) == (other is not None)
    # another rule's blank cells, its pointers too, are written whole
    g = attrs.evolve(f, code="GD-T3-BALANCE")
    assert finding_row(g) == _whole(finding_row(g)) == _plain_row(g)
    assert row_params(finding_row(g)) == json.loads(_plain_row(g)[5])


@pytest.mark.parametrize("params", [
    {"rule": "R", "instances": 2**64, "blank_cells": ["/a"]},  # past what SQLite reads as an integer
    {"rule": "R", "instances": True, "blank_cells": ["/a"]},
    {"rule": 1, "instances": 1, "blank_cells": ["/a"]},
    {"rule": "R", "instances": 1, "blank_cells": [1]},  # not its pointers' texts
    {"rule": "R", "instances": 1.5},
    {"instances": 1},
    {},
])
def test_gd_unchecked_params_of_another_shape_are_stored_and_read_as_they_are(params: dict[str, Any]) -> None:
    pointers: tuple[Any, ...] = (1,) if params.get("blank_cells") == [1] else ("/a",)
    f = Finding(code=UNCHECKED, severity=Severity.INFO, message=Label("中文", "text"), pointer="",
                pointers=pointers, params=params)
    row = finding_row(f)
    assert row == _plain_row(f) == _whole(row)
    assert row_params(row) == json.loads(row[5])


class _Colour(enum.Enum):
    RED = "red"


class _Text(str):
    pass


#: what json and orjson write differently, or orjson refuses: floats (1e+16 / 1e16, NaN), an enum, a subclass,
#: integers past 64 bits, lone surrogates, keys that are not text
_ODD = (st.floats() | st.sampled_from([_Colour.RED, _Text("子类"), 2**64, -(2**63) - 1, "\ud800", 1e16, True])
        | st.integers())
_JSONISH = st.recursive(st.none() | st.booleans() | st.integers(-(2**70), 2**70) | _TEXT | _ODD,
                        lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner)
                        | st.dictionaries(_TEXT, inner, max_size=3)
                        | st.dictionaries(st.integers() | st.none(), inner, max_size=2), max_leaves=12)


def _same(ours: Any, expected: Any) -> None:
    """Both give the same text (``ours`` as UTF-8 where it gives bytes), or both raise the same kind of error."""
    try:
        text = expected()
    except (TypeError, ValueError) as exc:
        with pytest.raises(type(exc)):
            ours()
        return
    try:
        got = ours()
    except UnicodeEncodeError:  # a lone surrogate, which no UTF-8 holds: examine fails such a report
        assert not _encodable(text)
        return
    assert got == (text if isinstance(got, str) else text.encode("utf-8"))


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@settings(max_examples=400, deadline=None)
@given(data=_JSONISH)
def test_the_store_text_is_json_compact_whatever_the_data(data: Any) -> None:
    _same(lambda: _json_text(data), lambda: _dumps(data))
    f = Finding(code="GD-TEST", severity=Severity.WARNING, message=Label("中文", "text"), pointer="/a",
                params={"value": data})
    _same(lambda: finding_row(f)[5], lambda: _dumps({"value": data}, sort_keys=True, default=str))


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.none() | st.integers(-(2**70), 2**70) | st.decimals(allow_nan=False, places=2)
                       | st.sampled_from([True, 1.5, _Colour.RED, "x\n", "\ud800", _Text("y"), [1, "2"]]),
                       max_size=8))
def test_the_values_text_is_json_compact_whatever_the_cells(values: list[Any]) -> None:
    cells = tuple(values)
    _same(lambda: _values_text(cells), lambda: _VALUES_JSON.encode(cells))
    if not any(isinstance(v, enum.Enum) or v == "\ud800" for v in values):  # (a lone surrogate: no UTF-8)
        assert _values_text(cells) == _utf8([str(v) if isinstance(v, Decimal) else v for v in values])


def test_the_store_takes_the_json_as_bytes_or_as_text(tmp_path: Any) -> None:
    # an Examined made by another executor may carry text: the store keeps the same JSON either way, as text
    import sqlite3

    from govdisclosure.audit.agencies import AgencyMap
    from govdisclosure.audit.inputs import Input
    from govdisclosure.audit.store import Store, read_report

    path = CORPUS / "012-pingtan-2022-zfxxgknb.txt"
    outcome = examine_bytes(path.read_bytes(), str(path))
    assert isinstance(outcome, gd.audit.Examined) and isinstance(outcome.envelope, bytes) and outcome.provenance
    as_text = attrs.evolve(outcome, digest="0" * 32, envelope=outcome.envelope.decode(),
                           values=outcome.values.decode(), provenance=outcome.provenance.decode())
    db = str(tmp_path / "store.db")
    with Store(db) as store:
        store.write([(Input(b"/a.txt", 1, 1), outcome), (Input(b"/b.txt", 1, 1), as_text)], store.start_run(),
                    AgencyMap())
    con = sqlite3.connect(db)
    rows = con.execute("SELECT report_id, typeof(envelope), envelope FROM reports ORDER BY report_id").fetchall()
    assert [r[1] for r in rows] == ["text", "text"] and rows[0][2] == rows[1][2] == outcome.envelope.decode()
    for table in ("cell_values", "cell_provenance"):
        counts = con.execute(f"SELECT report_id, COUNT(*) FROM {table} GROUP BY report_id").fetchall()
        assert len(counts) == 2 and counts[0][1] == counts[1][1] > 0, table
    assert con.execute("SELECT COUNT(*) FROM cell_provenance WHERE typeof(provenance) != 'text'").fetchone()[0] == 0
    report = gd.reads(path.read_bytes(), source=str(path)).report
    for report_id, _, _ in rows:
        again = read_report(con, report_id, gd.Registry.default())
        assert again.values() == report.values() and again.parts == report.parts
        assert set(again.provenance) == set(report.provenance)
        assert [again.provenance[p].raw for p in report.provenance] == [c.raw for c in report.provenance.values()]


def test_a_report_holding_a_lone_surrogate_fails_with_its_reason_not_stored(tmp_path: Any, monkeypatch: Any) -> None:
    # only a plugin's loader gives one (ours refuse them): stored, the report could not be read back from the store
    import govdisclosure.api as api

    path = CORPUS / "012-pingtan-2022-zfxxgknb.txt"
    result = gd.reads(path.read_bytes(), source=str(path))
    odd = attrs.evolve(result, report=attrs.evolve(result.report, title="某局\ud800报告"))
    monkeypatch.setattr(api, "reads", lambda *_a, **_k: odd)
    outcome = examine_bytes(path.read_bytes(), str(path))
    assert isinstance(outcome, gd.audit.Failed) and outcome.code == "GD-AUDIT-CRASH"
    assert "'\\ud800'" in outcome.reason_en and "孤立代理项" in outcome.reason_zh


_ROW = st.tuples(*[_TEXT] * 8)


@settings(max_examples=100, deadline=None)
@given(fields=st.tuples(_TEXT, _TEXT, st.integers(0, 2**40), st.none() | _TEXT, _TEXT, st.none() | _TEXT,
                        st.none() | _TEXT, st.none() | _TEXT, st.none() | _TEXT, st.none() | st.integers(1900, 2100),
                        st.none() | _TEXT, st.none() | _TEXT, st.binary(), st.binary(), st.none() | st.binary(),
                        st.lists(_ROW, max_size=3).map(tuple), st.floats(0, 100)),
       pairs=st.lists(st.tuples(_TEXT, st.lists(_ROW, max_size=2).map(tuple)), max_size=2).map(tuple))
def test_an_examined_record_pickles_as_its_fields(fields: tuple[Any, ...], pairs: Any) -> None:
    """Examined is pickled as its fields in order (not attrs' dict of them): read back, the same record, every field
    in its place, with every protocol (multiprocessing's, Dask's)."""
    import pickle

    record = gd.audit.Examined(*fields, pairs=pairs)
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(record, protocol=protocol))
        assert type(again) is gd.audit.Examined
        assert attrs.asdict(again, recurse=False) == attrs.asdict(record, recurse=False)
    assert record.__reduce__() == (gd.audit.Examined, attrs.astuple(record, recurse=False))


def test_a_finding_row_of_params_not_a_dict_is_the_one_json_dumps_makes() -> None:
    import types

    for params in (types.MappingProxyType({"b": 1, "a": ["x", None]}), {"b": Decimal("1.50"), "a": 2**70}):
        f = Finding(code="GD-TEST", severity=Severity.ERROR, message=Label("中文", "text"), pointer="/a",
                    params=params)
        assert finding_row(f) == _plain_row(f)


def _audit_rows(db: str) -> dict[str, list[Any]]:
    import sqlite3

    con = sqlite3.connect(db)
    try:
        return {table: con.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                for table in ("findings", "reports", "cell_values", "cell_provenance", "series_pairs")}
    finally:
        con.close()


def test_the_store_holds_the_rows_the_generic_statements_wrote(tmp_path: Any, monkeypatch: Any) -> None:
    """A report's own findings are inserted without binding a NULL previous report: the store holds the same rows
    as the one statement for every scope wrote (the year pairs' findings, with a previous report, too)."""
    import shutil

    from govdisclosure.audit import audit
    from govdisclosure.audit.store import Store

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("009-pingtan-2020-zfxxgknb.txt", "021-huaian-hongze-district-2023-pdf.txt",
                 "022-huaian-hongze-district-2024-pdf.txt"):
        shutil.copy(CORPUS / name, folder / name)
    reg = gd.Registry.default()
    rng = random.Random(3)
    for year in (2022, 2023):  # one agency's two years, last year's carried forward not this year's carried over
        data = balanced_data(reg.format_for_year(year), rng.randint, year=year)
        data["agency"] = {"name": "某县某局", "level": "county_department", "region": "某省"}
        (folder / f"{year}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    fast = str(tmp_path / "fast.db")
    audit([str(folder)], fast, jobs=0, progress=False)

    def generic(self: Store, report_id: int, previous: int | None, scope: str, rows: Any) -> None:
        self.db.executemany(
            "INSERT INTO findings (report_id, previous_report_id, scope, code, severity, pointer, pointers, labels, "
            "params, message_zh, message_en) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [(report_id, previous, scope, *row) for row in rows])

    monkeypatch.setattr(Store, "_findings", generic)
    plain = str(tmp_path / "plain.db")
    audit([str(folder)], plain, jobs=0, progress=False)
    got, expected = _audit_rows(fast), _audit_rows(plain)
    assert got == expected
    scopes = {row[3] for row in got["findings"]}
    assert {"report", "series"} <= scopes and all(row[2] is not None for row in got["findings"] if row[3] == "series")


def _plain_texts_json(items: Any) -> str:
    """examine._texts_json as it was first written: each string by the encoder's own function, joined."""
    if not items:
        return "[]"
    try:
        return f"[{','.join(map(json.encoder.encode_basestring, items))}]"
    except TypeError:
        return _JSON.encode(list(items))


#: strings at the edges of JSON's escaping (controls, DEL, U+2028/2029, quotes, backslashes, lone surrogates)
_EDGY = st.text(alphabet=st.characters(codec=None, exclude_categories=()) | st.sampled_from(
    ["\x00", "\x1f", "\x7f", "\u2028", "\u2029", '"', "\\", "/", "\ud800", "\udfff", "中", "\u3000"]), max_size=12)


@settings(max_examples=500, deadline=None)
@given(items=st.lists(_EDGY | st.builds(_Text, _EDGY) | st.sampled_from([_Colour.RED, Severity.ERROR, 1, True, None,
                                                                           1.5, 1e16, 2**64]), max_size=5))
def test_a_findings_texts_are_written_as_before_whatever_they_hold(items: list[Any]) -> None:
    for given_as in (tuple(items), items):
        _same(functools.partial(examining._texts_json, given_as), functools.partial(_plain_texts_json, given_as))
        if all(isinstance(x, str) for x in items):  # (strings: exactly json.dumps's text)
            assert examining._texts_json(given_as) == _plain_texts_json(given_as) == _dumps(items)


def test_a_findings_texts_without_orjson_are_the_encoders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(examining, "_orjson", None)
    for items in [(), ("/a", "中\u2028\x7f\x00"), ("\ud800",), ["x", 1], (_Text("q"),)]:
        assert examining._texts_json(items) == _plain_texts_json(items)


def _plain_alike(data: Any, amounts: bool = False, most: int = 10_000) -> bool:
    """What io.fastjson.alike says, as a definition: every leaf of exactly str, int, bool or None (Decimal where
    ``amounts``), every key text, and at most ``most`` dicts, lists and tuples in all (walked in any order)."""
    leaves = frozenset({str, int, bool, type(None)})
    containers = 0

    def writable(value: Any) -> bool:
        nonlocal containers
        kind = type(value)
        if kind in leaves or (amounts and kind is Decimal):
            return True
        if kind is not dict and kind is not list and kind is not tuple:
            return False
        containers += 1
        if containers > most:
            return False
        if kind is dict:
            return all(type(k) is str for k in value) and all(map(writable, value.values()))
        return all(map(writable, value))

    return writable(data)


@settings(max_examples=500, deadline=None)
@given(data=st.recursive(_JSONISH | st.decimals(allow_nan=False, places=2), lambda inner: st.lists(inner, max_size=3)
                         | st.dictionaries(_TEXT, inner, max_size=3), max_leaves=16),
       most=st.integers(0, 6))
def test_alike_says_what_it_said(data: Any, most: int) -> None:
    for amounts in (False, True):
        assert alike(data, amounts) == _plain_alike(data, amounts)
        assert alike(data, amounts, most) == _plain_alike(data, amounts, most)  # (few containers: past them, no)


def test_alike_stops_at_a_list_that_holds_itself() -> None:
    looped: list[Any] = [1, {"a": "b"}]
    looped.append(looped)
    assert not alike(looped) and not alike(looped, most=3) and not _plain_alike(looped, most=3)
