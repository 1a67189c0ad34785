"""A process pool for CPU-bound stages (extraction): chunks in, results out in the order they went in.

Extraction is pure Python + lxml and holds the GIL, so threads do not help; processes do.  ``ordered_map``
sends chunks of work to a shared ``ProcessPoolExecutor`` and yields the results in submission order while at
most ``max_pending`` chunks are in flight, so memory stays bounded however large the batch is.

Workers are started by a *forkserver* (not plain fork): the pipeline runs portals in threads (Prefect, the
CLI) and forking a multi-threaded process can deadlock on a lock held by another thread.  The forkserver
imports the extraction stack once and forks each worker from that clean process, so starting a worker is
cheap.  The pool is created on first use and shared by every batch (and thread) of the process; its workers
live only while some extraction uses it (``pool_in_use``): when the last one ends the pool is shut down, so
idle workers (~100-150 MB each) do not sit beside the loader.  The forkserver itself (~75 MB: the extraction
stack, imported) is stopped with them, for the same reason: the next batch starts a new one, which costs about
0.3 s of importing.  ``workers=1`` (or ``PORTAL_ETL_WORKERS=1``) runs everything in the calling process.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

WORKERS_ENV = "PORTAL_ETL_WORKERS"
PRELOAD = ["etl.transform"]  # imported once by the forkserver, inherited by every worker

_lock = threading.Lock()
_pools: dict[int, ProcessPoolExecutor] = {}
_users: dict[int, int] = {}  # workers -> how many ``pool_in_use`` blocks hold that pool


def cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def default_workers(requested: int | None = None) -> int:
    """``requested`` when given, else ``$PORTAL_ETL_WORKERS``, else the CPUs this process may use."""
    if requested is not None:
        return max(1, int(requested))
    env = os.environ.get(WORKERS_ENV, "").strip()
    if env:
        try:
            return max(1, int(env))
        except ValueError:
            log.warning("ignoring %s=%r (not a number)", WORKERS_ENV, env)
    return cpu_count()


def shared_pool(workers: int) -> ProcessPoolExecutor:
    """The process's pool of ``workers`` processes (created on first use)."""
    with _lock:
        pool = _pools.get(workers)
        if pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
            _pools[workers] = pool
        return pool


@contextmanager
def pool_in_use(workers: int) -> Iterator[ProcessPoolExecutor]:
    """The shared pool of ``workers`` processes, kept alive for the block; when the last block using it ends,
    the pool is shut down (its workers exit)."""
    with _lock:
        _users[workers] = _users.get(workers, 0) + 1
    try:
        yield shared_pool(workers)
    finally:
        with _lock:
            _users[workers] -= 1
            pool = _pools.pop(workers, None) if not _users[workers] else None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
            stop_forkserver()


def stop_forkserver() -> bool:
    """Stop the process's forkserver when no pool is left (the next pool starts a new one).  It relies on
    ``ForkServer._stop`` (private to ``multiprocessing``, there since Python 3.8): False, and the forkserver
    left running, where it is missing or fails."""
    from multiprocessing import forkserver

    with _lock:
        if _pools:
            return False
        try:
            forkserver._forkserver._stop()  # type: ignore[attr-defined]
        except (AttributeError, OSError) as exc:
            log.debug("forkserver left running: %s", exc)
            return False
    return True


def discard_pool(workers: int) -> None:
    """Forget a pool (after a worker died: ``BrokenProcessPool``); the next call starts a fresh one."""
    with _lock:
        pool = _pools.pop(workers, None)
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


@atexit.register
def shutdown_pools() -> None:
    with _lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.shutdown(wait=True, cancel_futures=True)


def ordered_map(
    fn: Callable[[T], R], items: Iterable[T], workers: int, *, max_pending: int | None = None
) -> Iterator[R]:
    """``map(fn, items)`` over ``workers`` processes, results in input order, ``max_pending`` chunks in flight.

    ``fn`` must be a module-level function and items/results picklable.  With ``workers <= 1`` it is the
    plain built-in ``map`` (no processes)."""
    if workers <= 1:
        yield from map(fn, items)
        return
    limit = max_pending or workers * 3
    pending: deque[Future[R]] = deque()
    with pool_in_use(workers) as pool:
        try:
            for item in items:
                pending.append(pool.submit(fn, item))
                if len(pending) >= limit:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:  # the consumer stopped early (error, generator closed)
                future.cancel()
