"""The big one: a Prefect server on PostgreSQL, two process workers as separate processes, the prefect.yaml
deployments, the four local sample portals crawled as one flow run per portal into a DuckLake archive."""

from __future__ import annotations

from collections import defaultdict

import pytest

from etl import pipeline
from etl.config import Settings
from etl.samples.server import serve_samples
from tests.scaleout.batches import compare_lake_with_file
from tests.scaleout.prefect_stack import FAST, PrefectStack, overlaps

pytestmark = pytest.mark.prefect_server

ARTICLE_CONTENT = ["article_id", "portal", "province", "url", "title", "published_at", "date_source", "author",
                   "category", "dateline", "text", "text_norm", "word_count", "content_hash", "duplicate_of"]


def test_two_workers_crawl_into_one_lake(pg_cluster, tmp_path):
    with serve_samples() as samples:
        portals_file = tmp_path / "portals.toml"
        portals_file.write_text(samples.registry_toml(), encoding="utf-8")
        ids = [p.id for p in samples.portals()]
        assert len(ids) >= 4
        archive = f"ducklake:postgres:{pg_cluster.create_db('workers_lake')};data={tmp_path / 'lake'}/"
        settings = {"portals_file": str(portals_file), "scrapy_settings": FAST, "max_articles": 4}
        stack = PrefectStack(pg_cluster, tmp_path / "work", archive)
        try:
            stack.start_server()
            stack.deploy()
            stack.start_worker("w1", limit=2)
            stack.start_worker("w2", limit=2)
            stack.fan_out(ids, settings)
            stack.fan_out(ids[:1], settings)  # the same portal again: must wait, never crawl side by side
            runs = stack.wait(len(ids) + 1, timeout=240)
            infos = stack.run_infos(runs)
        finally:
            stack.stop()

        assert sorted(i.state for i in infos) == ["Completed"] * (len(ids) + 1), infos
        per_worker = defaultdict(list)
        for info in infos:
            per_worker[info.worker].append(info.portal)
        assert set(per_worker) == {"w1", "w2"}, per_worker  # both workers ran flow runs
        by_portal = defaultdict(list)
        for info in infos:
            assert info.started and info.finished, info
            by_portal[info.portal].append((info.started, info.finished))
        assert sorted(by_portal) == sorted(ids)
        assert all(not overlaps(spans) for spans in by_portal.values()), by_portal

        # The same crawl on one machine, into the single-file archive, holds exactly the same articles.
        single = Settings(db_path=tmp_path / "single" / "portals.duckdb", portals_file=portals_file,
                          scrapy_settings=dict(FAST), max_articles=4)
        for portal_id in ids:
            assert pipeline.run_portal(portal_id, single).status == "ok"
    compared = compare_lake_with_file(archive, single.db_path, tables=("articles",),
                                      columns={"articles": ARTICLE_CONTENT})
    lake_rows, file_rows = compared["articles"]
    assert lake_rows == file_rows and len(file_rows) >= 4 * len(ids)
    from etl.store.lake import open_lake_readonly

    con = open_lake_readonly(archive)
    try:  # crawl_runs: one row per flow run, and a portal's runs never overlap in the archive either
        rows = con.execute("SELECT portal, started_at, finished_at FROM crawl_runs ORDER BY 1, 2").fetchall()
    finally:
        con.close()
    assert len(rows) == len(ids) + 1
    spans = defaultdict(list)
    for portal, started, finished in rows:
        spans[portal].append((started, finished))
    assert all(not overlaps(s) for s in spans.values()), spans
