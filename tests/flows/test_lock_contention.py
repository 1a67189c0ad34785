"""A second process holds a read-write DuckDB connection on the archive while a scheduled crawl loads:
the flow completes, the batch waits in staging with a clear log line, and the next run merges it."""

from __future__ import annotations

import asyncio
import subprocess
import sys

from etl.store.snapshot import snapshot_path
from etl.store.staging import list_batches
from tests.flows.conftest import archived_keys, expected_keys, rows, settings_for

HOLDER = (
    "import duckdb, sys\n"
    "con = duckdb.connect(sys.argv[1])  # read-write, like a notebook or DBeaver on the archive itself\n"
    "con.execute('SELECT count(*) FROM articles').fetchall()\n"
    "print('holding', flush=True)\n"
    "sys.stdin.readline()\n"
    "con.close()\n"
)


def flow_logs(flow_run_id) -> list[str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=10)

    async def read():
        async with get_client() as client:
            return await client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])))

    return [log.message for log in asyncio.run(read())]


def run(portal: str, settings):
    from portal_flows.pipeline import crawl_flow
    from prefect.task_runners import ThreadPoolTaskRunner

    state = crawl_flow.with_options(task_runner=ThreadPoolTaskRunner(max_workers=1))(
        [portal], settings.to_dict(), return_state=True
    )
    assert state.is_completed(), state  # a held archive is never a failed run
    return state, state.result()


def test_locked_archive_keeps_the_batch_staged_until_the_next_run(prefect_harness, samples, portals_file, tmp_path):
    settings = settings_for(tmp_path, portals_file, lock_timeout=2.0)
    db, staging = settings.db_path, settings.staging
    run("sample-kontum", settings)  # the archive exists and has data
    kontum = expected_keys(["sample-kontum"])
    assert archived_keys(db, samples) == kontum

    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        state, [report] = run("sample-lamdong", settings)
        assert report["status"] == "staged", report
        assert "held by another process" in report["message"]
        [waiting] = list_batches(staging)
        assert waiting.id == report["batch_id"] and waiting.ready
        assert {p.name for p in waiting.path.iterdir()} >= {"raw.jsonl", "articles.parquet", "pages.parquet", "READY"}
        # Analysts still read the last published snapshot while the archive is held.
        con_rows = rows(snapshot_path(db), "SELECT count(*) FROM articles")
        assert con_rows == [(len(kontum),)]
        logs = flow_logs(state.state_details.flow_run_id)
        line = [m for m in logs if "waits in" in m]
        assert line, logs
        assert waiting.id in line[0] and "held by another process" in line[0] and "next run" in line[0]
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=30)

    state, [report] = run("sample-lamdong", settings)  # recovers the staged batch, then crawls again
    assert report["status"] == "ok"
    assert list_batches(staging) == []
    both = expected_keys(["sample-kontum", "sample-lamdong"])
    assert archived_keys(db, samples) == both  # nothing lost, nothing twice
    runs = rows(db, "SELECT run_id, status, articles_new FROM crawl_runs "
                    "WHERE portal = 'sample-lamdong' ORDER BY run_id")
    lamdong = len(expected_keys(["sample-lamdong"]))
    assert [(r[0] == waiting.id, r[1], r[2]) for r in runs] == [
        (True, "ok", lamdong),  # the batch that waited, merged once
        (False, "ok", 0),  # today's crawl of the same site: nothing new
    ]
    assert rows(db, "SELECT count(*), count(DISTINCT url) FROM pages")[0][0] == rows(
        db, "SELECT count(DISTINCT url) FROM pages")[0][0]
    assert rows(snapshot_path(db), "SELECT count(*) FROM articles") == [(len(both),)]
