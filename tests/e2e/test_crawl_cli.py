"""End to end: the sample portals on 127.0.0.1 → `portal-etl crawl` (Scrapy + Prefect) → DuckDB."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from etl.samples.expected import (
    broken_pages,
    expected_articles,
    key_for_url,
    must_not_contain,
    page_inventory,
)
from etl.samples.server import serve_samples

pytestmark = pytest.mark.e2e

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "RETRY_TIMES=1"]


def portal_etl(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    return subprocess.run(
        [sys.executable, "-m", "etl.cli", *args], capture_output=True, text=True, timeout=timeout, env=env
    )


def query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    with serve_samples() as server:
        portals = tmp / "portals.toml"
        portals.write_text(server.registry_toml(), encoding="utf-8")
        db = tmp / "archive.duckdb"
        first = portal_etl("crawl", "--portals-file", str(portals), "--db", str(db), *FAST)
        snapshot = query(db, "SELECT * FROM articles ORDER BY article_id") if db.exists() else []
        requests_after_first = list(server.request_log)
        second = portal_etl("crawl", "--portals-file", str(portals), "--db", str(db), *FAST)
        yield {
            "server_sites": dict(server.sites),
            "db": db,
            "first": first,
            "second": second,
            "snapshot": snapshot,
            "requests": requests_after_first,
        }


def test_crawl_succeeds_and_prints_a_summary(crawled):
    first = crawled["first"]
    assert first.returncode == 0, first.stderr[-3000:] + first.stdout[-3000:]
    for site in crawled["server_sites"]:
        assert site in first.stdout


def test_exactly_the_sample_articles_land(crawled):
    rows = query(crawled["db"], "SELECT url, portal, title, published_at, province FROM articles")
    expected = {(a["site"], a["path"]): a for a in expected_articles()}
    got = {}
    for url, portal, title, published_at, province in rows:
        key = key_for_url(url, crawled["server_sites"])
        assert key is not None, f"article from an unknown site: {url}"
        assert key[0] == portal
        got[key] = (title, published_at)
    assert sorted(got) == sorted(expected)
    for key, article in expected.items():
        title, published_at = got[key]
        assert title == article["title"], key
        want = datetime.fromisoformat(article["published_at"]) if article["published_at"] else None
        assert published_at == want, key


def test_text_is_clean_nfc_and_free_of_furniture(crawled):
    rows = query(crawled["db"], "SELECT url, text FROM articles")
    expected = {(a["site"], a["path"]): a for a in expected_articles()}
    for url, text in rows:
        article = expected[key_for_url(url, crawled["server_sites"])]
        assert unicodedata.normalize("NFC", text) == text
        assert "\n\n" not in text
        for furniture in must_not_contain(article):
            assert furniture not in text, (url, furniture)


def test_broken_pages_are_recorded_as_errors_not_articles(crawled):
    rows = query(crawled["db"], "SELECT url, status, error, kind, is_article FROM pages")
    by_key = {key_for_url(url, crawled["server_sites"]): (status, error, kind, is_article)
              for url, status, error, kind, is_article in rows}
    for broken in broken_pages():
        status, error, kind, is_article = by_key[(broken["site"], broken["path"])]
        assert status == broken["status"], broken
        assert error, broken
        assert kind == "error" and not is_article, broken


def test_robots_disallowed_paths_are_never_fetched(crawled):
    for site, pages in page_inventory().items():
        for path in pages.get("disallowed", []):
            assert not [r for r in crawled["requests"] if r[0] == site and r[2].startswith(path)]


def test_crawl_runs_record_each_portal(crawled):
    rows = query(crawled["db"], "SELECT portal, status, pages_fetched, articles_new, errors FROM crawl_runs "
                                "ORDER BY run_id")
    first_runs = {}
    for portal, status, pages, new, errors in rows:
        first_runs.setdefault(portal, []).append((status, pages, new, errors))
    assert set(first_runs) == set(crawled["server_sites"])
    for runs in first_runs.values():
        assert all(status == "ok" for status, *_ in runs)
        # The four broken pages of each site, in the first crawl; the incremental second crawl retries only
        # the transient ones (a 404 is not asked for again).
        assert runs[0][-1] >= 4


def test_second_crawl_changes_no_article(crawled):
    second = crawled["second"]
    assert second.returncode == 0, second.stderr[-3000:]
    assert query(crawled["db"], "SELECT * FROM articles ORDER BY article_id") == crawled["snapshot"]
    new = query(crawled["db"], "SELECT sum(articles_new), sum(articles_updated) FROM crawl_runs "
                               "WHERE run_id IN (SELECT run_id FROM crawl_runs ORDER BY loaded_at DESC LIMIT 4)")
    assert new == [(0, 0)]


def test_the_run_publishes_the_snapshot_analysts_read(crawled):
    from etl.store.snapshot import snapshot_path

    snapshot = snapshot_path(crawled["db"])
    assert snapshot.exists()
    assert query(snapshot, "SELECT count(*) FROM articles") == query(crawled["db"], "SELECT count(*) FROM articles")
    [(published_at,)] = query(snapshot, "SELECT published_at FROM snapshot_info")
    assert published_at is not None


def test_sql_command_prints_a_table(crawled):
    result = portal_etl("sql", "SELECT count(*) AS n FROM articles", "--db", str(crawled["db"]))
    assert result.returncode == 0, result.stderr
    assert str(len(expected_articles())) in result.stdout
