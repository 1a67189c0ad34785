"""portal-etl performance benchmark: one entry point, everything measured in the same run.

    .venv/bin/python benchmarks/run.py                 # full: 20,000 articles (make bench)
    .venv/bin/python benchmarks/run.py --quick         # 400 articles, < 3 minutes (make bench-quick)
    .venv/bin/python benchmarks/run.py --articles 5000 --name mid --readme

Serves a synthetic archive of the four sample CMS families (``benchmarks/site.py``) on 127.0.0.1 in its own
process, then runs the real pipeline steps (``etl.pipeline``: crawl subprocesses, ``transform_batch``,
``load_ready_batches``) and measures

1. extraction + normalisation throughput of our stage (``etl.transform.transform_chunk``: parse_page, rows,
   facts, JSON rows) vs bare ``trafilatura.extract`` on the same raw pages, 1 process and the pool;
2. full-crawl throughput (pages/s) and crawler CPU per page (``getrusage(RUSAGE_CHILDREN)``);
3. load rate into DuckDB (merge only, then snapshot publication apart) and archive size per 1,000 articles;
4. an incremental re-crawl of the unchanged site: requests (from the server's own counts) and wall time;
5. peak memory of crawl + extract + load: summed RSS (and summed PSS) of this process, the crawler processes
   and the extraction workers, polled from /proc (no psutil), plus ``ru_maxrss``;
6. latency of three analyst queries on the published snapshot;
7. the same crawl + load through ``portal-etl crawl`` itself (Prefect flow and its temporary server, portals
   crawled, extracted and merged as each is ready): wall time and peak memory of its process tree.

Figures are medians over ``--runs`` repetitions where a step is repeated (extraction, load, queries); the full
crawl runs once per benchmark run (its wall time is minutes).  Comparisons are ratios within the same run.
Results: ``benchmarks/results/<name>.json`` (+ ``<name>-profile.txt``); ``--readme`` rewrites the README's
"Performance" section from every results file.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python benchmarks/run.py` as well as `python -m benchmarks.run`
    sys.path.insert(0, str(ROOT))

import duckdb
import trafilatura

from benchmarks.site import ServedSite, summarise
from etl import pipeline
from etl.config import Settings
from etl.crawl import count_lines, crawler_command
from etl.normalise.text import normalise_tone_marks
from etl.parallel import cpu_count, ordered_map, pool_in_use
from etl.records import RawPage
from etl.store import loader
from etl.store.loader import load_ready_batches, open_archive
from etl.store.snapshot import publish_snapshot, snapshot_path
from etl.store.staging import list_batches
from etl.transform import transform_chunk

RESULTS = ROOT / "benchmarks" / "results"
FAST_CRAWL = {  # a local server: no politeness delays; everything else as in production
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "RETRY_TIMES": "1",
    "LOG_LEVEL": "WARNING",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
}
PHRASE = "Chỉ thị số 35-CT/TW"
DOC_CODE = "35-CT/TW"
TARGET_QUERIES = ("coverage_per_month", "phrase_search", "doc_ref_lookup", "search_command")
QUERIES = {
    "coverage_per_month": (
        ("SELECT portal, date_trunc('month', published_at) AS month, count(*) AS articles FROM articles "
        "WHERE published_at IS NOT NULL GROUP BY ALL ORDER BY ALL"),
        [],
    ),
    # A phrase as analysts are advised to search it (README, "Example queries"): LIKE on text_norm (tone marks
    # unified).  The ILIKE form is timed too, as a baseline only: DuckDB folds the case of every row's whole
    # Vietnamese text for it, about 30 times slower; it is not one of the targets' queries.
    "phrase_search": (
        ("SELECT article_id, published_at, title FROM articles WHERE text_norm LIKE ? "
        "ORDER BY published_at DESC LIMIT 50"),
        ["%" + normalise_tone_marks(PHRASE) + "%"],
    ),
    "phrase_search_ilike": (
        ("SELECT article_id, published_at, title FROM articles WHERE text_norm ILIKE ? "
        "ORDER BY published_at DESC LIMIT 50"),
        ["%" + normalise_tone_marks(PHRASE) + "%"],
    ),
    "doc_ref_lookup": (
        ("SELECT a.published_at, a.portal, a.title, r.span FROM doc_refs r JOIN articles a USING (article_id) "
        "WHERE r.code = ? ORDER BY a.published_at"),
        [DOC_CODE],
    ),
}


# ---------------------------------------------------------------------------------------------- memory
def _proc_table() -> dict[int, tuple[int, int]]:
    """pid -> (ppid, rss bytes) for every process we can read."""
    table = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
            fields = stat[stat.rindex(b")") + 2 :].split()
            table[int(entry.name)] = (int(fields[1]), int(fields[21]) * page)  # ppid, rss (pages)
        except (OSError, ValueError, IndexError):
            continue
    return table


def _pss(pid: int) -> int:
    """Proportional set size (bytes): pages shared with other processes (a forkserver's workers share most of
    their interpreter and libraries) counted once across them, unlike RSS."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


