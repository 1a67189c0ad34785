"""The one generic spider: crawls a registered portal and records every fetch as a ``RawPage``.

Discovery starts from the home page (menus → category listings → pagination → articles) and is sharpened by
the registry hints (``listing_urls``, ``feeds``, ``sitemaps``, ``article_url_pattern``) plus ``/sitemap.xml``
and robots.txt ``Sitemap:`` lines when a portal has them.  The spider does no extraction: it hands pages to
``RawPageWriter``, and ``etl.extract`` decides later what each page is.

Run (one portal per process; Twisted's reactor cannot be restarted)::

    cd crawlers && scrapy crawl portal -a portal=ID [-a portals_file=F] [-a out=BATCH_DIR] \
        [-a max_articles=N] [-a max_pages=N]
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit
from uuid import uuid4

from scrapy import Request, Spider
from scrapy.exceptions import CloseSpider, IgnoreRequest, UsageError
from scrapy.http import HtmlResponse, Response
from scrapy.utils.conf import closest_scrapy_cfg
from twisted.python.failure import Failure

from etl.portals.registry import Portal, RegistryError, load_registry
from etl.records import RawPage
from portal_crawlers.discovery import (
    FoundLink,
    PortalScope,
    UrlClassifier,
    UrlKind,
    extract_links,
    looks_like_xml,
    parse_feed_or_sitemap,
    sitemaps_from_robots,
    url_key,
)
from portal_crawlers.middlewares import OutOfScopeRequest

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

log = logging.getLogger(__name__)

# Higher is fetched first.  Section pages (menu entries, registry listing hints) come first so the category
# of every article they list is known before the article is fetched; then articles, so a capped run
# (max_articles) ends quickly and the queue stays short; then further pagination and other listings; other
# pages after those; attachments last.
PRIORITY = {
    "home": 100,
    "probe": 95,
    "hint": 90,
    "feed": 80,
    "sitemap": 80,
    "section": 70,
    UrlKind.ARTICLE: 60,
    "pagination": 55,
    UrlKind.LISTING: 50,
    UrlKind.PAGE: 0,
    UrlKind.DOCUMENT: -10,
}
MAX_HINT_LENGTH = 120  # anchor texts longer than this are not category names


def _int_arg(name: str, value: Any, default: int | None) -> int | None:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise UsageError(f"-a {name}= must be an integer, got {value!r}") from None
    if number < 0:
        raise UsageError(f"-a {name}= must not be negative, got {number}")
    return number or default  # 0 means "no limit", like Scrapy's CLOSESPIDER_* settings


def new_batch_id(portal_id: str, now: datetime | None = None) -> str:
    """Same shape as ``etl.store.staging.new_batch`` so batches sort by start time."""
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%S}Z-{portal_id}-{uuid4().hex[:8]}"


def default_staging_dir(settings: Settings) -> Path:
    """``PORTAL_STAGING_DIR`` when set, else ``data/staging`` beside the Scrapy project (``../data/staging``
    from ``crawlers/``), else ``./data/staging``."""
    configured = settings.get("PORTAL_STAGING_DIR")
    if configured:
        return Path(configured)
    cfg = closest_scrapy_cfg()
    if cfg:
        return Path(cfg).resolve().parent.parent / "data" / "staging"
    return Path.cwd() / "data" / "staging"


class PortalSpider(Spider):
    """Crawl one portal of the registry; every response and failure becomes one ``RawPage``."""

    name = "portal"

    def __init__(
        self,
        portal: str | None = None,
        portals_file: str | None = None,
        out: str | None = None,
        max_articles: str | int | None = None,
        max_pages: str | int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not portal:
            raise UsageError("the portal spider needs -a portal=ID (a registry id)")
        try:
            self.portal: Portal = load_registry(portals_file).get(portal)
        except RegistryError as exc:
            raise UsageError(str(exc)) from None
        self.portal_id = self.portal.id
        self.scope = PortalScope.for_portal(self.portal)
        self.classifier = UrlClassifier(self.portal)
        # Scrapy's OffsiteMiddleware reads this; PortalScopeMiddleware is the stricter check.
        self.allowed_domains = self.scope.offsite_domains()
        self.max_articles = _int_arg("max_articles", max_articles, None)
        self._max_pages_arg = max_pages
        self.max_pages: int = 0  # set in from_crawler, where settings are known
        self._out_arg = out
        self.out_dir: Path = Path(out) if out else Path()
        self.limit_reached: str | None = None
        self._seen: set[str] = set()
        self._late_hints: dict[str, tuple[str | None, str | None]] = {}  # key -> (link_text, category)
        self._sections: dict[str, str] = {}  # menu section path ("/tin-tuc/") -> its name
        self._home_done = False
        self._home_links: set[str] = set()  # link keys of the home page (hot news boxes recur on every page)
        self._scheduled = 0
        self._articles_scheduled = 0
        self._articles_done = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> PortalSpider:
        spider: PortalSpider = super().from_crawler(crawler, *args, **kwargs)
        spider.update_crawler_settings(crawler.settings)
        return spider

    def update_crawler_settings(self, settings: Settings) -> None:
        """Apply the registry's per-portal politeness (at spider priority: beats settings.py, not ``-s``).

        Called before Scrapy freezes the settings; the crawl is one portal, so per-domain settings are the
        portal's.
        """
        self.max_pages = _int_arg("max_pages", self._max_pages_arg, settings.getint("PORTAL_MAX_PAGES", 5000))
        if not self._out_arg:
            self.out_dir = default_staging_dir(settings) / new_batch_id(self.portal_id)
        if not settings.frozen:
            settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", self.portal.concurrency, priority="spider")
            settings.set("DOWNLOAD_DELAY", self.portal.delay, priority="spider")
            settings.set("AUTOTHROTTLE_TARGET_CONCURRENCY", float(self.portal.concurrency), priority="spider")
        self.document_maxsize = settings.getint("PORTAL_DOCUMENT_MAXSIZE", 5 * 1024 * 1024)
        log.info(
            "portal %s (%s): %s, concurrency %d, delay %.2fs, max_articles %s, max_pages %d, out %s",
            self.portal_id,
            self.portal.platform,
            self.portal.url,
            self.portal.concurrency,
            self.portal.delay,
            self.max_articles,
            self.max_pages,
            self.out_dir,
        )

    # --- start ------------------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Request]:
        """The home page alone: hints and probes follow once it has been seen (``_after_home``), so the
        home page's menu and boxes are known before any listing is read."""
        home = self._request(self.portal.url, UrlKind.LISTING, source="home", priority=PRIORITY["home"])
        if home is not None:
            yield home
        else:  # pragma: no cover - the portal URL is always in scope
            for request in self._after_home():
                yield request

    def _after_home(self) -> Iterator[Request]:
        """Registry hints (listings, feeds, sitemaps), then the standard probes (robots.txt, /sitemap.xml).

        Runs once, whether the home page answered, failed or was refused, so a broken home page still leaves
        the hints to crawl from.
        """
        if self._home_done:
            return
        self._home_done = True
        portal = self.portal
        hinted = [(u, UrlKind.LISTING, "hint") for u in portal.listing_urls]
        hinted += [(u, UrlKind.PAGE, "feed") for u in portal.feeds]
        hinted += [(u, UrlKind.PAGE, "sitemap") for u in portal.sitemaps]
        for url, kind, source in hinted:
            request = self._request(urljoin(portal.url, url), kind, source=source)
            if request is not None:
                yield request
        parts = urlsplit(portal.url)
        root = f"{parts.scheme}://{parts.netloc}/"
        # robots.txt is fetched here only to read its Sitemap: lines (the robots middleware fetches its own
        # copy to enforce the rules); neither it nor a missing /sitemap.xml is recorded as a page.
        robots = self._request(root + "robots.txt", UrlKind.PAGE, source="robots", probe=True)
        if robots is not None:
            robots.meta["dont_obey_robotstxt"] = True
            yield robots
        sitemap = self._request(root + "sitemap.xml", UrlKind.PAGE, source="sitemap", probe=True)
        if sitemap is not None:
            yield sitemap

    # --- scheduling -------------------------------------------------------------------------------------
    def _request(
        self,
        url: str,
        kind: UrlKind,
        *,
        source: str,
        referer: str | None = None,
        link_text: str | None = None,
        category_hint: str | None = None,
        priority: int | None = None,
        probe: bool = False,
    ) -> Request | None:
        """A request for ``url`` unless it is out of scope, already seen, or over a limit."""
        if kind is UrlKind.SKIP or not self.scope.allows(url):
            return None
        key = url_key(url)
        if key in self._seen:
            if key in self._late_hints and (link_text or category_hint):
                text, hint = self._late_hints[key]
                self._late_hints[key] = (text or link_text, hint or category_hint)
            return None
        is_article = kind is UrlKind.ARTICLE
        if is_article and self.max_articles is not None and self._articles_scheduled >= self.max_articles:
            self.crawler.stats.inc_value("portal/articles_not_scheduled")
            return None
        if self._scheduled >= self.max_pages:
            if self.limit_reached is None:
                log.warning("max_pages=%d reached: no new pages are scheduled", self.max_pages)
                self.limit_reached = "max_pages"
            self.crawler.stats.inc_value("portal/pages_not_scheduled")
            return None
        self._seen.add(key)
        self._scheduled += 1
        if is_article:
            self._articles_scheduled += 1
        if not (link_text and category_hint):
            self._late_hints[key] = (link_text, category_hint)
        meta: dict[str, Any] = {
            "kind": kind.value,
            "source": source,
            "referer": referer,
            "link_text": link_text,
            "category_hint": category_hint,
            "probe": probe,
        }
        if kind is UrlKind.DOCUMENT:
            meta["download_maxsize"] = self.document_maxsize
        if probe:
            meta["max_retry_times"] = 1  # optional files: one retry is enough to ride out a blip
        if priority is None:
            priority = PRIORITY["probe"] if probe else PRIORITY.get(source, PRIORITY[kind])
        return Request(url, callback=self.parse, errback=self.on_error, priority=priority, meta=meta)

    def _follow_links(self, response: HtmlResponse) -> Iterator[Request]:
        links = list(extract_links(response.selector.root, response.urljoin))
        # Only a real listing names the category of what it links to: a page reached as a listing that
        # paginates, looks like a listing, or was given by the registry.  Menu pages such as "Liên hệ" or
        # "Thư viện ảnh" and an article's "related" links do not.
        meta = response.meta
        is_listing = meta.get("kind") == UrlKind.LISTING.value and (
            meta.get("source") == "hint"
            or self.classifier.is_listing(response.url)
            or any(link.is_pagination for link in links)
        )
        page_hint: str | None = meta.get("category_hint") if is_listing else None
        if meta.get("source") == "home":
            self._home_links = {url_key(link.url) for link in links}
        listed = self._listed_block(links) if page_hint else None
        for link in links:
            if listed is not None:
                in_list = link.element in listed
            else:  # no pager to locate the list: boxes repeated from the home page are not this category
                in_list = url_key(link.url) not in self._home_links
            request = self._request_for_link(link, response.url, page_hint, in_list)
            if request is not None:
                yield request

    def _listed_block(self, links: list[FoundLink]) -> set[Any] | None:
        """The anchors of the list a pager paginates: the smallest ancestor of the first pager link that also
        holds article links.  Boxes elsewhere on the page (hot news, most read) are not of this category.
        None when the page has no pager (then every non-sidebar link counts)."""
        pager = next((link for link in links if link.is_pagination and link.element is not None), None)
        if pager is None:
            return None
        for ancestor in pager.element.iterancestors():
            anchors = list(ancestor.iter("a"))
            if any(
                self.classifier.is_article(urljoin(self.portal.url, a.get("href") or "")) for a in anchors
            ):
                return set(anchors)
        return None

    def _section_hint(self, url: str) -> str | None:
        """The menu section whose path the URL lies under (``/tin-tuc/x-1.html`` under ``/tin-tuc/``)."""
        path = urlsplit(url).path
        best: tuple[int, str | None] = (0, None)
        for section_path, name in self._sections.items():
            if path.startswith(section_path) and len(section_path) > best[0]:
                best = (len(section_path), name)
        return best[1]

    def _request_for_link(
        self, link: FoundLink, referer: str, page_hint: str | None, in_list: bool = True
    ) -> Request | None:
        if link.is_feed:
            return self._request(link.url, UrlKind.PAGE, source="feed", referer=referer, link_text=link.text)
        kind = self.classifier.kind(link.url)
        text = link.text if link.text and len(link.text) <= MAX_HINT_LENGTH else None
        if link.is_pagination and kind in (UrlKind.PAGE, UrlKind.LISTING, UrlKind.ARTICLE):
            if kind is UrlKind.PAGE:
                kind = UrlKind.LISTING  # "Trang sau" on a page we could not classify: it lists something
            return self._request(
                link.url,
                kind,
                source="link",
                referer=referer,
                link_text=link.text,
                category_hint=page_hint,
                priority=PRIORITY["pagination"],
            )
        if link.in_menu and kind in (UrlKind.PAGE, UrlKind.LISTING):
            # A menu entry names a section: it is a listing, and its text is the category of what it lists.
            section_path = urlsplit(link.url).path.rstrip("/")
            if text and section_path.count("/") >= 1 and len(section_path) > 1:
                self._sections.setdefault(section_path + "/", text)
            return self._request(
                link.url,
                UrlKind.LISTING,
                source="link",
                referer=referer,
                link_text=link.text,
                category_hint=text or page_hint,
                priority=PRIORITY["section"],
            )
        return self._request(
            link.url,
            kind,
            source="link",
            referer=referer,
            link_text=link.text,
            category_hint=(page_hint if in_list and not link.in_sidebar else None)
            or self._section_hint(link.url),
        )

    # --- responses --------------------------------------------------------------------------------------
    def parse(self, response: Response, **kwargs: Any) -> Iterator[RawPage | Request]:
        meta = response.meta
        status = response.status
        error = self._http_error(response)
        if meta.get("probe") and error:
            self.crawler.stats.inc_value("portal/probe_missing")
            log.info("no %s on this portal (%s)", response.url, error)
            return
        self._seen.add(url_key(response.url))  # after a redirect, links to the final URL are not refetched
        if meta.get("source") != "robots":
            raw = self._raw_page(response, error)
            # A menu link seen after this request was queued may have named its section: links follow it.
            meta["category_hint"] = raw.category_hint
            yield raw
        self._count_article(meta)
        source = meta.get("source")
        if source == "home" and (error or not (200 <= status < 300)):
            yield from self._after_home()
        if error or not (200 <= status < 300):
            return
        if source == "robots":
            for url in sitemaps_from_robots(response.body):
                request = self._request(url, UrlKind.PAGE, source="sitemap", referer=response.url)
                if request is not None:
                    yield request
            return
        if meta.get("kind") == UrlKind.DOCUMENT.value:
            return
        if source in ("feed", "sitemap") or (
            not isinstance(response, HtmlResponse) and looks_like_xml(response.body)
        ):
            yield from self._follow_xml(response)
            return
        if isinstance(response, HtmlResponse):
            yield from self._follow_links(response)
        if source == "home":
            yield from self._after_home()

    def _follow_xml(self, response: Response) -> Iterator[Request]:
        found = parse_feed_or_sitemap(response.body)
        if not found.kind:
            log.info("%s is neither a feed nor a sitemap", response.url)
            return
        self.crawler.stats.inc_value(f"portal/xml/{found.kind}")
        for url in found.sitemaps:
            request = self._request(url, UrlKind.PAGE, source="sitemap", referer=response.url)
            if request is not None:
                yield request
        for url, category in found.pages:
            request = self._request(
                url,
                self.classifier.kind(url),
                source="link",
                referer=response.url,
                category_hint=category or response.meta.get("category_hint"),
            )
            if request is not None:
                yield request

    def _http_error(self, response: Response) -> str | None:
        status = response.status
        retries = response.meta.get("retry_times")
        suffix = f" (after {retries} retries)" if retries else ""
        if status >= 400:
            return f"HTTP {status}{suffix}"
        if 300 <= status < 400:
            return f"HTTP {status}: redirect not followed"
        if "partial" in response.flags or "dataloss" in response.flags:
            return "truncated: response body incomplete"
        return None

    def _raw_page(self, response: Response, error: str | None) -> RawPage:
        meta = response.meta
        key = url_key(_original_url(response.request) if response.request else response.url)
        late_text, late_hint = self._late_hints.pop(key, (None, None))
        headers = response.headers
        referer = meta.get("referer")
        if referer is None and response.request is not None:
            raw_referer = response.request.headers.get("Referer")
            referer = raw_referer.decode("latin-1") if raw_referer else None
        return RawPage(
            url=response.url,
            portal=self.portal_id,
            fetched_at=datetime.now(UTC),
            status=response.status,
            content_type=_header(headers, b"Content-Type"),
            body=response.body,
            etag=_header(headers, b"ETag"),
            last_modified=_header(headers, b"Last-Modified"),
            error=error,
            referer=referer,
            link_text=meta.get("link_text") or late_text,
            category_hint=meta.get("category_hint") or late_hint,
        )

    def _count_article(self, meta: dict[str, Any]) -> None:
        """Count a finished article-like fetch (failures too); close the crawl when ``max_articles`` is met."""
        if meta.get("kind") != UrlKind.ARTICLE.value:
            return
        self._articles_done += 1
        self.crawler.stats.inc_value("portal/article_like_fetched")
        if self.max_articles is not None and self._articles_done >= self.max_articles:
            self.limit_reached = "max_articles"
            raise CloseSpider("max_articles")

    # --- failures ---------------------------------------------------------------------------------------
    def on_error(self, failure: Failure) -> Iterator[RawPage | Request]:
        """Record a failed fetch (after retries) as a RawPage with status None and a classified error."""
        request: Request = failure.request  # type: ignore[attr-defined]
        meta = request.meta
        yield from self._recorded_failure(failure, request)
        if meta.get("source") == "home":
            yield from self._after_home()

    def _recorded_failure(self, failure: Failure, request: Request) -> Iterator[RawPage]:
        meta = request.meta
        if failure.check(IgnoreRequest):
            redirects = meta.get("redirect_urls") or []
            if failure.check(OutOfScopeRequest) and redirects:
                # The portal answered with a redirect to another site (often: it moved). Worth recording.
                original = redirects[0]
                yield self._failed_page(request, original, f"redirected off-site to {request.url}")
                self._count_article(meta)
                return
            self.crawler.stats.inc_value("portal/ignored")
            log.debug("not fetched: %s (%s)", request.url, failure.value)
            if meta.get("kind") == UrlKind.ARTICLE.value:
                self._articles_scheduled -= 1  # a robots-forbidden article frees its place under max_articles
            return
        error = describe_failure(failure)
        if meta.get("probe"):
            self.crawler.stats.inc_value("portal/probe_missing")
            log.info("probe %s failed: %s", request.url, error)
            return
        log.warning("failed %s: %s", request.url, error)
        yield self._failed_page(request, request.url, error)
        self._count_article(meta)

    def _failed_page(self, request: Request, url: str, error: str) -> RawPage:
        meta = request.meta
        late_text, late_hint = self._late_hints.pop(url_key(_original_url(request)), (None, None))
        return RawPage(
            url=url,
            portal=self.portal_id,
            fetched_at=datetime.now(UTC),
            status=None,
            error=error,
            referer=meta.get("referer"),
            link_text=meta.get("link_text") or late_text,
            category_hint=meta.get("category_hint") or late_hint,
        )


