"""The portal spider, end to end: a real Scrapy subprocess against a local portal on 127.0.0.1."""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from crawler_harness import CrawlRun, registry_toml, run_spider
from crawler_site import (
    ARTICLES_TIN_TUC,
    ARTICLES_XDD,
    BROKEN_404,
    BROKEN_500,
    FEED_ONLY,
    FLAKY_503,
    LARGE_PDF,
    NEVER,
    OFFSITE_REDIRECT,
    SITEMAP_ONLY,
    SLOW,
    SMALL_PDF,
    LocalSite,
    RequestLog,
    serve_site,
)
from portal_crawlers.discovery import UrlClassifier

from etl.portals.registry import load_registry

pytestmark = pytest.mark.e2e

ALL_ARTICLES = ARTICLES_TIN_TUC + ARTICLES_XDD + [SITEMAP_ONLY, FEED_ONLY, FLAKY_503]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LocalSite, RequestLog, Path]]:
    with serve_site() as (site, trap_log):
        folder = tmp_path_factory.mktemp("registry")
        portals = folder / "portals.toml"
        portals.write_text(registry_toml("thu-nghiem", site.url), encoding="utf-8")
        yield site, trap_log, portals


@pytest.fixture(scope="module")
def full_crawl(served, tmp_path_factory: pytest.TempPathFactory) -> CrawlRun:
    site, _, portals = served
    out = tmp_path_factory.mktemp("batches") / "full"
    run = run_spider("thu-nghiem", portals, out, proxy=site.trap_url)
    assert run.returncode == 0, run.log[-3000:]
    return run


def test_every_article_is_fetched_once(full_crawl: CrawlRun) -> None:
    pages = full_crawl.by_path()
    for path in ALL_ARTICLES:
        assert path in pages, f"{path} not fetched"
        assert pages[path].status == 200 and pages[path].error is None
        assert pages[path].body
    urls = [p.url for p in full_crawl.pages]
    assert len(urls) == len(set(urls)), "a URL was recorded twice (redirects included)"


def test_listings_are_paginated(full_crawl: CrawlRun) -> None:
    pages = full_crawl.by_path()
    # NukeViet /page-N via "Trang sau" and "»", ?page=N via "Xem thêm".
    for path in (
        "/tin-tuc/",
        "/tin-tuc/page-2",
        "/tin-tuc/page-3",
        "/xay-dung-dang/",
        "/xay-dung-dang/?page=2",
    ):
        assert pages[path].status == 200


def test_pages_carry_how_they_were_found(full_crawl: CrawlRun, served) -> None:
    site = served[0]
    pages = full_crawl.by_path()
    article = pages[ARTICLES_TIN_TUC[6]]  # only linked from /tin-tuc/page-3
    assert article.category_hint == "Tin tức"
    assert article.link_text == "Tiêu đề bài 1: Tin tức"
    assert article.referer == site.url + "tin-tuc/page-3"
    assert article.portal == "thu-nghiem"
    assert article.fetched_at.tzinfo is not None
    assert pages[ARTICLES_XDD[3]].category_hint == "Xây dựng Đảng"
    assert pages["/tin-tuc/"].category_hint == "Tin tức"  # menu entry text names the section
    assert pages[FEED_ONLY].category_hint == "Tin tức"  # RSS <category>


def test_robots_disallowed_and_unwanted_links_are_never_requested(full_crawl: CrawlRun, served) -> None:
    site = served[0]
    requested = site.log.paths()
    for prefix in NEVER:
        assert not [p for p in requested if p.startswith(prefix)], f"requested {prefix}"
    assert "/robots.txt" in requested


