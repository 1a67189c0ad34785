"""How the portal spider finds its way around a portal: which links to follow, in what order, and why.

Kept apart from the spider so the rules are plain functions of a URL or a parsed page, testable without a
reactor.  The URL heuristics come from the CMS families observed on real portals
(``shared/portals/url_patterns.tsv``): ASP.NET DetailView, DotNetNuke, NukeViet, SharePoint, Liferay and a few
custom systems.  A portal's ``article_url_pattern`` replaces the article heuristics when the registry has one.
"""

from __future__ import annotations

import gzip
import io
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from urllib.parse import urldefrag, urlsplit

from lxml import etree
from w3lib.url import canonicalize_url

from etl.portals.registry import Portal

log = logging.getLogger(__name__)


class UrlKind(str, Enum):
    """What a URL probably points at; decides whether and how eagerly it is fetched."""

    ARTICLE = "article"
    LISTING = "listing"
    DOCUMENT = "document"  # an attachment (.pdf, .doc...): fetched once, size-capped, never parsed for links
    PAGE = "page"  # anything else on the portal (contact page, introduction, gallery...)
    SKIP = "skip"  # static asset, login, search, print view, non-HTTP scheme: never fetched


# Heuristic article URLs, matched against path + query (case-insensitive).  One line per CMS family.
ARTICLE_URL_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"/DetailView/\d+",  # ASP.NET "DetailView" CMS: /DetailView/{id}/{cat}/{Slug}.html
        r"/type/detail/id/\d+",  # DotNetNuke news module: .../type/detail/id/{id}/task/{n}
        r"[?&](?:nid|newsid|news_id|articleid|article_id|itemid)=\d+",  # SharePoint ChiTietTinTuc.aspx?nid=...
        r"NewsDetail(?:View)?(?:\.aspx)?\?",  # NewsDetailView?NewsId=...
        r"ChiTiet\w*\.aspx\?",  # SharePoint "Trang/ChiTietTinTuc.aspx?nid="
        r"/-/asset_publisher/[^/]+/content/",  # Liferay web content
        r"/chi-tiet/-/tin-tuc/",  # Liferay-style (haugiang)
        r"/tin-tuc/(?!page-\d+/?$)[^/?]+-\d{2,}(?:\.html?)?/?$",  # /tin-tuc/<slug>-<digits>
        r"/vi-vn/tin/[^/]+/\d+-\d+-\d+",  # nghean.dcs.vn
        r"-p\d+n\d+\.html?$",  # uongbi.gov.vn: {slug}-p{cat}n{id}.html
        r"-c\d{3,}\.html?$",  # hungyen ckfinder CMS: {slug}-c{id}.html
        r"/(?!page-\d+\.html?$)[^/]*[a-z][^/]*-\d{3,}\.html?$",  # NukeViet: /{cat}/{alias}-{id}.html ; VCCorp-style -{id}.htm
        r"/danh-muc/[^/]+/[^/]+/[^/]+\.html$",  # haugiang "danh-muc" CMS: three levels deep is an article
    )
)

# Listing pages: category indexes, tag pages and pagination.
LISTING_URL_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"/page-\d+/?$",  # NukeViet
        r"[?&](?:page|trang|p|pageindex|pagenumber|paged|pg|currentpage)=\d+",
        r"/(?:chuyen-muc|chuyenmuc|danh-muc|category|categories|tag|tags|news/tag|topic)/",
        r"/(?:tin-tuc|news|tin-tuc-su-kien|thoi-su)/?$",
        r"/Trang/tin-?tuc[\w-]*\.aspx",  # SharePoint news listings (tin-tuc-su-kien.aspx?cid=...)
        r"-\d{1,2}\.html?$",  # baokontum-style category: {slug}-{cat_id}.html
    )
)
PAGINATION_HREF = re.compile(
    r"(?:/page-\d+/?$|[?&](?:page|trang|p|pageindex|pagenumber|paged|pg|currentpage)=\d+)", re.IGNORECASE
)
# Anchor texts that mean "next page" / "more" on Vietnamese portals.
PAGINATION_TEXTS = {
    "trang sau",
    "trang tiếp",
    "tiếp",
    "sau",
    "xem thêm",
    "xem tiếp",
    "tiếp theo",
    "next",
    "more",
    "»",
    "›",
    ">",
    ">>",
    "»»",
    "trang cuối",
    "cuối",
    "last",
    "«",
    "‹",
    "<",
    "<<",
    "trang đầu",
    "đầu",
    "trang trước",
    "trước",
}


