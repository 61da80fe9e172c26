"""Many inputs parsed at once (``ingest.parse_each``, ``parse --jobs``): stage by stage over a chunk of inputs, the
same results, in the same order, as one parse after another; one bad input never changes another's result."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest

import govdisclosure as gd
from govdisclosure import api
from govdisclosure.errors import LoadError
from govdisclosure.ingest import parse, parse_each
from govdisclosure.ingest.batch import CHUNK, parse_many
from govdisclosure.registry import Registry

DATA = Path(__file__).parent / "data"
REPORTS = sorted(p for p in (DATA / "corpus" / "reports").iterdir() if p.suffix in (".txt", ".html"))
FIXTURES = sorted(p for p in (DATA / "ingest").iterdir() if p.suffix in (".txt", ".html", ".md", ".pdf") and p.stem != "README")


@functools.cache
def _registry() -> Registry:
    return Registry.default()


def _bad_inputs(folder: Path) -> list[Path]:
    """Inputs that fail at each step before and within the stages: missing, empty, binary, not a report, one line."""
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "notice.txt").write_text("关于开展政府信息公开工作的通知\n各单位：请按时报送。\n", encoding="utf-8")
    (folder / "index.txt").write_text("一、总体情况 二、主动公开政府信息情况 三、收到和处理政府信息公开申请情况\n", encoding="utf-8")
    return [folder / "missing.txt", folder / "empty.txt", folder / "binary.txt", folder / "notice.txt",
            folder / "index.txt"]


def _same(got: gd.LoadResult | LoadError, want: gd.LoadResult | LoadError) -> bool:
    if isinstance(want, LoadError):
        return isinstance(got, LoadError) and (got.file, got.findings, str(got)) == (want.file, want.findings, str(want))
    return got == want


def _one_by_one(sources: list[Any], **kw: Any) -> list[gd.LoadResult | LoadError]:
    out: list[gd.LoadResult | LoadError] = []
    for source in sources:
        try:
            out.append(parse(source, registry=_registry(), **kw))
        except LoadError as exc:
            out.append(exc)
    return out


def test_parse_each_gives_what_parse_gives_one_input_at_a_time(tmp_path: Path) -> None:
    # the bad inputs between the good ones: a stage's error stays that input's, the others' states go on
    bad = _bad_inputs(tmp_path)
    sources: list[Any] = [*REPORTS[:6], *bad[:3], *REPORTS[6:], *FIXTURES, *bad[3:]]
    sources.append(REPORTS[2].read_bytes())  # given as data, not a path
    got = parse_each(sources, registry=_registry())
    want = _one_by_one(sources)
    assert len(got) == len(want) == len(sources)
    differ = [str(s) for s, g, w in zip(sources, got, want, strict=True) if not _same(g, w)]
    assert not differ
    assert sum(isinstance(w, LoadError) for w in want) == len(bad)  # the bad ones failed, the rest parsed
    assert parse_each([], registry=_registry()) == []


@pytest.mark.parametrize("kind", ["text", "html"])
def test_parse_each_told_the_kind_gives_what_parse_gives(kind: str) -> None:
    sources = [p for p in [*REPORTS, *FIXTURES] if p.suffix in (".txt", ".html")]
    got = parse_each(sources, from_=kind, registry=_registry())
    want = _one_by_one(sources, from_=kind)
    assert all(_same(g, w) for g, w in zip(got, want, strict=True))


def _reference(paths: list[str], stdin: bytes) -> list[tuple[str, Any]]:
    """What parse_many gave before it parsed stage by stage: api.parse of each input, a file's error naming it."""
    out: list[tuple[str, Any]] = []
    for path in paths:
        try:
            out.append((path, api.parse(stdin if path == "-" else Path(path), registry=_registry())))
        except LoadError as exc:
            out.append((path, exc if exc.file is not None and path != "-" else exc.with_file(path)))
    return out


@pytest.mark.parametrize("jobs", [1, 2])
def test_parse_many_keeps_each_inputs_result_and_order(tmp_path: Path, jobs: int) -> None:
    """Inputs of the parser and of other loaders (canonical JSON), standard input in the middle, bad inputs,
    more than a chunk of them: each result in its place, as one input after another gave it."""
    bad = _bad_inputs(tmp_path)
    canonical = tmp_path / "report.json"
    canonical.write_text(gd.dump(gd.parse(REPORTS[1], registry=_registry()).report), encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"format_version": "2021"}), encoding="utf-8")
    paths = [str(p) for p in [*REPORTS, *bad[:2]]] + ["-", str(canonical), str(broken)] + \
        [str(p) for p in [*bad[2:], *FIXTURES, *REPORTS[:3]]]
    assert len(paths) > 2 * CHUNK
    stdin = REPORTS[3].read_bytes()
    got = list(parse_many(paths, registry=_registry, jobs=jobs, stdin=stdin))
    want = _reference(paths, stdin)
    assert [p for p, _ in got] == paths
    differ = [p for (p, g), (_, w) in zip(got, want, strict=True) if not _same(g, w)]
    assert not differ


def test_inputs_are_parsed_together_only_when_small_and_yielded_as_done(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A PDF, a large file, standard input and another loader's input are parsed alone, when their turn comes, and
    yielded then (a serial batch held every output of 16 inputs: Ctrl-C lost the finished ones); the texts parsed
    together are at most CHUNK and TOGETHER_BYTES in all (32 pages of 8 MB each were held at once)."""
    import govdisclosure.ingest as ingest
    from govdisclosure.ingest import batch

    groups: list[list[str]] = []

    original = ingest.parse_each

    def spy(sources: list[Path], **kwargs: Any) -> Any:
        groups.append([Path(s).name for s in sources])
        return original(sources, **kwargs)

    monkeypatch.setattr(ingest, "parse_each", spy)
    big = tmp_path / "big.txt"
    big.write_bytes(REPORTS[1].read_bytes() + b"\n" * (batch.ALONE_BYTES + 1))
    pdf = DATA / "ingest" / "word-pdf-013.pdf"
    texts = [str(p) for p in REPORTS if p.suffix == ".txt"]
    paths = [str(pdf), *texts[:3], str(big), *(texts * 3)[:batch.CHUNK + 2], "-"]
    outcomes = parse_many(paths, registry=_registry, stdin=REPORTS[0].read_bytes())
    first_path, first = next(outcomes)
    assert first_path == str(pdf) and not isinstance(first, LoadError) and groups == []  # yielded before the rest
    rest = list(outcomes)
    assert [p for p, _ in rest] == paths[1:]
    assert all(len(g) <= batch.CHUNK for g in groups) and not any("big.txt" in g or pdf.name in g for g in groups)
    assert [len(g) for g in groups] == [3, batch.CHUNK, 2]  # the big file, then CHUNK, cut the runs
    sizes = {Path(p).name: Path(p).stat().st_size for p in texts}
    monkeypatch.setattr(batch, "TOGETHER_BYTES", 3 * max(sizes.values()))
    groups.clear()
    list(parse_many(texts * 2, registry=_registry))
    assert len(groups) > 2 and all(sum(sizes[n] for n in g) <= batch.TOGETHER_BYTES for g in groups)
