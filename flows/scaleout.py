"""Crawling on many machines: one flow run per portal, served by the workers of a Prefect work pool.

* ``portal_run_flow`` (flow ``portal-run``): crawl → extract → load of ONE portal (the tasks of
  ``portal_flows.pipeline``), holding the global concurrency limit ``portal:<id>`` (limit 1) for the whole run,
  so two workers never crawl one portal at once, whichever machines they run on.  The limit is created on
  first use when missing (``portal-etl portal-limits`` creates them all ahead).
* ``fan_out_flow`` (flow ``crawl-fan-out``): submits one ``portal-run`` flow run per portal to the pool and
  returns at once; the pool's workers pick them up (``prefect worker start --pool ... --limit N``).

Load into a DuckLake archive (``settings["archive"]`` or the workers' ``PORTAL_ETL_ARCHIVE``) so every
worker writes its batches directly and concurrently; see README "Scaling out".
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime

from portal_flows.pipeline import SUMMARY_KEY, portal_task, summary_markdown
from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.concurrency.sync import concurrency

from etl import pipeline
from etl.config import Settings

PORTAL_RUN_DEPLOYMENT = "portal-run/portal-run"
LIMIT_PREFIX = "portal:"


def worker_name() -> str:
    """The machine (or worker) a run executes on: $PORTAL_ETL_WORKER, else the host name."""
    return os.environ.get("PORTAL_ETL_WORKER") or socket.gethostname()


def create_portal_limits(portal_ids: list[str], limit: int = 1) -> list[str]:
    """Create (or reset) the global concurrency limit ``portal:<id>`` for each portal; returns the names."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate, GlobalConcurrencyLimitUpdate
    from prefect.exceptions import ObjectAlreadyExists

    names = []
    with get_client(sync_client=True) as client:
        for portal_id in portal_ids:
            name = LIMIT_PREFIX + portal_id
            try:
                client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=name, limit=limit))
            except ObjectAlreadyExists:
                client.update_global_concurrency_limit(name, GlobalConcurrencyLimitUpdate(limit=limit, active=True))
            names.append(name)
    return names


def ensure_portal_limit(portal_id: str) -> str:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
    from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

    name = LIMIT_PREFIX + portal_id
    with get_client(sync_client=True) as client:
        try:
            client.read_global_concurrency_limit_by_name(name)
        except ObjectNotFound:
            try:
                client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=name, limit=1))
            except ObjectAlreadyExists:
                pass  # another worker created it meanwhile
    return name


@flow(name="portal-run")
def portal_run_flow(portal_id: str, settings: dict | None = None) -> dict:
    """One portal, crawl → extract → load, never at the same time as another run of the same portal."""
    logger = get_run_logger()
    plain = Settings.from_dict(settings).to_dict()
    worker = worker_name()
    limit = ensure_portal_limit(portal_id)
    with concurrency(limit, occupy=1, strict=True, lease_duration=600):
        started = datetime.now(UTC)
        logger.info("portal %s: crawl starts on worker %s (pid %d)", portal_id, worker, os.getpid())
        report = portal_task(portal_id, plain)
        finished = datetime.now(UTC)
    logger.info("portal %s: done on worker %s [%s .. %s]", portal_id, worker, started.isoformat(),
                finished.isoformat())
    report = dict(report, worker=worker, started=started.isoformat(), finished=finished.isoformat())
    create_markdown_artifact(
        key=SUMMARY_KEY, markdown=summary_markdown([report]) + f"\n\nworker: {worker}", description="Crawl summary"
    )
    return report


@flow(name="crawl-fan-out")
def fan_out_flow(
    portal_ids: list[str] | None = None,
    settings: dict | None = None,
    deployment: str = PORTAL_RUN_DEPLOYMENT,
) -> list[str]:
    """Submit one ``portal-run`` flow run per portal (default: every registered portal); returns their ids."""
    from prefect.deployments import run_deployment

    resolved = Settings.from_dict(settings)
    ids = [p.id for p in pipeline.registry_for(resolved).select(portal_ids)]
    plain = resolved.to_dict()
    logger = get_run_logger()
    run_ids = []
    for portal_id in ids:
        run = run_deployment(
            name=deployment, parameters={"portal_id": portal_id, "settings": plain}, timeout=0,
            as_subflow=False, tags=[LIMIT_PREFIX + portal_id],
        )
        run_ids.append(str(run.id))
    logger.info("submitted %d portal run(s) to %s", len(run_ids), deployment)
    return run_ids
