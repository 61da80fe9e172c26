"""The faster ways of writing a report and its outputs give what the plain ways give."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure.model.convert import _PLAIN_COUNTS, _head, _plain_writers, _table_keys, _to_data, plain_data
from govdisclosure.model.scalars import refused_character
from govdisclosure.output import write_atomic

CORPUS = Path(__file__).parent / "data" / "corpus" / "reports"
EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.json"))


def _reports() -> list[gd.Report]:
    parsed = [gd.parse(p).report for p in sorted(CORPUS.glob("0*.txt"))[:8]]
    return parsed + [gd.load(p) for p in EXAMPLES]


def test_the_tables_and_envelope_written_as_the_converter_writes_them() -> None:
    """plain_data's own writers give the converter's data, key for key in the same order, on parsed and loaded
    reports, with odd amounts (an exponent, a float) and blank cells too."""
    reports = _reports()
    assert reports
    for report in reports:
        amounts = [c.pointer for c in report.spec.cells() if c.column.kind.name == "AMOUNT"]
        counts = [c.pointer for c in report.spec.cells() if c.column.kind.name != "AMOUNT"]
        variants = [report, report.with_cells({p: None for p in counts[::3]})]
        variants += [report.with_cells({p: value for p in amounts}) for value in (Decimal("1E+2"), 1.5, None)]
        for r in variants:
            slow, _ = _to_data(r, _PLAIN_COUNTS)
            envelope, tables = _plain_writers(type(r))
            fast = _head(r, envelope(r))
            fast.update(tables(r))
            if r.provenance:
                fast["provenance"] = slow["provenance"]
            assert fast == slow
            assert list(fast) == list(slow)
            for key in _table_keys(r.spec):
                assert repr(fast[key]) == repr(slow[key])  # nested keys' order and values' types
            data, _ = plain_data(r)
            assert repr(data) == repr(slow)


def test_an_output_replaced_keeps_its_mode_and_a_link_its_target(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    write_atomic(target, b"one")
    assert target.read_bytes() == b"one"
    os.chmod(target, 0o640)
    write_atomic(target, b"two" * 10000, durable=False)
    assert target.read_bytes() == b"two" * 10000 and (target.stat().st_mode & 0o777) == 0o640
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_atomic(link, b"three")
    assert link.is_symlink() and target.read_bytes() == b"three"
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "missing.json")
    write_atomic(dangling, b"four")
    assert dangling.is_symlink() and (tmp_path / "missing.json").read_bytes() == b"four"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "dangling.json", "link.json", "missing.json"]
    with pytest.raises(gd.errors.GovDisclosureError):
        write_atomic(tmp_path / "nowhere" / "b.json", b"x")


def test_a_temporary_name_is_tried_as_often_as_mkstemp_tries_one() -> None:
    import tempfile

    from govdisclosure import output

    assert output._TEMPORARY_TRIES == tempfile.TMP_MAX


_REFUSED = "\x00\x01\x08\x0b\x0c\x0e\x1f\ud800\udbff\udc00\udfff\ufffe\uffff"


def _strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return []


def _parsed_both_ways(source: object, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The parse of ``source`` with its texts taken as normalised (the parser's way), then searched again for a
    character a text may not hold (the plain way): what each gives (its canonical data and findings, or its error)."""
    from govdisclosure.model import build

    out: list[object] = []
    for size in (build._normalised_size, build._text_size):
        monkeypatch.setattr(build, "_normalised_size", size)
        build.values_builder.cache_clear()
        try:
            result = gd.parse(source)  # type: ignore[arg-type]
        except gd.GovDisclosureError as exc:
            out.append((type(exc), str(exc)))
            continue
        data = gd.model.convert.to_data(result.report)
        assert all(refused_character(s) is None for s in _strings(data))
        out.append((data, [f.to_dict() for f in result.findings]))
    build.values_builder.cache_clear()
    return out


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_parsed_report_holds_no_character_a_text_may_not(data: st.DataObject, monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    """The parser's texts are not searched again for a character a text may not hold: normalise leaves none in the
    text every text is cut from, wherever such characters stand (in the title, the agency's name, a row, a part)."""
    name = data.draw(st.sampled_from(sorted(p.name for p in CORPUS.glob("0*.txt"))))
    text = list((CORPUS / name).read_text(encoding="utf-8"))
    for _ in range(data.draw(st.integers(1, 12))):
        at = data.draw(st.integers(0, min(len(text), 600) if data.draw(st.booleans()) else len(text)))
        text[at:at] = data.draw(st.text(_REFUSED, min_size=1, max_size=3))
    first, second = _parsed_both_ways("".join(text), monkeypatch)
    assert first == second


def test_a_file_named_with_control_characters_is_parsed_as_the_plain_way_parses_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for stem in ("a\x01b", "c\x1fd\x0b", "e\udcfff"):  # a byte no UTF-8 decodes: a surrogate in the name
        path = tmp_path / f"{stem}.txt"
        path.write_bytes((CORPUS / "012-pingtan-2022-zfxxgknb.txt").read_bytes())
        first, second = _parsed_both_ways(path, monkeypatch)
        assert first == second
        assert isinstance(first, tuple) and isinstance(first[0], dict) and first[0]["provenance"]


def test_the_envelope_written_as_the_converter_writes_it_whatever_it_holds() -> None:
    """plain_data's envelope writer (no cattrs) gives the converter's data, or the same error, for envelopes of
    every shape and for values of other types than their fields' (a caller's: the model keeps what it is given)."""
    import datetime as dt

    import attrs

    from govdisclosure.model import Agency, Parts, Period, Stated

    report = gd.parse(CORPUS / "012-pingtan-2022-zfxxgknb.txt").report
    envelopes: list[dict[str, object]] = [
        {}, {"title": None, "published_on": None, "period": None, "stated": None, "notice": None},
        {"year": "2024", "title": 5, "agency": Agency(name="x", level="township", region=None)},
        {"published_on": dt.date(2025, 1, 2), "period": Period(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))},
        {"stated": Stated(received=3, fees=Decimal("1E+2")), "parts": Parts(overview="x", other=7)},  # type: ignore[arg-type]
        {"stated": Stated(fees=1.5)}, {"published_on": "2025-01-02"}, {"period": "x"}, {"agency": None},  # type: ignore[arg-type]
        {"parts": Parts()}, {"stated": Stated(received="3")},  # type: ignore[arg-type]
    ]
    envelope, _ = _plain_writers(type(report))
    for changes in envelopes:
        r = attrs.evolve(report, **changes)  # type: ignore[arg-type]
        try:
            slow: object = _to_data(r, _PLAIN_COUNTS)[0]
        except Exception as exc:  # noqa: BLE001 - the same error either way
            slow = (type(exc), str(exc))
        try:
            fast: object = _head(r, envelope(r))
        except Exception as exc:  # noqa: BLE001 - the same error either way
            fast = (type(exc), str(exc))
        if isinstance(slow, dict) and isinstance(fast, dict):
            slow = {k: v for k, v in slow.items() if k in fast}
        assert repr(fast) == repr(slow), changes
