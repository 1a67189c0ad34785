"""Analysts read a published snapshot; holding it open never blocks a load."""

from __future__ import annotations

import subprocess
import sys

from etl.store.loader import load_ready_batches
from etl.store.query import query
from etl.store.snapshot import snapshot_path
from tests.store.test_loader import _article, stage


def test_load_publishes_a_snapshot_that_sql_reads(tmp_path):
    db = tmp_path / "a.duckdb"
    stage(tmp_path, [_article("a1", "Một hai ba")])
    load_ready_batches(db, tmp_path / "staging")
    assert snapshot_path(db).exists()
    result = query(db, "SELECT count(*) FROM articles")
    assert result.rows == [(1,)]
    assert result.source == snapshot_path(db)
    assert result.snapshot_at is not None


def test_open_snapshot_session_does_not_block_loads_and_keeps_its_view(tmp_path):
    db = tmp_path / "a.duckdb"
    stage(tmp_path, [_article("a1", "Một hai ba")])
    load_ready_batches(db, tmp_path / "staging")
    reader = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb,sys; c=duckdb.connect(sys.argv[1], read_only=True); print(c.execute('select count(*) from articles').fetchone()[0], flush=True);"
         "sys.stdin.readline(); print(c.execute('select count(*) from articles').fetchone()[0], flush=True)",
         str(snapshot_path(db))],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "1"
        stage(tmp_path, [_article("a2", "Bốn năm")])
        [result] = load_ready_batches(db, tmp_path / "staging", lock_timeout=2.0)
        assert result.articles_new == 1
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "1"  # the open session keeps its view
    finally:
        reader.kill()
        reader.wait()
    assert query(db, "SELECT count(*) FROM articles").rows == [(2,)]  # a new session sees the new data
