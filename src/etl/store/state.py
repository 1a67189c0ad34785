"""What the archive already holds of a portal, handed to its next crawl (``-a state=FILE``).

The spider never opens the archive: before a crawl the library writes one JSON file into the batch folder
with, for one portal,

* ``known``: URLs that need no fetch (pages that became articles, healthy non-article pages, 404/410 pages),
  from the archive *and* from staged batches not merged yet (a killed run's ``raw.jsonl``), so a rerun does
  not refetch what an interrupted run already stored;
* ``validators``: ETag / Last-Modified of listing, feed and sitemap pages, for conditional requests.  Only
  pages fetched by a crawl that finished normally are trusted: a run killed or capped part-way may not have
  followed every link of a listing, and a 304 for that listing would hide those links for good;
* ``dates``: ``published_at`` (date) of known articles, so a backfill can tell how old a listing page is;
* ``refresh``: article pages published since ``refresh_since``, to be refetched (conditionally) and
  updated in place when they changed, each with its stored category (the listing it was found on);
* ``retry``: article-like pages whose last fetch failed transiently (time-out, 5xx, truncated...).

The archive file may be held by another process (DuckDB allows one writer and no readers beside it): then
the published snapshot is read instead, and when there is neither, the crawl starts from nothing (a full
crawl, as before).
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from etl.store.snapshot import snapshot_path
from etl.store.staging import CRAWL, Batch, list_batches

log = logging.getLogger(__name__)

STATE_FILE = "state.json"
TRUSTED_FINISH = ("finished",)  # crawl_runs.finish_reason of runs whose listing validators can be trusted
MAX_RETRY = 200  # failed pages retried per run at most


def batch_portal(batch_id: str) -> str | None:
    """``20250101T000000Z-lamdong-1a2b3c4d`` -> ``lamdong`` (portal ids may hold dashes)."""
    _head, sep, rest = batch_id.partition("Z-")
    if not sep or "-" not in rest:
        return None
    return rest.rsplit("-", 1)[0]


def _ok(status: int | None) -> bool:
    return status is not None and (200 <= status < 300 or status == 304)


def _transient(status: int | None, error: str | None) -> bool:
    if status is None:
        return True
    if status in (408, 429) or 500 <= status < 600:
        return True
    lowered = (error or "").lower()
    return "transient" in lowered or "truncated" in lowered or "timeout" in lowered or "empty" in lowered


def _open_readable(db_path: Path) -> tuple[duckdb.DuckDBPyConnection | None, str]:
    """A read-only connection to the archive, or to its snapshot when the archive is held elsewhere."""
    candidates = [(db_path, "archive"), (snapshot_path(db_path), "snapshot")]
    for path, label in candidates:
        if not path.exists():
            continue
        try:
            return duckdb.connect(str(path), read_only=True), label
        except duckdb.Error as exc:
            log.info("cannot read %s (%s); trying the next source", path, str(exc).splitlines()[0])
    return None, "none"


def _archive_rows(con: duckdb.DuckDBPyConnection, portal_id: str) -> list[tuple]:
    try:
        return con.execute(
            """
            SELECT p.url, p.status, p.kind, p.is_article, p.etag, p.last_modified, p.error,
                   a.published_at, a.category, r.finish_reason
            FROM pages p
            LEFT JOIN articles a ON a.article_id = p.article_id
            LEFT JOIN crawl_runs r ON r.run_id = p.batch_id
            WHERE p.portal = ?
            """,
            [portal_id],
        ).fetchall()
    except duckdb.CatalogException:  # an archive without tables yet
        return []


def build_crawl_state(
    db_path: str | Path | None,
    staging_dir: str | Path | None,
    portal_id: str,
    *,
    refresh_since: date | str | None = None,
    exclude_batch: str | None = None,
) -> dict[str, Any]:
    """The crawl state of ``portal_id`` as a plain dict (see the module docstring)."""
    if isinstance(refresh_since, str):
        refresh_since = date.fromisoformat(refresh_since)
    known: set[str] = set()
    validators: dict[str, dict[str, str]] = {}
    dates: dict[str, str] = {}
    refresh: list[dict[str, Any]] = []
    retry: list[str] = []
    source = "none"
    if db_path is not None:
        con, source = _open_readable(Path(db_path))
        rows: list[tuple] = []
        if con is not None:
            try:
                rows = _archive_rows(con, portal_id)
            finally:
                con.close()
        for url, status, kind, is_article, etag, last_modified, error, published_at, category, finish in rows:
            if is_article or (_ok(status) and kind in ("article", "other")) or status in (404, 410):
                known.add(url)
            if is_article and published_at is not None:
                dates[url] = published_at.date().isoformat()
                if refresh_since is not None and published_at.date() >= refresh_since:
                    item: dict[str, Any] = {"url": url, "category": category}
                    if etag or last_modified:
                        item.update(etag=etag, last_modified=last_modified)
                    refresh.append(item)
            elif (
                not is_article
                and kind in ("listing", "other", "not_modified")
                and _ok(status)
                and (etag or last_modified)
                and finish in TRUSTED_FINISH
            ):
                validators[url] = {k: v for k, v in (("etag", etag), ("last_modified", last_modified)) if v}
            if not is_article and kind == "error" and _transient(status, error) and len(retry) < MAX_RETRY:
                retry.append(url)
    staged = 0
    if staging_dir is not None:
        for batch in list_batches(Path(staging_dir)):
            if batch.id == exclude_batch or batch_portal(batch.id) != portal_id:
                continue
            for url, status, error in _staged_pages(batch):
                if _ok(status) and not error:
                    known.add(url)
                    staged += 1
    for item in refresh:
        known.discard(item["url"])
    retry = [url for url in retry if url not in known]
    return {
        "portal": portal_id,
        "generated_at": datetime.now(UTC).isoformat(),
        "source": source,
        "refresh_since": refresh_since.isoformat() if refresh_since else None,
        "known": sorted(known),
        "validators": validators,
        "dates": dates,
        "refresh": refresh,
        "retry": retry,
        "staged_pages": staged,
    }


def _staged_pages(batch: Batch) -> list[tuple[str, int | None, str | None]]:
    """(url, status, error) of every line of a staged batch's ``raw.jsonl`` (bodies are not decoded)."""
    out: list[tuple[str, int | None, str | None]] = []
    if not batch.raw_path.exists():
        return out
    with batch.raw_path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                data = json.loads(line)
                out.append((data["url"], data.get("status"), data.get("error")))
            except (ValueError, KeyError, TypeError):
                continue  # a torn last line
    return out


