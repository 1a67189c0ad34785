"""Focused extraction benchmark: our per-page stage vs bare trafilatura, on the same pages, in one process.

    .venv/bin/python benchmarks/extract_speed.py                    # ratio (median of 5 runs) + cProfile top-25
    .venv/bin/python benchmarks/extract_speed.py --runs 3 --articles 120 --no-profile
    .venv/bin/python benchmarks/extract_speed.py --dump out.jsonl    # every page's rows (to diff two versions)

Pages: the golden fixtures (``tests/golden/*/*.html``, with their portals) plus pages rendered directly from
the synthetic sample portals (``benchmarks.site.build_bench_sites``: articles, listings, home and simple pages;
no HTTP server).  "Ours" is ``etl.transform.transform_page`` (parse_page + rows + facts + JSON lines), as the
pipeline runs it; "bare" is ``trafilatura.extract(html, include_comments=False, deduplicate=False)`` on the
decoded page.  Both run interleaved, ``--runs`` times, timed in process CPU time (robust against other load on
the machine); the ratio is of the medians.  Our memoised string functions are cleared before each repetition.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(ROOT / "tests" / "golden") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests" / "golden"))

import trafilatura

from etl.portals.registry import Portal
from etl.records import RawPage
from etl.transform import transform_page

FETCHED = datetime(2025, 1, 15, 3, 0, tzinfo=UTC)


def golden_pages() -> list[tuple[RawPage, Portal | None]]:
    from golden import load_fixtures  # tests/golden/golden.py

    return [(f.raw_page(), f.portal()) for f in load_fixtures()]


def sample_pages(articles: int, seed: int = 7) -> list[tuple[RawPage, Portal | None]]:
    from benchmarks.site import build_bench_sites
    from etl.samples.content import load_site_specs

    base = {site_id: f"http://127.0.0.1:{8100 + i}" for i, site_id in enumerate(load_site_specs())}
    sites = build_bench_sites(articles, seed, base)
    pages: list[tuple[RawPage, Portal | None]] = []
    for site_id, site in sites.items():
        hints = site.registry_hints()
        portal = Portal(
            id=site_id, name=site.name, province=site.province, url=site.base_url + "/", level="sample",
            platform=site.platform, verified=True, listing_urls=tuple(hints.get("listing_urls", ())),
            feeds=tuple(hints.get("feeds", ())), sitemaps=tuple(hints.get("sitemaps", ())),
            article_url_pattern=hints.get("article_url_pattern"), selectors=dict(hints.get("selectors", {})),
        )
        targets = ["/", site.contact_path, site.gallery_path]
        for category in site.categories:
            targets.extend(site.listing_path(category, p) for p in range(1, min(2, site.page_count(category)) + 1))
        targets.extend(a.path for a in site.articles)
        for target in targets:
            response = site.handle(target)
            if not response.body or not (response.content_type or "").startswith("text/html"):
                continue
            raw = RawPage(url=site.url(target), portal=site_id, fetched_at=FETCHED, status=response.status,
                          content_type=response.content_type, body=response.body)
            pages.append((raw, portal))
    return pages


def clear_caches() -> None:
    """Forget what our memoised string functions learnt from earlier repetitions over the same pages (a real
    batch sees each page once; compiled CSS selectors stay, as in a long-running worker)."""
    from etl.normalise import text, urls

    for module in (text, urls):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def ours(pages: list[tuple[RawPage, Portal | None]]) -> list[Any]:
    return [transform_page(raw, portal, "bench", i) for i, (raw, portal) in enumerate(pages, 1)]


def bare(pages: list[tuple[RawPage, Portal | None]]) -> int:
    for raw, _portal in pages:
        trafilatura.extract(raw.body.decode("utf-8", errors="replace"), include_comments=False, deduplicate=False)
    return len(pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200, help="synthetic sample-portal articles (200)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--no-golden", action="store_true")
    parser.add_argument("--dump", type=Path, help="write every page's rows as JSON lines (for diffing versions)")
    args = parser.parse_args(argv)

    pages = ([] if args.no_golden else golden_pages()) + sample_pages(args.articles)
    n = len(pages)
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as handle:
            for (raw, _), rows in zip(pages, ours(pages), strict=True):
                handle.write(json.dumps({"url": raw.url, "kind": rows.kind, "tables": rows.tables},
                                        ensure_ascii=False, sort_keys=True) + "\n")
        print(f"wrote {n} pages' rows to {args.dump}")
        return 0

    ours(pages[:20])  # warm imports and caches of both sides
    bare(pages[:20])
    times: dict[str, list[float]] = {"ours": [], "bare": []}
    for _ in range(args.runs):
        for key, fn in (("bare", bare), ("ours", ours)):
            clear_caches()
            started = time.process_time()  # CPU time: other processes on the machine do not count
            fn(pages)
            times[key].append(time.process_time() - started)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"pages: {n} (runs: {args.runs})")
    for key in ("bare", "ours"):
        print(f"  {key:5s} {1000 * med[key] / n:7.2f} ms/page   runs: {[round(x, 2) for x in times[key]]}")
    print(f"  ratio ours / bare (median): {med['ours'] / med['bare']:.3f}")

    if not args.no_profile:
        clear_caches()
        profiler = cProfile.Profile()
        profiler.enable()
        ours(pages)
        profiler.disable()
        buffer = io.StringIO()
        stats = pstats.Stats(profiler, stream=buffer)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)
        text = buffer.getvalue()
        print(text[text.find("   ncalls"):] if "   ncalls" in text else text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
