"""Process-level tweaks for a crawler that is its own process (``etl.crawl.run_crawl``: one portal, one process).

``FreezeGarbageAtExit``: once the engine has stopped, nothing the process holds is needed again, yet CPython's
shutdown runs several full garbage collections over everything Scrapy, Twisted and the crawl created: 0.1-0.4 s
of every crawl on a 2-core machine, depending on load (the time between ``sys.exit`` and the process's end).
``gc.freeze()`` moves every tracked object to the permanent generation, so those collections have next to
nothing to visit; the operating system frees the memory as the process ends anyway.  Files, atexit handlers,
logging flushes and module finalisers run as before: only the garbage collector's last sweeps are skipped.
``PORTAL_GC_FREEZE_AT_EXIT = False`` turns it off (for a process that runs more than one crawl).
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

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
