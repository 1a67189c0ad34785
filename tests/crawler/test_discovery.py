"""Discovery rules of the portal spider, as plain functions (no reactor, no network)."""

from __future__ import annotations

import gzip
from urllib.parse import urljoin

import pytest
from lxml import html as lxml_html
from portal_crawlers.discovery import (
    PortalScope,
    UrlClassifier,
    UrlKind,
    extract_links,
    parse_feed_or_sitemap,
    sitemaps_from_robots,
)

from etl.portals.registry import Portal


def portal(url: str = "https://tinhuy.example.dcs.vn/", **extra) -> Portal:
    return Portal(id="vi-du", name="Tỉnh ủy Ví dụ", province="Ví dụ", url=url, **extra)


# Article examples are the real URLs of shared/portals/url_patterns.tsv, one per CMS family.
REAL_ARTICLES = [
    "https://tuyenquang.dcs.vn/DetailView/146257/38/Cung-co-niem-tin-cua-Nhan-dan.html",
    "https://btgdvtu.lamdong.dcs.vn/tin-tuc-su-kien/nhip-cau-tuyen-giao/type/detail/id/31089/task/1710",
    "https://www.tuyengiaokontum.org.vn/Tai-lieu-sinh-hoat-chi-bo/ban-tin-thong-bao-noi-bo-thang-7-2023-5772.html",
    "https://www.quangninh.gov.vn/Trang/ChiTietTinTuc.aspx?nid=113139",
    "https://nghean.dcs.vn/vi-vn/tin/tac-pham-doi-song-moi/73410-203449-163366",
    "https://truongchinhtri.haugiang.gov.vn/chi-tiet/-/tin-tuc/AI-HOI-ANG-VIEN-TRUONG-CHINH-TRI-202599494",
    "https://tuyengiao.hungyen.dcs.vn/ngoai-giao-cay-tre-voi-boi-canh-hoi-nhap-c219655.html",
    "https://uongbi.gov.vn/ngay-mai-dai-hoi-dai-bieu-dang-bo-phuong-uong-bi-p13n91821.html",
    "https://baochinhphu.vn/hiep-dinh-geneve-1954-102240425094504794.htm",
    "https://sotaydangvien.haugiang.dcs.vn/danh-muc/hau-giang/hau-giang-tren-duong-pt/huong-dan-cong-tac.html",
    "https://portal.example.vn/web/guest/-/asset_publisher/AbCd/content/hoi-nghi-tinh-uy",
    "https://portal.example.vn/tin-tuc/hoi-nghi-ban-chap-hanh-dang-bo-tinh-12345",
    "https://portal.example.vn/NewsDetailView?NewsId=5521",
]
REAL_LISTINGS = [
    "https://tinhuybinhphuoc.vn/news/tag/x%C3%A2y-d%E1%BB%B1ng/page-8",
    "https://baokontum.com.vn/thoi-su-chinh-tri-21.html?page=426",
    "https://www.quangninh.gov.vn/Trang/tin-tuc-su-kien.aspx",
    "https://tinhuy.example.dcs.vn/news/xay-dung-dang/page-12",
]


@pytest.mark.parametrize("url", REAL_ARTICLES)
def test_real_cms_article_urls_are_article_like(url: str) -> None:
    assert UrlClassifier(portal()).kind(url) is UrlKind.ARTICLE


@pytest.mark.parametrize("url", REAL_LISTINGS)
def test_real_cms_listing_urls_are_listings(url: str) -> None:
    assert UrlClassifier(portal()).kind(url) is UrlKind.LISTING


@pytest.mark.parametrize(
    "url, kind",
    [
        ("https://tuyenquang.dcs.vn/Image/Large/2023710102723_144605.jpg", UrlKind.SKIP),
        ("https://x.dcs.vn/Portals/13/media/newsimage/1/7/a/17a-09.jpg", UrlKind.SKIP),
        ("https://x.dcs.vn/static/site.css?v=3", UrlKind.SKIP),
        ("https://x.dcs.vn/fonts/roboto.woff2", UrlKind.SKIP),
        ("https://www.quangninh.gov.vn/Trang/searchqnp.aspx?k=dang", UrlKind.SKIP),
        ("https://x.dcs.vn/dang-nhap", UrlKind.SKIP),
        ("https://x.dcs.vn/tabid/55/ctl/Login/Default.aspx", UrlKind.SKIP),
        ("https://x.dcs.vn/in-bai/tin-tuc/bai-1234.html", UrlKind.SKIP),
        ("javascript:void(0)", UrlKind.SKIP),
        ("https://x.dcs.vn/ckfinder/userfiles/files/nghi-quyet.pdf", UrlKind.DOCUMENT),
        ("https://x.dcs.vn/uploads/news/2024_07/bao-cao.DOCX", UrlKind.DOCUMENT),
        ("https://x.dcs.vn/gioi-thieu", UrlKind.PAGE),
    ],
)
def test_assets_logins_and_documents(url: str, kind: UrlKind) -> None:
    assert UrlClassifier(portal()).kind(url) is kind


def test_registry_pattern_replaces_the_heuristics() -> None:
    classifier = UrlClassifier(portal(article_url_pattern=r"^/bai-viet/\d+$"))
    assert classifier.is_article("https://tinhuy.example.dcs.vn/bai-viet/42")
    assert not classifier.is_article("https://tinhuy.example.dcs.vn/DetailView/146257/38/x.html")


