"""The loader: one transaction per batch, idempotent merges, updates in place."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pytest

from etl.store.loader import ArchiveLocked, connect, load_ready_batches
from etl.store.schema import LATEST_VERSION, current_version
from etl.store.staging import list_batches, new_batch, write_extracted

FETCHED = datetime(2024, 5, 1, 3, 0, tzinfo=UTC)


def _article(article_id: str, text: str, fetched: datetime = FETCHED) -> dict:
    return {
        "article_id": article_id, "portal": "p", "province": "Kon Tum", "url": f"http://x/{article_id}",
        "title": f"Tiêu đề {article_id}", "published_at": datetime(2020, 6, 25, 15, 18), "date_source": "visible",
        "author": "Mai Trâm", "category": "Tin tức", "dateline": None, "text": text, "text_norm": text,
        "word_count": len(text.split()), "content_hash": str(hash(text)), "fetched_at": fetched,
    }


def _page(url: str, article_id: str | None, batch_id: str, fetched: datetime = FETCHED) -> dict:
    return {
        "url": url, "portal": "p", "fetched_at": fetched, "status": 200, "content_type": "text/html",
        "charset": "utf-8", "html": "<html></html>", "etag": None, "last_modified": None, "error": None,
        "kind": "article" if article_id else "listing", "is_article": bool(article_id), "article_id": article_id,
        "batch_id": batch_id, "source": "crawl",
    }


def stage(tmp_path, articles: list[dict], fetched: datetime = FETCHED) -> str:
    batch = new_batch(tmp_path / "staging", "p")
    pages = [_page(a["url"], a["article_id"], batch.id, fetched) for a in articles]
    pages.append(_page("http://x/", None, batch.id, fetched))
    images = [{"article_id": a["article_id"], "position": 0, "url": "http://x/a.jpg", "caption": "Ảnh", "credit": "MT"}
              for a in articles]
    write_extracted(
        batch, {"pages": pages, "articles": articles, "images": images},
        {"portal": "p", "pages": len(pages), "articles": len(articles), "errors": 0,
         "crawl": {"portal": "p", "finish_reason": "finished"}},
    )
    return batch.id


def rows(db, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_merge_creates_schema_and_rows(tmp_path):
    db = tmp_path / "a.duckdb"
    stage(tmp_path, [_article("a1", "Một hai ba"), _article("a2", "Bốn năm")])
    results = load_ready_batches(db, tmp_path / "staging")
    assert [(r.articles_found, r.articles_new, r.articles_updated, r.status) for r in results] == [(2, 2, 0, "ok")]
    assert rows(db, "SELECT article_id, word_count FROM articles ORDER BY 1") == [("a1", 3), ("a2", 2)]
    assert rows(db, "SELECT count(*) FROM pages") == [(3,)]
    assert rows(db, "SELECT count(*) FROM images") == [(2,)]
    assert list_batches(tmp_path / "staging") == []  # merged batches are removed
    con = connect(db)
    assert current_version(con) == LATEST_VERSION
    con.close()


def test_unchanged_recrawl_leaves_articles_identical(tmp_path):
    db = tmp_path / "a.duckdb"
    stage(tmp_path, [_article("a1", "Một hai ba")])
    load_ready_batches(db, tmp_path / "staging")
    before = rows(db, "SELECT * FROM articles")
    later = datetime(2024, 6, 1, tzinfo=UTC)
    stage(tmp_path, [_article("a1", "Một hai ba", later)], later)
    [result] = load_ready_batches(db, tmp_path / "staging")
    assert (result.articles_new, result.articles_updated) == (0, 0)
    assert rows(db, "SELECT * FROM articles") == before
    assert rows(db, "SELECT count(*) FROM crawl_runs") == [(2,)]


def test_changed_article_is_updated_in_place_keeping_first_seen(tmp_path):
    db = tmp_path / "a.duckdb"
    stage(tmp_path, [_article("a1", "Một hai ba")])
    load_ready_batches(db, tmp_path / "staging")
    later = datetime(2024, 6, 1, tzinfo=UTC)
    stage(tmp_path, [_article("a1", "Một hai ba bốn", later)], later)
    [result] = load_ready_batches(db, tmp_path / "staging")
    assert (result.articles_new, result.articles_updated) == (0, 1)
    [(text, first_seen, updated)] = rows(db, "SELECT text, first_seen_at, updated_at FROM articles")
    assert text == "Một hai ba bốn"
    assert first_seen.astimezone(UTC) == FETCHED
    assert updated.astimezone(UTC) == later


def test_same_batch_merged_twice_is_a_no_op(tmp_path):
    db = tmp_path / "a.duckdb"
    stage(tmp_path, [_article("a1", "Một hai ba")])
    load_ready_batches(db, tmp_path / "staging", keep_batches=True)
    [again] = load_ready_batches(db, tmp_path / "staging")
    assert again.skipped
    assert rows(db, "SELECT count(*) FROM crawl_runs") == [(1,)]


def test_locked_archive_leaves_batch_staged(tmp_path):
    import subprocess
    import sys
    import time

    db = tmp_path / "a.duckdb"
    duckdb.connect(str(db)).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(db)!r}); print('held', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        stage(tmp_path, [_article("a1", "Một hai ba")])
        start = time.monotonic()
        with pytest.raises(ArchiveLocked, match="staged batches stay"):
            load_ready_batches(db, tmp_path / "staging", lock_timeout=1.0)
        assert time.monotonic() - start < 10
        assert len(list_batches(tmp_path / "staging")) == 1
    finally:
        holder.kill()
        holder.wait()
    [result] = load_ready_batches(db, tmp_path / "staging")
    assert result.articles_new == 1


def test_heavy_raw_pages_are_staged_in_bounded_row_groups_and_merge_under_a_small_limit(tmp_path, monkeypatch):
    """Raw HTML of ~40 KB a page: staged pages.parquet is cut into row groups of at most ~32 MB (one 100 MB
    group would have to be read whole), and the batch merges in slices under a 160MB DuckDB limit without falling back
    to an unlimited merge."""
    import random

    rng = random.Random(5)
    words = "Đảng bộ tỉnh tổ chức hội nghị quán triệt nghị quyết trung ương về công tác xây dựng".split()
    articles = [_article(f"h{i:04d}", " ".join(rng.choices(words, k=60))) for i in range(2600)]
    batch = new_batch(tmp_path / "staging", "p")
    pages = []
    for a in articles:
        page = _page(a["url"], a["article_id"], batch.id)
        page["html"] = "<html><body>" + " ".join(rng.choices(words, k=6000)) + "</body></html>"  # ~40 KB
        pages.append(page)
    write_extracted(batch, {"pages": pages, "articles": articles},
                    {"portal": "p", "pages": len(pages), "articles": len(articles), "errors": 0,
                     "crawl": {"portal": "p", "finish_reason": "finished"}})
    groups = duckdb.connect().execute(
        f"SELECT row_group_id, max(total_uncompressed_size) FROM parquet_metadata('{batch.parquet('pages')}') "
        "WHERE path_in_schema = 'html' GROUP BY 1"
    ).fetchall()
    assert len(groups) >= 2 and max(size for _, size in groups) <= 64 * 2**20
    monkeypatch.setenv("PORTAL_ETL_DUCKDB_MEMORY", "160MB")
    warnings = []
    monkeypatch.setattr("etl.store.loader.log.warning", lambda *a: warnings.append(a))
    [result] = load_ready_batches(tmp_path / "a.duckdb", tmp_path / "staging", publish=False)
    assert (result.articles_new, warnings) == (2600, [])
    assert rows(tmp_path / "a.duckdb", "SELECT count(*), min(strlen(html)) > 30000 FROM pages") == [(2600, True)]


def test_a_merge_runs_on_one_duckdb_thread_and_restores_the_setting(tmp_path, monkeypatch):
    """A merge holds one DuckDB thread's buffers, not two (``MERGE_THREADS``); the connection gets its own
    setting back afterwards, also when the merge fails."""
    from etl.store import loader
    from etl.store.staging import Batch

    stage(tmp_path, [_article("a1", "Một hai ba")])
    seen = []
    original = loader._merge_once

    def spy(con, batch, manifest, portal):
        seen.append(con.execute("SELECT current_setting('threads')").fetchone()[0])
        if len(seen) == 2:
            raise RuntimeError("disk full")
        return original(con, batch, manifest, portal)

    monkeypatch.setattr(loader, "_merge_once", spy)
    con = loader.open_archive(tmp_path / "a.duckdb")
    try:
        con.execute("SET threads = 2")
        [batch] = list_batches(tmp_path / "staging")
        assert loader.merge_batch(con, batch).articles_new == 1
        assert seen == [loader.MERGE_THREADS] == [1]
        assert con.execute("SELECT current_setting('threads')").fetchone()[0] == 2
        stage(tmp_path, [_article("a2", "Bốn năm")])
        other = next(b for b in list_batches(tmp_path / "staging") if b.id != batch.id)
        with pytest.raises(RuntimeError, match="disk full"):
            loader.merge_batch(con, Batch(other.path))
        assert con.execute("SELECT current_setting('threads')").fetchone()[0] == 2
    finally:
        con.close()
