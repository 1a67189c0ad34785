"""The spider against every realistic sample portal of ``etl.samples`` (one CMS family each).

Skipped while ``etl.samples.server`` does not exist.  ``etl.samples.expected`` knows every page each sample
serves (articles, listings, attachment, robots-disallowed and deliberately broken pages) and every article's
category, so the crawl is checked against that ground truth: once with the registry's hints, once with
discovery from the home page alone (hints only sharpen discovery; they must not be needed).
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from crawler_harness import CrawlRun, run_spider

from etl.portals.registry import Portal, parse_registry, portals_to_toml

pytestmark = pytest.mark.e2e


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def _crawl_all(portals: list[Portal], folder: Path) -> list[tuple[Portal, CrawlRun]]:
    portals_file = folder / "portals.toml"
    portals_file.write_text(portals_to_toml(portals), encoding="utf-8")

    def crawl(portal: Portal) -> tuple[Portal, CrawlRun]:
        return portal, run_spider(portal.id, portals_file, folder / portal.id, timeout=120)

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(crawl, portals))


@pytest.fixture(scope="module", params=["with_hints", "home_page_only"])
def sample_crawls(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    server = pytest.importorskip("etl.samples.server")
    with server.serve_samples() as samples:
        portals = list(parse_registry(samples.registry_toml(), "samples").portals)
        if request.param == "home_page_only":
            portals = [
                dataclasses.replace(p, listing_urls=(), feeds=(), sitemaps=(), article_url_pattern=None)
                for p in portals
            ]
        runs = _crawl_all(portals, tmp_path_factory.mktemp(request.param))
        yield samples, runs


def test_every_sample_portal_is_crawled_completely(sample_crawls) -> None:
    expected = pytest.importorskip("etl.samples.expected")
    _, runs = sample_crawls
    assert runs, "the sample registry is empty"
    inventories = expected.page_inventory()
    for portal, run in runs:
        assert run.returncode == 0, f"{portal.id}: {run.log[-2000:]}"
        summary = run.summary
        assert summary["finish_reason"] == "finished", portal.id
        netloc = urlsplit(portal.url).netloc
        for page in run.pages:
            assert urlsplit(page.url).netloc == netloc, f"{portal.id} left its portal: {page.url}"
        fetched = {_path(p.url): p for p in run.pages}
        inventory = inventories[portal.id]
        for kind in ("home", "article", "listing", "attachment"):
            missing = [path for path in inventory.get(kind, []) if path not in fetched]
            assert not missing, f"{portal.id}: {kind} not fetched: {missing[:5]} (of {len(missing)})"
        for path in inventory.get("disallowed", []):
            assert not [p for p in fetched if p.startswith(path)], f"{portal.id}: fetched disallowed {path}"
        for kind in ("broken_not_found", "broken_server_error", "broken_truncated", "broken_empty"):
            for path in inventory.get(kind, []):
                assert path in fetched, f"{portal.id}: {kind} {path} not recorded"
        for kind in ("broken_not_found", "broken_server_error"):  # truncated/empty HTML is extraction's call
            for path in inventory.get(kind, []):
                assert fetched[path].error, f"{portal.id}: {kind} {path} recorded without an error"


def test_category_hints_are_never_wrong(sample_crawls) -> None:
    """A hint may be missing (a page with no pager shows no list boundary), but never name another section."""
    expected = pytest.importorskip("etl.samples.expected")
    _, runs = sample_crawls
    categories = {(a["site"], a["path"]): a.get("category") for a in expected.expected_articles()}
    filled = 0
    for portal, run in runs:
        for page in run.pages:
            truth = categories.get((portal.id, _path(page.url)))
            if truth and page.category_hint:
                filled += 1
                assert page.category_hint == truth, f"{portal.id} {page.url}"
    assert filled > len(categories) // 2


def test_sample_server_saw_no_disallowed_request(sample_crawls) -> None:
    expected = pytest.importorskip("etl.samples.expected")
    samples, _ = sample_crawls
    inventories = expected.page_inventory()
    for site_id, _method, path, _status in samples.request_log:
        for disallowed in inventories.get(site_id, {}).get("disallowed", []):
            assert not path.startswith(disallowed), f"{site_id}: requested robots-disallowed {path}"