def test_listing_hints_are_listings() -> None:
    classifier = UrlClassifier(portal(listing_urls=("https://tinhuy.example.dcs.vn/hoat-dong",)))
    assert classifier.kind("https://tinhuy.example.dcs.vn/hoat-dong") is UrlKind.LISTING


def test_scope_is_the_portal_host_with_or_without_www_and_its_port() -> None:
    scope = PortalScope.for_portal(portal("https://lamdong.dcs.vn/"))
    assert scope.allows("https://lamdong.dcs.vn/tin-tuc")
    assert scope.allows("http://www.lamdong.dcs.vn/tin-tuc")  # http and www variants are the same portal
    assert not scope.allows("http://dalat.lamdong.dcs.vn/x")  # a district portal: its own registry entry
    assert not scope.allows("https://notlamdong.dcs.vn/")
    assert not scope.allows("https://lamdong.dcs.vn:8443/")
    assert not scope.allows("ftp://lamdong.dcs.vn/")
    assert PortalScope.for_portal(portal("https://www.angiang.dcs.vn/")).allows("https://angiang.dcs.vn/a")
    local = PortalScope.for_portal(portal("http://127.0.0.1:8001/"))
    assert local.allows("http://127.0.0.1:8001/a")
    assert not local.allows("http://127.0.0.1:8002/a")  # a neighbouring sample portal
    assert not local.allows("http://localhost:8001/a")


def test_allowed_domains_opt_in_to_sub_domains() -> None:
    scope = PortalScope.for_portal(portal("https://a.example.vn/", allowed_domains=("a.example.vn", "b.vn")))
    assert scope.allows("https://www.b.vn/x")
    assert scope.allows("https://media.a.example.vn/x")
    assert not scope.allows("https://c.vn/")


PAGE = """<html><head><link rel="alternate" type="application/rss+xml" href="/news/rss/"></head><body>
<nav><ul><li><a href="/news/xay-dung-dang/">Xây dựng   Đảng</a></li></ul></nav>
<div id="mainmenu"><a href="/news/thoi-su/">Thời sự</a></div>
<ul class="list"><li><a href="/news/thoi-su/hoi-nghi-1234.html"><img src="a.jpg" alt="Hội nghị"></a></li></ul>
<div class="pagination"><a href="/news/thoi-su/page-2">2</a> <a href="/news/thoi-su/page-2">Trang sau</a></div>
<a href="?page=3">»</a>
<a href="/news/thoi-su/?page=9">Xem thêm</a>
<a href="javascript:__doPostBack('x','')">Tiếp</a>
<a href="#top">Lên đầu</a>
</body></html>"""


def test_links_know_their_menu_their_pager_and_their_text() -> None:
    root = lxml_html.fromstring(PAGE)
    base = "https://tinhuy.example.dcs.vn/news/thoi-su/"
    links = list(extract_links(root, lambda href: urljoin(base, href)))
    by_text = {link.text: link for link in links}
    assert by_text["Xây dựng Đảng"].in_menu and not by_text["Xây dựng Đảng"].is_pagination
    assert by_text["Thời sự"].in_menu
    assert by_text["Hội nghị"].url == "https://tinhuy.example.dcs.vn/news/thoi-su/hoi-nghi-1234.html"
    assert not by_text["Hội nghị"].in_menu
    assert by_text["2"].is_pagination and by_text["Trang sau"].is_pagination
    assert by_text["»"].url == base + "?page=3" and by_text["»"].is_pagination
    assert by_text["Xem thêm"].is_pagination
    assert "Tiếp" not in by_text  # javascript: postback links are not followable
    feeds = [link for link in links if link.is_feed]
    assert [f.url for f in feeds] == ["https://tinhuy.example.dcs.vn/news/rss/"]


def test_rss_atom_and_sitemaps() -> None:
    rss = """<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
      <item><title>A</title><link> https://x.vn/a-1234.html </link><category>Thời sự</category></item>
      <item><title>B</title><guid>https://x.vn/b-1235.html</guid></item></channel></rss>""".encode()
    found = parse_feed_or_sitemap(rss)
    assert found.kind == "rss"
    assert found.pages == (("https://x.vn/a-1234.html", "Thời sự"), ("https://x.vn/b-1235.html", None))
    atom = """<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="https://x.vn/c-1.html"/>
      <category term="tin" label="Tin tức"/></entry></feed>""".encode()
    assert parse_feed_or_sitemap(atom).pages == (("https://x.vn/c-1.html", "Tin tức"),)
    index = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://x.vn/sitemap-vi.news.xml</loc></sitemap></sitemapindex>"""
    assert parse_feed_or_sitemap(index).sitemaps == ("https://x.vn/sitemap-vi.news.xml",)
    urlset = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.vn/d-9.html</loc>
      </url></urlset>"""
    assert parse_feed_or_sitemap(gzip.compress(urlset)).pages == (("https://x.vn/d-9.html", None),)
    assert parse_feed_or_sitemap(b"<html><body>not xml").kind == ""


def test_sitemap_lines_of_robots_txt() -> None:
    robots = (
        b"User-agent: *\nDisallow: /admin/\nsitemap: https://x.vn/sitemap.xml\nSitemap:https://x.vn/s2.xml\n"
    )
    assert sitemaps_from_robots(robots) == ["https://x.vn/sitemap.xml", "https://x.vn/s2.xml"]
