"""Worker processes that examine inputs, each input under a time limit.

The standard library's pools cannot stop one task that hangs; here every worker records which input it
is on and since when, so the parent can end a worker stuck past the limit (a loader looping in C,
where the worker's own alarm cannot reach), record that input as failed and start a fresh worker.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import mmap
import multiprocessing as mp
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import ForkingPickler
from typing import Any, TypeVar

from .._collector import for_many
from ..findings import path_text
from .examine import Failed, examine
from .rules import TIMEOUT, make

__all__ = ["Timeout", "run_examine", "run_inline"]

T = TypeVar("T")
#: seconds a worker gets past the limit to stop itself before the parent ends it
GRACE = 2.0
#: inputs a worker is handed at a time
CHUNK = 32


class Timeout(BaseException):
    """Raised in a worker by its alarm (a BaseException, so that no loader's ``except Exception`` eats it)."""


def _timed_out(path: bytes, limit: float) -> Failed:
    f = make(TIMEOUT, seconds=f"{limit:g}")
    return Failed(path_text(path), None, None, TIMEOUT.code, f.message.zh, f.message.en, limit)


def _alarm(_signum: int, _frame: Any) -> None:
    raise Timeout


def _failed(path: bytes, code: str, limit: float) -> Failed:
    if code == TIMEOUT.code:
        return _timed_out(path, limit)
    return Failed(path_text(path), None, None, "GD-AUDIT-CRASH", "读取时工作进程意外退出",
                  "the worker process died while reading this input", 0.0)


def _limited(job: Callable[[Any], Any], payload: Any, limit: float | None,
             on_failure: Callable[[Any, str, float], Any]) -> Any:
    if not limit:
        return job(payload)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        return job(payload)
    except Timeout:
        return on_failure(payload, TIMEOUT.code, limit)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


#: a worker's slot while it reads a chunk's inputs together (no one input is current)
_TOGETHER = -2


def _look_ahead(job: Any, payloads: list[Any], limit: float | None) -> None:
    """The job's look at a whole chunk before its inputs (``run.Examiner.look_ahead`` reads them together, stage by
    stage), within one input's time limit: past it, or failing, each input is read on its own, as without it."""
    look = getattr(job, "look_ahead", None)
    if look is None:
        return
    try:
        _limited(look, payloads, limit, lambda *_: None)
    except Exception:  # noqa: BLE001 - each input is then examined alone, which says what is wrong with it
        return


def _each(job: Any, payload: Any, limit: float | None, on_failure: Callable[[Any, str, float], Any]) -> Any:
    """The job on one input within its time limit, less the time it spent already in the job's look ahead (an
    input read together is not given its whole limit again: past it there, it failed)."""
    spent = getattr(job, "spent", None)
    if limit and spent is not None:
        left = limit - spent(payload)
        if left <= 0:
            return on_failure(payload, TIMEOUT.code, limit)
        return _limited(job, payload, left, lambda p, code, _left: on_failure(p, code, limit))  # (said: the limit)
    return _limited(job, payload, limit, on_failure)


def run_inline(paths: Iterable[tuple[T, Any]], limit: float | None, job: Callable[[Any], Any] = examine,
               on_failure: Callable[[Any, str, float], Any] = _failed) -> Iterator[tuple[T, Any]]:
    """Run ``job`` (default: examine) in this process (tests, ``--jobs 0``, Dask's workers).

    The limit works through SIGALRM, which only the main thread can receive: in another thread (Dask's
    ``threads`` scheduler) inputs run without a limit."""
    if threading.current_thread() is not threading.main_thread():
        limit = None
    old = signal.signal(signal.SIGALRM, _alarm) if limit else None
    finish = getattr(job, "finish", None)
    try:
        if finish is None:
            for key, path in paths:
                yield key, _limited(job, path, limit, on_failure)
            return
        it = iter(paths)
        while chunk := list(itertools.islice(it, CHUNK)):
            _look_ahead(job, [path for _, path in chunk], limit)
            done = finish([(i, _each(job, path, limit, on_failure)) for i, (_, path) in enumerate(chunk)])
            for i, result in done:
                yield chunk[i][0], result
    finally:
        if old is not None:
            signal.signal(signal.SIGALRM, old)


def _worker(conn: Connection, slot: Any, index: int, limit: float | None, job: Callable[[Any], Any],
            on_failure: Callable[[Any, str, float], Any]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if limit:
        signal.signal(signal.SIGALRM, _alarm)
    # what the worker was forked with (the imported modules, the registry) left out of the collector's passes
    for_many()
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        chunk, together = message
        if together and chunk:  # not a chunk of inputs retried after a worker was ended: each of those alone
            slot[2 * index], slot[2 * index + 1] = _TOGETHER, time.monotonic()
            _look_ahead(job, [path for _, path in chunk], limit)
        out: list[tuple[int, Any]] = []
        for seq, path in chunk:
            slot[2 * index], slot[2 * index + 1] = seq, time.monotonic()
            out.append((seq, _each(job, path, limit, on_failure)))
        slot[2 * index] = -1
        finish = getattr(job, "finish", None)
        if finish is not None:  # the job's look at the whole chunk (run.Examiner checks year pairs here)
            out = finish(out)
        send_results(conn, out)


#: the size of a chunk's results, before them (8 bytes, big-endian)
_HEAD = 8
#: results read straight into a buffer (a system with readv: all the pool's, which needs SIGALRM too); else the
#: connection's own send and recv
_RAW = hasattr(os, "readv")


def send_results(conn: Connection, obj: Any) -> None:
    """Send a chunk's results to the parent: pickled as ``conn.send`` pickles, after their size
    (:func:`receive_results` reads them)."""
    if not _RAW:
        conn.send(obj)
        return
    data = memoryview(ForkingPickler.dumps(obj))
    fd = conn.fileno()
    _write_all(fd, len(data).to_bytes(_HEAD, "big"))
    _write_all(fd, data)


def _write_all(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def receive_results(conn: Connection) -> Any:
    """What :func:`send_results` sent, read straight into one buffer: ``conn.recv`` gathers a message in a BytesIO
    from reads of a new bytes object each (a chunk's results are a megabyte: ~60K instructions a report, in the
    one process that writes the store).  EOFError when the worker is gone before a message (as ``conn.recv``)."""
    if not _RAW:
        return conn.recv()
    head = bytearray(_HEAD)
    _read_all(conn.fileno(), head, first=True)
    size = int.from_bytes(head, "big")
    if not size:
        return ForkingPickler.loads(b"")  # (never sent: what unpickling nothing says)
    # pages of the kernel's, zeroed there (a bytearray is filled with zeros first: a megabyte a chunk)
    buf = mmap.mmap(-1, size)
    try:
        _read_all(conn.fileno(), buf, first=False)
        return ForkingPickler.loads(buf)
    finally:
        buf.close()


def _read_all(fd: int, buf: bytearray | mmap.mmap, *, first: bool) -> None:
    got = 0
    with memoryview(buf) as view:
        while got < len(view):
            with view[got:] as rest:
                n = os.readv(fd, [rest])
            if n == 0:
                if first and got == 0:
                    raise EOFError
                raise OSError("got end of file during message")
            got += n


class _Worker:
    def __init__(self, ctx: Any, slot: Any, index: int, limit: float | None, job: Any, on_failure: Any) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(child, slot, index, limit, job, on_failure), daemon=True)
        self.process.start()
        child.close()
        self.chunks: collections.deque[list[tuple[int, bytes]]] = collections.deque()


def run_examine(paths: Iterable[tuple[T, Any]], *, jobs: int, limit: float | None, chunk: int = CHUNK,
                job: Callable[[Any], Any] = examine, on_failure: Callable[[Any, str, float], Any] = _failed
                ) -> Iterator[tuple[T, Any]]:
    """Run ``job`` (default: examine each path) on ``jobs`` worker processes; yields (key, result) as they
    finish.  A payload whose worker hung past the limit or died gives ``on_failure(payload, code, limit)``.

    Each worker has at most two chunks in hand, so memory stays flat however many inputs come.
    """
    pool = _Pool(paths, jobs=jobs, limit=limit, chunk=chunk, job=job, on_failure=on_failure)
    try:
        while pool.feed():
            yield from pool.collect()
    finally:
        pool.close()


class _Pool:
    """The workers, what each has in hand, and the inputs to hand out (the retried ones first)."""

    def __init__(self, paths: Iterable[tuple[Any, Any]], *, jobs: int, limit: float | None, chunk: int,
                 job: Callable[[Any], Any], on_failure: Callable[[Any, str, float], Any]) -> None:
        self.ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        self.slot = self.ctx.Array("d", [-1.0, 0.0] * jobs, lock=False)
        self.limit, self.chunk, self.job, self.on_failure = limit, chunk, job, on_failure
        self.workers = [self._start(i) for i in range(jobs)]
        self.keys: dict[int, Any] = {}
        self.source = iter(paths)
        self.retry: collections.deque[tuple[int, Any]] = collections.deque()
        self.seq = 0

    def _start(self, index: int) -> _Worker:
        return _Worker(self.ctx, self.slot, index, self.limit, self.job, self.on_failure)

    def _next_chunk(self) -> tuple[list[tuple[int, Any]], bool]:
        """The next inputs to hand out, and whether they may be read together (not when some are retried: read
        together, they could end a worker again)."""
        out = [self.retry.popleft() for _ in range(min(self.chunk, len(self.retry)))]
        together = not out
        for key, path in itertools.islice(self.source, self.chunk - len(out)):
            self.keys[self.seq] = key
            out.append((self.seq, path))
            self.seq += 1
        return out, together

    def feed(self) -> bool:
        """Top every worker up to two chunks; False when nothing is left to do."""
        for w in self.workers:
            while len(w.chunks) < 2:
                chunk, together = self._next_chunk()
                if not chunk:
                    break
                w.chunks.append(chunk)
                try:
                    w.conn.send((chunk, together))
                except (BrokenPipeError, ConnectionResetError):  # it died: collect replaces it, the chunk retried
                    break
        return any(w.chunks for w in self.workers)

    def collect(self) -> Iterator[tuple[Any, Any]]:
        """The results that are ready (waiting half a second at most), and the stuck workers replaced."""
        busy = [w for w in self.workers if w.chunks]
        ready = wait([w.conn for w in busy], timeout=0.5)
        for w in busy:
            results = None
            if w.conn in ready:
                # a worker that died: handled below (killed with chunks it had not read yet, by the OOM killer or a
                # loader's crash, its socket reads as reset, not as end of file)
                with contextlib.suppress(EOFError, ConnectionResetError):
                    results = receive_results(w.conn)
            if results is not None:
                w.chunks.popleft()
                for s, outcome in results:
                    yield self.keys.pop(s), outcome
            else:
                yield from self._replace_if_stuck(self.workers.index(w))

    def _replace_if_stuck(self, i: int) -> Iterator[tuple[Any, Any]]:
        """A worker that died or hangs past the limit is ended and replaced; the input it was on fails,
        the rest of its chunks go back to be handed out again."""
        w = self.workers[i]
        current, since = int(self.slot[2 * i]), self.slot[2 * i + 1]
        dead = not w.process.is_alive()
        busy = current >= 0 or current == _TOGETHER  # (reading a chunk together: no input blamed, all retried)
        hung = self.limit is not None and busy and time.monotonic() - since > self.limit + GRACE
        if not (dead or hung):
            return
        w.process.kill()
        w.process.join()
        for s, path in (item for c in w.chunks for item in c):
            if s == current:
                code = TIMEOUT.code if hung else "GD-AUDIT-CRASH"
                yield self.keys.pop(s), self.on_failure(path, code, self.limit or 0.0)
            else:
                self.retry.append((s, path))
        self.slot[2 * i] = -1
        self.workers[i] = self._start(i)

    def close(self) -> None:
        for w in self.workers:
            with contextlib.suppress(OSError, ValueError):  # a worker already gone
                w.conn.send(None)
        for w in self.workers:
            w.process.join(timeout=1)
            if w.process.is_alive():
                w.process.kill()
                w.process.join()
