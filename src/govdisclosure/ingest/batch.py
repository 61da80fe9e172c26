"""Many published reports parsed at once, in worker processes when asked (``govdisclosure parse --jobs``).

Results come back in the order of the inputs, each a :class:`~govdisclosure.io.LoadResult` or the
:class:`~govdisclosure.errors.LoadError` that input raised (one bad input never stops the others).
The caller says how to get the registry (``registry``: a function each worker calls, e.g.
``Registry.default``: a registry itself does not cross processes); what comes back pickles.
``then`` (a module-level function or a ``functools.partial`` of one, so that it pickles; one that raises
stops the batch, as a bug of the caller's would) is applied to each result in the worker, or one ``then``
per input: ``parse --jobs`` has each canonical JSON written to its file there and gets back only the lines
to print, so that the parent, which shares the cores with the workers, has next to nothing to do.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

from .._collector import for_many
from ..errors import LoadError
from ..io import LoadResult
from ..registry import Registry
from . import _pipeline
from .decode import KINDS

if TYPE_CHECKING:
    import concurrent.futures

    from ..model import Report

__all__ = ["KINDS", "parse_many"]

#: inputs parsed together (stage by stage), and a worker's share at a time: fewer round trips, each stage's code
#: kept in the caches; small enough to keep every worker busy
CHUNK = 16


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
    except LoadError as exc:  # given as data (standard input), it is named as the user named it ('-')
        return exc if exc.file is not None and data is None else exc.with_file(path)
    return then(result)


def _chunk(paths: Sequence[str], from_: str, previous: Report | None, registry: RegistryFactory,
           then: Sequence[Callable[[LoadResult], T]]) -> list[T | LoadError]:
    """:func:`_one` of each input (a worker's share of a batch), by :func:`_in_order`."""
    return [result for _, result in _in_order(paths, from_, previous, registry, then, None)]


def _in_order(paths: Sequence[str], from_: str, previous: Report | None, registry: RegistryFactory,
              then: Sequence[Callable[[LoadResult], T]], stdin: bytes | None
              ) -> Iterator[tuple[str, T | LoadError]]:
    """:func:`_one` of each input, in order, each yielded when done: small published texts and pages that follow
    each other go through the parser's stages together (:func:`.parse_each`: less time a report), at most
    :data:`CHUNK` of them and :data:`TOGETHER_BYTES` in all; a PDF, a large file, a plugin loader's input and
    standard input one at a time (a slow input's result is not held back by others, nor many large ones held)."""
    from ..api import _other_loader
    from . import parse_each

    reg = registry()
    group: list[int] = []
    size = 0

    def flush() -> Iterator[tuple[str, T | LoadError]]:
        if not group:
            return
        results = parse_each([Path(paths[i]) for i in group], from_=from_, previous=previous, registry=reg)
        for i, result in zip(group, results, strict=True):
            if isinstance(result, LoadError):
                yield paths[i], result if result.file is not None else result.with_file(paths[i])
            else:
                yield paths[i], then[i](result)
        group.clear()

    for i, path in enumerate(paths):
        bytes_ = _together(path, from_, reg, _other_loader)
        if bytes_ is not None and group and (len(group) >= CHUNK or size + bytes_ > TOGETHER_BYTES):
            yield from flush()
        if bytes_ is None:
            yield from flush()
            yield path, _one(path, from_, previous, registry, then[i], stdin if path == "-" else None)
            continue
        if not group:
            size = 0
        group.append(i)
        size += bytes_
    yield from flush()


#: what the inputs parsed together may hold in all (their bytes; the states made of them are a few times that)
TOGETHER_BYTES = 8 << 20
#: an input larger than this is parsed on its own (stage by stage over many gains nothing on it)
ALONE_BYTES = 1 << 20


def _together(path: str, from_: str, reg: Registry, other: Callable[[Path, str, Registry], str | None]
              ) -> int | None:
    """The size of ``path`` if the parser reads it through its stages quickly enough to run them over it with
    others (a published text or page, not large), else None (standard input, a PDF, another loader's input, a
    file that cannot be read: :func:`_one` says what is wrong with it)."""
    if path == "-" or from_ == "pdf" or (from_ == "auto" and path.lower().endswith(".pdf")):
        return None
    try:
        if other(Path(path), from_, reg) is not None:
            return None
        size = os.stat(path).st_size
    except (LoadError, OSError, ValueError):
        return None
    return size if size <= ALONE_BYTES else None


def _started() -> None:
    """A worker's start: the collector set for many reports (:func:`.for_many`: what the worker inherited is
    left out of its passes, ~10% fewer page faults in a batch).  Ctrl-C is the parent's to handle (it stops the
    batch: the inputs not begun are not parsed), not each worker's, which would print its own traceback."""
    for_many()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@overload
def parse_many(paths: Sequence[str], *, registry: RegistryFactory, from_: str = ..., previous: Report | None = ...,
               jobs: int = ..., stdin: bytes | None = ...) -> Iterator[tuple[str, LoadResult | LoadError]]: ...


@overload
def parse_many(paths: Sequence[str], *, registry: RegistryFactory, from_: str = ..., previous: Report | None = ...,
               jobs: int = ..., stdin: bytes | None = ...,
               then: Callable[[LoadResult], T] | Sequence[Callable[[LoadResult], T]]
               ) -> Iterator[tuple[str, T | LoadError]]: ...


def parse_many(paths: Sequence[str], *, registry: RegistryFactory, from_: str = "auto",
               previous: Report | None = None, jobs: int = 1, stdin: bytes | None = None,
               then: Callable[[LoadResult], Any] | Sequence[Callable[[LoadResult], Any]] = _same
               ) -> Iterator[tuple[str, Any]]:
    """Each input's result (``then`` of it, or ``then[i]`` of the i-th input's), in the order of ``paths``;
    ``-`` reads ``stdin`` (parsed here, never in a worker)."""
    each = [then] * len(paths) if callable(then) else list(then)
    if len(each) != len(paths):
        raise ValueError(f"then: {len(each)} functions for {len(paths)} inputs")
    files = [(i, p) for i, p in enumerate(paths) if p != "-"]
    jobs = max(1, min(jobs, os.cpu_count() or 1, len(files)))
    if jobs == 1:
        yield from _in_order(paths, from_, previous, registry, each, stdin)
        return
    import concurrent.futures  # a batch's only: one input's parse starts without it (nor multiprocessing)
    import multiprocessing

    if multiprocessing.get_start_method() == "fork":  # the workers inherit what the parent imported
        _pipeline()  # the stages imported (their patterns compiled) once, not in every worker
    pool = concurrent.futures.ProcessPoolExecutor(max_workers=jobs, initializer=_started)
    try:
        where: dict[int, tuple[concurrent.futures.Future[list[Any]], int]] = {}
        for start in range(0, len(files), CHUNK):
            chunk = files[start:start + CHUNK]
            future = pool.submit(_chunk, [p for _, p in chunk], from_, previous, registry, [each[i] for i, _ in chunk])
            where.update({i: (future, k) for k, (i, _) in enumerate(chunk)})
        for i, path in enumerate(paths):
            if path == "-":
                yield path, _one(path, from_, previous, registry, each[i], stdin)
            else:
                future, k = where[i]
                yield path, future.result()[k]
    finally:  # stopped early (an error, a reader that stopped): the inputs not yet begun are not parsed
        pool.shutdown(wait=True, cancel_futures=True)
