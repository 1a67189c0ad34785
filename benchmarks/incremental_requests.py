"""Requests made by a first crawl vs an incremental re-crawl of the unchanged sample portals.

    .venv/bin/python benchmarks/incremental_requests.py

Serves the bundled sample portals on 127.0.0.1 (``etl.samples.server``), crawls each one twice into a fresh
archive through ``etl.pipeline.run_portal`` (the same steps ``portal-etl crawl`` runs, without Prefect), and
prints the server's request counts per crawl (all requests, article pages, 304 answers).
"""

from __future__ import annotations

import logging
import sys
import tempfile
from collections import Counter
from pathlib import Path

from etl import pipeline
from etl.config import Settings
from etl.samples.server import serve_samples

FAST = {"AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0", "RETRY_TIMES": "1", "LOG_LEVEL": "WARNING"}


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    tmp = Path(tempfile.mkdtemp(prefix="incremental-bench-"))
    with serve_samples() as server:
        portals = tmp / "portals.toml"
        portals.write_text(server.registry_toml(), encoding="utf-8")
        settings = Settings(db_path=tmp / "archive.duckdb", portals_file=portals, scrapy_settings=FAST)
        registry = pipeline.registry_for(settings)
        articles = {}
        totals: dict[str, Counter] = {"first": Counter(), "second": Counter()}
        print(f"{'portal':22} {'first crawl':>24} {'re-crawl (unchanged)':>30}")
        for portal in registry.portals:
            row = []
            for label in ("first", "second"):
                mark = len(server.request_log)
                report = pipeline.run_portal(portal.id, settings)
                log = server.request_log[mark:]
                counts = Counter(
                    requests=len(log),
                    not_modified=sum(1 for *_, status in log if status == 304),
                    articles=report.articles,
                )
                totals[label].update(counts)
                row.append(counts)
                articles[portal.id] = report.articles if label == "first" else articles[portal.id]
            first, second = row
            print(
                f"{portal.id:22} {first['requests']:>6} req, {first['articles']:>3} articles "
                f"{second['requests']:>10} req ({second['not_modified']} × 304), {second['articles']:>3} articles"
            )
        first, second = totals["first"], totals["second"]
        print(
            f"{'total':22} {first['requests']:>6} req, {first['articles']:>3} articles "
            f"{second['requests']:>10} req ({second['not_modified']} × 304), {second['articles']:>3} articles"
        )


if __name__ == "__main__":
    sys.exit(main())
