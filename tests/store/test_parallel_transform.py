"""The extraction stage streams rows to disk and may run over a process pool: same tables either way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from etl import transform
from etl.portals.registry import Registry
from etl.records import RawPage
from etl.samples.server import SampleServer
from etl.store.staging import TABLES, new_batch, write_raw_pages


@pytest.fixture(scope="module")
def sample_pages() -> tuple[list[RawPage], Registry]:
    server = SampleServer()
    try:
        portals = server.portals()
        at = datetime(2025, 1, 1, tzinfo=UTC)
        pages = []
        for site in server.site_objects.values():
            for path in ["/", *(a.path for a in site.articles), "/no-such-page"]:
                response = site.handle(path)
                at += timedelta(seconds=1)
                pages.append(RawPage(url=site.url(path), portal=site.id, fetched_at=at, status=response.status,
                                     content_type=response.content_type, body=response.body))
    finally:
        server.close()
    return pages, Registry(portals=tuple(portals), source="sample server")


def _tables(batch) -> dict[str, list[tuple]]:
    con = duckdb.connect()
    out = {}
    for table, columns in TABLES.items():
        cols = ", ".join(c for c in columns if c != "batch_id")
        out[table] = con.execute(f"SELECT {cols} FROM read_parquet('{batch.parquet(table)}') ORDER BY ALL").fetchall()
    return out


def test_pool_and_in_process_write_the_same_deduplicated_tables(tmp_path, sample_pages, monkeypatch):
    pages, registry = sample_pages
    first = pages[1]
    changed = RawPage(**{**first.__dict__, "fetched_at": pages[-1].fetched_at + timedelta(hours=1),
                         "body": first.body.replace(b"</body>", b"<p>x</p></body>")})
    gone = RawPage(**{**pages[2].__dict__, "fetched_at": changed.fetched_at, "status": 404, "body": b""})
    raw = [*pages, changed, gone]  # a URL fetched twice: the later row wins (pages, articles, facts)
    results = {}
    for workers in (1, 2):
        batch = new_batch(tmp_path / str(workers), "sample")
        write_raw_pages(batch, raw)
        with batch.raw_path.open("a", encoding="utf-8") as handle:
            handle.write('{"url": "http://torn')  # a crash mid-write: skipped
        monkeypatch.setattr(transform, "PARALLEL_MIN_PAGES", 0)
        summary = transform.transform_batch(batch, registry, workers=workers)
        assert batch.ready
        results[workers] = (summary, _tables(batch))
    (s1, t1), (s2, t2) = results[1], results[2]
    assert (s1.pages, s1.articles, s1.errors, s1.kinds) == (s2.pages, s2.articles, s2.errors, s2.kinds)
    assert t1 == t2
    assert s1.pages == len({p.url for p in raw})
    urls = [row[0] for row in t1["pages"]]
    assert len(urls) == len(set(urls))
    ids = [row[0] for row in t1["articles"]]
    assert len(ids) == len(set(ids))
    by_url = {row[0]: row for row in t1["pages"]}
    assert by_url[gone.url][3] == 404  # status of the later fetch


def test_a_batch_conversion_waits_while_this_process_merges(tmp_path):
    """Portals run in threads: a batch's Parquet conversion never runs beside a merge (each would hold a DuckDB
    instance near its memory limit), since both take ``DUCKDB_STEP``."""
    import threading

    from etl import pipeline
    from etl.store.extracted import ExtractedWriter
    from etl.store.staging import DUCKDB_STEP

    assert pipeline._LOAD_LOCK is DUCKDB_STEP
    writer = ExtractedWriter(new_batch(tmp_path, "sample"))
    done = threading.Event()
    with DUCKDB_STEP:  # a merge in progress
        thread = threading.Thread(target=lambda: (writer.finish(), done.set()))
        thread.start()
        assert not done.wait(0.5)
    thread.join(30)
    assert done.is_set()


def test_an_extraction_waits_while_this_process_merges_and_memory_is_released_after(tmp_path, sample_pages,
                                                                                    monkeypatch):
    """Extraction (its worker processes) and a merge (the loader's DuckDB) are the memory-heavy steps: portals in
    threads take turns at them (``heavy_step``) so their peaks never add up, and what a step freed is handed
    back to the OS when it ends."""
    import threading

    from etl import pipeline
    from etl.config import Settings

    pages, registry = sample_pages
    batch = new_batch(tmp_path / "staging", "sample")
    write_raw_pages(batch, pages[:6])
    released = []
    monkeypatch.setattr(pipeline, "release_freed_memory", lambda: released.append(1) or True)
    settings = Settings(db_path=tmp_path / "a.duckdb", staging_dir=tmp_path / "staging", extract_workers=1)
    done = threading.Event()
    with pipeline.heavy_step():  # another portal's merge in progress
        thread = threading.Thread(target=lambda: (pipeline.extract_step(batch, settings, registry), done.set()))
        thread.start()
        assert not done.wait(0.5)
        assert released == []
    assert len(released) == 1  # the "merge" ended
    thread.join(60)
    assert done.is_set() and batch.ready
    assert len(released) == 2  # and the extraction


def test_release_freed_memory_trims_the_heap_on_linux():
    import sys

    from etl.memory import release_freed_memory

    assert release_freed_memory() is sys.platform.startswith("linux")


def test_trim_heap_now_and_then_trims_at_most_once_per_interval(monkeypatch):
    from etl import memory

    calls = []
    clock = iter([100.0, 100.5, 101.2, 101.3])
    monkeypatch.setattr(memory, "_TRIM", lambda pad: calls.append(pad) or 1)
    monkeypatch.setattr(memory, "_last_trim", 0.0)
    monkeypatch.setattr(memory.time, "monotonic", lambda: next(clock))
    assert [memory.trim_heap_now_and_then(1.0) for _ in range(4)] == [True, False, True, False]
    assert calls == [0, 0]


def test_extraction_chunks_hand_freed_memory_back(tmp_path, sample_pages, monkeypatch):
    """A worker trims its heap after a chunk of pages (at most once a second): the first worker of a batch kept
    its parse trees' high-water mark otherwise."""
    pages, registry = sample_pages
    trims = []
    monkeypatch.setattr(transform, "trim_heap_now_and_then", lambda: trims.append(1) or True)
    lines = [(n, page.to_json()) for n, page in enumerate(pages[:3], 1)]
    rows = transform.transform_chunk((registry, "b1", lines))
    assert len(rows) == 3 and trims == [1]


def _setting_at_each_copy(monkeypatch, setting: str) -> list:
    """The DuckDB ``setting`` of the conversion's connection at each of its Parquet copies, as they happen."""
    from etl.store import extracted

    seen = []
    real_copy = extracted.copy_to_parquet

    def copy(con, query, path, table):
        seen.append(con.execute(f"SELECT current_setting('{setting}')").fetchone()[0])
        return real_copy(con, query, path, table)

    monkeypatch.setattr(extracted, "copy_to_parquet", copy)
    return seen


def test_parquet_conversion_runs_on_one_duckdb_thread(tmp_path, sample_pages, monkeypatch):
    """DuckDB's JSON reader holds buffers per thread: the batch's conversion to Parquet uses one."""
    seen = _setting_at_each_copy(monkeypatch, "threads")
    pages, registry = sample_pages
    batch = new_batch(tmp_path / "staging", "sample")
    write_raw_pages(batch, pages[:4])
    transform.transform_batch(batch, registry, workers=1)
    assert batch.ready and seen and set(seen) == {1}


def test_a_batch_too_big_for_the_conversion_limit_is_converted_without_it(tmp_path, sample_pages, monkeypatch):
    """Out of DuckDB memory under MEMORY_LIMIT, the conversion runs again with DuckDB's default limit: the batch
    becomes READY with every row, not stuck half-converted."""
    from etl.store import extracted
    from etl.store.loader import duckdb_default_memory

    limits = _setting_at_each_copy(monkeypatch, "memory_limit")
    monkeypatch.setattr(extracted, "MEMORY_LIMIT", "1MB")
    pages, registry = sample_pages
    batch = new_batch(tmp_path / "staging", "sample")
    write_raw_pages(batch, pages[:4])
    summary = transform.transform_batch(batch, registry, workers=1)
    assert batch.ready and summary.pages == 4
    assert limits[0] in ("1.0 MiB", "976.5 KiB")  # the bounded attempt came first
    default = duckdb.connect()
    try:
        default.execute(f"SET memory_limit = '{duckdb_default_memory()}'")
        lifted = default.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    finally:
        default.close()
    assert lifted in limits  # and at least one table needed the default
