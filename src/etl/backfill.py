"""Deep backfills: walk a portal's listings, feeds and sitemaps as far back as a date range needs.

A backfill is a crawl with ``-a backfill=1``: listings are paginated one page at a time until the items they
show are older than ``since`` (see ``portal_crawlers.spiders.portal``), articles outside the range are not
fetched when the listing dates them, and pages the archive already holds are never requested.  It is
resumable: before crawling, ``pipeline.recover`` closes and merges whatever an earlier, killed run left in
staging (its ``raw.jsonl`` survives a ``kill -9``), and the crawl state handed to the spider lists every page
stored so far, so the rerun fetches only what is still missing and ends with the same archive.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date

from etl.config import Settings
from etl.crawl import run_crawl
from etl.pipeline import PortalReport, export_state, extract_step, finish_batch
from etl.store.staging import Batch, new_batch

log = logging.getLogger(__name__)

PROGRESS = "progress.json"
BACKFILL_MAX_PAGES = 10_000_000  # the safety cap of ordinary crawls does not apply

ProgressPrinter = Callable[[dict], None]


def read_progress(batch: Batch) -> dict:
    try:
        return json.loads((batch.path / PROGRESS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def describe_progress(progress: dict, records: int, portal: str = "") -> str:
    """One line: pages, articles and an estimate of what is left (listing pages still to read, from the
    highest page number the pagers showed, and articles queued)."""
    parts = [f"{progress.get('portal', portal)}: {records} pages recorded"]
    if progress:
        parts.append(f"{progress.get('listing_pages', 0)} listing pages read")
        parts.append(
            f"{progress.get('articles_fetched', 0)} articles fetched, {progress.get('articles_queued', 0)} queued"
        )
        left = progress.get("listing_pages_left", 0)
        active = progress.get("listings_active", 0)
        parts.append(f"~{left} listing pages left in {active} listing(s) being walked")
        if progress.get("oldest_listing_date"):
            target = f" (target {progress['since']})" if progress.get("since") else ""
            parts.append(f"reached {progress['oldest_listing_date']}{target}")
    return ", ".join(parts)


def run_backfill(
    portal_id: str,
    settings: Settings,
    *,
    since: date | None = None,
    until: date | None = None,
    printer: ProgressPrinter | None = None,
) -> PortalReport:
    """Backfill one portal into the archive; returns the same report as an ordinary crawl."""
    batch = new_batch(settings.staging, portal_id)
    spider_args = {"backfill": "1", "max_pages": str(BACKFILL_MAX_PAGES)}
    if since:
        spider_args["since"] = since.isoformat()
    if until:
        spider_args["until"] = until.isoformat()
    spider_args["state"] = str(export_state(portal_id, settings, batch))
    scrapy_settings = dict(settings.scrapy_settings)
    if settings.contact_url:
        scrapy_settings.setdefault("PORTAL_CONTACT_URL", settings.contact_url)

    def progress(portal: str, records: int) -> None:
        line = describe_progress(read_progress(batch), records, portal)
        log.info("backfill %s", line)
        if printer is not None:
            printer({"records": records, **read_progress(batch)})

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
    log.info("backfill crawl of %s finished: %d pages (%s)", portal_id, outcome.pages, outcome.finish_reason)
    summary = extract_step(batch, settings)
    return finish_batch(batch, summary, settings)