@pytest.mark.parametrize("obey", [True, False])
def test_robots_txt_is_fetched_once_and_its_sitemap_lines_are_followed(obey: bool, tmp_path: Path) -> None:
    """Scrapy's robots middleware fetches robots.txt to enforce it; the spider reads the Sitemap: lines from that
    same copy (RobotsSitemapsMiddleware), and fetches robots.txt itself only when the rules are not obeyed."""
    with serve_site() as (site, _):
        portals = tmp_path / "portals.toml"
        portals.write_text(registry_toml("thu-nghiem", site.url), encoding="utf-8")
        # A whole crawl, not a max_articles one: that closes the crawl as soon as two articles are in, which on
        # a loaded machine can come before robots.txt (fetched by the spider when not obeyed) has been read.
        # No retries: the site's slow and flaky pages would only add their back-off.
        run = run_spider("thu-nghiem", portals, tmp_path / "b",
                         settings={"ROBOTSTXT_OBEY": str(obey), "RETRY_TIMES": "0"})
        assert run.returncode == 0, run.log[-3000:]
        requested = site.log.paths()
    assert requested.count("/robots.txt") == 1, requested
    assert "/sitemap-news.xml" in requested  # named only by robots.txt
    assert "/robots.txt" not in run.by_path()  # not a page of the portal either way


def test_no_request_leaves_the_portal(full_crawl: CrawlRun, served) -> None:
    site, trap_log, _ = served
    # The trap is both a neighbour port on 127.0.0.1 and the HTTP(S) proxy for every non-loopback host.
    assert trap_log.entries == []
    hosts = {host for _, host, _ in site.log.entries}
    assert hosts == {f"127.0.0.1:{site.port}"}, hosts  # never as http://localhost:<port>/
    for page in full_crawl.pages:
        assert urlsplit(page.url).netloc == f"127.0.0.1:{site.port}"


def test_broken_pages_are_recorded_with_errors(full_crawl: CrawlRun, served) -> None:
    site = served[0]
    pages = full_crawl.by_path()
    assert pages[BROKEN_404].status == 404 and pages[BROKEN_404].error == "HTTP 404"
    assert site.log.count(BROKEN_404) == 1  # a 404 is terminal: not retried
    assert pages[BROKEN_500].status == 500
    assert pages[BROKEN_500].error == "HTTP 500 (after 3 retries)"
    assert site.log.count(BROKEN_500) == 4  # RETRY_TIMES = 3
    slow = pages[SLOW]
    assert slow.status is None and slow.error.startswith("timeout:")
    assert slow.category_hint == "Tin tức"
    redirect = pages[OFFSITE_REDIRECT]
    assert redirect.status is None and redirect.error.startswith("redirected off-site to ")


def test_a_503_that_recovers_is_recorded_once_as_fetched(full_crawl: CrawlRun, served) -> None:
    site = served[0]
    page = full_crawl.by_path()[FLAKY_503]
    assert site.log.count(FLAKY_503) == 3  # 503, 503, 200
    assert page.status == 200 and page.error is None
    assert sum(1 for p in full_crawl.pages if p.url.endswith(FLAKY_503)) == 1


def test_documents_are_fetched_once_and_size_capped(full_crawl: CrawlRun, served) -> None:
    site = served[0]
    pages = full_crawl.by_path()
    assert pages[SMALL_PDF].status == 200 and pages[SMALL_PDF].content_type == "application/pdf"
    assert pages[LARGE_PDF].status is None and pages[LARGE_PDF].error.startswith("too large:")
    assert site.log.count(SMALL_PDF) == 1


def test_feeds_and_sitemaps_are_recorded_but_probes_that_miss_are_not(full_crawl: CrawlRun) -> None:
    pages = full_crawl.by_path()
    assert pages["/rss/tin-tuc.rss"].status == 200
    assert pages["/sitemap-news.xml"].status == 200  # found through robots.txt's Sitemap: line
    assert "/sitemap.xml" not in pages  # the default probe 404ed: not a page of the portal
    assert "/robots.txt" not in pages


def test_crawl_json_summarises_the_run(full_crawl: CrawlRun) -> None:
    summary = full_crawl.summary
    pages = full_crawl.pages
    assert summary["portal"] == "thu-nghiem"
    assert summary["batch_id"] == "full"
    assert summary["finish_reason"] == "finished"
    assert summary["limit_reached"] is None
    assert summary["records"] == len(pages)
    assert summary["pages"] == sum(1 for p in pages if p.status is not None)
    assert summary["errors"] == sum(1 for p in pages if p.error) == 5
    assert summary["article_like"] >= len(ALL_ARTICLES)
    assert summary["started_at"] <= summary["finished_at"]
    assert summary["stats"]["retry/max_reached"] == 2


