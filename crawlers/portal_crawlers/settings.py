"""Scrapy settings for the portal crawler.

Politeness comes first: these are small provincial government servers, often slow, sometimes fragile.  Every
value here can be overridden per run with ``-s NAME=VALUE``; the registry entry of the portal being crawled
sets its own ``concurrency`` and ``delay`` (see ``PortalSpider.update_crawler_settings``), which beat this
file but not the command line.
"""

BOT_NAME = "portal_crawlers"

SPIDER_MODULES = ["portal_crawlers.spiders"]
NEWSPIDER_MODULE = "portal_crawlers.spiders"

ADDONS: dict[str, int] = {}

# Identify the project and give operators a way to reach us.  A deployment names its own contact page with
# -s PORTAL_CONTACT_URL=... (or the PORTAL_ETL_CONTACT_URL environment variable; `portal-etl crawl/backfill
# --contact-url`): the spider then sends "portal-etl/0.1 (+<contact>; news archive crawler)".  -s USER_AGENT=...
# replaces the whole string.
PORTAL_CONTACT_URL = ""
USER_AGENT = "portal-etl/0.1 (+https://github.com/portal-etl/portal-etl; news archive crawler)"

# robots.txt decides; the RobotsTxtMiddleware (Protego) fetches it once per host before the first request.
ROBOTSTXT_OBEY = True

# One portal per process, so the global limit mostly matters for the per-domain one.  The registry entry
# (concurrency, delay) overrides the per-domain values below at spider priority.
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
DOWNLOAD_DELAY_JITTER = 0.5  # ±50% around the delay, so requests do not arrive in lockstep

# AutoThrottle backs off when a portal slows down (latency-driven), never going below DOWNLOAD_DELAY.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Transient failures (5xx, gateway timeouts, 429, network errors) are retried 3 times; what is still failing
# afterwards reaches the spider (responses) or its errback (network errors) and is recorded with an error.
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# ... with exponential backoff between attempts (BackoffRetryMiddleware): 1 s, 2 s, 4 s (±25 %), or the
# server's Retry-After, never more than RETRY_BACKOFF_MAX.
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 60.0

DOWNLOAD_TIMEOUT = 30
DNS_TIMEOUT = 20
# A news page over 10 MB is not a news page; attachments get a smaller cap of their own (PORTAL_DOCUMENT_MAXSIZE).
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024

# Every status reaches the spider so 404s and exhausted 5xx are recorded, not silently dropped.
HTTPERROR_ALLOW_ALL = True

# No JOBDIR: a job directory reused across scheduled runs remembers every URL as seen and makes the next
# run crawl nothing.  Each run is a fresh batch; resuming is not worth that trap.
JOBDIR = None

# Scrapy 2.19 starts a local remote-control server by default; a scheduled batch crawler needs none.  (While
# these are off the spider also drops the two extensions from EXTENSIONS_BASE: Scrapy imports every listed
# extension before asking whether it is enabled, and RemoteControl's import of aiohttp alone costs ~0.1 s of
# every crawl's start.  -s REMOTE_CONTROL_ENABLED=True / -s TELNETCONSOLE_ENABLED=True still turn them on.)
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False

EXTENSIONS = {
    # gc.freeze() once the engine has stopped: the process's end skips CPython's final garbage collections.
    "portal_crawlers.extensions.FreezeGarbageAtExit": 900,
    # Free heap pages go back to the OS every PORTAL_MEMORY_TRIM_INTERVAL seconds (below).
    "portal_crawlers.extensions.ReleaseFreedMemory": 910,
}

# Only http(s) is ever fetched (PortalScopeMiddleware refuses every other scheme before the downloader), so the
# other handlers are not loaded at all (each is imported at start-up, ftp pulls in twisted.protocols.ftp).
DOWNLOAD_HANDLERS = {"data": None, "file": None, "s3": None, "ftp": None}

# Scrapy 2.19 has one request fingerprinter (REQUEST_FINGERPRINTER_IMPLEMENTATION was removed with the
# pre-2.7 one); name it explicitly so the choice is visible.
REQUEST_FINGERPRINTER_CLASS = "scrapy.utils.request.RequestFingerprinter"

COOKIES_ENABLED = True  # some ASP.NET / DNN portals need the session cookie to paginate
REDIRECT_MAX_TIMES = 10
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "vi,en;q=0.5",
}

DOWNLOADER_MIDDLEWARES = {
    # Before OffsiteMiddleware (50) and RobotsTxtMiddleware (100): nothing out of scope is ever sent,
    # redirects and robots.txt requests included.
    "portal_crawlers.middlewares.PortalScopeMiddleware": 45,
    # Incremental crawls: a redirect to a page the archive holds is not followed.
    "portal_crawlers.middlewares.KnownRedirectMiddleware": 46,
    # Retries with backoff replace Scrapy's immediate ones (same place, same settings).
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "portal_crawlers.middlewares.BackoffRetryMiddleware": 550,
    # Sees 3xx responses before RedirectMiddleware (600): a redirect loop is recorded, not silently dropped.
    "portal_crawlers.middlewares.RedirectLoopMiddleware": 650,
    # Hands the robots middleware's own robots.txt to the spider (its Sitemap: lines): fetched once, not twice.
    "portal_crawlers.middlewares.RobotsSitemapsMiddleware": 40,
}

ITEM_PIPELINES = {
    "portal_crawlers.pipelines.RawPageWriter": 300,
}

# --- settings of our own -------------------------------------------------------------------------------
# Where a run writes when no -a out=... is given: <PORTAL_STAGING_DIR>/<new batch id>/.  Empty means
# "data/staging" beside the crawlers/ folder (the repository's data/ directory).
PORTAL_STAGING_DIR = ""
# Size cap for attachments (.pdf, .doc, ...) that are fetched once to be recorded as non-article pages.
PORTAL_DOCUMENT_MAXSIZE = 5 * 1024 * 1024
# Default safety cap on the number of requests one run schedules (spider argument max_pages overrides).
PORTAL_MAX_PAGES = 5000
# portal_crawlers.extensions.FreezeGarbageAtExit: skip the interpreter's final garbage collections (0.1-0.4 s a
# crawl).  Every crawl is its own process (etl.crawl.run_crawl); set False in a process that runs several.
PORTAL_GC_FREEZE_AT_EXIT = True
# portal_crawlers.extensions.ReleaseFreedMemory: seconds between two trims of the heap (0 turns it off).
PORTAL_MEMORY_TRIM_INTERVAL = 5.0