def _words(text: str) -> list[str]:
    return text.split()


PAGINATION_CONTAINER = re.compile(r"pag|phantrang|phan-trang|pager", re.IGNORECASE)
MENU_CONTAINER = re.compile(r"menu|(?:^|[-_\s])nav", re.IGNORECASE)
# Boxes repeated on every page (hot news, most read, related, footer): their links say nothing about the
# category of the page they sit on.  Column classes (col-left/col-right) are not used: which column holds the
# content differs from portal to portal.
SIDEBAR_CONTAINER = re.compile(
    r"sidebar|aside|rightpane|hot-?news|focus|noi-?bat|tieu-?diem|xem-?nhieu|most-?(?:view|read)|"
    r"related|lien-?quan|tin-?khac|other-?news|footer",
    re.IGNORECASE,
)
SIDEBAR_TAGS = frozenset({"aside", "footer", "header"})

STATIC_EXTENSIONS = frozenset(
    _words(
        "jpg jpeg png gif webp bmp svg ico tif tiff avif css js mjs map json woff woff2 ttf otf eot "
        "mp3 mp4 m4a m4v wav ogg webm avi mov wmv flv swf zip rar 7z gz tgz bz2 exe msi apk iso"
    )
)
DOCUMENT_EXTENSIONS = frozenset(_words("pdf doc docx xls xlsx ppt pptx odt ods odp rtf"))
SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "sms:", "ftp:", "data:", "file:", "#")
# Path or query fragments of links that are never worth fetching: sign-in, search, print views, sharing.
SKIP_URL = re.compile(
    r"(?:login|logout|log-in|signin|sign-in|dang-?nhap|dang-?xuat|dang-?ky|register|"
    r"search|tim-?kiem|timkiem|/print|print=|[?&/]in-?bai|printpage|sendmail|send-?email|gui-?email|"
    r"sharer|share\.php|/admin(?:/|$)|/wp-admin|ctl/login|returnurl=)",
    re.IGNORECASE,
)
FEED_HINT = re.compile(
    r"(?:/rss(?:/|\.|$)|\.rss$|/feed/?$|/atom(?:\.xml)?$|RssCategoryExport)", re.IGNORECASE
)


def clean_url(url: str) -> str:
    """The URL without its fragment: ``#top`` variants are the same page."""
    return urldefrag(url.strip())[0]


def url_key(url: str) -> str:
    """A stable identity for de-duplication (sorted query, normalised escapes, no fragment)."""
    return canonicalize_url(clean_url(url))


def _extension(path: str) -> str:
    last = path.rsplit("/", 1)[-1]
    return last.rsplit(".", 1)[-1].lower() if "." in last else ""