def test_max_articles_stops_the_crawl(served, tmp_path: Path) -> None:
    _, _, portals = served
    run = run_spider("thu-nghiem", portals, tmp_path / "capped", "-a", "max_articles=3")
    assert run.returncode == 0, run.log[-3000:]
    classifier = UrlClassifier(load_registry(portals).get("thu-nghiem"))
    articles = [p for p in run.pages if classifier.is_article(p.url)]
    assert len(articles) == 3
    assert run.summary["finish_reason"] == "max_articles"
    assert run.summary["article_like"] == 3


def test_an_unreachable_portal_finishes_quickly_with_an_error(tmp_path: Path) -> None:
    port = _closed_port()  # nobody listens there
    portals = tmp_path / "portals.toml"
    portals.write_text(registry_toml("khong-toi", f"http://127.0.0.1:{port}/"), encoding="utf-8")
    started = time.monotonic()
    run = run_spider("khong-toi", portals, tmp_path / "down", timeout=45)
    assert run.returncode == 0, run.log[-3000:]
    assert time.monotonic() - started < 30
    summary = run.summary
    assert summary["pages"] == 0
    assert summary["errors"] == 1
    [home] = run.pages
    assert home.status is None and home.error.startswith("connection refused:")


def test_bad_arguments_fail_fast(served, tmp_path: Path) -> None:
    _, _, portals = served
    run = run_spider("no-such-portal", portals, tmp_path / "bad", timeout=30)
    assert run.returncode != 0
    assert "unknown portal id 'no-such-portal'" in run.log
    assert not (tmp_path / "bad" / "crawl.json").exists()


def test_without_out_a_new_batch_lands_in_the_staging_dir(tmp_path: Path) -> None:
    portals = tmp_path / "portals.toml"
    portals.write_text(registry_toml("khong-toi", f"http://127.0.0.1:{_closed_port()}/"), encoding="utf-8")
    staging = tmp_path / "staging"
    run = run_spider(
        "khong-toi", portals, None, settings={"PORTAL_STAGING_DIR": str(staging), "RETRY_TIMES": "0"}
    )
    assert run.returncode == 0, run.log[-3000:]
    [batch] = staging.iterdir()
    assert re.fullmatch(
        r"\d{8}T\d{6}Z-khong-toi-[0-9a-f]{8}", batch.name
    )  # etl.store.staging.new_batch shape
    assert json.loads((batch / "crawl.json").read_text(encoding="utf-8"))["batch_id"] == batch.name
    assert (batch / "raw.jsonl").exists()


def test_the_crawler_hands_freed_memory_back_while_it_runs(served, tmp_path: Path) -> None:
    """``ReleaseFreedMemory`` trims the heap every PORTAL_MEMORY_TRIM_INTERVAL seconds and counts it."""
    site, _, portals = served
    run = run_spider(
        "thu-nghiem", portals, tmp_path / "b", settings={"PORTAL_MEMORY_TRIM_INTERVAL": "0.01"}
    )
    assert run.returncode == 0, run.log[-3000:]
    stats = json.loads((tmp_path / "b" / "crawl.json").read_text(encoding="utf-8"))["stats"]
    assert stats.get("portal/memory_trims", 0) >= 1
    off = run_spider("thu-nghiem", portals, tmp_path / "c", "-a", "max_articles=2",
                     settings={"PORTAL_MEMORY_TRIM_INTERVAL": "0"})
    assert off.returncode == 0, off.log[-3000:]
    assert "ReleaseFreedMemory" not in off.log.split("Enabled extensions:", 1)[1].split("]", 1)[0]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_crawls_start_through_the_lean_entry_point_without_switched_off_extensions(full_crawl: CrawlRun) -> None:
    from etl.crawl import crawler_command
    from etl.store.staging import new_batch

    command = crawler_command("p", new_batch(full_crawl.out.parent / "staging-cmd", "p"), None, None)
    assert command[1:5] == ["-m", "portal_crawlers", "crawl", "portal"]
    enabled = full_crawl.log.split("Enabled extensions:", 1)[1].split("]", 1)[0]
    assert "LogStats" in enabled and "FreezeGarbageAtExit" in enabled and "ReleaseFreedMemory" in enabled
    assert "RemoteControl" not in enabled and "Telnet" not in enabled
