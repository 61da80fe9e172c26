"""Hostile inputs the parser's patterns might meet: every word the parser looks for (from the published
wording in ``formats/published.py`` and the forms' labels), alone and with numbers or separators after it,
repeated densely inside a report's overview and after its end.  Prints each input where four times the
repetitions cost more than ten times the time (a quadratic search), or over 20 s.

    python bench/scan_dense.py [REPORT.txt]

Found this way (2026-11-30): a frame-line pattern cubic in runs of blank lines, a clause search quadratic
in a long text without separators.  Nothing is asserted: the hardening tests hold the cases found.
"""

from __future__ import annotations

import re
import signal
import sys
import time
from pathlib import Path
from typing import Any

import govdisclosure as gd
from govdisclosure.formats import published

REPORT = Path(__file__).resolve().parent.parent / "tests" / "data" / "corpus" / "reports" / "013-pingtan-2024-zfxxgknb.txt"
LIMIT = 20.0


class Slow(Exception):
    pass


def _alarm(*_: Any) -> None:
    raise Slow


def words() -> list[str]:
    found: set[str] = set()

    def collect(x: Any) -> None:
        if isinstance(x, str) and 1 < len(x) < 30 and not re.search(r"[\\()\[\]|?*+{}^$]", x):
            found.add(x)
        elif isinstance(x, dict):
            for k, v in x.items():
                collect(k)
                collect(v)
        elif isinstance(x, (list, tuple, set, frozenset)):
            for v in x:
                collect(v)

    for value in vars(published).values():
        collect(value)
    registry = gd.Registry.default()
    for version in ("2019", "2021"):
        for table in registry.format(version).tables:
            for row in getattr(table, "rows", ()):
                collect(getattr(getattr(row, "label", None), "zh", None))
    found |= {"一、总体情况", "六、其他需要报告的事项", "2021年度", "2021年1月1日至12月31日", "|1|2|3", "1 2 3 ",
              "（一）", "1.", "注：", "上一篇：", "发布日期：2022-01-01"}
    return sorted({v for w in found for v in (w, w + "1件", w + " 1 2 3\n", "\n" + w + "\n", w + "。")})


def seconds(text: str) -> float:
    signal.setitimer(signal.ITIMER_REAL, LIMIT)
    start = time.process_time()
    try:
        gd.validate(gd.parse(text))
    except gd.LoadError:
        pass
    except Slow:
        return LIMIT
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return time.process_time() - start


def main() -> None:
    text = Path(sys.argv[1] if len(sys.argv) > 1 else REPORT).read_text(encoding="utf-8")
    at = text.index("一、总体情况") + len("一、总体情况") if "一、总体情况" in text else 0
    signal.signal(signal.SIGALRM, _alarm)
    seconds(text)
    scanned = words()
    flagged = 0
    for word in scanned:
        for where in ("inside", "after"):
            n = max(1, 12_000 // len(word))

            def make(k: int, word: str = word, where: str = where) -> str:
                return text[:at] + word * k + text[at:] if where == "inside" else text + "\n" + word * k

            small, big = seconds(make(n)), seconds(make(4 * n))
            if big >= LIMIT or (big > 10 * small and big > 0.3):
                flagged += 1
                print(f"superlinear: {word!r} {where} the report: {small:.2f} s, 4x: {big:.2f} s", flush=True)
    print(f"{len(scanned)} words, {flagged} flagged")


if __name__ == "__main__":
    main()
