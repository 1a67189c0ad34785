"""Downloader middleware that keeps every request on the portal being crawled.

Scrapy's OffsiteMiddleware compares host names only and lets ``dont_filter`` requests through; a portal on
127.0.0.1:8001 would then happily crawl a neighbour on 127.0.0.1:8002, and a redirect to another site would
be followed.  This middleware checks host *and* port against the spider's ``PortalScope`` for every request
that reaches the downloader (redirects and robots.txt fetches included), before anything is sent.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.exceptions import IgnoreRequest

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
