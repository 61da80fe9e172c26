"""The faster ways of writing a report and its outputs give what the plain ways give."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

import govdisclosure as gd
from govdisclosure.model.convert import _PLAIN_COUNTS, _head, _plain_writers, _table_keys, _to_data, plain_data
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
