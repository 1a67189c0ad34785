"""Incremental crawls: a re-crawl fetches only listing pages and what is new; --refresh-since updates in place."""

from __future__ import annotations

from datetime import timedelta

import duckdb
import pytest
from fault_site import FAST_SETTINGS, SECTION, registry_toml, serve_fault_site

from etl import pipeline
from etl.config import Settings

pytestmark = pytest.mark.e2e

# Pages a crawl always asks for: the home page, robots.txt (once: Scrapy's robots middleware fetches it, and the
# spider reads its Sitemap: lines from that copy) and the /sitemap.xml probe.
ALWAYS = {"/", "/robots.txt", "/sitemap.xml"}
FEED = "/rss/tin-tuc.rss"
MENU_PAGE = "/gioi-thieu"  # a menu entry: fetched as a (conditional) section page


def rows(db, sql):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("incremental")
    with serve_fault_site(count=23, per_page=5) as site:
        portals = tmp / "portals.toml"
        portals.write_text(registry_toml("thu", site.url), encoding="utf-8")
        settings = Settings(db_path=tmp / "archive.duckdb", portals_file=portals, scrapy_settings=FAST_SETTINGS)
        out = {"site": site, "db": settings.db_path, "settings": settings}
        out["first"] = pipeline.run_portal("thu", settings)
        out["old_paths"] = set(site.by_path())
        out["articles_1"] = rows(settings.db_path, "SELECT url, first_seen_at, updated_at FROM articles")

        mark = site.log.mark()
        out["new"] = [a.path for a in site.add_articles(4)]
        out["second"] = pipeline.run_portal("thu", settings)
        out["log_2"] = site.log.since(mark)

        mark = site.log.mark()
        out["third"] = pipeline.run_portal("thu", settings)
        out["log_3"] = site.log.since(mark)
        out["pages_3"] = {
            "/" + url.split("/", 3)[3]: (status, kind, html is not None)
            for url, status, kind, html in rows(settings.db_path, "SELECT url, status, kind, html FROM pages")
        }

        # A correction on the site: only an explicit refresh sees it.
        edited = site.articles[6]
        before = rows(settings.db_path, f"SELECT first_seen_at, updated_at, category FROM articles "
                                        f"WHERE url LIKE '%{edited.path}'")[0]
        site.edit_article(edited.number, edited.text + "\nĐính chính: số liệu đã được cập nhật.")
        mark = site.log.mark()
        out["fourth"] = pipeline.run_portal("thu", settings)  # no refresh: the change is not seen
        out["log_4"] = site.log.since(mark)
        mark = site.log.mark()
        since = (edited.day - timedelta(days=2)).isoformat()
        out["fifth"] = pipeline.run_portal("thu", settings.with_(refresh_since=since))
        out["log_5"] = site.log.since(mark)
        after = rows(settings.db_path, f"SELECT first_seen_at, updated_at, category, text FROM articles "
                                       f"WHERE url LIKE '%{edited.path}'")[0]
        out["edit"] = (edited, before, after, since)
        yield out


def listing_paths(site):
    return {site.listing_path(n) for n in range(1, site.pages + 1)}


def test_first_crawl_gets_everything(crawls):
    assert crawls["first"].status == "ok"
    assert len(crawls["articles_1"]) == 23


def test_second_crawl_fetches_only_listings_and_new_articles(crawls):
    site, log = crawls["site"], crawls["log_2"]
    fetched = [path for _, path, _, _, _ in log]
    allowed = ALWAYS | {FEED, MENU_PAGE} | listing_paths(site) | set(crawls["new"])
    assert set(fetched) <= allowed, set(fetched) - allowed
    for path in crawls["new"]:
        assert fetched.count(path) == 1, path
    assert not set(fetched) & crawls["old_paths"], "an article already stored was fetched again"
    # Newest first, stopping after one page of only known articles (overlap 1): pages 1-3 of 6, not 4-6.
    assert {p for p in fetched if p.startswith(SECTION + "page-")} == {"/tin-tuc/page-2", "/tin-tuc/page-3"}
    # Listing, feed and section requests were conditional.
    conditional = {path for _, path, _, inm, _ in log if inm}
    assert {SECTION, FEED, MENU_PAGE} <= conditional


def test_database_holds_exactly_the_union(crawls):
    urls = {u.split("/", 3)[3] for (u,) in rows(crawls["db"], "SELECT url FROM articles")}
    assert {"/" + u for u in urls} == crawls["old_paths"] | set(crawls["new"])
    assert crawls["second"].articles_new == 4


def test_unchanged_site_costs_only_304s(crawls):
    log = crawls["log_3"]
    fetched = {path for _, path, _, _, _ in log}
    assert fetched <= ALWAYS | {FEED, MENU_PAGE, SECTION}, fetched
    statuses = {path: status for _, path, status, _, _ in log}
    assert statuses[SECTION] == 304 and statuses[FEED] == 304
    assert crawls["third"].status == "ok" and crawls["third"].errors == 0
    # The 304 is visible in pages, and the stored listing is kept, not blanked.
    assert crawls["pages_3"]["/tin-tuc/"] == (304, "listing", True)


def test_a_correction_needs_an_explicit_refresh(crawls):
    edited, before, after, _since = crawls["edit"]
    assert edited.path not in {p for _, p, _, _, _ in crawls["log_4"]}
    log = crawls["log_5"]
    refreshed = {p: s for _, p, s, inm, _ in log if p.startswith("/tin-tuc/bai-viet") and inm}
    assert refreshed[edited.path] == 200
    # Only articles published since the date are refetched, conditionally; the unchanged ones answer 304.
    recent = {a.path for a in crawls["site"].articles if a.day >= edited.day - timedelta(days=2)}
    assert set(refreshed) == recent
    assert all(s == 304 for p, s in refreshed.items() if p != edited.path)
    assert crawls["fifth"].articles_updated == 1
    first_seen, updated, category, text = after
    assert first_seen == before[0], "first_seen_at must be kept"
    assert updated > before[1]
    assert category == before[2]
    assert text.endswith("Đính chính: số liệu đã được cập nhật.")
