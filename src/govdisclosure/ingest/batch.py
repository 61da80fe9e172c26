"""Many published reports parsed at once, in worker processes when asked (``govdisclosure parse --jobs``).

Results come back in the order of the inputs, each a :class:`~govdisclosure.io.LoadResult` or the
:class:`~govdisclosure.errors.LoadError` that input raised (one bad input never stops the others).
The caller says how to get the registry (``registry``: a function each worker calls, e.g.
``Registry.default``: a registry itself does not cross processes); what comes back pickles.
``then`` (a module-level function, so that it pickles; one that raises stops the batch, as a bug of the
caller's would) is applied to each result in the worker:
``parse --jobs`` has the canonical JSON written there, which costs the parent less to receive than
the report's objects, so the parent is never the bottleneck.
"""

from __future__ import annotations

import concurrent.futures
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

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
T = TypeVar("T")


def _same(result: LoadResult) -> LoadResult:
    return result


def _one(path: str, from_: str, previous: Report | None, registry: RegistryFactory, then: Callable[[LoadResult], T],
         data: bytes | None = None) -> T | LoadError:
    from ..api import parse  # the library's: a file of a plugin loader's extension (.docx, .xlsx) goes to it

    try:
        if data is None:  # read through io.source.read_source: a missing or unreadable file is one line
            result = parse(Path(path), from_=from_, previous=previous, registry=registry())
        else:
            result = parse(data, from_=from_, previous=previous, registry=registry())
    except LoadError as exc:
        return exc if exc.file is not None else exc.with_file(path)
    return then(result)


def _chunk(paths: Sequence[str], from_: str, previous: Report | None, registry: RegistryFactory,
           then: Callable[[LoadResult], T]) -> list[T | LoadError]:
    return [_one(p, from_, previous, registry, then) for p in paths]


@overload
def parse_many(paths: Sequence[str], *, registry: RegistryFactory, from_: str = ..., previous: Report | None = ...,
               jobs: int = ..., stdin: bytes | None = ...) -> Iterator[tuple[str, LoadResult | LoadError]]: ...


@overload
def parse_many(paths: Sequence[str], *, registry: RegistryFactory, from_: str = ..., previous: Report | None = ...,
               jobs: int = ..., stdin: bytes | None = ..., then: Callable[[LoadResult], T]
               ) -> Iterator[tuple[str, T | LoadError]]: ...


def parse_many(paths: Sequence[str], *, registry: RegistryFactory, from_: str = "auto",
               previous: Report | None = None, jobs: int = 1, stdin: bytes | None = None,
               then: Callable[[LoadResult], Any] = _same) -> Iterator[tuple[str, Any]]:
    """Each input's result (``then`` of it), in the order of ``paths``; ``-`` reads ``stdin`` (parsed here,
    never in a worker)."""
    files = [(i, p) for i, p in enumerate(paths) if p != "-"]
    jobs = max(1, min(jobs, os.cpu_count() or 1, len(files)))
    if jobs == 1:
        for path in paths:
            yield path, _one(path, from_, previous, registry, then, stdin if path == "-" else None)
        return
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        where: dict[int, tuple[concurrent.futures.Future[list[Any]], int]] = {}
        for start in range(0, len(files), CHUNK):
            chunk = files[start:start + CHUNK]
            future = pool.submit(_chunk, [p for _, p in chunk], from_, previous, registry, then)
            where.update({i: (future, k) for k, (i, _) in enumerate(chunk)})
        for i, path in enumerate(paths):
            if path == "-":
                yield path, _one(path, from_, previous, registry, then, stdin)
            else:
                future, k = where[i]
                yield path, future.result()[k]
