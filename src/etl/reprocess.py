"""Re-extract every stored raw page with the current extraction code, offline and idempotently.

``pages.html`` keeps the decoded page of every fetch, so improved extraction never needs a re-crawl.
``reprocess`` turns stored pages back into staged batches (``RawPage``: the html re-encoded as UTF-8 with a
matching ``charset``; status, validators, ``fetched_at`` and ``source`` as stored; the article's category as
the listing hint the crawl once had), extracts them with ``etl.transform`` and merges them with the loader,
so the loader's one-transaction merge and its idempotency apply unchanged:

* an article whose extraction now differs is updated in place (``first_seen_at`` kept; ``updated_at`` is the
  fetch time of the page it was re-extracted from, never the clock, so a second run changes nothing);
* an unchanged article keeps its row exactly; a page now recognised as an article adds one;
* ``pages`` rows keep their ``content_type``, ``charset``, ``batch_id`` and ``fetched_at``; only what
  extraction decides (``kind``, ``is_article``, ``article_id``, ``error``) can change;
* pages without html (transport errors, attachments) have nothing to re-extract and are left alone.

The archive is read in short read-only sessions of ``chunk`` pages (keyset-paged by ``fetched_at, url``, so
the latest fetch of an article's URL variants is merged last); extraction runs with the archive closed, and
each chunk is merged in its own transaction.  Batches live in ``<staging>/_reprocess/<run>/`` where crawls'
recovery does not look; a crashed run leaves nothing half-merged, and running again redoes it.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from etl.dedupe import temp_table
from etl.portals.registry import Registry
from etl.records import RawPage
from etl.store.staging import CRAWL, Batch, new_batch, write_raw_pages

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


@dataclass
class ReprocessReport:
    pages: int = 0
    articles: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    errors: int = 0
    per_portal: dict[str, dict[str, int]] = field(default_factory=dict)
    batches: int = 0


def _mime(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip() or "text/html"


def _read_chunk(db_path: Path, portal: str, after: tuple | None, chunk: int, lock_timeout: float) -> list[tuple]:
    from etl.store.loader import connect

    con = connect(db_path, read_only=True, lock_timeout=lock_timeout)
    try:
        con.execute("SET TimeZone = 'UTC'")
        keyset = "AND (p.fetched_at, p.url) > (?::TIMESTAMPTZ, ?)" if after else ""
        return con.execute(
            f"""
            SELECT p.url, p.portal, p.fetched_at, p.status, p.content_type, p.charset, p.html, p.etag,
                   p.last_modified, p.batch_id, p.source, a.category
            FROM pages p LEFT JOIN articles a ON a.article_id = p.article_id
            WHERE p.portal = ? AND p.html IS NOT NULL AND p.status IS NOT NULL {keyset}
            ORDER BY p.fetched_at, p.url
            LIMIT {int(chunk)}
            """,
            [portal, *(after or ())],
        ).fetchall()
    finally:
        con.close()


def _portals(db_path: Path, portal_id: str | None, lock_timeout: float) -> list[str]:
    from etl.store.loader import connect

    con = connect(db_path, read_only=True, lock_timeout=lock_timeout)
    try:
        if portal_id:
            return [portal_id]
        return [r[0] for r in con.execute(
            "SELECT DISTINCT portal FROM pages WHERE html IS NOT NULL ORDER BY 1").fetchall()]
    finally:
        con.close()


def _stage(root: Path, portal: str, rows: list[tuple]) -> Batch:
    batch = new_batch(root, portal)
    pages = []
    for url, portal_id, fetched_at, status, content_type, _charset, html, etag, last_modified, _b, source, category in rows:
        pages.append(RawPage(
            url=url, portal=portal_id, fetched_at=fetched_at.astimezone(UTC), status=status,
            content_type=f"{_mime(content_type)}; charset=utf-8", body=html.encode("utf-8"),
            etag=etag, last_modified=last_modified, category_hint=category, source=source or "crawl",
        ))
    write_raw_pages(batch, pages)
    now = datetime.now(UTC).isoformat()
    crawl = {"portal": portal, "started_at": now, "finished_at": now, "finish_reason": "reprocess",
             "message": f"re-extraction of {len(pages)} stored page(s)"}
    (batch.path / CRAWL).write_text(json.dumps(crawl), encoding="utf-8")
    return batch


def _restore_page_fields(batch: Batch, rows: list[tuple]) -> None:
    """Put the stored content_type, charset and batch_id back into the extracted pages table."""
    target = batch.parquet("pages")
    tmp = batch.path / ".pages.restored.parquet"
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        temp_table(con, "stored", {"url": "VARCHAR", "content_type": "VARCHAR", "charset": "VARCHAR",
                                   "batch_id": "VARCHAR"}, ((r[0], r[4], r[5], r[9]) for r in rows))
        con.execute(
            f"""
            COPY (
                SELECT p.* REPLACE (s.content_type AS content_type, coalesce(s.charset, p.charset) AS charset,
                                    coalesce(s.batch_id, p.batch_id) AS batch_id)
                FROM read_parquet('{target}') p LEFT JOIN stored s USING (url)
            ) TO '{tmp}' (FORMAT parquet, COMPRESSION zstd)
            """
        )
    finally:
        con.close()
    os.replace(tmp, target)


def reprocess(
    db_path: Path,
    staging_root: Path,
    registry: Registry | None,
    *,
    portal_id: str | None = None,
    chunk: int = 500,
    lock_timeout: float = 30.0,
    progress: Progress | None = None,
) -> ReprocessReport:
    """Re-extract the stored pages (all portals, or ``portal_id``) and merge the results."""
    from etl.store.loader import ArchiveError, load_ready_batches, open_archive
    from etl.store.snapshot import publish_snapshot
    from etl.transform import transform_batch

    if not Path(db_path).exists():
        raise ArchiveError(f"no archive at {db_path} (nothing to reprocess)")
    open_archive(db_path, lock_timeout=lock_timeout).close()  # bring the schema up to date first
    root = Path(staging_root) / "_reprocess" / f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    root.mkdir(parents=True, exist_ok=True)
    report = ReprocessReport()
    merged_any = False
    try:
        for portal in _portals(db_path, portal_id, lock_timeout):
            counts = report.per_portal.setdefault(portal, {"pages": 0, "articles": 0, "new": 0, "updated": 0})
            after: tuple | None = None
            while True:
                rows = _read_chunk(db_path, portal, after, chunk, lock_timeout)
                if not rows:
                    break
                after = (rows[-1][2], rows[-1][0])
                batch = _stage(root, portal, rows)
                summary = transform_batch(batch, registry)
                _restore_page_fields(batch, rows)
                results = load_ready_batches(db_path, root, batch_ids=[batch.id], lock_timeout=lock_timeout,
                                             publish=False)
                report.batches += 1
                report.pages += summary.pages
                report.errors += summary.errors
                counts["pages"] += summary.pages
                for result in results:
                    merged_any = merged_any or not result.skipped
                    report.articles += result.articles_found
                    report.articles_new += result.articles_new
                    report.articles_updated += result.articles_updated
                    counts["articles"] += result.articles_found
                    counts["new"] += result.articles_new
                    counts["updated"] += result.articles_updated
                if progress:
                    progress(f"{portal}: {counts['pages']} page(s) re-extracted, {counts['articles']} article(s) "
                             f"({counts['new']} new, {counts['updated']} updated)")
        if merged_any:
            con = open_archive(db_path, lock_timeout=lock_timeout)
            try:
                publish_snapshot(con, db_path)
            finally:
                con.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)
        try:
            root.parent.rmdir()
        except OSError:
            pass
    return report
