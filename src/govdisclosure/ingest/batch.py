"""Many published reports parsed at once, in worker processes when asked (``govdisclosure parse --jobs``).

Results come back in the order of the inputs, each a :class:`~govdisclosure.io.LoadResult` or the
:class:`~govdisclosure.errors.LoadError` that input raised (one bad input never stops the others).
The caller says how to get the registry (``registry``: a function each worker calls, e.g.
``Registry.default``: a registry itself does not cross processes); what comes back pickles.
"""

from __future__ import annotations

import concurrent.futures
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LoadError
from ..io import LoadResult
from ..registry import Registry
from .decode import KINDS

if TYPE_CHECKING:
    from ..model import Report

__all__ = ["KINDS", "parse_many"]

#: inputs a worker takes at a time (fewer round trips; small enough to keep every worker busy)
CHUNK = 8


RegistryFactory = Callable[[], Registry]


def _one(path: str, from_: str, previous: Report | None, registry: RegistryFactory, data: bytes | None = None
         ) -> LoadResult | LoadError:
    from ..api import parse  # the library's: a file of a plugin loader's extension (.docx, .xlsx) goes to it

    try:
        if data is None:  # read through io.source.read_source: a missing or unreadable file is one line
            return parse(Path(path), from_=from_, previous=previous, registry=registry())
        return parse(data, from_=from_, previous=previous, registry=registry())
    except LoadError as exc:
        return exc if exc.file is not None else exc.with_file(path)


def _chunk(paths: Sequence[str], from_: str, previous: Report | None, registry: RegistryFactory
           ) -> list[LoadResult | LoadError]:
    return [_one(p, from_, previous, registry) for p in paths]


def parse_many(paths: Sequence[str], *, registry: RegistryFactory, from_: str = "auto",
               previous: Report | None = None, jobs: int = 1, stdin: bytes | None = None
               ) -> Iterator[tuple[str, LoadResult | LoadError]]:
    """Each input's result, in the order of ``paths``; ``-`` reads ``stdin`` (parsed here, never in a worker)."""
    files = [(i, p) for i, p in enumerate(paths) if p != "-"]
    jobs = max(1, min(jobs, os.cpu_count() or 1, len(files)))
    if jobs == 1:
        for path in paths:
            yield path, _one(path, from_, previous, registry, stdin if path == "-" else None)
        return
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        where: dict[int, tuple[concurrent.futures.Future[list[LoadResult | LoadError]], int]] = {}
        for start in range(0, len(files), CHUNK):
            chunk = files[start:start + CHUNK]
            future = pool.submit(_chunk, [p for _, p in chunk], from_, previous, registry)
            where.update({i: (future, k) for k, (i, _) in enumerate(chunk)})
        for i, path in enumerate(paths):
            if path == "-":
                yield path, _one(path, from_, previous, registry, stdin)
            else:
                future, k = where[i]
                yield path, future.result()[k]
