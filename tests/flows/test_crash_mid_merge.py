"""kill -9 of the loading process inside the merge transaction leaves the archive as before the merge;
the batch stays staged and the next run completes the merge."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from etl import pipeline
from etl.config import Settings
from etl.store.loader import load_ready_batches
from etl.store.staging import list_batches
from tests.flows.conftest import rows
from tests.store.test_loader import _article, stage

# The loading process: the real loader, with the archive connection wrapped so that COMMIT of the merge
# transaction announces itself (a marker file) and then blocks until the test kills the process.
LOADER = r"""
import sys, time
from pathlib import Path
import etl.store.loader as loader

db, staging, marker = sys.argv[1:4]

class PausingConnection:
    def __init__(self, con):
        self._con = con
    def execute(self, sql, *args):
        if sql.strip().upper() == "COMMIT":
            Path(marker).write_text("in merge")
            time.sleep(600)
        return self._con.execute(sql, *args)
    def __getattr__(self, name):
        return getattr(self._con, name)

real_open = loader.open_archive
loader.open_archive = lambda *a, **k: PausingConnection(real_open(*a, **k))
loader.load_ready_batches(db, staging)
"""


def test_kill_inside_the_merge_leaves_the_archive_as_before(tmp_path):
    db, staging = tmp_path / "archive.duckdb", tmp_path / "staging"
    stage(tmp_path, [_article("a1", "Một hai ba"), _article("a2", "Bốn năm")])
    load_ready_batches(db, staging)
    before = {t: rows(db, f"SELECT * FROM {t} ORDER BY ALL") for t in ("articles", "pages", "images", "crawl_runs")}

    # New articles and a changed one, so the killed merge had inserted and updated rows.
    articles = [_article(f"b{i}", f"Bài số {i} " * 50) for i in range(40)] + [_article("a1", "Đã sửa")]
    batch_id = stage(tmp_path, articles)
    marker = tmp_path / "in-merge"
    proc = subprocess.Popen([sys.executable, "-c", LOADER, str(db), str(staging), str(marker)])
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, "the loader ended before reaching COMMIT"
            assert time.monotonic() < deadline, "the loader never reached COMMIT"
            time.sleep(0.05)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    # As before the merge: every table unchanged, the batch still staged and READY.
    after = {t: rows(db, f"SELECT * FROM {t} ORDER BY ALL") for t in before}
    assert after == before
    [waiting] = list_batches(staging)
    assert waiting.id == batch_id and waiting.ready

    # The next run completes the merge, once.
    [result] = pipeline.recover(Settings(db_path=db, lock_timeout=5.0))
    assert (result.batch_id, result.articles_new, result.articles_updated) == (batch_id, 40, 1)
    assert list_batches(staging) == []
    assert rows(db, "SELECT count(*), count(DISTINCT article_id) FROM articles") == [(42, 42)]
    assert rows(db, "SELECT text FROM articles WHERE article_id = 'a1'") == [("Đã sửa",)]
    assert rows(db, "SELECT count(*) FROM crawl_runs WHERE run_id = ?", [batch_id]) == [(1,)]
    assert pipeline.recover(Settings(db_path=db)) == []  # nothing left to do
