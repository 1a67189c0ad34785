"""A multi-worker Prefect set-up on one machine, as README "Scaling out" describes it for many:
a Prefect server on PostgreSQL, a process work pool, N workers as separate processes (each its own
``PORTAL_ETL_WORKER`` name), the ``portal-run`` / ``lake-incremental`` deployments of ``prefect.yaml``, and
every flow run loading into a DuckLake archive.  Used by tests/scaleout/test_prefect_workers.py and
benchmarks/scaleout.py.  Loopback only.
"""

from __future__ import annotations

import itertools
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx

from tests.scaleout.pgcluster import PgCluster, free_port

REPO = Path(__file__).resolve().parents[2]
POOL = "portal-etl"  # the pool prefect.yaml names
FAST = {"AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0", "RETRY_TIMES": "1"}
_START = re.compile(r"portal (\S+): crawl starts on worker (\S+)")
_DONE = re.compile(r"portal (\S+): done on worker (\S+) \[(\S+) \.\. (\S+)\]")


def base_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "PORTAL_ETL_"))}
    env.update(
        PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1",
        PREFECT_SERVER_UI_ENABLED="false", NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost",
    )
    return env


@dataclass
class RunInfo:
    id: str
    portal: str
    state: str
    worker: str | None = None
    started: datetime | None = None
    finished: datetime | None = None


@dataclass
class PrefectStack:
    pg: PgCluster
    workdir: Path
    archive: str
    procs: list[subprocess.Popen] = field(default_factory=list)
    workers: dict[str, subprocess.Popen] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.api = f"http://127.0.0.1:{self.port}/api"
        self.env = base_env(self.workdir / "prefect-home")
        self.env.update(PREFECT_API_URL=self.api, PORTAL_ETL_HOME=str(self.workdir))

    # -- processes ------------------------------------------------------------------------------------------
    def _spawn(self, args: list[str], log_name: str, env: dict[str, str], cwd: Path) -> subprocess.Popen:
        log = (self.workdir / log_name).open("wb")
        proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.procs.append(proc)
        return proc

    def start_server(self, timeout: float = 90) -> None:
        database = self.pg.create_db(f"prefect{self.port}")
        del database
        env = dict(self.env, PREFECT_API_DATABASE_CONNECTION_URL=self.pg.url(f"prefect{self.port}"))
        env.pop("PREFECT_API_URL")
        self._spawn([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                     "--port", str(self.port)], "server.log", env, self.workdir)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.api}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.procs[-1].poll() is not None:
                break
            time.sleep(0.5)
        raise RuntimeError("prefect server did not start:\n" + (self.workdir / "server.log").read_text()[-3000:])

    def prefect(self, *args: str, timeout: float = 120) -> str:
        result = subprocess.run([sys.executable, "-m", "prefect", *args], check=False, env=self.env, cwd=REPO,
                                capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"prefect {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
        return result.stdout

    def deploy(self) -> None:
        """The work pool, then `prefect deploy` of prefect.yaml's scale-out deployments (run from the repo)."""
        self.prefect("work-pool", "create", POOL, "--type", "process")
        self.prefect("--no-prompt", "deploy", "--name", "portal-run", "--name", "lake-incremental")

    def start_worker(self, name: str, limit: int = 2) -> None:
        env = dict(self.env, PORTAL_ETL_WORKER=name, PORTAL_ETL_ARCHIVE=self.archive,
                   PREFECT_WORKER_QUERY_SECONDS="1", PREFECT_WORKER_PREFETCH_SECONDS="5")
        self.workers[name] = self._spawn(
            [sys.executable, "-m", "prefect", "worker", "start", "--pool", POOL, "--name", name,
             "--limit", str(limit)], f"worker-{name}.log", env, self.workdir)

    def stop(self) -> None:
        # A Prefect worker ignores the first SIGTERM (it starts a graceful shutdown) and stops on the second.
        for proc in reversed(self.procs):
            if proc.poll() is None:
                for _ in range(2):
                    try:
                        os.killpg(proc.pid, signal.SIGTERM)
                    except ProcessLookupError:
                        break
                    time.sleep(0.3)
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    # -- runs -----------------------------------------------------------------------------------------------
    def fan_out(self, portal_ids: list[str], settings: dict) -> str:
        """Trigger the lake-incremental deployment (crawl-fan-out) once; returns its flow run id."""
        from prefect.deployments import run_deployment
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings({PREFECT_API_URL: self.api}):
            run = run_deployment("crawl-fan-out/lake-incremental", timeout=0,
                                 parameters={"portal_ids": portal_ids, "settings": settings})
        return str(run.id)

    def portal_runs(self) -> list:
        from prefect.client.orchestration import get_client
        from prefect.client.schemas.filters import FlowFilter, FlowFilterName
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings({PREFECT_API_URL: self.api}), get_client(sync_client=True) as client:
            return client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=["portal-run"])))

    def wait(self, expected_runs: int, timeout: float = 240) -> list:
        deadline = time.monotonic() + timeout
        runs = []
        while time.monotonic() < deadline:
            runs = self.portal_runs()
            if len(runs) >= expected_runs and all(r.state and r.state.is_final() for r in runs):
                return runs
            time.sleep(1)
        states = [(r.name, r.state.name if r.state else None) for r in runs]
        raise TimeoutError(f"portal runs not finished after {timeout}s: {states}")

    def run_infos(self, runs: list, timeout: float = 30) -> list[RunInfo]:
        """Worker and crawl interval of each run, from the flow runs' own log lines (which reach the API in
        batches, possibly after the run's final state: polled until every run has its lines)."""
        deadline = time.monotonic() + timeout
        while True:
            infos = self._run_infos(runs)
            if all(i.worker and i.finished for i in infos) or time.monotonic() > deadline:
                return infos
            time.sleep(1)

    def _run_infos(self, runs: list) -> list[RunInfo]:
        from prefect.client.orchestration import get_client
        from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
        from prefect.settings import PREFECT_API_URL, temporary_settings

        infos = []
        with temporary_settings({PREFECT_API_URL: self.api}), get_client(sync_client=True) as client:
            for run in runs:
                info = RunInfo(str(run.id), run.parameters.get("portal_id"), run.state.name)
                logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id])))
                for entry in logs:
                    if match := _START.search(entry.message):
                        info.worker = match.group(2)
                    if match := _DONE.search(entry.message):
                        info.started = datetime.fromisoformat(match.group(3))
                        info.finished = datetime.fromisoformat(match.group(4))
                infos.append(info)
        return infos


def overlaps(intervals: list[tuple[datetime, datetime]]) -> list[tuple]:
    ordered = sorted(intervals)
    return [(a, b) for a, b in itertools.pairwise(ordered) if b[0] < a[1]]