class RssPoller:
    """Polls the memory of this process and its descendants (minus the site server) every ``interval`` s: peak
    summed RSS (``total``, ``main``, ``children``) and peak summed PSS (``pss_total``)."""

    def __init__(self, exclude: set[int], interval: float = 0.2, root: int | None = None) -> None:
        self.exclude = exclude
        self.interval = interval
        self.root = root
        self.peak = {"total": 0, "main": 0, "children": 0, "pss_total": 0}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = self.root or os.getpid()
        while not self._stop.is_set():
            table = _proc_table()
            children: dict[int, list[int]] = {}
            for pid, (ppid, _) in table.items():
                children.setdefault(ppid, []).append(pid)
            main = table.get(me, (0, 0))[1]
            pss = _pss(me)
            stack = [p for p in children.get(me, []) if p not in self.exclude]
            kids = 0
            while stack:
                pid = stack.pop()
                kids += table.get(pid, (0, 0))[1]
                pss += _pss(pid)
                stack.extend(p for p in children.get(pid, []) if p not in self.exclude)
            self.peak["main"] = max(self.peak["main"], main)
            self.peak["children"] = max(self.peak["children"], kids)
            self.peak["total"] = max(self.peak["total"], main + kids)
            self.peak["pss_total"] = max(self.peak["pss_total"], pss)
            self._stop.wait(self.interval)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def mib(self) -> dict[str, float]:
        return {k: round(v / 2**20, 1) for k, v in self.peak.items()}


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# ---------------------------------------------------------------------------------------------- helpers
def machine() -> dict[str, Any]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem = next(int(x.split()[1]) for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal"))
    except (OSError, StopIteration):
        mem = 0
    from importlib.metadata import version

    return {
        "cpu": model,
        "cores": cpu_count(),
        "memory_gib": round(mem / 2**20, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": {p: version(p) for p in ("duckdb", "trafilatura", "scrapy", "lxml")},
        "load_average_at_start": list(os.getloadavg()),
    }


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def crawl_all(portals: list[str], settings: Settings, site: ServedSite) -> dict[str, Any]:
    """Crawl every portal (``settings.portal_concurrency`` at once, as ``portal-etl crawl``)."""
    before_requests = site.stats()
    cpu0 = _child_cpu()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=settings.portal_concurrency) as pool:
        batches = list(pool.map(lambda p: pipeline.crawl_step(p, settings), portals))
    wall = time.perf_counter() - started
    cpu = _child_cpu() - cpu0
    requests = summarise(site.stats() - before_requests)
    pages = sum(count_lines(b.raw_path) for b in batches)
    return {"batches": batches, "wall_s": wall, "cpu_s": cpu, "pages": pages, "requests": requests}


def extract_all(batches: list, settings: Settings) -> dict[str, Any]:
    registry = pipeline.registry_for(settings)
    started = time.perf_counter()
    summaries = [pipeline.extract_step(b, settings, registry) for b in batches]
    wall = time.perf_counter() - started
    return {
        "wall_s": wall,
        "pages": sum(s.pages for s in summaries),
        "articles": sum(s.articles for s in summaries),
        "errors": sum(s.errors for s in summaries),
        "kinds": {k: sum(s.kinds.get(k, 0) for s in summaries) for s in summaries for k in s.kinds},
    }


class _Timed:
    """Wraps loader steps to time them (facts, dedupe) during a merge."""

    NAMES = ("mark_changed_articles", "merge_facts", "update_duplicates", "merge_pages")

    def __init__(self) -> None:
        self.seconds = dict.fromkeys(self.NAMES, 0.0)
        self._saved: dict[str, Any] = {}

    def __enter__(self) -> Self:
        for name in self.NAMES:
            original = getattr(loader, name, None)
            if original is None:
                continue
            self._saved[name] = original

            def timed(*args: Any, _name: str = name, _fn: Any = original, **kwargs: Any) -> Any:
                t = time.perf_counter()
                try:
                    return _fn(*args, **kwargs)
                finally:
                    self.seconds[_name] += time.perf_counter() - t

            setattr(loader, name, timed)
        return self

    def __exit__(self, *exc: object) -> None:
        for name, original in self._saved.items():
            setattr(loader, name, original)


def load_into(db: Path, staging: Path, keep: bool) -> dict[str, Any]:
    """Merge every READY batch of ``staging`` (timed apart from the snapshot publication)."""
    with _Timed() as steps:
        started = time.perf_counter()
        results = load_ready_batches(db, staging, keep_batches=keep, publish=False)
        merge = time.perf_counter() - started
    con = open_archive(db)
    try:
        started = time.perf_counter()
        publish_snapshot(con, db)
        publish = time.perf_counter() - started
        articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        pages = con.execute("SELECT count(*) FROM pages").fetchone()[0]
    finally:
        con.close()
    return {
        "merge_s": merge,
        "publish_s": publish,
        "steps_s": {k: round(v, 3) for k, v in steps.seconds.items()},
        "articles_found": sum(r.articles_found for r in results),
        "articles_new": sum(r.articles_new for r in results),
        "articles_updated": sum(r.articles_updated for r in results),
        "archive_articles": articles,
        "archive_pages": pages,
        "db_bytes": db.stat().st_size,
        "snapshot_bytes": snapshot_path(db).stat().st_size,
    }


def cli_crawl(site: ServedSite, work: Path, articles: int) -> dict[str, Any]:
    """``portal-etl crawl`` itself on a fresh archive: the Prefect flow with its temporary server, four portals at
    once, each crawled, extracted and loaded as soon as it is ready (so crawls, extraction and merges overlap),
    then the snapshot published.  Wall time and peak memory of its whole process tree."""
    folder = work / "cli"
    folder.mkdir()
    portals_file = work / "portals.toml"
    args = [str(Path(sys.executable).with_name("portal-etl")), "crawl", "--portals-file", str(portals_file),
            "--db", str(folder / "archive.duckdb")]
    for name, value in {**FAST_CRAWL, "PORTAL_MAX_PAGES": str(articles * 2 + 5000)}.items():
        args += ["-s", f"{name}={value}"]
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with RssPoller(exclude={site.proc.pid}, root=proc.pid) as rss:
        output = proc.communicate()[0]
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"portal-etl crawl failed ({proc.returncode}):\n{output[-3000:]}")
    con = duckdb.connect(str(snapshot_path(folder / "archive.duckdb")), read_only=True)
    try:
        loaded = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        con.close()
    shutil.rmtree(folder, ignore_errors=True)
    peak = rss.mib()
    return {"wall_s": round(wall, 2), "articles": loaded,
            "peak_rss_mib": {"total": peak["total"]}, "peak_pss_mib": {"total": peak["pss_total"]}}