def _original_url(request: Request) -> str:
    """The URL the spider asked for, before any redirect (the key its discovery context is stored under)."""
    redirects = request.meta.get("redirect_urls")
    return redirects[0] if redirects else request.url


def _header(headers: Any, name: bytes) -> str | None:
    value = headers.get(name)
    return value.decode("latin-1") if value else None


def describe_failure(failure: Failure) -> str:
    """A short error string that starts with the kind of failure, so later stages can tell transient
    (timeout, dns, connection ...) from terminal (too large) without parsing tracebacks."""
    exc = failure.value
    name = type(exc).__name__
    message = str(exc) or name
    retries = failure.request.meta.get("retry_times") if hasattr(failure, "request") else None  # type: ignore[attr-defined]
    suffix = f" (after {retries} retries)" if retries else ""
    lowered = name.lower()
    if "timeout" in lowered or "timedout" in lowered:
        kind = "timeout"
    elif "dns" in lowered or "resolve" in lowered:
        kind = "dns"
    elif "refused" in lowered:
        kind = "connection refused"
    elif "cancelled" in lowered:
        kind = "too large" if "max size" in message.lower() else "cancelled"
    elif "dataloss" in lowered:
        kind = "truncated"
    elif "connectionlost" in lowered or "connectiondone" in lowered or "responsenevereceived" in lowered:
        kind = "connection lost"
    else:
        kind = name
    return f"{kind}: {message}{suffix}"
