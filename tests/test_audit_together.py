"""The audit reads a chunk's published texts and pages together, stage by stage (``examine.read_paths``): each
input's record is the one it gets read alone, bad inputs and other loaders' inputs included; past the time limit,
or failing, the chunk is read one input at a time as before."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

import attrs
import pytest

import govdisclosure as gd
from govdisclosure.audit import audit
from govdisclosure.audit import run as audit_run
from govdisclosure.audit.examine import Examined, examine_path, read_paths

from .conftest import DATA, EXAMPLES


def _inputs(folder: Path) -> list[str]:
    """Published texts and pages of both formats, our own formats, a PDF, and inputs that are no report."""
    folder.mkdir()
    sources = [*sorted((DATA / "corpus" / "reports").glob("*.txt")), *sorted((DATA / "corpus" / "reports").glob(
        "*.html")), *sorted((DATA / "ingest").glob("*.html")), DATA / "ingest" / "row-tables.md",
        EXAMPLES / "pingtan-2020.json", DATA / "ingest" / "word-pdf-013.pdf"]
    for source in sources:
        shutil.copy(source, folder / source.name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "notes.txt").write_text("会议纪要：今天讨论了食堂菜单。", encoding="utf-8")
    (folder / "report.yaml").write_text(gd.render(gd.load(EXAMPLES / "pingtan-2020.json"), "yaml"), encoding="utf-8")
    (folder / "page.html").write_text(gd.render(gd.load(EXAMPLES / "huaian-city-2024.json"), "html"),
                                      encoding="utf-8")
    return [*sorted(str(p) for p in folder.iterdir()), str(folder / "missing.txt")]


def _same(a: Any, b: Any) -> bool:
    """Two records alike but for the seconds each took."""
    return attrs.evolve(a, seconds=0.0) == attrs.evolve(b, seconds=0.0)


def test_inputs_read_together_give_what_each_read_alone_gives(tmp_path: Path) -> None:
    paths = _inputs(tmp_path / "in")
    ready = read_paths(paths)
    assert len(ready) > 15  # the published texts and pages (and the bad ones the parser refuses) were read together
    assert not {p for p in ready if p.endswith((".json", ".yaml", ".pdf", "missing.txt"))}
    for path in paths:
        alone, report_alone = examine_path(path)
        together, report_together = examine_path(path, read=ready.get(path))
        assert _same(alone, together), path
        assert report_alone == report_together
    examined = [examine_path(p, read=ready.get(p))[0] for p in paths]
    assert sum(isinstance(e, Examined) for e in examined) > 15


def _store(db: Path) -> list[tuple[Any, ...]]:
    """What a store holds of its inputs, reports, cells and findings (not the seconds each took, nor its runs)."""
    con = sqlite3.connect(db)
    try:
        inputs = con.execute("SELECT path, content_hash, loader, status, error_code, error_zh, error_en, "
                             "report_id FROM inputs ORDER BY path").fetchall()
        reports = con.execute("SELECT * FROM reports ORDER BY report_id").fetchall()
        cells = con.execute("SELECT * FROM cell_values ORDER BY report_id, cell_id").fetchall()
        provenance = con.execute("SELECT * FROM cell_provenance ORDER BY report_id, cell_id").fetchall()
        findings = con.execute("SELECT report_id, previous_report_id, scope, code, severity, pointer, pointers, "
                               "labels, params, message_zh, message_en FROM findings ORDER BY finding_id").fetchall()
    finally:
        con.close()
    return [*inputs, *reports, *cells, *provenance, *findings]


@pytest.mark.parametrize("jobs", [0, 2])
def test_an_audit_stores_what_it_stored_reading_one_input_at_a_time(tmp_path: Path, jobs: int,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _inputs(tmp_path / "in")[:-1]  # (a missing file is said by the audit's listing, not examined)
    counted = tmp_path / "read-together.txt"  # (written by the workers too: forked, they share no memory)
    read = audit_run.read_paths

    def counting(chunk: Any, **kwargs: Any) -> Any:
        ready = read(chunk, **kwargs)
        with counted.open("a", encoding="utf-8") as out:
            out.write(f"{len(ready)}\n")
        return ready

    monkeypatch.setattr(audit_run, "read_paths", counting)
    audit([str(tmp_path / "in")], str(tmp_path / "together.sqlite"), jobs=jobs)
    assert sum(map(int, counted.read_text(encoding="utf-8").split())) > 15  # most inputs were read together
    monkeypatch.setattr(audit_run.Examiner, "look_ahead", lambda self, _paths: None)  # each alone, as before
    audit([str(tmp_path / "in")], str(tmp_path / "alone.sqlite"), jobs=jobs)
    together, alone = _store(tmp_path / "together.sqlite"), _store(tmp_path / "alone.sqlite")
    assert len(together) > len(paths) and together == alone


def test_past_the_time_limit_a_chunk_is_read_one_input_at_a_time(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a chunk together gets one input's time limit; past it, nothing of it is used (each is read alone)."""
    _inputs(tmp_path / "in")
    (tmp_path / "in" / "word-pdf-013.pdf").unlink()  # (alone, it takes most of a second on a loaded machine)
    audit([str(tmp_path / "in")], str(tmp_path / "plain.sqlite"), jobs=0)
    slow = audit_run.read_paths

    def stuck(paths: Any, **kwargs: Any) -> Any:
        time.sleep(10)  # the alarm ends this
        return slow(paths, **kwargs)

    monkeypatch.setattr(audit_run, "read_paths", stuck)
    began = time.monotonic()
    summary = audit([str(tmp_path / "in")], str(tmp_path / "limited.sqlite"), jobs=0, limit=2.0)
    assert time.monotonic() - began < 10  # abandoned at the limit, not waited for
    assert summary.reports > 15 and _store(tmp_path / "limited.sqlite") == _store(tmp_path / "plain.sqlite")


def test_an_input_read_together_has_what_is_left_of_its_limit(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """An input whose reading took most of its limit was then checked with a whole limit again, and stored as
    read at 1.11 s under a limit of 1 s: it now gets what is left, and fails past it, as read alone."""
    folder = tmp_path / "in"
    folder.mkdir()
    for report in sorted((DATA / "corpus" / "reports").glob("*.txt"))[:3]:
        shutil.copy(report, folder / report.name)
    read = audit_run.read_paths

    def slow_reading(paths: Any, **kwargs: Any) -> Any:
        ready = read(paths, **kwargs)
        return {p: (data, (result, took + 0.7)) for p, (data, (result, took)) in ready.items()}

    def slow_check(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.5)
        return validate(*args, **kwargs)

    validate = gd.api.validate
    monkeypatch.setattr(audit_run, "read_paths", slow_reading)
    monkeypatch.setattr(gd.api, "validate", slow_check)
    summary = audit([str(folder)], str(tmp_path / "a.sqlite"), jobs=0, limit=1.0)
    assert summary.reports == 0 and {code for _, code, _, _ in summary.failed} == {"GD-AUDIT-TIMEOUT"}
    assert all("more than 1 s" in en for _, _, _, en in summary.failed)  # the limit, not what was left of it