def load_rate(kept: Path, work: Path, runs: int) -> dict[str, Any]:
    """Merge copies of the first crawl's READY batches into fresh archives ``runs`` times."""
    rounds = []
    for i in range(runs):
        staging = work / f"load-{i}" / "staging"
        shutil.copytree(kept, staging)
        rounds.append(load_into(work / f"load-{i}" / "archive.duckdb", staging, keep=False))
        shutil.rmtree(work / f"load-{i}", ignore_errors=True)
    articles = rounds[0]["articles_found"]
    merge = median([r["merge_s"] for r in rounds])
    return {
        "runs": runs,
        "articles": articles,
        "merge_s": round(merge, 3),
        "articles_per_s": round(articles / merge, 1) if merge else None,
        "publish_snapshot_s": round(median([r["publish_s"] for r in rounds]), 3),
        "steps_s": {k: round(median([r["steps_s"][k] for r in rounds]), 3) for k in rounds[0]["steps_s"]},
        "articles_per_s_without_dedupe": round(
            articles / max(1e-9, median([r["merge_s"] - r["steps_s"]["update_duplicates"] for r in rounds])), 1
        ),
        "merge_s_all": [round(r["merge_s"], 3) for r in rounds],
    }


# ---------------------------------------------------------------------------------------------- extraction
def bare_chunk(chunk: tuple[Any, str, list[tuple[int, str]]]) -> int:
    """The baseline: decode the raw page and run ``trafilatura.extract`` with its defaults."""
    _registry, _batch, lines = chunk
    done = 0
    for _number, line in lines:
        raw = RawPage.from_json(line)
        trafilatura.extract(raw.body.decode("utf-8", errors="replace"))
        done += 1
    return done


def ours_chunk(chunk: tuple[Any, str, list[tuple[int, str]]]) -> int:
    return len(transform_chunk(chunk))


def sample_lines(batches_dir: Path, limit: int) -> list[tuple[int, str]]:
    lines: list[tuple[int, str]] = []
    for batch in list_batches(batches_dir):
        with batch.raw_path.open(encoding="utf-8") as handle:
            lines.extend((n, line) for n, line in enumerate(handle, 1) if line.strip())
    if len(lines) > limit:
        step = len(lines) / limit
        lines = [lines[int(i * step)] for i in range(limit)]
    return lines


