"""Scraped tables with typos: the corpus's reports with digits of their tables changed at random (10%, 30% or 50%
of them, a digit or a space in their place), parsed one by one under a time limit; prints the slowest.

    python bench/scan_typos.py [--seeds 25] [--limit 30]

Found this way (2026-11-30, after a review): the joint digit-split search spent one unit of the work budget per
step whatever it tried in the step, so a typo'd 8 KB table could take minutes (commit 2729bf2: 6 of 300 inputs
over 15 s; now the slowest takes 0.2 s).  Nothing is asserted: tests/test_hardening.py holds the case found.
"""

from __future__ import annotations

import argparse
import random
import signal
import time
from pathlib import Path
from typing import Any

import govdisclosure as gd

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "corpus" / "reports"


class Slow(Exception):
    pass


def _alarm(*_: Any) -> None:
    raise Slow


def typod(text: str, seed: int) -> str:
    """``text`` with digits after its part 3 heading changed at random (the same for the same seed)."""
    rnd = random.Random(seed)
    share = rnd.choice([0.1, 0.3, 0.5])
    at = max(0, text.find("三、"))
    return text[:at] + "".join(rnd.choice("0123456789 ") if c.isdigit() and rnd.random() < share else c
                               for c in text[at:])


def seconds(text: str, limit: float) -> float:
    signal.setitimer(signal.ITIMER_REAL, limit)
    start = time.process_time()
    try:
        gd.parse(text)
    except (gd.LoadError, Slow):
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=25, help="typo'd copies of each report")
    parser.add_argument("--limit", type=float, default=30.0, help="seconds an input may take")
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, _alarm)
    timed = []
    for path in sorted(CORPUS.glob("0*.txt"))[:12]:
        text = path.read_text(encoding="utf-8")
        timed += [(seconds(typod(text, seed), args.limit), path.name, seed) for seed in range(args.seeds)]
    timed.sort(reverse=True)
    print(f"{len(timed)} inputs; at the limit: {sum(t >= args.limit * 0.99 for t, _, _ in timed)}; slowest:")
    for took, name, seed in timed[:8]:
        print(f"  {took:6.2f} s  {name} seed {seed}")


if __name__ == "__main__":
    main()
