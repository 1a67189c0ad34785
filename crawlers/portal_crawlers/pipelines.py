"""Writes the crawl's only output: ``<batch>/raw.jsonl`` and, at the end, ``<batch>/crawl.json``.

The spider yields ``etl.records.RawPage`` items; this pipeline appends each as one JSON line and flushes it at
once, so a crash (or a kill from the scheduler) loses at most the line being written and the batch stays
usable: ``etl.store.staging.read_raw_pages`` skips a torn last line.  ``crawl.json`` is written on the
``spider_closed`` signal, the first moment the finish reason is known, atomically (temp file + rename).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from scrapy import Spider, signals

from etl.records import RawPage

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

log = logging.getLogger(__name__)

RAW_FILE = "raw.jsonl"  # same names as etl.store.staging.RAW / CRAWL
CRAWL_FILE = "crawl.json"
LOCK_FILE = "crawl.lock"  # held while a crawler writes the batch (etl.store.state.crawl_in_progress)
# Scrapy stats worth keeping beside the counts (prefix match).
STATS_KEPT = (
    "downloader/request_count",
    "downloader/response_count",
    "downloader/response_status_count/",
    "downloader/exception_type_count/",
    "downloader/response_bytes",
    "retry/",
    "robotstxt/",
    "offsite/",
    "portal/",
    "dupefilter/filtered",
    "elapsed_time_seconds",
    "log_count/ERROR",
    "log_count/WARNING",
    "item_scraped_count",
    "memusage/max",
)


class RawPageWriter:
    """Append RawPage items to ``raw.jsonl`` (flushed per line) and summarise the run in ``crawl.json``."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.handle: IO[str] | None = None
        self.out_dir: Path | None = None
        self.started_at: datetime | None = None
        self.records = 0
        self.pages = 0  # records with an HTTP response (any status)
        self.errors = 0  # records with an error (HTTP >= 400 included)
        self.article_like = 0
        self.error_kinds: Counter[str] = Counter()
        self.first_error: str | None = None
        self.lock_fd: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        writer = cls(crawler)
        crawler.signals.connect(writer.spider_closed, signal=signals.spider_closed)
        return writer

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.out_dir = Path(spider.out_dir)  # type: ignore[union-attr]
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._lock_batch()
        raw_path = self.out_dir / RAW_FILE
        if raw_path.exists() and raw_path.stat().st_size:
            log.warning("%s already has pages; this run appends to it", raw_path)
        self.handle = raw_path.open("a", encoding="utf-8")
        self.started_at = datetime.now(UTC)
        log.info("writing raw pages to %s", raw_path)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, RawPage):
            return item
        assert self.handle is not None
        self.handle.write(item.to_json() + "\n")
        self.handle.flush()
        self.records += 1
        if item.status is not None:
            self.pages += 1
        if item.error:
            self.errors += 1
            self.error_kinds[item.error.split(":")[0].split(" (")[0][:40]] += 1
            self.first_error = self.first_error or f"{item.url}: {item.error}"
        elif item.status is not None and item.status >= 400:
            self.error_kinds[f"HTTP {item.status}"] += 1
        classifier = getattr(self.crawler.spider, "classifier", None)
        if classifier is not None and classifier.is_article(item.url):
            self.article_like += 1
        return item

    def close_spider(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.out_dir is None:
            return
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        kept = {k: v for k, v in sorted(stats.items()) if k.startswith(STATS_KEPT)}
        summary = {
            "portal": getattr(spider, "portal_id", spider.name),
            "batch_id": self.out_dir.name,
            "started_at": (self.started_at or datetime.now(UTC)).isoformat(),
            "finished_at": datetime.now(UTC).isoformat(),
            "pages": self.pages,
            "errors": self.errors,
            "records": self.records,
            "article_like": self.article_like,
            "finish_reason": reason,
            "limit_reached": getattr(spider, "limit_reached", None),
            "message": self._message(),
            "stats": kept,
        }
        target = self.out_dir / CRAWL_FILE
        temporary = target.with_suffix(".json.tmp")
        temporary.write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        os.replace(temporary, target)
        write_progress = getattr(spider, "_write_progress", None)
        if write_progress is not None:
            write_progress(force=True)
        log.info(
            "crawl of %s done (%s): %d pages, %d errors, %d article-like -> %s",
            summary["portal"],
            reason,
            self.pages,
            self.errors,
            self.article_like,
            target,
        )

    def _message(self) -> str | None:
        """What went wrong, for ``crawl_runs.message``: nothing answered, or a count of errors by kind."""
        if self.records and not self.pages:
            return f"no response from the portal: {self.first_error}"
        if not self.records:
            return "nothing fetched (robots.txt forbids everything, or no page in scope)"
        if self.error_kinds:
            kinds = ", ".join(f"{kind} ×{n}" for kind, n in self.error_kinds.most_common(8))
            return f"{sum(self.error_kinds.values())} page(s) failed: {kinds}"
        return None

    def _lock_batch(self) -> None:
        """Hold ``crawl.lock`` while this process lives, so ``recover`` can tell a live crawl from a killed one.

        ``etl.crawl.run_crawl`` already holds it for us (its descriptor is inherited); then our own attempt
        fails and the inherited lock does the job."""
        assert self.out_dir is not None
        try:
            fd = os.open(self.out_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            log.warning("cannot create %s: %s", self.out_dir / LOCK_FILE, exc)
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)  # held by the parent on our behalf (or by another crawler of this batch)
            return
        os.write(fd, f"{os.getpid()}\n".encode())
        self.lock_fd = fd  # released by the kernel when this process ends, however it ends
