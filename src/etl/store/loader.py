"""Merging READY batches into the DuckDB archive.

Each batch is merged in one transaction (a crash leaves the archive as it was and the batch stays staged)
and recorded in ``crawl_runs`` under its batch id, so merging the same batch twice is a no-op.  Articles are
upserted by ``article_id``: an unchanged article keeps its row exactly (``updated_at`` included), a changed
one is updated in place and keeps ``first_seen_at``.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import duckdb

from etl.dedupe import FINGERPRINT_SCHEME, update_duplicates
from etl.facts.store import mark_changed_articles, merge_facts
from etl.store.schema import migrate
from etl.store.snapshot import publish_snapshot
from etl.store.sqltext import sql_str
from etl.store.staging import ARTICLE_COLUMNS, IMAGE_COLUMNS, PAGE_COLUMNS, Batch, list_batches

log = logging.getLogger(__name__)

T = TypeVar("T")


class ArchiveLocked(RuntimeError):
    """Another process holds the archive file; the batches stay staged and are merged on a later run."""


class ArchiveError(RuntimeError):
    """The archive path cannot be used (unwritable folder, not a DuckDB file...)."""


@dataclass
class LoadResult:
    batch_id: str
    portal: str
    status: str
    pages: int
    articles_found: int
    articles_new: int
    articles_updated: int
    errors: int
    skipped: bool = False  # already merged earlier


def connect(db_path: str | Path, *, read_only: bool = False, lock_timeout: float = 30.0) -> duckdb.DuckDBPyConnection:
    """Open the archive, waiting up to ``lock_timeout`` seconds while another process holds it."""
    path = Path(db_path)
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ArchiveError(f"cannot create the folder for the archive {path}: {exc.strerror}") from None
    elif not path.exists():
        raise ArchiveError(f"no archive at {path} (run `portal-etl crawl` or `portal-etl demo` first)")
    if not read_only and not path.exists():
        _create(path)
    deadline = time.monotonic() + lock_timeout
    delay = 0.2
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            con.execute("SET TimeZone = 'Asia/Ho_Chi_Minh'")
            if not read_only:
                limit_memory(con)
                compress_for_archive(con)
            return con
        except duckdb.IOException as exc:
            message = str(exc)
            if "lock" not in message.lower():
                raise ArchiveError(f"cannot open the archive {path}: {message.splitlines()[0]}") from None
            if time.monotonic() >= deadline:
                raise ArchiveLocked(
                    f"the archive {path} is held by another process ({_holder(message)}); "
                    "staged batches stay in place and will be merged on the next run"
                ) from None
            log.info("archive %s is locked by another process; retrying in %.1fs", path, delay)
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
        except duckdb.Error as exc:
            raise ArchiveError(f"cannot open the archive {path}: {str(exc).splitlines()[0]}") from None


# New archives are created in DuckDB's current storage format, not the default one readable by DuckDB 0.10+:
# it compresses long strings (raw HTML, article text) with zstd, about 20 times smaller for raw pages.  DuckDB
# 1.5 tools (the pinned duckdb, duckdb-cli) read it; `portal-etl upgrade-storage` converts an older archive.
STORAGE_VERSION = "v1.5.0"


def _create(path: Path) -> None:
    try:
        con = duckdb.connect()
        try:
            con.execute(f"ATTACH '{sql_str(path)}' AS new_archive (STORAGE_VERSION '{STORAGE_VERSION}')")
        finally:
            con.close()
    except duckdb.Error as exc:
        raise ArchiveError(f"cannot create the archive {path}: {str(exc).splitlines()[0]}") from None


def storage_version(con: duckdb.DuckDBPyConnection, database: str | None = None) -> str:
    """The storage format of the archive open as ``con`` (or of its attached ``database``), as DuckDB names it
    (``v1.5.0+``, ``v0.10.2+``...)."""
    row = con.execute(
        "SELECT tags['storage_version'] FROM duckdb_databases() "
        "WHERE database_name = coalesce(?, current_database())", [database]
    ).fetchone()
    return str(row[0]) if row and row[0] else "unknown"


@dataclass
class StorageUpgrade:
    before: str
    after: str
    bytes_before: int
    bytes_after: int

    @property
    def changed(self) -> bool:
        return self.before != self.after


def upgrade_storage(db_path: str | Path, lock_timeout: float = 30.0) -> StorageUpgrade:
    """Rewrite an archive created in an older storage format into ``STORAGE_VERSION`` (zstd for long strings):
    same tables, rows, views and schema version.  The copy is written next to the archive and renamed over it
    while the archive is held; a crash leaves the original untouched.  A no-op when already current."""
    path = Path(db_path)
    con = connect(path, read_only=not path.exists(), lock_timeout=lock_timeout)  # read_only: the missing-file error
    tmp = path.with_name(f".{path.name}.upgrade-{os.getpid()}")
    try:
        before = storage_version(con)
        size = path.stat().st_size
        if before.startswith(STORAGE_VERSION):
            return StorageUpgrade(before, before, size, size)
        migrate(con)
        con.execute("CHECKPOINT")
        current = con.execute("SELECT current_database()").fetchone()[0]
        tmp.unlink(missing_ok=True)
        con.execute(f"ATTACH '{sql_str(tmp)}' AS upgraded (STORAGE_VERSION '{STORAGE_VERSION}')")
        con.execute(f'COPY FROM DATABASE "{current}" TO upgraded')
        con.execute("CHECKPOINT upgraded")
        after = storage_version(con, "upgraded")
        con.execute("DETACH upgraded")
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        con.close()
        os.replace(tmp, path)  # no checkpointed archive has a WAL: nothing of the old file is left behind
        return StorageUpgrade(before, after, size, path.stat().st_size)
    finally:
        try:
            con.close()
        except duckdb.Error:
            pass
        tmp.unlink(missing_ok=True)


# DuckDB's own default is 80 % of the machine's memory: a loader merging 20,000 pages of raw HTML then holds
# ~1.5 GB of buffers it does not need, beside the crawlers and extraction workers.  Writers get this limit
# (DuckDB spills to disk beyond it); analysts' read-only sessions keep DuckDB's default.  Merging four batches of
# 5,000 articles peaked at 425 MB of RSS at 192MB against 492 MB at 256MB, in the same time; batches of 20,000
# articles merge within it too.
DEFAULT_MEMORY_LIMIT = "192MB"


def limit_memory(con: duckdb.DuckDBPyConnection) -> None:
    """Apply ``PORTAL_ETL_DUCKDB_MEMORY`` (default ``DEFAULT_MEMORY_LIMIT``; e.g. ``2GB``) to a writing connection."""
    value = os.environ.get("PORTAL_ETL_DUCKDB_MEMORY") or DEFAULT_MEMORY_LIMIT
    try:
        con.execute(f"SET memory_limit = '{sql_str(value)}'")
    except duckdb.OutOfMemoryException as exc:  # the instance already holds more than that: keep its limit
        log.warning("PORTAL_ETL_DUCKDB_MEMORY=%s not applied: %s", value, str(exc).splitlines()[0])
    except duckdb.Error as exc:
        raise ArchiveError(f"PORTAL_ETL_DUCKDB_MEMORY={value!r} is not a memory size DuckDB accepts "
                           f"(e.g. 512MB, 2GB): {str(exc).splitlines()[0]}") from None


# How writers compress what they checkpoint.  DuckDB 1.5 stores strings as DICT_FSST by default; for the long
# ones (article text, raw HTML) that is slower and larger than ZSTD: merging 20,000 articles of the benchmark site
# took 18.6 s into a 348 MiB file, against 14.0 s and 239 MiB with DICT_FSST left out, the analysts' queries as
# fast (reading one article's text costs a few ms more).  Strings averaging at least ZSTD_MIN_STRING_LENGTH bytes
# per segment then go to ZSTD (DuckDB's own threshold, 4096, would leave shorter article texts uncompressed);
# short ones (ids, URLs, titles) are stored uncompressed.  Any DuckDB 1.5 tool reads the file.
DISABLED_COMPRESSION = "dict_fsst"
ZSTD_MIN_STRING_LENGTH = 1024


def compress_for_archive(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"SET disabled_compression_methods = '{DISABLED_COMPRESSION}'")
    con.execute(f"SET zstd_min_string_length = {ZSTD_MIN_STRING_LENGTH}")


def duckdb_default_memory() -> str:
    """DuckDB's default memory limit, 80 % of the machine's memory, as a ``SET memory_limit`` value (which has no
    way of saying "back to the default": ``RESET memory_limit`` keeps a limit set earlier)."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return f"{int(total * 0.8) // 2**20}MB"


def retry_without_limit(
    con: duckdb.DuckDBPyConnection,
    run: Callable[[], T],
    note: Callable[[str], None] | None = None,
    restore: Callable[[], None] | None = None,
) -> T:
    """``run()``; when DuckDB runs out of memory under the connection's limit, ``note`` why, lift the limit to
    DuckDB's default and ``run()`` again, then ``restore`` (the caller's limit, if the connection lives on).
    Work too large for a bounded limit (a deep backfill, huge pages, a big index) is done anyway, not lost."""
    try:
        return run()
    except duckdb.OutOfMemoryException as exc:
        if note is not None:
            note(str(exc).splitlines()[0])
        con.execute(f"SET memory_limit = '{duckdb_default_memory()}'")
        try:
            return run()
        finally:
            if restore is not None:
                restore()


def _holder(message: str) -> str:
    for line in message.splitlines():
        if "PID" in line or "pid" in line:
            return line.strip()
    return "lock held"


def open_archive(db_path: str | Path, lock_timeout: float = 30.0) -> duckdb.DuckDBPyConnection:
    con = connect(db_path, lock_timeout=lock_timeout)
    migrate(con)
    return con


def merge_batch(con: duckdb.DuckDBPyConnection, batch: Batch) -> LoadResult:
    manifest = batch.manifest()
    crawl = manifest.get("crawl") or {}
    portal = manifest.get("portal") or crawl.get("portal") or ""
    already = con.execute("SELECT status FROM crawl_runs WHERE run_id = ?", [batch.id]).fetchone()
    if already:
        return LoadResult(batch.id, portal, already[0], 0, 0, 0, 0, 0, skipped=True)

    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.execute(f"SET threads = {MERGE_THREADS}")
    try:
        return _merge_with_fallback(con, batch, manifest, portal)
    finally:
        con.execute(f"SET threads = {int(threads)}")


# A merge gains next to nothing from DuckDB's second thread (3 % slower on one, 20,000 articles: its time goes to
# commits and duplicate detection), but every thread holds buffers of its own: ~100 MB more at the peak.
MERGE_THREADS = 1


def _merge_with_fallback(con: duckdb.DuckDBPyConnection, batch: Batch, manifest: dict, portal: str) -> LoadResult:
    # A batch too large for the writer's memory limit is merged anyway, rather than left staged for ever.
    def note(reason: str) -> None:
        log.warning("batch %s does not fit in PORTAL_ETL_DUCKDB_MEMORY (%s); merging it without the limit",
                    batch.id, reason)

    return retry_without_limit(
        con, lambda: _merge_once(con, batch, manifest, portal), note, restore=lambda: limit_memory(con)
    )


# Raw pages are merged ahead of the batch's transaction, a slice at a time, each slice in a transaction of its
# own: the loader's memory stays bounded by a slice of raw HTML whatever the batch's size (DuckDB keeps a
# transaction's appended rows in memory until commit).  A slice is whole Parquet row groups (staged pages are
# written in groups of at most ROW_GROUP_SIZE_BYTES, etl.store.staging) adding up to at most PAGE_SLICE pages
# and PAGE_SLICE_BYTES of uncompressed data: 5,000 pages of a light CMS, fewer of a heavy one.  Merging pages is
# idempotent, so a crash between slices loses nothing: the batch is not recorded yet and its next merge applies
# every slice again.
PAGE_SLICE = 5000
PAGE_SLICE_BYTES = 64 * 2**20


def page_slices(con: duckdb.DuckDBPyConnection, path: str) -> list[tuple[int, int]]:
    """[start, end) row ranges of a staged pages.parquet, from its row-group metadata (nothing else is read)."""
    groups = con.execute(
        f"SELECT row_group_id, any_value(row_group_num_rows), sum(total_uncompressed_size) "
        f"FROM parquet_metadata('{path}') GROUP BY 1 ORDER BY 1"
    ).fetchall()
    slices: list[tuple[int, int]] = []
    start = rows = size = 0
    for _, count, nbytes in groups:
        if rows and (rows + count > PAGE_SLICE or size + nbytes > PAGE_SLICE_BYTES):
            slices.append((start, start + rows))
            start, rows, size = start + rows, 0, 0
        rows += count
        size += nbytes
    if rows:
        slices.append((start, start + rows))
    # a row group larger than PAGE_SLICE (batches staged before row groups were bounded): cut by rows
    return [(a, min(a + PAGE_SLICE, end)) for start, end in slices for a in range(start, end, PAGE_SLICE)]


def _merge_pages_in_slices(con: duckdb.DuckDBPyConnection, batch: Batch) -> None:
    path = sql_str(batch.parquet("pages"))
    for start, end in page_slices(con, path):
        con.execute("BEGIN TRANSACTION")
        try:
            merge_pages(con, f"(SELECT * EXCLUDE (file_row_number) FROM read_parquet('{path}', file_row_number = true) "
                             f"WHERE file_row_number >= {start} AND file_row_number < {end})")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise


def _merge_once(con: duckdb.DuckDBPyConnection, batch: Batch, manifest: dict, portal: str) -> LoadResult:
    _merge_pages_in_slices(con, batch)
    con.execute("BEGIN TRANSACTION")
    try:
        found, new, updated = merge_staged(con, batch, manifest, pages=False)
        result = record_run(con, batch, portal, manifest, found, new, updated)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return result


def merge_staged(
    con: duckdb.DuckDBPyConnection, batch: Batch, manifest: dict, pages: bool = True
) -> tuple[int, int, int]:
    """Merge a batch's staged tables into the archive open as ``con`` (a DuckDB file or a DuckLake catalog),
    inside the caller's transaction: articles, images, facts, pages (unless ``pages`` is false: the caller
    merged them already), then duplicates.  Returns (articles found, new, updated); unchanged articles are
    left exactly as they were."""

    def parquet(table: str) -> str:
        return f"read_parquet('{batch.parquet(table)}')"

    article_cols = [c for c in ARTICLE_COLUMNS if c != "fetched_at"]
    con.execute(f"CREATE OR REPLACE TEMP TABLE staged_articles AS SELECT * FROM {parquet('articles')}")
    found = con.execute("SELECT count(*) FROM staged_articles").fetchone()[0]
    # An older capture (WARC import, reprocess) never replaces a version fetched later.
    con.execute("DELETE FROM staged_articles s USING articles a "
                "WHERE a.article_id = s.article_id AND a.updated_at > s.fetched_at")
    new, updated = con.execute(
        """
        SELECT count(*) FILTER (WHERE a.article_id IS NULL),
               count(*) FILTER (WHERE a.article_id IS NOT NULL AND a.content_hash <> s.content_hash)
        FROM staged_articles s LEFT JOIN articles a USING (article_id)
        """
    ).fetchone()
    mark_changed_articles(con)  # their facts (doc_refs, people) are redone below
    # Changed articles are updated in place (keeping first_seen_at), new ones inserted; unchanged rows are
    # not touched.  (Two set-based statements: INSERT … ON CONFLICT DO UPDATE costs far more per row.)
    set_clause = ", ".join(f"{c} = s.{c}" for c in article_cols if c not in ("article_id", "url"))
    con.execute(
        f"""
        UPDATE articles SET {set_clause}, updated_at = s.fetched_at FROM staged_articles s
        WHERE articles.article_id = s.article_id AND articles.content_hash <> s.content_hash
        """
    )
    con.execute(
        f"""
        INSERT INTO articles ({', '.join(article_cols)}, first_seen_at, updated_at)
        SELECT {', '.join(article_cols)}, fetched_at, fetched_at FROM staged_articles s
        WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = s.article_id)
        """
    )
    con.execute("DELETE FROM images WHERE article_id IN (SELECT article_id FROM staged_articles)")
    con.execute(f"INSERT INTO images ({', '.join(IMAGE_COLUMNS)}) SELECT {', '.join(IMAGE_COLUMNS)} "
                f"FROM {parquet('images')} WHERE article_id IN (SELECT article_id FROM staged_articles)")
    merge_facts(con, batch, manifest)  # doc_refs / people of the new and changed articles (etl.facts)
    if pages:
        merge_pages(con, parquet("pages"))
    # duplicate_of for new and changed articles (etl.dedupe), from the fingerprints staged by extraction
    update_duplicates(con, staged=staged_fingerprints(batch, manifest))
    con.execute("DROP TABLE staged_articles")
    return found, new, updated


def merge_pages(con: duckdb.DuckDBPyConnection, staged: str) -> None:
    """Upsert the staged pages (SQL relation ``staged``) into ``pages``, by URL; a visit older than the stored
    one changes nothing.  Pages seen before are replaced by their merged row (delete, then insert: DuckDB's
    ``INSERT … ON CONFLICT DO UPDATE`` rewrites compressed raw HTML row by row, minutes for a re-imported
    batch), new pages are inserted."""
    cols = list(PAGE_COLUMNS)
    merged = ", ".join(_page_merged(c) for c in cols)
    # Which staged pages replace a stored one: found on URL and time alone, so a batch of new pages never
    # decompresses its raw HTML twice.
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE seen_pages AS
        SELECT s.url FROM (SELECT url, fetched_at FROM {staged}) s JOIN pages p USING (url)
        WHERE s.fetched_at >= p.fetched_at
        """
    )
    if con.execute("SELECT count(*) FROM seen_pages").fetchone()[0]:
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE merged_pages AS
            SELECT {merged} FROM {staged} s JOIN pages p USING (url) WHERE url IN (SELECT url FROM seen_pages)
            """
        )
        con.execute("DELETE FROM pages WHERE url IN (SELECT url FROM seen_pages)")
        con.execute(f"INSERT INTO pages ({', '.join(cols)}) SELECT {', '.join(cols)} FROM merged_pages")
        con.execute("DROP TABLE merged_pages")
    con.execute(
        f"""
        INSERT INTO pages ({', '.join(cols)}) SELECT {', '.join(cols)} FROM {staged} s
        WHERE NOT EXISTS (SELECT 1 FROM pages p WHERE p.url = s.url)
        """
    )
    con.execute("DROP TABLE seen_pages")


