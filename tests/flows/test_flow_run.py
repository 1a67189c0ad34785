"""The Prefect flows under ``prefect_test_harness``: sample portals on 127.0.0.1 → DuckDB, plus the
``crawl-summary`` artifact read back through the Prefect client; a hung portal is killed and reported."""

from __future__ import annotations

import asyncio
import time

from tests.flows.conftest import SilentServer, archived_keys, expected_keys, rows, settings_for

SITES = ["sample-kontum", "sample-lamdong"]


def read_artifact(flow_run_id) -> str:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey

    async def read():
        async with get_client() as client:
            return await client.read_artifacts(
                artifact_filter=ArtifactFilter(
                    key=ArtifactFilterKey(any_=["crawl-summary"]),
                    flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]),
                )
            )

    artifacts = asyncio.run(read())
    assert len(artifacts) == 1, artifacts
    assert artifacts[0].type == "markdown"
    return artifacts[0].data


def table(markdown: str) -> dict[str, dict[str, str]]:
    lines = [line for line in markdown.splitlines() if line.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    out = {}
    for line in lines[2:]:
        cells = dict(zip(header, (c.strip() for c in line.strip("|").split("|"))))
        out[cells["portal"]] = cells
    return out


def test_crawl_flow_loads_the_archive_and_publishes_the_summary(prefect_harness, samples, portals_file, tmp_path):
    from portal_flows.pipeline import crawl_flow
    from prefect.task_runners import ThreadPoolTaskRunner

    settings = settings_for(tmp_path, portals_file)
    state = crawl_flow.with_options(task_runner=ThreadPoolTaskRunner(max_workers=2))(
        SITES, settings.to_dict(), return_state=True
    )
    assert state.is_completed(), state
    reports = state.result()
    assert [r["status"] for r in reports] == ["ok", "ok"]

    db = settings.db_path
    assert archived_keys(db, samples) == expected_keys(SITES)
    runs = {r[0]: r[1:] for r in rows(db, "SELECT portal, status, pages_fetched, articles_found, articles_new, "
                                          "articles_updated, errors FROM crawl_runs")}
    assert sorted(runs) == sorted(SITES)
    assert list((tmp_path / "staging").iterdir()) == []  # merged batches leave staging

    summary = table(read_artifact(state.state_details.flow_run_id))
    assert sorted(summary) == sorted(SITES)
    for portal, (status, pages, found, new, updated, errors) in runs.items():
        cells = summary[portal]
        assert (cells["status"], cells["pages"], cells["articles"], cells["new"], cells["updated"],
                cells["errors"]) == (status, str(pages), str(found), str(new), str(updated), str(errors))
        assert new == found == len(expected_keys([portal])) and errors >= 4


def test_a_hung_crawl_is_killed_by_the_timeout_and_reported(prefect_harness, tmp_path):
    from portal_flows.pipeline import portal_flow

    silent = SilentServer()
    try:
        portals = tmp_path / "portals.toml"
        portals.write_text(
            f'[[portal]]\nid = "hung"\nname = "Never answers"\nprovince = "Kon Tum"\nurl = "{silent.url}"\n',
            encoding="utf-8",
        )
        settings = settings_for(tmp_path, portals, crawl_timeout=8.0)  # Scrapy needs a few seconds to start on a busy machine
        started = time.monotonic()
        state = portal_flow("hung", settings.to_dict(), return_state=True)
        elapsed = time.monotonic() - started
    finally:
        silent.close()
    assert state.is_completed(), state
    assert silent.connections, "the crawler never reached the silent portal"
    assert elapsed < 45, f"the hung crawl was not killed promptly ({elapsed:.0f}s)"
    report = state.result()
    assert (report["status"], report["finish_reason"], report["pages"]) == ("failed", "timeout", 0)
    assert "killed after 8s" in report["message"]
    assert rows(settings.db_path, "SELECT portal, status, finish_reason FROM crawl_runs") == [
        ("hung", "failed", "timeout")
    ]
    summary = table(read_artifact(state.state_details.flow_run_id))
    assert summary["hung"]["status"] == "failed"
    assert "timeout" in summary["hung"]["note"]
