"""Prefect flows: compose the library's steps, nothing more.

* ``portal_flow``: one portal, crawl → extract (and normalise) → load, with its own summary artifact.
* ``crawl_flow``: many portals, at most ``portal_concurrency`` at once (every crawl is its own process),
  after finishing whatever an earlier run left staged.  It publishes a markdown artifact ``crawl-summary``
  with the per-portal counts.

The concurrency bound is enforced inside the flow (not by a task runner chosen at call time), so it holds
the same way in ``portal-etl crawl``, under ``portal-etl serve`` and in a work-pool worker.

Crawl tasks retry with backoff when the crawler process crashed: each retry starts a fresh Scrapy process,
so the Twisted reactor is never restarted.  A crawl that hangs is killed after ``crawl_timeout`` seconds
and reported (``finish_reason`` ``timeout``), not retried.  A locked archive is not a failure: the batch
stays staged and the next run merges it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from etl import pipeline
from etl.config import Settings
from etl.store.loader import ArchiveError
from etl.store.staging import Batch
from etl.transform import TransformSummary

SUMMARY_KEY = "crawl-summary"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def _library_logs_at_info() -> None:
    """Under ``serve`` or a worker, Prefect's logging config leaves the root logger at WARNING, so the
    library's INFO lines (merges, lock waits) would be dropped even with PREFECT_LOGGING_EXTRA_LOGGERS=etl.
    Lower the ``etl`` logger to INFO there; a caller that configured logging itself (the CLI) is left alone."""
    etl_logger = logging.getLogger("etl")
    if etl_logger.level == logging.NOTSET and logging.getLogger().getEffectiveLevel() > logging.INFO:
        etl_logger.setLevel(logging.INFO)


def run_settings(settings: dict | None) -> Settings:
    """Flow parameters -> Settings.  ``refresh_days`` (scheduled refresh runs, ``etl.schedules``) becomes
    ``refresh_since`` = that many days before today in Vietnam, computed when the run starts."""
    data = dict(settings or {})
    days = data.pop("refresh_days", None)
    resolved = Settings.from_dict(data)
    if days is not None and not resolved.refresh_since:
        since = datetime.now(VIETNAM).date() - timedelta(days=int(days))
        resolved = resolved.with_(refresh_since=since.isoformat())
    return resolved


def _transient(task, task_run, state) -> bool:
    """Retry unless the archive path itself is unusable (a configuration error, not a passing one)."""
    try:
        state.result()
    except ArchiveError:
        return False
    except Exception:  # noqa: BLE001 - any other failure of a merge (I/O, a killed DuckDB) is worth a retry
        return True
    return True


@task(name="crawl", retries=2, retry_delay_seconds=[10, 60], retry_jitter_factor=0.2, tags=["crawl"])
def crawl_task(portal_id: str, settings: dict) -> str:
    logger = get_run_logger()
    last = {"n": -1}

    def progress(portal: str, pages: int) -> None:
        if pages // 25 != last["n"] // 25 or pages == 0:
            logger.info("%s: %d pages fetched", portal, pages)
        last["n"] = pages

    resolved = Settings.from_dict(settings)
    batch = pipeline.crawl_step(portal_id, resolved, progress)
    info = batch.crawl_info()
    if info.get("finish_reason") == "crashed":
        # A crashed crawler is worth a retry (a fresh process); its partial batch is still extracted.
        pipeline.extract_step(batch, resolved)
        raise RuntimeError(f"crawler process for {portal_id} crashed: {info.get('message')}")
    if info.get("finish_reason") == "timeout":
        logger.error(
            "crawl of %s hung and was killed after %.0fs (crawl_timeout); %d page(s) kept in batch %s",
            portal_id, resolved.crawl_timeout, int(info.get("pages") or 0), batch.id,
        )
    return str(batch.path)


@task(name="extract")
def extract_task(batch_path: str, settings: dict) -> TransformSummary:
    return pipeline.extract_step(Batch(path=Path(batch_path)), Settings.from_dict(settings))


@task(name="load", retries=3, retry_delay_seconds=[5, 30, 120], retry_jitter_factor=0.2,
      retry_condition_fn=_transient)
def load_task(batch_path: str, summary: TransformSummary, settings: dict) -> dict:
    report = pipeline.finish_batch(Batch(path=Path(batch_path)), summary, Settings.from_dict(settings))
    logger = get_run_logger()
    if report.status == "staged":
        logger.warning(
            "batch %s (%s: %d pages, %d articles) waits in %s: %s",
            report.batch_id, report.portal, report.pages, report.articles, batch_path, report.message,
        )
    else:
        logger.info(
            "%s: %d pages, %d articles (%d new, %d updated), %d errors",
            report.portal, report.pages, report.articles, report.articles_new, report.articles_updated,
            report.errors,
        )
    return report.as_dict()


@task(name="portal")
def portal_task(portal_id: str, settings: dict) -> dict:
    batch_path = crawl_task(portal_id, settings)
    summary = extract_task(batch_path, settings)
    return load_task(batch_path, summary, settings)


@task(name="recover")
def recover_task(settings: dict) -> int:
    resolved = Settings.from_dict(settings)
    results = pipeline.recover(resolved)
    logger = get_run_logger()
    if results:
        logger.info("merged %d batch(es) left staged by earlier runs", len(results))
    waiting = pipeline.pending_batches(resolved.staging)
    if waiting:
        logger.warning("%d batch(es) still wait in %s for the archive lock: %s",
                       len(waiting), resolved.staging, ", ".join(waiting))
    return len(results)


@task(name="publish")
def publish_task(settings: dict) -> bool:
    """One snapshot publication per run (a copy of the archive and a full-text index build)."""
    return pipeline.publish_step(Settings.from_dict(settings))


@flow(name="portal", log_prints=False)
def portal_flow(portal_id: str, settings: dict | None = None) -> dict:
    _library_logs_at_info()
    settings = run_settings(settings).to_dict()
    report = portal_task(portal_id, settings)
    create_markdown_artifact(key=SUMMARY_KEY, markdown=summary_markdown([report]), description="Crawl summary")
    return report


@flow(name="crawl-portals")
def crawl_flow(portal_ids: list[str] | None = None, settings: dict | None = None) -> list[dict]:
    _library_logs_at_info()
    resolved = run_settings(settings)
    registry = pipeline.registry_for(resolved)
    ids = [p.id for p in registry.select(portal_ids)]
    # The per-portal loads leave the analysts' snapshot alone; it is published once, after the last merge.
    plain = resolved.with_(publish=False).to_dict()
    recover_task(plain)
    limit = max(1, resolved.portal_concurrency)
    states: dict[str, object] = {}
    pending = list(ids)
    running: dict = {}
    while pending or running:
        while pending and len(running) < limit:  # at most `limit` crawls at once
            pid = pending.pop(0)
            running[portal_task.submit(pid, plain)] = pid
        done = next(as_completed(list(running)))
        done.wait()  # sets the future's final state; without it `.state` asks the API, which may lag behind
        states[running.pop(done)] = done
    reports = []
    for pid in ids:
        future = states[pid]
        state = future.state
        if state.is_completed():
            reports.append(future.result())
        else:
            reports.append(
                pipeline.PortalReport(portal=pid, batch_id="", status="failed", message=str(state.message)).as_dict()
            )
    if resolved.publish:
        publish_task(resolved.to_dict())
    create_markdown_artifact(key=SUMMARY_KEY, markdown=summary_markdown(reports), description="Crawl summary")
    return reports


def summary_markdown(reports: list[dict]) -> str:
    lines = [
        "| portal | status | pages | articles | new | updated | errors | note |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in reports:
        lines.append(
            f"| {r['portal']} | {r['status']} | {r['pages']} | {r['articles']} | {r['articles_new']} "
            f"| {r['articles_updated']} | {r['errors']} | {_note(r)} |"
        )
    return "\n".join(lines)


def _note(report: dict) -> str:
    reason = report.get("finish_reason")
    if report.get("status") == "staged":
        note = "waiting for the archive lock; merged by the next run"
    elif reason in ("timeout", "crashed"):
        note = f"{reason}: {report.get('message') or ''}".strip().rstrip(":")
    elif report.get("status") == "failed":
        note = report.get("message") or "nothing usable fetched"
    else:
        note = ""
    return " ".join(str(note).split()).replace("|", "/")[:200]


def run_crawl_flow(portal_ids: list[str] | None, settings: Settings) -> list[dict]:
    """Run ``crawl_flow`` with a thread pool sized by ``settings.portal_concurrency``."""
    runner = ThreadPoolTaskRunner(max_workers=max(1, settings.portal_concurrency))
    return crawl_flow.with_options(task_runner=runner)(portal_ids, settings.to_dict())