def export_crawl_state(
    db_path: str | Path | None,
    staging_dir: str | Path | None,
    portal_id: str,
    out: str | Path,
    *,
    refresh_since: date | str | None = None,
) -> Path:
    """Write the crawl state of ``portal_id`` to ``out`` (a file, or a batch folder → ``<folder>/state.json``)."""
    target = Path(out)
    exclude = None
    if target.is_dir():
        exclude = target.name
        target = target / STATE_FILE
    state = build_crawl_state(db_path, staging_dir, portal_id, refresh_since=refresh_since, exclude_batch=exclude)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, target)
    log.info(
        "crawl state for %s from the %s: %d known URLs (%d staged), %d validators, %d to refresh, %d to retry",
        portal_id, state["source"], len(state["known"]), state["staged_pages"], len(state["validators"]),
        len(state["refresh"]), len(state["retry"]),
    )
    return target


def crawl_in_progress(batch: Batch) -> bool:
    """Whether a live crawler still writes ``batch`` (it holds ``crawl.lock``; see ``etl.crawl``)."""
    import fcntl

    lock = batch.path / LOCK_FILE
    if not lock.exists():
        return False
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


LOCK_FILE = "crawl.lock"


def interrupted_batches(staging_dir: str | Path) -> list[Batch]:
    """Batches a crawl began but never finished (no ``crawl.json``) and no live crawler holds."""
    found = []
    for batch in list_batches(Path(staging_dir)):
        if (batch.path / CRAWL).exists() or batch.ready:
            continue
        if batch_portal(batch.id) is None:
            continue
        if not (batch.raw_path.exists() or (batch.path / LOCK_FILE).exists()):
            continue
        if crawl_in_progress(batch):
            continue
        found.append(batch)
    return found


def mark_interrupted(batch: Batch) -> dict[str, Any]:
    """Write the ``crawl.json`` a killed crawler could not (finish_reason ``interrupted``)."""
    pages = _staged_pages(batch)
    first = last = None
    if batch.raw_path.exists():
        with batch.raw_path.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    fetched = json.loads(line)["fetched_at"]
                except (ValueError, KeyError, TypeError):
                    continue
                first = first or fetched
                last = fetched
    started = first
    stamp = batch.id.split("Z-", 1)[0]
    try:
        started = datetime.strptime(stamp, "%Y%m%dT%H%M%S").replace(tzinfo=UTC).isoformat()
    except ValueError:
        pass
    info = {
        "portal": batch_portal(batch.id),
        "batch_id": batch.id,
        "started_at": started or datetime.now(UTC).isoformat(),
        "finished_at": last or started or datetime.now(UTC).isoformat(),
        "pages": sum(1 for _, status, _ in pages if status is not None),
        "errors": sum(1 for _, _, error in pages if error),
        "records": len(pages),
        "finish_reason": "interrupted",
        "message": f"crawler stopped before it finished (killed?); {len(pages)} pages recovered from raw.jsonl",
    }
    tmp = batch.path / f".{CRAWL}.tmp"
    tmp.write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, batch.path / CRAWL)
    return info