def record_run(
    con: duckdb.DuckDBPyConnection, batch: Batch, portal: str, manifest: dict, found: int, new: int, updated: int
) -> LoadResult:
    """Record the batch as a ``crawl_runs`` row (inside the caller's merge transaction); shared by the lake."""
    crawl = manifest.get("crawl") or {}
    pages = int(manifest.get("pages", 0))
    errors = int(manifest.get("errors", 0))
    status = run_status(pages, errors, crawl)
    con.execute(
        """
        INSERT INTO crawl_runs (run_id, portal, started_at, finished_at, loaded_at, status, pages_fetched,
                                articles_found, articles_new, articles_updated, errors, finish_reason, message)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            batch.id, portal, crawl.get("started_at"), crawl.get("finished_at"),
            datetime.now(UTC), status, pages, found, new, updated, errors,
            crawl.get("finish_reason"), crawl.get("message"),
        ],
    )
    return LoadResult(batch.id, portal, status, pages, found, new, updated, errors)


def staged_fingerprints(batch: Batch, manifest: dict) -> str | None:
    """The batch's ``fingerprints`` table as a SQL relation, when extraction staged it under the current scheme."""
    path = batch.parquet("fingerprints")
    if manifest.get("fingerprints") != FINGERPRINT_SCHEME or not path.exists():
        return None
    return f"read_parquet('{path}')"


# A 304 answer (conditional request) says the stored copy is current: the visit is recorded (fetched_at, status,
# batch_id) but the stored page (html, kind, article link...) is kept, never replaced by an empty body.
KEPT_ON_NOT_MODIFIED = ("content_type", "charset", "html", "error", "kind", "is_article", "article_id")


def _page_merged(column: str) -> str:
    """The merged value of one ``pages`` column: ``s`` is the staged visit, ``p`` the stored page."""
    if column == "url":
        return "url"
    if column in KEPT_ON_NOT_MODIFIED:
        return f"CASE WHEN s.status = 304 THEN p.{column} ELSE s.{column} END AS {column}"
    if column in ("etag", "last_modified"):
        return f"CASE WHEN s.status = 304 THEN coalesce(s.{column}, p.{column}) ELSE s.{column} END AS {column}"
    return f"s.{column} AS {column}"


def run_status(pages: int, errors: int, crawl: dict) -> str:
    """``failed`` when nothing usable was fetched, ``ok`` otherwise (errors are counted separately)."""
    if crawl.get("finish_reason") in ("timeout", "crashed") and pages == 0:
        return "failed"
    if pages == 0 or errors >= pages:
        return "failed"
    return "ok"


def ready_batches(staging_root: str | Path, batch_ids: list[str] | None = None) -> list[Batch]:
    """The READY batches under ``staging_root`` (only ``batch_ids``, when given), oldest first."""
    batches = [b for b in list_batches(Path(staging_root)) if b.ready]
    if batch_ids is not None:
        wanted = set(batch_ids)
        batches = [b for b in batches if b.id in wanted]
    return batches


def merge_each(
    con: duckdb.DuckDBPyConnection,
    batches: list[Batch],
    merge: Callable[[duckdb.DuckDBPyConnection, Batch], LoadResult],
    keep_batches: bool,
    into: str = "",
) -> list[LoadResult]:
    """``merge`` each batch in turn, logging it, and remove its staged files unless ``keep_batches``."""
    results: list[LoadResult] = []
    for batch in batches:
        result = merge(con, batch)
        results.append(result)
        log.info(
            "merged batch %s%s: %d pages, %d articles (%d new, %d updated)%s",
            batch.id, into, result.pages, result.articles_found, result.articles_new, result.articles_updated,
            " (already merged)" if result.skipped else "",
        )
        if not keep_batches:
            shutil.rmtree(batch.path, ignore_errors=True)
    return results


def load_ready_batches(
    db_path: str | Path,
    staging_root: str | Path,
    *,
    batch_ids: list[str] | None = None,
    lock_timeout: float = 30.0,
    keep_batches: bool = False,
    publish: bool = True,
) -> list[LoadResult]:
    """Merge every READY batch (or just ``batch_ids``) into the archive, oldest first, then publish the
    read-only snapshot analysts query (see ``etl.store.snapshot``)."""
    batches = ready_batches(staging_root, batch_ids)
    if not batches:
        return []
    con = open_archive(db_path, lock_timeout=lock_timeout)
    try:
        results = merge_each(con, batches, merge_batch, keep_batches)
        if publish and any(not r.skipped for r in results):
            publish_snapshot(con, db_path)
    finally:
        con.close()
    return results
