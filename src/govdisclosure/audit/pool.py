"""Worker processes that examine inputs, each input under a time limit.

The standard library's pools cannot stop one task that hangs; here every worker records which input it
is on and since when, so the parent can end a worker stuck past the limit (a loader looping in C,
where the worker's own alarm cannot reach), record that input as failed and start a fresh worker.
"""

from __future__ import annotations

import collections
import contextlib
import multiprocessing as mp
import itertools
import signal
import threading
import time
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar
from collections.abc import Callable, Iterable, Iterator

from .examine import Failed, display_path, examine
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
    return Failed(display_path(path), None, None, TIMEOUT.code, f.message.zh, f.message.en, limit)


def _alarm(_signum: int, _frame: Any) -> None:
    raise Timeout


def _failed(path: bytes, code: str, limit: float) -> Failed:
    if code == TIMEOUT.code:
        return _timed_out(path, limit)
    return Failed(display_path(path), None, None, "GD-AUDIT-CRASH", "读取时工作进程意外退出",
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
            done = finish([(i, _limited(job, path, limit, on_failure)) for i, (_, path) in enumerate(chunk)])
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
    while True:
        try:
            chunk = conn.recv()
        except EOFError:
            return
        if chunk is None:
            return
        out: list[tuple[int, Any]] = []
        for seq, path in chunk:
            slot[2 * index], slot[2 * index + 1] = seq, time.monotonic()
            out.append((seq, _limited(job, path, limit, on_failure)))
        slot[2 * index] = -1
        finish = getattr(job, "finish", None)
        if finish is not None:  # the job's look at the whole chunk (run.Examiner checks year pairs here)
            out = finish(out)
        conn.send(out)


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
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    slot = ctx.Array("d", [-1.0, 0.0] * jobs, lock=False)
    workers = [_Worker(ctx, slot, i, limit, job, on_failure) for i in range(jobs)]
    keys: dict[int, T] = {}
    source = iter(paths)
    retry: collections.deque[tuple[int, bytes]] = collections.deque()
    seq = 0
    exhausted = False

    def next_chunk() -> list[tuple[int, Any]]:
        nonlocal seq, exhausted
        out: list[tuple[int, Any]] = []
        while retry and len(out) < chunk:
            out.append(retry.popleft())
        while not exhausted and len(out) < chunk:
            try:
                key, path = next(source)
            except StopIteration:
                exhausted = True
                break
            keys[seq] = key
            out.append((seq, path))
            seq += 1
        return out

    try:
        while True:
            for w in workers:
                while len(w.chunks) < 2:
                    c = next_chunk()
                    if not c:
                        break
                    w.chunks.append(c)
                    w.conn.send(c)
            busy = [w for w in workers if w.chunks]
            if not busy:
                return
            ready = wait([w.conn for w in busy], timeout=0.5)
            for w in busy:
                if w.conn in ready:
                    try:
                        results = w.conn.recv()
                    except EOFError:
                        results = None
                    if results is not None:
                        w.chunks.popleft()
                        for s, outcome in results:
                            yield keys.pop(s), outcome
                        continue
                # a worker that died or hangs past the limit is replaced; its inputs go to the others
                i = workers.index(w)
                current, since = int(slot[2 * i]), slot[2 * i + 1]
                dead = not w.process.is_alive()
                hung = limit is not None and current >= 0 and time.monotonic() - since > limit + GRACE
                if not (dead or hung):
                    continue
                w.process.kill()
                w.process.join()
                lost = [item for c in w.chunks for item in c]
                for s, path in lost:
                    if s == current:
                        yield keys.pop(s), on_failure(path, TIMEOUT.code if hung else "GD-AUDIT-CRASH", limit or 0.0)
                    else:
                        retry.append((s, path))
                slot[2 * i] = -1
                workers[i] = _Worker(ctx, slot, i, limit, job, on_failure)
    finally:
        for w in workers:
            with contextlib.suppress(OSError, ValueError):  # a worker already gone
                w.conn.send(None)
        for w in workers:
            w.process.join(timeout=1)
            if w.process.is_alive():
                w.process.kill()
                w.process.join()
