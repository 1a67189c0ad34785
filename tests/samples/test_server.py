"""The sample portals behave like the real CMS families they imitate, and their ground truth is consistent."""

from __future__ import annotations

import html
import unicodedata
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import pytest

from etl.portals.registry import parse_registry
from etl.samples import broken_pages, expected_articles, must_not_contain, page_inventory, serve_samples
from etl.samples.expected import key_for_url, site_info
from etl.samples.server import SampleServer

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with OPENER.open(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links(body: bytes) -> list[str]:
    parser = _Links()
    parser.feed(body.decode("utf-8", "replace"))
    return parser.hrefs


def page_text(body: bytes) -> str:
    return " ".join(html.unescape(body.decode("utf-8")).split())


@pytest.fixture(scope="module")
def server() -> Iterator[SampleServer]:
    with serve_samples() as running:
        yield running


SITE_IDS = [info["id"] for info in site_info()]


def test_four_cms_families_and_enough_articles() -> None:
    assert {info["platform"] for info in site_info()} == {"dnn", "nukeviet", "detailview", "sharepoint"}
    articles = expected_articles()
    assert 24 <= len(articles) <= 30
    for site_id in SITE_IDS:
        assert 6 <= len(expected_articles(site_id)) <= 8
    assert sum(a["source"].startswith("seed:") for a in articles) == 5
    years = {a["published_at"][:4] for a in articles if a["published_at"]}
    assert {"2019", "2025"} <= years
    assert any(a["published_at"] is None for a in articles)


def test_ground_truth_is_clean_nfc() -> None:
    for article in expected_articles():
        assert 3 <= len(article["paragraphs"]) <= 12
        for text in [article["title"], *article["paragraphs"]]:
            assert unicodedata.is_normalized("NFC", text)
            assert text == " ".join(text.split())
        assert article["text"] == "\n".join(article["paragraphs"])
        for image in article["images"]:
            assert image["caption"] not in ("", None)


@pytest.mark.parametrize("site_id", SITE_IDS)
def test_each_page_kind_has_the_right_status_and_type(server: SampleServer, site_id: str) -> None:
    html_type = "text/html" if site_id == "sample-haugiang" else "text/html; charset=utf-8"
    for kind, paths in page_inventory()[site_id].items():
        for path in paths:
            status, headers, body = fetch(server.url(site_id, path))
            content_type = headers.get("Content-Type")
            if kind in ("home", "article", "listing", "contact", "gallery", "disallowed"):
                assert (status, content_type) == (200, html_type), (kind, path)
                assert body.rstrip().endswith(b"</html>")
            elif kind == "attachment":
                assert (status, content_type) == (200, "application/pdf")
                assert body.startswith(b"%PDF-1.4") and body.rstrip().endswith(b"%%EOF")
            elif kind == "robots":
                assert (status, content_type) == (200, "text/plain; charset=utf-8")
            elif kind in ("sitemap", "feed"):
                assert status == 200 and "xml" in content_type
                ET.fromstring(body)
            elif kind == "broken_not_found":
                assert status == 404 and content_type == html_type
            elif kind == "broken_server_error":
                assert status == 500
            elif kind == "broken_empty":
                assert (status, body, content_type) == (200, b"", html_type)
                assert headers["Content-Length"] == "0"
            elif kind == "broken_truncated":
                assert status == 200 and int(headers["Content-Length"]) == len(body)
                assert b"</html>" not in body and b"<h1" in body
                with pytest.raises(UnicodeDecodeError):
                    body.decode("utf-8")  # cut inside a multi-byte character
            else:
                pytest.fail(f"unexpected page kind {kind}")


def test_charset_only_in_meta_on_one_site(server: SampleServer) -> None:
    for info in site_info():
        _, headers, body = fetch(server.sites[info["id"]])
        assert ("charset=utf-8" in headers["Content-Type"]) == info["charset_in_header"]
        if not info["charset_in_header"]:
            assert b'<meta charset="utf-8" />' in body


def test_robots_txt_disallows_the_admin_path_linked_from_home(server: SampleServer) -> None:
    for info in site_info():
        status, _, body = fetch(server.url(info["id"], "/robots.txt"))
        assert status == 200
        assert f"Disallow: {info['disallowed_path']}" in body.decode()
        _, _, home = fetch(server.sites[info["id"]])
        assert info["disallowed_path"] in links(home)


def test_nukeviet_sitemaps_and_feeds_list_every_article(server: SampleServer) -> None:
    site_id = "sample-kontum"
    _, _, index = fetch(server.url(site_id, "/sitemap.xml"))
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    child = ET.fromstring(index).find("sm:sitemap/sm:loc", ns).text
    _, _, urlset = fetch(child)
    locs = {key_for_url(loc.text, server.sites) for loc in ET.fromstring(urlset).findall("sm:url/sm:loc", ns)}
    dated = {(site_id, a["path"]) for a in expected_articles(site_id) if a["published_at"]}
    assert locs == dated
    _, _, rss = fetch(server.url(site_id, "/news/rss/"))
    items = {key_for_url(item.text, server.sites) for item in ET.fromstring(rss).iter("link")}
    assert dated <= items


@pytest.mark.parametrize("site_id", SITE_IDS)
def test_pagination_links_are_consistent(server: SampleServer, site_id: str) -> None:
    site = server.site_objects[site_id]
    expected_paths = {a["path"] for a in expected_articles(site_id)}
    assert any(site.page_count(c) >= 2 for c in site.categories)
    for category in site.categories:
        pages = [site.listing_path(category, n) for n in range(1, site.page_count(category) + 1)]
        seen_articles: list[str] = []
        for number, path in enumerate(pages, start=1):
            status, _, body = fetch(server.url(site_id, path))
            assert status == 200
            targets = {
                key_for_url(urljoin(server.url(site_id, path), href), server.sites) for href in links(body)
            }
            paths = {t[1] for t in targets if t and t[0] == site_id}
            assert set(pages) - {path} <= paths, f"page {number} must link every other page"
            on_page = [a for a in expected_paths if a in paths]
            seen_articles += [a for a in on_page if a not in seen_articles]
        category_articles = {a["path"] for a in expected_articles(site_id) if a["category"] == category.name}
        assert category_articles <= set(seen_articles)
    status, _, _ = fetch(server.url(site_id, site.listing_path(site.categories[-1], 9)))
    assert status == 404


def _crawl(server: SampleServer, site_id: str, limit: int = 300) -> set[str]:
    """A tiny polite BFS: same origin, robots.txt honoured, javascript:/mailto:/fragments skipped.

    Returns the paths that answered 200.
    """
    base = server.sites[site_id]
    robots = RobotFileParser()
    robots.parse(fetch(urljoin(base, "/robots.txt"))[2].decode().splitlines())
    queue, seen, ok = deque([base]), {base}, set()
    while queue and len(seen) < limit:
        url = queue.popleft()
        status, headers, body = fetch(url)
        if status != 200:
            continue
        ok.add(key_for_url(url, server.sites)[1])
        if "text/html" not in headers.get("Content-Type", ""):
            continue
        for href in links(body):
            if href.startswith(("javascript:", "mailto:", "#")):
                continue
            target = urljoin(url, href).split("#", 1)[0]
            if urlsplit(target).netloc != urlsplit(base).netloc or target in seen:
                continue
            if not robots.can_fetch("portal-etl-test", target):
                continue
            seen.add(target)
            queue.append(target)
    return ok


def test_every_article_is_reachable_from_home_and_robots_is_respected() -> None:
    with serve_samples() as fresh:
        for site_id in SITE_IDS:
            reached = _crawl(fresh, site_id)
            inventory = page_inventory()[site_id]
            assert set(inventory["article"]) <= reached
            for kind in ("listing", "broken_truncated", "broken_empty", "attachment", "contact", "gallery"):
                assert set(inventory[kind]) <= reached, kind
            assert inventory["disallowed"][0] not in fresh.fetched(site_id)
        statuses = {(site, path): status for site, _, path, status in fresh.request_log}
        for page in broken_pages():
            assert statuses[(page["site"], page["path"])] == page["status"]


def test_conditional_requests_on_listings(server: SampleServer) -> None:
    for site_id in SITE_IDS:
        site = server.site_objects[site_id]
        url = server.url(site_id, site.listing_path(site.categories[0], 2))
        status, headers, body = fetch(url)
        assert status == 200 and headers["ETag"] and headers["Last-Modified"].endswith("GMT")
        assert fetch(url, {"If-None-Match": headers["ETag"]})[0] == 304
        assert fetch(url, {"If-None-Match": '"stale"'})[0] == 200
        assert fetch(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
        assert fetch(url, {"If-Modified-Since": "Mon, 01 Jan 2018 00:00:00 GMT"})[0] == 200
        assert fetch(url)[2] == body  # deterministic
    assert any(status == 304 for *_, status in server.request_log)


def test_article_pages_show_the_ground_truth_with_their_furniture(server: SampleServer) -> None:
    names = {info["id"]: info["name"] for info in site_info()}
    for article in expected_articles():
        status, _, body = fetch(server.url(article["site"], article["path"]))
        assert status == 200
        text = page_text(body)
        raw = body.decode("utf-8")
        assert (
            f"{article['title']} - {names[article['site']]}" in text
            or f"{article['title']} | {names[article['site']]}" in text
        )
        assert f">{html.escape(article['title'], quote=True)}</h1>" in raw
        for paragraph in article["paragraphs"]:
            assert paragraph in text
        for image in article["images"]:
            assert image["src"] in raw and image["caption"] in text
        assert ('property="article:published_time"' in raw) == article["meta_published_time"]
        if article["published_at"]:
            day = (
                article["published_at"][8:10]
                + "/"
                + article["published_at"][5:7]
                + "/"
                + article["published_at"][:4]
            )
            assert day in text
        for furniture in must_not_contain(article):
            assert furniture in text, (article["path"], furniture)
            assert furniture not in article["text"]


def test_registry_toml_points_at_the_live_sites(server: SampleServer) -> None:
    registry = parse_registry(server.registry_toml(), "<samples>")
    assert registry.ids == SITE_IDS
    for portal in registry.portals:
        assert portal.level == "sample"
        assert portal.url == server.sites[portal.id]
        assert portal.platform == server.site_objects[portal.id].platform
        assert portal.article_url_pattern
        for listing in portal.listing_urls:
            assert fetch(listing)[0] == 200
    kontum = registry.get("sample-kontum")
    assert kontum.sitemaps and kontum.feeds


def test_request_log_records_every_request(server: SampleServer) -> None:
    before = len(server.request_log)
    fetch(server.url("sample-lamdong", "/khong-ton-tai"))
    assert server.request_log[before:] == [("sample-lamdong", "GET", "/khong-ton-tai", 404)]
