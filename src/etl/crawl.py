"""Running one portal's crawl as its own process.

Twisted's reactor cannot be restarted inside a process, so every crawl (and every retry of one) is a fresh
``python -m portal_crawlers crawl portal`` subprocess (``scrapy crawl portal`` without the discovery of Scrapy's
other commands, see ``portal_crawlers.__main__``) writing into a staged batch.  This module starts it, reports
progress from the batch file as it grows, kills it on time-out and always leaves a ``crawl.json`` behind.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from etl.store.staging import CRAWL, Batch

log = logging.getLogger(__name__)

ProgressCallback = Callable[[str, int], None]


@dataclass
class CrawlOutcome:
    portal: str
    batch: Batch
    returncode: int | None
    pages: int
    finish_reason: str
    info: dict

    @property
    def ok(self) -> bool:
        return self.finish_reason not in ("timeout", "crashed") and self.pages > 0


def crawler_command(
    portal_id: str,
    batch: Batch,
    portals_file: Path | None,
    max_articles: int | None,
    scrapy_settings: dict[str, str] | None = None,
    spider_args: dict[str, str] | None = None,
) -> list[str]:
    # `scrapy crawl portal ...`, through the lean entry point (portal_crawlers/__main__.py: ~70 ms less start-up)
    cmd = [sys.executable, "-m", "portal_crawlers", "crawl", "portal"]
    cmd += ["-a", f"portal={portal_id}", "-a", f"out={batch.path.resolve()}"]
    if portals_file is not None:
        cmd += ["-a", f"portals_file={Path(portals_file).resolve()}"]
    if max_articles is not None:
        cmd += ["-a", f"max_articles={int(max_articles)}"]
    for name, value in (spider_args or {}).items():
        cmd += ["-a", f"{name}={value}"]
    for name, value in (scrapy_settings or {}).items():
        cmd += ["-s", f"{name}={value}"]
    return cmd


def count_lines(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 16), b""))
    except FileNotFoundError:
        return 0


def run_crawl(
    portal_id: str,
    batch: Batch,
    *,
    portals_file: Path | None = None,
    max_articles: int | None = None,
    timeout: float = 3 * 3600.0,
    scrapy_settings: dict[str, str] | None = None,
    progress: ProgressCallback | None = None,
    poll_interval: float = 1.0,
    spider_args: dict[str, str] | None = None,
) -> CrawlOutcome:
    """Crawl one portal into ``batch``; never raises for crawl failures (they are in the outcome)."""
    env = dict(os.environ)
    env["SCRAPY_SETTINGS_MODULE"] = "portal_crawlers.settings"
    env.setdefault("PYTHONIOENCODING", "utf-8")
    env["PORTAL_ETL_PARENT_PID"] = str(os.getpid())  # the crawler dies with us (portal_crawlers.middlewares)
    cmd = crawler_command(portal_id, batch, portals_file, max_articles, scrapy_settings, spider_args)
    started = datetime.now(UTC)
    log_path = batch.path / "crawl.log"
    log.info("crawling %s into %s", portal_id, batch.path)
    # crawl.lock is held from here until the crawler is gone (it inherits the descriptor): a batch with
    # raw pages, no crawl.json and a free lock was left by a killed run (etl.store.state.interrupted_batches).
    lock_fd = os.open(batch.path / "crawl.lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(lock_fd, fcntl.LOCK_EX)
    with log_path.open("ab") as log_file:
        try:
            proc = subprocess.Popen(
                cmd, stdout=log_file, stderr=subprocess.STDOUT, env=env, cwd=batch.path, start_new_session=True,
                pass_fds=(lock_fd,),
            )
        except BaseException:
            os.close(lock_fd)
            raise
        deadline = time.monotonic() + timeout
        last_count = -1
        finish_reason = None
        while True:
            try:
                proc.wait(timeout=poll_interval)
                break
            except subprocess.TimeoutExpired:
                pass
            count = count_lines(batch.raw_path)
            if progress and count != last_count:
                progress(portal_id, count)
                last_count = count
            if time.monotonic() >= deadline:
                log.warning("crawl of %s exceeded %.0fs; killing it", portal_id, timeout)
                _terminate(proc, grace=min(10.0, max(1.0, timeout / 10)))
                finish_reason = "timeout"
                break
    os.close(lock_fd)
    pages = count_lines(batch.raw_path)
    if progress:
        progress(portal_id, pages)
    info = batch.crawl_info()
    if finish_reason is None and proc.returncode != 0 and not info:
        finish_reason = "crashed"
    if finish_reason or not info:
        reason = finish_reason or "crashed"
        info = {
            **info,
            "portal": portal_id,
            "started_at": info.get("started_at") or started.isoformat(),
            "finished_at": datetime.now(UTC).isoformat(),
            "pages": pages,
            "finish_reason": reason,
            "message": _tail(log_path) if reason == "crashed" else f"killed after {timeout:.0f}s",
        }
        (batch.path / CRAWL).write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
    return CrawlOutcome(portal_id, batch, proc.returncode, pages, str(info.get("finish_reason")), info)


def _terminate(proc: subprocess.Popen, grace: float = 10.0) -> None:
    """SIGTERM (Scrapy shuts down gracefully), a second SIGTERM after ``grace`` seconds (Scrapy's forced
    shutdown: a graceful one waits for hung downloads up to DOWNLOAD_TIMEOUT), then SIGKILL."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGTERM, 5.0), (signal.SIGKILL, None)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue


def _tail(path: Path, lines: int = 5) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except FileNotFoundError:
        return ""
    return " | ".join(text[-lines:])[-1000:]