def extraction_bench(kept: Path, registry: Any, limit: int, runs: int, workers: int) -> dict[str, Any]:
    import benchmarks.run as module  # workers resolve functions by module name, never ``__main__``

    bare_chunk, ours_chunk = module.bare_chunk, module.ours_chunk
    lines = sample_lines(kept, limit)
    chunks = [(registry, "bench", lines[i : i + 16]) for i in range(0, len(lines), 16)]
    n = len(lines)
    timings: dict[str, list[float]] = {"ours_1": [], "bare_1": [], "ours_n": [], "bare_n": []}
    with pool_in_use(workers):  # one warm pool for every timed run (steady state, not worker start-up)
        list(ordered_map(ours_chunk, chunks[:workers], workers))  # warm the pool (imports, caches)
        list(ordered_map(bare_chunk, chunks[:workers], workers))
        for _ in range(runs):  # interleaved, so both see the same machine state
            for key, fn, w in (("bare_1", bare_chunk, 1), ("ours_1", ours_chunk, 1),
                               ("bare_n", bare_chunk, workers), ("ours_n", ours_chunk, workers)):
                started = time.perf_counter()
                done = sum(ordered_map(fn, chunks, w))
                timings[key].append(time.perf_counter() - started)
                assert done <= n
    med = {k: median(v) for k, v in timings.items()}
    rate = {k: n / v for k, v in med.items()}
    return {
        "pages": n,
        "runs": runs,
        "workers": workers,
        "ours_pages_per_s_1_core": round(rate["ours_1"], 1),
        "bare_pages_per_s_1_core": round(rate["bare_1"], 1),
        "ours_pages_per_s_all_cores": round(rate["ours_n"], 1),
        "bare_pages_per_s_all_cores": round(rate["bare_n"], 1),
        "ours_ms_per_page_1_core": round(1000 * med["ours_1"] / n, 2),
        "bare_ms_per_page_1_core": round(1000 * med["bare_1"] / n, 2),
        "cost_ratio_ours_vs_bare": round(med["ours_1"] / med["bare_1"], 3),
        "parallel_speedup_ours": round(med["ours_1"] / med["ours_n"], 3),
        "parallel_speedup_bare": round(med["bare_1"] / med["bare_n"], 3),
        "seconds_all": {k: [round(x, 3) for x in v] for k, v in timings.items()},
    }


# ---------------------------------------------------------------------------------------------- queries
def query_bench(db: Path, runs: int) -> dict[str, Any]:
    from etl.analysis.search import search_connection

    out: dict[str, Any] = {}
    con = duckdb.connect(str(snapshot_path(db)), read_only=True)
    try:
        for name, (sql, params) in QUERIES.items():
            times, rows = [], 0
            for _ in range(runs + 1):
                started = time.perf_counter()
                rows = len(con.execute(sql, params).fetchall())
                times.append(time.perf_counter() - started)
            out[name] = {"median_ms": round(1000 * median(times[1:]), 1), "first_ms": round(1000 * times[0], 1), "rows": rows}
        times = []
        method = None
        for _ in range(runs + 1):
            started = time.perf_counter()
            result = search_connection(con, PHRASE, limit=20)
            times.append(time.perf_counter() - started)
            method = result.method
        out["search_command"] = {"median_ms": round(1000 * median(times[1:]), 1), "first_ms": round(1000 * times[0], 1),
                                 "rows": len(result.hits), "method": method}
    finally:
        con.close()
    return out


# ---------------------------------------------------------------------------------------------- profile
def _top(stats: pstats.Stats, n: int, key: str) -> str:
    buffer = io.StringIO()
    stats.stream = buffer
    stats.sort_stats(key).print_stats(n)
    text = buffer.getvalue()
    return text[text.find("   ncalls") :] if "   ncalls" in text else text


def _by_area(stats: pstats.Stats) -> dict[str, float]:
    """Self time by area: trafilatura, lxml/cssselect, our extract + normalise, facts, json, scrapy/twisted..."""
    areas: dict[str, float] = {}
    total = 0.0
    for (filename, _line, _fn), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        total += tottime
        f = filename.replace("\\", "/")
        if "/trafilatura/" in f or "/justext/" in f or "/courlan/" in f or "/htmldate/" in f:
            area = "trafilatura (+htmldate, justext)"
        elif "/lxml/" in f or "/cssselect/" in f or f.startswith("<method") and "lxml" in f:
            area = "lxml / cssselect"
        elif "/etl/extract/" in f or "/etl/normalise/" in f:
            area = "etl.extract + etl.normalise (ours)"
        elif "/etl/facts/" in f:
            area = "etl.facts (ours)"
        elif "/etl/" in f:
            area = "other etl (transform, rows)"
        elif "/scrapy/" in f or "/twisted/" in f or "/portal_crawlers/" in f or "/protego" in f or "/w3lib/" in f or "/parsel/" in f:
            area = "scrapy / twisted / spider"
        elif "json" in f:
            area = "json"
        else:
            area = "builtins / other (regex, unicodedata, str)"
        areas[area] = areas.get(area, 0.0) + tottime
    return {k: round(100 * v / total, 1) for k, v in sorted(areas.items(), key=lambda kv: -kv[1])} if total else {}


