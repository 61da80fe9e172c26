"""The audit on Dask: the same pure :func:`~govdisclosure.audit.examine.examine` mapped over a bag,
the results streamed back partition by partition and written to the same store by the same code.

Needs ``pip install 'govdisclosure[dask]'`` (``distributed`` too for a scheduler address).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from .examine import Outcome
from .pool import run_inline

__all__ = ["dask_executor", "examine_partition"]

T = TypeVar("T")


def examine_partition(paths: list[bytes], limit: float | None = None) -> list[Outcome]:
    """One bag partition: each input examined under the time limit (a pure function of the files)."""
    return [outcome for _, outcome in run_inline(((None, p) for p in paths), limit)]


def dask_executor(scheduler: str, *, limit: float | None = None, partition: int = 256, window: int = 8) -> Any:
    """An ``executor`` for :func:`~govdisclosure.audit.run.audit` that runs on Dask.

    ``scheduler`` is one of Dask's local schedulers (``processes``, ``threads``, ``synchronous``) or the
    address of a ``distributed`` scheduler.  Inputs are sent in partitions of ``partition`` paths, at
    most ``window`` partitions in flight, so memory stays flat.
    """
    import dask
    import dask.bag as db

    def run(items: Iterable[tuple[T, bytes]]) -> Iterator[tuple[T, Outcome]]:
        client = None
        if scheduler not in ("processes", "threads", "synchronous", "sync", "single-threaded"):
            from distributed import Client

            client = Client(scheduler)
        try:
            it = iter(items)
            while True:
                block: list[tuple[T, bytes]] = []
                for item in it:
                    block.append(item)
                    if len(block) >= partition * window:
                        break
                if not block:
                    return
                bag = db.from_sequence([p for _, p in block], partition_size=partition)  # type: ignore[no-untyped-call]
                with dask.config.set(scheduler=client or scheduler):
                    outcomes = bag.map_partitions(examine_partition, limit).compute()
                yield from zip((k for k, _ in block), outcomes, strict=True)
        finally:
            if client is not None:
                client.close()

    return run
