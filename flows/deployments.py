"""Deployments of ``crawl-portals`` built from the schedules file (``etl.schedules``), and serving them.

``portal-etl serve`` calls :func:`serve_schedules`: one deployment per schedule group, served by this
process with Prefect's ``serve`` (no work pool).  Runs start as subprocesses that import the flow by module
path (``portal_flows.pipeline.crawl_flow``), so the working directory does not matter.
"""

from __future__ import annotations

from portal_flows.pipeline import crawl_flow
from prefect import serve
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron
from prefect.types.entrypoint import EntrypointType

from etl.config import Settings
from etl.schedules import ScheduleGroup

TAGS = ["portal-etl"]


def build_deployments(groups: list[ScheduleGroup], base: Settings) -> list[RunnerDeployment]:
    deployments = []
    for group in groups:
        portals = "all portals" if not group.portals else ", ".join(group.portals)
        deployments.append(
            crawl_flow.to_deployment(
                name=group.name,
                schedules=[Cron(group.cron, timezone=group.timezone, active=group.active)],
                parameters=group.flow_parameters(base),
                tags=[*TAGS, group.mode],
                description=group.description or f"{group.mode} crawl of {portals} ({group.cron}, {group.timezone})",
                entrypoint_type=EntrypointType.MODULE_PATH,
            )
        )
    return deployments


def serve_schedules(groups: list[ScheduleGroup], base: Settings, *, limit: int | None = None) -> None:
    """Register the deployments with the Prefect API and run their scheduled runs until interrupted.

    ``pause_on_shutdown=False``: Prefect's ``serve`` pauses every served schedule when it stops unless told
    otherwise, so a restart (or a server that outlives this process) would find the schedules paused.
    """
    serve(*build_deployments(groups, base), pause_on_shutdown=False, limit=limit)
