"""Faults and politeness: every misbehaviour of a portal is recorded in ``pages`` and never becomes an article."""

from __future__ import annotations

import itertools

import duckdb
import pytest
from fault_site import (
    DISALLOWED,
    EMPTY,
    FAST_SETTINGS,
    GONE_404,
    HUGE,
    LOOP_A,
    NOT_HTML,
    SLOW,
    TRANSIENT_503,
    TRUNCATED,
    free_port,
    registry_toml,
    serve_fault_site,
)

from etl import pipeline
from etl.config import Settings

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("faults")
    with serve_fault_site(faults=True, count=8) as site:
        portals = tmp / "portals.toml"
        down = f"http://127.0.0.1:{free_port()}/"  # nothing listens there
        portals.write_text(registry_toml("loi", site.url) + "\n" + registry_toml("sap", down), encoding="utf-8")
        settings = Settings(
            db_path=tmp / "archive.duckdb", portals_file=portals,
            scrapy_settings={**FAST_SETTINGS, "PORTAL_CONTACT_URL": "https://example.org/lien-he"},
        )
        down_report = pipeline.run_portal("sap", settings)
        report = pipeline.run_portal("loi", settings)
        log = site.log.since()
    con = duckdb.connect(str(tmp / "archive.duckdb"), read_only=True)
    try:
        pages = {
            "/" + url.split("/", 3)[3]: (status, kind, error, is_article)
            for url, status, kind, error, is_article in con.execute(
                "SELECT url, status, kind, error, is_article FROM pages WHERE portal = 'loi'"
            ).fetchall()
        }
        articles = {row[0] for row in con.execute("SELECT url FROM articles").fetchall()}
        runs = {row[0]: row[1:] for row in con.execute(
            "SELECT portal, status, pages_fetched, errors, message FROM crawl_runs").fetchall()}
    finally:
        con.close()
    return {"report": report, "down": down_report, "pages": pages, "articles": articles, "runs": runs, "log": log,
            "site": site}


@pytest.mark.parametrize(
    ("path", "status", "expected"),
    [
        (GONE_404, 404, "HTTP 404"),
        (LOOP_A, None, "redirect loop"),
        (SLOW, None, "timeout"),
        (TRUNCATED, None, "truncated"),
        (EMPTY, 200, "empty response"),
        (HUGE, None, "too large"),
        (NOT_HTML, 200, "not HTML: image/jpeg"),
    ],
)
def test_faulty_page_is_recorded_with_a_clear_error(crawled, path, status, expected):
    assert path in crawled["pages"], f"{path} not recorded"
    got_status, kind, error, is_article = crawled["pages"][path]
    assert got_status == status
    assert kind == "error" and not is_article
    assert error and expected in error, error
    assert not any(url.endswith(path) for url in crawled["articles"])


def test_transient_503_is_retried_with_backoff_and_lands(crawled):
    times = [t for _, p, _, _, t in crawled["log"] if p == TRANSIENT_503]
    statuses = [s for _, p, s, _, _ in crawled["log"] if p == TRANSIENT_503]
    assert statuses == [503, 503, 200]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    # RETRY_BACKOFF_BASE 0.2 s: about 0.2 s then 0.4 s (±25 %), not back-to-back.
    assert gaps[0] >= 0.14 and gaps[1] >= 0.29, gaps
    assert crawled["pages"][TRANSIENT_503][:2] == (200, "article")
    assert any(url.endswith(TRANSIENT_503) for url in crawled["articles"])


def test_slow_page_is_retried_then_given_up(crawled):
    assert [p for _, p, _, _, _ in crawled["log"]].count(SLOW) == 3  # RETRY_TIMES=2


def test_user_agent_names_the_project_and_the_configured_contact(crawled):
    assert crawled["site"].agents == {"portal-etl/0.1 (+https://example.org/lien-he; news archive crawler)"}


def test_robots_txt_is_obeyed(crawled):
    assert DISALLOWED not in [p for _, p, _, _, _ in crawled["log"]]
    assert DISALLOWED not in crawled["pages"]


def test_the_healthy_articles_still_land(crawled):
    site = crawled["site"]
    expected = {a.path for a in site.articles} | {TRANSIENT_503}
    assert {"/" + u.split("/", 3)[3] for u in crawled["articles"]} == expected


def test_run_summary_and_crawl_runs_say_what_failed(crawled):
    report, down = crawled["report"], crawled["down"]
    assert report.status == "ok" and report.errors == 7
    status, _pages, errors, message = crawled["runs"]["loi"]
    assert status == "ok" and errors == 7
    for kind in ("HTTP 404", "redirect loop", "timeout", "truncated", "empty response", "too large", "not HTML"):
        assert kind in message, message
    # The portal that is down fails on its own, with the reason, and did not stop the other one.
    assert down.status == "failed"
    status, _pages, errors, message = crawled["runs"]["sap"]
    assert status == "failed" and "connection refused" in message, message


def test_a_page_that_failed_last_run_is_asked_once_in_the_next_run(tmp_path):
    # SLOW times out on every attempt: the first run retries it (RETRY_TIMES=2), the next run finds it on the
    # crawl state's retry list and asks it once, without the back-off, and it stays recorded as an error.
    with serve_fault_site(faults=True, count=3) as site:
        portals = tmp_path / "portals.toml"
        portals.write_text(registry_toml("loi", site.url), encoding="utf-8")
        settings = Settings(db_path=tmp_path / "archive.duckdb", portals_file=portals,
                            scrapy_settings=dict(FAST_SETTINGS))
        pipeline.run_portal("loi", settings)
        first = site.log.paths().count(SLOW)
        mark = len(site.log.since())
        report = pipeline.run_portal("loi", settings)
        second = site.log.paths(mark).count(SLOW)
    assert (first, second) == (3, 1)
    assert report.status == "ok"
    con = duckdb.connect(str(tmp_path / "archive.duckdb"), read_only=True)
    try:
        row = con.execute("SELECT kind, error FROM pages WHERE url LIKE ?", [f"%{SLOW}"]).fetchone()
    finally:
        con.close()
    assert row[0] == "error" and "timeout" in row[1]
