"""Scale-out measurements for README "Scaling out" (needs PostgreSQL: `make postgres`).

1. The crawl of the four sample portals as one flow run per portal (prefect.yaml's crawl-fan-out /
   portal-run) on a Prefect server on PostgreSQL with 1 worker, then with 2 workers: wall time from submitting
   to the last run finished, and runs per worker.
2. Load throughput: the same staged batches merged into the single-file DuckDB archive and into a DuckLake
   archive (catalog on the local PostgreSQL, Parquet on local disk), in articles per second.

    .venv/bin/python benchmarks/scaleout.py [--out benchmarks/results/scaleout.json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from etl.samples.server import serve_samples
from etl.store import lake, loader
from tests.scaleout.batches import copy_batches, make_batches
from tests.scaleout.pgcluster import PgCluster
from tests.scaleout.prefect_stack import FAST, PrefectStack


def crawl(pg: PgCluster, root: Path, workers: int, limit: int) -> dict:
    root.mkdir(parents=True, exist_ok=True)
    with serve_samples() as samples:
        portals_file = root / "portals.toml"
        portals_file.write_text(samples.registry_toml(), encoding="utf-8")
        ids = [p.id for p in samples.portals()]
        archive = f"ducklake:postgres:{pg.create_db(f'bench_lake_{workers}')};data={root / 'lake'}/"
        stack = PrefectStack(pg, root / "work", archive)
        try:
            stack.start_server()
            stack.deploy()
            for n in range(workers):
                stack.start_worker(f"w{n + 1}", limit=limit)
            time.sleep(5)  # workers polling
            started = time.perf_counter()
            stack.fan_out(ids, {"portals_file": str(portals_file), "scrapy_settings": FAST})
            runs = stack.wait(len(ids), timeout=600)
            wall = time.perf_counter() - started
            infos = stack.run_infos(runs)
        finally:
            stack.stop()
    return {"workers": workers, "limit_per_worker": limit, "portals": len(ids), "wall_seconds": round(wall, 1),
            "runs_per_worker": dict(Counter(i.worker for i in infos)),
            "states": dict(Counter(i.state for i in infos))}


def load_throughput(pg: PgCluster, root: Path) -> dict:
    template = root / "batches"
    make_batches(template)
    batches = sorted(p.name for p in template.iterdir())
    out = {}
    db = root / "single.duckdb"
    staging = copy_batches(template, root / "st-file")
    started = time.perf_counter()
    results = loader.load_ready_batches(db, staging, publish=False)
    seconds = time.perf_counter() - started
    articles = sum(r.articles_found for r in results)
    out["file"] = {"batches": len(batches), "articles": articles, "seconds": round(seconds, 2),
                   "articles_per_s": round(articles / seconds, 1)}
    archive = f"ducklake:postgres:{pg.create_db('bench_load')};data={root / 'lake-load'}/"
    lake.open_lake(archive).close()  # creating the lake is not part of the load
    staging = copy_batches(template, root / "st-lake")
    started = time.perf_counter()
    results = lake.load_ready_batches(archive, staging)
    seconds = time.perf_counter() - started
    articles = sum(r.articles_found for r in results)
    out["lake"] = {"batches": len(batches), "articles": articles, "seconds": round(seconds, 2),
                   "articles_per_s": round(articles / seconds, 1)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/scaleout.json"))
    args = parser.parse_args()
    pg = PgCluster().start()
    root = Path(tempfile.mkdtemp(prefix="portal-etl-bench-"))
    try:
        result = {"load": load_throughput(pg, root / "load")}
        result["crawl"] = [crawl(pg, root / "one", 1, 2), crawl(pg, root / "two", 2, 2)]
    finally:
        pg.stop()
        shutil.rmtree(root, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
