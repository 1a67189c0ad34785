"""Run the portal spider the way production does: a subprocess per crawl (Twisted's reactor cannot restart)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from etl.records import RawPage

REPO = Path(__file__).resolve().parents[2]
# Fast and deterministic for a loopback server: no AutoThrottle, no delay, short timeouts, a small attachment cap.
FAST_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "DOWNLOAD_TIMEOUT": "2.5",  # loopback pages answer in ms; headroom for a loaded CI machine
    "DNS_TIMEOUT": "2",
    "PORTAL_DOCUMENT_MAXSIZE": "10000",
    "LOG_LEVEL": "INFO",
}


@dataclass
class CrawlRun:
    returncode: int
    out: Path
    log: str

    @property
    def pages(self) -> list[RawPage]:
        raw = self.out / "raw.jsonl"
        if not raw.exists():
            return []
        return [
            RawPage.from_json(line) for line in raw.read_text(encoding="utf-8").splitlines() if line.strip()
        ]

    @property
    def summary(self) -> dict:
        return json.loads((self.out / "crawl.json").read_text(encoding="utf-8"))

    def by_path(self) -> dict[str, RawPage]:
        from urllib.parse import urlsplit

        result = {}
        for page in self.pages:
            parts = urlsplit(page.url)
            result[parts.path + ("?" + parts.query if parts.query else "")] = page
        return result


def registry_toml(portal_id: str, url: str, **extra: object) -> str:
    lines = [
        "[[portal]]",
        f'id = "{portal_id}"',
        'name = "Tỉnh ủy Thử nghiệm"',
        'province = "Thử nghiệm"',
        f'url = "{url}"',
        'level = "sample"',
        "concurrency = 4",
        "delay = 0",
    ]
    for key, value in extra.items():
        lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def run_spider(
    portal_id: str,
    portals_file: Path,
    out: Path | None,
    *args: str,
    proxy: str | None = None,
    timeout: float = 60,
    settings: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> CrawlRun:
    """``python -m portal_crawlers crawl portal ...`` (``scrapy crawl``'s lean entry point) in a subprocess, as
    the flows run it (``etl.crawl.crawler_command``).

    ``out=None`` leaves the batch directory to the spider (then ``CrawlRun.out`` is ``cwd``).  ``proxy``
    routes every non-loopback request to a trap server, so a test can prove none was made.  The working
    directory defaults to one outside the repository: a run must not depend on finding crawlers/scrapy.cfg.
    """
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="portal_crawlers.settings")
    if proxy:
        env.update(http_proxy=proxy, https_proxy=proxy, HTTP_PROXY=proxy, HTTPS_PROXY=proxy)
        env.update(no_proxy="127.0.0.1", NO_PROXY="127.0.0.1")
    command = [sys.executable, "-m", "portal_crawlers", "crawl", "portal", "-a", f"portal={portal_id}"]
    command += ["-a", f"portals_file={portals_file}"]
    if out is not None:
        command += ["-a", f"out={out}"]
    command += list(args)
    for key, value in {**FAST_SETTINGS, **(settings or {})}.items():
        command += ["-s", f"{key}={value}"]
    workdir = cwd or (out.parent if out is not None else portals_file.parent)
    result = subprocess.run(
        command, env=env, cwd=workdir, capture_output=True, text=True, timeout=timeout, check=False
    )
    return CrawlRun(result.returncode, out or workdir, result.stdout + result.stderr)
