"""Downloader middleware that keeps every request on the portal being crawled.

Scrapy's OffsiteMiddleware compares host names only and lets ``dont_filter`` requests through; a portal on
127.0.0.1:8001 would then happily crawl a neighbour on 127.0.0.1:8002, and a redirect to another site would
be followed.  This middleware checks host *and* port against the spider's ``PortalScope`` for every request
that reaches the downloader (redirects and robots.txt fetches included), before anything is sent.
"""

from __future__ import annotations

import logging
import os
import random
import signal
import sys
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.settings import BaseSettings
from scrapy.utils.defer import maybe_deferred_to_future

from portal_crawlers.discovery import url_key

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

log = logging.getLogger(__name__)


class OutOfScopeRequest(IgnoreRequest):
    """A request for a URL outside the portal; the spider records off-site redirects from it."""


class PortalScopeMiddleware:
    """Drop any request whose host:port is not the portal's (see ``PortalScope``)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._logged_hosts: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        scope = getattr(self.crawler.spider, "scope", None)
        if scope is None or scope.allows(request.url):
            return
        self.crawler.stats.inc_value("portal/out_of_scope")
        netloc = request.url.split("/")[2] if "//" in request.url else request.url
        if netloc not in self._logged_hosts:
            self._logged_hosts.add(netloc)
            log.info("not fetching out-of-scope URL %s (first of host %s)", request.url, netloc)
        raise OutOfScopeRequest(f"out of portal scope: {request.url}")


class RobotsSitemapsMiddleware:
    """Hand the robots.txt that Scrapy's RobotsTxtMiddleware fetched to the spider (``robots_fetched``), which
    reads its ``Sitemap:`` lines from it instead of asking the portal for robots.txt a second time.

    That fetch is the robots middleware's own request (``dont_obey_robotstxt``, no callback); it passes through
    the downloader middlewares like any other, retries and redirects included, so this sees its final answer."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if (
            request.callback is NO_CALLBACK
            and request.meta.get("dont_obey_robotstxt")
            and urlsplit(request.url).path == "/robots.txt"
        ):
            take = getattr(self.crawler.spider, "robots_fetched", None)
            if take is not None:
                take(response)
        return response


class RedirectLoop(IgnoreRequest):
    """A redirect back to a URL already in the request's redirect chain."""


class RedirectLoopMiddleware:
    """Sees 3xx responses before Scrapy's RedirectMiddleware (600) and stops a chain that comes back to a
    URL it already visited.  Without it the loop's second visit is dropped silently by the duplicate filter
    and the page leaves no trace; with it the page is recorded with the error ``redirect loop: A -> B -> A``."""

    def process_response(self, request: Request, response: Response) -> Response:
        if not 300 <= response.status < 400 or response.status == 304 or b"Location" not in response.headers:
            return response
        location = response.headers[b"Location"].decode("latin-1")
        target = urljoin(request.url, location)
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if url_key(target) in {url_key(u) for u in chain}:
            raise RedirectLoop(f"redirect loop: {' -> '.join([*chain, target])}")
        return response


class KnownRedirectMiddleware:
    """Incremental crawls: a redirect that lands on a page the archive already holds is not followed."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        spider = self.crawler.spider
        if not request.meta.get("redirect_urls") or request.meta.get("source") != "link":
            return
        if request.meta.get("kind") in ("listing",):
            return
        is_known = getattr(spider, "is_known", None)
        if is_known is not None and is_known(request.url):
            self.crawler.stats.inc_value("portal/known_not_fetched")
            raise IgnoreRequest(f"redirect to a known page: {request.url}")


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware retries at once; a struggling government server deserves a pause first.

    Each retry waits ``RETRY_BACKOFF_BASE * 2 ** (attempt - 1)`` seconds (±25 % jitter, at most
    ``RETRY_BACKOFF_MAX``), or the server's ``Retry-After`` when it names a number of seconds (capped the
    same way).  The wait is a timer, not a sleep: other requests go on meanwhile.  AutoThrottle alone would not
    do: it adapts the delay to latency, and an instant 503 has a short latency.
    """

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    def backoff(self, retry: Request, response: Response | None = None) -> float:
        attempt = max(1, int(retry.meta.get("retry_times", 1)))
        delay = self.backoff_base * 2 ** (attempt - 1)
        if response is not None:
            after = response.headers.get(b"Retry-After")
            if after and after.strip().isdigit():
                delay = max(delay, float(after.strip()))
        delay *= random.uniform(0.75, 1.25)
        return min(delay, self.backoff_max)

    async def _wait(self, seconds: float) -> None:
        if seconds <= 0:
            return
        from twisted.internet import reactor
        from twisted.internet.task import deferLater

        self.crawler.stats.inc_value("retry/backoff_seconds", round(seconds, 2))
        await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))  # type: ignore[arg-type]

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await self._wait(self.backoff(result, response))
        return result

    async def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:  # type: ignore[override]
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self._wait(self.backoff(result))
        return result


def die_with_parent() -> None:
    """When started by ``etl.crawl.run_crawl`` (``PORTAL_ETL_PARENT_PID`` set), die with that process.

    The crawler runs in its own session (so a time-out can kill its process group), which also means a
    ``kill -9`` of the command's process group would leave it running, still writing into a batch the rerun
    is about to recover.  Linux's PR_SET_PDEATHSIG delivers SIGKILL to it when the parent dies; elsewhere
    this does nothing (the batch lock then keeps ``recover`` away until the orphan finishes).
    """
    parent = os.environ.get("PORTAL_ETL_PARENT_PID")
    if not parent or not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if str(os.getppid()) != parent:  # the parent died before the signal was armed
        os._exit(1)
