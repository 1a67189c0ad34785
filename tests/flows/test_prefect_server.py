"""Against a real ``prefect server start`` on 127.0.0.1 (started and stopped here): ``portal-etl serve``
registers the deployments with their cron schedules, a triggered run completes and fills the archive, and
stopping ``serve`` leaves the schedule active (``pause_on_shutdown=False``)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.flows.conftest import FAST, archived_keys, expected_keys

pytestmark = pytest.mark.prefect_server

CRON = "15 3 * * *"
SITE = "sample-kontum"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prefect_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1",
        PREFECT_SERVER_UI_ENABLED="false", NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost",
    )
    return env


def stop(proc: subprocess.Popen, sig=signal.SIGINT, timeout: float = 20) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def prefect_server(tmp_path):
    port = free_port()
    log = (tmp_path / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env={**prefect_env(tmp_path / "server-home"), "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "1"},
        stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path,
    )
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, (tmp_path / "server.log").read_text(errors="replace")[-3000:]
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "prefect server did not start"
        time.sleep(0.3)
    try:
        yield url
    finally:
        stop(proc, signal.SIGTERM)
        log.close()


async def wait_for_deployment(client, name: str, proc: subprocess.Popen, log: Path, timeout: float = 60):
    from prefect.exceptions import ObjectNotFound

    deadline = time.monotonic() + timeout
    while True:
        assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
        try:
            return await client.read_deployment_by_name(name)
        except ObjectNotFound:
            assert time.monotonic() < deadline, "serve did not register the deployment"
            await asyncio.sleep(0.5)


async def scheduled_runs(deployment_id, timeout: float = 30):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType

    deadline = time.monotonic() + timeout
    async with get_client() as client:
        while True:
            runs = await client.read_flow_runs(
                deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
                flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))),
            )
            if runs or time.monotonic() > deadline:
                return runs
            await asyncio.sleep(0.5)


async def run_logs(flow_run_id) -> list[str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    async with get_client() as client:
        logs = await client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])))
    return [log.message for log in logs]


def test_serve_registers_cron_deployments_and_runs_them(prefect_server, samples, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    portals = tmp_path / "portals.toml"
    portals.write_text(samples.registry_toml(), encoding="utf-8")
    fast = ", ".join(f'{k} = "{v}"' for k, v in FAST.items())
    schedules = tmp_path / "schedules.toml"
    schedules.write_text(
        f'[[schedule]]\nname = "kontum-incremental"\ncron = "{CRON}"\ntimezone = "Asia/Ho_Chi_Minh"\n'
        f'portals = ["{SITE}"]\nmode = "incremental"\n\n'
        f'[schedule.parameters]\nlock_timeout = 5.0\nscrapy_settings = {{ {fast} }}\n',
        encoding="utf-8",
    )
    db = tmp_path / "data" / "archive.duckdb"
    work = tmp_path / "elsewhere"  # serve's working directory must not matter
    work.mkdir()
    env = prefect_env(tmp_path / "client-home")
    env.update(PREFECT_API_URL=prefect_server, PREFECT_RUNNER_POLL_FREQUENCY="1")
    serve_log = tmp_path / "serve.log"
    with serve_log.open("wb") as log:
        serve = subprocess.Popen(
            [sys.executable, "-m", "etl.cli", "serve", "--schedules-file", str(schedules),
             "--portals-file", str(portals), "--db", str(db)],
            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=work,
        )
    name = "crawl-portals/kontum-incremental"
    try:
        with temporary_settings({PREFECT_API_URL: prefect_server}):

            async def registered():
                async with get_client() as client:
                    return await wait_for_deployment(client, name, serve, serve_log)

            deployment = asyncio.run(registered())
            [schedule] = deployment.schedules
            assert schedule.active and not deployment.paused
            assert schedule.schedule.cron == CRON
            assert schedule.schedule.timezone == "Asia/Ho_Chi_Minh"
            assert deployment.parameters["portal_ids"] == [SITE]
            assert deployment.parameters["settings"]["db_path"] == str(db)
            assert deployment.parameters["settings"]["crawl_timeout"] == 3600  # the incremental mode

            # The server's scheduler creates runs from the cron, read in Vietnam time.
            upcoming = asyncio.run(scheduled_runs(deployment.id))
            assert upcoming, "the scheduler created no runs"
            for run in upcoming:
                local = run.expected_start_time.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
                assert (local.hour, local.minute) == (3, 15), local

            flow_run = run_deployment(name, timeout=90, poll_interval=1)
            assert flow_run.state.is_completed(), (flow_run.state, serve_log.read_text(errors="replace")[-3000:])
            # The library's own log lines reach the API; logs are shipped in batches, so allow a few seconds.
            deadline = time.monotonic() + 20
            logs = asyncio.run(run_logs(flow_run.id))
            while not any(m.startswith("merged batch") for m in logs) and time.monotonic() < deadline:
                time.sleep(1)
                logs = asyncio.run(run_logs(flow_run.id))
            assert any(m.startswith("merged batch") for m in logs), logs
    finally:
        stop(serve)
    assert archived_keys(db, samples) == expected_keys([SITE])

    with temporary_settings({PREFECT_API_URL: prefect_server}):

        async def after_shutdown():
            async with get_client() as client:
                return await client.read_deployment_by_name(name)

        deployment = asyncio.run(after_shutdown())
    assert not deployment.paused, "stopping serve paused the deployment (pause_on_shutdown)"
    assert all(s.active for s in deployment.schedules)
