"""A seeded fuzz test of every reader: inputs cut, spliced, nested, oversized, mis-encoded and salted with
hostile tokens are read by the loaders and the parser, and

- reading gives a report or a :class:`LoadError` (never another exception), in bounded time and memory;
- a report read is checked by ``validate`` without an exception, and reads back equal from every output
  format (``load(render(r)) == r``), provenance included;
- the CLI answers with exit 0, 1 or 2 and no traceback.

A few hundred cases run in CI; ``GD_FUZZ_CASES=10000 pytest tests/test_hardening_fuzz.py`` runs more
(``GD_FUZZ_SEED`` picks another sequence).  A failing case is reported with its seed, index and mutations.
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import govdisclosure as gd
from govdisclosure.cli import cli
from govdisclosure.errors import LoadError

from .conftest import EXAMPLES, ROOT

CASES = int(os.environ.get("GD_FUZZ_CASES", "300"))
SEED = int(os.environ.get("GD_FUZZ_SEED", "8"))
#: a case that takes longer than this is a hang, whatever the machine (a bound, not a speed figure)
CASE_SECONDS = 60
#: growth of the process's peak memory over the whole run (the data limits allow far less per input)
PEAK_GROWTH_MB = 768
READ_BACK = {"json": ".json", "yaml": ".yaml", "csv": ".csv", "html": ".html", "markdown": ".md"}
PUBLISHED = ROOT / "examples" / "published"

#: what a hostile or unlucky input holds
TOKENS: tuple[bytes, ...] = (
    b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\xed\xa0\x80",  # NUL, a UTF-16 mark, a BOM, an encoded surrogate
    b'"\\ud800"', b"\\udc00", b"&#xD800;", b"&#0;", "\u2028\u2029\x85".encode(), b"\r", b"\t",
    b"[" * 40, b"{" * 40, b"[" * 1200, b"9" * 41, b"9" * 5001, b"1E999999999", b"-0", b"NaN", b"1e-7", b"0.0000001",
    b"&a ", b"*a", b"<<: *a", b"!!python/object:os.system ", b"--- ", b"? ", b": ", b"- ",
    b"=HYPERLINK(\"http://x\")", b"@SUM(1)", b"'", b'"', b",", b"\n", b"|", b"<td data-cell=\"/requests/total/total\">",
    b'<article class="gd-report" data-format-version="2021">', b"<!-- govdisclosure markdown -->", b"format_version:",
    "一、总体情况\n".encode(), "（七）总计 | 12 | 34 |".encode(), "１２３４５".encode(), "無".encode(),
    "\u3000".encode(),
)
ENCODINGS = ("gbk", "gb18030", "utf-16", "utf-16-le", "latin-1", "big5", "utf-8-sig")


def _seeds() -> list[tuple[str, bytes]]:
    """(extension, bytes) of inputs of every kind: our renders of a report and of a parsed report
    (with provenance), and published text and pages."""
    out: list[tuple[str, bytes]] = []
    parsed = gd.parse(PUBLISHED / "009-pingtan-2020-zfxxgknb.txt").report
    for report in (gd.load(EXAMPLES / "huaian-city-2024.json"), parsed):
        for fmt, ext in READ_BACK.items():
            out.append((ext, gd.render_bytes(report, fmt)))
        out.append((".csv", gd.render_bytes(report, "csv-wide")))
    for name in ("001-hutubi-shanggongxinju-2020-seed.txt", "013-pingtan-2024-zfxxgknb.txt",
                 "073-shanghai-gov-office-2019-wanda-jsstring.html"):
        out.append((Path(name).suffix, (PUBLISHED / name).read_bytes()))
    return out


def _cut(rng: random.Random, data: bytes) -> bytes:
    return data[:rng.randrange(len(data) + 1)]


def _splice(rng: random.Random, data: bytes) -> bytes:
    a, b = sorted(rng.randrange(len(data) + 1) for _ in range(2))
    return data[:a] + data[b:] if rng.random() < 0.5 else data[:b] + data[a:b] + data[b:]


def _flip(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _salt(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice(TOKENS) * rng.choice((1, 1, 1, 3, 50)) + data[at:]


def _nest(rng: random.Random, data: bytes) -> bytes:
    depth = rng.choice((33, 100, 1000, 20000))
    at = rng.randrange(len(data) + 1)
    opener, closer = rng.choice(((b"[", b"]"), (b"{\"a\":", b"}"), (b"- ", b""), (b"<div>", b"</div>")))
    return data[:at] + opener * depth + b"1" + closer * depth + data[at:]


def _grow(rng: random.Random, data: bytes) -> bytes:
    """Oversized: a slice repeated up to about a megabyte, or far past a limit for the reader to refuse."""
    a = rng.randrange(len(data) + 1)
    piece = data[a:a + rng.randint(1, 2000)] or b"9"
    times = (rng.choice((2**20, 9 * 2**20)) // len(piece)) + 1
    return data[:a] + piece * times + data[a:]


def _digits(rng: random.Random, data: bytes) -> bytes:
    """A number made long: a count of 16, 40, 4,301 or 6,000 digits where the input had a digit."""
    spots = [i for i, c in enumerate(data) if 48 <= c <= 57]
    if not spots:
        return data
    at = rng.choice(spots)
    return data[:at] + b"7" * rng.choice((16, 40, 4301, 6000)) + data[at:]


def _encode(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    return text.encode(rng.choice(ENCODINGS), "replace")


MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "cut": _cut, "splice": _splice, "flip": _flip, "salt": _salt, "nest": _nest, "grow": _grow, "digits": _digits,
    "encode": _encode,
}
#: how often each is drawn (growing is the costliest: rarer)
WEIGHTS = {"cut": 3, "splice": 3, "flip": 3, "salt": 6, "nest": 2, "grow": 1, "digits": 2, "encode": 2}


def _case(rng: random.Random, seeds: list[tuple[str, bytes]]) -> tuple[str, bytes, list[str]]:
    ext, data = rng.choice(seeds)
    names = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()), k=rng.choice((1, 1, 2, 3)))
    for name in names:
        data = MUTATIONS[name](rng, data)
    # the name it comes under: its own extension, none (standard input: sniffed), or another one
    source = rng.choice((f"fuzz{ext}", f"fuzz{ext}", "<stdin>", f"fuzz{rng.choice(list(READ_BACK.values()))}"))
    return source, data, names


def _check_report(report: gd.Report, source: str) -> list[str]:
    problems = []
    try:
        gd.validate(report)
    except Exception as exc:  # noqa: BLE001 - the test reports any exception as a failure
        problems.append(f"validate raised {type(exc).__name__}: {str(exc)[:200]}")
    for fmt, ext in READ_BACK.items():
        try:
            back = gd.loads(gd.render(report, fmt), source=f"back{ext}")
        except Exception as exc:  # noqa: BLE001
            problems.append(f"{fmt} does not read back: {type(exc).__name__}: {str(exc)[:200]}")
            continue
        if back != report:
            problems.append(f"{fmt} reads back different")
    return problems


def _read(source: str, data: bytes) -> tuple[str, gd.Report | None]:
    try:
        return "", gd.reads(data, source=source).report
    except LoadError as exc:
        if not exc.findings:
            return "a LoadError without findings", None
        return "", None
    except Exception as exc:  # noqa: BLE001 - anything else is what the test looks for
        return f"{type(exc).__name__}: {str(exc)[:300]}", None


def test_readers_and_the_parser_on_hostile_inputs(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    seeds = _seeds()
    failures: list[str] = []
    loaded = 0
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    slowest = 0.0
    for index in range(CASES):
        source, data, names = _case(rng, seeds)
        started = time.monotonic()
        problem, report = _read(source, data)
        elapsed = time.monotonic() - started
        slowest = max(slowest, elapsed)
        where = f"seed {SEED} case {index} ({'+'.join(names)}, {source}, {len(data):,} bytes)"
        if problem:
            failures.append(f"{where}: {problem}")
        if elapsed > CASE_SECONDS:
            failures.append(f"{where}: took {elapsed:.0f} s")
        if report is not None:
            loaded += 1
            failures += [f"{where}: {p}" for p in _check_report(report, source)]
        if failures and len(failures) <= 3 and problem:
            (tmp_path / f"case-{index}{Path(source).suffix}").write_bytes(data)  # for a look by hand
    growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    print(f"fuzz: {CASES} cases (seed {SEED}), {loaded} read as reports, slowest {slowest:.2f} s, "
          f"peak memory grew {growth_mb:.0f} MB")
    assert not failures, "\n".join(failures[:10])
    assert growth_mb < PEAK_GROWTH_MB
    assert loaded > 0  # some mutations keep a report: the round trip is exercised


def test_the_cli_on_hostile_inputs(tmp_path: Path) -> None:
    """Exit 0, 1 or 2 and never a traceback, for each command that reads."""
    rng = random.Random(SEED + 1)
    seeds = _seeds()
    runner = CliRunner()
    count = max(12, CASES // 25)
    for index in range(count):
        source, data, names = _case(rng, seeds)
        path = tmp_path / f"in-{index}{Path(source).suffix or '.txt'}"
        path.write_bytes(data)
        for args in (["validate", str(path)], ["render", str(path), "--to", "csv", "-o", str(tmp_path / "o.csv")],
                     ["parse", str(path), "-o", str(tmp_path / "o.json")]):
            result = runner.invoke(cli, args, catch_exceptions=True)
            where = f"seed {SEED + 1} case {index} ({'+'.join(names)}): {' '.join(args[:1])}"
            assert result.exception is None or isinstance(result.exception, SystemExit), \
                f"{where}: {type(result.exception).__name__}: {result.exception}"
            assert result.exit_code in (0, 1, 2), where
    # and as a shell runs it: the real process, standard input included
    source, data, _ = _case(rng, seeds)
    for args in (["validate", "-"], ["parse", "-"]):
        done = subprocess.run([sys.executable, "-m", "govdisclosure", *args], input=data, capture_output=True,
                              timeout=300, cwd=ROOT, env={**os.environ, "GOVDISCLOSURE_PLUGINS": "core"})
        assert done.returncode in (0, 1, 2) and b"Traceback" not in done.stderr, done.stderr[-2000:]


@pytest.mark.parametrize("name", ["huaian-city-gov-2024.pdf"])
def test_the_pdf_reader_on_cut_and_flipped_pdfs(name: str) -> None:
    pytest.importorskip("pdfplumber")
    data = (ROOT / "tests" / "data" / "corpus" / "pdf" / name).read_bytes()
    rng = random.Random(SEED + 2)
    for index in range(max(6, CASES // 50)):
        mutated = rng.choice((_cut, _flip, _splice))(rng, data)
        problem, _ = _read("fuzz.pdf", mutated)
        assert not problem, f"seed {SEED + 2} case {index}: {problem}"
