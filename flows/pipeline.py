"""Prefect flows: compose the library's steps, nothing more.

* ``portal_flow``: one portal, crawl → extract → load.
* ``crawl_flow``: many portals at once (a thread pool bounded by ``portal_concurrency``; every crawl is its
  own process), after finishing whatever an earlier run left staged.  It publishes a markdown artifact
  with the per-portal counts.

Crawl tasks retry with backoff: each retry starts a fresh Scrapy process, so the Twisted reactor is never
restarted.  A locked archive is not a failure: the batch stays staged and the next run merges it.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.task_runners import ThreadPoolTaskRunner

from etl import pipeline
from etl.config import Settings
from etl.store.staging import Batch
from etl.transform import TransformSummary


@task(name="crawl", retries=2, retry_delay_seconds=[10, 60], tags=["crawl"])
def crawl_task(portal_id: str, settings: dict) -> str:
    logger = get_run_logger()
    last = {"n": -1}

    def progress(portal: str, pages: int) -> None:
        if pages // 25 != last["n"] // 25 or pages == 0:
            logger.info("%s: %d pages fetched", portal, pages)
        last["n"] = pages

    batch = pipeline.crawl_step(portal_id, Settings.from_dict(settings), progress)
    info = batch.crawl_info()
    if info.get("finish_reason") == "crashed":
        # A crashed crawler is worth a retry (a fresh process); its partial batch is still extracted.
        pipeline.extract_step(batch, Settings.from_dict(settings))
        raise RuntimeError(f"crawler process for {portal_id} crashed: {info.get('message')}")
    return str(batch.path)


@task(name="extract")
def extract_task(batch_path: str, settings: dict) -> TransformSummary:
    return pipeline.extract_step(Batch(path=Path(batch_path)), Settings.from_dict(settings))


@task(name="load", retries=3, retry_delay_seconds=[5, 30, 120])
def load_task(batch_path: str, summary: TransformSummary, settings: dict) -> dict:
    report = pipeline.finish_batch(Batch(path=Path(batch_path)), summary, Settings.from_dict(settings))
    logger = get_run_logger()
    if report.status == "staged":
        logger.warning("archive busy: batch %s stays staged (%s)", report.batch_id, report.message)
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
    results = pipeline.recover(Settings.from_dict(settings))
    if results:
        get_run_logger().info("merged %d batch(es) left staged by earlier runs", len(results))
    return len(results)


@flow(name="portal", log_prints=False)
def portal_flow(portal_id: str, settings: dict | None = None) -> dict:
    settings = Settings.from_dict(settings).to_dict()
    return portal_task(portal_id, settings)


@flow(name="crawl-portals")
def crawl_flow(portal_ids: list[str] | None = None, settings: dict | None = None) -> list[dict]:
    resolved = Settings.from_dict(settings)
    registry = pipeline.registry_for(resolved)
    ids = [p.id for p in registry.select(portal_ids)]
    plain = resolved.to_dict()
    recover_task(plain)
    futures = [portal_task.submit(pid, plain) for pid in ids]
    for future in futures:
        future.wait()
    reports = []
    for pid, future in zip(ids, futures):
        state = future.state
        if state.is_completed():
            reports.append(future.result())
        else:
            reports.append(
                pipeline.PortalReport(portal=pid, batch_id="", status="failed", message=str(state.message)).as_dict()
            )
    create_markdown_artifact(key="crawl-summary", markdown=summary_markdown(reports), description="Crawl summary")
    return reports


def summary_markdown(reports: list[dict]) -> str:
    lines = [
        "| portal | status | pages | articles | new | updated | errors |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in reports:
        lines.append(
            f"| {r['portal']} | {r['status']} | {r['pages']} | {r['articles']} | {r['articles_new']} "
            f"| {r['articles_updated']} | {r['errors']} |"
        )
    return "\n".join(lines)


def run_crawl_flow(portal_ids: list[str] | None, settings: Settings) -> list[dict]:
    """Run ``crawl_flow`` with the thread pool sized by ``settings.portal_concurrency``."""
    runner = ThreadPoolTaskRunner(max_workers=max(1, settings.portal_concurrency))
    return crawl_flow.with_options(task_runner=runner)(portal_ids, settings.to_dict())
