"""The cyclic garbage collector's settings in a process that parses or examines many reports: the command line's
process and a batch's workers (``parse --jobs``, the audit), never a library caller's process."""

from __future__ import annotations

import gc

#: a collection of the youngest generation after this many more container objects made than freed (Python's
#: default: 700).  A report's parse makes tens of thousands of short-lived tuples and lists: at 700 the collector
#: ran about five times a report and took ~6% of a worker's time (perf, compiled build), at 20,000 under 1%;
#: a parse makes next to no reference cycles, so the memory stays as it was (max RSS +0.5 MB over 2,000 reports)
THRESHOLD = 20_000


def for_many() -> None:
    """What was made so far (the imported modules, the registry: lasting objects) left out of the collector's
    passes, each of which would walk it all again (and, in a forked worker, write to each object and so copy
    the parent's pages); the youngest generation collected less often (:data:`THRESHOLD`)."""
    gc.freeze()
    gc.set_threshold(THRESHOLD, *gc.get_threshold()[1:])
