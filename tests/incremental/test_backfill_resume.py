"""`portal-etl backfill`: as deep as --since needs, and resumable after a SIGKILL of its process group."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest
from fault_site import FAST_SETTINGS, registry_toml, serve_fault_site

pytestmark = pytest.mark.e2e

COMPARED = "SELECT url, title, published_at, category, text, content_hash FROM articles ORDER BY url"


def backfill_command(portals: Path, db: Path, *extra: str) -> list[str]:
    cmd = [sys.executable, "-m", "etl.cli", "backfill", "thu", "--portals-file", str(portals), "--db", str(db)]
    for name, value in FAST_SETTINGS.items():
        cmd += ["-s", f"{name}={value}"]
    return cmd + list(extra)


def run(cmd: list[str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_backfill_since_stops_where_the_listing_passes_the_date(tmp_path):
    with serve_fault_site(count=30, per_page=5) as site:
        portals = tmp_path / "portals.toml"
        portals.write_text(registry_toml("thu", site.url), encoding="utf-8")
        db = tmp_path / "archive.duckdb"
        since = date(2024, 6, 18)
        result = run(backfill_command(portals, db, "--since", since.isoformat()))
        assert result.returncode == 0, result.stderr[-3000:]
        fetched = site.log.paths()
        wanted = {a.path for a in site.articles if a.day >= since}
    stored = {"/" + u.split("/", 3)[3] for (u,) in rows(db, "SELECT url FROM articles")}
    assert stored == wanted
    # Page 4 is the first whose items are all older than --since: it is read, pages 5 and 6 are not.
    assert "/tin-tuc/page-4" in fetched
    assert "/tin-tuc/page-5" not in fetched and "/tin-tuc/page-6" not in fetched
    # Progress lines: pages, articles and an estimate of what is left.
    assert "listing pages left" in result.stderr and "articles fetched" in result.stderr


def test_kill_9_and_rerun_ends_with_the_same_articles(tmp_path):
    with serve_fault_site(count=24, per_page=6) as site:
        site.article_delay = 0.1
        portals = tmp_path / "portals.toml"
        portals.write_text(registry_toml("thu", site.url, concurrency=1), encoding="utf-8")

        reference = tmp_path / "reference" / "archive.duckdb"
        result = run(backfill_command(portals, reference))
        assert result.returncode == 0, result.stderr[-3000:]

        db = tmp_path / "resumed" / "archive.duckdb"
        staging = db.parent / "staging"
        proc = subprocess.Popen(backfill_command(portals, db), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 60
        raw = None
        while time.monotonic() < deadline:
            batches = list(staging.glob("*/raw.jsonl")) if staging.exists() else []
            if batches and sum(1 for _ in batches[0].open(encoding="utf-8")) >= 10:
                raw = batches[0]
                break
            time.sleep(0.05)
        assert raw is not None, "the backfill never got going"
        os.killpg(proc.pid, signal.SIGKILL)  # the whole process group, like kill -9 -PGID
        proc.wait(timeout=10)
        time.sleep(0.5)
        mark = site.log.mark()
        time.sleep(1.0)
        assert site.log.since(mark) == [], "the crawler outlived its parent"
        assert not (raw.parent / "crawl.json").exists()
        stored_before = set()
        for line in raw.read_text(encoding="utf-8").splitlines():
            try:
                page = json.loads(line)
            except ValueError:
                continue  # a torn last line
            if page["status"] == 200 and "/bai-viet" in page["url"]:
                stored_before.add("/" + page["url"].split("/", 3)[3])
        assert stored_before

        mark = site.log.mark()
        result = run(backfill_command(portals, db))
        assert result.returncode == 0, result.stderr[-3000:]
        refetched = stored_before & set(site.log.paths(mark))
        assert not refetched, f"fetched again after the resume: {sorted(refetched)}"

    assert rows(db, COMPARED) == rows(reference, COMPARED)
    assert len(rows(db, COMPARED)) == 24
    reasons = [r for (r,) in rows(db, "SELECT finish_reason FROM crawl_runs ORDER BY run_id")]
    assert reasons == ["interrupted", "finished"]
    assert not [p for p in staging.iterdir() if not p.name.startswith(".")], "batches left in staging"