def profile_extraction(kept: Path, registry: Any, limit: int) -> tuple[dict[str, Any], str]:
    lines = sample_lines(kept, limit)
    chunks = [(registry, "bench", lines[i : i + 16]) for i in range(0, len(lines), 16)]
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for chunk in chunks:
        transform_chunk(chunk)
    profiler.disable()
    wall = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    summary = {"pages": len(lines), "cpu_ms_per_page": round(1000 * wall / max(1, len(lines)), 2),
               "self_time_percent_by_area": _by_area(stats)}
    text = f"== extraction stage (transform_chunk, in process), {len(lines)} pages ==\n" + _top(stats, 25, "tottime")
    return summary, text


def profile_crawler(portal: str, settings: Settings, work: Path, max_articles: int) -> tuple[dict[str, Any], str]:
    """One portal's crawl under cProfile (the crawler is its own process: ``python -m cProfile -m scrapy``)."""
    from etl.store.staging import new_batch

    batch = new_batch(work / "profile-staging", portal)
    prof = work / "crawler.prof"
    cmd = crawler_command(portal, batch, settings.portals_file, max_articles, {**FAST_CRAWL, "PORTAL_MAX_PAGES": "100000"})
    cmd = [cmd[0], "-m", "cProfile", "-o", str(prof), *cmd[1:]]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "portal_crawlers.settings",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "crawlers"), os.environ.get("PYTHONPATH")]))}
    cpu0 = _child_cpu()
    started = time.perf_counter()
    subprocess.run(cmd, cwd=batch.path, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    cpu = _child_cpu() - cpu0
    pages = count_lines(batch.raw_path)
    if not prof.exists():
        return {"error": "no profile written"}, ""
    stats = pstats.Stats(str(prof))
    summary = {"portal": portal, "pages": pages, "wall_s": round(wall, 2),
               "cpu_ms_per_page": round(1000 * cpu / max(1, pages), 2),
               "self_time_percent_by_area": _by_area(stats)}
    text = f"== crawler process (scrapy, {portal}, {pages} pages, cProfile) ==\n" + _top(stats, 25, "tottime")
    return summary, text


# ---------------------------------------------------------------------------------------------- main
def run(args: argparse.Namespace) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="portal-etl-bench-"))
    results: dict[str, Any] = {"name": args.name, "articles_requested": args.articles, "runs": args.runs,
                               "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
                               "machine": machine()}
    t_all = time.perf_counter()
    try:
        with ServedSite(args.articles, args.seed) as site:
            portals_file = work / "portals.toml"
            portals_file.write_text(site.registry_toml, encoding="utf-8")
            settings = Settings(
                db_path=work / "archive.duckdb",
                portals_file=portals_file,
                scrapy_settings={**FAST_CRAWL, "PORTAL_MAX_PAGES": str(args.articles * 2 + 5000)},
                keep_batches=True,
                crawl_timeout=4 * 3600.0,
                portal_concurrency=args.portal_concurrency,
                extract_workers=args.workers,
            )
            portals = sorted(site.sites)
            results["site"] = {"articles": site.articles, "portals": len(portals), "server_start_s": round(site.startup_seconds, 2)}
            registry = pipeline.registry_for(settings)

            # ---- first full crawl, extraction, load: the pipeline's own steps, timed one after the other
            with RssPoller(exclude={site.proc.pid}) as rss:
                crawl = crawl_all(portals, settings, site)
                extract = extract_all(crawl["batches"], settings)
                kept = work / "kept"
                kept.mkdir()
                for batch in crawl["batches"]:
                    shutil.copytree(batch.path, kept / batch.id)
                first_load = load_into(settings.db_path, settings.staging, keep=False)
            usage_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            usage_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            articles = first_load["archive_articles"]
            e2e = crawl["wall_s"] + extract["wall_s"] + first_load["merge_s"] + first_load["publish_s"]
            results["crawl"] = {
                "pages": crawl["pages"],
                "wall_s": round(crawl["wall_s"], 2),
                "pages_per_s": round(crawl["pages"] / crawl["wall_s"], 1),
                "crawler_cpu_ms_per_page": round(1000 * crawl["cpu_s"] / max(1, crawl["pages"]), 2),
                "requests": crawl["requests"],
                "portal_concurrency": settings.portal_concurrency,
            }
            results["extract_stage"] = {
                "pages": extract["pages"],
                "articles": extract["articles"],
                "errors": extract["errors"],
                "wall_s": round(extract["wall_s"], 2),
                "pages_per_s": round(extract["pages"] / extract["wall_s"], 1),
                "kinds": extract["kinds"],
            }
            results["first_load"] = {k: (round(v, 3) if isinstance(v, float) else v) for k, v in first_load.items()}
            results["archive"] = {
                "articles": articles,
                "pages": first_load["archive_pages"],
                "db_mib": round(first_load["db_bytes"] / 2**20, 1),
                "db_mib_per_1000_articles": round(first_load["db_bytes"] / 2**20 / max(1, articles) * 1000, 2),
                "snapshot_mib_per_1000_articles": round(first_load["snapshot_bytes"] / 2**20 / max(1, articles) * 1000, 2),
            }
            results["crawl_extract_load"] = {
                "wall_s": round(e2e, 2),
                "peak_rss_mib": rss.mib(),
                "ru_maxrss_main_mib": round(usage_self, 1),
                "ru_maxrss_largest_child_mib": round(usage_children, 1),
            }

            # ---- incremental re-crawl of the unchanged site
            with RssPoller(exclude={site.proc.pid}) as rss2:
                again = crawl_all(portals, settings, site)
                again_extract = extract_all(again["batches"], settings)
                again_load = load_into(settings.db_path, settings.staging, keep=False)
            results["incremental"] = {
                "requests": again["requests"],
                "article_requests": again["requests"].get("article_requests", 0),
                "first_crawl_requests": crawl["requests"].get("requests", 0),
                "wall_s": round(again["wall_s"], 2),
                "wall_ratio_vs_first_crawl": round(again["wall_s"] / crawl["wall_s"], 4),
                "end_to_end_s": round(again["wall_s"] + again_extract["wall_s"] + again_load["merge_s"] + again_load["publish_s"], 2),
                "end_to_end_ratio": round((again["wall_s"] + again_extract["wall_s"] + again_load["merge_s"]
                                           + again_load["publish_s"]) / e2e, 4),
                "articles_new": again_load["articles_new"],
                "articles_updated": again_load["articles_updated"],
                "peak_rss_mib": rss2.mib(),
            }

            # ---- load rate (fresh archives from copies of the first crawl's READY batches)
            results["load"] = load_rate(kept, work, args.runs)
            results["load"]["db_mib_per_1000_articles"] = results["archive"]["db_mib_per_1000_articles"]

            # ---- the same crawl + load through `portal-etl crawl` (Prefect flow, portals pipelined at once)
            results["cli_crawl"] = cli_crawl(site, work, args.articles)

            # ---- queries on the published snapshot
            results["queries"] = query_bench(settings.db_path, max(3, args.runs))

            # ---- extraction: our stage vs bare trafilatura, same pages, 1 process and the pool
            results["extraction"] = extraction_bench(kept, registry, args.sample, args.runs, cpu_count())

            # ---- profiles
            if args.profile:
                summary, text = profile_extraction(kept, registry, min(args.sample, 200))
                crawler_summary, crawler_text = profile_crawler(
                    portals[0], settings, work, max(40, min(500, args.articles // 10))
                )
                results["profile"] = {"extraction": summary, "crawler": crawler_summary}
                RESULTS.mkdir(parents=True, exist_ok=True)
                (RESULTS / f"{args.name}-profile.txt").write_text(text + "\n\n" + crawler_text, encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["machine"]["load_average_at_end"] = list(os.getloadavg())
    results["total_s"] = round(time.perf_counter() - t_all, 1)
    results["targets"] = targets(results)
    return results


def targets(r: dict[str, Any]) -> dict[str, Any]:
    ext, inc = r["extraction"], r["incremental"]
    return {
        "extraction_cost_le_1.25x_trafilatura": ext["cost_ratio_ours_vs_bare"] <= 1.25,
        "extraction_parallel_speedup_ge_1.7x": ext["parallel_speedup_ours"] >= 1.7,
        "peak_rss_lt_1GiB": r["crawl_extract_load"]["peak_rss_mib"]["total"] < 1024,
        "cli_crawl_peak_rss_lt_1GiB": r["cli_crawl"]["peak_rss_mib"]["total"] < 1024,
        "load_ge_20000_articles_per_s": (r["load"]["articles_per_s"] or 0) >= 20_000,
        "incremental_zero_article_requests": inc["article_requests"] == 0,
        "incremental_lt_5pct_of_first_crawl": inc["wall_ratio_vs_first_crawl"] < 0.05,
        "queries_lt_200ms": all(q["median_ms"] < 200 for name, q in r["queries"].items() if name in TARGET_QUERIES),
    }


# ---------------------------------------------------------------------------------------------- README
README_START = "## Performance"


def readme_section() -> str:
    files = sorted(p for p in RESULTS.glob("*.json") if not p.name.startswith("extraction_quality"))
    runs = []
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if "extraction" in data and "crawl" in data:
            runs.append(data)
    runs.sort(key=lambda d: d["site"]["articles"])
    if not runs:
        return ""
    m = runs[-1]["machine"]

    def row(label: str, fn: Any) -> str:
        cells = []
        for d in runs:
            try:
                cells.append(str(fn(d)))
            except (KeyError, TypeError, ZeroDivisionError):
                cells.append("-")
        return f"| {label} | " + " | ".join(cells) + " |"

    header = "| measure | " + " | ".join(f"`{d['name']}` ({d['site']['articles']:,} articles)" for d in runs) + " |"
    lines = [
        README_START,
        "",
        "`make bench` (20,000 articles) and `make bench-quick` (400) run `benchmarks/run.py`: a synthetic archive",
        "in the four sample CMS styles (`benchmarks/site.py`, bodies recombined from the sample articles) served",
        "on 127.0.0.1 by its own process, crawled, extracted and loaded by the pipeline's own steps",
        "(`etl.pipeline.crawl_step`/`extract_step`, `load_ready_batches`), then re-crawled incrementally; the",
        "same site is then crawled and loaded once more by `portal-etl crawl` itself (Prefect flow, portals",
        "pipelined), for its wall time and the peak memory of its processes.",
        "Figures are medians of several runs where a step is repeated; ratios are taken within one run. Raw",
        "numbers: `benchmarks/results/<name>.json`; profiles: `benchmarks/results/<name>-profile.txt`.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['os']}, Python {m['python']}, "
        + ", ".join(f"{k} {v}" for k, v in m["versions"].items())
        + ". Load average during the runs ("
        + ", ".join(f"{d['name']}: {d['machine']['load_average_at_start'][0]:.1f} → {d['machine']['load_average_at_end'][0]:.1f}" for d in runs)
        + "; above ~2 the machine was shared and absolute rates are pessimistic); ratios are taken within one run.",
        "",
        header,
        "|---|" + "---|" * len(runs),
        row("extraction, our stage, 1 core (pages/s)", lambda d: d["extraction"]["ours_pages_per_s_1_core"]),
        row("extraction, bare `trafilatura.extract`, 1 core (pages/s)", lambda d: d["extraction"]["bare_pages_per_s_1_core"]),
        row("→ our cost per page vs bare trafilatura (target ≤ 1.25×)", lambda d: f"{d['extraction']['cost_ratio_ours_vs_bare']:.2f}×"),
        row("extraction, our stage, all cores (pages/s)", lambda d: d["extraction"]["ours_pages_per_s_all_cores"]),
        row("→ speed-up over 1 core (target ≥ 1.7×; bare trafilatura in brackets)",
            lambda d: f"{d['extraction']['parallel_speedup_ours']:.2f}× ({d['extraction']['parallel_speedup_bare']:.2f}×)"),
        row("extraction stage in the pipeline (pages/s, pool)", lambda d: d["extract_stage"]["pages_per_s"]),
        row("full crawl (pages/s; pages fetched)", lambda d: f"{d['crawl']['pages_per_s']} ({d['crawl']['pages']:,})"),
        row("crawler CPU per page (ms)", lambda d: d["crawl"]["crawler_cpu_ms_per_page"]),
        row("load: merge into DuckDB (articles/s; target ≥ 20,000)", lambda d: f"{d['load']['articles_per_s']:,.0f}"),
        row("load: merge without `update_duplicates` (articles/s)", lambda d: f"{d['load']['articles_per_s_without_dedupe']:,.0f}"),
        row("load: facts / dedupe / raw pages steps of the merge (s; the commit is not in any)",
            lambda d: f"{d['load']['steps_s'].get('merge_facts', 0):.2f} / {d['load']['steps_s'].get('update_duplicates', 0):.2f} / {d['load']['steps_s'].get('merge_pages', float('nan')):.2f} of {d['load']['merge_s']:.2f}"),
        row("snapshot publication incl. search index (s)", lambda d: d["load"]["publish_snapshot_s"]),
        row("archive size per 1,000 articles, raw pages included (MiB)", lambda d: d["archive"]["db_mib_per_1000_articles"]),
        row("incremental re-crawl: requests (article pages)",
            lambda d: f"{d['incremental']['requests'].get('requests', 0):,} ({d['incremental']['article_requests']:,}) of {d['incremental']['first_crawl_requests']:,}"),
        row("incremental re-crawl: time vs first crawl (target < 5%)", lambda d: f"{100 * d['incremental']['wall_ratio_vs_first_crawl']:.1f}%"),
        row("incremental re-crawl end to end: crawl + extract + load + publish (s; vs the first)",
            lambda d: f"{d['incremental']['end_to_end_s']:.1f} ({100 * d['incremental']['end_to_end_ratio']:.1f}%)"),
        row("peak RSS, crawl + extract + load: total (main / children) MiB (target < 1024)",
            lambda d: f"{d['crawl_extract_load']['peak_rss_mib']['total']:.0f} ({d['crawl_extract_load']['peak_rss_mib']['main']:.0f} / {d['crawl_extract_load']['peak_rss_mib']['children']:.0f})"),
        row("same, summed PSS (shared pages counted once) MiB",
            lambda d: f"{d['crawl_extract_load']['peak_rss_mib']['pss_total']:.0f}"),
        row("`portal-etl crawl` (Prefect flow, 4 portals pipelined): peak RSS / PSS of its processes MiB (target < 1024)",
            lambda d: f"{d['cli_crawl']['peak_rss_mib']['total']:.0f} / {d['cli_crawl']['peak_pss_mib']['total']:.0f}"),
        row("`portal-etl crawl`: wall time (s; articles loaded)",
            lambda d: f"{d['cli_crawl']['wall_s']:.1f} ({d['cli_crawl']['articles']:,})"),
        row("query: coverage per month (ms, target < 200)", lambda d: d["queries"]["coverage_per_month"]["median_ms"]),
        row(f"query: phrase search `{PHRASE}`, `text_norm LIKE` scan (ms, target < 200)", lambda d: d["queries"]["phrase_search"]["median_ms"]),
        row("query: same phrase, `ILIKE` scan (ms; baseline, not advised)", lambda d: d["queries"].get("phrase_search_ilike", {}).get("median_ms", "—")),
        row("query: same phrase via `portal-etl search` (ms, target < 200)", lambda d: f"{d['queries']['search_command']['median_ms']} ({d['queries']['search_command']['method']})"),
        row(f"query: doc_refs lookup `{DOC_CODE}` (ms, target < 200)", lambda d: d["queries"]["doc_ref_lookup"]["median_ms"]),
        row("wall time of the benchmark (s)", lambda d: d["total_s"]),
        row("targets met", lambda d: ", ".join(k for k, v in d["targets"].items() if v) or "none"),
        row("targets **not** met", lambda d: ", ".join(k for k, v in d["targets"].items() if not v) or "none"),
        "",
        "What limits the unmet targets: see \"Performance: what limits it\" below (written by hand from the",
        "profiles in `benchmarks/results/*-profile.txt`).",
        "",
    ]
    notes = runs[-1].get("notes")
    if notes:
        lines += [notes, ""]
    return "\n".join(lines)


def update_readme() -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")  # re-read right before writing: others edit it too
    section = readme_section()
    if not section:
        return
    if README_START + "\n" in text:
        start = text.index(README_START + "\n")
        end = text.find("\n## ", start + len(README_START))
        section = section.rstrip("\n") + "\n\n"
        text = text[:start] + section + (text[end + 1 :] if end != -1 else "")
    else:
        anchor = text.find("## Development")
        text = text[:anchor] + section + "\n" + text[anchor:] if anchor != -1 else text + "\n" + section
    readme.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000, help="size of the synthetic site (20,000)")
    parser.add_argument("--quick", action="store_true", help="400 articles, 3 runs, small samples (CI smoke test)")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of the repeated steps (3)")
    parser.add_argument("--sample", type=int, default=1200, help="pages in the extraction comparison (1200)")
    parser.add_argument("--workers", type=int, default=None, help="extraction processes (default: CPU count)")
    parser.add_argument("--portal-concurrency", type=int, default=4, help="portals crawled at once (4, as the CLI)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--name", default=None, help="results/<name>.json (default: full, quick, or n<articles>)")
    parser.add_argument("--no-profile", dest="profile", action="store_false")
    parser.add_argument("--readme", action="store_true", help="rewrite the README's Performance section")
    parser.add_argument("--out", type=Path, default=None, help="results file (default: benchmarks/results/<name>.json)")
    args = parser.parse_args(argv)
    if args.quick:
        args.articles = 400 if args.articles == 20_000 else args.articles
        args.sample = min(args.sample, 120)
        args.runs = min(args.runs, 2)
    args.name = args.name or ("quick" if args.quick else "full" if args.articles == 20_000 else f"n{args.articles}")
    results = run(args)
    out = args.out or RESULTS / f"{args.name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: results[k] for k in ("extraction", "crawl", "load", "incremental", "crawl_extract_load", "cli_crawl",
                                              "queries", "targets", "total_s")}, indent=1, ensure_ascii=False))
    print(f"results: {out}")
    if args.readme:
        update_readme()
        print("README.md: Performance section updated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
