"""A synthetic portal archive of any size, served on 127.0.0.1 with the sample portals' own templates.

    .venv/bin/python -m benchmarks.site --articles 20000          # serve in the foreground, print the URLs

The four sample portals (``etl.samples``: DNN, NukeViet, DetailView, SharePoint) keep their markup, URL
shapes, furniture, traps and broken pages; only their article lists grow.  Each synthetic article copies the
shape of one real sample article of the same site and category (URL pattern, images, dateline, meta tags,
date precision) and gets a fresh id, a date between 2015 and 2025 and a body recombined from the sample
articles' sentences (so document references and officials' names occur as on the real pages).  Listings show
20 items a page (real portals show 10-20; the samples' 3 would make the crawl mostly pagination).

Generation is deterministic for a given ``--articles``/``--seed``.  The server runs in its own process
(``serve_in_subprocess``) so the crawler, the pipeline and the server do not share a GIL or an RSS figure, and
counts every request by site, page kind and status (``GET /__bench__/stats`` on any site).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Self

from etl.samples.content import SampleArticle, load_articles, load_site_specs
from etl.samples.server import SampleServer, _Handler, _SiteHTTPServer
from etl.samples.sites import FAMILIES

LISTING_PAGE_SIZE = 20
FIRST_ID = 200_000
STATS_PATH = "/__bench__/stats"
_SENTENCE_RE = re.compile(r"(?<=[.;!?])\s+(?=[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ“])")
AUTHORS = ("Khánh Phúc", "Minh Thư", "Hoàng Anh", "Thanh Hà", "Quốc Tuấn", "Ngọc Lan", "Văn Dũng", None)
TITLE_TAILS = ("", " năm {year}", " giai đoạn {year}-{year2}", " quý {q} năm {year}", " tại huyện {n}", " lần thứ {n}")


def _sentences() -> list[str]:
    pool: list[str] = []
    for article in load_articles():
        for paragraph in article.paragraphs:
            pool.extend(s.strip() for s in _SENTENCE_RE.split(paragraph) if len(s.strip()) > 25)
    return pool


def synthetic_articles(total: int, seed: int = 7) -> list[SampleArticle]:
    """The sample articles plus ``total - 28`` synthetic ones, spread evenly over the four sites."""
    rng = random.Random(seed)
    originals = list(load_articles())
    sentences = _sentences()
    titles = [a.title for a in originals]
    by_site: dict[str, list[SampleArticle]] = {}
    for article in originals:
        by_site.setdefault(article.site, []).append(article)
    sites = list(by_site)
    out = list(originals)
    start = datetime(2015, 1, 1, 7, 0)
    span_minutes = int((datetime(2025, 5, 1) - start).total_seconds() // 60)
    for i in range(max(0, total - len(originals))):
        site = sites[i % len(sites)]
        template = rng.choice(by_site[site])
        new_id = str(FIRST_ID + i)
        assert template.path.count(template.id) == 1, template.path
        path = template.path.replace(template.id, new_id)
        published = start + timedelta(minutes=rng.randrange(span_minutes))
        if template.date_precision == "day":
            published = published.replace(hour=0, minute=0)
        elif template.date_precision is None and rng.random() < 0.5:
            published = None
        n_paragraphs = max(len(template.paragraphs), rng.randint(3, 10))
        if template.images:
            n_paragraphs = max(n_paragraphs, max(img.after_paragraph for img in template.images) + 1)
        paragraphs = tuple(
            " ".join(rng.sample(sentences, rng.randint(1, 4))) for _ in range(n_paragraphs)
        )
        year = (published or start).year
        tail = rng.choice(TITLE_TAILS).format(year=year, year2=year + 5, q=rng.randint(1, 4), n=rng.randint(2, 30))
        title = f"{rng.choice(titles)}{tail} ({new_id})"
        out.append(
            replace(
                template,
                id=new_id,
                path=path,
                title=title,
                published_at=published,
                author=rng.choice(AUTHORS) if template.author else None,
                paragraphs=paragraphs,
                views=rng.randint(50, 20_000),
                source="synthetic",
            )
        )
    return out


def build_bench_sites(total: int, seed: int, base_urls: dict[str, str]) -> dict[str, Any]:
    """Site objects of the four families (20 items per listing page) over ``total`` articles."""
    articles = synthetic_articles(total, seed)
    sites = {}
    for site_id, spec in load_site_specs().items():
        family = FAMILIES[spec["platform"]]
        bench_family = type(f"Bench{family.__name__}", (family,), {"page_size": LISTING_PAGE_SIZE})
        own = [a for a in articles if a.site == site_id]
        sites[site_id] = bench_family(site_id, spec, own, base_urls[site_id])
    return sites


def _kind(path: str, article_paths: frozenset[str]) -> str:
    return "article" if path in article_paths else "other"


class _BenchHandler(_Handler):
    def _answer(self, send_body: bool) -> None:
        if self.path == STATS_PATH:
            body = json.dumps(self.server.owner.stats()).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super()._answer(send_body)


class BenchServer(SampleServer):
    """Like ``etl.samples.SampleServer`` but over the synthetic articles; counts requests instead of logging them."""

    def __init__(self, total: int, seed: int = 7, host: str = "127.0.0.1") -> None:
        self.host = host
        self.request_log = []
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._servers = {site_id: _SiteHTTPServer((host, 0), _BenchHandler) for site_id in load_site_specs()}
        self._threads = []
        self.site_objects = build_bench_sites(
            total, seed, {site_id: self._base_url(server) for site_id, server in self._servers.items()}
        )
        self._article_paths = {
            site_id: frozenset(a.path for a in site.articles) for site_id, site in self.site_objects.items()
        }
        for site_id, server in self._servers.items():
            server.site = self.site_objects[site_id]
            server.owner = self
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
            thread.start()
            self._threads.append(thread)

    def _record(self, site_id: str, method: str, path: str, status: int) -> None:
        kind = _kind(path, self._article_paths[site_id])
        with self._lock:
            self._counts[f"{site_id}|{kind}|{status}"] += 1

    def stats(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def article_count(self) -> int:
        return sum(len(site.articles) for site in self.site_objects.values())


class ServedSite:
    """The synthetic site in a child process; ``sites``, ``registry_toml``, ``stats()``, ``close()``."""

    def __init__(self, total: int, seed: int = 7) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.site", "--articles", str(total), "--seed", str(seed), "--json"],
            stdout=subprocess.PIPE,
            stdin=subprocess.PIPE,
            cwd=Path(__file__).resolve().parent.parent,
            text=True,
        )
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the benchmark site did not start")
        info = json.loads(line)
        self.sites: dict[str, str] = info["sites"]
        self.registry_toml: str = info["registry_toml"]
        self.articles: int = info["articles"]
        self.startup_seconds: float = info["startup_seconds"]

    def stats(self) -> Counter[str]:
        from urllib.request import urlopen

        url = next(iter(self.sites.values())).rstrip("/") + STATS_PATH
        with urlopen(url, timeout=30) as response:
            return Counter(json.loads(response.read()))

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def summarise(counts: Counter[str]) -> dict[str, int]:
    """Requests by kind: total, article pages, 304 answers."""
    out = Counter()
    for key, n in counts.items():
        _site, kind, status = key.split("|")
        out["requests"] += n
        out[f"{kind}_requests"] += n
        if status == "304":
            out["not_modified"] += n
            out[f"{kind}_not_modified"] += n
    return dict(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.site", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print one JSON line and serve until stdin closes")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    server = BenchServer(args.articles, args.seed)
    info = {
        "sites": server.sites,
        "registry_toml": server.registry_toml(),
        "articles": server.article_count(),
        "startup_seconds": time.perf_counter() - started,
    }
    try:
        if args.json:
            print(json.dumps(info, ensure_ascii=False), flush=True)
            sys.stdin.read()  # until the parent closes our stdin (or dies)
        else:
            for site_id, url in server.sites.items():
                print(f"{site_id:<18} {url}  ({len(server.site_objects[site_id].articles)} articles)")
            print("Ctrl-C to stop.", flush=True)
            threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
