"""Process-level tweaks for a crawler that is its own process (``etl.crawl.run_crawl``: one portal, one process).

``FreezeGarbageAtExit``: once the engine has stopped, nothing the process holds is needed again, yet CPython's
shutdown runs several full garbage collections over everything Scrapy, Twisted and the crawl created: 0.1-0.4 s
of every crawl on a 2-core machine, depending on load (the time between ``sys.exit`` and the process's end).
``gc.freeze()`` moves every tracked object to the permanent generation, so those collections have next to
nothing to visit; the operating system frees the memory as the process ends anyway.  Files, atexit handlers,
logging flushes and module finalisers run as before: only the garbage collector's last sweeps are skipped.
``PORTAL_GC_FREEZE_AT_EXIT = False`` turns it off (for a process that runs more than one crawl).

``ReleaseFreedMemory``: every ``PORTAL_MEMORY_TRIM_INTERVAL`` seconds (5; 0 turns it off) the heap's free
pages go back to the operating system (``etl.memory.trim_heap``, glibc's ``malloc_trim``: a few ms).  While a
crawl discovers a portal, listing pages and their responses pile up faster than the scheduler drains them;
glibc keeps the memory they freed, so a crawler sat at ~125 MB for the rest of its run where ~88 MB is in use
(3,000 articles of the benchmark site).  Several crawlers run at once beside extraction and merges, so that
difference counts.  The number of trims is in the stats as ``portal/memory_trims``.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from etl.memory import trim_heap

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler


class FreezeGarbageAtExit:
    """``gc.freeze()`` on ``engine_stopped``: the process's end skips the collector's sweeps (see module doc)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("PORTAL_GC_FREEZE_AT_EXIT", True):
            raise NotConfigured
        extension = cls()
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_stopped(self) -> None:
        gc.freeze()


class ReleaseFreedMemory:
    """``trim_heap`` every ``PORTAL_MEMORY_TRIM_INTERVAL`` seconds while the spider runs (see module doc)."""

    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        interval = crawler.settings.getfloat("PORTAL_MEMORY_TRIM_INTERVAL", 5.0)
        if interval <= 0 or not trim_heap():  # the first trim also tells whether this C library has one
            raise NotConfigured
        extension = cls(crawler, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        self.loop = task.LoopingCall(self.trim)
        self.loop.start(self.interval, now=False)

    def trim(self) -> None:
        trim_heap()
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("portal/memory_trims")

    def spider_closed(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
