"""The one generic spider: crawls a registered portal and records every fetch as a ``RawPage``.

Discovery starts from the home page (menus → category listings → pagination → articles) and is sharpened by
the registry hints (``listing_urls``, ``feeds``, ``sitemaps``, ``article_url_pattern``) plus ``/sitemap.xml``
and robots.txt ``Sitemap:`` lines when a portal has them.  The spider does no extraction: it hands pages to
``RawPageWriter``, and ``etl.extract`` decides later what each page is.

Run (one portal per process; Twisted's reactor cannot be restarted)::

    cd crawlers && scrapy crawl portal -a portal=ID [-a portals_file=F] [-a out=BATCH_DIR] \
        [-a max_articles=N] [-a max_pages=N] [-a state=STATE_JSON] [-a overlap=1] \
        [-a backfill=1 -a since=YYYY-MM-DD -a until=YYYY-MM-DD]

Incremental crawls (``-a state=``, written by ``etl.store.state.export_crawl_state``): known pages are not
requested, listings, feeds and sitemaps are fetched conditionally (a 304 is recorded and not parsed), and a
listing's pagination is followed one page at a time until ``overlap`` + 1 pages in a row list only known
articles.  Backfills (``-a backfill=1``) ignore that stop and walk pagination until the listing's items (by
the dates the listing shows, else the known articles' dates, else the article pages' own dates) are older
than ``since``; they report progress in ``<out>/progress.json``.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
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
    listing_item_date,
    looks_like_xml,
    next_page_links,
    page_number,
    parse_feed_or_sitemap,
    sitemaps_from_robots,
    sniff_article_date,
    url_key,
)
from portal_crawlers.middlewares import OutOfScopeRequest, RedirectLoop, die_with_parent

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
    "refresh": 65,
    "retry": 58,
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
# Extensions that are off by a setting but would still be imported (Scrapy imports every listed extension before
# asking it): dropped from EXTENSIONS_BASE while their setting is false.  RemoteControl imports aiohttp (~0.1 s).
OPTIONAL_EXTENSIONS = {
    "REMOTE_CONTROL_ENABLED": "scrapy.extensions.remote_control.RemoteControl",
    "TELNETCONSOLE_ENABLED": "scrapy.extensions.telnet.TelnetConsole",
}


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


def _date_arg(name: str, value: Any) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise UsageError(f"-a {name}= must be a date YYYY-MM-DD, got {value!r}") from None


def load_state(path: str | None) -> dict[str, Any]:
    """The crawl state file (see ``etl.store.state``); empty when there is none."""
    if not path:
        return {}
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"-a state={path}: cannot read the crawl state: {exc}") from None


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
        state: str | None = None,
        overlap: str | int | None = None,
        backfill: str | None = None,
        since: str | None = None,
        until: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        die_with_parent()
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
        # Incremental crawls and backfills (see the module docstring).
        crawl_state = load_state(state)
        self._known: set[str] = {url_key(u) for u in crawl_state.get("known", ())}
        self._validators: dict[str, dict[str, str]] = {
            url_key(u): v for u, v in (crawl_state.get("validators") or {}).items()
        }
        self._dates: dict[str, date] = {}
        for u, d in (crawl_state.get("dates") or {}).items():
            try:
                self._dates[url_key(u)] = date.fromisoformat(d)
            except (TypeError, ValueError):
                continue
        self._refresh: list[dict[str, Any]] = list(crawl_state.get("refresh") or ())
        self._refresh_map = {url_key(item["url"]): item for item in self._refresh if item.get("url")}
        self._known_skipped: set[str] = set()
        self._retry: list[str] = list(crawl_state.get("retry") or ())
        self.incremental = bool(self._known or self._validators)
        self.overlap = _int_arg("overlap", overlap, 1) if overlap not in (0, "0") else 0
        self.backfill = str(backfill or "").lower() in ("1", "true", "yes")
        self.since = _date_arg("since", since)
        self.until = _date_arg("until", until)
        if self.since and self.until and self.since > self.until:
            raise UsageError(f"-a since={self.since} is after -a until={self.until}")
        self._chains: dict[str, dict[str, Any]] = {}  # listing chain (first page key) -> progress
        self._listing_pages = 0
        self._responses = 0
        self._progress_written = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> PortalSpider:
        spider: PortalSpider = super().from_crawler(crawler, *args, **kwargs)
        spider.update_crawler_settings(crawler.settings)
        return spider

    def update_crawler_settings(self, settings: Settings) -> None:
        """Apply the registry's per-portal politeness (at spider priority: beats settings.py, not ``-s``).

        Called before Scrapy freezes the settings; the crawl is one portal, so per-domain settings are the
        portal's.  Switched-off extensions are left out here too, so they are not imported at all.
        """
        self.max_pages = _int_arg("max_pages", self._max_pages_arg, settings.getint("PORTAL_MAX_PAGES", 5000))
        if not self._out_arg:
            self.out_dir = default_staging_dir(settings) / new_batch_id(self.portal_id)
        if not settings.frozen:
            settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", self.portal.concurrency, priority="spider")
            settings.set("DOWNLOAD_DELAY", self.portal.delay, priority="spider")
            settings.set("AUTOTHROTTLE_TARGET_CONCURRENCY", float(self.portal.concurrency), priority="spider")
            contact = settings.get("PORTAL_CONTACT_URL") or os.environ.get("PORTAL_ETL_CONTACT_URL", "")
            if contact and settings.getpriority("USER_AGENT") < 40:  # -s USER_AGENT=... (cmdline) wins
                agent = f"portal-etl/0.1 (+{contact}; news archive crawler)"
                settings.set("USER_AGENT", agent, priority="spider")
            _drop_disabled_extensions(settings)
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
        # robots.txt's Sitemap: lines: from the copy Scrapy's robots middleware fetches to enforce the rules
        # (RobotsSitemapsMiddleware hands it to ``robots_fetched``).  Only when that middleware does not run
        # (ROBOTSTXT_OBEY=False) is robots.txt fetched here, for those lines alone.  Neither it nor a missing
        # /sitemap.xml is recorded as a page.
        if not self._robots_come_from_middleware():
            robots = self._request(root + "robots.txt", UrlKind.PAGE, source="robots", probe=True)
            if robots is not None:
                robots.meta["dont_obey_robotstxt"] = True
                yield robots
        sitemap = self._request(root + "sitemap.xml", UrlKind.PAGE, source="sitemap", probe=True)
        if sitemap is not None:
            yield sitemap
        for item in self._refresh:
            url = item.get("url") or ""
            request = self._request(
                url, self.classifier.kind(url), source="refresh", category_hint=item.get("category"),
                validators=item,
            )
            if request is not None:
                yield request
        # A page that failed in an earlier run already had its retries then: this run tries it once (a page
        # that stays broken costs one request per run, not the retry back-off, and stays on the retry list).
        for url in self._retry:
            request = self._request(url, self.classifier.kind(url), source="retry",
                                    extra_meta={"max_retry_times": 0})
            if request is not None:
                yield request

    # --- scheduling -------------------------------------------------------------------------------------
    def _robots_come_from_middleware(self) -> bool:
        """Whether Scrapy's robots middleware fetches robots.txt and ours hands it over (``robots_fetched``)."""
        from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware

        from portal_crawlers.middlewares import RobotsSitemapsMiddleware

        engine = self.crawler.engine
        downloader = getattr(engine, "downloader", None) if engine is not None else None
        active = getattr(getattr(downloader, "middleware", None), "middlewares", ())
        return any(isinstance(m, RobotsTxtMiddleware) for m in active) and any(
            isinstance(m, RobotsSitemapsMiddleware) for m in active
        )

    def robots_fetched(self, response: Response) -> None:
        """The robots middleware's robots.txt (``RobotsSitemapsMiddleware``): schedule its Sitemap: lines."""
        if not 200 <= response.status < 300:
            return
        for url in sitemaps_from_robots(response.body):
            request = self._request(url, UrlKind.PAGE, source="sitemap", referer=response.url)
            if request is not None:
                self.crawler.engine.crawl(request)

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
        validators: dict[str, Any] | None = None,
        extra_meta: dict[str, Any] | None = None,
    ) -> Request | None:
        """A request for ``url`` unless it is out of scope, already seen, known (incremental), or over a limit."""
        if kind is UrlKind.SKIP or not self.scope.allows(url):
            return None
        key = url_key(url)
        if source == "link" and kind is not UrlKind.LISTING and key in self._known:
            if key not in self._known_skipped:
                self._known_skipped.add(key)
                self.crawler.stats.inc_value("portal/known_not_fetched")
            return None
        refresh = self._refresh_map.get(key)
        if refresh is not None:  # refetched conditionally, under the category it was stored with
            validators = validators or refresh
            category_hint = refresh.get("category") or category_hint
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
        if extra_meta:
            meta.update(extra_meta)
        headers: dict[str, str] = {}
        if validators is None and source != "home" and (kind is UrlKind.LISTING or source in ("feed", "sitemap")):
            validators = self._validators.get(key)
        if validators:
            if validators.get("etag"):
                headers["If-None-Match"] = validators["etag"]
            if validators.get("last_modified"):
                headers["If-Modified-Since"] = validators["last_modified"]
            meta["conditional"] = True
        if priority is None:
            priority = PRIORITY["probe"] if probe else PRIORITY.get(source, PRIORITY[kind])
        return Request(
            url, callback=self.parse, errback=self.on_error, priority=priority, meta=meta, headers=headers or None
        )

    def is_known(self, url: str) -> bool:
        """Whether the archive (or a staged batch) already holds this page (used for redirect targets)."""
        return url_key(url) in self._known

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
        in_lists = []
        for link in links:
            if listed is not None:
                in_list = link.element in listed
            else:  # no pager to locate the list: boxes repeated from the home page are not this category
                in_list = url_key(link.url) not in self._home_links
            in_lists.append(in_list)
        follow, skip_items, chain_meta = self._pagination_plan(response, links, in_lists, is_listing)
        for link, in_list in zip(links, in_lists):
            if link.is_pagination and follow is not None and id(link) not in follow:
                self.crawler.stats.inc_value("portal/pagination_not_followed")
                continue
            if id(link) in skip_items:
                continue
            request = self._request_for_link(link, response.url, page_hint, in_list, chain_meta)
            if request is not None:
                yield request
        self._write_progress()

    def _pagination_plan(
        self, response: HtmlResponse, links: list[FoundLink], in_lists: list[bool], is_listing: bool
    ) -> tuple[set[int] | None, set[int], dict[str, Any]]:
        """Which pagination links to follow (None: all, as a full crawl does), which listed articles to
        skip (a backfill's date range) and the chain metadata that travels with the next page.

        Incremental: the next page only, while fewer than ``overlap`` + 1 pages in a row listed only known
        articles.  Backfill: the next page only, until the listing's items are older than ``since``.
        """
        if not (self.incremental or self.backfill) or not is_listing:
            return None, set(), {}
        meta = response.meta
        pager = [link for link in links if link.is_pagination]
        items = [
            link
            for link, in_list in zip(links, in_lists)
            if in_list and not link.is_pagination and not link.in_sidebar and not link.in_menu
            and self.classifier.kind(link.url) is UrlKind.ARTICLE
        ]
        chain_key = meta.get("chain") or url_key(response.url)
        chain = self._chains.setdefault(
            chain_key, {"url": response.url, "pages": 0, "current": 1, "highest": 1, "done": False, "old": False}
        )
        chain["pages"] += 1
        self._listing_pages += 1
        next_links, highest = next_page_links(response.url, pager)
        chain["current"] = max(chain["current"], page_number(response.url) or 1)
        chain["highest"] = max(chain["highest"], highest or 1, chain["current"])
        skip: set[int] = set()
        stop = False
        if self.backfill:
            dated = []
            for link in items:
                shown = listing_item_date(link.element) or self._dates.get(url_key(link.url))
                if shown is None:
                    continue
                dated.append(shown)
                if (self.since and shown < self.since) or (self.until and shown > self.until):
                    skip.add(id(link))
                    self.crawler.stats.inc_value("portal/out_of_range_not_fetched")
            if self.since is not None:
                if dated and max(dated) < self.since:
                    stop = True
                elif not dated and chain["old"]:
                    stop = True  # the article pages of this listing already went past --since
            if dated:
                chain["oldest"] = min(dated).isoformat()
        else:
            streak = meta.get("known_streak", 0)  # pages in a row that listed only known articles
            if items:
                streak = streak + 1 if all(url_key(link.url) in self._known for link in items) else 0
            chain["streak"] = streak
            stop = streak > self.overlap
        if stop or not next_links:
            chain["done"] = True
            if stop:
                self.crawler.stats.inc_value("portal/pagination_stopped")
            return set(), skip, {}
        chain_meta = {"chain": chain_key, "known_streak": chain.get("streak", 0)}
        return {id(link) for link in next_links}, skip, chain_meta

    def _write_progress(self, force: bool = False) -> None:
        """``<out>/progress.json``: pages, articles and what is left (for ``portal-etl backfill``)."""
        if not self.backfill and not force:
            return
        now = time.monotonic()
        if not force and now - self._progress_written < 0.5:
            return
        self._progress_written = now
        active = [c for c in self._chains.values() if not c["done"]]
        left = sum(max(0, c["highest"] - c["current"]) for c in active)
        oldest = min((c["oldest"] for c in self._chains.values() if c.get("oldest")), default=None)
        progress = {
            "portal": self.portal_id,
            "pages": self._responses,
            "listing_pages": self._listing_pages,
            "articles_fetched": self._articles_done,
            "articles_queued": max(0, self._articles_scheduled - self._articles_done),
            "listings_active": len(active),
            "listing_pages_left": left,
            "oldest_listing_date": oldest,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "updated_at": datetime.now(UTC).isoformat(),
        }
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            tmp = self.out_dir / ".progress.json.tmp"
            tmp.write_text(json.dumps(progress), encoding="utf-8")
            os.replace(tmp, self.out_dir / "progress.json")
        except OSError as exc:  # progress is a courtesy: never fail the crawl for it
            log.debug("cannot write progress: %s", exc)

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
        self,
        link: FoundLink,
        referer: str,
        page_hint: str | None,
        in_list: bool = True,
        chain_meta: dict[str, Any] | None = None,
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
                extra_meta=chain_meta,
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
            extra_meta={"chain": chain_meta["chain"]} if chain_meta and kind is UrlKind.ARTICLE else None,
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
        self._responses += 1
        if status == 304:
            # Not modified since the archive's copy: recorded (pages shows the visit), never parsed.
            self.crawler.stats.inc_value("portal/not_modified")
            yield self._raw_page(response, None)
            self._count_article(meta)
            if meta.get("source") == "home":
                yield from self._after_home()
            self._write_progress()
            return
        if (
            self.backfill and self.since and meta.get("chain") and meta.get("kind") == UrlKind.ARTICLE.value
            and not error
        ):
            shown = sniff_article_date(response.body)
            if shown is not None and shown < self.since and meta["chain"] in self._chains:
                self._chains[meta["chain"]]["old"] = True
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
        if 300 <= status < 400 and status != 304:
            return f"HTTP {status}: redirect not followed"
        if "partial" in response.flags or "dataloss" in response.flags:
            return "truncated: response body incomplete"
        if 200 <= status < 300 and not response.body.strip():
            return "empty response: HTTP 200 with no body"
        if 200 <= status < 300 and response.meta.get("kind") in (UrlKind.ARTICLE.value, UrlKind.LISTING.value):
            content_type = (_header(response.headers, b"Content-Type") or "").split(";")[0].strip().lower()
            if content_type and not (
                "html" in content_type or "xml" in content_type or content_type.startswith("text/")
            ):
                return f"not HTML: {content_type} ({len(response.body)} bytes) where a page was expected"
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
        if failure.check(RedirectLoop) or (
            failure.check(IgnoreRequest) and "max redirections" in str(failure.value)
        ):
            redirects = meta.get("redirect_urls") or []
            original = redirects[0] if redirects else request.url
            message = str(failure.value)
            if not failure.check(RedirectLoop):
                message = f"redirect loop: more than {len(redirects) - 1} redirects ({' -> '.join(redirects[:4])} ...)"
            log.warning("%s: %s", original, message)
            yield self._failed_page(request, original, message)
            self._count_article(meta)
            return
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


def _drop_disabled_extensions(settings: Settings) -> None:
    """Take the ``OPTIONAL_EXTENSIONS`` whose setting is false out of EXTENSIONS_BASE, so they are not imported.

    ``EXTENSIONS = {path: None}`` would not do: Scrapy imports every key of EXTENSIONS to normalise it, even one
    set to None; only keys of the _BASE dict that end up disabled are never loaded.  An extension that
    EXTENSIONS names explicitly is left alone.
    """
    base = settings.getdict("EXTENSIONS_BASE")
    configured = settings.getdict("EXTENSIONS")
    dropped = [
        path
        for setting, path in OPTIONAL_EXTENSIONS.items()
        if not settings.getbool(setting) and path in base and path not in configured
    ]
    if dropped:
        for path in dropped:
            del base[path]
        settings.set("EXTENSIONS_BASE", base, priority=settings.getpriority("EXTENSIONS_BASE") or "default")


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
    elif "dataloss" in lowered or "dataloss" in message.lower() or "potentialdataloss" in message.lower():
        kind = "truncated"
    elif "connectionlost" in lowered or "connectiondone" in lowered or "responsenevereceived" in lowered:
        kind = "connection lost"
    else:
        kind = name
    return f"{kind}: {message}{suffix}"
