"""A read-only snapshot of the archive that analysts can keep open for hours.

DuckDB lets one process write a file, and any open connection from another process (even read-only)
blocks that writer.  So after each merge the loader publishes a copy of the archive next to it
(``portals.duckdb`` → ``portals.snapshot.duckdb``): it checkpoints, copies the file while still holding the
write lock (so nothing changes underneath), stamps the copy with its publication time and renames it into
place atomically.  An analyst session open on the old snapshot keeps its view (the old file lives on until
closed); the next session sees the new data; loads are never blocked by readers of the snapshot.
"""

from __future__ import annotations

import logging
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)

SNAPSHOT_TABLE = "snapshot_info"
RELEASE_LIMIT = "16MB"
# The copy's search index is built on one DuckDB thread under a smaller memory limit: the build is serial in
# practice (same time on one thread or two, 20,000 articles) and spills what does not fit, while two threads at
# 256MB peaked ~200 MB higher.  A build that does not fit is redone with DuckDB's default limit.
INDEX_LIMIT = "128MB"
INDEX_THREADS = 1


def snapshot_path(db_path: str | Path) -> Path:
    path = Path(db_path)
    return path.with_name(f"{path.stem}.snapshot{path.suffix or '.duckdb'}")


def publish_snapshot(con: duckdb.DuckDBPyConnection, db_path: str | Path) -> Path:
    """Copy the archive (open as ``con``, read-write) to its snapshot path, atomically."""
    db = Path(db_path)
    target = snapshot_path(db)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    _before_copy(con)
    con.execute("CHECKPOINT")
    from etl.store.loader import limit_memory  # late: etl.store.loader imports this module

    try:
        shutil.copyfile(db, tmp)
        published = datetime.now(UTC)
        # The archive is checkpointed: its cached blocks can go.  Dropping them (a tiny limit evicts them) keeps
        # the two DuckDB instances of this step (archive, copy) from each holding a full buffer pool.
        try:
            con.execute(f"SET memory_limit = '{RELEASE_LIMIT}'")
        except duckdb.OutOfMemoryException:  # something is pinned: keep the buffers, publish anyway
            pass
        stamp = duckdb.connect(str(tmp))
        try:
            stamp.execute(f"SET threads = {INDEX_THREADS}")
            stamp.execute(f"SET memory_limit = '{INDEX_LIMIT}'")
            stamp.execute(
                f"CREATE OR REPLACE TABLE {SNAPSHOT_TABLE} AS SELECT ?::TIMESTAMPTZ AS published_at, ? AS archive",
                [published, str(db)],
            )
            _index_copy(stamp, target)
            stamp.execute("CHECKPOINT")
        finally:
            stamp.close()
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    finally:
        limit_memory(con)
        if tmp.exists():
            tmp.unlink()
    return target


def _before_copy(con: duckdb.DuckDBPyConnection) -> None:
    """Refresh the ``provinces`` table from the shipped provinces.toml (cheap; never fails a publication)."""
    try:
        from etl.analysis.provinces import refresh_provinces

        refresh_provinces(con)
    except Exception as exc:  # noqa: BLE001 - an analysis extra must not stop a load
        log.warning("provinces table not refreshed: %s", exc)


def _index_copy(stamp: duckdb.DuckDBPyConnection, previous: Path) -> None:
    """Build the full-text search index in the snapshot copy (see ``etl.analysis.search``), or copy it from the
    ``previous`` snapshot when no indexed text changed since."""
    try:
        from etl.analysis.search import build_search_index
        from etl.store.loader import retry_without_limit

        def note(reason: str) -> None:
            log.info("search index does not fit in %s (%s); building it with DuckDB's default limit",
                     INDEX_LIMIT, reason)

        info = retry_without_limit(stamp, lambda: build_search_index(stamp, previous), note)
        if info is not None:
            log.info("search index: %d articles in %.1fs%s", info.articles, info.seconds,
                     " (copied from the previous snapshot: no article text changed)" if info.reused else "")
    except Exception as exc:  # noqa: BLE001 - a snapshot without an index is still a snapshot
        log.warning("search index not built: %s", exc)


def snapshot_published_at(con: duckdb.DuckDBPyConnection) -> datetime | None:
    try:
        row = con.execute(f"SELECT published_at FROM {SNAPSHOT_TABLE}").fetchone()
    except duckdb.CatalogException:
        return None
    return row[0] if row else None
