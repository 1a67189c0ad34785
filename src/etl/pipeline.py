"""The pipeline's steps as plain functions: crawl → extract → load.

Prefect flows (``flows/``) wrap these as tasks; tests and notebooks call them directly.  Every step reads
and writes staged batches, so any step can be rerun after a crash: ``recover`` finishes whatever an earlier
run left behind (crawled but not extracted, extracted but not merged).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from etl.config import Settings
from etl.crawl import ProgressCallback, run_crawl
from etl.memory import release_freed_memory
from etl.portals.registry import Registry, load_registry
from etl.store.loader import ArchiveLocked, LoadResult, load_ready_batches, open_archive
from etl.store.snapshot import publish_snapshot
from etl.store.staging import CRAWL, DUCKDB_STEP, Batch, list_batches, new_batch
from etl.store.state import export_crawl_state, interrupted_batches, mark_interrupted
from etl.transform import TransformSummary, transform_batch

log = logging.getLogger(__name__)

# One process merges one batch at a time, and not beside a batch's Parquet conversion (``DUCKDB_STEP``: bounded
# memory); other processes are kept out by DuckDB's file lock.
_LOAD_LOCK = DUCKDB_STEP

# Extracting a batch (its worker processes, ~350 MB of RSS on two cores) and merging or publishing (the loader's
# DuckDB, ~450 MB at its peak) are the memory-heavy steps.  Portals run in threads (the CLI, flows), so one
# portal's merge would overlap another's extraction and the two peaks would add up; they take turns instead,
# while crawls (their own processes) go on beside either.  On two cores they competed for the CPU anyway.  Always
# taken before ``_LOAD_LOCK``, never inside it.  What a step freed is handed back to the OS when it ends
# (``etl.memory``), not kept in its thread's heap beside the next step.
_HEAVY_STEP = threading.RLock()


@contextmanager
def heavy_step() -> Iterator[None]:
    with _HEAVY_STEP:
        try:
            yield
        finally:
            release_freed_memory()


@dataclass
class PortalReport:
    portal: str
    batch_id: str
    pages: int = 0
    articles: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    errors: int = 0
    status: str = "pending"  # ok | failed | staged (waiting for the archive lock)
    finish_reason: str | None = None
    message: str | None = None
    kinds: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def registry_for(settings: Settings) -> Registry:
    return load_registry(settings.portals_file)


def crawl_step(
    portal_id: str,
    settings: Settings,
    progress: ProgressCallback | None = None,
    spider_args: dict[str, str] | None = None,
) -> Batch:
    batch = new_batch(settings.staging, portal_id)
    spider_args = dict(spider_args or {})
    if settings.incremental:
        spider_args.setdefault("state", str(export_state(portal_id, settings, batch).resolve()))  # crawler cwd: the batch
    scrapy_settings = dict(settings.scrapy_settings)
    if settings.contact_url:
        scrapy_settings.setdefault("PORTAL_CONTACT_URL", settings.contact_url)
    outcome = run_crawl(
        portal_id,
        batch,
        portals_file=settings.portals_file,
        max_articles=settings.max_articles,
        timeout=settings.crawl_timeout,
        scrapy_settings=scrapy_settings,
        progress=progress,
        spider_args=spider_args,
    )
    log.info("crawl of %s finished: %d pages (%s)", portal_id, outcome.pages, outcome.finish_reason)
    return batch


def export_state(portal_id: str, settings: Settings, batch: Batch) -> Path:
    """What the archive and staged batches hold of the portal -> ``<batch>/state.json`` (etl.store.state).
    Under the load lock: this process never reads the archive while one of its threads writes it."""
    with _LOAD_LOCK:
        return export_crawl_state(
            settings.db_path, settings.staging, portal_id, batch.path, refresh_since=settings.refresh_since
        )


def extract_step(batch: Batch, settings: Settings, registry: Registry | None = None) -> TransformSummary:
    with heavy_step():
        return transform_batch(batch, registry or registry_for(settings), workers=settings.extract_workers)


def load_step(settings: Settings, batch_ids: list[str] | None = None) -> list[LoadResult]:
    if settings.archive:  # a DuckLake archive shared by many machines (etl.store.lake)
        from etl.store import lake

        with heavy_step(), _LOAD_LOCK:
            return lake.load_ready_batches(
                settings.archive, settings.staging, batch_ids=batch_ids, keep_batches=settings.keep_batches
            )
    with heavy_step(), _LOAD_LOCK:
        return load_ready_batches(
            settings.db_path,
            settings.staging,
            batch_ids=batch_ids,
            lock_timeout=settings.lock_timeout,
            keep_batches=settings.keep_batches,
            publish=settings.publish,
        )


def publish_step(settings: Settings) -> bool:
    """Publish the analysts' snapshot of the archive now; False (logged) when another process holds it."""
    if settings.archive:  # a lake has no snapshot: analysts attach it read-only
        return False
    with heavy_step(), _LOAD_LOCK:
        try:
            con = open_archive(settings.db_path, lock_timeout=settings.lock_timeout)
        except ArchiveLocked as exc:
            log.warning("snapshot not published: %s", exc)
            return False
        try:
            publish_snapshot(con, settings.db_path)
        finally:
            con.close()
    log.info("published the snapshot of %s", settings.db_path)
    return True


def run_portal(portal_id: str, settings: Settings, progress: ProgressCallback | None = None) -> PortalReport:
    """Crawl, extract and load one portal; a locked archive leaves the batch staged (status ``staged``)."""
    batch = crawl_step(portal_id, settings, progress)
    summary = extract_step(batch, settings)
    return finish_batch(batch, summary, settings)


def finish_batch(batch: Batch, summary: TransformSummary, settings: Settings) -> PortalReport:
    crawl = batch.crawl_info()
    report = PortalReport(
        portal=summary.portal,
        batch_id=batch.id,
        pages=summary.pages,
        articles=summary.articles,
        errors=summary.errors,
        finish_reason=crawl.get("finish_reason"),
        message=crawl.get("message"),
        kinds=summary.kinds,
    )
    try:
        results = load_step(settings, [batch.id])
    except ArchiveLocked as exc:
        report.status = "staged"
        report.message = str(exc)
        log.warning("%s", exc)
        return report
    for result in results:
        report.status = result.status
        report.articles_new = result.articles_new
        report.articles_updated = result.articles_updated
    return report


def recover(settings: Settings, registry: Registry | None = None) -> list[LoadResult]:
    """Extract batches an earlier run crawled but did not extract, then merge every READY batch.

    A batch whose crawler was killed (raw pages, no crawl.json, lock free) is closed first as
    ``interrupted``, so what it fetched is kept and the rerun does not fetch it again."""
    for batch in interrupted_batches(settings.staging):
        log.info("batch %s was left by a crawl that did not finish; keeping what it fetched", batch.id)
        mark_interrupted(batch)
    for batch in list_batches(settings.staging):
        if not batch.ready and (batch.path / CRAWL).exists():
            log.info("extracting batch %s left by an earlier run", batch.id)
            extract_step(batch, settings, registry)
    try:
        return load_step(settings)
    except ArchiveLocked as exc:
        log.warning("%s", exc)
        return []


def pending_batches(staging: Path) -> list[str]:
    return [b.id for b in list_batches(staging)]
