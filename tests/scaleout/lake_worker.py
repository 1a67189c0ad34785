"""Processes for the concurrent-writers test: ``load ARCHIVE STAGING`` and ``read ARCHIVE STOPFILE OUT``."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def load(archive: str, staging: str) -> None:
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    from etl.store.lake import load_ready_batches

    results = load_ready_batches(archive, staging)
    print(json.dumps([[r.batch_id, r.skipped] for r in results]))


def read(archive: str, stop_file: str, out: str) -> None:
    import duckdb

    from etl.store.lake import open_lake_readonly

    reads, errors, seen = 0, [], []
    ready = False
    while not Path(stop_file).exists():
        try:
            con = open_lake_readonly(archive)
            try:
                runs, articles, total = con.execute(  # one statement: one snapshot
                    "SELECT (SELECT count(*) FROM crawl_runs), (SELECT count(DISTINCT article_id) FROM articles), "
                    "(SELECT count(*) FROM articles)"
                ).fetchone()
            finally:
                con.close()
            ready = True
            reads += 1
            if total != articles:
                errors.append(f"duplicate articles seen: {total} rows, {articles} ids")
            if seen and runs < seen[-1]:
                errors.append(f"crawl_runs went back from {seen[-1]} to {runs}")
            seen.append(runs)
        except duckdb.CatalogException as exc:
            if ready:
                errors.append(str(exc).splitlines()[0])
        except Exception as exc:  # noqa: BLE001 - every error is reported to the test
            if not ready and "does not exist" in str(exc):
                continue  # the writers have not created the lake yet
            errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
        time.sleep(0.3)
    Path(out).write_text(json.dumps({"reads": reads, "errors": errors, "seen": seen}))


if __name__ == "__main__":
    {"load": load, "read": read}[sys.argv[1]](*sys.argv[2:])