def _path_query(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def _bare_host(host: str) -> str:
    host = host.lower().rstrip(".")
    return host.removeprefix("www.")


@dataclass(frozen=True)
class PortalScope:
    """Which hosts (and ports) belong to a portal.

    By default only the portal's own host, with or without ``www.`` (portals redirect between the two).
    Sub-domains are *not* included: on ``*.dcs.vn`` they are district committees and boards, which are
    portals of their own in the registry.  A registry entry that lists ``allowed_domains`` opts in to those
    domains and their sub-domains (Scrapy's ``allowed_domains`` rule).  When the portal URL names a
    non-default port (local test and sample servers run many portals on one loopback address) only that port
    is in scope; otherwise only 80/443, so http↔https switches stay in.
    """

    hosts: tuple[str, ...]  # exact hosts, compared without "www."
    domains: tuple[str, ...]  # these and their sub-domains
    port: int | None  # None: default ports only

    @classmethod
    def for_portal(cls, portal: Portal) -> PortalScope:
        domains = tuple(d.lower().split(":")[0].strip(".") for d in portal.allowed_domains if d.strip("."))
        return cls(hosts=(_bare_host(portal.domain),), domains=domains, port=urlsplit(portal.url).port)

    def offsite_domains(self) -> list[str]:
        """For Scrapy's OffsiteMiddleware (a looser second check)."""
        return [*self.hosts, *(f"www.{h}" for h in self.hosts), *self.domains]

    def allows(self, url: str) -> bool:
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return False
        if parts.scheme not in ("http", "https"):
            return False
        host = (parts.hostname or "").lower()
        if _bare_host(host) not in self.hosts and not any(
            host == d or host.endswith("." + d) for d in self.domains
        ):
            return False
        if self.port is None:
            return port in (None, 80, 443)
        return port == self.port


class UrlClassifier:
    """Decides what a URL of one portal probably is (article, listing, document, other, or not to fetch)."""

    def __init__(self, portal: Portal) -> None:
        self.portal = portal
        self.article_pattern = re.compile(portal.article_url_pattern) if portal.article_url_pattern else None
        self.listing_hints = {url_key(u) for u in portal.listing_urls}

    def is_article(self, url: str) -> bool:
        target = _path_query(url)
        if self.article_pattern is not None:
            return bool(self.article_pattern.search(target))
        return any(p.search(target) for p in ARTICLE_URL_PATTERNS)

    def is_listing(self, url: str) -> bool:
        if url_key(url) in self.listing_hints:
            return True
        target = _path_query(url)
        return any(p.search(target) for p in LISTING_URL_PATTERNS)

    def kind(self, url: str) -> UrlKind:
        lowered = url.strip().lower()
        if lowered.startswith(SKIP_SCHEMES):
            return UrlKind.SKIP
        path_query = _path_query(url)
        extension = _extension(urlsplit(url).path)
        if extension in STATIC_EXTENSIONS:
            return UrlKind.SKIP
        if extension in DOCUMENT_EXTENSIONS:
            return UrlKind.DOCUMENT
        if SKIP_URL.search(path_query):
            return UrlKind.SKIP
        if self.is_article(url):
            return UrlKind.ARTICLE
        if self.is_listing(url):
            return UrlKind.LISTING
        return UrlKind.PAGE


@dataclass(frozen=True)
class FoundLink:
    """One link on a page, with what its surroundings tell about it."""

    url: str
    text: str | None
    in_menu: bool
    is_pagination: bool
    is_feed: bool = False
    in_sidebar: bool = False  # in a box repeated across pages: does not inherit the page's category
    element: etree._Element | None = field(default=None, compare=False, repr=False)


def _norm_text(text: str) -> str:
    return " ".join(text.split())


def _class_and_id(element: etree._Element) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def extract_links(root: etree._Element, urljoin) -> Iterator[FoundLink]:  # type: ignore[no-untyped-def]
    """Yield every ``<a href>`` (and ``<link rel=alternate>`` feed) of a parsed HTML page.

    ``urljoin`` resolves relative links against the page (Scrapy's ``response.urljoin`` honours ``<base>``).
    Anchor text falls back to ``title`` and image ``alt``, so icon links still carry a name.
    """
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower()
        kind = (link.get("type") or "").lower()
        href = link.get("href")
        if href and "alternate" in rel and ("rss" in kind or "atom" in kind):
            yield FoundLink(clean_url(urljoin(href)), link.get("title"), False, False, is_feed=True)
    for anchor in root.iter("a", "area"):
        href = (anchor.get("href") or "").strip()
        if not href or href.lower().startswith(SKIP_SCHEMES):
            continue
        text = _norm_text("".join(anchor.itertext()))
        if not text:
            text = _norm_text(anchor.get("title") or "")
        if not text:
            alts = [img.get("alt") for img in anchor.iter("img") if img.get("alt")]
            text = _norm_text(alts[0]) if alts else ""
        in_menu = False
        in_pager = False
        in_sidebar = False
        for ancestor in anchor.iterancestors():
            tag = ancestor.tag if isinstance(ancestor.tag, str) else ""
            marks = _class_and_id(ancestor)
            if tag == "nav" or MENU_CONTAINER.search(marks):
                in_menu = True
            if PAGINATION_CONTAINER.search(marks):
                in_pager = True
            if tag in SIDEBAR_TAGS or SIDEBAR_CONTAINER.search(marks):
                in_sidebar = True
            if tag in ("body", "html"):
                break
        try:
            url = clean_url(urljoin(href))
        except ValueError:
            continue
        rel = (anchor.get("rel") or "").lower()
        is_pagination = (
            "next" in rel.split()
            or text.lower() in PAGINATION_TEXTS
            or (in_pager and (text.isdigit() or bool(PAGINATION_HREF.search(url))))
            or (bool(PAGINATION_HREF.search(url)) and (text.isdigit() or not text))
        )
        is_feed = bool(FEED_HINT.search(_path_query(url)))
        yield FoundLink(
            url,
            text or None,
            in_menu and not is_pagination,
            is_pagination,
            is_feed,
            in_sidebar and not in_menu,
            anchor,
        )


def looks_like_xml(body: bytes) -> bool:
    head = body[:512].lstrip().lower()
    return head.startswith((b"<?xml", b"<rss", b"<feed", b"<urlset", b"<sitemapindex"))


def maybe_gunzip(body: bytes, max_size: int = 50 * 1024 * 1024) -> bytes:
    """Sitemaps are often served as ``.xml.gz``; anything that is not gzip passes through."""
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as handle:
            return handle.read(max_size)
    except (OSError, EOFError) as exc:
        log.warning("cannot gunzip sitemap body: %s", exc)
        return b""


def _xml_root(body: bytes) -> etree._Element | None:
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    return root


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


@dataclass(frozen=True)
class XmlLinks:
    """What a feed or a sitemap lists: pages (with an optional category) and further sitemaps."""

    pages: tuple[tuple[str, str | None], ...]
    sitemaps: tuple[str, ...]
    kind: str  # "rss", "atom", "urlset", "sitemapindex" or "" when the body is neither


def parse_feed_or_sitemap(body: bytes) -> XmlLinks:
    """Item links of an RSS/Atom feed, or ``<loc>`` entries of a sitemap / sitemap index."""
    root = _xml_root(maybe_gunzip(body))
    if root is None:
        return XmlLinks((), (), "")
    kind = _local(root.tag)
    pages: list[tuple[str, str | None]] = []
    sitemaps: list[str] = []
    if kind in ("urlset", "sitemapindex"):
        target = sitemaps if kind == "sitemapindex" else pages
        for element in root.iter():
            if _local(element.tag) == "loc" and element.text and element.text.strip():
                if kind == "sitemapindex":
                    target.append(element.text.strip())  # type: ignore[arg-type]
                else:
                    pages.append((element.text.strip(), None))
        return XmlLinks(tuple(pages), tuple(sitemaps), kind)
    if kind in ("rss", "rdf"):
        for item in root.iter():
            if _local(item.tag) != "item":
                continue
            link = category = None
            for child in item:
                name = _local(child.tag)
                if name == "link" and child.text and child.text.strip():
                    link = child.text.strip()
                elif name == "guid" and not link and (child.text or "").startswith("http"):
                    link = (child.text or "").strip()
                elif name == "category" and child.text and child.text.strip() and category is None:
                    category = _norm_text(child.text)
            if link:
                pages.append((link, category))
        return XmlLinks(tuple(pages), (), "rss")
    if kind == "feed":
        for entry in root.iter():
            if _local(entry.tag) != "entry":
                continue
            link = category = None
            for child in entry:
                name = _local(child.tag)
                if name == "link" and child.get("href") and child.get("rel", "alternate") == "alternate":
                    link = child.get("href")
                elif name == "category" and category is None:
                    category = child.get("label") or child.get("term")
            if link:
                pages.append((link.strip(), category))
        return XmlLinks(tuple(pages), (), "atom")
    return XmlLinks((), (), "")


def sitemaps_from_robots(body: bytes) -> list[str]:
    """``Sitemap:`` lines of a robots.txt (any case, any position)."""
    text = body.decode("utf-8", errors="replace")
    found: list[str] = []
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            found.append(value.strip())
    return found


def unique(urls: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for url in urls:
        key = url_key(url)
        if key not in seen:
            seen.add(key)
            out.append(url)
    return out


# --- incremental crawls and backfills ------------------------------------------------------------------
PAGE_NUMBER = re.compile(
    r"(?:/page[-/](\d+)/?$|[?&](?:page|trang|p|pageindex|pagenumber|paged|pg|currentpage)=(\d+))", re.IGNORECASE
)
NEXT_TEXTS = {"trang sau", "trang tiếp", "tiếp", "sau", "xem thêm", "xem tiếp", "tiếp theo", "next", "more",
              "»", "›", ">", ">>"}


def page_number(url: str) -> int | None:
    """The page number a listing URL names (``/page-3``, ``?page=3``), or None (usually: the first page)."""
    match = PAGE_NUMBER.search(_path_query(url))
    if not match:
        return None
    return int(match.group(1) or match.group(2))


def link_page_number(link: FoundLink) -> int | None:
    number = page_number(link.url)
    if number is None and link.text and link.text.strip().isdigit():
        number = int(link.text.strip())
    return number


def next_page_links(current_url: str, pager: list[FoundLink]) -> tuple[list[FoundLink], int | None]:
    """Of a listing page's pagination links, the one(s) leading to the next page, and the highest page number
    the pager shows (for progress estimates).  Numbers first (the smallest above the current page), then
    "next" texts / ``rel=next``; when neither can be told, every pagination link (as a full crawl does)."""
    current = page_number(current_url) or 1
    numbered = [(link_page_number(link), link) for link in pager]
    highest = max((n for n, _ in numbered if n is not None), default=None)
    ahead = [(n, link) for n, link in numbered if n is not None and n > current]
    if ahead:
        lowest = min(n for n, _ in ahead)
        return [link for n, link in ahead if n == lowest], highest
    if numbered and all(n is not None for n, _ in numbered):
        return [], highest  # only earlier pages: this is the last one
    nexts = [link for n, link in numbered if n is None and (link.text or "").strip().lower() in NEXT_TEXTS]
    if nexts:
        return nexts[:1], highest
    return [link for n, link in numbered if n is None], highest


_DATE_DMY = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d{2})(?!\d)")
_DATE_YMD = re.compile(r"(?<!\d)((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?!\d)")
ITEM_TAGS = frozenset({"li", "tr", "article", "div", "dd", "dt", "p", "section"})


def find_date(text: str) -> date | None:
    """The first calendar date written dd/mm/yyyy (Vietnamese order) or yyyy-mm-dd in ``text``."""
    for pattern, order in ((_DATE_YMD, "ymd"), (_DATE_DMY, "dmy")):
        for match in pattern.finditer(text):
            a, b, c = (int(g) for g in match.groups())
            year, month, day = (a, b, c) if order == "ymd" else (c, b, a)
            try:
                return date(year, month, day)
            except ValueError:
                continue
    return None


def listing_item_date(anchor: etree._Element | None, max_chars: int = 400) -> date | None:
    """The date a listing shows next to an article link: searched in the smallest enclosing item (``li``,
    ``tr``, ``div``...) that holds no other article-looking link and little text."""
    if anchor is None:
        return None
    own = anchor.get("href")
    for ancestor in anchor.iterancestors():
        tag = ancestor.tag if isinstance(ancestor.tag, str) else ""
        if tag in ("body", "html"):
            return None
        hrefs = {a.get("href") for a in ancestor.iter("a") if a.get("href")}
        if len(hrefs - {own}) > 2:  # reached the list itself (an item may hold an image link and a print link)
            return None
        if tag in ITEM_TAGS:
            text = " ".join("".join(ancestor.itertext()).split())
            if len(text) > max_chars:
                return None
            found = find_date(text)
            if found is not None:
                return found
    return None


_META_DATE = re.compile(
    rb"""(?:article:published_time|datePublished|pubdate|publishdate|date)["'][^>]{0,80}?content=["']([^"']{8,40})""",
    re.IGNORECASE,
)


def sniff_article_date(body: bytes) -> date | None:
    """A cheap guess at an article page's date for backfill stop decisions (extraction finds the real one):
    a publication-time meta tag, else the first date in the page."""
    head = body[:200_000]
    match = _META_DATE.search(head)
    if match:
        found = find_date(match.group(1).decode("ascii", "ignore"))
        if found:
            return found
    text = re.sub(rb"<[^>]+>", b" ", head).decode("utf-8", "ignore")
    return find_date(text)
