"""The extraction pool's workers live only while some extraction uses them (they are not left idle beside the
loader), and a block holding the pool keeps one set of workers for all its maps."""

from __future__ import annotations

import os

from etl import parallel


def _pid(_: int) -> int:
    return os.getpid()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_workers_exit_when_the_last_map_ends():
    pids = set(parallel.ordered_map(_pid, range(8), 2))
    assert pids and os.getpid() not in pids  # the work ran in worker processes
    assert 2 not in parallel._pools
    assert not any(_alive(pid) for pid in pids)  # shutdown waited for them: none left idle


def test_a_held_pool_serves_every_map_of_the_block_then_exits():
    with parallel.pool_in_use(2) as pool:
        first = set(parallel.ordered_map(_pid, range(8), 2))
        second = set(parallel.ordered_map(_pid, range(8), 2))
        assert parallel._pools[2] is pool
        assert first | second <= set(pool._processes)  # the same workers, not a fresh pool per map
    assert 2 not in parallel._pools
    assert not any(_alive(pid) for pid in first | second)


def _forkserver_pid() -> int | None:
    from multiprocessing import forkserver

    return forkserver._forkserver._forkserver_pid


def test_the_forkserver_stops_with_the_last_pool_and_the_next_map_starts_a_new_one():
    with parallel.pool_in_use(2):
        pids = set(parallel.ordered_map(_ppid_and_pid, range(8), 2))
        server = _forkserver_pid()
        assert server is not None and _alive(server)
        assert {ppid for ppid, _ in pids} == {server}  # the workers were forked by it
    assert _forkserver_pid() is None and not _alive(server)  # ~75 MB not left beside the loader
    again = set(parallel.ordered_map(_pid, range(4), 2))
    assert again and os.getpid() not in again
    assert _forkserver_pid() is None


def _ppid_and_pid(_: int) -> tuple[int, int]:
    return os.getppid(), os.getpid()
