"""reprocess: stored pages re-extracted offline through the loader; idempotent; first_seen_at kept."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import duckdb
import pytest

from etl.records import Article
from etl.reprocess import reprocess
from etl.transform import content_hash
from tests.archive.helpers import (
    ARTICLE_COLUMNS,
    crawl_samples,
    rows,
    sample_registry,
    sample_sites,
    write_registry,
)

ARTICLES = f"SELECT {ARTICLE_COLUMNS}, duplicate_of, duplicate_score FROM articles ORDER BY article_id"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    sites = sample_sites()
    registry = sample_registry(sites)
    db = tmp_path_factory.mktemp("crawled") / "a.duckdb"
    crawl_samples(db, registry, sites)
    return db, registry


@pytest.fixture()
def archive(crawled, tmp_path):
    db, registry = crawled
    copy = tmp_path / "a.duckdb"
    copy.write_bytes(db.read_bytes())
    return copy, registry


def corrupt(db, article_id: str) -> None:
    """What an older, worse extractor would have stored: other text, and the content hash of that text."""
    con = duckdb.connect(str(db))
    try:
        title, text = con.execute("SELECT title, text FROM articles WHERE article_id = ?", [article_id]).fetchone()
        bad = text.split("\n")[0] + "\nLượt xem: 1234 | Bản in | Gửi email"
        article = Article(url="", portal="", title=title, text=bad)
        full = con.execute("SELECT published_at, author, category FROM articles WHERE article_id = ?",
                           [article_id]).fetchone()
        article = replace(article, published_at=full[0], author=full[1], category=full[2])
        con.execute("UPDATE articles SET text = ?, text_norm = ?, word_count = ?, content_hash = ? WHERE article_id = ?",
                    [bad, bad, len(bad.split()), content_hash(article), article_id])
    finally:
        con.close()


def test_reprocess_restores_a_badly_extracted_article_and_is_idempotent(archive, tmp_path):
    db, registry = archive
    before = rows(db, ARTICLES)
    pages_before = rows(db, "SELECT * FROM pages ORDER BY url")
    victim = before[3][0]
    corrupt(db, victim)
    assert rows(db, ARTICLES) != before
    report = reprocess(db, tmp_path / "staging", registry)
    assert report.articles_updated == 1 and report.articles_new == 0
    assert rows(db, ARTICLES) == before  # text restored, first_seen_at and updated_at as they were
    assert rows(db, "SELECT * FROM pages ORDER BY url") == pages_before  # charset, batch_id, fetched_at kept
    again = reprocess(db, tmp_path / "staging", registry, chunk=7)  # other chunking, same result
    assert (again.articles_updated, again.articles_new) == (0, 0)
    assert rows(db, ARTICLES) == before
    assert not any((tmp_path / "staging").glob("*/*"))  # nothing left staged


def test_improved_extraction_updates_in_place_keeping_first_seen(archive, tmp_path, monkeypatch):
    db, registry = archive
    first_seen = dict(rows(db, "SELECT article_id, first_seen_at FROM articles"))
    import etl.transform as transform

    original = transform.parse_page

    def better(raw, portal):
        result = original(raw, portal)
        if result.article is not None:
            result.article.title = result.article.title.upper()
        return result

    monkeypatch.setattr(transform, "parse_page", better)
    report = reprocess(db, tmp_path / "staging", registry, portal_id="sample-kontum")
    assert report.articles_updated == 7 and set(report.per_portal) == {"sample-kontum"}
    titles = rows(db, "SELECT portal, title, first_seen_at, article_id FROM articles")
    for portal, title, seen, article_id in titles:
        assert seen == first_seen[article_id]
        assert (title == title.upper()) == (portal == "sample-kontum")
    again = reprocess(db, tmp_path / "staging", registry, portal_id="sample-kontum")
    assert again.articles_updated == 0


def test_cli_reprocess(archive, tmp_path):
    db, registry = archive
    portals = write_registry(tmp_path / "portals.toml", registry)
    run = [sys.executable, "-m", "etl.cli", "reprocess", "--portals-file", str(portals), "--db", str(db)]
    result = subprocess.run(run, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "0 new, 0 updated" in result.stdout and "sample-quangninh" in result.stdout
    bad = subprocess.run([*run, "no-such-portal"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stderr.startswith("error:") and len(bad.stderr.strip().splitlines()) == 1
    missing = subprocess.run([sys.executable, "-m", "etl.cli", "reprocess", "--db", str(tmp_path / "none.duckdb")],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and missing.stderr.startswith("error:")
